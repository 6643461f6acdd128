//! Opening a database with a placement for its files: the `blob_store` row remembers where
//! they are and the mark its external store carries; `rrm_store::settle_placement` has the
//! rules (another place is refused, naming both, unless the database holds no file).

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{
    settle_placement, BlobKind, BlobLocation, BlobPlacement, BlobRecord, StoreError, StoreResult,
};

use crate::sql_error::Context;

/// The `blob_store` row, if there is one.
pub(crate) fn record(conn: &Connection) -> StoreResult<Option<BlobRecord>> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "select kind, location, store_id from blob_store where id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .context("reading where files are kept")?;
    let Some((kind, spec, store_id)) = row else {
        return Ok(None);
    };
    let kind = BlobKind::parse(&kind)
        .ok_or_else(|| StoreError::Other(format!("unknown kind of file store `{kind}`")))?;
    Ok(Some(BlobRecord {
        location: BlobLocation { kind, spec },
        store_id,
    }))
}

pub(crate) fn write_record(conn: &Connection, record: &BlobRecord) -> StoreResult<()> {
    conn.execute(
        "insert into blob_store (id, kind, location, store_id) values (1, ?1, ?2, ?3) \
         on conflict (id) do update set kind = excluded.kind, location = excluded.location, \
         store_id = excluded.store_id",
        params![
            record.location.kind.as_str(),
            record.location.spec,
            record.store_id
        ],
    )
    .context("recording where files are kept")?;
    Ok(())
}

/// A new id to mark an external store with.
pub(crate) fn new_store_id(conn: &Connection) -> StoreResult<String> {
    conn.query_row("select lower(hex(randomblob(16)))", [], |r| r.get(0))
        .context("making a file store id")
}

pub(crate) fn holds_files(conn: &Connection) -> StoreResult<bool> {
    conn.query_row("select exists (select 1 from blobs)", [], |r| r.get(0))
        .context("counting stored files")
}

/// Where the files are as the database says: its row, or the database itself.
pub(crate) fn recorded_location(conn: &Connection) -> StoreResult<BlobLocation> {
    Ok(record(conn)?.map_or_else(BlobLocation::database, |r| r.location))
}

/// Checks (and on first use records) that `placement` is where this database's files are,
/// by `rrm_store::settle_placement`'s rules, in one immediate transaction.
pub(crate) fn settle(conn: &mut Connection, placement: &BlobPlacement) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to check where files are kept")?;
    let recorded = record(&tx)?;
    let holds_files = holds_files(&tx)?;
    let changed = settle_placement(recorded.as_ref(), placement, holds_files, &|| {
        new_store_id(&tx)
    })?;
    if let Some(record) = changed {
        write_record(&tx, &record)?;
    }
    tx.commit().context("recording where files are kept")
}
