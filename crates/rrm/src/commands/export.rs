//! `rrm export [ID...] [--out DIR] [--include-confidential]`: cases back as rrm-case/1 files.
//!
//! Petitioners who are not public are stored sealed; an export leaves them out unless asked to
//! include them, which opens them with the master key and records the export in the audit log:
//! an export is a file that leaves the system's protection.

use std::path::Path;

use anyhow::Context;

use rrm_app::audit::{entry, AuditAction};
use rrm_app::Rrm;
use rrm_casefile::case_to_json;
use rrm_store::CaseFilter;

use crate::exit::Failure;

pub fn run(
    rrm: &Rrm,
    ids: &[String],
    out: Option<&Path>,
    include_confidential: bool,
) -> Result<(), Failure> {
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
    let mut left_out = 0;
    for id in &ids {
        let (mut case, _) = rrm.load_case(id)?;
        match include_confidential {
            true => confidential_export(rrm, id, &mut case)?,
            false => {
                let before = case.header.petitioners.len();
                case.header.petitioners.retain(|p| p.public);
                left_out += before - case.header.petitioners.len();
            }
        }
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
    if left_out > 0 {
        eprintln!(
            "left out {left_out} petitioners who are not public (--include-confidential to \
             include them)"
        );
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

/// Opens a case's sealed petitioners and records that they left in an export.
fn confidential_export(
    rrm: &Rrm,
    id: &str,
    case: &mut rrm_casefile::CaseFile,
) -> Result<(), Failure> {
    let sealed = case
        .header
        .petitioners
        .iter()
        .filter(|p| rrm_app::is_sealed_text(&p.name))
        .count();
    if sealed == 0 {
        return Ok(());
    }
    rrm.open_petitioners(id, case)?;
    let detail = serde_json::json!({"petitioners": sealed});
    let e = entry(
        crate::clock::now(),
        "operator",
        AuditAction::ConfidentialExported,
        Some(id),
        &format!("case:{id}"),
        detail,
    );
    rrm.record_audit(e)?;
    Ok(())
}
