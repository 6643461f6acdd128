//! [`rrm_store::KeyStore`] on PostgreSQL's `case_keys`: wrapped data keys only.
//!
//! Adding a key is `insert ... on conflict do nothing` and then a read of the stored row, so
//! two servers making a case's first key at once agree on one. A rotation runs in a write
//! transaction (`crate::version::begin_write`, the database's one write lock, which every
//! `add_case_key` also takes), so no key can be added between the rotation's check that every
//! key is wrapped by the old master and its updates: all are re-wrapped, or none.

use postgres::{Client, GenericClient, Row};

use rrm_store::{StoreError, StoreResult, WrappedKey};

use super::time::{parse_time, time_text};
use crate::error::{col, Context};
use crate::version::begin_write;

const COLUMNS: &str = "case_id, version, master_id, wrapped, created";

fn decode(row: &Row) -> StoreResult<WrappedKey> {
    let case_id: String = col(row, 0, "a data key")?;
    let version: i64 = col(row, 1, "a data key")?;
    let what = format!("data key {version} of case `{case_id}`");
    Ok(WrappedKey {
        version: u32::try_from(version)
            .map_err(|_| StoreError::Other(format!("{what}: not a version")))?,
        master_id: col(row, 2, &what)?,
        wrapped: col(row, 3, &what)?,
        created: parse_time(col(row, 4, &what)?, &what)?,
        case_id,
    })
}

pub(super) fn case_key(
    client: &mut Client,
    case_id: &str,
    version: Option<u32>,
) -> StoreResult<Option<WrappedKey>> {
    key_in(client, case_id, version)
}

/// A case's key of `version`, or its newest, read through a client or a transaction.
fn key_in(
    client: &mut impl GenericClient,
    case_id: &str,
    version: Option<u32>,
) -> StoreResult<Option<WrappedKey>> {
    let sql = format!(
        "select {COLUMNS} from case_keys where case_id = $1 \
         and ($2::bigint is null or version = $2) order by version desc limit 1"
    );
    let version = version.map(i64::from);
    let row = client
        .query_opt(&sql, &[&case_id, &version])
        .context("reading a data key")?;
    row.as_ref().map(decode).transpose()
}

pub(super) fn add_case_key(client: &mut Client, k: &WrappedKey) -> StoreResult<WrappedKey> {
    let mut tx = begin_write(client, "adding a data key")?;
    tx.execute(
        "insert into case_keys (case_id, version, master_id, wrapped, created) \
         values ($1, $2, $3, $4, $5) on conflict do nothing",
        &[
            &k.case_id,
            &i64::from(k.version),
            &k.master_id,
            &k.wrapped,
            &time_text(k.created),
        ],
    )
    .context("adding a data key")?;
    let stored = key_in(&mut tx, &k.case_id, Some(k.version))?
        .ok_or_else(|| StoreError::Other("a data key vanished as it was added".into()))?;
    tx.commit().context("committing a data key")?;
    Ok(stored)
}

pub(super) fn case_keys(client: &mut Client) -> StoreResult<Vec<WrappedKey>> {
    keys_in(client)
}

fn keys_in(client: &mut impl GenericClient) -> StoreResult<Vec<WrappedKey>> {
    let sql = format!("select {COLUMNS} from case_keys order by case_id, version");
    let rows = client.query(&sql, &[]).context("listing data keys")?;
    rows.iter().map(decode).collect()
}

pub(super) fn rewrap(
    client: &mut Client,
    from_master: &str,
    keys: &[WrappedKey],
) -> StoreResult<u64> {
    let mut tx = begin_write(client, "a key rotation")?;
    let stored = keys_in(&mut tx)?;
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
    let update = tx
        .prepare(
            "update case_keys set master_id = $3, wrapped = $4 \
             where case_id = $1 and version = $2",
        )
        .context("preparing a key rotation")?;
    for k in keys {
        tx.execute(
            &update,
            &[&k.case_id, &i64::from(k.version), &k.master_id, &k.wrapped],
        )
        .context("re-wrapping a data key")?;
    }
    tx.commit().context("committing a key rotation")?;
    Ok(keys.len() as u64)
}
