//! Looking after file bytes: moving them between placements (`rrm blobs migrate`) and
//! deleting orphans (`rrm blobs sweep`), with the same shape as SQLite's store so the command
//! line drives either backend.
//!
//! Invariants kept here:
//! - A migration holds the database's write lock (`crate::version::begin_write`) from start
//!   to end, so no file record is committed meanwhile; it copies every file, reads each back
//!   and checks its hash, and only then, in the same transaction, switches the record (and
//!   empties the table's bytes when they leave the database). Until that commit the old place
//!   is authoritative; the old place's copies are left where they were.
//! - A sweep deletes only objects that no record names and that were last written before a
//!   cut-off, since a young orphan may be a file whose record is being committed.

use std::cell::RefCell;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use postgres::{GenericClient, Transaction};

use rrm_store::{
    claim, copy_blobs, key_hex, orphans, sha256, BlobLocation, BlobPlacement, BlobRecord, Hash,
    StoreError, StoreResult,
};

use super::settle::{new_store_id, record, write_record};
use crate::error::{col, hash_col, Context};
use crate::version::begin_write;
use crate::PostgresStore;

/// What a migration moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub from: BlobLocation,
    pub to: BlobLocation,
    pub files: u64,
}

/// What a sweep deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SweepReport {
    pub deleted: Vec<Hash>,
}

impl PostgresStore {
    /// Moves every file to `to`, verified, and returns the store on it. Refuses a target that
    /// is where the files already are, or that another installation marked.
    pub fn migrate_blobs(
        mut self,
        to: BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> StoreResult<(PostgresStore, MigrationReport)> {
        let from = self.blobs.location();
        let target = to.location();
        if from == target {
            return Err(StoreError::Other(format!(
                "the files are already in `{from}`"
            )));
        }
        let files = {
            let mut client = self.lock();
            let tx = begin_write(&mut client, "moving files")?;
            let tx = RefCell::new(tx);
            let files = move_files(&tx, &self.blobs, &to, progress)?;
            tx.into_inner()
                .commit()
                .context("committing the move of files")?;
            files
        };
        self.blobs = to;
        let report = MigrationReport {
            from,
            to: target,
            files,
        };
        Ok((self, report))
    }

    /// Deletes orphans last written before `older_than`: objects of an external store that
    /// no record names, or rows of `blobs` no record names (which only an edit behind the
    /// store's back makes: writes to the table are transactional, so no age is needed).
    pub fn sweep_orphan_blobs(&self, older_than: DateTime<Utc>) -> StoreResult<SweepReport> {
        let BlobPlacement::External(store) = &self.blobs else {
            let mut client = self.lock();
            let mut tx = begin_write(&mut client, "deleting unreferenced files")?;
            let rows = tx
                .query(
                    &format!("delete from blobs where {UNREFERENCED} returning sha256"),
                    &[],
                )
                .context("deleting unreferenced files")?;
            let mut deleted = keys_of(&rows)?;
            tx.commit().context("committing deleted files")?;
            deleted.sort_unstable();
            return Ok(SweepReport { deleted });
        };
        let referenced: HashSet<Hash> = indexed_keys(&mut *self.lock())?.into_iter().collect();
        let mut report = SweepReport::default();
        // Listed and deleted without the connection locked: a walk of a bucket is slow.
        for key in orphans(store.as_ref(), &referenced, older_than)? {
            // A record may have been committed since the keys were read.
            if indexed(&mut *self.lock(), &key)?.is_none() && store.delete(&key)? {
                report.deleted.push(key);
            }
        }
        Ok(report)
    }
}

/// Rows of `blobs` that no file record names.
const UNREFERENCED: &str =
    "not exists (select 1 from evidence_files e where e.sha256 = blobs.sha256) \
     and not exists (select 1 from documents d where d.sha256 = blobs.sha256)";

fn keys_of(rows: &[postgres::Row]) -> StoreResult<Vec<Hash>> {
    rows.iter()
        .map(|r| hash_col(r, 0, "a stored file's key"))
        .collect()
}

/// Every key `blobs` has, in the order they were first stored.
fn indexed_keys(client: &mut impl GenericClient) -> StoreResult<Vec<Hash>> {
    let rows = client
        .query("select sha256 from blobs order by id", &[])
        .context("listing stored files")?;
    keys_of(&rows)
}

/// Whether `blobs` has a row for `key`, and its bytes if they are in the database.
fn indexed(client: &mut impl GenericClient, key: &Hash) -> StoreResult<Option<Option<Vec<u8>>>> {
    let row = client
        .query_opt("select bytes from blobs where sha256 = $1", &[&&key[..]])
        .context("reading file bytes")?;
    row.map(|r| col(&r, 0, "a stored file")).transpose()
}

/// Copies and checks every file into `to` and switches the record, inside `tx`.
fn move_files(
    tx: &RefCell<Transaction<'_>>,
    from: &BlobPlacement,
    to: &BlobPlacement,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<u64> {
    let keys = indexed_keys(&mut *tx.borrow_mut())?;
    let read = |key: &Hash| match from {
        BlobPlacement::InDatabase => Ok(indexed(&mut *tx.borrow_mut(), key)?.flatten()),
        BlobPlacement::External(store) => store.get(key),
    };
    // Bound first: a borrow in the `match` scrutinee would live through its arms.
    let recorded = record(&mut *tx.borrow_mut())?;
    let id = match recorded {
        Some(r) => r.store_id,
        None => new_store_id(&mut *tx.borrow_mut())?,
    };
    let copied = match to {
        BlobPlacement::External(target) => {
            // Marked first: another installation's store is refused before any copy.
            claim(target.as_ref(), &id, &from.location(), false)?;
            let copied = copy_blobs(&keys, &read, target.as_ref(), progress)?;
            tx.borrow_mut()
                .execute("update blobs set bytes = null", &[])
                .context("emptying the database's copies")?;
            copied
        }
        BlobPlacement::InDatabase => fill_database(tx, &keys, &read, progress)?,
    };
    let record = BlobRecord {
        location: to.location(),
        store_id: id,
    };
    write_record(&mut *tx.borrow_mut(), &record)?;
    Ok(copied)
}

/// Writes every file's bytes into `blobs`, read from the old place and checked, then read
/// back from the table and checked again.
fn fill_database(
    tx: &RefCell<Transaction<'_>>,
    keys: &[Hash],
    read: &dyn Fn(&Hash) -> StoreResult<Option<Vec<u8>>>,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<u64> {
    let mut copied = 0;
    for key in keys {
        let bytes = read(key)?.filter(|b| sha256(b) == *key).ok_or_else(|| {
            StoreError::Other(format!(
                "stored file {} is missing or damaged, so it cannot be moved; run `rrm verify`",
                key_hex(key)
            ))
        })?;
        let mut tx = tx.borrow_mut();
        tx.execute(
            "update blobs set bytes = $2 where sha256 = $1",
            &[&&key[..], &bytes],
        )
        .context("copying a file into the database")?;
        if indexed(&mut *tx, key)?.flatten().as_deref().map(sha256) != Some(*key) {
            return Err(StoreError::Other(format!(
                "stored file {} did not read back intact from the database",
                key_hex(key)
            )));
        }
        copied += 1;
        progress(copied);
    }
    Ok(copied)
}
