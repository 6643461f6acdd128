//! `rrm record ID EVENT.json`: the engine checks the event; if allowed it is appended to the
//! case's hash chain with the new projection.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;

use rrm_app::Rrm;

use crate::exit::Failure;

pub fn run(
    rrm: &Rrm,
    id: &str,
    event_file: &Path,
    today: Option<NaiveDate>,
) -> Result<(), Failure> {
    let text = if event_file == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the event from stdin")?;
        s
    } else {
        std::fs::read_to_string(event_file)
            .with_context(|| format!("cannot read {}", event_file.display()))?
    };
    let name = event_file.display().to_string();
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::bad_input(format!(
            "{name}: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let event = rrm_casefile::event_from_json(value)
        .map_err(|e| Failure::bad_input(format!("{name}: {e}")))?;
    let recorded = rrm.record(id, event, today.unwrap_or_else(crate::clock::today))?;
    let hash: String = recorded
        .stored
        .hash
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!(
        "recorded {} as event {} of {id}; stage now {}; hash {hash}",
        recorded.stored.kind, recorded.stored.seq, recorded.stage
    );
    Ok(())
}
