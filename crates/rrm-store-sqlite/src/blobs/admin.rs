//! Looking after file bytes: moving them between placements (`rrm blobs migrate`) and
//! deleting orphans (`rrm blobs sweep`).
//!
//! Invariants kept here:
//! - A migration holds the database's write lock from start to end, so no file is written
//!   meanwhile; it copies every file, reads each back and checks its hash, and only then, in
//!   the same transaction, switches the record (and empties the table's bytes when they
//!   leave the database). Until that commit the old place is authoritative; the old place's
//!   copies are left where they were.
//! - A sweep deletes only objects that no record names and that were last written before a
//!   cut-off, since a young orphan may be a file whose record is being committed.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, TransactionBehavior};

use rrm_store::{
    claim, copy_blobs, key_hex, orphans, sha256, BlobLocation, BlobPlacement, BlobRecord, Hash,
    StoreError, StoreResult,
};

use super::settle::{new_store_id, record, write_record};
use super::{indexed, indexed_keys, unreferenced_rows};
use crate::sql_error::Context;
use crate::SqliteStore;

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

impl SqliteStore {
    /// Where this database's files are kept.
    pub fn blob_location(&self) -> BlobLocation {
        self.blobs.location()
    }

    /// Moves every file to `to`, verified, and returns the store reopened on it. Refuses a
    /// target that is where the files already are, or that another installation marked.
    pub fn migrate_blobs(
        self,
        to: BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> StoreResult<(SqliteStore, MigrationReport)> {
        let from = self.blobs.location();
        let target = to.location();
        if from == target {
            return Err(StoreError::Other(format!(
                "the files are already in `{from}`"
            )));
        }
        let files = {
            let mut conn = self.lock();
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .context("starting to move files")?;
            let files = self.move_files(&tx, &to, progress)?;
            tx.commit().context("committing the move of files")?;
            files
        };
        let report = MigrationReport {
            from,
            to: target,
            files,
        };
        let SqliteStore { conn, path, .. } = self;
        Ok((
            SqliteStore {
                conn,
                path,
                blobs: to,
            },
            report,
        ))
    }

    /// Copies and checks every file into `to` and switches the record, inside `tx`.
    fn move_files(
        &self,
        tx: &Connection,
        to: &BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> StoreResult<u64> {
        let keys = indexed_keys(tx)?;
        let read = |key: &Hash| match &self.blobs {
            BlobPlacement::InDatabase => Ok(indexed(tx, key)?.flatten()),
            BlobPlacement::External(store) => store.get(key),
        };
        let id = match record(tx)? {
            Some(r) => r.store_id,
            None => new_store_id(tx)?,
        };
        let copied = match to {
            BlobPlacement::External(target) => {
                // Marked first: another installation's store is refused before any copy.
                claim(target.as_ref(), &id, &self.blobs.location(), false)?;
                let copied = copy_blobs(&keys, &read, target.as_ref(), progress)?;
                tx.execute("update blobs set bytes = null", [])
                    .context("emptying the database's copies")?;
                copied
            }
            BlobPlacement::InDatabase => fill_database(tx, &keys, &read, progress)?,
        };
        write_record(
            tx,
            &BlobRecord {
                location: to.location(),
                store_id: id,
            },
        )?;
        Ok(copied)
    }

    /// Deletes orphans last written before `older_than`: objects of an external store that
    /// no record names, or rows of `blobs` no record names.
    pub fn sweep_orphan_blobs(&self, older_than: DateTime<Utc>) -> StoreResult<SweepReport> {
        let BlobPlacement::External(store) = &self.blobs else {
            let conn = self.lock();
            let deleted = unreferenced_rows(&conn)?;
            for key in &deleted {
                conn.execute("delete from blobs where sha256 = ?1", params![&key[..]])
                    .context("deleting an unreferenced file")?;
            }
            return Ok(SweepReport { deleted });
        };
        let referenced: HashSet<Hash> = indexed_keys(&self.lock())?.into_iter().collect();
        let mut report = SweepReport::default();
        for key in orphans(store.as_ref(), &referenced, older_than)? {
            // A record may have been committed since the keys were read.
            if indexed(&self.lock(), &key)?.is_none() && store.delete(&key)? {
                report.deleted.push(key);
            }
        }
        Ok(report)
    }
}

/// Writes every file's bytes into `blobs`, read from the old place and checked, then read
/// back from the table and checked again.
fn fill_database(
    tx: &Connection,
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
        tx.execute(
            "update blobs set bytes = ?2 where sha256 = ?1",
            params![&key[..], bytes],
        )
        .context("copying a file into the database")?;
        if indexed(tx, key)?.flatten().as_deref().map(sha256) != Some(*key) {
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
