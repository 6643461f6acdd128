//! `GET /staff/cases/{id}`: the case workspace. The case page (for any case, published or not)
//! with what only staff see and do: the petition's confidential content and evidence, the
//! record-an-event form (a kind, then that kind's fields; the remediation plan editor is this
//! form for `remediation_agreed`, `action_completed` and `action_verified`), documents,
//! internal notes, and publication.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{context, value::Serde, Value};
use rrm_core::event::EventKind;
use serde::{Deserialize, Serialize};

use super::event_form::{payload_fields, ACTION_ROWS};
use super::{staff_context, Staff};
use crate::error::{whole_page, WebError};
use crate::i18n::Lang;
use crate::page::Page;
use crate::pages::case::view_model;
use crate::Web;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    kind: Option<String>,
    /// Set after a write, to say it worked: `event`, `note`, `document`, `published`, ...
    done: Option<String>,
}

/// What a write on this page came to, shown at the top.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// `done`, `refused`, `bad_input`, `forbidden`, `too_large`.
    pub kind: &'static str,
    pub message: String,
    pub rule: Option<String>,
}

impl Notice {
    pub fn from_error(e: &WebError) -> Notice {
        let body = e.body();
        Notice {
            kind: body.code,
            message: body.message,
            rule: body.rule,
        }
    }
}

/// `GET /staff/cases/{id}`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let known = [
        "event",
        "note",
        "document",
        "published",
        "unpublished",
        "document_published",
        "document_withdrawn",
    ];
    let notice = p
        .done
        .filter(|what| known.contains(&what.as_str()))
        .map(|what| Notice {
            kind: "done",
            message: what,
            rule: None,
        });
    render(
        &web,
        &page,
        &staff,
        id,
        p.kind,
        notice,
        StatusCode::OK,
        Vec::new(),
    )
    .await
}

/// Renders the workspace, with a notice and the event form filled with `values`.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per outcome of the page's forms"
)]
pub async fn render(
    web: &Web,
    page: &Page,
    staff: &Staff,
    id: String,
    kind: Option<String>,
    notice: Option<Notice>,
    status: StatusCode,
    values: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let (lang, user) = (page.lang, staff.session.user.clone());
    let ctx = web
        .blocking(move |w| build(w, &user, &id, kind.as_deref(), values, lang))
        .await?;
    let ctx = context! { staff => staff_context(staff), notice => Serde(notice), ..ctx };
    Ok(whole_page(status, web.html("staff_case.html", page, ctx)?))
}

fn build(
    web: &Web,
    user: &rrm_store::User,
    id: &str,
    kind: Option<&str>,
    values: Vec<(String, String)>,
    lang: Lang,
) -> Result<Value, WebError> {
    let rrm = web.rrm();
    rrm.authorize(user, rrm_app::Action::ReadCase(id))?;
    let view = rrm.case_view(id, web.today())?;
    let model = view_model(web, &view, lang)?;
    let kind = kind
        .and_then(EventKind::parse)
        .or_else(|| view.next.first().copied())
        .unwrap_or(EventKind::CaseClosed);
    let form = context! {
        kind => kind.as_str(),
        kinds => EventKind::ALL.iter().map(|k| (k.as_str(), view.next.contains(k))).collect::<Vec<_>>(),
        fields => payload_fields(kind).to_vec(),
        values => Serde(form_values(kind, values)),
        rows => (0..ACTION_ROWS).collect::<Vec<_>>(),
        actions => view.state.actions().iter().map(|a| a.item.id.clone()).collect::<Vec<_>>(),
        clocks => view.clocks.iter().filter(|c| c.status.is_running()).map(|c| c.clock.clone()).collect::<Vec<_>>(),
        outcomes => rrm_casefile::OUTCOMES.to_vec(),
        reasons => rrm_casefile::REASONS.to_vec(),
        remedies => rrm_core::event::Remedy::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        allegations => rrm_app::ALLEGATIONS.to_vec(),
    };
    Ok(context! {
        case => Serde(model),
        published => rrm.workspace.is_published(id)?,
        confidential => super::contexts::confidential_context(rrm, user, id, web.now())?,
        documents => super::contexts::documents_context(rrm, user, id)?,
        form => form,
    })
}

/// Every field the form may show, empty unless the last submission filled it.
fn form_values(kind: EventKind, sent: Vec<(String, String)>) -> HashMap<String, String> {
    let mut names: Vec<String> = ["date", "date_text", "note", "source"]
        .map(String::from)
        .to_vec();
    names.extend(payload_fields(kind).iter().map(|f| f.to_string()));
    for i in 0..ACTION_ROWS {
        names
            .extend(["id", "description", "responsible", "due"].map(|p| format!("action_{p}_{i}")));
    }
    let mut values: HashMap<String, String> =
        names.into_iter().map(|n| (n, String::new())).collect();
    for (k, v) in sent {
        if let Some(slot) = values.get_mut(&k) {
            *slot = v;
        }
    }
    values
}
