//! `rrm migrate`, `rrm backup` and `rrm restore`: the whole store moved at once, then checked
//! at its destination: every table's rows against the source's digests (rrm-backup), then
//! the destination's own checks (hash chains, audit chain, stored files).

use std::path::Path;

use anyhow::Context;

use rrm_store::{Backend, StoreError, StoreResult, Tables};
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

use crate::cli::{Command, Global};
use crate::database_url::redact;
use crate::exit::Failure;

/// A store that can be moved: everything a backend keeps, as raw tables too.
pub trait Movable: Backend + Tables {}

impl<T: Backend + Tables> Movable for T {}

pub fn run(global: &Global, command: Command) -> Result<(), Failure> {
    let store = crate::open::open_raw(global)?;
    let store = store.movable();
    match command {
        Command::Migrate { to } => migrate(store, &to),
        Command::Backup { out } => backup(store, &out),
        Command::Restore { archive } => restore(store, &archive),
        _ => unreachable!("only the transfer commands come here"),
    }
}

fn migrate(source: &dyn Movable, to: &str) -> Result<(), Failure> {
    let destination = open_destination(to)?;
    let destination = destination.as_ref();
    let bar = super::progress(source.stats().map_err(app)?.events, "rows");
    let fill = fill_from(source);
    let report = rrm_backup::copy(source, &fill, destination, &mut |table, rows| {
        bar.set_message(table.to_string());
        bar.set_position(rows);
    })
    .map_err(|e| refused("the migration", e))?;
    bar.finish_and_clear();
    eprintln!(
        "Copied {} rows in {} tables into {}; every table read back equal",
        report.rows(),
        report.tables.len(),
        redact(to)
    );
    check(destination)?;
    eprintln!(
        "Start servers with the same master key: the copy's confidential data is sealed with it."
    );
    Ok(())
}

fn backup(source: &dyn Movable, out: &Path) -> Result<(), Failure> {
    if out.exists() {
        return Err(Failure::bad_input(format!(
            "{} exists; a backup never overwrites a file",
            out.display()
        )));
    }
    let fill = fill_from(source);
    let created = crate::clock::now().to_rfc3339();
    let summary = rrm_backup::write_archive(source, &fill, out, &created, "rrm")
        .map_err(|e| refused("the backup", e))?;
    eprintln!(
        "Wrote {} rows in {} tables to {} and read them back; the master key is not in it",
        summary.rows(),
        summary.tables.len(),
        out.display()
    );
    Ok(())
}

fn restore(destination: &dyn Movable, archive: &Path) -> Result<(), Failure> {
    if !archive.is_file() {
        return Err(Failure::bad_input(format!(
            "{} is not a file; name an archive made by `rrm backup`",
            archive.display()
        )));
    }
    let summary =
        rrm_backup::restore_archive(archive, destination).map_err(|e| refused("the restore", e))?;
    eprintln!(
        "Restored {} rows in {} tables from {} (made {}); every table read back equal",
        summary.rows(),
        summary.tables.len(),
        archive.display(),
        summary.created
    );
    check(destination)
}

/// The destination's own checks, as `rrm verify` runs them.
fn check(store: &dyn Movable) -> Result<(), Failure> {
    let chains = store.verify(&mut |_| {}).map_err(app)?;
    if let Some(b) = chains.broken.first() {
        return Err(anyhow::anyhow!(
            "verification failed: case {} event {}: {}",
            b.case_id,
            b.seq,
            b.problem
        )
        .into());
    }
    let audit = store.verify_audit().map_err(app)?;
    if let Some((seq, why)) = audit.first_broken {
        return Err(anyhow::anyhow!("verification failed: audit entry {seq}: {why}").into());
    }
    let files = store.verify_blobs(&mut |_| {}).map_err(app)?;
    if !files.broken.is_empty() || !files.missing.is_empty() {
        return Err(anyhow::anyhow!(
            "verification failed: {} files do not match their hash, {} are missing",
            files.broken.len(),
            files.missing.len()
        )
        .into());
    }
    eprintln!(
        "Verified {} cases ({} events, every chain whole), {} audit entries, {} files",
        chains.cases, chains.events, audit.entries, files.blobs
    );
    Ok(())
}

fn open_destination(to: &str) -> Result<Box<dyn Movable>, Failure> {
    if to.starts_with("postgres://") || to.starts_with("postgresql://") {
        let store =
            PostgresStore::connect(to).with_context(|| format!("cannot open {}", redact(to)))?;
        return Ok(Box::new(store));
    }
    let dir = Path::new(to);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {to}"))?;
    let path = dir.join(crate::open::DATABASE_FILE);
    let store = SqliteStore::open(&path).with_context(|| format!("cannot open {to}"))?;
    Ok(Box::new(store))
}

/// Bytes of files the source keeps outside its database, by SHA-256.
fn fill_from(source: &dyn Movable) -> impl Fn(&[u8]) -> StoreResult<Option<Vec<u8>>> + '_ {
    move |sha: &[u8]| {
        let key: [u8; 32] = sha
            .try_into()
            .map_err(|_| StoreError::Other("a file key is not 32 bytes".into()))?;
        source.blob(&key)
    }
}

/// A refused destination (not empty, files kept elsewhere) is the operator's to fix.
fn refused(what: &str, e: StoreError) -> Failure {
    match e {
        StoreError::Conflict(why) => Failure::bad_input(format!("{what} was refused: {why}")),
        other => anyhow::Error::new(other)
            .context(format!("{what} failed"))
            .into(),
    }
}

fn app(e: StoreError) -> Failure {
    rrm_app::AppError::from(e).into()
}
