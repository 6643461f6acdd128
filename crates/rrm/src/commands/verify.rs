//! `rrm verify`: recompute every case's hash chain, the audit log's chain, every stored file
//! against its hash and every file record against its custody entry; with the master key,
//! open every sealed file and check it against the SHA-256 recorded when it was received.
//! Exit 4 naming each problem; orphaned files are warnings (`rrm blobs sweep`).

use rrm_app::{AppError, Rrm};
use rrm_store::BlobLocation;

use crate::exit::{Failure, INTEGRITY};

pub fn run(rrm: &Rrm, files: &BlobLocation) -> Result<(), Failure> {
    let stats = rrm.store.stats().map_err(AppError::from)?;
    let bar = super::progress(stats.events, "verifying");
    let report = rrm
        .store
        .verify(&mut |n| bar.set_position(n))
        .map_err(AppError::from)?;
    bar.finish_and_clear();
    let mut problems = 0;
    match report.broken.is_empty() {
        true => println!(
            "verified {} cases, {} events: every chain is intact",
            report.cases, report.events
        ),
        false => {
            for b in &report.broken {
                println!(
                    "case {}: first broken event {}: {}",
                    b.case_id, b.seq, b.problem
                );
            }
            problems += report.broken.len();
        }
    }
    let bar = super::progress(0, "files");
    let vault = rrm.verify_vault(&mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    println!(
        "verified the audit log ({} entries), {} stored files ({} bytes) in {files}, {} file \
         records and their custody",
        vault.audit_entries, vault.stored_files, vault.stored_bytes, vault.file_records
    );
    match vault.keyed {
        true => println!(
            "opened {} sealed files: each matches the SHA-256 it was received with",
            vault.opened
        ),
        false => println!("sealed files were not opened: no master key (--master-key-file)"),
    }
    for p in &vault.problems {
        println!("{p}");
    }
    for w in &vault.warnings {
        println!("warning: {w}");
    }
    if !vault.warnings.is_empty() {
        println!(
            "warning: {} orphans take space but break nothing; `rrm blobs sweep` deletes \
             those older than a day",
            vault.warnings.len()
        );
    }
    problems += vault.problems.len();
    match problems {
        0 => Ok(()),
        n => Err(Failure {
            code: INTEGRITY,
            message: format!(
                "{n} problems found ({} of {} cases fail verification)",
                report.broken.len(),
                report.cases
            ),
        }),
    }
}
