//! [`rrm_store::KeyStore`] on the `case_keys` table of migration 0005: wrapped data keys only.

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use rrm_store::{StoreError, StoreResult, WrappedKey};

use super::time::{parse_time, time_text};
use crate::sql_error::Context;

const COLUMNS: &str = "case_id, version, master_id, wrapped, created";

type RawKey = (String, u32, String, Vec<u8>, String);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawKey> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn decode((case_id, version, master_id, wrapped, created): RawKey) -> StoreResult<WrappedKey> {
    let created = parse_time(&created, &format!("data key {version} of case `{case_id}`"))?;
    Ok(WrappedKey {
        case_id,
        version,
        master_id,
        wrapped,
        created,
    })
}

pub(super) fn case_key(
    conn: &Connection,
    case_id: &str,
    version: Option<u32>,
) -> StoreResult<Option<WrappedKey>> {
    let sql = format!(
        "select {COLUMNS} from case_keys where case_id = ?1 and (?2 is null or version = ?2) \
         order by version desc limit 1"
    );
    let row = conn
        .prepare_cached(&sql)
        .context("reading a data key")?
        .query_row(params![case_id, version], raw)
        .optional()
        .context("reading a data key")?;
    row.map(decode).transpose()
}

pub(super) fn add_case_key(conn: &mut Connection, k: &WrappedKey) -> StoreResult<WrappedKey> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to add a data key")?;
    tx.execute(
        "insert or ignore into case_keys (case_id, version, master_id, wrapped, created) \
         values (?1, ?2, ?3, ?4, ?5)",
        params![
            k.case_id,
            k.version,
            k.master_id,
            k.wrapped,
            time_text(k.created)
        ],
    )
    .context("adding a data key")?;
    let stored = case_key(&tx, &k.case_id, Some(k.version))?
        .ok_or_else(|| StoreError::Other("a data key vanished as it was added".into()))?;
    tx.commit().context("committing a data key")?;
    Ok(stored)
}

pub(super) fn case_keys(conn: &Connection) -> StoreResult<Vec<WrappedKey>> {
    let sql = format!("select {COLUMNS} from case_keys order by case_id, version");
    let mut stmt = conn.prepare_cached(&sql).context("listing data keys")?;
    let rows = stmt.query_map([], raw).context("listing data keys")?;
    rows.map(|r| decode(r.context("listing data keys")?))
        .collect()
}

pub(super) fn rewrap(
    conn: &mut Connection,
    from_master: &str,
    keys: &[WrappedKey],
) -> StoreResult<u64> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting a key rotation")?;
    let stored = case_keys(&tx)?;
    if let Some(other) = stored.iter().find(|k| k.master_id != from_master) {
        return Err(StoreError::Conflict(format!(
            "data key {} of case `{}` is wrapped by master key {}, not {from_master}",
            other.version, other.case_id, other.master_id
        )));
    }
    let mut named: Vec<(&str, u32)> = keys
        .iter()
        .map(|k| (k.case_id.as_str(), k.version))
        .collect();
    named.sort_unstable();
    let expected: Vec<(&str, u32)> = stored
        .iter()
        .map(|k| (k.case_id.as_str(), k.version))
        .collect();
    if named != expected {
        return Err(StoreError::Conflict(format!(
            "a rotation must re-wrap all {} data keys; {} were given",
            expected.len(),
            named.len()
        )));
    }
    for k in keys {
        tx.execute(
            "update case_keys set master_id = ?3, wrapped = ?4 where case_id = ?1 and version = ?2",
            params![k.case_id, k.version, k.master_id, k.wrapped],
        )
        .context("re-wrapping a data key")?;
    }
    tx.commit().context("committing a key rotation")?;
    Ok(keys.len() as u64)
}
