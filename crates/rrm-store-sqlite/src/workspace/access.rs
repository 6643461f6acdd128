//! [`rrm_store::AccessControl`] on the tables of migration 0004: teams, their members, case
//! assignments and grants. A case with no `case_teams` row belongs to the intake teams, so
//! imports and petitions write nothing here.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{Reach, Role, StoreError, StoreResult, Team, TeamId, User, UserId};

use super::accounts::user as user_by;
use super::casework::case_exists;
use super::time::{parse_time, time_text};
use crate::sql_error::{is_duplicate_key, Context};

pub(super) fn add_team(
    conn: &Connection,
    name: &str,
    intake: bool,
    created: DateTime<Utc>,
) -> StoreResult<Team> {
    conn.prepare_cached("insert into teams (name, intake, created) values (?1, ?2, ?3)")
        .context("preparing to add a team")?
        .execute(params![name, intake, time_text(created)])
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict(format!("a team named `{name}` exists")),
            false => StoreError::Other(format!("adding team `{name}`: {e}")),
        })?;
    Ok(Team {
        id: TeamId(conn.last_insert_rowid()),
        name: name.to_string(),
        intake,
        created,
    })
}

type RawTeam = (i64, String, bool, String);

fn decode_team((id, name, intake, created): RawTeam) -> StoreResult<Team> {
    Ok(Team {
        id: TeamId(id),
        created: parse_time(&created, &format!("team {id}"))?,
        name,
        intake,
    })
}

/// Teams selected by `sql`, whose columns are `id, name, intake, created` of `teams t`.
fn teams_where(conn: &Connection, sql: &str, arg: &dyn rusqlite::ToSql) -> StoreResult<Vec<Team>> {
    let mut stmt = conn.prepare_cached(sql).context("listing teams")?;
    let rows = stmt
        .query_map([arg], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .context("listing teams")?;
    rows.map(|r| decode_team(r.context("listing teams")?))
        .collect()
}

pub(super) fn teams(conn: &Connection) -> StoreResult<Vec<Team>> {
    let sql = "select id, name, intake, created from teams where ?1 order by name";
    teams_where(conn, sql, &true)
}

pub(super) fn team_by_name(conn: &Connection, name: &str) -> StoreResult<Option<Team>> {
    let sql = "select id, name, intake, created from teams where name = ?1";
    Ok(teams_where(conn, sql, &name)?.pop())
}

pub(super) fn teams_of(conn: &Connection, user: UserId) -> StoreResult<Vec<Team>> {
    let sql = "select t.id, t.name, t.intake, t.created from teams t \
               join team_members m on m.team_id = t.id where m.user_id = ?1 order by t.name";
    teams_where(conn, sql, &user.0)
}

pub(super) fn case_teams(conn: &Connection, case_id: &str) -> StoreResult<Vec<Team>> {
    let sql = "select t.id, t.name, t.intake, t.created from teams t \
               join case_teams c on c.team_id = t.id where c.case_id = ?1 order by t.name";
    teams_where(conn, sql, &case_id)
}

fn exists(conn: &Connection, sql: &str, arg: &dyn rusqlite::ToSql, what: &str) -> StoreResult<()> {
    let found = conn
        .prepare_cached(sql)
        .context("looking up a row")?
        .query_row([arg], |_| Ok(()))
        .optional()
        .with_context(|| format!("looking up {what}"))?;
    found.ok_or_else(|| StoreError::NotFound(what.to_string()))
}

fn team_exists(conn: &Connection, team: TeamId) -> StoreResult<()> {
    let what = format!("team {}", team.0);
    exists(conn, "select 1 from teams where id = ?1", &team.0, &what)
}

fn user_exists(conn: &Connection, user: UserId) -> StoreResult<()> {
    let what = format!("user {}", user.0);
    exists(conn, "select 1 from users where id = ?1", &user.0, &what)
}

fn ensure_case(conn: &Connection, case_id: &str) -> StoreResult<()> {
    match case_exists(conn, case_id)? {
        true => Ok(()),
        false => Err(StoreError::NotFound(case_id.to_string())),
    }
}

/// Runs `insert or ignore` (when `on`) or `delete` of one link row, after checking both ends.
fn set_link(
    conn: &mut Connection,
    check: impl FnOnce(&Connection) -> StoreResult<()>,
    (insert, delete): (&str, &str),
    args: (&dyn rusqlite::ToSql, &dyn rusqlite::ToSql),
    on: bool,
) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting an access change")?;
    check(&tx)?;
    let sql = if on { insert } else { delete };
    tx.execute(sql, [args.0, args.1])
        .context("changing access")?;
    tx.commit().context("committing an access change")
}

pub(super) fn set_team_member(
    conn: &mut Connection,
    team: TeamId,
    user: UserId,
    member: bool,
) -> StoreResult<()> {
    let sql = (
        "insert or ignore into team_members (team_id, user_id) values (?1, ?2)",
        "delete from team_members where team_id = ?1 and user_id = ?2",
    );
    let check = |c: &Connection| team_exists(c, team).and_then(|()| user_exists(c, user));
    set_link(conn, check, sql, (&team.0, &user.0), member)
}

pub(super) fn assign_case(
    conn: &mut Connection,
    case_id: &str,
    team: TeamId,
    assigned: bool,
) -> StoreResult<()> {
    let sql = (
        "insert or ignore into case_teams (case_id, team_id) values (?1, ?2)",
        "delete from case_teams where case_id = ?1 and team_id = ?2",
    );
    let check = |c: &Connection| ensure_case(c, case_id).and_then(|()| team_exists(c, team));
    set_link(conn, check, sql, (&case_id, &team.0), assigned)
}

pub(super) fn set_grant(
    conn: &mut Connection,
    case_id: &str,
    user: UserId,
    granted: bool,
) -> StoreResult<()> {
    let sql = (
        "insert or ignore into case_grants (case_id, user_id) values (?1, ?2)",
        "delete from case_grants where case_id = ?1 and user_id = ?2",
    );
    let check = |c: &Connection| ensure_case(c, case_id).and_then(|()| user_exists(c, user));
    set_link(conn, check, sql, (&case_id, &user.0), granted)
}

fn user_ids(conn: &Connection, sql: &str, arg: &dyn rusqlite::ToSql) -> StoreResult<Vec<UserId>> {
    let mut stmt = conn.prepare_cached(sql).context("listing accounts")?;
    let rows = stmt
        .query_map([arg], |r| r.get(0))
        .context("listing accounts")?;
    rows.map(|r| r.map(UserId).context("listing accounts"))
        .collect()
}

pub(super) fn team_members(conn: &Connection, team: TeamId) -> StoreResult<Vec<UserId>> {
    let sql = "select user_id from team_members where team_id = ?1 order by user_id";
    user_ids(conn, sql, &team.0)
}

pub(super) fn case_grants(conn: &Connection, case_id: &str) -> StoreResult<Vec<UserId>> {
    let sql = "select user_id from case_grants where case_id = ?1 order by user_id";
    user_ids(conn, sql, &case_id)
}

/// Through a team: the case is assigned to one of the user's teams, or assigned to none while
/// the user is on an intake team.
const REACH_BY_TEAM: &str = "\
    select exists (select 1 from cases where id = ?2) and (
        exists (select 1 from case_teams c join team_members m on m.team_id = c.team_id
                where c.case_id = ?2 and m.user_id = ?1)
        or (not exists (select 1 from case_teams where case_id = ?2)
            and exists (select 1 from team_members m join teams t on t.id = m.team_id
                        where m.user_id = ?1 and t.intake)))";

pub(super) fn reach(conn: &Connection, user: UserId, case_id: &str) -> StoreResult<Reach> {
    let doing = "checking access to a case";
    let team: bool = conn
        .prepare_cached(REACH_BY_TEAM)
        .context(doing)?
        .query_row(params![user.0, case_id], |r| r.get(0))
        .context(doing)?;
    let grant = conn
        .prepare_cached("select 1 from case_grants where user_id = ?1 and case_id = ?2")
        .context(doing)?
        .query_row(params![user.0, case_id], |_| Ok(()))
        .optional()
        .context(doing)?
        .is_some();
    Ok(Reach { team, grant })
}

const CASES_OF: &str = "\
    select c.case_id from case_teams c join team_members m on m.team_id = c.team_id
        where m.user_id = ?1
    union
    select id from cases where id not in (select case_id from case_teams)
        and exists (select 1 from team_members m join teams t on t.id = m.team_id
                    where m.user_id = ?1 and t.intake)
    union
    select case_id from case_grants where user_id = ?1
    order by 1";

pub(super) fn cases_of(conn: &Connection, user: UserId) -> StoreResult<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(CASES_OF)
        .context("listing reachable cases")?;
    let rows = stmt
        .query_map([user.0], |r| r.get(0))
        .context("listing reachable cases")?;
    rows.map(|r| r.context("listing reachable cases")).collect()
}

pub(super) fn users(conn: &Connection) -> StoreResult<Vec<User>> {
    let ids = user_ids(conn, "select id from users where ?1 order by email", &true)?;
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        all.extend(user_by(conn, "id", &id.0)?);
    }
    Ok(all)
}

pub(super) fn set_role(conn: &Connection, user: UserId, role: Role) -> StoreResult<()> {
    let n = conn
        .execute(
            "update users set role = ?2 where id = ?1",
            params![user.0, role.as_str()],
        )
        .context("changing a role")?;
    match n {
        0 => Err(StoreError::NotFound(format!("user {}", user.0))),
        _ => Ok(()),
    }
}

pub(super) fn set_disabled(
    conn: &mut Connection,
    user: UserId,
    at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to disable an account")?;
    let n = tx
        .execute(
            "update users set disabled = ?2 where id = ?1",
            params![user.0, at.map(time_text)],
        )
        .context("disabling an account")?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("user {}", user.0)));
    }
    if let Some(at) = at {
        tx.execute("delete from sessions where user_id = ?1", [user.0])
            .context("ending a disabled account's sessions")?;
        tx.execute(
            "update api_tokens set revoked = ?2 where user_id = ?1 and revoked is null",
            params![user.0, time_text(at)],
        )
        .context("revoking a disabled account's tokens")?;
    }
    tx.commit().context("committing a disabled account")
}
