//! The database of a data directory, for tests that run the `rrm` binary: on SQLite the file
//! inside it, on PostgreSQL a fresh schema made the first time a data directory is named and
//! dropped with the [`TestDir`] it is under. Keyed by path because the binary is told a data
//! directory, and a test may use several (an export from one, imported into another).

use std::collections::HashMap;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rrm_store_postgres::test_support::{backend, TestBackend, TestSchema};

use crate::TestDatabase;

/// The SQLite file inside a data directory, as the binary names it.
const DATABASE_FILE: &str = "rrm.sqlite3";

/// Each PostgreSQL data directory's schema, while its [`TestDir`] lives.
static SCHEMAS: Mutex<Option<HashMap<PathBuf, Arc<TestDatabase>>>> = Mutex::new(None);

/// The database of the data directory `data`: the SQLite file in it, or its schema.
pub fn data_database(data: &Path) -> Arc<TestDatabase> {
    match backend() {
        TestBackend::Sqlite => Arc::new(TestDatabase::Sqlite(Some(data.join(DATABASE_FILE)))),
        TestBackend::Postgres => {
            let mut schemas = SCHEMAS.lock().unwrap_or_else(PoisonError::into_inner);
            let schemas = schemas.get_or_insert_with(HashMap::new);
            schemas
                .entry(data.to_path_buf())
                .or_insert_with(|| Arc::new(TestDatabase::Postgres(TestSchema::new())))
                .clone()
        }
    }
}

/// A temporary directory whose data directories' schemas are dropped with it.
pub struct TestDir(tempfile::TempDir);

impl TestDir {
    pub fn new() -> TestDir {
        TestDir(tempfile::tempdir().unwrap())
    }
}

impl Default for TestDir {
    fn default() -> Self {
        TestDir::new()
    }
}

impl Deref for TestDir {
    type Target = tempfile::TempDir;
    fn deref(&self) -> &tempfile::TempDir {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let mut schemas = SCHEMAS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(schemas) = schemas.as_mut() {
            schemas.retain(|path, _| !path.starts_with(self.0.path()));
        }
    }
}
