//! The rules every backend applies when it opens with a [`BlobPlacement`], so a data
//! directory is never opened against another place than its files' by mistake. A backend
//! keeps a [`BlobRecord`] (where its files are, and the mark its external store carries) and
//! calls [`settle_placement`] in a transaction that reads and writes it.
//!
//! - No record means the files are in the database.
//! - Another kind of place than the recorded one is refused, naming both, unless the backend
//!   holds no file at all: then the new place is taken and recorded.
//! - An external store must carry the record's mark ([`claim`]). A store marked by another
//!   installation is refused; an unmarked one only while the backend holds no file (a first
//!   use, or a move in progress). Same mark at another location is the same store moved: the
//!   record follows it.

use crate::{
    BlobKind, BlobLocation, BlobPlacement, BlobRecord, BlobStore, StoreError, StoreResult,
};

fn mismatch(recorded: &BlobLocation, asked: &BlobLocation) -> StoreError {
    StoreError::Other(format!(
        "this data directory keeps its files in `{recorded}`, but it was opened with \
         `--blobs {asked}`: open it with `--blobs {recorded}`, or move the files with \
         `rrm blobs migrate --to {asked}`"
    ))
}

/// Decides whether `placement` may be used, given the backend's `recorded` place and whether
/// it `holds_files`; marks an external store as needed. Returns the record to write, if it
/// changed. `new_id` makes the mark of a first external store.
pub fn settle_placement(
    recorded: Option<&BlobRecord>,
    placement: &BlobPlacement,
    holds_files: bool,
    new_id: &dyn Fn() -> StoreResult<String>,
) -> StoreResult<Option<BlobRecord>> {
    let asked = placement.location();
    let current = recorded.map_or_else(BlobLocation::database, |r| r.location.clone());
    // Another place may be taken up only by a backend with nothing to lose.
    if current.kind != asked.kind && holds_files {
        return Err(mismatch(&current, &asked));
    }
    let store_id = match recorded {
        Some(r) => r.store_id.clone(),
        None => new_id()?,
    };
    if let BlobPlacement::External(store) = placement {
        claim(store.as_ref(), &store_id, &current, holds_files)?;
    }
    let record = BlobRecord {
        location: asked,
        store_id,
    };
    let changed = match recorded {
        Some(r) => *r != record,
        None => record.location.kind != BlobKind::Database,
    };
    Ok(changed.then_some(record))
}

/// Checks that `store` carries mark `id`, marking it if it is unmarked and nothing is lost by
/// taking it: the backend holds no file yet, or its files are in the database (a migration
/// marks its target before copying).
pub fn claim(
    store: &dyn BlobStore,
    id: &str,
    recorded: &BlobLocation,
    holds_files: bool,
) -> StoreResult<()> {
    let here = store.location();
    let unmarked_but_needed = holds_files && recorded.kind != BlobKind::Database;
    match store.owner()? {
        Some(mark) if mark == id => Ok(()),
        Some(mark) => Err(StoreError::Other(format!(
            "`{here}` holds the files of another rrm installation (marked {mark}); this data \
             directory's files are in `{recorded}` (marked {id}). Give each data directory \
             its own directory or prefix"
        ))),
        None if unmarked_but_needed && here == *recorded => Err(StoreError::Other(format!(
            "`{here}` holds no rrm files (no mark {id}): if this data directory's files were \
             moved, open it with `--blobs` naming their new place"
        ))),
        None if unmarked_but_needed => Err(StoreError::Other(format!(
            "`{here}` is not this data directory's file store (it has no rrm mark); its files \
             are in `{recorded}` (marked {id}): open it with `--blobs {recorded}`"
        ))),
        None => store.set_owner(id),
    }
}
