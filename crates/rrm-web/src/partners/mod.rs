//! The partner portal at `/shared`: what a government counterpart (`counterpart-mx`,
//! `counterpart-ca`) or a company respondent sees after signing in at `/staff/login` — the
//! cases granted to them, each case's public record (even while unpublished, since it was
//! granted), the documents shared with their kind of account, the remediation action items
//! with their status, and for respondents a form per item to upload evidence it was done.
//!
//! Invariants: the routes' rules (`policy.external`, `policy.external_on_case`) admit only
//! counterpart and respondent accounts, and only on cases granted to them; every read goes
//! through `Rrm::shared_case`/`Rrm::shared_documents`, which drop petitioners who are not
//! public and audit the view; nothing of the workspace (submission, evidence, notes,
//! unshared documents) is read here. Every form carries the session's CSRF token.

mod case;

use axum::extract::{DefaultBodyLimit, State};
use axum::middleware::map_response;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::{context, value::Serde, Value};
use rrm_app::evidence::MAX_FILE_BYTES;
use serde::Serialize;

use crate::error::WebError;
use crate::page::Page;
use crate::policy::Routes;
use crate::staff::Staff;
use crate::Web;

pub fn routes() -> Routes {
    Routes::new()
        .route("/shared", get(index))
        .route("/shared/cases/{id}", get(case::show))
        .route("/shared/cases/{id}/files/{sha256}", get(case::download))
        .route("/shared/cases/{id}/answers", post(case::answer))
        .map(|r| {
            // One answer's file per request, plus its form fields.
            r.layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024))
                .layer(map_response(crate::petitions::no_store))
        })
}

/// What every partner page's template knows about who is signed in.
pub(crate) fn partner_context(staff: &Staff) -> Value {
    let user = &staff.session.user;
    context! {
        name => user.display_name.clone(),
        email => user.email.clone(),
        role => user.role.as_str(),
        respondent => user.role == rrm_store::Role::Respondent,
        csrf => staff.session.csrf_token.expose().clone(),
    }
}

#[derive(Debug, Serialize)]
struct Granted {
    id: String,
    facility: String,
    company: Option<String>,
    stage: String,
    closed: bool,
}

/// `GET /shared`: the cases granted to the signed-in account.
pub async fn index(State(web): State<Web>, page: Page, staff: Staff) -> Result<Response, WebError> {
    let (user, lang) = (staff.session.user.clone(), page.lang);
    let cases = web
        .blocking(move |w| {
            let rrm = w.rrm();
            let mut cases = Vec::new();
            for id in rrm.shared_cases(&user)? {
                let view = rrm.case_view(&id, w.today())?;
                cases.push(Granted {
                    facility: view.header.facility.name.clone(),
                    company: view.header.facility.company.clone(),
                    stage: view.stage_name.get(lang.code()).to_string(),
                    closed: view.closed,
                    id,
                });
            }
            Ok(cases)
        })
        .await?;
    let ctx = context! { partner => partner_context(&staff), cases => Serde(cases) };
    Ok(Html(web.html("partner_cases.html", &page, ctx)?.0).into_response())
}
