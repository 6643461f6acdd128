//! Connecting with a placement for the database's files: the `blob_store` row remembers where
//! they are and the mark its external store carries; `rrm_store::settle_placement` has the
//! rules (another place is refused, naming both, unless the database holds no file), exactly
//! as SQLite's `open_with_blobs`.
//!
//! The check and the record it writes are one write transaction (`crate::version::begin_write`
//! takes the database's write lock first), so two servers connecting at once to a new
//! database cannot record two different places, and no file is written between the check
//! that the database holds none and the record of a new place.

use postgres::{Client, GenericClient};

use rrm_store::{
    settle_placement, BlobKind, BlobLocation, BlobPlacement, BlobRecord, StoreError, StoreResult,
};

use crate::error::{col, Context};
use crate::version::begin_write;
use crate::PostgresStore;

impl PostgresStore {
    /// Connects to `url` (bringing the schema up to date) with file bytes where `choose` says.
    /// `choose` is told where the database says its files are (`database` for a new one) and
    /// returns the placement to use; a placement other than the recorded one is refused,
    /// naming both, unless the database holds no file yet.
    pub fn connect_with_blobs(
        url: &str,
        choose: &dyn Fn(&BlobLocation) -> StoreResult<BlobPlacement>,
    ) -> StoreResult<PostgresStore> {
        // Connected with the database placement only to read the record; nothing is read
        // or written through it before the chosen placement replaces it.
        let mut store = PostgresStore::connect_with_placement(url, BlobPlacement::InDatabase)?;
        let placement = choose(&recorded_location(&mut store.lock())?)?;
        settle(&mut store.lock(), &placement)?;
        store.blobs = placement;
        Ok(store)
    }

    /// Where this database's files are kept.
    pub fn blob_location(&self) -> BlobLocation {
        self.blobs.location()
    }
}

/// The `blob_store` row, if there is one.
pub(crate) fn record(client: &mut impl GenericClient) -> StoreResult<Option<BlobRecord>> {
    let row = client
        .query_opt(
            "select kind, location, store_id from blob_store where id = 1",
            &[],
        )
        .context("reading where files are kept")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let what = "the record of where files are kept";
    let kind: String = col(&row, 0, what)?;
    let kind = BlobKind::parse(&kind)
        .ok_or_else(|| StoreError::Other(format!("unknown kind of file store `{kind}`")))?;
    Ok(Some(BlobRecord {
        location: BlobLocation {
            kind,
            spec: col(&row, 1, what)?,
        },
        store_id: col(&row, 2, what)?,
    }))
}

pub(crate) fn write_record(client: &mut impl GenericClient, r: &BlobRecord) -> StoreResult<()> {
    client
        .execute(
            "insert into blob_store (id, kind, location, store_id) values (1, $1, $2, $3) \
             on conflict (id) do update set kind = excluded.kind, \
             location = excluded.location, store_id = excluded.store_id",
            &[&r.location.kind.as_str(), &r.location.spec, &r.store_id],
        )
        .context("recording where files are kept")?;
    Ok(())
}

/// A new id to mark an external store with: 128 random bits as 32 hex digits, like SQLite's.
pub(crate) fn new_store_id(client: &mut impl GenericClient) -> StoreResult<String> {
    let row = client
        .query_one("select replace(gen_random_uuid()::text, '-', '')", &[])
        .context("making a file store id")?;
    col(&row, 0, "a new file store id")
}

fn holds_files(client: &mut impl GenericClient) -> StoreResult<bool> {
    let row = client
        .query_one("select exists (select 1 from blobs)", &[])
        .context("counting stored files")?;
    col(&row, 0, "whether files are stored")
}

/// Refuses a file write through `placement` when the database records another place: another
/// server moved the files (`rrm blobs migrate`) after this one connected. Checked inside the
/// write's transaction, which holds the write lock a migration holds to its end, so a write
/// either commits before the move (and is moved) or sees the new record here; without it, the
/// bytes would be put in the old place only, leaving a record without bytes in the new one.
/// (So servers sharing a directory must name it by one path: each connection records its own.)
pub(crate) fn still_at(tx: &mut impl GenericClient, placement: &BlobPlacement) -> StoreResult<()> {
    let recorded = record(tx)?.map_or_else(BlobLocation::database, |r| r.location);
    let here = placement.location();
    if recorded == here {
        return Ok(());
    }
    Err(StoreError::Conflict(format!(
        "this database's files were moved to `{recorded}` after this server connected with \
         `{here}`: reconnect (restart the server) with `--blobs {recorded}`"
    )))
}

/// Where the files are as the database says: its row, or the database itself.
pub(crate) fn recorded_location(client: &mut Client) -> StoreResult<BlobLocation> {
    Ok(record(client)?.map_or_else(BlobLocation::database, |r| r.location))
}

/// Checks (and on first use records) that `placement` is where this database's files are,
/// by `rrm_store::settle_placement`'s rules, in one write transaction.
pub(crate) fn settle(client: &mut Client, placement: &BlobPlacement) -> StoreResult<()> {
    let doing = "checking where files are kept";
    let mut tx = begin_write(client, doing)?;
    let recorded = record(&mut tx)?;
    let holds_files = holds_files(&mut tx)?;
    // `settle_placement` asks for an id through a `Fn`; one is made up front (cheap, and
    // unused when a record exists) since the transaction cannot be borrowed inside it.
    let fresh = new_store_id(&mut tx)?;
    let changed = settle_placement(recorded.as_ref(), placement, holds_files, &|| {
        Ok(fresh.clone())
    })?;
    if let Some(record) = changed {
        write_record(&mut tx, &record)?;
    }
    tx.commit().context("recording where files are kept")
}
