//! The SQLite store at scale: prints figures, asserts nothing (benchmarks are not tests).
//!
//! `cargo bench -p rrm-store-sqlite` writes RRM_BENCH_CASES cases (default 1,000,000) of
//! RRM_BENCH_EVENTS_PER_CASE events (default 10) in transactions of RRM_BENCH_BATCH cases
//! (default 1,000), into a temporary directory under RRM_BENCH_DIR (default ./bench-data),
//! deleted at the end. RRM_BENCH_APPENDS (default 100,000) single-event appends follow, then
//! deadline and listing queries, the size on disk, a full verify and the peak memory.
//! A smoke run: `RRM_BENCH_CASES=10000 cargo bench -p rrm-store-sqlite`.

mod measure;
mod raw;
mod synthetic;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Days;

use rrm_store::{CaseFilter, CaseSort, DeadlineQuery, NewCase, Store};
use rrm_store_sqlite::SqliteStore;

use measure::{file_size, mib, ms, per_second, percentile};

/// The benchmark's parameters, from the environment.
pub struct Params {
    cases: u64,
    per_case: u64,
    batch: u64,
    appends: u64,
    dir: PathBuf,
}

impl Params {
    fn from_env() -> Result<Params, Box<dyn Error>> {
        let num = |name: &str, default: u64| -> Result<u64, Box<dyn Error>> {
            match std::env::var(name) {
                Ok(v) => Ok(v
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("{name}: {e}"))?),
                Err(_) => Ok(default),
            }
        };
        Ok(Params {
            cases: num("RRM_BENCH_CASES", 1_000_000)?,
            per_case: num("RRM_BENCH_EVENTS_PER_CASE", 10)?,
            batch: num("RRM_BENCH_BATCH", 1_000)?.max(1),
            appends: num("RRM_BENCH_APPENDS", 100_000)?,
            dir: std::env::var_os("RRM_BENCH_DIR").map_or("bench-data".into(), PathBuf::from),
        })
    }

    fn events(&self) -> u64 {
        self.cases * self.per_case
    }

    /// The synthetic cases, one transaction's worth at a time.
    pub fn batches(&self) -> impl Iterator<Item = Vec<NewCase>> + '_ {
        (0..self.cases).step_by(self.batch as usize).map(|start| {
            let end = (start + self.batch).min(self.cases);
            (start..end)
                .map(|i| synthetic::case(i, self.per_case))
                .collect()
        })
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let p = Params::from_env()?;
    std::fs::create_dir_all(&p.dir)?;
    let work = tempfile::Builder::new()
        .prefix("rrm-bench-")
        .tempdir_in(&p.dir)?;
    println!(
        "rrm-store-sqlite benchmark: {} cases x {} events = {} events, {} cases per transaction",
        p.cases,
        p.per_case,
        p.events(),
        p.batch
    );
    let path = work.path().join("store.db");
    let store = SqliteStore::open(&path)?;
    import(&store, &p, work.path())?;
    appends(&store, &p)?;
    deadlines(&store)?;
    listings(&store)?;
    size(&store, &path)?;
    verify(&store)?;
    match measure::peak_rss_kib() {
        Some(kib) => println!(
            "(f) peak memory (VmHWM): {:.1} MiB, for the whole process: the store and the two \
             baselines' connections, each with a 64 MiB page cache, and one batch in memory",
            kib as f64 / 1024.0
        ),
        None => println!("(f) peak memory: /proc/self/status has no VmHWM here"),
    }
    drop(store);
    work.close()?;
    // Leaves RRM_BENCH_DIR itself only if something else is in it.
    let _ = std::fs::remove_dir(&p.dir);
    Ok(())
}

/// (a) and (b): the raw inserts and `create_cases`, batch by batch in turn, so that all three
/// see the same machine (this one is shared, and its load comes and goes).
fn import(store: &SqliteStore, p: &Params, dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut with_headers = raw::RawDb::create(&dir.join("raw.db"), raw::Headers::Inserted)?;
    let mut bare = raw::RawDb::create(&dir.join("bare.db"), raw::Headers::Skipped)?;
    let (mut spent, mut hashing) = (Duration::ZERO, Duration::ZERO);
    for batch in p.batches() {
        with_headers.insert(&batch)?;
        bare.insert(&batch)?;
        let started = Instant::now();
        store.create_cases(&batch)?;
        spent += started.elapsed();
        hashing += synthetic::time_hashing(&batch);
    }
    let events = p.events();
    let baseline = per_second(events, with_headers.spent);
    for (db, what) in [
        (
            &with_headers,
            "events + their case header rows, foreign keys on",
        ),
        (&bare, "events only, foreign keys off"),
    ] {
        println!(
            "(a) raw SQLite insert ({what}): {:.1} s, {:.0} events/s",
            db.spent.as_secs_f64(),
            per_second(events, db.spent)
        );
    }
    let rate = per_second(events, spent);
    println!(
        "(b) create_cases (hash chain + projection + clocks): {:.1} s, {rate:.0} events/s, \
         {:.0} cases/s; ratio (b)/(a) = {:.2} (against events only: {:.2})",
        spent.as_secs_f64(),
        per_second(p.cases, spent),
        rate / baseline,
        rate / per_second(events, bare.spent)
    );
    println!(
        "    of which SHA-256 of headers and events, measured apart: {:.1} s",
        hashing.as_secs_f64()
    );
    with_headers.remove();
    bare.remove();
    Ok(())
}

/// (c) single-event appends to existing cases, spread over the whole store.
fn appends(store: &SqliteStore, p: &Params) -> Result<(), Box<dyn Error>> {
    if p.cases == 0 || p.appends == 0 {
        return Ok(());
    }
    let mut heads = vec![p.per_case as u32; p.cases as usize];
    let mut spent = Duration::ZERO;
    for k in 0..p.appends {
        let i = synthetic::mix(k ^ 0xa99e) % p.cases;
        let head = u64::from(heads[i as usize]);
        let event = synthetic::event(i, head + 1);
        let projection = synthetic::projection(i, head + 1);
        let id = synthetic::case_id(i);
        let started = Instant::now();
        store.append(&id, head, &[event], &projection)?;
        spent += started.elapsed();
        heads[i as usize] += 1;
    }
    println!(
        "(c) append (1 event, its own transaction): {} appends in {:.1} s, {:.0} appends/s, \
         {:.3} ms each",
        p.appends,
        spent.as_secs_f64(),
        per_second(p.appends, spent),
        ms(spent) / p.appends as f64
    );
    Ok(())
}

/// (d) deadline queries as `rrm deadlines` asks them, 200 runs each.
fn deadlines(store: &SqliteStore) -> Result<(), Box<dyn Error>> {
    let as_of = synthetic::as_of();
    let query = |from, to| DeadlineQuery {
        due_from: from,
        due_to: to,
        case_id: None,
        limit: u64::MAX,
    };
    let overdue = query(None, as_of.checked_sub_days(Days::new(1)));
    let week = query(Some(as_of), as_of.checked_add_days(Days::new(7)));
    for (what, q) in [
        ("overdue (due < as_of)", overdue),
        ("due within 7 days", week),
    ] {
        latency(&format!("(d) deadlines {what}"), 200, || {
            Ok(store.deadlines(&q)?.len())
        })?;
    }
    Ok(())
}

/// Listing pages with their totals, 20 runs each (the slow orders take most of a second).
fn listings(store: &SqliteStore) -> Result<(), Box<dyn Error>> {
    let page = |change: fn(&mut CaseFilter)| {
        let mut filter = CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        };
        change(&mut filter);
        filter
    };
    let listings = [
        ("open cases", page(|f| f.closed = Some(false))),
        ("in one sector", page(|f| f.sector = Some("mining".into()))),
        (
            "in one state and year",
            page(|f| (f.state, f.year) = (Some("Sonora".into()), Some(2024))),
        ),
        (
            "by first date, newest first",
            page(|f| f.sort = CaseSort::FirstDateDesc),
        ),
        ("by title", page(|f| f.sort = CaseSort::Title)),
    ];
    for (what, filter) in listings {
        latency(
            &format!("    list_cases {what}: a page of 50 and the total"),
            20,
            || Ok(store.list_cases(&filter)?.0.len()),
        )?;
    }
    Ok(())
}

/// Runs `query` `runs` times and prints its p50 and p99 latency and how many rows it returned.
fn latency(
    what: &str,
    runs: usize,
    mut query: impl FnMut() -> Result<usize, Box<dyn Error>>,
) -> Result<(), Box<dyn Error>> {
    let mut samples = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        rows = query()?;
        samples.push(started.elapsed());
    }
    let p50 = percentile(&mut samples, 50.0);
    let p99 = percentile(&mut samples, 99.0);
    println!(
        "{what}: {rows} rows, p50 {:.2} ms, p99 {:.2} ms ({runs} runs)",
        ms(p50),
        ms(p99)
    );
    Ok(())
}

/// (e) the database's size, as `stats` reports it and as the files are.
fn size(store: &SqliteStore, path: &Path) -> Result<(), Box<dyn Error>> {
    let stats = store.stats()?;
    let wal = path.with_extension("db-wal");
    println!(
        "(e) size on disk: {:.1} MiB (stats: page_count*page_size), database file {:.1} MiB \
         + WAL {:.1} MiB; {} cases, {} events, {} running deadlines, {:.0} bytes/event",
        mib(stats.bytes_on_disk),
        mib(file_size(path)),
        mib(file_size(&wal)),
        stats.cases,
        stats.events,
        stats.running_deadlines,
        stats.bytes_on_disk as f64 / stats.events.max(1) as f64
    );
    Ok(())
}

/// (g) a full verify.
fn verify(store: &SqliteStore) -> Result<(), Box<dyn Error>> {
    let mut calls = 0;
    let started = Instant::now();
    let report = store.verify(&mut |_| calls += 1)?;
    let spent = started.elapsed();
    println!(
        "(g) verify: {} cases, {} events (imported + appended) in {:.1} s ({:.0} events/s), {} broken, \
         progress reported {calls} times",
        report.cases,
        report.events,
        spent.as_secs_f64(),
        per_second(report.events, spent),
        report.broken.len()
    );
    Ok(())
}
