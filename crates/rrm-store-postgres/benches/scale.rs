//! Both backends at scale, in one run: prints figures, asserts nothing (benchmarks are not
//! tests). Every figure is printed for SQLite and PostgreSQL with the ratio PG/SQLite.
//!
//! Run: `cargo bench -p rrm-store-postgres --bench scale` (a smoke run:
//! `RRM_BENCH_CASES=10000 RRM_BENCH_APPENDS=2000 cargo bench -p rrm-store-postgres --bench scale`).
//!
//! Parameters, from the environment as in rrm-store-sqlite's `benches/store`:
//! RRM_BENCH_CASES (default 1,000,000) cases of RRM_BENCH_EVENTS_PER_CASE (default 10) events,
//! written RRM_BENCH_BATCH (default 1,000) cases per `create_cases`; RRM_BENCH_APPENDS
//! (default 20,000) appends per append phase; RRM_BENCH_DATABASE_URL (default
//! `postgres://postgres@127.0.0.1:5432/test`), where the store gets a fresh schema
//! `rrm_bench_<pid>` (and the copy of (g) `rrm_bench_<pid>_copy`), both dropped at the end;
//! the SQLite store is a temporary directory under RRM_BENCH_DIR (default ./bench-data),
//! deleted at the end. The cases are rrm-store-sqlite's synthetic ones (the same files,
//! included by path), so the two benchmarks' figures compare.
//!
//! The figures:
//! - (a) import: `create_cases`, batch by batch, SQLite and PostgreSQL in turn on the same
//!   batch (the machine is shared; interleaving gives both the same load): events/s, cases/s.
//! - (b) appends of one event (one transaction each, with its projection): 1 writer on random
//!   cases (SQLite and PostgreSQL in turn, append by append); 4 writers, 4 threads each with its
//!   own store connection, on random cases (each thread on its own quarter of the cases, so
//!   none conflict), in 4 rounds alternating between the backends; 4 writers all on ONE case
//!   (RRM_BENCH_APPENDS / 4 appends in all), each reading the head and appending, counting the
//!   `Conflict`s it retries; the case's chain is then checked by the full verify of (e).
//! - (c) deadline queries as `rrm deadlines` asks them, overdue and due within 7 days: p50 and
//!   p99 of 200 runs, the backends in turn.
//! - (d) listing pages of 50 with their total: p50 (and p99) of 20 runs.
//! - (e) a full `verify`: events/s, broken chains.
//! - (f) size on disk, as `stats().bytes_on_disk` reports it (SQLite: pages; PostgreSQL: the
//!   schema's tables with their indexes and toast).
//! - (g) `rrm_backup::copy` of the SQLite store into a second fresh PostgreSQL schema, as
//!   `rrm migrate` does it (the copy, then every table read back and compared): rows/s.
//! - Peak memory (VmHWM) of the whole process at the end.

#[allow(dead_code)]
#[path = "../../rrm-store-sqlite/benches/store/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "../../rrm-store-sqlite/benches/store/synthetic.rs"]
mod synthetic;

use std::error::Error;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Days;
use postgres::{Client, NoTls};

use rrm_store::{CaseFilter, CaseSort, DeadlineQuery, NewCase, Store, StoreError};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

use measure::{mib, ms, per_second, percentile};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const WRITERS: u64 = 4;
const ROUNDS: u64 = 4;

struct Params {
    cases: u64,
    per_case: u64,
    batch: u64,
    appends: u64,
    dir: PathBuf,
    url: String,
}

impl Params {
    fn from_env() -> Res<Params> {
        let num = |name: &str, default: u64| -> Res<u64> {
            match std::env::var(name) {
                Ok(v) => Ok(v
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("{name}: {e}"))?),
                Err(_) => Ok(default),
            }
        };
        Ok(Params {
            cases: num("RRM_BENCH_CASES", 1_000_000)?.max(WRITERS),
            per_case: num("RRM_BENCH_EVENTS_PER_CASE", 10)?,
            batch: num("RRM_BENCH_BATCH", 1_000)?.max(1),
            appends: num("RRM_BENCH_APPENDS", 20_000)?,
            dir: std::env::var_os("RRM_BENCH_DIR").map_or("bench-data".into(), PathBuf::from),
            url: std::env::var("RRM_BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into()),
        })
    }

    fn batches(&self) -> impl Iterator<Item = Vec<NewCase>> + '_ {
        (0..self.cases).step_by(self.batch as usize).map(|start| {
            let end = (start + self.batch).min(self.cases);
            (start..end)
                .map(|i| synthetic::case(i, self.per_case))
                .collect()
        })
    }
}

/// A fresh PostgreSQL schema, dropped with everything in it when this value is.
struct Schema {
    server: String,
    name: String,
}

impl Schema {
    fn create(server: &str, name: String) -> Res<Schema> {
        let mut admin = Client::connect(server, NoTls)
            .map_err(|e| format!("cannot connect to PostgreSQL at {server}: {e}"))?;
        admin.batch_execute(&format!(
            "drop schema if exists {name} cascade; create schema {name}"
        ))?;
        Ok(Schema {
            server: server.into(),
            name,
        })
    }

    /// The server url with this schema as the search path.
    fn url(&self) -> String {
        let sep = if self.server.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.server, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.server, NoTls) {
            let _ = admin.batch_execute(&format!("drop schema if exists {} cascade", self.name));
        }
    }
}

/// The two stores under test, and how to open another connection to each.
struct Pair {
    sqlite: SqliteStore,
    pg: PostgresStore,
    sqlite_path: PathBuf,
    pg_url: String,
}

impl Pair {
    fn stores(&self) -> [&dyn Store; 2] {
        [&self.sqlite, &self.pg]
    }

    /// Another connection to backend `b` (0: SQLite, 1: PostgreSQL).
    fn connect(&self, b: usize) -> Res<Box<dyn Store>> {
        Ok(match b {
            0 => Box::new(SqliteStore::open(&self.sqlite_path)?),
            _ => Box::new(PostgresStore::connect(&self.pg_url)?),
        })
    }
}

/// One figure for both backends, with the ratio PG/SQLite.
fn line(what: &str, unit: &str, [s, p]: [f64; 2]) {
    println!(
        "{what}: SQLite {s:.prec$} {unit}, PostgreSQL {p:.prec$} {unit}, PG/SQLite {:.2}",
        p / s,
        prec = if s < 100.0 { 2 } else { 0 }
    );
}

fn main() -> Res<()> {
    let p = Params::from_env()?;
    std::fs::create_dir_all(&p.dir)?;
    let work = tempfile::Builder::new()
        .prefix("rrm-bench-")
        .tempdir_in(&p.dir)?;
    let pid = std::process::id();
    let schema = Schema::create(&p.url, format!("rrm_bench_{pid}"))?;
    let copy_schema = Schema::create(&p.url, format!("rrm_bench_{pid}_copy"))?;
    println!(
        "rrm-store-postgres scale benchmark, SQLite against PostgreSQL: {} cases x {} events = \
         {} events, {} cases per transaction, {} appends per append phase; {} CPUs",
        p.cases,
        p.per_case,
        p.cases * p.per_case,
        p.batch,
        p.appends,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let sqlite_path = work.path().join("store.db");
    let pair = Pair {
        sqlite: SqliteStore::open(&sqlite_path)?,
        pg: PostgresStore::connect(&schema.url())?,
        sqlite_path,
        pg_url: schema.url(),
    };
    let started = Instant::now();
    import(&pair, &p)?;
    let mut heads = [0, 1].map(|_| {
        (0..p.cases)
            .map(|_| AtomicU32::new(p.per_case as u32))
            .collect::<Vec<_>>()
    });
    one_writer(&pair, &p, &mut heads)?;
    four_writers(&pair, &p, &heads)?;
    let hot = one_case(&pair, &p)?;
    deadlines(&pair)?;
    listings(&pair)?;
    verify(&pair, &hot)?;
    size(&pair)?;
    copy(&pair, &copy_schema)?;
    match measure::peak_rss_kib() {
        Some(kib) => println!(
            "peak memory (VmHWM) of the whole process, both backends: {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory: /proc/self/status has no VmHWM here"),
    }
    println!("whole run: {:.1} s", started.elapsed().as_secs_f64());
    drop(pair);
    drop(copy_schema);
    drop(schema);
    work.close()?;
    let _ = std::fs::remove_dir(&p.dir);
    Ok(())
}

/// (a) `create_cases`, each batch into both stores in turn (which goes first alternates).
fn import(pair: &Pair, p: &Params) -> Res<()> {
    let mut spent = [Duration::ZERO; 2];
    let total = p.cases.div_ceil(p.batch);
    for (n, batch) in p.batches().enumerate() {
        for k in 0..2 {
            let b = (n + k) % 2;
            let started = Instant::now();
            pair.stores()[b].create_cases(&batch)?;
            spent[b] += started.elapsed();
        }
        if (n as u64 + 1).is_multiple_of((total / 10).max(1)) {
            eprintln!(
                "  import: {} of {total} batches (SQLite {:.0} s, PostgreSQL {:.0} s)",
                n + 1,
                spent[0].as_secs_f64(),
                spent[1].as_secs_f64()
            );
        }
    }
    let events = p.cases * p.per_case;
    line(
        "(a) import, create_cases: seconds",
        "s",
        spent.map(|d| d.as_secs_f64()),
    );
    line(
        "(a) import, create_cases: events/s",
        "events/s",
        spent.map(|d| per_second(events, d)),
    );
    line(
        "(a) import, create_cases: cases/s",
        "cases/s",
        spent.map(|d| per_second(p.cases, d)),
    );
    Ok(())
}

/// Appends the next event to case `i` of `store`, whose head `heads` knows.
fn append_next(store: &dyn Store, i: u64, heads: &[AtomicU32]) -> Res<()> {
    let head = u64::from(heads[i as usize].load(Ordering::Relaxed));
    store.append(
        &synthetic::case_id(i),
        head,
        &[synthetic::event(i, head + 1)],
        &synthetic::projection(i, head + 1),
    )?;
    heads[i as usize].store(head as u32 + 1, Ordering::Relaxed);
    Ok(())
}

fn print_appends(what: &str, n: [u64; 2], spent: [Duration; 2]) {
    let shown = if n[0] == n[1] {
        format!("{} appends", n[0])
    } else {
        format!("{} and {} appends", n[0], n[1])
    };
    line(
        &format!("(b) appends, {what}: appends/s ({shown})"),
        "appends/s",
        [0, 1].map(|b| per_second(n[b], spent[b])),
    );
    line(
        &format!("(b) appends, {what}: mean ms per append"),
        "ms",
        [0, 1].map(|b| ms(spent[b]) / n[b].max(1) as f64),
    );
}

/// (b) one writer on random cases, the two backends append by append in turn.
fn one_writer(pair: &Pair, p: &Params, heads: &mut [Vec<AtomicU32>; 2]) -> Res<()> {
    let mut spent = [Duration::ZERO; 2];
    for k in 0..p.appends {
        let i = synthetic::mix(k ^ 0xa99e) % p.cases;
        for (b, store) in pair.stores().into_iter().enumerate() {
            let started = Instant::now();
            append_next(store, i, &heads[b])?;
            spent[b] += started.elapsed();
        }
    }
    print_appends("1 writer, random cases", [p.appends; 2], spent);
    Ok(())
}

/// (b) four writers, each on its own connection and its own quarter of the cases.
fn four_writers(pair: &Pair, p: &Params, heads: &[Vec<AtomicU32>; 2]) -> Res<()> {
    let per_round = p.appends / (WRITERS * ROUNDS);
    let n = per_round * WRITERS * ROUNDS;
    let connections: Vec<Vec<Box<dyn Store>>> = (0..2)
        .map(|b| (0..WRITERS).map(|_| pair.connect(b)).collect::<Res<_>>())
        .collect::<Res<_>>()?;
    let quarter = p.cases / WRITERS;
    let mut spent = [Duration::ZERO; 2];
    for round in 0..ROUNDS {
        for (b, stores) in connections.iter().enumerate() {
            let heads = &heads[b];
            let started = Instant::now();
            std::thread::scope(|scope| -> Res<()> {
                let threads: Vec<_> = stores
                    .iter()
                    .zip(0..)
                    .map(|(store, t)| {
                        scope.spawn(move || -> Res<()> {
                            for k in 0..per_round {
                                let seed = (round * per_round + k) * WRITERS + t;
                                let i = (synthetic::mix(seed ^ 0x4417) % quarter) * WRITERS + t;
                                append_next(store.as_ref(), i, heads)?;
                            }
                            Ok(())
                        })
                    })
                    .collect();
                for thread in threads {
                    thread.join().map_err(|_| "a writer panicked")??;
                }
                Ok(())
            })?;
            spent[b] += started.elapsed();
        }
    }
    print_appends(
        "4 writers (4 connections), random cases, wall time",
        [n; 2],
        spent,
    );
    Ok(())
}

/// The case the four writers of [`one_case`] share, and how many events it should have.
struct Hot {
    case: u64,
    expected: [u64; 2],
}

/// (b) four writers on one case: read the head, append, retry on `Conflict`.
fn one_case(pair: &Pair, p: &Params) -> Res<Hot> {
    let target = (p.appends / WRITERS).max(1);
    // A case no other phase chose is not needed: its head is read, not remembered.
    let case = 0;
    let id = synthetic::case_id(case);
    let mut spent = [Duration::ZERO; 2];
    let mut conflicts = [0; 2];
    let mut expected = [0; 2];
    let mut appends = [0; 2];
    for b in [0, 1] {
        let stores: Vec<Box<dyn Store>> =
            (0..WRITERS).map(|_| pair.connect(b)).collect::<Res<_>>()?;
        let before = stores[0].case(&id)?.ok_or("the hot case exists")?.head_seq;
        let done = AtomicU64::new(0);
        let retried = AtomicU64::new(0);
        let started = Instant::now();
        std::thread::scope(|scope| -> Res<()> {
            let threads: Vec<_> = stores
                .iter()
                .map(|store| {
                    let (done, retried, id) = (&done, &retried, &id);
                    scope.spawn(move || -> Res<()> {
                        while done.load(Ordering::Relaxed) < target {
                            let head = store.case(id)?.ok_or("the hot case exists")?.head_seq;
                            match store.append(
                                id,
                                head,
                                &[synthetic::event(case, head + 1)],
                                &synthetic::projection(case, head + 1),
                            ) {
                                Ok(_) => {
                                    done.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(StoreError::Conflict(_)) => {
                                    retried.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(e) => return Err(e.into()),
                            }
                        }
                        Ok(())
                    })
                })
                .collect();
            for thread in threads {
                thread.join().map_err(|_| "a writer panicked")??;
            }
            Ok(())
        })?;
        spent[b] = started.elapsed();
        let appended = done.load(Ordering::Relaxed);
        appends[b] = appended;
        conflicts[b] = retried.load(Ordering::Relaxed);
        expected[b] = before + appended;
        let events = stores[0].events(&id)?.len() as u64;
        let head = stores[0].case(&id)?.ok_or("the hot case exists")?.head_seq;
        println!(
            "    {}: {appended} appends to {id}, {} Conflict retries, head {head}, {events} events \
             read back (expected {})",
            ["SQLite", "PostgreSQL"][b],
            conflicts[b],
            expected[b]
        );
    }
    print_appends(
        "4 writers (4 connections) on ONE case, wall time",
        appends,
        spent,
    );
    line(
        "(b) appends, 4 writers on ONE case: Conflict retries",
        "retries",
        conflicts.map(|c| c as f64),
    );
    Ok(Hot { case, expected })
}

/// Runs `query` on both backends in turn `runs` times; p50 and p99 of each.
fn latency(
    pair: &Pair,
    what: &str,
    runs: usize,
    query: impl Fn(&dyn Store) -> Res<usize>,
) -> Res<()> {
    let mut samples = [Vec::with_capacity(runs), Vec::with_capacity(runs)];
    let mut rows = [0; 2];
    for run in 0..runs {
        for k in 0..2 {
            let b = (run + k) % 2;
            let started = Instant::now();
            rows[b] = query(pair.stores()[b])?;
            samples[b].push(started.elapsed());
        }
    }
    let [s, p] = &mut samples;
    let (s50, p50) = (ms(percentile(s, 50.0)), ms(percentile(p, 50.0)));
    let (s99, p99) = (ms(percentile(s, 99.0)), ms(percentile(p, 99.0)));
    println!(
        "{what} ({runs} runs; {} rows SQLite, {} PostgreSQL): p50 SQLite {s50:.2} ms, PostgreSQL \
         {p50:.2} ms, PG/SQLite {:.2}; p99 SQLite {s99:.2} ms, PostgreSQL {p99:.2} ms, PG/SQLite \
         {:.2}",
        rows[0],
        rows[1],
        p50 / s50,
        p99 / s99
    );
    Ok(())
}

/// (c) deadline queries as `rrm deadlines` asks them.
fn deadlines(pair: &Pair) -> Res<()> {
    let as_of = synthetic::as_of();
    let query = |from, to| DeadlineQuery {
        due_from: from,
        due_to: to,
        case_id: None,
        limit: u64::MAX,
    };
    let overdue = query(None, as_of.checked_sub_days(Days::new(1)));
    let week = query(Some(as_of), as_of.checked_add_days(Days::new(7)));
    for (what, q) in [("overdue", overdue), ("due within 7 days", week)] {
        latency(pair, &format!("(c) deadlines {what}"), 200, |store| {
            Ok(store.deadlines(&q)?.len())
        })?;
    }
    Ok(())
}

/// (d) listing pages of 50 with their totals.
fn listings(pair: &Pair) -> Res<()> {
    let page = |change: fn(&mut CaseFilter)| {
        let mut filter = CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        };
        change(&mut filter);
        filter
    };
    let listings = [
        ("the first page, latest activity first", page(|_| {})),
        ("open cases", page(|f| f.closed = Some(false))),
        ("in one sector", page(|f| f.sector = Some("mining".into()))),
        (
            "in one state and year",
            page(|f| (f.state, f.year) = (Some("Sonora".into()), Some(2024))),
        ),
        ("by title", page(|f| f.sort = CaseSort::Title)),
    ];
    for (what, filter) in listings {
        latency(
            pair,
            &format!("(d) list_cases {what}: a page of 50 and the total"),
            20,
            |store| Ok(store.list_cases(&filter)?.0.len()),
        )?;
    }
    Ok(())
}

/// (e) a full verify of each store, which also checks the chain the four writers shared.
fn verify(pair: &Pair, hot: &Hot) -> Res<()> {
    let mut spent = [Duration::ZERO; 2];
    let mut events = [0; 2];
    let hot_id = synthetic::case_id(hot.case);
    for (b, store) in pair.stores().into_iter().enumerate() {
        let started = Instant::now();
        let report = store.verify(&mut |_| {})?;
        spent[b] = started.elapsed();
        events[b] = report.events;
        let hot_broken = report.broken.iter().any(|c| c.case_id == hot_id);
        let hot_events = store.events(&hot_id)?.len() as u64;
        println!(
            "    {}: verify read {} cases, {} events, {} broken chains; the shared case {hot_id}: \
             {hot_events} events (expected {}), chain {}",
            ["SQLite", "PostgreSQL"][b],
            report.cases,
            report.events,
            report.broken.len(),
            hot.expected[b],
            if hot_broken { "BROKEN" } else { "intact" }
        );
    }
    line("(e) verify: seconds", "s", spent.map(|d| d.as_secs_f64()));
    line(
        "(e) verify: events/s",
        "events/s",
        [0, 1].map(|b| per_second(events[b], spent[b])),
    );
    Ok(())
}

/// (f) size on disk as each backend's `stats` tells it.
fn size(pair: &Pair) -> Res<()> {
    let (s, p) = (pair.sqlite.stats()?, pair.pg.stats()?);
    line(
        "(f) size on disk (stats().bytes_on_disk): MiB",
        "MiB",
        [mib(s.bytes_on_disk), mib(p.bytes_on_disk)],
    );
    line(
        "(f) bytes per event",
        "bytes",
        [&s, &p].map(|x| x.bytes_on_disk as f64 / x.events.max(1) as f64),
    );
    let wal = pair.sqlite_path.with_extension("db-wal");
    println!(
        "    SQLite files: database {:.1} MiB + WAL {:.1} MiB; stats: {} cases, {} events, {} \
             running deadlines (PostgreSQL: {} cases, {} events, {} running deadlines)",
        mib(measure::file_size(&pair.sqlite_path)),
        mib(measure::file_size(&wal)),
        s.cases,
        s.events,
        s.running_deadlines,
        p.cases,
        p.events,
        p.running_deadlines
    );
    Ok(())
}

/// (g) the `rrm migrate` path: every table of the SQLite store into a new PostgreSQL schema,
/// read back and compared.
fn copy(pair: &Pair, to: &Schema) -> Res<()> {
    let destination = PostgresStore::connect(&to.url())?;
    let fill = |_: &[u8]| Ok(None);
    let started = Instant::now();
    let mut last = Instant::now();
    let report = rrm_backup::copy(&pair.sqlite, &fill, &destination, &mut |table, rows| {
        if last.elapsed() > Duration::from_secs(30) {
            eprintln!("  copy: {table}, {rows} rows");
            last = Instant::now();
        }
    })?;
    let spent = started.elapsed();
    let rows = report.rows();
    println!(
        "(g) rrm_backup::copy SQLite -> a fresh PostgreSQL schema (copy + read back + compare): \
         {rows} rows in {} tables ({} events, {} cases) in {:.1} s, {:.0} rows/s",
        report.tables.len(),
        report.rows_of("events").unwrap_or(0),
        report.rows_of("cases").unwrap_or(0),
        spent.as_secs_f64(),
        per_second(rows, spent)
    );
    let stats = destination.stats()?;
    println!(
        "    the copy: {} cases, {} events, {:.1} MiB on disk",
        stats.cases,
        stats.events,
        mib(stats.bytes_on_disk)
    );
    Ok(())
}
