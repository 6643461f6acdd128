//! Managing who reaches what: teams and their members, case assignments, grants to
//! counterparts and respondents, roles, and disabling accounts. Each operation is done by an
//! [`Actor`]: a signed-in account (authorized like everything else) or the operator at the
//! server's command line, who has full rights over the installation.

use chrono::{DateTime, Utc};
use rrm_store::{Role, Team, User, UserId};

use serde_json::json;

use crate::access::Action;
use crate::audit::AuditAction;
use crate::{normalize_email, AppError, Rrm};

/// The intake team of a new installation.
pub const DEFAULT_TEAM: &str = "intake";

/// Who asks for a change.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// The operator at the command line of the server (`rrm team`, `rrm user`).
    Operator,
    /// A signed-in account, authorized for each change.
    Account(&'a User),
}

impl Actor<'_> {
    /// How the audit trail names the actor: `operator` or `user:ID`.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Operator => "operator".into(),
            Actor::Account(user) => format!("user:{}", user.id.0),
        }
    }
}

/// A team name: 1 to 40 of `a-z`, `0-9` and `-`, not starting with `-`.
pub fn check_team_name(name: &str) -> Result<(), AppError> {
    let ok = (1..=40).contains(&name.len())
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    match ok {
        true => Ok(()),
        false => Err(AppError::BadInput(format!(
            "team: `{name}` is not a team name (1 to 40 of a-z, 0-9 and -)"
        ))),
    }
}

impl Rrm {
    fn allow(&self, actor: Actor<'_>, action: Action<'_>) -> Result<(), AppError> {
        match actor {
            Actor::Operator => Ok(()),
            Actor::Account(user) => self.authorize(user, action),
        }
    }

    /// The team with this name, or a not-found error naming it.
    pub fn team(&self, name: &str) -> Result<Team, AppError> {
        self.access
            .team_by_name(name)?
            .ok_or_else(|| AppError::BadInput(format!("team: no team named `{name}`")))
    }

    /// The account with this email, or a bad-input error naming it.
    pub fn account(&self, email: &str) -> Result<User, AppError> {
        let email = normalize_email(email)?;
        self.workspace
            .user_by_email(&email)?
            .ok_or_else(|| AppError::BadInput(format!("email: no account `{email}`")))
    }

    /// The team every installation starts with: when there is no team at all, an intake team
    /// named `intake` is created, so new petitions have someone to reach them.
    pub fn ensure_intake_team(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.access.teams()?.is_empty() {
            self.access.add_team(DEFAULT_TEAM, true, now)?;
        }
        Ok(())
    }

    pub fn add_team(
        &self,
        actor: Actor<'_>,
        name: &str,
        intake: bool,
        now: DateTime<Utc>,
    ) -> Result<Team, AppError> {
        self.allow(actor, Action::ManageAccounts)?;
        check_team_name(name)?;
        let team = self.access.add_team(name, intake, now)?;
        let detail = json!({"intake": intake});
        self.audit_change(
            actor,
            AuditAction::TeamCreated,
            None,
            &format!("team:{name}"),
            detail,
            now,
        )?;
        Ok(team)
    }

    /// Adds a staff account to a team, or removes it. Only ILC staff are team members.
    pub fn set_team_member(
        &self,
        actor: Actor<'_>,
        team: &str,
        member: &User,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.allow(actor, Action::ManageAccounts)?;
        if on && !member.role.is_staff() {
            return Err(AppError::BadInput(format!(
                "team: a {} account cannot be on a team (rule access.team); grant it cases",
                member.role.as_str()
            )));
        }
        let team = self.team(team)?;
        self.access.set_team_member(team.id, member.id, on)?;
        let action = match on {
            true => AuditAction::TeamMemberAdded,
            false => AuditAction::TeamMemberRemoved,
        };
        let detail = json!({"user": member.id.0});
        self.audit_change(
            actor,
            action,
            None,
            &format!("team:{}", team.name),
            detail,
            now,
        )
    }

    /// Assigns a case to a team, or takes it away (back to intake when no team is left).
    pub fn assign_case(
        &self,
        actor: Actor<'_>,
        case_id: &str,
        team: &str,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.allow(actor, Action::ManageCaseAccess(case_id))?;
        let team = self.team(team)?;
        self.access.assign_case(case_id, team.id, on)?;
        let action = match on {
            true => AuditAction::CaseAssigned,
            false => AuditAction::CaseUnassigned,
        };
        let subject = format!("team:{}", team.name);
        self.audit_change(actor, action, Some(case_id), &subject, json!({}), now)
    }

    /// Grants a counterpart or respondent account one case, or revokes the grant.
    pub fn set_grant(
        &self,
        actor: Actor<'_>,
        case_id: &str,
        grantee: &User,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.allow(actor, Action::ManageCaseAccess(case_id))?;
        if on && !grantee.role.is_external() {
            return Err(AppError::BadInput(format!(
                "grant: {} accounts reach cases through teams, not grants (rule access.grant)",
                grantee.role.as_str()
            )));
        }
        self.access.set_grant(case_id, grantee.id, on)?;
        let action = match on {
            true => AuditAction::GrantAdded,
            false => AuditAction::GrantRevoked,
        };
        let subject = format!("user:{}", grantee.id.0);
        let detail = json!({"role": grantee.role.as_str()});
        self.audit_change(actor, action, Some(case_id), &subject, detail, now)
    }

    /// Who reaches a case: its teams (empty: intake) and the accounts granted it.
    pub fn case_access(
        &self,
        actor: Actor<'_>,
        case_id: &str,
    ) -> Result<(Vec<Team>, Vec<User>), AppError> {
        self.allow(actor, Action::ManageCaseAccess(case_id))?;
        if self.store.case(case_id)?.is_none() {
            return Err(AppError::NotFound(case_id.to_string()));
        }
        let teams = self.access.case_teams(case_id)?;
        let mut granted = Vec::new();
        for id in self.access.case_grants(case_id)? {
            granted.extend(self.workspace.user(id)?);
        }
        Ok((teams, granted))
    }

    /// Changes an account's role. An account leaving the staff roles leaves its teams.
    pub fn set_role(
        &self,
        actor: Actor<'_>,
        user: &User,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.allow(actor, Action::ManageAccounts)?;
        self.refuse_self_lockout(actor, user.id, "change your own role")?;
        if !role.is_staff() {
            for team in self.access.teams_of(user.id)? {
                self.access.set_team_member(team.id, user.id, false)?;
            }
        }
        self.access.set_role(user.id, role)?;
        let detail = json!({"from": user.role.as_str(), "to": role.as_str()});
        let subject = format!("user:{}", user.id.0);
        self.audit_change(actor, AuditAction::RoleChanged, None, &subject, detail, now)
    }

    /// Disables an account (its sessions end and its tokens are revoked at once) or enables
    /// it again.
    pub fn set_disabled(
        &self,
        actor: Actor<'_>,
        user: &User,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.allow(actor, Action::ManageAccounts)?;
        self.refuse_self_lockout(actor, user.id, "disable your own account")?;
        self.access.set_disabled(user.id, disabled.then_some(now))?;
        let action = match disabled {
            true => AuditAction::AccountDisabled,
            false => AuditAction::AccountEnabled,
        };
        let subject = format!("user:{}", user.id.0);
        self.audit_change(actor, action, None, &subject, json!({}), now)
    }

    /// An admin cannot lock themselves out through the web: another admin or the operator
    /// must do it.
    fn refuse_self_lockout(
        &self,
        actor: Actor<'_>,
        target: UserId,
        what: &str,
    ) -> Result<(), AppError> {
        match actor {
            Actor::Account(me) if me.id == target => Err(AppError::Forbidden(format!(
                "you cannot {what}; ask another admin (rule access.admin)"
            ))),
            _ => Ok(()),
        }
    }
}
