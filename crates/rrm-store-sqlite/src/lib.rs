//! rrm's embedded default store: [`SqliteStore`] keeps cases in one SQLite file (WAL mode)
//! and implements [`rrm_store::Store`], passing its conformance suite.
//!
//! Invariants kept here:
//! - Every write is one transaction: a batch of new cases, or one append with the projection
//!   it produces, is stored whole or not at all, also when the process is killed mid-write.
//! - Appends take SQLite's write lock before reading the head (`begin immediate`), so two
//!   writers naming the same head cannot both succeed, even from two processes.
//! - The schema only changes through the numbered files in `src/migrations/`.
//! - File bytes are where the database's `blob_store` record says, in the database by
//!   default; opening it against another place is refused (`src/blobs/`).

mod blobs;
mod codec;
mod connection;
mod list;
mod read;
mod reminders;
mod sql_error;
mod transfer;
mod verify;
mod workspace;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use rrm_store::{
    BlobLocation, BlobPlacement, CaseFilter, CaseRow, DeadlineQuery, DeadlineRow, NewCase,
    NewEvent, Projection, Store, StoreResult, StoreStats, StoredCase, StoredEvent, VerifyReport,
};

pub use blobs::{DatabaseBlobs, MigrationReport, SweepReport};
pub use connection::{CONNECTION_PRAGMAS, SCHEMA_VERSION};

/// A [`Store`] in one SQLite database, with file bytes in it or in an external blob store.
///
/// One connection serves every call, behind a mutex: SQLite has one writer at a time anyway,
/// and the calls are short. The exception is [`Store::verify`], which on a file reads through
/// a connection of its own so that a long verification does not hold up writers.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// `None` for an in-memory database, which no second connection can see.
    path: Option<PathBuf>,
    /// Where file bytes are kept, checked against the database's record when it opened.
    blobs: BlobPlacement,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file if needed and bringing its schema up
    /// to date, with file bytes in the database. Refuses a database whose files are kept
    /// elsewhere (see [`SqliteStore::open_with_blobs`]).
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        SqliteStore::open_with_blobs(path, &|_| Ok(BlobPlacement::InDatabase))
    }

    /// Opens the database at `path` with file bytes where `choose` says. `choose` is told
    /// where the database says its files are (`database` for a new one) and returns the
    /// placement to use; a placement other than the recorded one is refused, naming both,
    /// unless the database holds no file yet (see `blobs/settle.rs` for the rules).
    pub fn open_with_blobs(
        path: &Path,
        choose: &dyn Fn(&BlobLocation) -> StoreResult<BlobPlacement>,
    ) -> StoreResult<SqliteStore> {
        let mut conn = connection::open(path)?;
        let blobs = choose(&blobs::recorded_location(&conn)?)?;
        blobs::settle(&mut conn, &blobs)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
            blobs,
        })
    }

    /// A fresh database in memory, gone when the store is dropped. For tests and trials.
    pub fn open_in_memory() -> StoreResult<SqliteStore> {
        SqliteStore::open_in_memory_with_blobs(BlobPlacement::InDatabase)
    }

    /// A fresh database in memory with its file bytes in `blobs`.
    pub fn open_in_memory_with_blobs(blobs: BlobPlacement) -> StoreResult<SqliteStore> {
        let mut conn = connection::open_in_memory()?;
        blobs::settle(&mut conn, &blobs)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: None,
            blobs,
        })
    }

    /// The database file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held dropped its transaction, which rolls back, so the
        // connection is consistent and safe to keep using.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for SqliteStore {
    fn create_cases(&self, cases: &[NewCase]) -> StoreResult<()> {
        // Hashing needs nothing from the database, so it happens before taking the lock.
        let chained = write::chain_cases(cases);
        write::create_cases(&mut self.lock(), &chained)
    }

    fn append(
        &self,
        case_id: &str,
        expected_head: u64,
        events: &[NewEvent],
        projection: &Projection,
    ) -> StoreResult<Vec<StoredEvent>> {
        write::append(&mut self.lock(), case_id, expected_head, events, projection)
    }

    fn case(&self, case_id: &str) -> StoreResult<Option<StoredCase>> {
        read::case(&self.lock(), case_id)
    }

    fn events(&self, case_id: &str) -> StoreResult<Vec<StoredEvent>> {
        read::events(&self.lock(), case_id)
    }

    fn list_cases(&self, filter: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)> {
        list::list_cases(&self.lock(), filter)
    }

    fn deadlines(&self, query: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>> {
        read::deadlines(&self.lock(), query)
    }

    fn denial_determinations(&self, facility_key: &str, excluding_case: &str) -> StoreResult<u32> {
        read::denial_determinations(&self.lock(), facility_key, excluding_case)
    }

    fn verify(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<VerifyReport> {
        match &self.path {
            Some(path) => verify::verify(&mut connection::open_reader(path)?, progress),
            None => verify::verify(&mut self.lock(), progress),
        }
    }

    fn version(&self) -> StoreResult<u64> {
        read_version(&self.lock())
    }

    fn try_version(&self) -> Option<StoreResult<u64>> {
        match self.conn.try_lock() {
            Ok(conn) => Some(read_version(&conn)),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(read_version(&p.into_inner())),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    fn stats(&self) -> StoreResult<StoreStats> {
        read::stats(&self.lock())
    }
}

/// `data_version` moves when another connection commits; `total_changes()` counts every row
/// this connection has changed (workspace writes and publication included). Both are answered
/// without touching a table.
fn read_version(conn: &rusqlite::Connection) -> StoreResult<u64> {
    let read = || -> rusqlite::Result<(i64, i64)> {
        let data: i64 = conn.query_row("pragma data_version", [], |r| r.get(0))?;
        let ours: i64 = conn.query_row("select total_changes()", [], |r| r.get(0))?;
        Ok((data, ours))
    };
    let (data, ours) = read()
        .map_err(|e| rrm_store::StoreError::Other(format!("reading the store version: {e}")))?;
    Ok(((data as u64) << 40) ^ ours as u64)
}
