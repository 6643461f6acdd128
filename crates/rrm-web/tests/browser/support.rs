//! `TestApp` for the browser tests: the real application on 127.0.0.1:0 over a fresh database
//! (a SQLite file in a temp dir, or a PostgreSQL schema with `RRM_TEST_BACKEND=postgres`), loaded with the shipped public record plus any case files a test adds.
//!
//! A trimmed copy of `tests/it/support.rs` (integration test binaries cannot share modules):
//! the browser, not an HTTP client, is what talks to this server.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rrm_app::{public_record, ImportSource, Rrm};
use rrm_store::{Confidential, Role};
use rrm_testkit::TestDatabase;
use rrm_web::AppState;
use tokio::sync::oneshot;

/// The date every test runs on, unless it says otherwise (the same as the `it` tests).
pub const TODAY: &str = "2026-11-23";

/// Noon on a day, as the server's "now".
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).expect("noon exists").and_utc()
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// The application the server runs, for tests that prepare data behind its back.
    pub rrm: Rrm,
    _shutdown: oneshot::Sender<()>,
    _dir: tempfile::TempDir,
    _database: TestDatabase,
}

/// A password every test user has; it meets the rules.
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Default)]
pub struct TestAppBuilder {
    extra: Vec<ImportSource>,
    staff: Vec<(String, Role)>,
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

    /// Adds a staff user with [`PASSWORD`], created through `rrm_app` before the server starts.
    pub fn with_staff(mut self, email: &str, role: Role) -> Self {
        self.staff.push((email.to_string(), role));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::at(&dir.path().join("rrm.db"));
        let procedures = rrm_core::procedure::shipped().unwrap();
        let indexer = Arc::new(rrm_search::Indexer::in_memory().unwrap());
        let store = database.store();
        let rrm = store
            .rrm(Arc::new(procedures))
            .with_master_key(rrm_app::vault::MasterKey::generate().unwrap())
            .with_listener(indexer.clone());
        let mut sources = public_record();
        sources.extend(self.extra);
        rrm.import_all(&sources, noon(TODAY.parse().unwrap()))
            .unwrap();
        indexer.rebuild(&rrm, |_, _| {}).unwrap();
        let today: NaiveDate = TODAY.parse().unwrap();
        let password = Confidential::new(PASSWORD.to_string());
        rrm.ensure_intake_team(noon(today)).unwrap();
        for (email, role) in self.staff {
            let user = rrm
                .add_user(&email, "Test Staff", role, &password, noon(today))
                .unwrap();
            rrm.set_team_member(
                rrm_app::Actor::Operator,
                rrm_app::DEFAULT_TEAM,
                &user,
                true,
                noon(today),
            )
            .unwrap();
        }
        let state = AppState {
            rrm: store.for_server(&rrm),
            today: Arc::new(move || today),
            now: Arc::new(move || noon(today)),
            secure_cookies: false,
            trusted_proxies: Default::default(),
            search: Some(indexer),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(rrm_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            rrm,
            _shutdown: tx,
            _dir: dir,
            _database: database,
        }
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

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A JSON document from the API, to compare what the browser shows with what the data says.
    pub async fn json(&self, path: &str) -> serde_json::Value {
        let r = reqwest::get(format!("{}{path}", self.base()))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }
}
