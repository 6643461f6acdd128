//! [`rrm_store::AccessControl`] on PostgreSQL (SQLite's `workspace/access.rs`): teams, their
//! members, case assignments (none means intake), grants, roles and disabled accounts.
//! `users` decodes rows with `super::accounts::USER_COLUMNS` and `decode_user`.
//!
//! Placeholders until ported: each returns an error naming the method.

use chrono::{DateTime, Utc};
use postgres::Client;

use rrm_store::{Reach, Role, StoreResult, Team, TeamId, User, UserId};

use crate::error::not_implemented;

pub(super) fn add_team(
    _client: &mut Client,
    _name: &str,
    _intake: bool,
    _created: DateTime<Utc>,
) -> StoreResult<Team> {
    Err(not_implemented("add_team"))
}

pub(super) fn teams(_client: &mut Client) -> StoreResult<Vec<Team>> {
    Err(not_implemented("teams"))
}

pub(super) fn team_by_name(_client: &mut Client, _name: &str) -> StoreResult<Option<Team>> {
    Err(not_implemented("team_by_name"))
}

pub(super) fn set_team_member(
    _client: &mut Client,
    _team: TeamId,
    _user: UserId,
    _member: bool,
) -> StoreResult<()> {
    Err(not_implemented("set_team_member"))
}

pub(super) fn team_members(_client: &mut Client, _team: TeamId) -> StoreResult<Vec<UserId>> {
    Err(not_implemented("team_members"))
}

pub(super) fn teams_of(_client: &mut Client, _user: UserId) -> StoreResult<Vec<Team>> {
    Err(not_implemented("teams_of"))
}

pub(super) fn assign_case(
    _client: &mut Client,
    _case_id: &str,
    _team: TeamId,
    _assigned: bool,
) -> StoreResult<()> {
    Err(not_implemented("assign_case"))
}

pub(super) fn case_teams(_client: &mut Client, _case_id: &str) -> StoreResult<Vec<Team>> {
    Err(not_implemented("case_teams"))
}

pub(super) fn set_grant(
    _client: &mut Client,
    _case_id: &str,
    _user: UserId,
    _granted: bool,
) -> StoreResult<()> {
    Err(not_implemented("set_grant"))
}

pub(super) fn case_grants(_client: &mut Client, _case_id: &str) -> StoreResult<Vec<UserId>> {
    Err(not_implemented("case_grants"))
}

pub(super) fn reach(_client: &mut Client, _user: UserId, _case_id: &str) -> StoreResult<Reach> {
    Err(not_implemented("reach"))
}

pub(super) fn cases_of(_client: &mut Client, _user: UserId) -> StoreResult<Vec<String>> {
    Err(not_implemented("cases_of"))
}

pub(super) fn users(_client: &mut Client) -> StoreResult<Vec<User>> {
    Err(not_implemented("users"))
}

pub(super) fn set_role(_client: &mut Client, _user: UserId, _role: Role) -> StoreResult<()> {
    Err(not_implemented("set_role"))
}

pub(super) fn set_disabled(
    _client: &mut Client,
    _user: UserId,
    _at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    Err(not_implemented("set_disabled"))
}
