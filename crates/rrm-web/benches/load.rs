//! Load benchmark of the web server: 10,000 synthetic cases plus the public record in an
//! on-disk SQLite store (or in PostgreSQL, see below), the real router served in-process on
//! 127.0.0.1:0, and 64 keep-alive HTTP/1.1 connections driving one endpoint at a time for a
//! fixed duration. Prints requests/s and latency percentiles per endpoint, each as a ratio to
//! `/healthz` measured in the same run, against the targets (ratio >= 0.5, p99 < 20 ms). Prints
//! figures; not a test.
//!
//! The load generator is in this file (tokio + hyper's client connection, one task per
//! connection, latencies in an HdrHistogram) rather than an external tool, so the benchmark
//! needs nothing installed and runs the same on every machine (`cargo install oha` took 9
//! minutes to build here). Each connection sends the next request as soon as the previous
//! response's body is read (closed loop, like `wrk` and `oha`); on this machine it drives
//! `/healthz` as fast as `oha` does.
//!
//! Environment: `RRM_LOAD_SECONDS` (measured seconds per endpoint, default 10),
//! `RRM_LOAD_CASES` (synthetic cases, default 10,000), `RRM_LOAD_CONNECTIONS` (default 64),
//! `RRM_LOAD_GZIP=0` to stop asking for gzip (browsers ask for it, so it is on by default).
//! Traffic goes to 127.0.0.1 only and every loop stops at its deadline.
//!
//! With `RRM_LOAD_DATABASE_URL` set (e.g. `postgres://postgres@127.0.0.1:5432/test`), the cases
//! are stored in PostgreSQL instead, in a fresh schema `rrm_load_<pid>` dropped at the end, and
//! TWO servers run, as two instances behind a balancer would: two `AppState`s, each with its own
//! `PostgresStore` connection and its own listener, the connections spread over both in turn.
//! "first ms" is then the slower of the two servers' first requests. The PostgreSQL client is
//! synchronous and cannot run on an async worker: every store call here is made outside the
//! runtimes (the servers, as `rrm serve`, call it from the blocking pool; `try_version`
//! answers from a fresh read without the client).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::header::{ACCEPT_ENCODING, HOST};
use hyper_util::rt::TokioIo;
use rrm_app::{public_record, ImportSource, Rrm};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;
use rrm_web::AppState;

/// The server's "today": after every synthetic date, fixed so runs compare.
const TODAY: &str = "2026-11-23";

/// Noon of [`TODAY`]: the benchmark's "now".
fn bench_now() -> chrono::DateTime<chrono::Utc> {
    let today: chrono::NaiveDate = TODAY.parse().expect("a date");
    today.and_hms_opt(12, 0, 0).expect("noon").and_utc()
}
/// Requests in the first second of each endpoint warm caches and are not counted.
const WARM_UP: Duration = Duration::from_secs(1);

const SECTORS: &str = "auto parts|mining|food processing|garments|call centers|steel|aviation";
const STATES: &str = "Coahuila|Guanajuato|Puebla|Nuevo León|Jalisco|Querétaro|Sonora|Zacatecas";

/// Item `i` of a `|`-separated list, cycling.
fn pick(list: &str, i: usize) -> &str {
    let items: Vec<&str> = list.split('|').collect();
    items[i % items.len()]
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Case `i`: a year from 2021 to 2026, a sector, a state, and one of seven paths through the
/// procedure, so the index has every common stage and outcome to facet on.
fn case_json(i: usize) -> String {
    let y = 2021 + i % 6;
    let ev = |kind: &str, date: &str, extra: &str| {
        format!(r#"{{"kind":"{kind}","date":"{y}-{date}"{extra}}}"#)
    };
    let mut events = vec![
        ev("petition_filed", "01-05", ""),
        ev("request_for_review", "02-04", ""),
        ev("liquidation_suspended", "02-04", ""),
    ];
    let accepted = ev("review_accepted", "02-12", "");
    let denial = ev(
        "review_report",
        "03-20",
        r#","denial_found":true,"remedied":false"#,
    );
    let plan = ev(
        "remediation_agreed",
        "03-28",
        &format!(
            r#","due":"{y}-09-30","actions":[{{"id":"reinstatement","description":"Reinstatement with back pay","responsible":"company","due":"{y}-05-01"}}]"#
        ),
    );
    match i % 7 {
        0 => {}
        1 => events.push(accepted),
        2 => events.extend([accepted, denial]),
        3 => events.extend([accepted, denial, plan]),
        4 => events.extend([
            accepted,
            denial,
            plan,
            ev("action_completed", "04-20", r#","action":"reinstatement""#),
            ev(
                "action_verified",
                "05-02",
                r#","action":"reinstatement","by":"US""#,
            ),
            ev("case_resolved", "10-02", r#","outcome":"remediated""#),
            ev("liquidation_resumed", "10-02", ""),
        ]),
        5 => events.extend([
            accepted,
            ev("review_report", "03-20", r#","denial_found":false"#),
        ]),
        _ => events.extend([
            accepted,
            ev(
                "review_report",
                "03-20",
                r#","denial_found":true,"remedied":true"#,
            ),
            ev(
                "case_resolved",
                "04-24",
                r#","outcome":"remedied_during_review""#,
            ),
        ]),
    }
    let (sector, state) = (pick(SECTORS, i / 7), pick(STATES, i / 49));
    format!(
        r#"{{"format":"rrm-case/1","id":"load-{i:05}","procedure":"usmca-31a","facility":{{"id":"load-plant-{i:05}","name":"Plant {i}","company":"Company {i} S.A. de C.V.","state":"{state}","country":"MX","sector":"{sector}"}},"events":[{}]}}"#,
        events.join(",")
    )
}

/// Where the benchmark's cases are kept.
enum Backend {
    /// A SQLite file under the target directory; one server.
    Sqlite(tempfile::TempDir),
    /// A fresh PostgreSQL schema; two servers, each on its own connection.
    Postgres(Schema),
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "SQLite, one server",
            Backend::Postgres(_) => "PostgreSQL, two servers (one connection each)",
        }
    }

    /// A new application on this store, on a connection of its own.
    fn open(&self) -> Rrm {
        let procedures = Arc::new(rrm_core::procedure::shipped().expect("the procedures load"));
        match self {
            Backend::Sqlite(dir) => {
                let store = SqliteStore::open(&dir.path().join("rrm.db")).expect("the store opens");
                Rrm::new(Arc::new(store), procedures)
            }
            Backend::Postgres(schema) => {
                let store = PostgresStore::connect(&schema.url()).expect("PostgreSQL connects");
                Rrm::new(Arc::new(store), procedures)
            }
        }
    }

    fn servers(&self) -> usize {
        match self {
            Backend::Sqlite(_) => 1,
            Backend::Postgres(_) => 2,
        }
    }
}

/// A fresh PostgreSQL schema, dropped with everything in it when this value is.
struct Schema {
    server: String,
    name: String,
}

impl Schema {
    fn create(server: &str) -> Schema {
        let name = format!("rrm_load_{}", std::process::id());
        let mut admin = postgres::Client::connect(server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {server}: {e}"));
        admin
            .batch_execute(&format!(
                "drop schema if exists {name} cascade; create schema {name}"
            ))
            .expect("a fresh schema");
        Schema {
            server: server.into(),
            name,
        }
    }

    fn url(&self) -> String {
        let sep = if self.server.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.server, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("drop schema if exists {} cascade", self.name));
        }
    }
}

/// The public record and `n` synthetic cases, imported through `rrm` 1,000 at a time.
fn build_store(rrm: &Rrm, n: usize) {
    rrm.import_all(&public_record(), bench_now())
        .expect("the public record imports");
    let text: String = (0..n).map(|i| case_json(i) + "\n").collect();
    let source = ImportSource {
        name: "load.jsonl".into(),
        text,
    };
    let mut batch = Vec::with_capacity(1000);
    rrm.for_each_case(&source, |at, case| {
        batch.push(rrm.prepare(&at, case, bench_now())?);
        if batch.len() == 1000 {
            rrm.store_cases(&batch)?;
            batch.clear();
        }
        Ok(())
    })
    .expect("every synthetic case imports");
    rrm.store_cases(&batch).expect("the last batch stores");
}

/// Serves the app on its own runtime and threads, as a separate server process would.
fn start_server(rrm: Rrm) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("the server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let today = TODAY.parse().unwrap();
            let state = AppState {
                rrm,
                today: Arc::new(move || today),
                now: Arc::new(move || today.and_hms_opt(12, 0, 0).unwrap().and_utc()),
                secure_cookies: false,
                trusted_proxies: Default::default(),
                search: None,
            };
            rrm_web::serve(listener, state, std::future::pending())
                .await
                .expect("the server runs");
        });
    });
    rx.recv().expect("the server's address")
}

/// What one connection, or all of them merged, saw while measuring.
struct Tally {
    latency_us: Histogram<u64>,
    bytes: u64,
    errors: u64,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            latency_us: Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds"),
            bytes: 0,
            errors: 0,
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.latency_us.add(&other.latency_us).expect("same bounds");
        self.bytes += other.bytes;
        self.errors += other.errors;
    }
}

/// One keep-alive connection sending GET `path` back to back until `end`; responses before
/// `measure_from` are not counted.
async fn connection(
    addr: SocketAddr,
    path: Arc<str>,
    gzip: bool,
    measure_from: Instant,
    end: Instant,
) -> Tally {
    let mut tally = Tally::new();
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("HTTP/1.1 handshake");
    tokio::spawn(conn);
    let host = addr.to_string();
    // At least one request, so a zero-length run is a single timed request.
    let mut sent = false;
    while !sent || Instant::now() < end {
        sent = true;
        let mut request = hyper::Request::get(&*path).header(HOST, &host);
        if gzip {
            request = request.header(ACCEPT_ENCODING, "gzip");
        }
        let request = request.body(Empty::<Bytes>::new()).expect("a request");
        let start = Instant::now();
        let response = sender.send_request(request).await.expect("a response");
        let ok = response.status() == 200;
        let body = response.into_body().collect().await.expect("the body");
        let elapsed = start.elapsed();
        if start >= measure_from {
            let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
            tally.latency_us.saturating_record(us.max(1));
            tally.bytes += body.to_bytes().len() as u64;
            tally.errors += u64::from(!ok);
        }
    }
    tally
}

/// One endpoint's figures.
struct Figures {
    path: String,
    /// The endpoint's first request, alone: it pays for filling any cache.
    first: Duration,
    per_second: f64,
    tally: Tally,
}

/// One GET on a fresh connection, timed.
async fn one_request(addr: SocketAddr, path: &str) -> Duration {
    let start = Instant::now();
    let tally = connection(addr, path.into(), true, start, start).await;
    assert_eq!(tally.errors, 0, "GET {path} failed");
    start.elapsed()
}

/// Times one request alone on each server (keeping the slowest), then drives `path` with
/// `connections` connections, spread over the servers in turn, for the warm-up plus `seconds`.
async fn drive(addrs: &[SocketAddr], path: &str, connections: usize, seconds: u64) -> Figures {
    let gzip = env_or("RRM_LOAD_GZIP", 1) != 0;
    let mut first = Duration::ZERO;
    for addr in addrs {
        first = first.max(one_request(*addr, path).await);
    }
    let measure_from = Instant::now() + WARM_UP;
    let end = measure_from + Duration::from_secs(seconds);
    let path: Arc<str> = path.into();
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let addr = addrs[c % addrs.len()];
            tokio::spawn(connection(addr, path.clone(), gzip, measure_from, end))
        })
        .collect();
    let mut tally = Tally::new();
    for task in tasks {
        tally.merge(&task.await.expect("a connection task"));
    }
    let measured = Instant::now().duration_since(measure_from).as_secs_f64();
    Figures {
        path: path.to_string(),
        first,
        per_second: tally.latency_us.len() as f64 / measured,
        tally,
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// Prints one line per endpoint, each against the targets.
fn report(all: &[Figures]) {
    let base = all[0].per_second;
    println!(
        "endpoint                first ms     req/s   ratio   p50 ms   p90 ms   p99 ms   max ms   \
         bytes errors  targets"
    );
    for f in all {
        let h = &f.tally.latency_us;
        let ratio = f.per_second / base;
        let p99 = ms(h.value_at_quantile(0.99));
        let missed: Vec<&str> = [(ratio < 0.5, "ratio < 0.5"), (p99 >= 20.0, "p99 >= 20 ms")]
            .into_iter()
            .filter_map(|(miss, what)| miss.then_some(what))
            .collect();
        let verdict = match missed.as_slice() {
            [] => "met".to_string(),
            m => format!("MISSED ({})", m.join(", ")),
        };
        println!(
            "{:<22} {:>9.1} {:>9.0} {:>7.3} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>6}  {verdict}",
            f.path,
            f.first.as_secs_f64() * 1000.0,
            f.per_second,
            ratio,
            ms(h.value_at_quantile(0.50)),
            ms(h.value_at_quantile(0.90)),
            p99,
            ms(h.max()),
            f.tally.bytes / h.len().max(1),
            f.tally.errors,
        );
    }
}

/// The cost of `Store::stats`, which the case index and the API call on every request to
/// learn whether their cached index is still current.
/// Mean time of `Store::stats` and of `Store::version` over 200 calls each.
fn time_stats(rrm: &Rrm) -> (Duration, Duration) {
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        rrm.store.stats().expect("store statistics");
    }
    let stats = start.elapsed() / rounds;
    let start = Instant::now();
    for _ in 0..rounds {
        rrm.store.version().expect("store version");
    }
    (stats, start.elapsed() / rounds)
}

/// What readers see right after a write: one event recorded behind the servers' back (as
/// staff or a petition would) on `case`, outside the runtime (the PostgreSQL client cannot run
/// on its workers); then `readers` readers, spread over the servers, open the index at once.
/// Returns the time until the last of them has its page.
fn after_a_write(
    rrm: &Rrm,
    client: &tokio::runtime::Runtime,
    addrs: &[SocketAddr],
    case: &str,
    readers: usize,
    settle: Duration,
) -> Duration {
    use rrm_core::event::{Event, EventBody};
    let event = Event::on(
        "2026-11-20".parse().expect("a date"),
        EventBody::ActionCompleted {
            action: "reinstatement".into(),
            evidence: vec![],
        },
    );
    let today = TODAY.parse().expect("a date");
    rrm.record(case, event, today)
        .expect("the event is recorded");
    // The write is another server's: a PostgreSQL server's caches may answer from a version
    // read up to VERSION_FRESH old, so the readers start once that has passed and must see it.
    std::thread::sleep(settle);
    client.block_on(async {
        let start = Instant::now();
        let tasks: Vec<_> = (0..readers)
            .map(|r| {
                let addr = addrs[r % addrs.len()];
                tokio::spawn(async move { one_request(addr, "/cases").await })
            })
            .collect();
        for task in tasks {
            task.await.expect("a reader");
        }
        start.elapsed()
    })
}

fn main() {
    let cases = env_or("RRM_LOAD_CASES", 10_000usize);
    let seconds = env_or("RRM_LOAD_SECONDS", 10u64);
    let connections = env_or("RRM_LOAD_CONNECTIONS", 64usize);
    let backend = match std::env::var("RRM_LOAD_DATABASE_URL") {
        Ok(url) => Backend::Postgres(Schema::create(&url)),
        Err(_) => {
            Backend::Sqlite(tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temp dir"))
        }
    };
    let start = Instant::now();
    let rrm = backend.open();
    build_store(&rrm, cases);
    println!(
        "load benchmark ({}): {cases} synthetic cases + the public record, built in {:.1?}; \
         {connections} connections, {seconds} s per endpoint after {WARM_UP:?} of warm-up; \
         {} CPUs shared by server(s), database and load generator",
        backend.name(),
        start.elapsed(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let (stats, version) = time_stats(&rrm);
    println!(
        "Store::stats: {stats:.0?} per call; Store::version (what the caches check): {version:.1?}"
    );
    // Each server has its own application, so its own store connection, caches and listing.
    let addrs: Vec<SocketAddr> = (0..backend.servers())
        .map(|_| start_server(backend.open()))
        .collect();
    let endpoints = [
        "/healthz",
        "/cases",
        "/cases/gm-silao-2021",
        "/api/v1/cases",
    ];
    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let figures: Vec<Figures> = endpoints
        .iter()
        .map(|path| client.block_on(drive(&addrs, path, connections, seconds)))
        .collect();
    report(&figures);
    // Cases 3 and 10 are in remediation with their action open (see `case_json`).
    let settle = match backend {
        Backend::Sqlite(_) => Duration::ZERO,
        Backend::Postgres(_) => rrm_store_postgres::VERSION_FRESH,
    };
    let one = after_a_write(&rrm, &client, &addrs, "load-00003", 1, settle);
    let all = after_a_write(&rrm, &client, &addrs, "load-00010", connections, settle);
    println!(
        "/cases right after a recorded event (readers starting {settle:?} after it): 1 reader \
         had the page in {one:.2?}; {connections} readers at once all had it in {all:.2?}"
    );
    // The servers' threads still hold their stores: the process ends without waiting for
    // them, and the schema is dropped behind them.
    drop(client);
    drop(rrm);
    drop(backend);
}
