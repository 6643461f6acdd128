//! What the tests share: a store in a fresh temporary directory, a raw connection to its file
//! for editing rows behind the store's back, and small synthetic cases.

use std::path::{Path, PathBuf};

use rrm_store::{CaseHeader, NewCase, NewEvent, Projection};
use rrm_store_sqlite::SqliteStore;
use tempfile::TempDir;

/// A store on disk in its own directory, removed when dropped.
pub struct DiskStore {
    pub store: SqliteStore,
    pub path: PathBuf,
    _dir: TempDir,
}

impl DiskStore {
    pub fn new() -> DiskStore {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rrm.db");
        DiskStore {
            store: SqliteStore::open(&path).unwrap(),
            path,
            _dir: dir,
        }
    }

    /// A plain connection to the same file, without the store's checks: foreign keys off, as
    /// a tamperer's would be.
    pub fn raw(&self) -> rusqlite::Connection {
        raw(&self.path)
    }
}

pub fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    // The bundled SQLite turns foreign keys on by default.
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn
}

/// A case of `n` events whose header document records `n`, so a reader can tell whether the
/// case is whole without knowing how it was written.
pub fn counted_case(id: &str, n: usize) -> NewCase {
    NewCase {
        header: CaseHeader {
            id: id.to_string(),
            procedure: "usmca-31a".to_string(),
            facility_key: None,
            document: format!(r#"{{"id":"{id}","expected_events":{n}}}"#),
        },
        events: (1..=n).map(|seq| synthetic_event(id, seq)).collect(),
        projection: Projection {
            stage: "awaiting_answer".to_string(),
            ..Projection::default()
        },
    }
}

fn synthetic_event(id: &str, seq: usize) -> NewEvent {
    let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(seq as u64)));
    NewEvent {
        kind: "petition_filed".to_string(),
        date,
        payload: format!(
            r#"{{"kind":"petition_filed","date":"{}","note":"event {seq} of {id}"}}"#,
            date.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// The event count a case's header document records (see [`counted_case`]).
pub fn expected_events(document: &str) -> usize {
    let (_, rest) = document
        .split_once(r#""expected_events":"#)
        .expect("a counted case");
    rest.trim_end_matches('}').parse().expect("a count")
}

/// Puts one evidence file of `content` on case `case_id` (created if needed); its stored key.
pub fn add_file(store: &SqliteStore, case_id: &str, content: &[u8]) -> rrm_store::Hash {
    use rrm_store::{EvidenceOwner, NewFile, Sealed, Store, Workspace};
    if store.case(case_id).unwrap().is_none() {
        store.create_cases(&[counted_case(case_id, 1)]).unwrap();
    }
    let file = NewFile {
        file_name: Sealed(b"sealed name".to_vec()),
        declared_type: "application/pdf".into(),
        sniffed_type: "application/pdf".into(),
        content_sha256: rrm_store::sha256(content),
        size: content.len() as u64,
        bytes: content.to_vec(),
        created: chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
    };
    let owner = EvidenceOwner::Case(case_id.into());
    store
        .add_evidence(&owner, &file, &[])
        .unwrap()
        .stored_sha256
}

/// Opens `path` with files in the directory `dir`.
pub fn open_with_dir(path: &Path, dir: &Path) -> rrm_store::StoreResult<SqliteStore> {
    let dir = dir.to_path_buf();
    SqliteStore::open_with_blobs(path, &move |_| {
        let store = rrm_blobs::DirBlobStore::open(&dir)?;
        Ok(rrm_store::BlobPlacement::External(std::sync::Arc::new(
            store,
        )))
    })
}
