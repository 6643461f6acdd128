//! Turning PostgreSQL's errors into [`StoreError`]s that say what the store was doing, and the
//! conversions between the trait's unsigned counts and PostgreSQL's signed `bigint`.
//!
//! Only two failures mean something to callers: a duplicate key (`Conflict`, decided where the
//! insert happens, from SQLSTATE 23505) and everything else, which is `Other` with context.

use postgres::error::SqlState;
use rrm_store::{Hash, StoreError, StoreResult};

/// Adds what the store was doing to a PostgreSQL error.
pub(crate) trait Context<T> {
    fn context(self, doing: &str) -> StoreResult<T>;
    fn with_context(self, doing: impl FnOnce() -> String) -> StoreResult<T>;
}

impl<T> Context<T> for Result<T, postgres::Error> {
    fn context(self, doing: &str) -> StoreResult<T> {
        self.map_err(|e| StoreError::Other(format!("{doing}: {e}")))
    }

    fn with_context(self, doing: impl FnOnce() -> String) -> StoreResult<T> {
        self.map_err(|e| StoreError::Other(format!("{}: {e}", doing())))
    }
}

/// Whether `e` is a primary key or unique constraint violation (SQLSTATE 23505).
pub(crate) fn is_duplicate_key(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// A count or position as a `bigint`; values past `i64::MAX` (only `u64::MAX` as "no limit" in
/// practice) saturate.
pub(crate) fn to_sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored `bigint` as a count or position, refusing a negative one.
pub(crate) fn from_sql_int(n: i64, what: &str) -> StoreResult<u64> {
    u64::try_from(n).map_err(|_| StoreError::Other(format!("{what}: negative number {n}")))
}

/// A stored `bytea` as a hash, refusing one of the wrong length.
pub(crate) fn hash_from(bytes: &[u8], what: &str) -> StoreResult<Hash> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Other(format!("{what}: hash of {} bytes, not 32", bytes.len())))
}

/// Column `i` of a row, as `T`; a value of another type is an error naming `what`, never a
/// panic (a database edited behind the store's back must not bring a server down).
pub(crate) fn col<'a, T: postgres::types::FromSql<'a>>(
    row: &'a postgres::Row,
    i: usize,
    what: &str,
) -> StoreResult<T> {
    row.try_get(i)
        .map_err(|e| StoreError::Other(format!("reading {what}: column {i}: {e}")))
}

/// A boolean as its bigint 0/1 column holds it (the encoding SQLite uses).
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// A stored hash column, refusing a value that is not 32 bytes.
pub(crate) fn hash_col(row: &postgres::Row, i: usize, what: &str) -> StoreResult<Hash> {
    hash_from(col::<&[u8]>(row, i, what)?, what)
}
