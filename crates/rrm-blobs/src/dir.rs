//! [`DirBlobStore`]: file bytes as content-addressed files in a local directory,
//! `ROOT/ab/cd/abcd…` (the key's first two bytes as two levels of directories, so no
//! directory grows past 65,536 entries).
//!
//! Invariants kept here:
//! - A path is only ever made from a key this store computed; a name read from the directory
//!   is an object only if it parses as a key and sits where that key belongs.
//! - An object appears whole or not at all: bytes go to a temporary file in `ROOT/tmp`, are
//!   fsynced, renamed into place, and the directory is fsynced, so `put` is durable when it
//!   returns and a crash leaves at most a stray temporary file, never a torn object.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use rrm_store::{
    key_hex, parse_key, sha256, BlobEntry, BlobKind, BlobLocation, BlobStore, Hash, StoreError,
    StoreResult,
};

/// The file that names the installation owning the directory.
const OWNER_FILE: &str = "rrm-blobs-owner";
/// Where objects are written before they are renamed into place.
const TMP_DIR: &str = "tmp";

/// A [`BlobStore`] in a local directory.
#[derive(Debug)]
pub struct DirBlobStore {
    root: PathBuf,
    /// Makes temporary names unique within the process (the pid, across processes).
    counter: AtomicU64,
}

fn io_error(doing: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Other(format!("{doing} {}: {e}", path.display()))
}

impl DirBlobStore {
    /// Opens (creating if needed) the store at `root`, which is made absolute so that the
    /// location recorded for it means the same from any working directory.
    pub fn open(root: &Path) -> StoreResult<DirBlobStore> {
        fs::create_dir_all(root.join(TMP_DIR))
            .map_err(|e| io_error("cannot create the file directory", root, e))?;
        let root = fs::canonicalize(root)
            .map_err(|e| io_error("cannot resolve the file directory", root, e))?;
        Ok(DirBlobStore {
            root,
            counter: AtomicU64::new(0),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `ROOT/ab/cd` for a key starting `abcd`.
    fn dir_of(&self, hex: &str) -> PathBuf {
        self.root.join(&hex[0..2]).join(&hex[2..4])
    }

    fn path_of(&self, key: &Hash) -> PathBuf {
        let hex = key_hex(key);
        self.dir_of(&hex).join(hex)
    }

    /// Writes `bytes` to a fresh temporary file, fsynced, and returns its path.
    fn write_temporary(&self, hex: &str, bytes: &[u8]) -> StoreResult<PathBuf> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .root
            .join(TMP_DIR)
            .join(format!("{hex}.{}.{n}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut file = File::options().write(true).create_new(true).open(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_error("cannot write", &tmp, e)
        })?;
        Ok(tmp)
    }
}

/// Fsyncs a directory, so a rename or a new entry in it survives a power loss.
fn sync_dir(dir: &Path) -> StoreResult<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("cannot sync", dir, e))
}

fn modified(meta: &fs::Metadata) -> Option<DateTime<Utc>> {
    meta.modified().ok().map(DateTime::<Utc>::from)
}

/// Two lowercase hex digits: a name the fan-out directories may have.
fn is_fan_out(name: &str) -> bool {
    name.len() == 2 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The entries of `dir` as (name, path, metadata) without following links; a missing
/// directory has none.
fn entries(dir: &Path) -> StoreResult<Vec<(String, PathBuf, fs::Metadata)>> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("cannot list", dir, e)),
    };
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| io_error("cannot list", dir, e))?;
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| io_error("cannot read", &path, e))?;
        if let Ok(name) = entry.file_name().into_string() {
            out.push((name, path, meta));
        }
    }
    Ok(out)
}

impl BlobStore for DirBlobStore {
    fn put(&self, bytes: &[u8]) -> StoreResult<Hash> {
        let key = sha256(bytes);
        let hex = key_hex(&key);
        let dir = self.dir_of(&hex);
        let tmp = self.write_temporary(&hex, bytes)?;
        let placed = fs::create_dir_all(&dir)
            .map_err(|e| io_error("cannot create", &dir, e))
            .and_then(|()| {
                // Rename replaces an existing object atomically: same bytes, fresh mtime.
                let to = dir.join(&hex);
                fs::rename(&tmp, &to).map_err(|e| io_error("cannot place", &to, e))
            });
        if let Err(e) = placed {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        sync_dir(&dir)?;
        // The fan-out directories may be new: their entries must be durable too.
        sync_dir(dir.parent().unwrap_or(&self.root))?;
        sync_dir(&self.root)?;
        Ok(key)
    }

    fn get(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>> {
        let path = self.path_of(key);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("cannot read", &path, e)),
        }
    }

    fn walk(&self, visit: &mut dyn FnMut(BlobEntry) -> StoreResult<()>) -> StoreResult<()> {
        for (first, first_path, meta) in entries(&self.root)? {
            if !meta.is_dir() || !is_fan_out(&first) {
                continue;
            }
            for (second, second_path, meta) in entries(&first_path)? {
                if !meta.is_dir() || !is_fan_out(&second) {
                    continue;
                }
                for (name, _, meta) in entries(&second_path)? {
                    let Some(key) = parse_key(&name) else {
                        continue;
                    };
                    // Only where this key belongs, and only a plain file (never a link).
                    if name[0..2] != first || name[2..4] != second || !meta.is_file() {
                        continue;
                    }
                    visit(BlobEntry {
                        key,
                        size: meta.len(),
                        modified: modified(&meta),
                    })?;
                }
            }
        }
        Ok(())
    }

    fn delete(&self, key: &Hash) -> StoreResult<bool> {
        let path = self.path_of(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error("cannot delete", &path, e)),
        }
    }

    fn location(&self) -> BlobLocation {
        BlobLocation {
            kind: BlobKind::Directory,
            spec: format!("dir:{}", self.root.display()),
        }
    }

    fn owner(&self) -> StoreResult<Option<String>> {
        let path = self.root.join(OWNER_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text.trim().to_string())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("cannot read", &path, e)),
        }
    }

    fn set_owner(&self, id: &str) -> StoreResult<()> {
        let tmp = self.write_temporary("owner", format!("{id}\n").as_bytes())?;
        let path = self.root.join(OWNER_FILE);
        fs::rename(&tmp, &path).map_err(|e| io_error("cannot write", &path, e))?;
        sync_dir(&self.root)
    }
}
