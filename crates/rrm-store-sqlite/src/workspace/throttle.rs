//! Login throttling: one row per failed sign-in, counted per key by an index, and one lockout
//! row per key. Counting is an insert plus a count in one transaction, so servers sharing the
//! database never lose a failure between them.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use rrm_store::{Lockout, StoreError, StoreResult, ThrottleKey};

use super::time::{parse_time, time_text};
use crate::codec::from_sql_int;
use crate::sql_error::Context;

pub(super) fn record_failure(
    conn: &mut Connection,
    key: &ThrottleKey,
    at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> StoreResult<u32> {
    let doing = "counting a failed sign-in";
    let tx = conn.transaction().context(doing)?;
    tx.prepare_cached("insert into login_failures (scope, key_hash, at) values (?1, ?2, ?3)")
        .context(doing)?
        .execute(params![key.scope.as_str(), &key.digest[..], time_text(at)])
        .context(doing)?;
    let n: i64 = tx
        .prepare_cached(
            "select count(*) from login_failures where scope = ?1 and key_hash = ?2 and at >= ?3",
        )
        .context(doing)?
        .query_row(
            params![key.scope.as_str(), &key.digest[..], time_text(since)],
            |r| r.get(0),
        )
        .context(doing)?;
    tx.commit().context(doing)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn clear_failures(conn: &Connection, key: &ThrottleKey) -> StoreResult<()> {
    conn.prepare_cached("delete from login_failures where scope = ?1 and key_hash = ?2")
        .context("forgetting failed sign-ins")?
        .execute(params![key.scope.as_str(), &key.digest[..]])
        .context("forgetting failed sign-ins")?;
    Ok(())
}

pub(super) fn delete_failures_before(conn: &Connection, before: DateTime<Utc>) -> StoreResult<u64> {
    let doing = "sweeping old failed sign-ins";
    let n = conn
        .prepare_cached("delete from login_failures where at < ?1")
        .context(doing)?
        .execute([time_text(before)])
        .context(doing)?;
    from_sql_int(n as i64, "swept failures")
}

pub(super) fn lockout(conn: &Connection, key: &ThrottleKey) -> StoreResult<Option<Lockout>> {
    let doing = "reading a lockout";
    let row: Option<(String, i64)> = conn
        .prepare_cached("select until, strikes from lockouts where scope = ?1 and key_hash = ?2")
        .context(doing)?
        .query_row(params![key.scope.as_str(), &key.digest[..]], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .context(doing)?;
    let Some((until, strikes)) = row else {
        return Ok(None);
    };
    Ok(Some(Lockout {
        key: *key,
        until: parse_time(&until, "lockout")?,
        strikes: u32::try_from(strikes)
            .map_err(|_| StoreError::Other(format!("lockout: strikes {strikes}")))?,
    }))
}

pub(super) fn set_lockout(conn: &mut Connection, l: &Lockout) -> StoreResult<()> {
    let doing = "locking sign-ins";
    let tx = conn.transaction().context(doing)?;
    tx.prepare_cached(
        "insert into lockouts (scope, key_hash, until, strikes) values (?1, ?2, ?3, ?4) \
         on conflict (scope, key_hash) do update set until = ?3, strikes = ?4",
    )
    .context(doing)?
    .execute(params![
        l.key.scope.as_str(),
        &l.key.digest[..],
        time_text(l.until),
        l.strikes
    ])
    .context(doing)?;
    clear_failures(&tx, &l.key)?;
    tx.commit().context(doing)
}

pub(super) fn unlock(conn: &mut Connection, key: &ThrottleKey) -> StoreResult<bool> {
    let doing = "unlocking sign-ins";
    let tx = conn.transaction().context(doing)?;
    let locks = tx
        .execute(
            "delete from lockouts where scope = ?1 and key_hash = ?2",
            params![key.scope.as_str(), &key.digest[..]],
        )
        .context(doing)?;
    let failures = tx
        .execute(
            "delete from login_failures where scope = ?1 and key_hash = ?2",
            params![key.scope.as_str(), &key.digest[..]],
        )
        .context(doing)?;
    tx.commit().context(doing)?;
    Ok(locks + failures > 0)
}
