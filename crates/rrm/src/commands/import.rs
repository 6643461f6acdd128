//! `rrm import FILE...`: check every case of every file against its procedure, then store
//! them in transactions of `batch` cases. Nothing is stored if any case is bad.
//!
//! Both passes stream case by case, so memory stays bounded by one batch however large the
//! import (the price is parsing each file twice).

use std::path::PathBuf;

use anyhow::Context;

use rrm_app::{ImportSource, Rrm};

use crate::exit::Failure;

pub fn run(rrm: &Rrm, files: &[PathBuf], batch: usize) -> Result<(), Failure> {
    let mut sources = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        sources.push(ImportSource {
            name: path.display().to_string(),
            text,
        });
    }
    let total = check_all(rrm, &sources)?;
    let bar = super::progress(total, "storing");
    let (mut cases, mut events) = (0usize, 0usize);
    let mut pending = Vec::with_capacity(batch);
    for source in &sources {
        rrm.for_each_case(source, |at, case| {
            pending.push(rrm.prepare(&at, case, crate::clock::now())?);
            if pending.len() >= batch.max(1) {
                (cases, events) = store(rrm, &mut pending, (cases, events))?;
                bar.set_position(cases as u64);
            }
            Ok(())
        })?;
    }
    (cases, events) = store(rrm, &mut pending, (cases, events))?;
    bar.finish_and_clear();
    println!("imported {cases} cases, {events} events");
    Ok(())
}

/// First pass: every case must parse and pass the engine before anything is stored.
fn check_all(rrm: &Rrm, sources: &[ImportSource]) -> Result<u64, Failure> {
    let bar = super::progress(0, "checking");
    let mut total = 0u64;
    for source in sources {
        rrm.for_each_case(source, |at, case| {
            let derived = case.header.id.is_none();
            let prepared = rrm.prepare(&at, case, crate::clock::now())?;
            if derived {
                eprintln!("{at}: no id given; stored as `{}`", prepared.header.id);
            }
            total += 1;
            bar.set_position(total);
            Ok(())
        })?;
    }
    bar.finish_and_clear();
    Ok(total)
}

fn store(
    rrm: &Rrm,
    pending: &mut Vec<rrm_store::NewCase>,
    (cases, events): (usize, usize),
) -> Result<(usize, usize), rrm_app::AppError> {
    rrm.store_cases(pending)?;
    let added = pending.iter().map(|c| c.events.len()).sum::<usize>();
    let n = pending.len();
    pending.clear();
    Ok((cases + n, events + added))
}
