//! Opening a connection: the settings every connection runs with, and the schema migrations,
//! applied in order and recorded in `pragma user_version`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use rrm_store::{StoreError, StoreResult};

use crate::sql_error::Context;

/// The settings every connection to an rrm database runs with, as SQL.
///
/// - `journal_mode = wal`: readers never block the writer nor the writer readers, and a commit
///   is one sequential append to the write-ahead log.
/// - `synchronous = normal`: with WAL, a commit is written to the log but not fsynced; the log
///   is fsynced at each checkpoint. If the *application* crashes or is killed, every committed
///   transaction survives (it is in the operating system's cache). If the *machine* loses power
///   or the OS crashes, the transactions committed since the last checkpoint may be lost, but
///   the database is never corrupted and never holds part of a transaction: whole batches or
///   whole appends go missing from the end, and every chain still verifies. `full` would fsync
///   every commit, which costs a disk flush per append.
/// - `foreign_keys = on`: events, projections and clocks cannot point at a missing case.
/// - `busy_timeout`: a second writer (another process) waits for the lock instead of failing.
/// - `cache_size`: 64 MiB of page cache (the default is 2 MiB). A quarter of a GiB measured
///   no faster on a million-case import, so the smaller cache stays.
/// - `wal_autocheckpoint`: copy the log into the database every 40,000 pages (160 MiB) rather
///   than every 1,000. Each checkpoint ends with an fsync, and a page changed by several
///   transactions in between is copied once: measured on a million-case import, 13 % faster
///   than 10,000 pages (which was itself faster than the default). The log file grows to
///   about that size between checkpoints.
pub const CONNECTION_PRAGMAS: &str = "\
pragma journal_mode = wal;
pragma synchronous = normal;
pragma foreign_keys = on;
pragma busy_timeout = 5000;
pragma cache_size = -65536;
pragma wal_autocheckpoint = 40000;
";

/// One schema migration.
struct Migration {
    sql: &'static str,
    /// The migration rebuilds a table that others reference (sqlite's way to change a
    /// constraint), so it runs with foreign keys off and checks them all before committing.
    rebuilds_tables: bool,
}

/// The migrations, in order; migration `i` (1-based) brings `user_version` to `i`.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("migrations/0001_init.sql"),
        rebuilds_tables: false,
    },
    Migration {
        sql: include_str!("migrations/0002_workspace.sql"),
        rebuilds_tables: false,
    },
    Migration {
        sql: include_str!("migrations/0003_authentication.sql"),
        rebuilds_tables: false,
    },
    Migration {
        sql: include_str!("migrations/0004_access.sql"),
        rebuilds_tables: true,
    },
    Migration {
        sql: include_str!("migrations/0005_vault.sql"),
        rebuilds_tables: false,
    },
    Migration {
        sql: include_str!("migrations/0006_blob_stores.sql"),
        rebuilds_tables: true,
    },
    Migration {
        sql: include_str!("migrations/0007_reminders.sql"),
        rebuilds_tables: false,
    },
];

/// The schema version this build writes (the number of migrations).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Prepared statements kept per connection; the hot paths use about a dozen.
const STATEMENT_CACHE: usize = 64;

/// Opens (creating if needed) and migrates the database file at `path`.
pub(crate) fn open(path: &Path) -> StoreResult<Connection> {
    let at = || format!("opening {}", path.display());
    let mut conn = Connection::open(path).with_context(at)?;
    configure(&conn).with_context(at)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// A fresh, migrated database in memory.
pub(crate) fn open_in_memory() -> StoreResult<Connection> {
    let mut conn = Connection::open_in_memory().context("opening an in-memory database")?;
    configure(&conn).context("configuring an in-memory database")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// A read-only connection to an existing, already migrated database.
pub(crate) fn open_reader(path: &Path) -> StoreResult<Connection> {
    let at = || format!("opening {} for reading", path.display());
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).with_context(at)?;
    configure(&conn).with_context(at)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(CONNECTION_PRAGMAS)
}

/// Applies the migrations the database lacks, each in its own transaction.
fn migrate(conn: &mut Connection) -> StoreResult<()> {
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let version = index as u32 + 1;
        // `foreign_keys` cannot change inside a transaction, so it is set around it.
        if migration.rebuilds_tables {
            conn.pragma_update(None, "foreign_keys", false)
                .context("turning foreign keys off for a migration")?;
        }
        let applied = apply(conn, version, migration);
        if migration.rebuilds_tables {
            conn.pragma_update(None, "foreign_keys", true)
                .context("turning foreign keys back on")?;
        }
        applied?;
    }
    Ok(())
}

/// Applies one migration unless the database already has it.
fn apply(conn: &mut Connection, version: u32, migration: &Migration) -> StoreResult<()> {
    // `immediate` takes the write lock before reading the version, so two processes opening
    // a new file at once cannot both run the same migration.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting a migration")?;
    let current = user_version(&tx)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::Other(format!(
            "the database has schema version {current}, newer than this build's \
             {SCHEMA_VERSION}: use a newer rrm"
        )));
    }
    if current >= version {
        return Ok(());
    }
    tx.execute_batch(migration.sql)
        .with_context(|| format!("applying migration {version}"))?;
    if migration.rebuilds_tables {
        let broken: i64 = tx
            .query_row("select count(*) from pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .with_context(|| format!("checking foreign keys after migration {version}"))?;
        if broken > 0 {
            return Err(StoreError::Other(format!(
                "migration {version} would leave {broken} broken references; nothing was changed"
            )));
        }
    }
    tx.pragma_update(None, "user_version", version)
        .with_context(|| format!("recording migration {version}"))?;
    tx.commit()
        .with_context(|| format!("committing migration {version}"))
}

fn user_version(conn: &Connection) -> StoreResult<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .context("reading the schema version")
}
