//! The deadline calendar: `POST /staff/calendar` makes a staff member a new feed address (the
//! old one stops working), shown once; `GET /staff/calendar.ics?token=...` serves every running
//! deadline of every case as an all-day event, the rule's citation in its description.
//!
//! The token is a calendar-scope token: it opens this feed and nothing else, because calendar
//! programs keep it in a URL. Request logs carry the route, never the query.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Form;
use minijinja::context;
use rrm_app::DeadlineWindow;
use rrm_store::{CaseFilter, TokenScope};
use serde::Deserialize;

use super::ics::{calendar, AllDay};
use super::{staff_context, Staff};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::upload::field;
use crate::Web;

#[derive(Debug, Default, Deserialize)]
pub struct FeedParams {
    token: Option<String>,
    lang: Option<String>,
}

/// `GET /staff/calendar.ics?token=...`
pub async fn feed(
    State(web): State<Web>,
    Query(p): Query<FeedParams>,
) -> Result<Response, WebError> {
    let token = p.token.unwrap_or_default();
    let lang = p.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let body = web
        .blocking(move |w| {
            let user = w.rrm().authenticate_token(&token, TokenScope::Calendar)?;
            w.rrm().authorize(&user, rrm_app::Action::UseWorkspace)?;
            let scope = w.rrm().case_scope(&user)?;
            Ok(calendar(
                "rrm deadlines",
                &events(w, &scope, lang)?,
                w.now(),
            ))
        })
        .await?;
    let content_type = [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")];
    Ok((content_type, body).into_response())
}

/// Every running deadline of the cases in `scope`, published or not, as an all-day event.
fn events(web: &Web, scope: &rrm_app::CaseScope, lang: Lang) -> Result<Vec<AllDay>, WebError> {
    let (rows, _) = web.rrm().store.list_cases(&CaseFilter::default())?;
    let title = |id: &str| {
        rows.iter()
            .find(|r| r.id == id)
            .map_or(id.to_string(), |r| r.projection.facets.title.clone())
    };
    let lines = web
        .rrm()
        .deadlines(web.today(), DeadlineWindow::All, 100_000)?;
    Ok(lines
        .into_iter()
        .filter(|l| scope.contains(&l.case))
        .map(|l| AllDay {
            uid: format!("{}-{}-{}@rrm", l.case, l.clock, l.due),
            date: l.due,
            summary: format!("{} — {}", l.name.get(lang.code()), title(&l.case)),
            description: format!(
                "Case {}. Rule: {} ({}).",
                l.case,
                l.citation,
                l.rule_status.as_str()
            ),
        })
        .collect())
}

/// `POST /staff/calendar`: a new feed address for the signed-in staff member.
pub async fn new_token(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let user = staff.session.user.clone();
    let token = web
        .blocking(move |w| Ok(w.rrm().new_calendar_token(&user, w.now())?))
        .await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if crate::cookies::is_secure(&web, &headers) {
        "https"
    } else {
        "http"
    };
    let url = format!(
        "{scheme}://{host}/staff/calendar.ics?token={}&lang={}",
        token.expose(),
        page.lang.code()
    );
    let ctx = context! { staff => staff_context(&staff), url };
    Ok(web.html("staff_calendar.html", &page, ctx)?.into_response())
}
