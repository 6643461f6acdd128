//! `rrm verify`: recompute every hash chain; exit 4 naming the first broken event of each
//! broken case.

use rrm_app::{AppError, Rrm};

use crate::exit::{Failure, INTEGRITY};

pub fn run(rrm: &Rrm) -> Result<(), Failure> {
    let stats = rrm.store.stats().map_err(AppError::from)?;
    let bar = super::progress(stats.events, "verifying");
    let report = rrm
        .store
        .verify(&mut |n| bar.set_position(n))
        .map_err(AppError::from)?;
    bar.finish_and_clear();
    if report.broken.is_empty() {
        println!(
            "verified {} cases, {} events: every chain is intact",
            report.cases, report.events
        );
        return Ok(());
    }
    for b in &report.broken {
        println!(
            "case {}: first broken event {}: {}",
            b.case_id, b.seq, b.problem
        );
    }
    Err(Failure {
        code: INTEGRITY,
        message: format!(
            "{} of {} cases fail verification",
            report.broken.len(),
            report.cases
        ),
    })
}
