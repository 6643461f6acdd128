//! Session upkeep (the idle clock, signing a user out everywhere) and sign-ins waiting for
//! their second factor, keyed like sessions by the SHA-256 of their cookie's token.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use rrm_store::{Confidential, Hash, PendingSignIn, SignInStage, StoreError, StoreResult, UserId};

use super::time::{parse_time, time_text};
use crate::codec::from_sql_int;
use crate::sql_error::{is_duplicate_key, Context};

pub(super) fn touch_session(conn: &Connection, hash: &Hash, at: DateTime<Utc>) -> StoreResult<()> {
    conn.prepare_cached("update sessions set last_seen = ?2 where token_hash = ?1")
        .context("touching a session")?
        .execute(params![&hash[..], time_text(at)])
        .context("touching a session")?;
    Ok(())
}

pub(super) fn delete_sessions_of(conn: &mut Connection, user: UserId) -> StoreResult<u64> {
    let doing = "signing a user out everywhere";
    let tx = conn.transaction().context(doing)?;
    let n = tx
        .execute("delete from sessions where user_id = ?1", [user.0])
        .context(doing)?;
    tx.execute("delete from pending_sign_ins where user_id = ?1", [user.0])
        .context(doing)?;
    tx.commit().context(doing)?;
    from_sql_int(n as i64, "deleted sessions")
}

pub(super) fn create_pending(conn: &Connection, p: &PendingSignIn) -> StoreResult<()> {
    let sql = "insert into pending_sign_ins (token_hash, user_id, csrf_token, stage, \
               enrollment_secret, created, expires) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    conn.prepare_cached(sql)
        .context("preparing to store a pending sign-in")?
        .execute(params![
            &p.token_hash[..],
            p.user.0,
            p.csrf_token.expose(),
            p.stage.as_str(),
            p.enrollment_secret.as_ref().map(|s| s.expose().clone()),
            time_text(p.created),
            time_text(p.expires)
        ])
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict("a pending sign-in with this token exists".into()),
            false => StoreError::Other(format!("storing a pending sign-in: {e}")),
        })?;
    Ok(())
}

type RawPending = (i64, String, String, Option<Vec<u8>>, String, String);

pub(super) fn pending(conn: &Connection, hash: &Hash) -> StoreResult<Option<PendingSignIn>> {
    let doing = "reading a pending sign-in";
    let sql = "select user_id, csrf_token, stage, enrollment_secret, created, expires \
               from pending_sign_ins where token_hash = ?1";
    let row: Option<RawPending> = conn
        .prepare_cached(sql)
        .context(doing)?
        .query_row([&hash[..]], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()
        .context(doing)?;
    let Some((user, csrf, stage, secret, created, expires)) = row else {
        return Ok(None);
    };
    let what = "pending sign-in";
    Ok(Some(PendingSignIn {
        token_hash: *hash,
        user: UserId(user),
        csrf_token: Confidential::new(csrf),
        stage: SignInStage::parse(&stage)
            .ok_or_else(|| StoreError::Other(format!("{what}: stage `{stage}`")))?,
        enrollment_secret: secret.map(Confidential::new),
        created: parse_time(&created, what)?,
        expires: parse_time(&expires, what)?,
    }))
}

pub(super) fn delete_pending(conn: &Connection, hash: &Hash) -> StoreResult<()> {
    conn.prepare_cached("delete from pending_sign_ins where token_hash = ?1")
        .context("deleting a pending sign-in")?
        .execute([&hash[..]])
        .context("deleting a pending sign-in")?;
    Ok(())
}

pub(super) fn delete_expired_pending(conn: &Connection, now: DateTime<Utc>) -> StoreResult<u64> {
    let doing = "deleting expired pending sign-ins";
    let n = conn
        .prepare_cached("delete from pending_sign_ins where expires <= ?1")
        .context(doing)?
        .execute([time_text(now)])
        .context(doing)?;
    from_sql_int(n as i64, "deleted pending sign-ins")
}
