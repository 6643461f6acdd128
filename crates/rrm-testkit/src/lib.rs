//! Tests only: the database a test runs on. `RRM_TEST_BACKEND` (`sqlite`, the default, or
//! `postgres`) chooses the backend; on PostgreSQL each [`TestDatabase`] is a fresh schema
//! ([`rrm_store_postgres::test_support::TestSchema`]) on the server `RRM_TEST_DATABASE_URL`
//! names, dropped when the value is, and an unreachable server fails the test (never skips it).
//!
//! A test keeps its [`TestDatabase`] alive as long as it uses the store: [`TestRrm`] holds
//! both, and dereferences to the [`Rrm`].

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rrm_app::Rrm;
use rrm_core::procedure::ProcedureSet;
use rrm_store::{BlobLocation, BlobPlacement, StoreResult};
use rrm_store_postgres::test_support::{backend, off_runtime, TestBackend, TestSchema};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

pub use rrm_store_postgres::test_support;

mod data_dir;
mod off_runtime;
pub use data_dir::{data_database, TestDir};
pub use off_runtime::OffRuntime;

/// Where a test's store lives.
#[derive(Debug)]
pub enum TestDatabase {
    /// A SQLite file (`None`: in memory, which only one store can open).
    Sqlite(Option<PathBuf>),
    Postgres(TestSchema),
}

/// A store of either backend, opened on a [`TestDatabase`].
#[derive(Debug, Clone)]
pub enum TestStore {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PostgresStore>),
}

impl TestDatabase {
    /// The backend `RRM_TEST_BACKEND` names: a SQLite file at `path`, or a fresh schema.
    pub fn at(path: &Path) -> TestDatabase {
        match backend() {
            TestBackend::Sqlite => TestDatabase::Sqlite(Some(path.to_path_buf())),
            TestBackend::Postgres => TestDatabase::Postgres(TestSchema::new()),
        }
    }

    /// The backend `RRM_TEST_BACKEND` names: SQLite in memory, or a fresh schema.
    pub fn fresh() -> TestDatabase {
        match backend() {
            TestBackend::Sqlite => TestDatabase::Sqlite(None),
            TestBackend::Postgres => TestDatabase::Postgres(TestSchema::new()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres(_))
    }

    /// The schema, on PostgreSQL.
    pub fn schema(&self) -> Option<&TestSchema> {
        match self {
            TestDatabase::Postgres(schema) => Some(schema),
            TestDatabase::Sqlite(_) => None,
        }
    }

    /// The store on this database, files in the database.
    pub fn store(&self) -> TestStore {
        self.store_with_blobs(BlobPlacement::InDatabase)
    }

    /// The store on this database with its files in `placement`.
    pub fn store_with_blobs(&self, placement: BlobPlacement) -> TestStore {
        self.open(&move |_| Ok(placement.clone()))
            .unwrap_or_else(|e| panic!("cannot open the test store: {e}"))
    }

    /// The store with its files where `choose` says, told where the database says they are,
    /// as `SqliteStore::open_with_blobs` and `PostgresStore::connect_with_blobs` do.
    pub fn open(
        &self,
        choose: &(dyn Fn(&BlobLocation) -> StoreResult<BlobPlacement> + Sync),
    ) -> StoreResult<TestStore> {
        Ok(match self {
            TestDatabase::Sqlite(Some(path)) => {
                TestStore::Sqlite(Arc::new(SqliteStore::open_with_blobs(path, choose)?))
            }
            TestDatabase::Sqlite(None) => TestStore::Sqlite(Arc::new(
                SqliteStore::open_in_memory_with_blobs(choose(&BlobLocation::database())?)?,
            )),
            TestDatabase::Postgres(schema) => {
                let url = schema.url();
                let store = off_runtime(|| PostgresStore::connect_with_blobs(&url, choose))?;
                TestStore::Postgres(Arc::new(store))
            }
        })
    }

    /// How the `rrm` binary reaches this database: `--database-url URL` on PostgreSQL,
    /// nothing for SQLite (the file in the data directory).
    pub fn cli_args(&self) -> Vec<String> {
        match self {
            TestDatabase::Postgres(schema) => vec!["--database-url".into(), schema.url()],
            TestDatabase::Sqlite(_) => Vec::new(),
        }
    }

    /// One number from SQL run behind the store's back (`select count(*) ...`), or `None`
    /// while the database cannot answer (a SQLite file being created).
    pub fn count(&self, sql: &str) -> Option<i64> {
        match self {
            TestDatabase::Sqlite(Some(path)) => rusqlite::Connection::open(path)
                .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
                .ok(),
            TestDatabase::Sqlite(None) => None,
            TestDatabase::Postgres(schema) => schema.try_count(sql),
        }
    }

    /// Runs SQL behind the store's back (a tamper test): on the SQLite file, or in the
    /// schema. Keep it to SQL both dialects read alike.
    pub fn sql(&self, sql: &str) {
        match self {
            TestDatabase::Sqlite(Some(path)) => rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            TestDatabase::Sqlite(None) => panic!("an in-memory database is out of reach"),
            TestDatabase::Postgres(schema) => schema.sql(sql),
        }
    }

    /// What the database holds at rest, for the canary tests: the SQLite file and its
    /// write-ahead log, or every text and bytea value of the schema on PostgreSQL (each named
    /// `table.column`). Nothing for SQLite in memory.
    pub fn contents_at_rest(&self) -> Vec<(String, Vec<u8>)> {
        match self {
            TestDatabase::Postgres(schema) => schema.contents(),
            TestDatabase::Sqlite(Some(path)) => {
                let wal = PathBuf::from(format!("{}-wal", path.display()));
                [path.clone(), wal]
                    .into_iter()
                    .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
                    .collect()
            }
            TestDatabase::Sqlite(None) => Vec::new(),
        }
    }

    /// The application on a new store of this database.
    pub fn rrm(&self, procedures: Arc<ProcedureSet>) -> Rrm {
        self.store().rrm(procedures)
    }
}

impl TestStore {
    /// The application on this store as a test holds it: callable from inside an async test
    /// too (on PostgreSQL through [`OffRuntime`]).
    pub fn rrm(&self, procedures: Arc<ProcedureSet>) -> Rrm {
        match self {
            TestStore::Sqlite(store) => Rrm::new(store.clone(), procedures),
            TestStore::Postgres(store) => {
                Rrm::new(Arc::new(OffRuntime::new(store.clone())), procedures)
            }
        }
    }

    /// `rrm` (its vault and listener kept) on this store as production calls it, for the
    /// server under test: it must reach the store from `spawn_blocking`, as `rrm serve` does,
    /// and a call from an async worker fails the test as it would fail in production.
    pub fn for_server(&self, rrm: &Rrm) -> Rrm {
        let mut server = rrm.clone();
        if let TestStore::Postgres(store) = self {
            server.store = store.clone();
            server.workspace = store.clone();
            server.access = store.clone();
            server.keys = store.clone();
            server.audit_log = store.clone();
            server.reminders = store.clone();
        }
        server
    }
}

/// An application and the database it runs on, kept alive together; derefs to the [`Rrm`].
pub struct TestRrm {
    pub rrm: Rrm,
    pub database: TestDatabase,
}

impl TestRrm {
    /// The shipped procedures on a fresh database of the chosen backend, without a master key.
    pub fn fresh() -> TestRrm {
        let database = TestDatabase::fresh();
        let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
        TestRrm {
            rrm: database.rrm(procedures),
            database,
        }
    }

    /// The same, with `change` applied to the application (a master key, a listener).
    pub fn map(self, change: impl FnOnce(Rrm) -> Rrm) -> TestRrm {
        TestRrm {
            rrm: change(self.rrm),
            database: self.database,
        }
    }
}

impl Deref for TestRrm {
    type Target = Rrm;
    fn deref(&self) -> &Rrm {
        &self.rrm
    }
}
