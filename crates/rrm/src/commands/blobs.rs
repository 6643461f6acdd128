//! `rrm blobs`: where a data directory's file bytes are kept — see it (`status`), move them
//! to another place, verified (`migrate`), and delete orphans past a grace period (`sweep`).
//! These need only the store, never the master key: they move sealed bytes as they are.

use anyhow::Context;

use rrm_blobs::{BlobsSpec, S3Settings};
use rrm_store::BlobKind;

use crate::backend::AnyStore;
use crate::cli::{BlobsCommand, Global};
use crate::exit::Failure;
use crate::open::{database_url, open_store, DATABASE_FILE};

pub fn run(global: &Global, command: &BlobsCommand) -> Result<(), Failure> {
    // A PostgreSQL database is reached, not created, here: connecting migrates it, and an
    // empty one simply has no files.
    if database_url(global)?.is_none() && !global.data.join(DATABASE_FILE).exists() {
        return Err(Failure::bad_input(format!(
            "no rrm data directory at {}",
            global.data.display()
        )));
    }
    let store = open_store(global)?;
    match command {
        BlobsCommand::Status => status(&store),
        BlobsCommand::Migrate { to } => migrate(store, to),
        BlobsCommand::Sweep { older_than_hours } => sweep(&store, *older_than_hours),
    }
}

fn status(store: &AnyStore) -> Result<(), Failure> {
    let bar = super::progress(0, "files");
    let report = store
        .verify_blobs(&mut |n| bar.set_position(n))
        .context("cannot read the stored files")?;
    bar.finish_and_clear();
    println!("files are kept in {}", store.blob_location());
    println!("{} stored files, {} bytes", report.blobs, report.bytes);
    if !report.orphans.is_empty() {
        println!(
            "{} orphans (stored files no record names): `rrm blobs sweep` deletes them",
            report.orphans.len()
        );
    }
    let damaged = report.broken.len() + report.missing.len();
    if damaged > 0 {
        println!("{damaged} files are damaged or missing: run `rrm verify`");
    }
    Ok(())
}

fn migrate(store: AnyStore, to: &str) -> Result<(), Failure> {
    let spec = BlobsSpec::parse(to).map_err(|e| Failure::bad_input(format!("--to: {e}")))?;
    let target = spec
        .open(&S3Settings::from_env())
        .with_context(|| format!("cannot open {to}"))?;
    let bar = super::progress(0, "moving");
    let (store, report) = store
        .migrate_blobs(target, &mut |n| bar.set_position(n))
        .with_context(|| format!("cannot move the files to {to}; nothing was changed"))?;
    bar.finish_and_clear();
    println!(
        "moved {} files from {} to {}, each read back and checked",
        report.files, report.from, report.to
    );
    match report.from.kind {
        BlobKind::Database => {
            println!("the database no longer holds them (it keeps the space until `VACUUM`)")
        }
        _ => println!(
            "the copies in {} were left in place: delete them once you no longer need them",
            report.from
        ),
    }
    println!(
        "this store now opens with its files in {} (if RRM_BLOBS is set, make it say so)",
        store.blob_location()
    );
    Ok(())
}

fn sweep(store: &AnyStore, older_than_hours: u32) -> Result<(), Failure> {
    let cut_off = crate::clock::now() - chrono::Duration::hours(i64::from(older_than_hours));
    let deleted = store
        .sweep_orphan_blobs(cut_off)
        .context("cannot sweep orphaned files")?;
    println!(
        "deleted {} orphans older than {older_than_hours} hours from {}",
        deleted.len(),
        store.blob_location()
    );
    Ok(())
}
