//! The baseline: the same rows inserted with plain SQLite, into a file with the store's own
//! schema and connection settings and in batches of the same size, but with no hash computed
//! (the hash columns get a constant) and no projection or clock written.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};

use rrm_store::NewCase;
use rrm_store_sqlite::{SqliteStore, CONNECTION_PRAGMAS};

const INSERT_CASE: &str = "insert into cases \
    (id, procedure, facility_key, document, header_hash, head_seq, head_hash) \
    values (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const INSERT_EVENT: &str = "insert into events \
    (case_id, seq, kind, date, payload, prev_hash, hash) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// How the baseline treats the `cases` table.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Headers {
    /// Each case's header row is inserted too, as the events' foreign key requires.
    Inserted,
    /// Events only, with `foreign_keys` off so they need no header: the barest insert.
    Skipped,
}

/// A database written with plain inserts, and the time spent writing it.
pub struct RawDb {
    conn: Connection,
    path: PathBuf,
    headers: Headers,
    pub spent: Duration,
}

impl RawDb {
    pub fn create(path: &Path, headers: Headers) -> Result<RawDb, Box<dyn Error>> {
        // The schema and the settings the file keeps, exactly as the store makes them.
        drop(SqliteStore::open(path)?);
        let conn = Connection::open(path)?;
        conn.execute_batch(CONNECTION_PRAGMAS)?;
        if headers == Headers::Skipped {
            conn.pragma_update(None, "foreign_keys", false)?;
        }
        Ok(RawDb {
            conn,
            path: path.to_path_buf(),
            headers,
            spent: Duration::ZERO,
        })
    }

    /// Inserts one batch in one transaction, adding the time it took to `spent`.
    pub fn insert(&mut self, batch: &[NewCase]) -> rusqlite::Result<()> {
        let constant = [7u8; 32];
        let started = Instant::now();
        let tx = self.conn.transaction()?;
        {
            let mut case_stmt = tx.prepare_cached(INSERT_CASE)?;
            let mut event_stmt = tx.prepare_cached(INSERT_EVENT)?;
            for c in batch {
                let h = &c.header;
                if self.headers == Headers::Inserted {
                    let n = c.events.len() as i64;
                    let (id, procedure, facility, document) =
                        (&h.id, &h.procedure, &h.facility_key, &h.document);
                    case_stmt.execute(params![
                        id, procedure, facility, document, constant, n, constant
                    ])?;
                }
                for (e, seq) in c.events.iter().zip(1_i64..) {
                    let date = e.date.map(|d| d.to_string());
                    event_stmt.execute(params![
                        h.id, seq, e.kind, date, e.payload, constant, constant
                    ])?;
                }
            }
        }
        tx.commit()?;
        self.spent += started.elapsed();
        Ok(())
    }

    /// Closes and deletes the database.
    pub fn remove(self) {
        drop(self.conn);
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}
