//! Moving an installation's data whole: [`copy`] from one backend into a new, empty one
//! (`rrm migrate`), [`write_archive`] into an `rrm-backup/1` file (`rrm backup`) and
//! [`restore_archive`] from one (`rrm restore`).
//!
//! All three go through the backends' raw [`Tables`] and check what they wrote: every table's
//! row count and order-independent digest ([`TableDigest`]) read back from the destination
//! must equal the source's, or the copy is reported as failed, naming the table. The caller
//! then runs the backend's own checks (hash chains, audit chain, file hashes) on the
//! destination. File bytes kept outside the source's database are read through the
//! `fill_bytes` callback and land in the destination's database.

mod archive;

use std::collections::BTreeMap;

use rrm_store::{StoreError, StoreResult, TableDigest, TableShape, Tables, Value};

pub use archive::{read_archive_digests, restore_archive, write_archive, ArchiveSummary, FORMAT};

/// Gives the bytes of a file whose `blobs` row has none (kept outside the database), by its
/// SHA-256; for a source whose files are all in its database it is never called.
pub type FillBytes<'a> = &'a dyn Fn(&[u8]) -> StoreResult<Option<Vec<u8>>>;

/// What was copied: each table's digest, in copy order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, TableDigest)>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, d)| d.rows).sum()
    }

    pub fn rows_of(&self, table: &str) -> Option<u64> {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, d)| d.rows)
    }
}

/// Copies every table of `source` into `destination` (which must be empty) in one
/// transaction, then reads the destination back and compares digests.
pub fn copy(
    source: &dyn Tables,
    fill_bytes: FillBytes<'_>,
    destination: &dyn Tables,
    progress: &mut dyn FnMut(&str, u64),
) -> StoreResult<CopyReport> {
    let shapes = source.tables()?;
    let mut report = CopyReport::default();
    destination.load(&mut |writer| {
        for shape in &shapes {
            let mut digest = TableDigest::default();
            let mut write = |row: &[Value]| {
                digest.add(row);
                if digest.rows % 10_000 == 0 {
                    progress(&shape.name, digest.rows);
                }
                writer.row(shape, row)
            };
            each_row(source, shape, fill_bytes, &mut write)?;
            progress(&shape.name, digest.rows);
            report.tables.push((shape.name.clone(), digest));
        }
        Ok(())
    })?;
    check_against(destination, &report.tables)?;
    Ok(report)
}

/// Reads every table of `store` back and compares it with `expected`; names the first table
/// whose rows differ. Tables the destination has beyond the expected ones must be empty.
pub fn check_against(store: &dyn Tables, expected: &[(String, TableDigest)]) -> StoreResult<()> {
    let wanted: BTreeMap<&str, &TableDigest> =
        expected.iter().map(|(t, d)| (t.as_str(), d)).collect();
    for shape in store.tables()? {
        let mut found = TableDigest::default();
        store.scan(&shape, &mut |values| {
            found.add(values);
            Ok(())
        })?;
        let want = wanted
            .get(shape.name.as_str())
            .copied()
            .copied()
            .unwrap_or_default();
        if found != want {
            return Err(StoreError::Other(format!(
                "verification failed: table {} holds {} rows (digest {}) where {} rows (digest {}) \
                 were copied",
                shape.name,
                found.rows,
                found.hex(),
                want.rows,
                want.hex()
            )));
        }
    }
    Ok(())
}

/// The `bytes` column of the `blobs` table, whose null means "kept outside the database".
fn blob_bytes_column(shape: &TableShape) -> Option<(usize, usize)> {
    if shape.name != "blobs" {
        return None;
    }
    Some((shape.position("sha256")?, shape.position("bytes")?))
}

/// Calls `each` with every row of `shape`, with the bytes of files kept outside the source's
/// database filled in. Those rows are held back until the scan ends: a backend's scan may hold
/// the connection its blob store lookups also need.
pub(crate) fn each_row(
    source: &dyn Tables,
    shape: &TableShape,
    fill_bytes: FillBytes<'_>,
    each: &mut dyn FnMut(&[Value]) -> StoreResult<()>,
) -> StoreResult<()> {
    let columns = blob_bytes_column(shape);
    let mut outside: Vec<Vec<Value>> = Vec::new();
    source.scan(shape, &mut |values| match columns {
        Some((_, bytes)) if values[bytes] == Value::Null => {
            outside.push(values.to_vec());
            Ok(())
        }
        _ => each(values),
    })?;
    let Some((key, bytes)) = columns else {
        return Ok(());
    };
    for mut row in outside {
        let Value::Bytes(sha256) = &row[key] else {
            return Err(StoreError::Other(format!(
                "table {}: a row's sha256 is not bytes",
                shape.name
            )));
        };
        let Some(found) = fill_bytes(sha256)? else {
            return Err(StoreError::Other(format!(
                "the file {} is missing from the source's blob store; `rrm verify` lists \
                 missing files",
                hex::encode(sha256)
            )));
        };
        row[bytes] = Value::Bytes(found);
        each(&row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
