//! Staff users, sessions and tokens. Sessions and tokens are keyed by the SHA-256 of the token.

use chrono::{DateTime, Utc};
use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use rrm_store::{
    Confidential, Hash, NewToken, NewUser, Role, Session, StoreError, StoreResult, TokenId,
    TokenRecord, TokenScope, User, UserId,
};

use super::time::{parse_opt_time, parse_time, time_text};
use crate::codec::{from_sql_int, hash_from};
use crate::sql_error::{is_duplicate_key, Context};

pub(super) fn add_user(conn: &Connection, u: &NewUser) -> StoreResult<User> {
    let sql = "insert into users (email, display_name, password_hash, role, created) \
               values (?1, ?2, ?3, ?4, ?5)";
    conn.prepare_cached(sql)
        .context("preparing to add a user")?
        .execute(params![
            u.email,
            u.display_name,
            u.password_hash.expose(),
            u.role.as_str(),
            time_text(u.created)
        ])
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict(format!("a user with email `{}` exists", u.email)),
            false => StoreError::Other(format!("adding a user: {e}")),
        })?;
    Ok(User {
        id: UserId(conn.last_insert_rowid()),
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        password_hash: u.password_hash.clone(),
        role: u.role,
        created: u.created,
        disabled: None,
    })
}

pub(super) const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, role, created, disabled";

type RawUser = (i64, String, String, String, String, String, Option<String>);

/// The user whose `column` (`id` or `email`, never caller input) equals `value`.
pub(super) fn user(
    conn: &Connection,
    column: &str,
    value: &dyn ToSql,
) -> StoreResult<Option<User>> {
    let sql = format!("select {USER_COLUMNS} from users where {column} = ?1");
    let row: Option<RawUser> = conn
        .prepare_cached(&sql)
        .context("reading a user")?
        .query_row([value], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .optional()
        .context("reading a user")?;
    row.map(decode_user).transpose()
}

fn decode_user(
    (id, email, display_name, hash, role, created, disabled): RawUser,
) -> StoreResult<User> {
    let what = format!("user {id}");
    Ok(User {
        id: UserId(id),
        email,
        display_name,
        password_hash: Confidential::new(hash),
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Other(format!("{what}: role `{role}`")))?,
        created: parse_time(&created, &what)?,
        disabled: parse_opt_time(disabled, &what)?,
    })
}

pub(super) fn create_session(conn: &Connection, s: &Session) -> StoreResult<()> {
    let sql = "insert into sessions (token_hash, user_id, csrf_token, created, expires, \
               last_seen) values (?1, ?2, ?3, ?4, ?5, ?6)";
    conn.prepare_cached(sql)
        .context("preparing to create a session")?
        .execute(params![
            &s.token_hash[..],
            s.user.0,
            s.csrf_token.expose(),
            time_text(s.created),
            time_text(s.expires),
            time_text(s.last_seen)
        ])
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict("a session with this token exists".into()),
            false => StoreError::Other(format!("creating a session: {e}")),
        })?;
    Ok(())
}

pub(super) fn session(conn: &Connection, token_hash: &Hash) -> StoreResult<Option<Session>> {
    let doing = "reading a session";
    let sql = "select user_id, csrf_token, created, expires, last_seen from sessions \
               where token_hash = ?1";
    let row = conn
        .prepare_cached(sql)
        .context(doing)?
        .query_row([&token_hash[..]], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()
        .context(doing)?;
    let Some((user, csrf, created, expires, last_seen)) = row else {
        return Ok(None);
    };
    Ok(Some(Session {
        token_hash: *token_hash,
        user: UserId(user),
        csrf_token: Confidential::new(csrf),
        created: parse_time(&created, "session")?,
        expires: parse_time(&expires, "session")?,
        last_seen: parse_time(&last_seen, "session")?,
    }))
}

pub(super) fn delete_session(conn: &Connection, token_hash: &Hash) -> StoreResult<()> {
    conn.prepare_cached("delete from sessions where token_hash = ?1")
        .context("deleting a session")?
        .execute([&token_hash[..]])
        .context("deleting a session")?;
    Ok(())
}

pub(super) fn delete_expired_sessions(conn: &Connection, now: DateTime<Utc>) -> StoreResult<u64> {
    let n = conn
        .prepare_cached("delete from sessions where expires <= ?1")
        .context("deleting expired sessions")?
        .execute([time_text(now)])
        .context("deleting expired sessions")?;
    Ok(n as u64)
}

pub(super) fn add_token(conn: &Connection, t: &NewToken) -> StoreResult<TokenRecord> {
    let sql = "insert into api_tokens (token_hash, user_id, label, scope, created) \
               values (?1, ?2, ?3, ?4, ?5)";
    conn.prepare_cached(sql)
        .context("preparing to add a token")?
        .execute(params![
            &t.token_hash[..],
            t.user.0,
            t.label,
            t.scope.as_str(),
            time_text(t.created)
        ])
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict("a token with this hash exists".into()),
            false => StoreError::Other(format!("adding a token: {e}")),
        })?;
    Ok(TokenRecord {
        id: TokenId(conn.last_insert_rowid()),
        token_hash: t.token_hash,
        user: t.user,
        label: t.label.clone(),
        scope: t.scope,
        created: t.created,
        revoked: None,
    })
}

const TOKEN_COLUMNS: &str = "id, token_hash, user_id, label, scope, created, revoked";

fn token_row(r: &Row<'_>) -> rusqlite::Result<RawToken> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

type RawToken = (i64, Vec<u8>, i64, String, String, String, Option<String>);

fn decode_token(
    (id, hash, user, label, scope, created, revoked): RawToken,
) -> StoreResult<TokenRecord> {
    let what = format!("token {id}");
    Ok(TokenRecord {
        id: TokenId(id),
        token_hash: hash_from(&hash, &what)?,
        user: UserId(user),
        label,
        scope: TokenScope::parse(&scope)
            .ok_or_else(|| StoreError::Other(format!("{what}: scope `{scope}`")))?,
        created: parse_time(&created, &what)?,
        revoked: parse_opt_time(revoked, &what)?,
    })
}

pub(super) fn token(conn: &Connection, token_hash: &Hash) -> StoreResult<Option<TokenRecord>> {
    let sql = format!("select {TOKEN_COLUMNS} from api_tokens where token_hash = ?1");
    let row = conn
        .prepare_cached(&sql)
        .context("reading a token")?
        .query_row([&token_hash[..]], token_row)
        .optional()
        .context("reading a token")?;
    row.map(decode_token).transpose()
}

pub(super) fn tokens_of(conn: &Connection, user: UserId) -> StoreResult<Vec<TokenRecord>> {
    let sql = format!("select {TOKEN_COLUMNS} from api_tokens where user_id = ?1 order by id");
    let mut stmt = conn.prepare_cached(&sql).context("listing tokens")?;
    let rows = stmt
        .query_map([user.0], token_row)
        .context("listing tokens")?;
    rows.map(|r| decode_token(r.context("listing tokens")?))
        .collect()
}

pub(super) fn revoke_token(conn: &Connection, id: TokenId, at: DateTime<Utc>) -> StoreResult<()> {
    let sql = "update api_tokens set revoked = coalesce(revoked, ?2) where id = ?1";
    let n = conn
        .prepare_cached(sql)
        .context("revoking a token")?
        .execute(params![id.0, time_text(at)])
        .context("revoking a token")?;
    match n {
        0 => Err(StoreError::NotFound(format!("no token {}", id.0))),
        _ => Ok(()),
    }
}

pub(super) fn revoke_tokens(
    conn: &Connection,
    user: UserId,
    scope: TokenScope,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let sql = "update api_tokens set revoked = ?3 \
               where user_id = ?1 and scope = ?2 and revoked is null";
    let n = conn
        .prepare_cached(sql)
        .context("revoking tokens")?
        .execute(params![user.0, scope.as_str(), time_text(at)])
        .context("revoking tokens")?;
    from_sql_int(n as i64, "revoked tokens")
}
