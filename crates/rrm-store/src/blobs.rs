//! The blob-store seam: [`BlobStore`], where a backend keeps file bytes (petition evidence,
//! case documents) when they do not live in its database — a local directory or S3-compatible
//! object storage — and the checks every backend shares over one.
//!
//! Invariants every implementation keeps (checked by [`crate::conformance_blobs`]):
//! - Content-addressed: an object's key is the SHA-256 of its bytes, computed by the store
//!   from the bytes it is given, never taken from a caller or from a name found in storage.
//! - `put` is idempotent and durable when it returns, and it (re)writes the object even when it
//!   exists, so a re-stored object is young again for [`orphans`]' grace period.
//! - A backend with an external blob store writes the bytes *first* and then, in one
//!   transaction, the file record with its custody entry: a crash between the two leaves at
//!   most an unreferenced object (an orphan), never a record without bytes.
//! - A store belongs to one installation: [`BlobStore::owner`] names it, so two data
//!   directories cannot share one bucket prefix, where each would see the other's files as
//!   orphans.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{sha256, BlobReport, Hash, StoreError, StoreResult};

/// The kinds of place file bytes can be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    /// In the backend's own database (a `blobs` table): one file to back up.
    Database,
    /// Content-addressed files in a local directory.
    Directory,
    /// Objects in an S3-compatible bucket, under a prefix.
    S3,
}

impl BlobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlobKind::Database => "database",
            BlobKind::Directory => "directory",
            BlobKind::S3 => "s3",
        }
    }

    pub fn parse(text: &str) -> Option<BlobKind> {
        [BlobKind::Database, BlobKind::Directory, BlobKind::S3]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Where a blob store keeps its bytes: its kind, and the spec that names it as `--blobs`
/// takes it (`database`, `dir:/srv/rrm-files`, `s3://bucket/prefix`). No credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobLocation {
    pub kind: BlobKind,
    pub spec: String,
}

impl BlobLocation {
    pub fn database() -> BlobLocation {
        BlobLocation {
            kind: BlobKind::Database,
            spec: "database".into(),
        }
    }
}

impl fmt::Display for BlobLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec)
    }
}

/// One object found by [`BlobStore::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobEntry {
    pub key: Hash,
    pub size: u64,
    /// When it was last written, where the store knows (for the orphans' grace period).
    pub modified: Option<DateTime<Utc>>,
}

/// Content-addressed storage of file bytes. Implementations must pass
/// [`crate::conformance_blobs::run_all_blobs`]. Synchronous: callers are blocking threads
/// (the web runs store work in `spawn_blocking`) and the command line.
pub trait BlobStore: Send + Sync + fmt::Debug {
    /// Stores `bytes` under their SHA-256 and returns it; durable when it returns. Storing
    /// bytes that are there already succeeds and rewrites them.
    fn put(&self, bytes: &[u8]) -> StoreResult<Hash>;

    /// The bytes stored under `key`, as stored (unchecked: verification rehashes them).
    fn get(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>>;

    /// Visits every object whose name is a key this store could have written, in no set
    /// order; anything else found in the storage is not an object of this store and is
    /// skipped. Stops at the first error `visit` returns.
    fn walk(&self, visit: &mut dyn FnMut(BlobEntry) -> StoreResult<()>) -> StoreResult<()>;

    /// Deletes the object under `key`; whether there was one.
    fn delete(&self, key: &Hash) -> StoreResult<bool>;

    /// Where the bytes are, for messages and the backend's record of it.
    fn location(&self) -> BlobLocation;

    /// The id of the installation this store belongs to, if one has claimed it.
    fn owner(&self) -> StoreResult<Option<String>>;

    /// Marks the store as belonging to installation `id` (replacing any mark).
    fn set_owner(&self, id: &str) -> StoreResult<()>;
}

/// Where a backend keeps file bytes: in its own database, or in an external [`BlobStore`].
#[derive(Debug, Clone)]
pub enum BlobPlacement {
    InDatabase,
    External(Arc<dyn BlobStore>),
}

impl BlobPlacement {
    pub fn location(&self) -> BlobLocation {
        match self {
            BlobPlacement::InDatabase => BlobLocation::database(),
            BlobPlacement::External(store) => store.location(),
        }
    }
}

/// What a backend remembers of where its files are: the location it last opened them at and
/// the id it marked the store with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRecord {
    pub location: BlobLocation,
    pub store_id: String,
}

/// The key of a blob as lowercase hex, how stores name objects.
pub fn key_hex(key: &Hash) -> String {
    hex::encode(key)
}

/// A key from an object name: exactly 64 lowercase hex digits, or `None`. Names found in
/// storage pass through here and nothing else, so a stray or hostile name is never a key.
pub fn parse_key(name: &str) -> Option<Hash> {
    if name.len() != 64 || !name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut key = [0u8; 32];
    hex::decode_to_slice(name, &mut key).ok()?;
    Some(key)
}

/// Checks an external store against the keys the database references: rehashes every
/// referenced object (`broken`), lists referenced keys with no object (`missing`) and objects
/// nothing references (`orphans`). `progress` counts objects read.
pub fn check_blobs(
    store: &dyn BlobStore,
    referenced: &HashSet<Hash>,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<BlobReport> {
    let mut report = BlobReport::default();
    let mut seen = HashSet::with_capacity(referenced.len());
    store.walk(&mut |entry| {
        if !referenced.contains(&entry.key) {
            report.orphans.push(entry.key);
            return Ok(());
        }
        // Deleted between the listing and now: reported as missing below.
        let Some(bytes) = store.get(&entry.key)? else {
            return Ok(());
        };
        seen.insert(entry.key);
        report.blobs += 1;
        report.bytes += bytes.len() as u64;
        if sha256(&bytes) != entry.key {
            report.broken.push(entry.key);
        }
        progress(report.blobs);
        Ok(())
    })?;
    let mut missing: Vec<Hash> = referenced.difference(&seen).copied().collect();
    missing.sort_unstable();
    report.missing = missing;
    report.orphans.sort_unstable();
    report.broken.sort_unstable();
    Ok(report)
}

/// The orphans of an external store that were last written before `older_than`: the ones a
/// sweep may delete. A younger orphan may be a file whose record is still being committed
/// (bytes are written first), so it is left alone.
pub fn orphans(
    store: &dyn BlobStore,
    referenced: &HashSet<Hash>,
    older_than: DateTime<Utc>,
) -> StoreResult<Vec<Hash>> {
    let mut out = Vec::new();
    store.walk(&mut |entry| {
        let old = entry.modified.is_some_and(|m| m < older_than);
        if old && !referenced.contains(&entry.key) {
            out.push(entry.key);
        }
        Ok(())
    })?;
    out.sort_unstable();
    Ok(out)
}

/// Copies the objects under `keys` from `read` (a backend's current place) into `to`,
/// reading each back and checking its hash, so a migration that returns `Ok` left a complete,
/// verified copy. `progress` counts objects copied.
pub fn copy_blobs(
    keys: &[Hash],
    read: &dyn Fn(&Hash) -> StoreResult<Option<Vec<u8>>>,
    to: &dyn BlobStore,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<u64> {
    let mut copied = 0;
    for key in keys {
        let bytes = read(key)?.ok_or_else(|| {
            StoreError::Other(format!(
                "stored file {} is missing, so it cannot be moved; run `rrm verify`",
                key_hex(key)
            ))
        })?;
        if sha256(&bytes) != *key {
            return Err(StoreError::Other(format!(
                "stored file {} no longer matches its hash, so it is not moved; run `rrm verify`",
                key_hex(key)
            )));
        }
        let put = to.put(&bytes)?;
        let back = to.get(&put)?;
        if put != *key || back.as_deref().map(sha256) != Some(*key) {
            return Err(StoreError::Other(format!(
                "stored file {} did not read back intact from {}",
                key_hex(key),
                to.location()
            )));
        }
        copied += 1;
        progress(copied);
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_hex_of_the_right_length_is_a_key() {
        let key = sha256(b"x");
        assert_eq!(parse_key(&key_hex(&key)), Some(key));
        assert_eq!(parse_key(&key_hex(&key).to_uppercase()), None);
        assert_eq!(parse_key(&key_hex(&key)[1..]), None);
        assert_eq!(parse_key("../../etc/passwd"), None);
        let mut long = key_hex(&key);
        long.push('0');
        assert_eq!(parse_key(&long), None);
    }
}
