//! Sign-in security on PostgreSQL: session upkeep, sign-ins waiting for their second factor,
//! login failures and lockouts per throttle key, TOTP authenticators and recovery codes.
//!
//! Invariant 7 (several servers on one database) is kept by the database, not by this
//! process's mutex:
//! - Counting a failure inserts and then counts inside a write transaction, which holds the
//!   database's one write lock (`crate::version::begin_write`) from its first statement: two
//!   servers counting one key run one after the other, and the second count, a statement
//!   whose snapshot is taken after the lock was granted, sees the first failure. (Under READ
//!   COMMITTED without that lock an insert plus a count could let both see only their own.)
//! - Accepting a TOTP step or a recovery code is one conditional `update` (in a write
//!   transaction too): a second server's update runs once the first has committed and
//!   re-checks its condition against the committed row (PostgreSQL re-evaluates the `where`
//!   of an update that waited on a row lock, so this holds even without the write lock), so
//!   a step or code is accepted once.

use chrono::{DateTime, Utc};
use postgres::Client;

use rrm_store::{
    Confidential, Hash, Lockout, PendingSignIn, SignInStage, StoreError, StoreResult, ThrottleKey,
    TotpCredential, UserId,
};

use super::time::{parse_time, time_text};
use crate::error::{col, from_sql_int, is_duplicate_key, Context};
use crate::version::begin_write;

type Param<'a> = &'a (dyn postgres::types::ToSql + Sync);

pub(super) fn touch_session(
    client: &mut Client,
    hash: &Hash,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "update sessions set last_seen = $2 where token_hash = $1";
    let params: [Param<'_>; 2] = [&&hash[..], &time_text(at)];
    write_one(client, "touching a session", sql, &params).map(drop)
}

pub(super) fn delete_sessions_of(client: &mut Client, user: UserId) -> StoreResult<u64> {
    let doing = "signing a user out everywhere";
    let mut tx = begin_write(client, doing)?;
    let n = tx
        .execute("delete from sessions where user_id = $1", &[&user.0])
        .context(doing)?;
    tx.execute(
        "delete from pending_sign_ins where user_id = $1",
        &[&user.0],
    )
    .context(doing)?;
    tx.commit().context(doing)?;
    Ok(n)
}

pub(super) fn create_pending(client: &mut Client, p: &PendingSignIn) -> StoreResult<()> {
    let doing = "storing a pending sign-in";
    let mut tx = begin_write(client, doing)?;
    tx.execute(
        "insert into pending_sign_ins (token_hash, user_id, csrf_token, stage, \
         enrollment_secret, created, expires) values ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &&p.token_hash[..],
            &p.user.0,
            p.csrf_token.expose(),
            &p.stage.as_str(),
            &p.enrollment_secret.as_ref().map(|s| s.expose().as_slice()),
            &time_text(p.created),
            &time_text(p.expires),
        ],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict("a pending sign-in with this token exists".into()),
        false => StoreError::Other(format!("{doing}: {e}")),
    })?;
    tx.commit().context(doing)
}

pub(super) fn pending(client: &mut Client, hash: &Hash) -> StoreResult<Option<PendingSignIn>> {
    let doing = "reading a pending sign-in";
    let row = client
        .query_opt(
            "select user_id, csrf_token, stage, enrollment_secret, created, expires \
             from pending_sign_ins where token_hash = $1",
            &[&&hash[..]],
        )
        .context(doing)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let what = "pending sign-in";
    let stage: String = col(&row, 2, what)?;
    let secret: Option<Vec<u8>> = col(&row, 3, what)?;
    Ok(Some(PendingSignIn {
        token_hash: *hash,
        user: UserId(col(&row, 0, what)?),
        csrf_token: Confidential::new(col(&row, 1, what)?),
        stage: SignInStage::parse(&stage)
            .ok_or_else(|| StoreError::Other(format!("{what}: stage `{stage}`")))?,
        enrollment_secret: secret.map(Confidential::new),
        created: parse_time(col(&row, 4, what)?, what)?,
        expires: parse_time(col(&row, 5, what)?, what)?,
    }))
}

/// Runs one write statement in a write transaction; how many rows it changed.
fn write_one(
    client: &mut Client,
    doing: &str,
    sql: &str,
    params: &[Param<'_>],
) -> StoreResult<u64> {
    let mut tx = begin_write(client, doing)?;
    let n = tx.execute(sql, params).context(doing)?;
    tx.commit().context(doing)?;
    Ok(n)
}

pub(super) fn delete_pending(client: &mut Client, hash: &Hash) -> StoreResult<()> {
    let sql = "delete from pending_sign_ins where token_hash = $1";
    write_one(client, "deleting a pending sign-in", sql, &[&&hash[..]]).map(drop)
}

pub(super) fn delete_expired_pending(client: &mut Client, now: DateTime<Utc>) -> StoreResult<u64> {
    let sql = "delete from pending_sign_ins where expires <= $1";
    let doing = "deleting expired pending sign-ins";
    write_one(client, doing, sql, &[&time_text(now)])
}

pub(super) fn record_failure(
    client: &mut Client,
    key: &ThrottleKey,
    at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> StoreResult<u32> {
    let doing = "counting a failed sign-in";
    let (scope, digest) = (key.scope.as_str(), &key.digest[..]);
    let mut tx = begin_write(client, doing)?;
    tx.execute(
        "insert into login_failures (scope, key_hash, at) values ($1, $2, $3)",
        &[&scope, &digest, &time_text(at)],
    )
    .context(doing)?;
    // A statement of its own, so its snapshot is taken after the write lock was granted.
    let n: i64 = tx
        .query_one(
            "select count(*) from login_failures where scope = $1 and key_hash = $2 and at >= $3",
            &[&scope, &digest, &time_text(since)],
        )
        .context(doing)?
        .get(0); // count(*) is always a bigint
    tx.commit().context(doing)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

const CLEAR_FAILURES: &str = "delete from login_failures where scope = $1 and key_hash = $2";

pub(super) fn clear_failures(client: &mut Client, key: &ThrottleKey) -> StoreResult<()> {
    let params: [Param<'_>; 2] = [&key.scope.as_str(), &&key.digest[..]];
    write_one(
        client,
        "forgetting failed sign-ins",
        CLEAR_FAILURES,
        &params,
    )
    .map(drop)
}

pub(super) fn delete_failures_before(
    client: &mut Client,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    let sql = "delete from login_failures where at < $1";
    write_one(
        client,
        "sweeping old failed sign-ins",
        sql,
        &[&time_text(before)],
    )
}

pub(super) fn lockout(client: &mut Client, key: &ThrottleKey) -> StoreResult<Option<Lockout>> {
    let row = client
        .query_opt(
            "select until, strikes from lockouts where scope = $1 and key_hash = $2",
            &[&key.scope.as_str(), &&key.digest[..]],
        )
        .context("reading a lockout")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let strikes: i64 = col(&row, 1, "lockout")?;
    Ok(Some(Lockout {
        key: *key,
        until: parse_time(col(&row, 0, "lockout")?, "lockout")?,
        strikes: u32::try_from(strikes)
            .map_err(|_| StoreError::Other(format!("lockout: strikes {strikes}")))?,
    }))
}

pub(super) fn set_lockout(client: &mut Client, l: &Lockout) -> StoreResult<()> {
    let doing = "locking sign-ins";
    let (scope, digest) = (l.key.scope.as_str(), &l.key.digest[..]);
    let strikes = i64::from(l.strikes);
    let mut tx = begin_write(client, doing)?;
    tx.execute(
        "insert into lockouts (scope, key_hash, until, strikes) values ($1, $2, $3, $4) \
         on conflict (scope, key_hash) do update set until = $3, strikes = $4",
        &[&scope, &digest, &time_text(l.until), &strikes],
    )
    .context(doing)?;
    tx.execute(CLEAR_FAILURES, &[&scope, &digest])
        .context(doing)?;
    tx.commit().context(doing)
}

pub(super) fn unlock(client: &mut Client, key: &ThrottleKey) -> StoreResult<bool> {
    let doing = "unlocking sign-ins";
    let (scope, digest) = (key.scope.as_str(), &key.digest[..]);
    let mut tx = begin_write(client, doing)?;
    let locks = tx
        .execute(
            "delete from lockouts where scope = $1 and key_hash = $2",
            &[&scope, &digest],
        )
        .context(doing)?;
    let failures = tx
        .execute(CLEAR_FAILURES, &[&scope, &digest])
        .context(doing)?;
    tx.commit().context(doing)?;
    Ok(locks + failures > 0)
}

pub(super) fn totp(client: &mut Client, user: UserId) -> StoreResult<Option<TotpCredential>> {
    let row = client
        .query_opt(
            "select secret, enrolled, last_step from totp_credentials where user_id = $1",
            &[&user.0],
        )
        .context("reading an authenticator")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let what = format!("authenticator of user {}", user.0);
    let last_step: Option<i64> = col(&row, 2, &what)?;
    Ok(Some(TotpCredential {
        user,
        secret: Confidential::new(col(&row, 0, &what)?),
        enrolled: parse_time(col(&row, 1, &what)?, &what)?,
        last_step: last_step
            .map(|s| from_sql_int(s, &format!("{what}: step")))
            .transpose()?,
    }))
}

pub(super) fn enroll_totp(
    client: &mut Client,
    c: &TotpCredential,
    codes: &[Hash],
) -> StoreResult<()> {
    let doing = "enrolling an authenticator";
    let mut tx = begin_write(client, doing)?;
    // Locks the user row: two enrollments of one user run one after the other.
    let found = tx
        .query_opt("select 1 from users where id = $1 for update", &[&c.user.0])
        .context(doing)?;
    if found.is_none() {
        return Err(StoreError::NotFound(format!("no user {}", c.user.0)));
    }
    tx.execute(
        "delete from recovery_codes where user_id = $1",
        &[&c.user.0],
    )
    .context(doing)?;
    let step = c.last_step.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    tx.execute(
        "insert into totp_credentials (user_id, secret, enrolled, last_step) \
         values ($1, $2, $3, $4) on conflict (user_id) \
         do update set secret = $2, enrolled = $3, last_step = $4",
        &[&c.user.0, c.secret.expose(), &time_text(c.enrolled), &step],
    )
    .context(doing)?;
    for code in codes {
        tx.execute(
            "insert into recovery_codes (user_id, code_hash) values ($1, $2) \
             on conflict do nothing",
            &[&c.user.0, &&code[..]],
        )
        .context(doing)?;
    }
    tx.commit().context(doing)
}

pub(super) fn use_totp_step(client: &mut Client, user: UserId, step: u64) -> StoreResult<bool> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let sql = "update totp_credentials set last_step = $2 \
               where user_id = $1 and (last_step is null or last_step < $2)";
    Ok(write_one(client, "accepting a code", sql, &[&user.0, &step])? == 1)
}

pub(super) fn use_recovery_code(
    client: &mut Client,
    user: UserId,
    code: &Hash,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let sql = "update recovery_codes set used = $3 \
               where user_id = $1 and code_hash = $2 and used is null";
    let params: [Param<'_>; 3] = [&user.0, &&code[..], &time_text(at)];
    Ok(write_one(client, "using a recovery code", sql, &params)? == 1)
}

pub(super) fn recovery_codes_left(client: &mut Client, user: UserId) -> StoreResult<u32> {
    let n: i64 = client
        .query_one(
            "select count(*) from recovery_codes where user_id = $1 and used is null",
            &[&user.0],
        )
        .context("counting recovery codes")?
        .get(0); // count(*) is always a bigint
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn remove_totp(client: &mut Client, user: UserId) -> StoreResult<bool> {
    let doing = "removing an authenticator";
    let mut tx = begin_write(client, doing)?;
    let n = tx
        .execute(
            "delete from totp_credentials where user_id = $1",
            &[&user.0],
        )
        .context(doing)?;
    tx.execute("delete from recovery_codes where user_id = $1", &[&user.0])
        .context(doing)?;
    tx.commit().context(doing)?;
    Ok(n == 1)
}
