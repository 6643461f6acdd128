//! `rrm stats`: how many cases, in which stages, with which outcomes, and the store's size.

use std::collections::BTreeMap;

use serde_json::json;

use rrm_app::{AppError, Rrm};
use rrm_store::CaseFilter;

use crate::exit::Failure;

pub fn run(rrm: &Rrm, as_json: bool) -> Result<(), Failure> {
    let stats = rrm.store.stats().map_err(AppError::from)?;
    let (rows, _) = rrm
        .store
        .list_cases(&CaseFilter::default())
        .map_err(AppError::from)?;
    let mut stages: BTreeMap<&str, u64> = BTreeMap::new();
    let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &rows {
        *stages.entry(r.projection.stage.as_str()).or_default() += 1;
        *outcomes
            .entry(r.projection.outcome.as_deref().unwrap_or("(open)"))
            .or_default() += 1;
    }
    if as_json {
        let value = json!({
            "cases": stats.cases, "events": stats.events, "open_cases": stats.open_cases,
            "running_deadlines": stats.running_deadlines, "bytes_on_disk": stats.bytes_on_disk,
            "by_stage": stages, "by_outcome": outcomes,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON serializes")
        );
        return Ok(());
    }
    println!("cases              {}", stats.cases);
    println!("events             {}", stats.events);
    println!("open cases         {}", stats.open_cases);
    println!("running deadlines  {}", stats.running_deadlines);
    println!(
        "store size         {:.1} MiB",
        stats.bytes_on_disk as f64 / (1024.0 * 1024.0)
    );
    println!("\nby stage");
    for (stage, n) in &stages {
        println!("  {stage:<30} {n}");
    }
    println!("\nby outcome");
    for (outcome, n) in &outcomes {
        println!("  {outcome:<30} {n}");
    }
    Ok(())
}
