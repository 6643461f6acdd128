//! Opening a database with a placement for its files: the `blob_store` row remembers where
//! they are, so a data directory is never opened against another place by mistake.
//!
//! The rules, checked in one immediate transaction when the store opens:
//! - No row means the files are in the database (every database from before migration 0006).
//! - Another kind of place than the recorded one is refused, naming both, unless the
//!   database holds no file at all: then the new place is taken (an external store marked
//!   with the database's id, a new one on first use) and recorded.
//! - An external store must carry the row's mark. A store marked by another installation is
//!   refused; an unmarked one only while the database holds no file (a first use, or an
//!   empty move). Same mark at another location is the same store moved: the row follows.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{
    BlobKind, BlobLocation, BlobPlacement, BlobRecord, BlobStore, StoreError, StoreResult,
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

fn mismatch(recorded: &BlobLocation, asked: &BlobLocation) -> StoreError {
    StoreError::Other(format!(
        "this data directory keeps its files in `{recorded}`, but it was opened with \
         `--blobs {asked}`: open it with `--blobs {recorded}`, or move the files with \
         `rrm blobs migrate --to {asked}`"
    ))
}

/// Checks (and on first use records) that `placement` is where this database's files are.
pub(crate) fn settle(conn: &mut Connection, placement: &BlobPlacement) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to check where files are kept")?;
    let asked = placement.location();
    let recorded = record(&tx)?;
    let current = recorded
        .as_ref()
        .map_or_else(BlobLocation::database, |r| r.location.clone());
    let holds_files = holds_files(&tx)?;
    // Another place may be taken up only by a database with nothing to lose.
    if current.kind != asked.kind && holds_files {
        return Err(mismatch(&current, &asked));
    }
    let id = match &recorded {
        Some(r) => r.store_id.clone(),
        None => new_store_id(&tx)?,
    };
    if let BlobPlacement::External(store) = placement {
        claim(store.as_ref(), &id, &current, holds_files)?;
    }
    if recorded.is_some() || asked.kind != BlobKind::Database {
        let record = BlobRecord {
            location: asked,
            store_id: id,
        };
        write_record(&tx, &record)?;
    }
    tx.commit().context("recording where files are kept")
}

/// Checks that `store` carries mark `id`, marking it if it is unmarked and nothing is lost by
/// taking it (the database holds no file yet).
pub(crate) fn claim(
    store: &dyn BlobStore,
    id: &str,
    recorded: &BlobLocation,
    holds_files: bool,
) -> StoreResult<()> {
    let here = store.location();
    match store.owner()? {
        Some(mark) if mark == id => Ok(()),
        Some(mark) => Err(StoreError::Other(format!(
            "`{here}` holds the files of another rrm installation (marked {mark}); this data \
             directory's files are in `{recorded}` (marked {id}). Give each data directory \
             its own directory or prefix"
        ))),
        None if holds_files && recorded.kind != BlobKind::Database && here == *recorded => {
            Err(StoreError::Other(format!(
                "`{here}` holds no rrm files (no mark {id}): if this data directory's files \
                 were moved, open it with `--blobs` naming their new place"
            )))
        }
        None if holds_files && recorded.kind != BlobKind::Database => {
            Err(StoreError::Other(format!(
                "`{here}` is not this data directory's file store (it has no rrm mark); its \
                 files are in `{recorded}` (marked {id}): open it with `--blobs {recorded}`"
            )))
        }
        None => store.set_owner(id),
    }
}
