//! The store version ([`rrm_store::Store::version`]) and the one way to begin a write.
//!
//! Every write transaction begins with [`begin_write`], which bumps the one `store_version`
//! row before anything else. That makes `version()` a primary-key read that moves with every
//! commit (from this server or another one on the same database), and makes that row's lock
//! the database's write lock, always taken first: writes queue in one order (no deadlock
//! between a locked case row and a foreign key check), and anything read after it, such as
//! the audit log's head, cannot change until the transaction ends.

use postgres::{Client, Transaction};

use rrm_store::StoreResult;

use crate::error::{from_sql_int, Context};

/// Starts a write transaction and bumps the store version in it, first. `doing` names the
/// write for errors.
pub(crate) fn begin_write<'a>(client: &'a mut Client, doing: &str) -> StoreResult<Transaction<'a>> {
    let mut tx = client
        .transaction()
        .with_context(|| format!("starting {doing}"))?;
    bump_version(&mut tx)?;
    Ok(tx)
}

/// Bumps the store version inside `tx`, taking the database's write lock until `tx` ends.
/// [`begin_write`] calls it; call it yourself only first thing in a transaction begun some
/// other way.
pub(crate) fn bump_version(tx: &mut Transaction<'_>) -> StoreResult<()> {
    tx.execute(
        "update store_version set version = version + 1 where id = 1",
        &[],
    )
    .context("bumping the store version")?;
    Ok(())
}

/// The current store version: one primary-key read.
pub(crate) fn read_version(client: &mut Client) -> StoreResult<u64> {
    let row = client
        .query_one("select version from store_version where id = 1", &[])
        .context("reading the store version")?;
    from_sql_int(row.get(0), "the store version")
}
