//! `rrm export [ID...] [--out DIR]`: cases back as rrm-case/1 files, exactly as stored.

use std::path::Path;

use anyhow::Context;

use rrm_app::Rrm;
use rrm_casefile::case_to_json;
use rrm_store::CaseFilter;

use crate::exit::Failure;

pub fn run(rrm: &Rrm, ids: &[String], out: Option<&Path>) -> Result<(), Failure> {
    let ids: Vec<String> = if ids.is_empty() {
        let (rows, _) = rrm
            .store
            .list_cases(&CaseFilter::default())
            .map_err(rrm_app::AppError::from)?;
        let mut ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
        ids.sort();
        ids
    } else {
        ids.to_vec()
    };
    let mut all = Vec::new();
    for id in &ids {
        let (case, _) = rrm.load_case(id)?;
        let json = case_to_json(&case);
        match out {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                let path = dir.join(format!("{id}.json"));
                let text = serde_json::to_string_pretty(&json).expect("JSON serializes") + "\n";
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            None => all.push(json),
        }
    }
    match out {
        Some(dir) => eprintln!("exported {} cases to {}", ids.len(), dir.display()),
        None => println!(
            "{}",
            serde_json::to_string_pretty(&all).expect("JSON serializes")
        ),
    }
    Ok(())
}
