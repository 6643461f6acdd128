//! [`DatabaseBlobs`]: the `blobs` table seen as a [`BlobStore`], so the database placement
//! runs the same conformance suite as the directory and S3 stores. The store itself writes
//! its table inside each record's transaction (`index_blob`); this view is for the suite and
//! for anything that needs the database's bytes as a store.

use rusqlite::params;

use rrm_store::{
    BlobEntry, BlobLocation, BlobPlacement, BlobRecord, BlobStore, Hash, StoreError, StoreResult,
};

use super::settle::{record, write_record};
use super::{index_blob, indexed};
use crate::codec::{from_sql_int, hash_from};
use crate::sql_error::Context;
use crate::SqliteStore;

/// The bytes a [`SqliteStore`] keeps in its own database, as a [`BlobStore`].
#[derive(Debug)]
pub struct DatabaseBlobs<'a>(pub(crate) &'a SqliteStore);

impl SqliteStore {
    /// This database's `blobs` table as a [`BlobStore`].
    pub fn database_blobs(&self) -> DatabaseBlobs<'_> {
        DatabaseBlobs(self)
    }
}

impl BlobStore for DatabaseBlobs<'_> {
    fn put(&self, bytes: &[u8]) -> StoreResult<Hash> {
        index_blob(&self.0.lock(), &BlobPlacement::InDatabase, bytes)
    }

    fn get(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>> {
        Ok(indexed(&self.0.lock(), key)?.flatten())
    }

    fn walk(&self, visit: &mut dyn FnMut(BlobEntry) -> StoreResult<()>) -> StoreResult<()> {
        // Read the keys first: `visit` may call back into the store.
        let entries = {
            let conn = self.0.lock();
            let doing = "listing stored files";
            let mut stmt = conn
                .prepare("select sha256, size from blobs where bytes is not null order by id")
                .context(doing)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))
                .context(doing)?;
            let mut out = Vec::new();
            for row in rows {
                let (key, size) = row.context(doing)?;
                out.push(BlobEntry {
                    key: hash_from(&key, "a stored file's key")?,
                    size: from_sql_int(size, "a stored file's size")?,
                    modified: None,
                });
            }
            out
        };
        entries.into_iter().try_for_each(visit)
    }

    fn delete(&self, key: &Hash) -> StoreResult<bool> {
        let deleted = self
            .0
            .lock()
            .execute("delete from blobs where sha256 = ?1", params![&key[..]]);
        match deleted {
            Ok(n) => Ok(n > 0),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(StoreError::Conflict(
                    "a file record still names these bytes".into(),
                ))
            }
            Err(e) => Err(StoreError::Other(format!("deleting file bytes: {e}"))),
        }
    }

    fn location(&self) -> BlobLocation {
        BlobLocation::database()
    }

    fn owner(&self) -> StoreResult<Option<String>> {
        let recorded = record(&self.0.lock())?;
        Ok(recorded
            .filter(|r| r.location == BlobLocation::database())
            .map(|r| r.store_id))
    }

    fn set_owner(&self, id: &str) -> StoreResult<()> {
        let conn = self.0.lock();
        if let Some(r) = record(&conn)?.filter(|r| r.location != BlobLocation::database()) {
            return Err(StoreError::Conflict(format!(
                "this database's files are kept in `{}`",
                r.location
            )));
        }
        write_record(
            &conn,
            &BlobRecord {
                location: BlobLocation::database(),
                store_id: id.into(),
            },
        )
    }
}
