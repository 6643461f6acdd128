//! The copy and the archive between two SQLite stores, through the transfer conformance suite,
//! and the archive's refusals; `postgres.rs` the pairs with PostgreSQL.

mod postgres;

use rrm_store::conformance_transfer::run_all_transfer;
use rrm_store::{Store, StoreError, Tables, Workspace};
use rrm_store_sqlite::SqliteStore;

use crate::{copy, read_archive_digests, restore_archive, write_archive};

fn memory() -> SqliteStore {
    SqliteStore::open_in_memory().unwrap()
}

pub(super) fn fill_from(
    source: &SqliteStore,
) -> impl Fn(&[u8]) -> Result<Option<Vec<u8>>, StoreError> + '_ {
    move |sha: &[u8]| {
        let key: [u8; 32] = sha
            .try_into()
            .map_err(|_| StoreError::Other("key".into()))?;
        source.blob(&key)
    }
}

#[test]
fn a_copy_carries_every_conformance_state_whole() {
    run_all_transfer(&memory, &memory, &|source, destination| {
        copy(source, &fill_from(source), destination, &mut |_, _| {}).map(|_| ())
    });
}

#[test]
fn an_archive_carries_every_conformance_state_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.rrm");
    run_all_transfer(&memory, &memory, &|source, destination| {
        let _ = std::fs::remove_file(&path);
        let written = write_archive(source, &fill_from(source), &path, "2026-12-01", "test")?;
        let restored = restore_archive(&path, destination)?;
        assert_eq!(restored, written);
        Ok(())
    });
}

/// A source with a little of everything: one conformance state is enough for the refusals.
fn filled() -> SqliteStore {
    let store = memory();
    let (_, check) = rrm_store::conformance_workspace::WORKSPACE_CHECKS
        .iter()
        .find(|(name, _)| *name == "a_petition_is_filed_whole_and_unpublished")
        .expect("the petition check");
    check(&store, &store);
    store
}

#[test]
fn a_damaged_archive_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.rrm");
    let source = filled();
    let summary = write_archive(&source, &fill_from(&source), &path, "now", "sqlite").unwrap();
    assert!(summary.rows() > 0);
    assert_eq!(read_archive_digests(&path).unwrap(), summary);

    // Truncated: the gzip stream (or the records in it) end early.
    let whole = std::fs::read(&path).unwrap();
    let truncated = dir.path().join("truncated.rrm");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let destination = memory();
    let err = restore_archive(&truncated, &destination).unwrap_err();
    assert!(
        err.to_string().contains("not a whole rrm-backup/1 archive"),
        "{err}"
    );
    assert_eq!(destination.stats().unwrap().cases, 0);
    let empty = destination.tables().unwrap();
    for table in &empty {
        assert_eq!(
            destination.scan(table, &mut |_| Ok(())).unwrap(),
            0,
            "{}",
            table.name
        );
    }

    // Not an archive at all.
    let other = dir.path().join("other.rrm");
    std::fs::write(&other, b"hello").unwrap();
    let err = restore_archive(&other, &destination).unwrap_err();
    assert!(
        err.to_string().contains("is not an rrm-backup/1 archive"),
        "{err}"
    );
}

#[test]
fn a_row_changed_inside_the_archive_is_named() {
    use flate2::read::GzDecoder;
    use flate2::write::GzEncoder;
    use std::io::{Read, Write};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.rrm");
    let source = filled();
    write_archive(&source, &fill_from(&source), &path, "now", "sqlite").unwrap();
    let mut plain = Vec::new();
    GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_end(&mut plain)
        .unwrap();
    // Flip one byte of the receipt code a petition was filed under, wherever it is.
    let at = plain
        .windows(4)
        .position(|w| w == b"RRM-")
        .expect("a receipt code");
    plain[at + 4] ^= 1;
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let err = read_archive_digests(&path).unwrap_err();
    assert!(err.to_string().contains("do not match its digest"), "{err}");
}
