//! Opening a data directory: the SQLite store inside it with its file bytes where `--blobs`
//! or the data directory's own record says, the procedure definitions, and on first use the
//! public RRM record.

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

use rrm_app::vault::MasterKey;
use rrm_app::{public_record, Rrm};
use rrm_blobs::{BlobsSpec, S3Settings};
use rrm_core::procedure::{load_procedures, shipped_sources, ProcedureSet, SourceFile};
use rrm_store::{BlobLocation, StoreError};
use rrm_store_sqlite::SqliteStore;

use crate::cli::Global;
use crate::exit::Failure;

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "rrm.sqlite3";

/// Opens (creating if needed) the data directory; a new one gets the public record. Also
/// says where its files are kept.
pub fn open(global: &Global) -> Result<(Rrm, BlobLocation), Failure> {
    let procedures = Arc::new(procedures(global.procedures.as_deref())?);
    std::fs::create_dir_all(&global.data)
        .with_context(|| format!("cannot create data directory {}", global.data.display()))?;
    let is_new = !global.data.join(DATABASE_FILE).exists();
    let store = open_store(global)?;
    let files = store.blob_location();
    let mut rrm = Rrm::new(Arc::new(store), procedures);
    if let Some(key) = master_key(global)? {
        rrm.check_master_key(&key)?;
        rrm = rrm.with_master_key(key);
    }
    rrm.ensure_intake_team(crate::clock::now())?;
    if is_new && !global.no_default_data {
        let report = rrm.import_all(&public_record(), crate::clock::now())?;
        eprintln!(
            "Loaded the public RRM record ({} cases, {} events) into {}",
            report.cases,
            report.events,
            global.data.display()
        );
    }
    Ok((rrm, files))
}

/// The store of an existing or new data directory, with file bytes where `--blobs` says or,
/// without it, where the data directory's record says (the database for a new one). The one
/// place the blob store is chosen: every command and `rrm serve` come through here.
pub fn open_store(global: &Global) -> Result<SqliteStore, Failure> {
    let asked = global
        .blobs
        .as_deref()
        .map(BlobsSpec::parse)
        .transpose()
        .map_err(|e| Failure::bad_input(format!("--blobs: {e}")))?;
    let settings = S3Settings::from_env();
    let path = global.data.join(DATABASE_FILE);
    // Whether `--blobs` names another place than the recorded one: then a refusal is the
    // user's bad input, not a storage failure.
    let elsewhere = Cell::new(false);
    let opened = SqliteStore::open_with_blobs(&path, &|recorded| {
        let spec = match &asked {
            Some(spec) => spec.clone(),
            None => BlobsSpec::parse(&recorded.spec).map_err(StoreError::Other)?,
        };
        let placement = spec.open(&settings)?;
        elsewhere.set(placement.location() != *recorded);
        Ok(placement)
    });
    match opened {
        Ok(store) => Ok(store),
        Err(e) if elsewhere.get() => Err(Failure::bad_input(format!(
            "cannot open store {}: {e}",
            path.display()
        ))),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("cannot open store {}", path.display()))
            .into()),
    }
}

/// Where a data directory's master key is kept when none is named: beside the directory, not
/// in it, so a copy of the data directory is not a copy of the key (`./rrm-data` has
/// `./rrm-data.master-key`).
pub fn default_key_path(data: &Path) -> std::path::PathBuf {
    let name = data
        .file_name()
        .map_or_else(|| "rrm-data".into(), |n| n.to_string_lossy().into_owned());
    let parent = data.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .unwrap_or_else(|| Path::new("."))
        .join(format!("{name}.master-key"))
}

/// The master key from `--master-key-file` / `RRM_MASTER_KEY_FILE`, or from `RRM_MASTER_KEY`
/// (the key itself, for platforms that inject secrets as variables), or the data directory's
/// default key file if it exists, or none.
pub fn master_key(global: &Global) -> Result<Option<MasterKey>, Failure> {
    if let Some(path) = &global.master_key_file {
        return Ok(Some(MasterKey::read_file(path)?));
    }
    if let Ok(text) = std::env::var("RRM_MASTER_KEY") {
        if !text.trim().is_empty() {
            let key = MasterKey::parse(&text)
                .map_err(|e| Failure::bad_input(format!("RRM_MASTER_KEY: {e}")))?;
            return Ok(Some(key));
        }
    }
    let default = default_key_path(&global.data);
    match default.exists() {
        true => Ok(Some(MasterKey::read_file(&default)?)),
        false => Ok(None),
    }
}

/// The built-in procedure definitions, or every *.toml in `dir`.
pub fn procedures(dir: Option<&Path>) -> Result<ProcedureSet, Failure> {
    let sources = match dir {
        None => shipped_sources(),
        Some(dir) => {
            let mut files = Vec::new();
            let entries = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read procedures directory {}", dir.display()))?;
            for entry in entries {
                let path = entry.context("cannot list procedures")?.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    files.push(SourceFile {
                        name: path.display().to_string(),
                        text,
                    });
                }
            }
            files
        }
    };
    load_procedures(&sources).map_err(|e| Failure::bad_input(e.to_string()))
}

/// A store opened by itself, for the commands that move it whole.
pub enum RawStore {
    Sqlite(SqliteStore),
}

impl RawStore {
    pub fn movable(&self) -> &dyn crate::commands::Movable {
        match self {
            RawStore::Sqlite(s) => s,
        }
    }
}

/// The store alone (no public record loaded, no intake team made), where `--blobs` says.
pub fn open_raw(global: &Global) -> Result<RawStore, Failure> {
    std::fs::create_dir_all(&global.data)
        .with_context(|| format!("cannot create data directory {}", global.data.display()))?;
    Ok(RawStore::Sqlite(open_store(global)?))
}
