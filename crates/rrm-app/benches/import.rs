//! Import benchmark: synthetic case files through the whole import path (parse the case file,
//! replay every event through the engine, build the projection, chain and store in SQLite).
//! Prints figures; not a test. `RRM_BENCH_CASES` (default 100,000) sets the size.

use std::sync::Arc;
use std::time::Instant;

use rrm_app::{ImportSource, Rrm};
use rrm_core::procedure::shipped;
use rrm_store_sqlite::SqliteStore;

/// A synthetic case with a realistic path: petition, request, acceptance, report of a denial,
/// course of remediation, completion and verification of an action, resolution.
fn case_json(i: usize) -> String {
    let year = 2021 + (i % 5);
    format!(
        r#"{{"format":"rrm-case/1","id":"bench-{i:07}","procedure":"usmca-31a","facility":{{"id":"bench-plant-{i:07}","name":"Plant {i}","company":"Company {i} S.A. de C.V.","state":"Coahuila","sector":"auto parts"}},"events":[
{{"kind":"petition_filed","date":"{year}-01-05"}},
{{"kind":"request_for_review","date":"{year}-02-04"}},
{{"kind":"liquidation_suspended","date":"{year}-02-04"}},
{{"kind":"review_accepted","date":"{year}-02-12"}},
{{"kind":"review_report","date":"{year}-03-20","denial_found":true,"remedied":false}},
{{"kind":"remediation_agreed","date":"{year}-03-28","due":"{year}-09-30","actions":[{{"id":"reinstatement","description":"Reinstatement with back pay","responsible":"company","due":"{year}-05-01"}}]}},
{{"kind":"action_completed","date":"{year}-04-20","action":"reinstatement"}},
{{"kind":"action_verified","date":"{year}-05-02","action":"reinstatement","by":"US"}},
{{"kind":"case_resolved","date":"{year}-10-02","outcome":"remediated"}},
{{"kind":"liquidation_resumed","date":"{year}-10-02"}}]}}"#
    )
    .replace('\n', "")
}

/// A fixed "now": the synthetic cases have no confidential petitioners, so no key is made.
fn bench_now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-23T12:00:00Z".parse().expect("a time")
}

fn main() {
    let cases: usize = std::env::var("RRM_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir_in(".").expect("temp dir");
    let path = dir.path().join("rrm.sqlite3");
    let store = SqliteStore::open(&path).expect("store opens");
    let rrm = Rrm::new(
        Arc::new(store),
        Arc::new(shipped().expect("procedures load")),
    );
    let text: String = (0..cases).map(|i| case_json(i) + "\n").collect();
    let source = ImportSource {
        name: "bench.jsonl".into(),
        text,
    };
    println!(
        "import benchmark: {cases} cases, {} bytes of case files",
        source.text.len()
    );

    let start = Instant::now();
    let mut checked = 0usize;
    rrm.for_each_case(&source, |at, case| {
        rrm.prepare(&at, case, bench_now())?;
        checked += 1;
        Ok(())
    })
    .expect("every case passes");
    let check = start.elapsed();

    let start = Instant::now();
    let mut batch = Vec::with_capacity(1000);
    let mut events = 0usize;
    rrm.for_each_case(&source, |at, case| {
        batch.push(rrm.prepare(&at, case, bench_now())?);
        if batch.len() == 1000 {
            events += batch.iter().map(|c| c.events.len()).sum::<usize>();
            rrm.store_cases(&batch)?;
            batch.clear();
        }
        Ok(())
    })
    .expect("import succeeds");
    events += batch.iter().map(|c| c.events.len()).sum::<usize>();
    rrm.store_cases(&batch).expect("last batch");
    let store = start.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "check pass (parse + engine replay): {checked} cases in {:.2?} = {:.0} cases/s",
        check,
        checked as f64 / check.as_secs_f64()
    );
    println!(
        "import pass (parse + engine + chain + SQLite): {cases} cases, {events} events in {:.2?} = {:.0} cases/s, {:.0} events/s",
        store,
        cases as f64 / store.as_secs_f64(),
        events as f64 / store.as_secs_f64()
    );
    println!(
        "whole import (both passes): {:.2?}; database {:.1} MiB",
        check + store,
        size as f64 / 1048576.0
    );
}
