//! Where this store keeps file bytes ([`BlobPlacement`]): in the `blobs` table (the default,
//! so a backup is one file) or in an external [`rrm_store::BlobStore`], with `blobs` then an
//! index of keys and sizes whose `bytes` are null.
//!
//! Invariants kept here:
//! - Bytes are written to an external store before the transaction that writes the record
//!   naming them ([`SqliteStore::put_external`] runs before the connection is locked), so a
//!   crash leaves at most an orphan object, never a record without bytes.
//! - Network and disk I/O to an external store never happens while the connection is locked.
//! - `verify_blobs` answers the same questions for every placement: broken (rehash), missing
//!   (a record without bytes) and orphans (bytes no record names).

mod admin;
mod database;
mod settle;

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};

use rrm_store::{check_blobs, sha256, BlobPlacement, BlobReport, Hash, StoreResult};

use crate::codec::{hash_from, to_sql_int, AnyBytes};
use crate::sql_error::Context;
use crate::SqliteStore;

pub use admin::{MigrationReport, SweepReport};
pub use database::DatabaseBlobs;
pub(crate) use settle::{recorded_location, settle};

/// Records file bytes in `blobs` inside the caller's transaction and returns their key: the
/// bytes themselves when they live in the database, only the key and size when an external
/// store already holds them. A key recorded without bytes gets them (a file stored again).
pub(crate) fn index_blob(
    conn: &Connection,
    placement: &BlobPlacement,
    bytes: &[u8],
) -> StoreResult<Hash> {
    let hash = sha256(bytes);
    let size = to_sql_int(bytes.len() as u64);
    let (sql, value) = match placement {
        BlobPlacement::InDatabase => (
            "insert into blobs (sha256, size, bytes) values (?1, ?2, ?3) \
             on conflict (sha256) do update set bytes = excluded.bytes where bytes is null",
            Some(bytes),
        ),
        BlobPlacement::External(_) => (
            "insert or ignore into blobs (sha256, size, bytes) values (?1, ?2, ?3)",
            None,
        ),
    };
    conn.prepare_cached(sql)
        .context("preparing to store file bytes")?
        .execute(params![&hash[..], size, value])
        .context("storing file bytes")?;
    Ok(hash)
}

/// Whether `blobs` has a row for `key`, and its bytes if they are in the database.
fn indexed(conn: &Connection, key: &Hash) -> StoreResult<Option<Option<Vec<u8>>>> {
    let found: Option<Option<AnyBytes>> = conn
        .prepare_cached("select bytes from blobs where sha256 = ?1")
        .context("reading file bytes")?
        .query_row([&key[..]], |r| r.get(0))
        .optional()
        .context("reading file bytes")?;
    Ok(found.map(|bytes| bytes.map(|b| b.0)))
}

/// Every key `blobs` has.
pub(crate) fn indexed_keys(conn: &Connection) -> StoreResult<Vec<Hash>> {
    let doing = "listing stored files";
    let mut stmt = conn
        .prepare("select sha256 from blobs order by id")
        .context(doing)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .context(doing)?;
    rows.map(|key| hash_from(&key.context(doing)?, "a stored file's key"))
        .collect()
}

/// Keys file records name that `blobs` lacks (the schema's references should make it
/// impossible, unless the database was edited behind the store's back).
fn unindexed_records(conn: &Connection) -> StoreResult<Vec<Hash>> {
    let doing = "checking file records";
    let sql = "select sha256 from evidence_files where sha256 not in (select sha256 from blobs) \
               union select sha256 from documents where sha256 not in (select sha256 from blobs)";
    let mut stmt = conn.prepare(sql).context(doing)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .context(doing)?;
    rows.map(|key| hash_from(&key.context(doing)?, "a file record's key"))
        .collect()
}

/// Rows of `blobs` no file record names: orphans of the database placement (only an edit
/// behind the store's back makes them; writes there are transactional).
fn unreferenced_rows(conn: &Connection) -> StoreResult<Vec<Hash>> {
    let doing = "looking for unreferenced files";
    let sql = "select sha256 from blobs where sha256 not in \
               (select sha256 from evidence_files union select sha256 from documents)";
    let mut stmt = conn.prepare(sql).context(doing)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .context(doing)?;
    rows.map(|key| hash_from(&key.context(doing)?, "a stored file's key"))
        .collect()
}

/// Rehashes every blob kept in the database; a row whose bytes are gone is missing.
fn verify_in_database(conn: &Connection, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
    let doing = "checking stored files";
    let mut report = BlobReport::default();
    let mut stmt = conn
        .prepare("select sha256, bytes from blobs order by id")
        .context(doing)?;
    let mut rows = stmt.query([]).context(doing)?;
    while let Some(row) = rows.next().context(doing)? {
        let key = hash_from(
            &row.get::<_, Vec<u8>>(0).context(doing)?,
            "a stored file's key",
        )?;
        // Read as any bytes: a value rewritten as text behind the store's back is reported
        // as a broken file, not as an error that stops the check.
        let Some(bytes) = row.get::<_, Option<AnyBytes>>(1).context(doing)? else {
            report.missing.push(key);
            continue;
        };
        report.blobs += 1;
        report.bytes += bytes.0.len() as u64;
        if sha256(&bytes.0) != key {
            report.broken.push(key);
        }
        progress(report.blobs);
    }
    report.orphans = unreferenced_rows(conn)?;
    Ok(report)
}

impl SqliteStore {
    /// Stores each file's bytes in the external store, if there is one, before any record
    /// names them. Called without the connection locked.
    pub(crate) fn put_external<'a>(
        &self,
        files: impl IntoIterator<Item = &'a [u8]>,
    ) -> StoreResult<()> {
        if let BlobPlacement::External(store) = &self.blobs {
            for bytes in files {
                store.put(bytes)?;
            }
        }
        Ok(())
    }

    /// The bytes stored under `key`, if a file record's blob has that key.
    pub(crate) fn read_blob(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>> {
        let Some(in_database) = indexed(&self.lock(), key)? else {
            return Ok(None);
        };
        match &self.blobs {
            BlobPlacement::InDatabase => Ok(in_database),
            BlobPlacement::External(store) => store.get(key),
        }
    }

    pub(crate) fn check_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        let store = match &self.blobs {
            BlobPlacement::InDatabase => {
                let conn = self.lock();
                let mut report = verify_in_database(&conn, progress)?;
                report.missing.extend(unindexed_records(&conn)?);
                return Ok(report);
            }
            BlobPlacement::External(store) => store,
        };
        let (keys, unindexed) = {
            let conn = self.lock();
            (indexed_keys(&conn)?, unindexed_records(&conn)?)
        };
        let referenced: HashSet<Hash> = keys.into_iter().collect();
        let mut report = check_blobs(store.as_ref(), &referenced, progress)?;
        report.missing.extend(unindexed);
        Ok(report)
    }
}
