//! [`DatabaseBlobs`]: the `blobs` table seen as a [`BlobStore`], so the database placement
//! runs the same conformance suite as the directory and S3 stores (SQLite's
//! `blobs/database.rs`). The store itself writes its table inside each record's transaction
//! (`index_blob`); this view is for the suite and for anything that needs the database's
//! bytes as a store (a migration between places, a sweep).

use postgres::error::SqlState;

use rrm_store::{
    BlobEntry, BlobLocation, BlobPlacement, BlobRecord, BlobStore, Hash, StoreError, StoreResult,
};

use super::settle::{record, write_record};
use super::{index_blob, indexed};
use crate::error::{col, from_sql_int, hash_col, Context};
use crate::version::begin_write;
use crate::PostgresStore;

/// The bytes a [`PostgresStore`] keeps in its own database, as a [`BlobStore`].
#[derive(Debug)]
pub struct DatabaseBlobs<'a>(pub(crate) &'a PostgresStore);

impl PostgresStore {
    /// This database's `blobs` table as a [`BlobStore`].
    pub fn database_blobs(&self) -> DatabaseBlobs<'_> {
        DatabaseBlobs(self)
    }
}

impl BlobStore for DatabaseBlobs<'_> {
    fn put(&self, bytes: &[u8]) -> StoreResult<Hash> {
        let mut client = self.0.lock();
        let mut tx = begin_write(&mut client, "storing file bytes")?;
        let key = index_blob(&mut tx, &BlobPlacement::InDatabase, bytes)?;
        tx.commit().context("committing file bytes")?;
        Ok(key)
    }

    fn get(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>> {
        Ok(indexed(&mut self.0.lock(), key)?.flatten())
    }

    fn walk(&self, visit: &mut dyn FnMut(BlobEntry) -> StoreResult<()>) -> StoreResult<()> {
        // Read the keys first, releasing the lock: `visit` may call back into the store.
        let entries = {
            let rows = self
                .0
                .lock()
                .query(
                    "select sha256, size from blobs where bytes is not null order by id",
                    &[],
                )
                .context("listing stored files")?;
            let what = "a stored file";
            rows.iter()
                .map(|r| {
                    Ok(BlobEntry {
                        key: hash_col(r, 0, what)?,
                        size: from_sql_int(col(r, 1, what)?, what)?,
                        modified: None,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?
        };
        entries.into_iter().try_for_each(visit)
    }

    fn delete(&self, key: &Hash) -> StoreResult<bool> {
        let mut client = self.0.lock();
        let mut tx = begin_write(&mut client, "deleting file bytes")?;
        let deleted = tx.execute("delete from blobs where sha256 = $1", &[&&key[..]]);
        match deleted {
            Ok(n) => {
                tx.commit().context("committing a deletion of file bytes")?;
                Ok(n > 0)
            }
            Err(e) if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) => Err(
                StoreError::Conflict("a file record still names these bytes".into()),
            ),
            Err(e) => Err(StoreError::Other(format!("deleting file bytes: {e}"))),
        }
    }

    fn location(&self) -> BlobLocation {
        BlobLocation::database()
    }

    fn owner(&self) -> StoreResult<Option<String>> {
        let recorded = record(&mut *self.0.lock())?;
        Ok(recorded
            .filter(|r| r.location == BlobLocation::database())
            .map(|r| r.store_id))
    }

    fn set_owner(&self, id: &str) -> StoreResult<()> {
        let mut client = self.0.lock();
        let mut tx = begin_write(&mut client, "marking the database's files")?;
        if let Some(r) = record(&mut tx)?.filter(|r| r.location != BlobLocation::database()) {
            return Err(StoreError::Conflict(format!(
                "this database's files are kept in `{}`",
                r.location
            )));
        }
        write_record(
            &mut tx,
            &BlobRecord {
                location: BlobLocation::database(),
                store_id: id.into(),
            },
        )?;
        tx.commit().context("recording where files are kept")
    }
}
