//! Who may do what: the one place that decides, for an account and an action, whether it is
//! allowed, and names the rule when it is not. Every staff, counterpart and respondent
//! operation asks [`Rrm::authorize`] first.
//!
//! The rules (`docs/security.md` has the full matrix):
//! - A disabled account may do nothing (`access.disabled`).
//! - ILC staff (analyst, supervisor, admin) work on the cases their teams reach: read the
//!   workspace and its confidential content, record events, add notes and documents
//!   (`access.team`). A case on no team belongs to the intake teams.
//! - Supervisors and admins on a case's team may also publish it and read its audit trail
//!   (`access.supervisor`); admins may manage accounts, teams and any case's access
//!   (`access.admin`).
//! - Counterparts and respondents see only cases granted to them, and there only what is
//!   shared with their kind of account; respondents may answer remediation items
//!   (`access.grant`).
//!
//! Deny by default: an action not matched below is refused. A case the account does not reach
//! at all is answered as "no such case", so a refusal never confirms that an unpublished case
//! exists.

use std::collections::BTreeSet;

use rrm_store::{Role, User};

use crate::{AppError, Rrm};

/// Something an account asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// See a case's workspace: its record (published or not), events, restricted documents.
    ReadCase(&'a str),
    /// See a case's confidential content: the petition's submission, evidence, notes.
    ReadConfidential(&'a str),
    /// Record events, write notes, upload documents.
    WorkOnCase(&'a str),
    /// Publish or unpublish a case or one of its documents.
    Publish(&'a str),
    /// Assign a case to teams; grant or revoke counterparts' and respondents' access.
    ManageCaseAccess(&'a str),
    /// Read the audit trail of one case.
    ReadCaseAudit(&'a str),
    /// Read the whole audit trail (every case, account and key operation).
    ReadAllAudit,
    /// See what a granted case shares with a counterpart or respondent.
    ReadShared(&'a str),
    /// Answer a remediation item of a granted case (a respondent's evidence of completion).
    AnswerRemediation(&'a str),
    /// Import or create whole cases through the API.
    CreateCases,
    /// Use the staff workspace at all (dashboard, calendar, search).
    UseWorkspace,
    /// Create and change accounts and teams.
    ManageAccounts,
}

/// Which cases an account's case lists show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case (no account has this today; kept for tools that run with full rights).
    All,
    /// Exactly these case ids.
    Only(BTreeSet<String>),
}

impl CaseScope {
    pub fn contains(&self, case_id: &str) -> bool {
        match self {
            CaseScope::All => true,
            CaseScope::Only(ids) => ids.contains(case_id),
        }
    }
}

fn forbidden(rule: &str, why: &str) -> AppError {
    AppError::Forbidden(format!("{why} (rule {rule})"))
}

impl Rrm {
    /// Allows `action` to `user`, or says which rule refuses it.
    pub fn authorize(&self, user: &User, action: Action<'_>) -> Result<(), AppError> {
        if user.disabled.is_some() {
            return Err(forbidden("access.disabled", "this account is disabled"));
        }
        let role = user.role;
        match action {
            Action::UseWorkspace | Action::CreateCases => staff_only(role),
            Action::ManageAccounts | Action::ReadAllAudit => admin_only(role),
            Action::ReadCase(case) | Action::ReadConfidential(case) | Action::WorkOnCase(case) => {
                staff_only(role)?;
                self.on_team(user, case)
            }
            Action::Publish(case) | Action::ReadCaseAudit(case) => {
                staff_only(role)?;
                self.on_team(user, case)?;
                match role.may_publish() {
                    true => Ok(()),
                    false => Err(forbidden(
                        "access.supervisor",
                        "this needs the supervisor or admin role on one of the case's teams",
                    )),
                }
            }
            Action::ManageCaseAccess(case) => match role {
                Role::Admin => self.existing(case),
                Role::Supervisor => self.on_team(user, case),
                _ => Err(forbidden(
                    "access.supervisor",
                    "managing who reaches a case needs the supervisor or admin role",
                )),
            },
            Action::ReadShared(case) => self.granted(user, case),
            Action::AnswerRemediation(case) => match role {
                Role::Respondent => self.granted(user, case),
                _ => Err(forbidden(
                    "access.grant",
                    "only the company respondent of a case answers its remediation items",
                )),
            },
        }
    }

    /// The cases `user`'s lists show: those their teams or grants reach.
    pub fn case_scope(&self, user: &User) -> Result<CaseScope, AppError> {
        if user.disabled.is_some() {
            return Ok(CaseScope::Only(BTreeSet::new()));
        }
        Ok(CaseScope::Only(
            self.access.cases_of(user.id)?.into_iter().collect(),
        ))
    }

    fn on_team(&self, user: &User, case: &str) -> Result<(), AppError> {
        match self.access.reach(user.id, case)?.team {
            true => Ok(()),
            false => Err(AppError::NotFound(case.to_string())),
        }
    }

    fn granted(&self, user: &User, case: &str) -> Result<(), AppError> {
        if !user.role.is_external() {
            return Err(forbidden(
                "access.grant",
                "shared views are for counterpart and respondent accounts",
            ));
        }
        match self.access.reach(user.id, case)?.grant {
            true => Ok(()),
            false => Err(AppError::NotFound(case.to_string())),
        }
    }

    fn existing(&self, case: &str) -> Result<(), AppError> {
        match self.store.case(case)? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound(case.to_string())),
        }
    }
}

fn staff_only(role: Role) -> Result<(), AppError> {
    match role.is_staff() {
        true => Ok(()),
        false => Err(forbidden(
            "access.team",
            "the staff workspace is for ILC analysts, supervisors and admins",
        )),
    }
}

fn admin_only(role: Role) -> Result<(), AppError> {
    match role {
        Role::Admin => Ok(()),
        _ => Err(forbidden("access.admin", "this needs the admin role")),
    }
}
