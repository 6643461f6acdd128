//! `rrm keys init|rotate|status`: the master key of encryption at rest. The key lives in a
//! file outside the data directory (or in `RRM_MASTER_KEY`), never in the store; rotating it
//! re-wraps every case's data key in one transaction and records the rotation in the audit log.

use std::path::Path;

use serde_json::json;

use rrm_app::audit::{entry, AuditAction};
use rrm_app::vault::{rotate, MasterKey};
use rrm_app::{AppError, Rrm};

use crate::cli::KeysCommand;
use crate::exit::Failure;

/// `rrm keys init --out FILE`: needs no store.
pub fn init(out: &Path) -> Result<(), Failure> {
    let key = MasterKey::generate()?;
    key.write_file(out)?;
    println!("wrote master key {} to {}", key.id(), out.display());
    eprintln!(
        "Keep it outside the data directory and its backups: whoever has both reads every \
         confidential record. Start rrm with --master-key-file {} (or RRM_MASTER_KEY_FILE).",
        out.display()
    );
    Ok(())
}

pub fn run(rrm: &Rrm, command: KeysCommand) -> Result<(), Failure> {
    match command {
        KeysCommand::Init { out } => init(&out),
        KeysCommand::Rotate { new_key_file } => rotate_to(rrm, &new_key_file),
        KeysCommand::Status => status(rrm),
    }
}

fn rotate_to(rrm: &Rrm, new_key_file: &Path) -> Result<(), Failure> {
    let vault = rrm.vault()?;
    let new = MasterKey::read_file(new_key_file)?;
    let current = vault.master_id().to_string();
    let rotated = rotate(rrm.keys.as_ref(), vault.master(), &new)?;
    let detail = json!({"from": current, "to": new.id(), "data_keys": rotated});
    let e = entry(
        crate::clock::now(),
        "operator",
        AuditAction::MasterKeyRotated,
        None,
        "master-key",
        detail,
    );
    rrm.record_audit(e)?;
    println!(
        "re-wrapped {rotated} data keys from master key {current} to {}",
        new.id()
    );
    eprintln!(
        "Start rrm with --master-key-file {} from now on, then destroy the old key file.",
        new_key_file.display()
    );
    Ok(())
}

fn status(rrm: &Rrm) -> Result<(), Failure> {
    let keys = rrm.keys.case_keys().map_err(AppError::from)?;
    let mut by_master = std::collections::BTreeMap::<String, usize>::new();
    for k in &keys {
        *by_master.entry(k.master_id.clone()).or_default() += 1;
    }
    match &rrm.vault {
        Some(v) => println!("master key {} is configured", v.master_id()),
        None => println!("no master key is configured: confidential data is unavailable"),
    }
    println!("{} data keys", keys.len());
    for (master, n) in by_master {
        println!("  {n} wrapped by master key {master}");
    }
    Ok(())
}
