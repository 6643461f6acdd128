//! A fresh PostgreSQL schema for one test (feature `test-support`): the one place every
//! crate's tests get their PostgreSQL database from, so the rules below hold everywhere.
//!
//! - The server is `RRM_TEST_DATABASE_URL`, or [`DEFAULT_URL`]. A test that cannot reach it
//!   panics, saying so: a skipped backend would pass for a tested one.
//! - Each [`TestSchema`] is `rrm_test_<pid>_<n>`, reached through the URL's
//!   `options=-csearch_path%3D...`, and dropped with everything in it when the value is.
//! - Everything here may be called from inside an async test: the synchronous client's own
//!   runtime refuses to start inside another, so such calls run on a thread of their own
//!   ([`off_runtime`]).
//! - [`backend`] reads `RRM_TEST_BACKEND` (`sqlite`, the default, or `postgres`), so a
//!   harness runs the same tests on either backend; anything else is refused, not guessed.

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

use rrm_store::BlobPlacement;

use crate::PostgresStore;

/// The test server when `RRM_TEST_DATABASE_URL` is not set (what `scripts/test.sh` starts).
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Which backend the tests run on, from `RRM_TEST_BACKEND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// The backend named by `RRM_TEST_BACKEND` (`sqlite` when unset). Panics on another value,
/// so a typo cannot quietly test SQLite twice.
pub fn backend() -> TestBackend {
    match std::env::var("RRM_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => TestBackend::Sqlite,
        Ok("postgres") | Ok("postgresql") => TestBackend::Postgres,
        Ok(other) => panic!("RRM_TEST_BACKEND={other}: expected `sqlite` or `postgres`"),
    }
}

/// The test server's URL.
pub fn server_url() -> String {
    std::env::var("RRM_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// A connection to the test server's default schema, or a panic that says how to get one
/// (outside an async runtime).
pub fn admin() -> Client {
    let url = server_url();
    Client::connect(&url, NoTls).unwrap_or_else(|e| {
        panic!(
            "cannot connect to the test PostgreSQL server at {url}: {e}\n\
             start one (`bash scripts/test.sh` does), or set RRM_TEST_DATABASE_URL to a server \
             where this user may create schemas"
        )
    })
}

/// A fresh schema, dropped with everything in it when this value is.
#[derive(Debug)]
pub struct TestSchema {
    name: String,
}

impl TestSchema {
    pub fn new() -> TestSchema {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("rrm_test_{}_{n}", std::process::id());
        let sql = format!("drop schema if exists {name} cascade; create schema {name}");
        off_runtime(|| admin().batch_execute(&sql))
            .unwrap_or_else(|e| panic!("cannot create the test schema {name}: {e}"));
        TestSchema { name }
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The server URL with this schema as the search path.
    pub fn url(&self) -> String {
        let url = server_url();
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}options=-csearch_path%3D{}", self.name)
    }

    /// A store on this schema, migrated, with its files in the database.
    pub fn store(&self) -> PostgresStore {
        off_runtime(|| PostgresStore::connect(&self.url()))
            .unwrap_or_else(|e| panic!("cannot open a store on {}: {e}", self.name))
    }

    /// A connection whose search path is this schema, for tests that work behind the
    /// store's back (outside an async runtime: use [`TestSchema::sql`] inside one).
    pub fn client(&self) -> Client {
        Client::connect(&self.url(), NoTls).unwrap()
    }

    /// Runs SQL in this schema, behind the store's back.
    pub fn sql(&self, sql: &str) {
        off_runtime(|| self.client().batch_execute(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A store on this schema with its file bytes in `blobs`.
    pub fn store_with(&self, blobs: BlobPlacement) -> PostgresStore {
        off_runtime(|| PostgresStore::connect_with_blobs(&self.url(), &|_| Ok(blobs.clone())))
            .unwrap_or_else(|e| panic!("cannot open a store on {}: {e}", self.name))
    }

    /// The single `bigint` of a query run behind the store's back (`select count(*) ...`).
    pub fn count(&self, sql: &str) -> i64 {
        self.try_count(sql)
            .unwrap_or_else(|| panic!("{sql}: no single bigint"))
    }

    /// [`TestSchema::count`], or `None` while the query fails (no table yet).
    pub fn try_count(&self, sql: &str) -> Option<i64> {
        off_runtime(|| {
            let row = self.client().query_one(sql, &[]).ok()?;
            row.try_get(0).ok()
        })
    }

    /// Every text and bytea value of every table in this schema, each named
    /// `table.column`: what the database holds at rest, for the canary tests.
    pub fn contents(&self) -> Vec<(String, Vec<u8>)> {
        off_runtime(|| self.read_contents())
    }

    fn read_contents(&self) -> Vec<(String, Vec<u8>)> {
        let mut client = self.client();
        let columns = client
            .query(
                "select table_name::text, column_name::text, data_type::text \
                 from information_schema.columns \
                 where table_schema = $1 \
                   and data_type in ('text', 'character varying', 'character', 'bytea', \
                                     'json', 'jsonb') \
                 order by table_name, ordinal_position",
                &[&self.name],
            )
            .unwrap();
        let mut out = Vec::new();
        for row in columns {
            let (table, column, kind): (String, String, String) =
                (row.get(0), row.get(1), row.get(2));
            let select = match kind.as_str() {
                "bytea" => format!("select \"{column}\" from \"{table}\""),
                _ => format!("select convert_to(\"{column}\"::text, 'UTF8') from \"{table}\""),
            };
            for value in client.query(&select, &[]).unwrap() {
                if let Some(bytes) = value.get::<_, Option<Vec<u8>>>(0) {
                    out.push((format!("{table}.{column}"), bytes));
                }
            }
        }
        out
    }
}

impl Default for TestSchema {
    fn default() -> Self {
        TestSchema::new()
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let drop = format!("drop schema if exists {} cascade", self.name);
        // A failed drop leaves a schema behind, which no later run's name reuses.
        off_runtime(|| {
            if let Ok(mut client) = Client::connect(&server_url(), NoTls) {
                let _ = client.batch_execute(&drop);
            }
        });
    }
}

/// Runs `f` where a blocking client may block: here, or on a scoped thread inside a runtime.
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| s.spawn(f).join()).unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// [`off_runtime`] for a call that reports progress: the counts come back to the caller's thread.
pub fn off_runtime_with_progress<T: Send>(
    progress: &mut dyn FnMut(u64),
    f: impl FnOnce(&mut dyn FnMut(u64)) -> T + Send,
) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f(progress);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        let worker = s.spawn(move || {
            f(&mut |n| {
                let _ = tx.send(n);
            })
        });
        for n in rx {
            progress(n);
        }
        worker.join()
    })
    .unwrap_or_else(|p| std::panic::resume_unwind(p))
}
