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

#[allow(unused_imports)]
use PgInterim as _;

/// An opened store of either backend.
#[derive(Debug)]
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// What `rrm blobs migrate` moved, whichever backend moved it.
pub struct Moved {
    pub from: BlobLocation,
    pub to: BlobLocation,
    pub files: u64,
}

impl Backend {
    /// The application on this store.
    pub fn into_rrm(self, procedures: Arc<ProcedureSet>) -> Rrm {
        match self {
            Backend::Sqlite(store) => Rrm::new(Arc::new(store), procedures),
            Backend::Postgres(store) => Rrm::new(Arc::new(store), procedures),
        }
    }

    /// Where this store's files are kept.
    pub fn blob_location(&self) -> BlobLocation {
        match self {
            Backend::Sqlite(store) => store.blob_location(),
            Backend::Postgres(store) => store.blob_location(),
        }
    }

    /// Rehashes every stored file and lists the missing and the orphans.
    pub fn verify_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        match self {
            Backend::Sqlite(store) => store.verify_blobs(progress),
            Backend::Postgres(store) => store.verify_blobs(progress),
        }
    }

    /// Moves every file to `to`, verified, and returns the store on its new place.
    pub fn migrate_blobs(
        self,
        to: BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> StoreResult<(Backend, Moved)> {
        match self {
            Backend::Sqlite(store) => {
                let (store, r) = store.migrate_blobs(to, progress)?;
                let moved = Moved {
                    from: r.from,
                    to: r.to,
                    files: r.files,
                };
                Ok((Backend::Sqlite(store), moved))
            }
            Backend::Postgres(store) => {
                let (store, r) = store.migrate_blobs(to, progress)?;
                let moved = Moved {
                    from: r.from,
                    to: r.to,
                    files: r.files,
                };
                Ok((Backend::Postgres(store), moved))
            }
        }
    }

    /// Deletes orphans last written before `older_than`; returns their keys.
    pub fn sweep_orphan_blobs(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<Hash>> {
        match self {
            Backend::Sqlite(store) => Ok(store.sweep_orphan_blobs(older_than)?.deleted),
            Backend::Postgres(store) => Ok(store.sweep_orphan_blobs(older_than)?.deleted),
        }
    }
}

/// Interim, until helper B's `connect_with_blobs` and blob admin land on `pgb`: the same
/// signatures, so the callers need no change when it does (inherent methods then win and
/// this trait goes).
pub(crate) trait PgInterim: Sized {
    fn connect_with_blobs(
        url: &str,
        choose: &dyn Fn(
            &rrm_store::BlobLocation,
        ) -> rrm_store::StoreResult<rrm_store::BlobPlacement>,
    ) -> rrm_store::StoreResult<Self>;
    fn blob_location(&self) -> rrm_store::BlobLocation;
    fn migrate_blobs(
        self,
        to: rrm_store::BlobPlacement,
        progress: &mut dyn FnMut(u64),
    ) -> rrm_store::StoreResult<(Self, Moved)>;
    fn sweep_orphan_blobs(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> rrm_store::StoreResult<Swept>;
}

pub struct Swept {
    pub deleted: Vec<rrm_store::Hash>,
}

impl PgInterim for rrm_store_postgres::PostgresStore {
    fn connect_with_blobs(
        url: &str,
        choose: &dyn Fn(
            &rrm_store::BlobLocation,
        ) -> rrm_store::StoreResult<rrm_store::BlobPlacement>,
    ) -> rrm_store::StoreResult<Self> {
        let placement = choose(&rrm_store::BlobLocation::database())?;
        rrm_store_postgres::PostgresStore::connect_with_placement(url, placement)
    }
    fn blob_location(&self) -> rrm_store::BlobLocation {
        rrm_store::BlobLocation::database()
    }
    fn migrate_blobs(
        self,
        _to: rrm_store::BlobPlacement,
        _progress: &mut dyn FnMut(u64),
    ) -> rrm_store::StoreResult<(Self, Moved)> {
        Err(rrm_store::StoreError::Other(
            "not yet implemented on PostgreSQL".into(),
        ))
    }
    fn sweep_orphan_blobs(
        &self,
        _: chrono::DateTime<chrono::Utc>,
    ) -> rrm_store::StoreResult<Swept> {
        Err(rrm_store::StoreError::Other(
            "not yet implemented on PostgreSQL".into(),
        ))
    }
}
