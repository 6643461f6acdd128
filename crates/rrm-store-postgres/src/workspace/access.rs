//! [`rrm_store::AccessControl`] on PostgreSQL: teams, their members, case assignments and
//! grants, accounts' roles and disabled marks. A case with no `case_teams` row belongs to the
//! intake teams, so imports and petitions write nothing here.
//!
//! Changes check both ends inside the write transaction (which holds the database's write
//! lock, `crate::version::begin_write`), so `NotFound` is decided on what the change commits
//! against; link rows are inserted with `on conflict do nothing`, so a change is idempotent.

use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::{Client, GenericClient, Row};

use rrm_store::{Reach, Role, StoreError, StoreResult, Team, TeamId, User, UserId};

use super::accounts::{decode_user, USER_COLUMNS};
use super::time::{parse_time, time_text};
use crate::error::{col, flag, is_duplicate_key, Context};
use crate::version::begin_write;

type Param<'a> = &'a (dyn ToSql + Sync);

pub(super) fn add_team(
    client: &mut Client,
    name: &str,
    intake: bool,
    created: DateTime<Utc>,
) -> StoreResult<Team> {
    let mut tx = begin_write(client, "adding a team")?;
    let row = tx
        .query_one(
            "insert into teams (name, intake, created) values ($1, $2, $3) returning id",
            &[&name, &flag(intake), &time_text(created)],
        )
        .map_err(|e| match is_duplicate_key(&e) {
            true => StoreError::Conflict(format!("a team named `{name}` exists")),
            false => StoreError::Other(format!("adding team `{name}`: {e}")),
        })?;
    tx.commit().context("committing a team")?;
    Ok(Team {
        id: TeamId(col(&row, 0, "a new team")?),
        name: name.to_string(),
        intake,
        created,
    })
}

fn decode_team(row: &Row) -> StoreResult<Team> {
    let id: i64 = col(row, 0, "a team")?;
    let what = format!("team {id}");
    let intake: i64 = col(row, 2, &what)?;
    Ok(Team {
        id: TeamId(id),
        name: col(row, 1, &what)?,
        intake: intake != 0,
        created: parse_time(col(row, 3, &what)?, &what)?,
    })
}

/// Teams selected by `sql`, whose columns are `id, name, intake, created` of `teams t`.
fn teams_where(client: &mut Client, sql: &str, args: &[Param<'_>]) -> StoreResult<Vec<Team>> {
    let rows = client.query(sql, args).context("listing teams")?;
    rows.iter().map(decode_team).collect()
}

pub(super) fn teams(client: &mut Client) -> StoreResult<Vec<Team>> {
    let sql = "select id, name, intake, created from teams order by name";
    teams_where(client, sql, &[])
}

pub(super) fn team_by_name(client: &mut Client, name: &str) -> StoreResult<Option<Team>> {
    let sql = "select id, name, intake, created from teams where name = $1";
    Ok(teams_where(client, sql, &[&name])?.pop())
}

pub(super) fn teams_of(client: &mut Client, user: UserId) -> StoreResult<Vec<Team>> {
    let sql = "select t.id, t.name, t.intake, t.created from teams t \
               join team_members m on m.team_id = t.id where m.user_id = $1 order by t.name";
    teams_where(client, sql, &[&user.0])
}

pub(super) fn case_teams(client: &mut Client, case_id: &str) -> StoreResult<Vec<Team>> {
    let sql = "select t.id, t.name, t.intake, t.created from teams t \
               join case_teams c on c.team_id = t.id where c.case_id = $1 order by t.name";
    teams_where(client, sql, &[&case_id])
}

/// `NotFound(what)` unless `sql` (a `select 1 ... where key = $1`) finds a row.
fn exists(tx: &mut impl GenericClient, sql: &str, arg: Param<'_>, what: String) -> StoreResult<()> {
    let found = tx
        .query_opt(sql, &[arg])
        .with_context(|| format!("looking up {what}"))?;
    found.map(drop).ok_or(StoreError::NotFound(what))
}

fn team_exists(tx: &mut impl GenericClient, team: TeamId) -> StoreResult<()> {
    let what = format!("team {}", team.0);
    exists(tx, "select 1 from teams where id = $1", &team.0, what)
}

fn user_exists(tx: &mut impl GenericClient, user: UserId) -> StoreResult<()> {
    let what = format!("user {}", user.0);
    exists(tx, "select 1 from users where id = $1", &user.0, what)
}

fn case_exists(tx: &mut impl GenericClient, case_id: &str) -> StoreResult<()> {
    let sql = "select 1 from cases where id = $1";
    exists(tx, sql, &case_id, case_id.to_string())
}

/// The two statements that add and remove one link row: `(insert, delete)`.
type LinkSql = (&'static str, &'static str);

/// Inserts (when `on`) or deletes one link row, after `check` found both ends, in one write.
fn set_link(
    client: &mut Client,
    check: impl FnOnce(&mut postgres::Transaction<'_>) -> StoreResult<()>,
    (insert, delete): LinkSql,
    args: [Param<'_>; 2],
    on: bool,
) -> StoreResult<()> {
    let mut tx = begin_write(client, "an access change")?;
    check(&mut tx)?;
    let sql = if on { insert } else { delete };
    tx.execute(sql, &args).context("changing access")?;
    tx.commit().context("committing an access change")
}

pub(super) fn set_team_member(
    client: &mut Client,
    team: TeamId,
    user: UserId,
    member: bool,
) -> StoreResult<()> {
    let sql = (
        "insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing",
        "delete from team_members where team_id = $1 and user_id = $2",
    );
    let check = |tx: &mut postgres::Transaction<'_>| {
        team_exists(tx, team).and_then(|()| user_exists(tx, user))
    };
    set_link(client, check, sql, [&team.0, &user.0], member)
}

pub(super) fn assign_case(
    client: &mut Client,
    case_id: &str,
    team: TeamId,
    assigned: bool,
) -> StoreResult<()> {
    let sql = (
        "insert into case_teams (case_id, team_id) values ($1, $2) on conflict do nothing",
        "delete from case_teams where case_id = $1 and team_id = $2",
    );
    let check = |tx: &mut postgres::Transaction<'_>| {
        case_exists(tx, case_id).and_then(|()| team_exists(tx, team))
    };
    set_link(client, check, sql, [&case_id, &team.0], assigned)
}

pub(super) fn set_grant(
    client: &mut Client,
    case_id: &str,
    user: UserId,
    granted: bool,
) -> StoreResult<()> {
    let sql = (
        "insert into case_grants (case_id, user_id) values ($1, $2) on conflict do nothing",
        "delete from case_grants where case_id = $1 and user_id = $2",
    );
    let check = |tx: &mut postgres::Transaction<'_>| {
        case_exists(tx, case_id).and_then(|()| user_exists(tx, user))
    };
    set_link(client, check, sql, [&case_id, &user.0], granted)
}

fn user_ids(client: &mut Client, sql: &str, arg: Param<'_>) -> StoreResult<Vec<UserId>> {
    let rows = client.query(sql, &[arg]).context("listing accounts")?;
    rows.iter()
        .map(|r| col(r, 0, "an account").map(UserId))
        .collect()
}

pub(super) fn team_members(client: &mut Client, team: TeamId) -> StoreResult<Vec<UserId>> {
    let sql = "select user_id from team_members where team_id = $1 order by user_id";
    user_ids(client, sql, &team.0)
}

pub(super) fn case_grants(client: &mut Client, case_id: &str) -> StoreResult<Vec<UserId>> {
    let sql = "select user_id from case_grants where case_id = $1 order by user_id";
    user_ids(client, sql, &case_id)
}

/// Through a team: the case is assigned to one of the user's teams, or assigned to none while
/// the user is on an intake team. Through a grant: a row for the pair.
const REACH: &str = "\
    select exists (select 1 from cases where id = $2) and (
        exists (select 1 from case_teams c join team_members m on m.team_id = c.team_id
                where c.case_id = $2 and m.user_id = $1)
        or (not exists (select 1 from case_teams where case_id = $2)
            and exists (select 1 from team_members m join teams t on t.id = m.team_id
                        where m.user_id = $1 and t.intake = 1))),
    exists (select 1 from case_grants where user_id = $1 and case_id = $2)";

pub(super) fn reach(client: &mut Client, user: UserId, case_id: &str) -> StoreResult<Reach> {
    let row = client
        .query_one(REACH, &[&user.0, &case_id])
        .context("checking access to a case")?;
    Ok(Reach {
        team: col(&row, 0, "a reach")?,
        grant: col(&row, 1, "a reach")?,
    })
}

const CASES_OF: &str = "\
    select c.case_id from case_teams c join team_members m on m.team_id = c.team_id
        where m.user_id = $1
    union
    select id from cases where not exists (select 1 from case_teams t where t.case_id = cases.id)
        and exists (select 1 from team_members m join teams t on t.id = m.team_id
                    where m.user_id = $1 and t.intake = 1)
    union
    select case_id from case_grants where user_id = $1
    order by 1";

pub(super) fn cases_of(client: &mut Client, user: UserId) -> StoreResult<Vec<String>> {
    let rows = client
        .query(CASES_OF, &[&user.0])
        .context("listing reachable cases")?;
    rows.iter().map(|r| col(r, 0, "a case id")).collect()
}

pub(super) fn users(client: &mut Client) -> StoreResult<Vec<User>> {
    let sql = format!("select {USER_COLUMNS} from users order by email");
    let rows = client.query(&sql, &[]).context("listing accounts")?;
    rows.iter().map(decode_user).collect()
}

pub(super) fn set_role(client: &mut Client, user: UserId, role: Role) -> StoreResult<()> {
    let mut tx = begin_write(client, "changing a role")?;
    let n = tx
        .execute(
            "update users set role = $2 where id = $1",
            &[&user.0, &role.as_str()],
        )
        .context("changing a role")?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("user {}", user.0)));
    }
    tx.commit().context("committing a role")
}

pub(super) fn set_disabled(
    client: &mut Client,
    user: UserId,
    at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let mut tx = begin_write(client, "disabling an account")?;
    let n = tx
        .execute(
            "update users set disabled = $2 where id = $1",
            &[&user.0, &at.map(time_text)],
        )
        .context("disabling an account")?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("user {}", user.0)));
    }
    if let Some(at) = at {
        tx.execute("delete from sessions where user_id = $1", &[&user.0])
            .context("ending a disabled account's sessions")?;
        tx.execute(
            "update api_tokens set revoked = $2 where user_id = $1 and revoked is null",
            &[&user.0, &time_text(at)],
        )
        .context("revoking a disabled account's tokens")?;
    }
    tx.commit().context("committing a disabled account")
}
