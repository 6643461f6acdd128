//! What every test module shares: the test server and a fresh schema per test.
//!
//! The server is `RRM_TEST_DATABASE_URL`, or `postgres://postgres@127.0.0.1:5432/test`. A test
//! that cannot reach it fails, saying so: a skipped backend would pass for a tested one. Each
//! test works in a schema of its own (`rrm_test_<pid>_<n>`), dropped when it ends.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

use rrm_store::BlobPlacement;
use rrm_store_postgres::PostgresStore;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn server_url() -> String {
    std::env::var("RRM_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

pub fn admin() -> Client {
    let url = server_url();
    Client::connect(&url, NoTls).unwrap_or_else(|e| {
        panic!(
            "cannot connect to the test PostgreSQL server at {url}: {e}\n\
             start one, or set RRM_TEST_DATABASE_URL to a server where this user may create \
             schemas"
        )
    })
}

/// A fresh schema, dropped with everything in it when this value is.
pub struct Schema {
    pub name: String,
}

impl Schema {
    pub fn new() -> Schema {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("rrm_test_{}_{n}", std::process::id());
        admin()
            .batch_execute(&format!(
                "drop schema if exists {name} cascade; create schema {name}"
            ))
            .unwrap();
        Schema { name }
    }

    /// The server url with this schema as the search path.
    pub fn url(&self) -> String {
        let url = server_url();
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}options=-csearch_path%3D{}", self.name)
    }

    pub fn store(&self) -> PostgresStore {
        PostgresStore::connect(&self.url()).unwrap()
    }

    /// Runs SQL in this schema, behind the store's back.
    pub fn sql(&self, sql: &str) {
        let mut client = Client::connect(&self.url(), NoTls).unwrap();
        client.batch_execute(sql).unwrap();
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let drop = format!("drop schema if exists {} cascade", self.name);
        // A failed drop leaves a schema behind, which the next run's name never reuses.
        if let Ok(mut client) = Client::connect(&server_url(), NoTls) {
            let _ = client.batch_execute(&drop);
        }
    }
}

impl Schema {
    /// A store on this schema with its file bytes in `blobs`.
    pub fn store_with(&self, blobs: BlobPlacement) -> PostgresStore {
        PostgresStore::connect_with_blobs(&self.url(), &|_| Ok(blobs.clone())).unwrap()
    }

    /// Runs a query in this schema behind the store's back and returns its single `bigint`.
    pub fn count(&self, sql: &str) -> i64 {
        let mut client = Client::connect(&self.url(), NoTls).unwrap();
        client.query_one(sql, &[]).unwrap().get(0)
    }
}

/// Fresh stores for a conformance suite, each on its own schema, the schemas kept (and
/// dropped) with this value so that they outlive the stores.
#[derive(Default)]
pub struct Fresh {
    schemas: RefCell<Vec<Schema>>,
}

impl Fresh {
    pub fn store(&self) -> PostgresStore {
        self.store_with(BlobPlacement::InDatabase)
    }

    pub fn store_with(&self, blobs: BlobPlacement) -> PostgresStore {
        let schema = Schema::new();
        let store = schema.store_with(blobs);
        self.schemas.borrow_mut().push(schema);
        store
    }
}

/// An instant of these tests.
pub fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

/// An audit entry about `subject`.
pub fn entry(subject: &str) -> rrm_store::NewAuditEntry {
    rrm_store::NewAuditEntry {
        at: at("2026-12-01T10:00:00Z"),
        actor: "user:1".into(),
        action: "file_received".into(),
        case_id: None,
        subject: subject.into(),
        detail: "{}".into(),
    }
}

/// An evidence file whose stored bytes are `content` (the store never looks inside).
pub fn file(name: &str, content: &[u8]) -> rrm_store::NewFile {
    rrm_store::NewFile {
        file_name: rrm_store::Sealed(name.as_bytes().to_vec()),
        declared_type: "application/pdf".into(),
        sniffed_type: "application/pdf".into(),
        content_sha256: rrm_store::sha256(content),
        size: content.len() as u64,
        bytes: content.to_vec(),
        created: at("2026-12-01T10:00:00Z"),
    }
}

/// The submission of a petition that opens `case_id`.
pub fn submission(receipt: &str, case_id: &str) -> rrm_store::NewSubmission {
    rrm_store::NewSubmission {
        receipt: receipt.into(),
        secret_hash: rrm_store::Confidential::new("$argon2id$v=19$secret".into()),
        case_id: case_id.into(),
        content: rrm_store::Sealed(b"sealed narrative".to_vec()),
        created: at("2026-12-01T10:00:00Z"),
    }
}
