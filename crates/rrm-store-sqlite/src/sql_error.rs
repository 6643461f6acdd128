//! Turning SQLite's errors into [`StoreError`]s that say what the store was doing.
//!
//! Only two SQLite failures mean something to callers: a duplicate case id (`Conflict`, decided
//! where the insert happens) and everything else, which is `Other` with context.

use rrm_store::{StoreError, StoreResult};

/// Adds what the store was doing to a SQLite error.
pub(crate) trait Context<T> {
    fn context(self, doing: &str) -> StoreResult<T>;
    fn with_context(self, doing: impl FnOnce() -> String) -> StoreResult<T>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn context(self, doing: &str) -> StoreResult<T> {
        self.map_err(|e| StoreError::Other(format!("{doing}: {e}")))
    }

    fn with_context(self, doing: impl FnOnce() -> String) -> StoreResult<T> {
        self.map_err(|e| StoreError::Other(format!("{}: {e}", doing())))
    }
}

/// Whether `e` is a primary key or unique constraint violation.
pub(crate) fn is_duplicate_key(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || f.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}
