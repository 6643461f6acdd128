//! What every test module shares: the test server and a fresh schema per test.
//!
//! The server is `RRM_TEST_DATABASE_URL`, or `postgres://postgres@127.0.0.1:5432/test`. A test
//! that cannot reach it fails, saying so: a skipped backend would pass for a tested one. Each
//! test works in a schema of its own (`rrm_test_<pid>_<n>`), dropped when it ends.

use std::cell::RefCell;

use rrm_store::BlobPlacement;
use rrm_store_postgres::PostgresStore;

/// The one definition every crate's PostgreSQL tests share (feature `test-support`).
pub use rrm_store_postgres::test_support::TestSchema as Schema;

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
