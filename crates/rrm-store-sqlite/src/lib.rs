//! rrm's embedded default store: [`SqliteStore`] keeps cases in one SQLite file (WAL mode)
//! and implements [`rrm_store::Store`], passing its conformance suite.
//!
//! Invariants kept here:
//! - Every write is one transaction: a batch of new cases, or one append with the projection
//!   it produces, is stored whole or not at all, also when the process is killed mid-write.
//! - Appends take SQLite's write lock before reading the head (`begin immediate`), so two
//!   writers naming the same head cannot both succeed, even from two processes.
//! - The schema only changes through the numbered files in `src/migrations/`.

mod codec;
mod connection;
mod list;
mod read;
mod sql_error;
mod verify;
mod workspace;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use rrm_store::{
    CaseFilter, CaseRow, DeadlineQuery, DeadlineRow, NewCase, NewEvent, Projection, Store,
    StoreResult, StoreStats, StoredCase, StoredEvent, VerifyReport,
};

pub use connection::{CONNECTION_PRAGMAS, SCHEMA_VERSION};

/// A [`Store`] in one SQLite database.
///
/// One connection serves every call, behind a mutex: SQLite has one writer at a time anyway,
/// and the calls are short. The exception is [`Store::verify`], which on a file reads through
/// a connection of its own so that a long verification does not hold up writers.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// `None` for an in-memory database, which no second connection can see.
    path: Option<PathBuf>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file if needed and bringing its schema up
    /// to date.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let conn = connection::open(path)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
        })
    }

    /// A fresh database in memory, gone when the store is dropped. For tests and trials.
    pub fn open_in_memory() -> StoreResult<SqliteStore> {
        let conn = connection::open_in_memory()?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: None,
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
