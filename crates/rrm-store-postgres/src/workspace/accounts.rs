//! Staff users, sessions and API tokens (SQLite's `workspace/accounts.rs`). Sessions and tokens
//! are keyed by the SHA-256 of the token; an email or token hash taken twice is `Conflict`.

use chrono::{DateTime, Utc};
use postgres::{Client, Row};

use rrm_store::{
    Confidential, Hash, NewToken, NewUser, Role, Session, StoreError, StoreResult, TokenId,
    TokenRecord, TokenScope, User, UserId,
};

use super::time::{parse_opt_time, parse_time, time_text};
use crate::error::{col, hash_col, is_duplicate_key, Context};
use crate::version::begin_write;

pub(super) fn add_user(client: &mut Client, u: &NewUser) -> StoreResult<User> {
    let mut tx = begin_write(client, "adding a user")?;
    let row = tx
        .query_one(
            "insert into users (email, display_name, password_hash, role, created) \
             values ($1, $2, $3, $4, $5) returning id",
            &[
                &u.email,
                &u.display_name,
                u.password_hash.expose(),
                &u.role.as_str(),
                &time_text(u.created),
            ],
        )
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict(format!("a user with email `{}` exists", u.email)),
            false => StoreError::Other(format!("adding a user: {e}")),
        })?;
    let id = UserId(col(&row, 0, "a new user's id")?);
    tx.commit().context("committing a new user")?;
    Ok(User {
        id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        password_hash: u.password_hash.clone(),
        role: u.role,
        created: u.created,
        disabled: None,
    })
}

/// The columns [`decode_user`] reads, in its order.
pub(super) const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, role, created, disabled";

/// A row of [`USER_COLUMNS`] as a user.
pub(super) fn decode_user(row: &Row) -> StoreResult<User> {
    let id: i64 = col(row, 0, "a user")?;
    let what = format!("user {id}");
    let role: String = col(row, 4, &what)?;
    Ok(User {
        id: UserId(id),
        email: col(row, 1, &what)?,
        display_name: col(row, 2, &what)?,
        password_hash: Confidential::new(col(row, 3, &what)?),
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Other(format!("{what}: role `{role}`")))?,
        created: parse_time(col(row, 5, &what)?, &what)?,
        disabled: parse_opt_time(col(row, 6, &what)?, &what)?,
    })
}

pub(super) fn user_by_id(client: &mut Client, id: UserId) -> StoreResult<Option<User>> {
    let sql = format!("select {USER_COLUMNS} from users where id = $1");
    let row = client.query_opt(&sql, &[&id.0]).context("reading a user")?;
    row.as_ref().map(decode_user).transpose()
}

pub(super) fn user_by_email(client: &mut Client, email: &str) -> StoreResult<Option<User>> {
    let sql = format!("select {USER_COLUMNS} from users where email = $1");
    let row = client
        .query_opt(&sql, &[&email])
        .context("reading a user")?;
    row.as_ref().map(decode_user).transpose()
}

pub(super) fn create_session(client: &mut Client, s: &Session) -> StoreResult<()> {
    let mut tx = begin_write(client, "creating a session")?;
    tx.execute(
        "insert into sessions (token_hash, user_id, csrf_token, created, expires, last_seen) \
         values ($1, $2, $3, $4, $5, $6)",
        &[
            &&s.token_hash[..],
            &s.user.0,
            s.csrf_token.expose(),
            &time_text(s.created),
            &time_text(s.expires),
            &time_text(s.last_seen),
        ],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict("a session with this token exists".into()),
        false => StoreError::Other(format!("creating a session: {e}")),
    })?;
    tx.commit().context("committing a session")
}

pub(super) fn session(client: &mut Client, token_hash: &Hash) -> StoreResult<Option<Session>> {
    let row = client
        .query_opt(
            "select user_id, csrf_token, created, expires, last_seen from sessions \
             where token_hash = $1",
            &[&&token_hash[..]],
        )
        .context("reading a session")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let what = "a session";
    Ok(Some(Session {
        token_hash: *token_hash,
        user: UserId(col(&row, 0, what)?),
        csrf_token: Confidential::new(col(&row, 1, what)?),
        created: parse_time(col(&row, 2, what)?, what)?,
        expires: parse_time(col(&row, 3, what)?, what)?,
        last_seen: parse_time(col(&row, 4, what)?, what)?,
    }))
}

/// Runs one write statement in its own write transaction; returns the rows it changed.
pub(super) fn write_one(
    client: &mut Client,
    doing: &str,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> StoreResult<u64> {
    let mut tx = begin_write(client, doing)?;
    let n = tx.execute(sql, params).context(doing)?;
    tx.commit().context(doing)?;
    Ok(n)
}

pub(super) fn delete_session(client: &mut Client, token_hash: &Hash) -> StoreResult<()> {
    let sql = "delete from sessions where token_hash = $1";
    write_one(client, "deleting a session", sql, &[&&token_hash[..]]).map(drop)
}

pub(super) fn delete_expired_sessions(client: &mut Client, now: DateTime<Utc>) -> StoreResult<u64> {
    let sql = "delete from sessions where expires <= $1";
    write_one(client, "deleting expired sessions", sql, &[&time_text(now)])
}

pub(super) fn add_token(client: &mut Client, t: &NewToken) -> StoreResult<TokenRecord> {
    let mut tx = begin_write(client, "adding a token")?;
    let row = tx
        .query_one(
            "insert into api_tokens (token_hash, user_id, label, scope, created) \
             values ($1, $2, $3, $4, $5) returning id",
            &[
                &&t.token_hash[..],
                &t.user.0,
                &t.label,
                &t.scope.as_str(),
                &time_text(t.created),
            ],
        )
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict("a token with this hash exists".into()),
            false => StoreError::Other(format!("adding a token: {e}")),
        })?;
    let id = TokenId(col(&row, 0, "a new token's id")?);
    tx.commit().context("committing a token")?;
    Ok(TokenRecord {
        id,
        token_hash: t.token_hash,
        user: t.user,
        label: t.label.clone(),
        scope: t.scope,
        created: t.created,
        revoked: None,
    })
}

const TOKEN_COLUMNS: &str = "id, token_hash, user_id, label, scope, created, revoked";

fn decode_token(row: &Row) -> StoreResult<TokenRecord> {
    let id: i64 = col(row, 0, "a token")?;
    let what = format!("token {id}");
    let scope: String = col(row, 4, &what)?;
    Ok(TokenRecord {
        id: TokenId(id),
        token_hash: hash_col(row, 1, &what)?,
        user: UserId(col(row, 2, &what)?),
        label: col(row, 3, &what)?,
        scope: TokenScope::parse(&scope)
            .ok_or_else(|| StoreError::Other(format!("{what}: scope `{scope}`")))?,
        created: parse_time(col(row, 5, &what)?, &what)?,
        revoked: parse_opt_time(col(row, 6, &what)?, &what)?,
    })
}

pub(super) fn token(client: &mut Client, token_hash: &Hash) -> StoreResult<Option<TokenRecord>> {
    let sql = format!("select {TOKEN_COLUMNS} from api_tokens where token_hash = $1");
    let row = client
        .query_opt(&sql, &[&&token_hash[..]])
        .context("reading a token")?;
    row.as_ref().map(decode_token).transpose()
}

pub(super) fn tokens_of(client: &mut Client, user: UserId) -> StoreResult<Vec<TokenRecord>> {
    let sql = format!("select {TOKEN_COLUMNS} from api_tokens where user_id = $1 order by id");
    let rows = client.query(&sql, &[&user.0]).context("listing tokens")?;
    rows.iter().map(decode_token).collect()
}

pub(super) fn revoke_token(client: &mut Client, id: TokenId, at: DateTime<Utc>) -> StoreResult<()> {
    // `coalesce` keeps the first revocation's time: revoking twice is not an error.
    let sql = "update api_tokens set revoked = coalesce(revoked, $2) where id = $1";
    match write_one(client, "revoking a token", sql, &[&id.0, &time_text(at)])? {
        0 => Err(StoreError::NotFound(format!("no token {}", id.0))),
        _ => Ok(()),
    }
}

pub(super) fn revoke_tokens(
    client: &mut Client,
    user: UserId,
    scope: TokenScope,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let sql = "update api_tokens set revoked = $3 \
               where user_id = $1 and scope = $2 and revoked is null";
    let params: [&(dyn postgres::types::ToSql + Sync); 3] =
        [&user.0, &scope.as_str(), &time_text(at)];
    write_one(client, "revoking tokens", sql, &params)
}
