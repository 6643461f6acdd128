//! The two backends the binary can run on, in one enum: the SQLite file in the data
//! directory (the default) or a PostgreSQL database named by `--database-url`. Everything
//! that needs a concrete store (opening it with its file store, `rrm blobs`) dispatches here,
//! so no other module names a backend type.

use std::sync::Arc;

use rrm_app::Rrm;
use rrm_core::procedure::ProcedureSet;
use rrm_store::{BlobLocation, BlobPlacement, BlobReport, Hash, StoreResult, Workspace};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

/// An opened store of either backend.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one per command, opened once: boxing would buy nothing"
)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// What `rrm blobs migrate` moved, whichever backend moved it.
pub struct Moved {
    pub from: BlobLocation,
    pub to: BlobLocation,
    pub files: u64,
}

impl AnyStore {
    /// The application on this store.
    pub fn into_rrm(self, procedures: Arc<ProcedureSet>) -> Rrm {
        match self {
            AnyStore::Sqlite(store) => Rrm::new(Arc::new(store), procedures),
            AnyStore::Postgres(store) => Rrm::new(Arc::new(store), procedures),
        }
    }

    /// This store as something `rrm migrate`, `backup` and `restore` can move.
    pub fn movable(&self) -> &dyn crate::commands::Movable {
        match self {
            AnyStore::Sqlite(store) => store,
            AnyStore::Postgres(store) => store,
        }
    }

    /// Where this store's files are kept.
    pub fn blob_location(&self) -> BlobLocation {
        match self {
            AnyStore::Sqlite(store) => store.blob_location(),
            AnyStore::Postgres(store) => store.blob_location(),
        }
    }

    /// Rehashes every stored file and lists the missing and the orphans.
    pub fn verify_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        match self {
            AnyStore::Sqlite(store) => store.verify_blobs(progress),
            AnyStore::Postgres(store) => store.verify_blobs(progress),
        }
    }

    /// Moves every file to `to`, verified, and returns the store on its new place.
    pub fn migrate_blobs(
        self,
        to: BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> StoreResult<(AnyStore, Moved)> {
        match self {
            AnyStore::Sqlite(store) => {
                let (store, r) = store.migrate_blobs(to, progress)?;
                let moved = Moved {
                    from: r.from,
                    to: r.to,
                    files: r.files,
                };
                Ok((AnyStore::Sqlite(store), moved))
            }
            AnyStore::Postgres(store) => {
                let (store, r) = store.migrate_blobs(to, progress)?;
                let moved = Moved {
                    from: r.from,
                    to: r.to,
                    files: r.files,
                };
                Ok((AnyStore::Postgres(store), moved))
            }
        }
    }

    /// Deletes orphans last written before `older_than`; returns their keys.
    pub fn sweep_orphan_blobs(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<Hash>> {
        match self {
            AnyStore::Sqlite(store) => Ok(store.sweep_orphan_blobs(older_than)?.deleted),
            AnyStore::Postgres(store) => Ok(store.sweep_orphan_blobs(older_than)?.deleted),
        }
    }
}
