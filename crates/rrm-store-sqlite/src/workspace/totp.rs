//! TOTP authenticators and recovery codes. Accepting a time step is one conditional update
//! (`last_step` must be lower), so a code is accepted once even with several servers.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use rrm_store::{Confidential, Hash, StoreError, StoreResult, TotpCredential, UserId};

use super::time::{parse_time, time_text};
use crate::sql_error::Context;

pub(super) fn totp(conn: &Connection, user: UserId) -> StoreResult<Option<TotpCredential>> {
    let doing = "reading an authenticator";
    let row: Option<(Vec<u8>, String, Option<i64>)> = conn
        .prepare_cached(
            "select secret, enrolled, last_step from totp_credentials where user_id = ?1",
        )
        .context(doing)?
        .query_row([user.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
        .context(doing)?;
    let Some((secret, enrolled, last_step)) = row else {
        return Ok(None);
    };
    let what = format!("authenticator of user {}", user.0);
    Ok(Some(TotpCredential {
        user,
        secret: Confidential::new(secret),
        enrolled: parse_time(&enrolled, &what)?,
        last_step: last_step
            .map(|s| u64::try_from(s).map_err(|_| StoreError::Other(format!("{what}: step {s}"))))
            .transpose()?,
    }))
}

pub(super) fn enroll(conn: &mut Connection, c: &TotpCredential, codes: &[Hash]) -> StoreResult<()> {
    let doing = "enrolling an authenticator";
    let tx = conn.transaction().context(doing)?;
    let exists: bool = tx
        .query_row(
            "select exists (select 1 from users where id = ?1)",
            [c.user.0],
            |r| r.get(0),
        )
        .context(doing)?;
    if !exists {
        return Err(StoreError::NotFound(format!("no user {}", c.user.0)));
    }
    tx.execute("delete from recovery_codes where user_id = ?1", [c.user.0])
        .context(doing)?;
    let step = c.last_step.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    tx.execute(
        "insert into totp_credentials (user_id, secret, enrolled, last_step) values (?1, ?2, ?3, ?4) \
         on conflict (user_id) do update set secret = ?2, enrolled = ?3, last_step = ?4",
        params![c.user.0, c.secret.expose(), time_text(c.enrolled), step],
    )
    .context(doing)?;
    for code in codes {
        tx.execute(
            "insert or ignore into recovery_codes (user_id, code_hash) values (?1, ?2)",
            params![c.user.0, &code[..]],
        )
        .context(doing)?;
    }
    tx.commit().context(doing)
}

pub(super) fn use_step(conn: &Connection, user: UserId, step: u64) -> StoreResult<bool> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let n = conn
        .prepare_cached(
            "update totp_credentials set last_step = ?2 \
             where user_id = ?1 and (last_step is null or last_step < ?2)",
        )
        .context("accepting a code")?
        .execute(params![user.0, step])
        .context("accepting a code")?;
    Ok(n == 1)
}

pub(super) fn use_recovery_code(
    conn: &Connection,
    user: UserId,
    code: &Hash,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = conn
        .prepare_cached(
            "update recovery_codes set used = ?3 \
             where user_id = ?1 and code_hash = ?2 and used is null",
        )
        .context("using a recovery code")?
        .execute(params![user.0, &code[..], time_text(at)])
        .context("using a recovery code")?;
    Ok(n == 1)
}

pub(super) fn codes_left(conn: &Connection, user: UserId) -> StoreResult<u32> {
    let n: i64 = conn
        .prepare_cached("select count(*) from recovery_codes where user_id = ?1 and used is null")
        .context("counting recovery codes")?
        .query_row([user.0], |r| r.get(0))
        .context("counting recovery codes")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn remove(conn: &mut Connection, user: UserId) -> StoreResult<bool> {
    let doing = "removing an authenticator";
    let tx = conn.transaction().context(doing)?;
    let n = tx
        .execute("delete from totp_credentials where user_id = ?1", [user.0])
        .context(doing)?;
    tx.execute("delete from recovery_codes where user_id = ?1", [user.0])
        .context(doing)?;
    tx.commit().context(doing)?;
    Ok(n == 1)
}
