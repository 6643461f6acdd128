//! rrm's PostgreSQL backend: [`PostgresStore`] keeps cases, the staff workspace, access
//! control, wrapped data keys and the audit log in one PostgreSQL schema, implementing
//! [`rrm_store::Store`], `Workspace`, `AccessControl`, `KeyStore` and `AuditLog` (so it is a
//! [`rrm_store::Backend`]). File bytes live in the `blobs` table or in an external
//! [`rrm_store::BlobStore`] ([`PostgresStore::connect_with_blobs`] checks the place against the
//! one the database records, as SQLite's `open_with_blobs` does); `blobs/admin.rs` moves them
//! between places and sweeps orphans, and [`DatabaseBlobs`] shows the table as a blob store.
//!
//! Invariants kept here:
//! - The tables mirror rrm-store-sqlite's column for column, with the same value encodings
//!   (instants as `YYYY-MM-DDTHH:MM:SSZ` text, booleans as 0/1), so one generic row copier
//!   moves a data directory between backends (see `migrations/0002_workspace.sql`).
//! - Every write is one transaction begun by `version::begin_write`, which first bumps the one
//!   `store_version` row: [`rrm_store::Store::version`] is a primary-key read that moves with
//!   every commit of any server, and that row's lock orders all writers, so the audit log's
//!   head read after it cannot move: several servers on one database extend one audit chain.
//! - A batch of new cases, an append with its projection, a petition with its submission,
//!   evidence and custody entries, is stored whole or not at all.
//! - Appends lock the case row (`select ... for update`) before reading the head, so two
//!   writers naming the same head cannot both succeed, even from two servers.
//! - With an external blob store, bytes are put before the transaction that records them,
//!   never while the connection is locked (Architecture Invariant 11).
//! - The schema only changes through the numbered files in `migrations/`, applied by
//!   [`PostgresStore::connect`] under an advisory lock.

mod blobs;
mod error;
mod list;
mod migrate;
mod read;
mod reminders;
#[cfg(feature = "test-support")]
pub mod test_support;
mod transfer;
mod verify;
mod version;
mod workspace;
mod write;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};

use rrm_store::{
    BlobPlacement, CaseFilter, CaseRow, DeadlineQuery, DeadlineRow, NewCase, NewEvent, Projection,
    Store, StoreResult, StoreStats, StoredCase, StoredEvent, VerifyReport,
};

use error::Context;

pub use blobs::{DatabaseBlobs, MigrationReport, SweepReport};
pub use migrate::SCHEMA_VERSION;

/// A [`Store`] in one PostgreSQL database (the schema first on the connection's search path).
///
/// One connection serves every call, behind a mutex. The trait is synchronous and its calls
/// are short, so a single connection keeps this crate free of a pool and its dependencies;
/// a server that needs more concurrency can hold several stores, or a pool can come later
/// behind the same type without changing callers.
pub struct PostgresStore {
    client: Mutex<Client>,
    /// Where file bytes are kept.
    blobs: BlobPlacement,
    /// Calls made through the connection (any may have written), counted under its lock.
    calls: AtomicU64,
    /// The store version as last read, and the call count then.
    seen: Mutex<Option<SeenVersion>>,
}

/// A store version read from the database.
#[derive(Clone, Copy)]
struct SeenVersion {
    version: u64,
    at: Instant,
    calls: u64,
}

/// How long a version read stands for the database's, unless this store has been called
/// since: the bound on how late another server's write reaches this server's caches. Under
/// load, every cached page asks the version; without this, each asks PostgreSQL (a round
/// trip through the one connection), and two servers served a third of SQLite's pages.
pub const VERSION_FRESH: Duration = Duration::from_millis(50);

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client's configuration may hold a password: it is never printed.
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url` (a `postgres://` url or a key=value string; no TLS) and brings the
    /// schema up to date, with file bytes in the database. Refuses a database whose files
    /// are kept elsewhere (see [`PostgresStore::connect_with_blobs`]).
    pub fn connect(url: &str) -> StoreResult<PostgresStore> {
        PostgresStore::connect_with_blobs(url, &|_| Ok(BlobPlacement::InDatabase))
    }

    /// Connects to `url`, brings the schema up to date, and keeps file bytes in `blobs`
    /// without checking them against the place the database records: only for
    /// [`PostgresStore::connect_with_blobs`] (`blobs/settle.rs`), which checks.
    pub(crate) fn connect_with_placement(
        url: &str,
        blobs: BlobPlacement,
    ) -> StoreResult<PostgresStore> {
        let mut client = Client::connect(url, NoTls).context("connecting to postgresql")?;
        migrate::run(&mut client)?;
        Ok(PostgresStore {
            client: Mutex::new(client),
            blobs,
            calls: AtomicU64::new(0),
            seen: Mutex::new(None),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Client> {
        // A panic while the lock was held dropped its transaction, which rolls back, so the
        // connection is consistent and safe to keep using.
        let client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        // Counted with the lock held: a version read (which holds it too) sees every call
        // that came before it, and any call after it makes that read stale.
        self.calls.fetch_add(1, Ordering::SeqCst);
        client
    }

    /// The version last read, if it is fresh and this store was not called since.
    fn fresh_version(&self) -> Option<u64> {
        let seen = (*self.seen.lock().unwrap_or_else(PoisonError::into_inner))?;
        let untouched = seen.calls == self.calls.load(Ordering::SeqCst);
        (untouched && seen.at.elapsed() < VERSION_FRESH).then_some(seen.version)
    }
}

impl Store for PostgresStore {
    fn create_cases(&self, cases: &[NewCase]) -> StoreResult<()> {
        // Hashing needs nothing from the database, so it happens before taking the lock.
        let chained = write::chain_cases(cases);
        write::create_cases(&mut self.lock(), &chained)
    }

    fn append(
        &self,
        case_id: &str,
        expected_head: u64,
        events: &[NewEvent],
        projection: &Projection,
    ) -> StoreResult<Vec<StoredEvent>> {
        write::append(&mut self.lock(), case_id, expected_head, events, projection)
    }

    fn case(&self, case_id: &str) -> StoreResult<Option<StoredCase>> {
        read::case(&mut self.lock(), case_id)
    }

    fn events(&self, case_id: &str) -> StoreResult<Vec<StoredEvent>> {
        read::events(&mut self.lock(), case_id)
    }

    fn list_cases(&self, filter: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)> {
        list::list_cases(&mut self.lock(), filter)
    }

    fn deadlines(&self, query: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>> {
        read::deadlines(&mut self.lock(), query)
    }

    fn denial_determinations(&self, facility_key: &str, excluding_case: &str) -> StoreResult<u32> {
        read::denial_determinations(&mut self.lock(), facility_key, excluding_case)
    }

    fn verify(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<VerifyReport> {
        verify::verify(&mut self.lock(), progress)
    }

    fn stats(&self) -> StoreResult<StoreStats> {
        read::stats(&mut self.lock())
    }

    fn version(&self) -> StoreResult<u64> {
        if let Some(version) = self.fresh_version() {
            return Ok(version);
        }
        // Not through `lock`: reading the version is not a call that could have written.
        let mut client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let calls = self.calls.load(Ordering::SeqCst);
        let version = version::read_version(&mut client)?;
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(SeenVersion {
            version,
            at: Instant::now(),
            calls,
        });
        Ok(version)
    }

    /// Only a fresh version read ([`VERSION_FRESH`]), never the database: it is asked from
    /// async workers (rrm-web's cache), where this synchronous client cannot run (its
    /// runtime refuses to start inside another). `None` sends the caller to `version` on
    /// the blocking pool.
    fn try_version(&self) -> Option<StoreResult<u64>> {
        self.fresh_version().map(Ok)
    }
}

/// `PostgresStore` is a whole [`rrm_store::Backend`]: this fails to compile otherwise.
const _: fn() = || {
    fn backend<B: rrm_store::Backend>() {}
    backend::<PostgresStore>();
};
