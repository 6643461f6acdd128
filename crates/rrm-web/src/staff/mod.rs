//! The staff workspace, behind a session: sign-in (password, then a TOTP second factor) and
//! sign-out, the deadline dashboard
//! (including unpublished cases), the case workspace (record events, the remediation plan,
//! documents, internal notes, publication, the petition's confidential content) and the
//! deadline calendar feed, and search over every case the user may see with its documents;
//! beside the workspace, who reaches a case (`access.rs`), the audit views (`audit.rs`) and
//! the admin pages for accounts and teams (`admin.rs`).
//!
//! Invariants: every page requires a live session ([`auth::Staff`]); every form carries the
//! session's CSRF token, checked before anything is stored; every response is `no-store`.
//! Confidential content is read only here.

mod access;
mod admin;
mod audit;
mod auth;
mod calendar;
mod casework;
mod contexts;
mod dashboard;
mod event_form;
mod ics;
mod outcome;
mod record;
mod search;
mod verify;
mod workspace;

use axum::extract::DefaultBodyLimit;
use axum::middleware::map_response;
use axum::routing::{get, post};
use minijinja::{context, Value};
use rrm_app::evidence::MAX_FILE_BYTES;

pub use auth::Staff;
pub(crate) use casework::{attachment, parse_sha256};
pub(crate) use outcome::{done, shown_again};
pub(crate) use verify::pending;
pub(crate) use workspace::Notice;

use crate::policy::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff", get(dashboard::show))
        .route("/staff/login", get(auth::login_form).post(auth::login))
        .route(
            "/staff/login/verify",
            get(verify::show).post(verify::submit),
        )
        .route("/staff/logout", post(auth::logout))
        .route("/staff/search", get(search::show))
        .route("/staff/cases/{id}", get(workspace::show))
        .route("/staff/cases/{id}/events", post(record::submit))
        .route("/staff/cases/{id}/notes", post(casework::add_note))
        .route("/staff/cases/{id}/documents", post(casework::add_document))
        .route("/staff/cases/{id}/publication", post(casework::publication))
        .route(
            "/staff/cases/{id}/documents/{document}/publication",
            post(casework::document_publication),
        )
        .route("/staff/cases/{id}/files/{sha256}", get(casework::download))
        .route("/staff/calendar", post(calendar::new_token))
        .route("/staff/calendar.ics", get(calendar::feed))
        .route(
            "/staff/cases/{id}/access",
            get(access::show).post(access::change),
        )
        .route("/staff/cases/{id}/audit", get(audit::case))
        .route("/staff/audit", get(audit::all))
        .route(
            "/staff/admin/accounts",
            get(admin::accounts).post(admin::change_account),
        )
        .route(
            "/staff/admin/teams",
            get(admin::teams).post(admin::change_team),
        )
        .map(|r| {
            // One document per request, plus its form fields.
            r.layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024))
                .layer(map_response(crate::petitions::no_store))
        })
}

/// Where an account lands after signing in: ILC staff in the workspace, counterparts and
/// respondents in their portal (the workspace refuses them).
pub(crate) fn home_for(role: rrm_store::Role) -> &'static str {
    match role.is_staff() {
        true => "/staff",
        false => "/shared",
    }
}

/// What every staff page's template knows about who is signed in.
pub(crate) fn staff_context(staff: &Staff) -> Value {
    let user = &staff.session.user;
    context! {
        name => user.display_name.clone(),
        email => user.email.clone(),
        role => user.role.as_str(),
        may_publish => user.role.may_publish(),
        admin => user.role == rrm_store::Role::Admin,
        csrf => staff.session.csrf_token.expose().clone(),
    }
}
