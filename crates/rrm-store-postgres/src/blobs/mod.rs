//! Where this store keeps file bytes ([`BlobPlacement`]): in the `blobs` table (the default,
//! so one database backup holds everything) or in an external [`rrm_store::BlobStore`], with
//! `blobs` then an index of keys and sizes whose `bytes` are null. A port of SQLite's
//! `src/blobs/mod.rs`.
//!
//! Invariants kept here (Architecture Invariant 11):
//! - Bytes are put to an external store before the transaction that writes the record naming
//!   them ([`PostgresStore::put_external`] runs before the connection is locked), so a crash
//!   leaves at most an orphan object, never a record without bytes.
//! - Network and disk I/O to an external store never happens while the connection is locked.
//! - `verify_blobs` answers the same questions for every placement: broken (rehash), missing
//!   (a record without bytes) and orphans (bytes no record names).

mod admin;
mod database;
mod settle;

pub use admin::{MigrationReport, SweepReport};

use std::collections::HashSet;

use postgres::{Client, GenericClient};

use rrm_store::{check_blobs, sha256, BlobPlacement, BlobReport, Hash, StoreResult};

use crate::error::{col, hash_col, hash_from, to_sql_int, Context};
use crate::PostgresStore;

pub use database::DatabaseBlobs;

/// Records file bytes in `blobs` inside the caller's transaction and returns their key: the
/// bytes themselves when they live in the database, only the key and size when an external
/// store already holds them. A key recorded without bytes gets them (a file stored again).
/// Refused if another server moved the files since this one connected (`settle::still_at`).
pub(crate) fn index_blob(
    tx: &mut impl GenericClient,
    placement: &BlobPlacement,
    bytes: &[u8],
) -> StoreResult<Hash> {
    settle::still_at(tx, placement)?;
    let hash = sha256(bytes);
    let size = to_sql_int(bytes.len() as u64);
    let (sql, value) = match placement {
        BlobPlacement::InDatabase => (
            "insert into blobs (sha256, size, bytes) values ($1, $2, $3) \
             on conflict (sha256) do update set bytes = excluded.bytes \
             where blobs.bytes is null",
            Some(bytes),
        ),
        BlobPlacement::External(_) => (
            "insert into blobs (sha256, size, bytes) values ($1, $2, $3) \
             on conflict (sha256) do nothing",
            None,
        ),
    };
    tx.execute(sql, &[&&hash[..], &size, &value])
        .context("storing file bytes")?;
    Ok(hash)
}

/// Whether `blobs` has a row for `key`, and its bytes if they are in the database.
pub(crate) fn indexed(client: &mut Client, key: &Hash) -> StoreResult<Option<Option<Vec<u8>>>> {
    let row = client
        .query_opt("select bytes from blobs where sha256 = $1", &[&&key[..]])
        .context("reading file bytes")?;
    row.map(|r| col(&r, 0, "a stored file")).transpose()
}

/// Every key `blobs` has.
pub(crate) fn indexed_keys(client: &mut Client) -> StoreResult<Vec<Hash>> {
    let rows = client
        .query("select sha256 from blobs order by id", &[])
        .context("listing stored files")?;
    rows.iter()
        .map(|r| hash_col(r, 0, "a stored file's key"))
        .collect()
}

/// Keys that file records name but `blobs` lacks (the foreign keys make it impossible, unless
/// the database was edited behind the store's back).
fn unindexed_records(client: &mut Client) -> StoreResult<Vec<Hash>> {
    let sql = "select sha256 from evidence_files where sha256 not in (select sha256 from blobs) \
               union select sha256 from documents where sha256 not in (select sha256 from blobs)";
    let rows = client.query(sql, &[]).context("checking file records")?;
    rows.iter()
        .map(|r| hash_col(r, 0, "a file record's key"))
        .collect()
}

/// Rows of `blobs` no file record names: orphans of the database placement (only an edit
/// behind the store's back makes them; writes there are transactional).
fn unreferenced_rows(client: &mut Client) -> StoreResult<Vec<Hash>> {
    let sql = "select sha256 from blobs where sha256 not in \
               (select sha256 from evidence_files union select sha256 from documents) \
               order by id";
    let rows = client
        .query(sql, &[])
        .context("looking for unreferenced files")?;
    rows.iter()
        .map(|r| hash_col(r, 0, "a stored file's key"))
        .collect()
}

/// Rehashes every blob kept in the database, one at a time (a row's bytes are at most a few
/// MiB; reading them all at once could be gigabytes); a row whose bytes are gone is missing.
fn verify_in_database(
    client: &mut Client,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<BlobReport> {
    let doing = "checking stored files";
    let mut report = BlobReport::default();
    let ids = client
        .query("select id from blobs order by id", &[])
        .context(doing)?;
    for id in &ids {
        let id: i64 = col(id, 0, "a stored file")?;
        let Some(row) = client
            .query_opt("select sha256, bytes from blobs where id = $1", &[&id])
            .context(doing)?
        else {
            continue; // deleted meanwhile
        };
        let key = hash_from(col(&row, 0, "a stored file's key")?, "a stored file's key")?;
        let Some(bytes) = col::<Option<&[u8]>>(&row, 1, "a stored file")? else {
            report.missing.push(key);
            continue;
        };
        report.blobs += 1;
        report.bytes += bytes.len() as u64;
        if sha256(bytes) != key {
            report.broken.push(key);
        }
        progress(report.blobs);
    }
    report.orphans = unreferenced_rows(client)?;
    Ok(report)
}

impl PostgresStore {
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
        let Some(in_database) = indexed(&mut self.lock(), key)? else {
            return Ok(None);
        };
        match &self.blobs {
            BlobPlacement::InDatabase => Ok(in_database),
            // The lock is released: the external read may be slow.
            BlobPlacement::External(store) => store.get(key),
        }
    }

    pub(crate) fn check_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        let store = match &self.blobs {
            BlobPlacement::InDatabase => {
                let mut client = self.lock();
                let mut report = verify_in_database(&mut client, progress)?;
                report.missing.extend(unindexed_records(&mut client)?);
                return Ok(report);
            }
            BlobPlacement::External(store) => store,
        };
        let (keys, unindexed) = {
            let mut client = self.lock();
            (indexed_keys(&mut client)?, unindexed_records(&mut client)?)
        };
        let referenced: HashSet<Hash> = keys.into_iter().collect();
        let mut report = check_blobs(store.as_ref(), &referenced, progress)?;
        report.missing.extend(unindexed);
        Ok(report)
    }
}
