//! `GET /staff/search`: search over the staff index — unpublished cases and staff documents
//! too — limited to the cases the signed-in user may see ([`rrm_app::Rrm::case_scope`]),
//! inside the query. Never cached (every staff response is `no-store`).

use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, value::Serde};

use super::{staff_context, Staff};
use crate::error::WebError;
use crate::page::Page;
use crate::search::{staff_audience, Request};
use crate::Web;

/// `GET /staff/search`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let request = Request::parse(raw.as_deref())?;
    let lang = page.lang;
    let user = staff.session.user.clone();
    let view = web
        .blocking(move |w| {
            let audience = staff_audience(w, &user)?;
            crate::pages::search::view(w, &audience, &request, "/staff/search", lang)
        })
        .await?;
    let ctx = context! { staff => staff_context(&staff), search => Serde(view) };
    Ok(Html(web.html("search.html", &page, ctx)?.0).into_response())
}
