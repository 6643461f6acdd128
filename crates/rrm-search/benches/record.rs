//! What the search index adds to recording an event, the write staff make most: a plain main
//! (harness = false) that records events through the application with the indexer applied
//! in place (`Indexer` as the listener) and behind its worker thread (`Background`), in one
//! run, and prints p50 and p99 of `Rrm::record` for each and the time the queue took to drain.
//!
//! `cargo bench -p rrm-search --bench record`; `RRM_BENCH_CASES` synthetic cases beside the
//! public record (default 2000), `RRM_BENCH_RECORDS` events recorded per mode (default 100).

use std::sync::Arc;
use std::time::{Duration, Instant};

use rrm_app::{public_record, ChangeListener, ImportSource, Rrm};
use rrm_search::{Background, Indexer};
use rrm_store_sqlite::SqliteStore;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-23T12:00:00Z".parse().expect("a time")
}

/// Cases waiting for Mexico's answer, so `review_accepted` is allowed on each once.
fn synthetic(cases: usize) -> ImportSource {
    let lines: Vec<String> = (0..cases)
        .map(|i| {
            serde_json::json!({
                "format": "rrm-case/1", "id": format!("bench-{i:05}"), "procedure": "usmca-31a",
                "facility": {"name": format!("Planta {i} de autopartes"), "state": "Coahuila"},
                "events": [{"kind": "request_for_review", "date": "2026-11-02",
                            "note": "Solicitud de revisión por despidos de trabajadores sindicalizados"}]
            })
            .to_string()
        })
        .collect();
    ImportSource {
        name: "bench.jsonl".into(),
        text: lines.join("\n"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Records `n` events on cases `first..first + n` and returns each call's time.
fn record(rrm: &Rrm, first: usize, n: usize) -> Vec<Duration> {
    let today = "2026-11-23".parse().expect("a date");
    let mut times: Vec<Duration> = (first..first + n)
        .map(|i| {
            let event = rrm_casefile::event_from_json(serde_json::json!({
                "kind": "review_accepted", "date": "2026-11-05", "note": "México aceptó revisar"
            }))
            .expect("an event");
            let start = Instant::now();
            rrm.record(&format!("bench-{i:05}"), event, today)
                .expect("recorded");
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn main() {
    let (cases, n) = (env("RRM_BENCH_CASES", 2000), env("RRM_BENCH_RECORDS", 100));
    assert!(
        2 * n <= cases,
        "RRM_BENCH_CASES must be at least twice RRM_BENCH_RECORDS"
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = SqliteStore::open(&dir.path().join("rrm.db")).expect("a store");
    let procedures = Arc::new(rrm_core::procedure::shipped().expect("procedures"));
    let base = Rrm::new(Arc::new(store), procedures);
    let mut sources = public_record();
    sources.push(synthetic(cases));
    base.import_all(&sources, now()).expect("imported");
    let indexer = Arc::new(Indexer::open(&dir.path().join("index")).expect("an index"));
    indexer.rebuild(&base, |_, _| {}).expect("indexed");
    println!(
        "{} cases indexed; recording {n} events per mode",
        cases + 39
    );

    let in_place: Arc<dyn ChangeListener> = indexer.clone();
    let sync = record(&base.clone().with_listener(in_place), 0, n);
    let background = Background::start(indexer.clone()).expect("a worker");
    let queued = record(&base.with_listener(background.clone()), n, n);
    let drain = Instant::now();
    background.flush();
    let drained = drain.elapsed();
    for (mode, t) in [
        ("indexed in place", &sync),
        ("queued to the worker", &queued),
    ] {
        println!(
            "record, {mode}: p50 {:.2?}, p99 {:.2?}",
            percentile(t, 0.5),
            percentile(t, 0.99)
        );
    }
    println!(
        "ratio of p50 (queued / in place): {:.3}; the queue drained {drained:.2?} after the last write",
        percentile(&queued, 0.5).as_secs_f64() / percentile(&sync, 0.5).as_secs_f64()
    );
}
