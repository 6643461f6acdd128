//! The third storage seam: [`AccessControl`], who reaches which case. ILC staff reach the cases
//! of the teams they are on; counterparts and respondents reach the cases granted to them.
//! Whether they may do a given thing there is the application's question (`rrm_app::access`);
//! the store answers only "how does this account reach this case".
//!
//! Invariants every backend keeps (checked by [`crate::conformance_access`]):
//! - A case assigned to no team belongs to the *intake* teams (those created with
//!   `intake: true`): a new petition is worked by intake without any write at filing, and an
//!   import of a million cases writes no assignment rows.
//! - Once a case is assigned to a team, only its assigned teams reach it through teams.
//! - Grants reach only counterpart and respondent accounts; teams only staff accounts (the
//!   application enforces the roles; the store records what it is told).
//! - Changes are idempotent: adding a member twice, or revoking a grant that does not exist,
//!   is not an error.

use chrono::{DateTime, Utc};

use crate::{Role, StoreResult, User, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeamId(pub i64);

/// A group of ILC staff who work a set of cases together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    /// Unique, lowercase `[a-z0-9-]`, checked by the application.
    pub name: String,
    /// Intake teams reach every case not assigned to a team.
    pub intake: bool,
    pub created: DateTime<Utc>,
}

/// How an account reaches a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// Through a team the account is on (assigned, or intake for an unassigned case).
    pub team: bool,
    /// Through a grant to the account itself.
    pub grant: bool,
}

impl Reach {
    pub fn any(self) -> bool {
        self.team || self.grant
    }
}

/// Persistent access control. Implementations must pass
/// [`crate::conformance_access::run_all_access`].
pub trait AccessControl: Send + Sync {
    /// Creates a team; `Conflict` if the name is taken.
    fn add_team(&self, name: &str, intake: bool, created: DateTime<Utc>) -> StoreResult<Team>;

    /// Every team, by name.
    fn teams(&self) -> StoreResult<Vec<Team>>;

    fn team_by_name(&self, name: &str) -> StoreResult<Option<Team>>;

    /// Adds (`true`) or removes a member; `NotFound` for an unknown team or user.
    fn set_team_member(&self, team: TeamId, user: UserId, member: bool) -> StoreResult<()>;

    /// The members of a team, by user id.
    fn team_members(&self, team: TeamId) -> StoreResult<Vec<UserId>>;

    /// The teams a user is on, by name.
    fn teams_of(&self, user: UserId) -> StoreResult<Vec<Team>>;

    /// Assigns a case to a team (`true`) or takes it away; `NotFound` for an unknown case or
    /// team. Taking the last team away returns the case to intake.
    fn assign_case(&self, case_id: &str, team: TeamId, assigned: bool) -> StoreResult<()>;

    /// The teams a case is assigned to, by name (empty: it belongs to intake).
    fn case_teams(&self, case_id: &str) -> StoreResult<Vec<Team>>;

    /// Grants (`true`) or revokes an account's access to a case; `NotFound` for an unknown
    /// case or user.
    fn set_grant(&self, case_id: &str, user: UserId, granted: bool) -> StoreResult<()>;

    /// The accounts granted a case, by user id.
    fn case_grants(&self, case_id: &str) -> StoreResult<Vec<UserId>>;

    /// How `user` reaches `case_id`. An unknown case is reached by no one.
    fn reach(&self, user: UserId, case_id: &str) -> StoreResult<Reach>;

    /// Every case `user` reaches, through a team or a grant, in id order.
    fn cases_of(&self, user: UserId) -> StoreResult<Vec<String>>;

    /// Every account, by email.
    fn users(&self) -> StoreResult<Vec<User>>;

    /// Changes an account's role; `NotFound` for an unknown user.
    fn set_role(&self, user: UserId, role: Role) -> StoreResult<()>;

    /// Disables (`Some(at)`) or re-enables an account; disabling also deletes its sessions and
    /// revokes its tokens, in the same transaction. `NotFound` for an unknown user.
    fn set_disabled(&self, user: UserId, at: Option<DateTime<Utc>>) -> StoreResult<()>;
}
