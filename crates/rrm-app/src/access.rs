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
