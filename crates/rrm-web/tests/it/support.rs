//! `TestApp`: the real application on 127.0.0.1:0 over a fresh database — a SQLite file in a
//! temp dir, or with `RRM_TEST_BACKEND=postgres` a fresh PostgreSQL schema (`rrm-testkit`) —
//! loaded with the shipped public record plus any case files a test adds.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rrm_app::{public_record, ImportSource, Rrm};
use rrm_search::Indexer;
use rrm_store::{BlobPlacement, BlobStore};
pub use rrm_testkit::TestDatabase;
use rrm_web::AppState;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The date every test runs on, unless it says otherwise.
pub const TODAY: &str = "2026-11-23";

/// Noon UTC of a day: the test server's "now" on its "today".
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// The application the server runs, for tests that write behind its back.
    pub rrm: Rrm,
    pub client: reqwest::Client,
    /// The server's "now": noon of "today" until a test moves it.
    clock: Arc<Mutex<DateTime<Utc>>>,
    /// Each staff member's authenticator secret, as their app would keep it after enrolling.
    pub authenticators: Mutex<HashMap<String, Vec<u8>>>,
    /// The search indexes the server uses (`public/` and `staff/` below it).
    pub search_dir: std::path::PathBuf,
    /// The database the server's store is on, for tests that tamper with it.
    pub database: TestDatabase,
    /// Where file bytes are kept, when not in the database.
    pub blob_store: Option<Arc<dyn BlobStore>>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct TestAppBuilder {
    extra: Vec<ImportSource>,
    today: Option<NaiveDate>,
    secure_cookies: bool,
    trusted_proxies: Vec<String>,
    without_master_key: bool,
    files: Files,
}

/// Where a test app keeps file bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Files {
    /// In the database (the default).
    #[default]
    Database,
    /// In `DATA/files`, inside the data directory the canary at rest reads.
    Directory,
    /// In a fresh bucket on the test S3 server, under the prefix `rrm`.
    S3,
}

impl TestAppBuilder {
    /// Adds a case file (JSON text) to the record.
    pub fn with_case(mut self, name: &str, json: &str) -> Self {
        self.extra.push(ImportSource {
            name: name.to_string(),
            text: json.to_string(),
        });
        self
    }

    pub fn today(mut self, date: &str) -> Self {
        self.today = Some(date.parse().unwrap());
        self
    }

    /// Keeps file bytes in a directory or S3 instead of the database.
    pub fn files_in(mut self, files: Files) -> Self {
        self.files = files;
        self
    }

    /// Serves without a master key: confidential data is unavailable.
    pub fn without_master_key(mut self) -> Self {
        self.without_master_key = true;
        self
    }

    /// Serves as if behind HTTPS (`--secure-cookies`).
    pub fn secure_cookies(mut self) -> Self {
        self.secure_cookies = true;
        self
    }

    /// Trusts `X-Forwarded-For` from these peers (`--trusted-proxy`).
    pub fn trusted_proxy(mut self, range: &str) -> Self {
        self.trusted_proxies.push(range.to_string());
        self
    }

    pub async fn spawn(self) -> TestApp {
        capture_logs();
        let dir = tempfile::tempdir().unwrap();
        let blob_store = external_files(self.files, dir.path());
        let placement = match &blob_store {
            Some(store) => BlobPlacement::External(store.clone()),
            None => BlobPlacement::InDatabase,
        };
        let database = TestDatabase::at(&dir.path().join("rrm.db"));
        let procedures = rrm_core::procedure::shipped().unwrap();
        let store = database.store_with_blobs(placement);
        let search_dir = dir.path().join("search-index");
        let indexer = Arc::new(Indexer::open(&search_dir).unwrap());
        let mut rrm = store.rrm(Arc::new(procedures));
        if !self.without_master_key {
            rrm = rrm.with_master_key(rrm_app::vault::MasterKey::generate().unwrap());
        }
        let rrm = rrm.with_listener(indexer.clone());
        let mut sources = public_record();
        sources.extend(self.extra);
        let today = self.today.unwrap_or_else(|| TODAY.parse().unwrap());
        rrm.import_all(&sources, noon(today)).unwrap();
        rrm.ensure_intake_team(noon(today)).unwrap();
        indexer.rebuild(&rrm, |_, _| {}).unwrap();
        let clock = Arc::new(Mutex::new(noon(today)));
        let now = clock.clone();
        let state = AppState {
            rrm: store.for_server(&rrm),
            today: Arc::new(move || today),
            now: Arc::new(move || *now.lock().unwrap()),
            secure_cookies: self.secure_cookies,
            trusted_proxies: rrm_web::TrustedProxies::parse(&self.trusted_proxies).unwrap(),
            search: Some(indexer.clone()),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(rrm_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            rrm,
            search_dir,
            database,
            blob_store,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            clock,
            authenticators: Mutex::default(),
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
        }
    }
}

/// The external blob store for `files`, if the bytes are not to be kept in the database.
fn external_files(files: Files, data: &std::path::Path) -> Option<Arc<dyn BlobStore>> {
    use rrm_blobs::test_support::{fresh_bucket, s3_settings};
    match files {
        Files::Database => None,
        Files::Directory => Some(Arc::new(
            rrm_blobs::DirBlobStore::open(&data.join("files")).unwrap(),
        )),
        Files::S3 => Some(Arc::new(
            rrm_blobs::S3BlobStore::open(&fresh_bucket(), "rrm", &s3_settings()).unwrap(),
        )),
    }
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// The shipped public record, served as of [`TODAY`].
    pub async fn spawn() -> TestApp {
        TestApp::builder().spawn().await
    }

    /// The server's "now".
    pub fn now(&self) -> DateTime<Utc> {
        *self.clock.lock().unwrap()
    }

    /// Moves the server's clock forward (a new TOTP step every 30 seconds).
    pub fn advance(&self, by: Duration) {
        *self.clock.lock().unwrap() += by;
    }

    /// The data directory the server's store and search indexes live in.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET with one extra request header.
    pub async fn get_with(&self, path: &str, header: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(header, value)
            .send()
            .await
            .unwrap()
    }

    /// The body of a GET that must succeed.
    pub async fn text(&self, path: &str) -> String {
        let r = self.get(path).await;
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_eq!(
            status,
            200,
            "GET {path}: {body}\n--- recent logs ---\n{}",
            recent_logs()
        );
        body
    }

    pub async fn json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// Signals shutdown and waits for the server to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.server.take().unwrap().await.unwrap()
    }
}

/// Every log line any test app wrote, for the logging tests. One global subscriber, because
/// request spans run on the runtime's worker threads.
pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.get_or_init(Default::default).lock().unwrap()).into_owned()
}

/// The last lines of the log, to explain a failure.
pub fn recent_logs() -> String {
    let all = logs();
    let lines: Vec<&str> = all.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let sink = Sink(LOGS.get_or_init(Default::default).clone());
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}
