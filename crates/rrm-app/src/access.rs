//! Who may do what. Today the answer depends on the role alone; issue 4 adds per-case access
//! (an analyst assigned to some cases only), audit and lockout, and this is the one function
//! every staff operation already asks, so they hook in here.

use rrm_store::User;

use crate::AppError;

/// Something a staff member asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// See a case's workspace: unpublished cases, the confidential submission, notes.
    ReadCase(&'a str),
    /// Record events, write notes, upload documents.
    WorkOnCase(&'a str),
    /// Publish or unpublish a case.
    Publish(&'a str),
    /// Import or create whole cases through the API.
    CreateCases,
}

/// Allows `action` to `user`, or says why not.
pub fn authorize(user: &User, action: Action<'_>) -> Result<(), AppError> {
    match action {
        Action::Publish(_) if !user.role.may_publish() => Err(AppError::Forbidden(
            "publishing or unpublishing a case needs the supervisor or admin role".into(),
        )),
        _ => Ok(()),
    }
}

/// Which cases a staff member may see; `None` means every case. Search filters staff results
/// to this set inside the query, so totals and facets count only what the user may see.
pub type CaseScope = Option<std::collections::BTreeSet<String>>;

impl crate::Rrm {
    /// The cases `user` may see. Every staff role sees every case for now; per-case teams
    /// come with issue 4, which changes only this body.
    pub fn case_scope(&self, user: &User) -> Result<CaseScope, AppError> {
        let _ = user;
        Ok(None)
    }
}
