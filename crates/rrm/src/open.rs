//! Opening a store: the SQLite file inside the data directory, or the PostgreSQL database
//! `--database-url` names, with its file bytes where `--blobs` or the store's own record says,
//! the procedure definitions, and on first use the public RRM record. The data directory is
//! used with either backend for what is per instance (search indexes, default master key).

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

use rrm_app::vault::MasterKey;
use rrm_app::{public_record, AppError, Rrm};
use rrm_blobs::{BlobsSpec, S3Settings};
use rrm_core::procedure::{load_procedures, shipped_sources, ProcedureSet, SourceFile};
use rrm_store::{BlobLocation, BlobPlacement, StoreError, StoreResult};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

use crate::backend::AnyStore;
use crate::cli::Global;
use crate::database_url::DatabaseUrl;
use crate::exit::Failure;

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "rrm.sqlite3";

/// Opens (creating if needed) the store; a new one gets the public record. Also says where
/// its files are kept.
pub fn open(global: &Global) -> Result<(Rrm, BlobLocation), Failure> {
    let procedures = Arc::new(procedures(global.procedures.as_deref())?);
    std::fs::create_dir_all(&global.data)
        .with_context(|| format!("cannot create data directory {}", global.data.display()))?;
    let url = database_url(global)?;
    let new_file = url.is_none() && !global.data.join(DATABASE_FILE).exists();
    let store = open_store(global)?;
    let files = store.blob_location();
    let mut rrm = store.into_rrm(procedures);
    if let Some(key) = master_key(global)? {
        rrm.check_master_key(&key)?;
        rrm = rrm.with_master_key(key);
    }
    // A PostgreSQL database is new when it holds no case and no team yet: the tables exist
    // as soon as it is migrated, so "new" cannot be a file that is missing.
    let is_new = match &url {
        None => new_file,
        Some(_) => rrm.store.stats().map_err(AppError::from)?.cases == 0 && no_team(&rrm)?,
    };
    ensure_intake_team(&rrm)?;
    if is_new && !global.no_default_data {
        let place = match &url {
            Some(url) => url.to_string(),
            None => global.data.display().to_string(),
        };
        load_public_record(&rrm, &place)?;
    }
    Ok((rrm, files))
}

fn no_team(rrm: &Rrm) -> Result<bool, Failure> {
    Ok(rrm.access.teams().map_err(AppError::from)?.is_empty())
}

/// Makes the intake team; two servers starting on one new database both try, and the one
/// whose insert conflicts finds the other's team.
fn ensure_intake_team(rrm: &Rrm) -> Result<(), Failure> {
    match rrm.ensure_intake_team(crate::clock::now()) {
        Err(AppError::Conflict(_)) => Ok(rrm.ensure_intake_team(crate::clock::now())?),
        other => Ok(other?),
    }
}

/// Loads the embedded public record. Two servers starting on one new database both try: the
/// second's batch conflicts with the first's cases and stores nothing, which means loaded.
fn load_public_record(rrm: &Rrm, place: &str) -> Result<(), Failure> {
    match rrm.import_all(&public_record(), crate::clock::now()) {
        Ok(report) => eprintln!(
            "Loaded the public RRM record ({} cases, {} events) into {place}",
            report.cases, report.events
        ),
        Err(AppError::Conflict(_)) => {
            eprintln!("The public RRM record was already loaded into {place}")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// `--database-url` / `DATABASE_URL`, checked; `None` means the data directory's SQLite file.
pub fn database_url(global: &Global) -> Result<Option<DatabaseUrl>, Failure> {
    match global.database_url.clone() {
        Some(url) if !url.is_empty() => url.check().map(Some).map_err(Failure::bad_input),
        _ => Ok(None),
    }
}

/// The store of an existing or new database, with file bytes where `--blobs` says or,
/// without it, where the database's record says (the database itself for a new one). The
/// one place the backend and the blob store are chosen: every command and `rrm serve` come
/// through here.
pub fn open_store(global: &Global) -> Result<AnyStore, Failure> {
    let asked = global
        .blobs
        .as_deref()
        .map(BlobsSpec::parse)
        .transpose()
        .map_err(|e| Failure::bad_input(format!("--blobs: {e}")))?;
    let settings = S3Settings::from_env();
    // Whether `--blobs` names another place than the recorded one: then a refusal is the
    // user's bad input, not a storage failure.
    let elsewhere = Cell::new(false);
    let choose = |recorded: &BlobLocation| -> StoreResult<BlobPlacement> {
        let spec = match &asked {
            Some(spec) => spec.clone(),
            None => BlobsSpec::parse(&recorded.spec).map_err(StoreError::Other)?,
        };
        let placement = spec.open(&settings)?;
        elsewhere.set(placement.location() != *recorded);
        Ok(placement)
    };
    let (opened, place) = match database_url(global)? {
        Some(url) => (
            PostgresStore::connect_with_blobs(url.secret(), &choose).map(AnyStore::Postgres),
            url.to_string(),
        ),
        None => {
            let path = global.data.join(DATABASE_FILE);
            let opened = SqliteStore::open_with_blobs(&path, &choose).map(AnyStore::Sqlite);
            (opened, path.display().to_string())
        }
    };
    match opened {
        Ok(store) => Ok(store),
        Err(e) if elsewhere.get() => Err(Failure::bad_input(format!(
            "cannot open store {place}: {e}"
        ))),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("cannot open store {place}"))
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

/// The store alone (no public record loaded, no intake team made), for the commands that
/// move it whole.
pub fn open_raw(global: &Global) -> Result<AnyStore, Failure> {
    std::fs::create_dir_all(&global.data)
        .with_context(|| format!("cannot create data directory {}", global.data.display()))?;
    open_store(global)
}
