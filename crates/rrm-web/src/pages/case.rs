//! `/cases/{id}`: one case in full — who and where, the timeline, every clock with the rule
//! behind it, the course of remediation, remedies, what the record lacks, and its sources —
//! laid out so that printing it gives a clean case summary.

use axum::extract::{Path, State};
use minijinja::{context, value::Serde};
use rrm_core::engine::{Liquidation, RemedyState};
use rrm_core::party::Party;
use serde::Serialize;

use super::timeline;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::public::PublicCase;
use crate::Web;

#[derive(Debug, Serialize)]
struct Clock {
    name: String,
    status: &'static str,
    running: bool,
    started: Option<String>,
    due: Option<String>,
    days_left: Option<i64>,
    extensions: u32,
    citation: String,
    rule_status: &'static str,
    on_expiry: String,
}

#[derive(Debug, Serialize)]
struct Action {
    id: String,
    description: String,
    responsible: Option<String>,
    due: Option<String>,
    /// `no`, `yes` (date known) or `undated`.
    completed: &'static str,
    completed_on: Option<String>,
    /// Per verifying Party, in the order of `CaseView::parties`: (done, date).
    verified: Vec<(bool, Option<String>)>,
}

#[derive(Debug, Serialize)]
struct Remedy {
    remedy: &'static str,
    imposed: Option<String>,
    lifted: bool,
    lifted_on: Option<String>,
}

/// The case page's view model; the staff workspace shows the same one.
#[derive(Debug, Serialize)]
pub(crate) struct CaseView {
    id: String,
    header: serde_json::Value,
    procedure: String,
    stage: String,
    closed: bool,
    outcome: Option<String>,
    /// `never`, `suspended` or `resumed`, with the date where known.
    liquidation: (&'static str, Option<String>),
    timeline: Vec<timeline::Entry>,
    clocks: Vec<Clock>,
    parties: Vec<&'static str>,
    actions: Vec<Action>,
    remedies: Vec<Remedy>,
    next: Vec<&'static str>,
    as_of: String,
    head_hash: String,
    /// Published documents (public pages only; the workspace lists every document itself).
    documents: Vec<PublicDocument>,
}

#[derive(Debug, Serialize)]
struct PublicDocument {
    number: i64,
    name: String,
    content_type: String,
    size: u64,
    sha256: String,
}

/// `GET /cases/{id}`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    Path(id): Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, WebError> {
    // The page depends on the id, the query (the language switch link keeps it) and the
    // language; the cache adds the store version and today.
    let key = crate::rendered::Key {
        route: "case",
        query: Some(format!("{id}?{}", raw.unwrap_or_default())),
        lang: page.lang.code(),
        gzip: crate::rendered::accepts_gzip(&headers),
    };
    web.cached(key, "text/html; charset=utf-8", move |w| {
        let view = build(w, &id, page.lang)?;
        Ok(
            w.html("case.html", &page, context! { case => Serde(view) })?
                .0,
        )
    })
    .await
}

fn iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn build(web: &Web, id: &str, lang: Lang) -> Result<CaseView, WebError> {
    let case = PublicCase::load(web.rrm(), id, web.today())?;
    let mut view = view_model(web, &case.view, lang)?;
    view.documents = web
        .rrm()
        .public_documents(id)?
        .into_iter()
        .map(|d| PublicDocument {
            number: d.id.0,
            name: match d.name {
                rrm_store::Protected::Clear(name) => name,
                rrm_store::Protected::Sealed(_) => format!("document-{}", d.id.0),
            },
            content_type: d.content_type,
            size: d.size,
            sha256: rrm_app::audit::hex(&d.sha256),
        })
        .collect();
    Ok(view)
}

/// `GET /cases/{id}/documents/{document}`: a published document of a published case.
pub async fn document(
    State(web): State<Web>,
    Path((id, document)): Path<(String, i64)>,
) -> Result<axum::response::Response, WebError> {
    let file = web
        .blocking(move |w| Ok(w.rrm().public_document(&id, rrm_store::FileId(document))?))
        .await?;
    Ok(crate::staff::attachment(file))
}

/// The view model of a case as the engine sees it. Public pages pass a [`PublicCase`]'s view.
pub(crate) fn view_model(
    web: &Web,
    v: &rrm_app::CaseView,
    lang: Lang,
) -> Result<CaseView, WebError> {
    let procedure = web.rrm().procedure(&v.header.procedure)?;
    let parties: Vec<Party> = [procedure.complainant, procedure.respondent]
        .into_iter()
        .flatten()
        .collect();
    Ok(CaseView {
        id: v.id.clone(),
        // The public header, as the case file format writes it (petitioners already filtered).
        header: serde_json::to_value(&v.header)
            .map_err(|e| WebError::Internal(format!("header: {e}")))?,
        procedure: procedure.name.get(lang.code()).to_string(),
        stage: v.stage_name.get(lang.code()).to_string(),
        closed: v.closed,
        outcome: v.state.ending().map(|(o, _)| o.to_string()),
        liquidation: match v.state.liquidation() {
            Liquidation::NeverSuspended => ("never", None),
            Liquidation::Suspended { since } => ("suspended", iso(since)),
            Liquidation::Resumed { on } => ("resumed", iso(on)),
        },
        timeline: timeline::entries(&v.events),
        clocks: v.clocks.iter().map(|c| clock(c, lang)).collect(),
        actions: v
            .state
            .actions()
            .iter()
            .map(|a| action(a, &parties))
            .collect(),
        parties: parties.iter().map(|p| p.code()).collect(),
        remedies: v.state.remedies().iter().map(remedy).collect(),
        next: v.next.iter().map(|k| k.as_str()).collect(),
        as_of: v.as_of.to_string(),
        head_hash: v.head_hash.clone(),
        documents: Vec::new(),
    })
}

fn clock(c: &rrm_app::ClockLine, lang: Lang) -> Clock {
    Clock {
        name: c.name.get(lang.code()).to_string(),
        status: c.status.as_str(),
        running: c.status.is_running(),
        started: iso(c.started),
        due: iso(c.due),
        days_left: c.days_left.filter(|_| c.status.is_running()),
        extensions: c.extensions,
        citation: c.citation.clone(),
        rule_status: c.rule_status.as_str(),
        on_expiry: c.on_expiry.get(lang.code()).to_string(),
    }
}

fn action(a: &rrm_core::engine::ActionState, parties: &[Party]) -> Action {
    Action {
        id: a.item.id.clone(),
        description: a.item.description.clone(),
        responsible: a.item.responsible.clone(),
        due: iso(a.item.due),
        completed: match a.completed {
            None => "no",
            Some(Some(_)) => "yes",
            Some(None) => "undated",
        },
        completed_on: iso(a.completed.flatten()),
        verified: parties
            .iter()
            .map(|p| {
                let hit = a.verified_by.iter().find(|(by, _)| by == p);
                (hit.is_some(), hit.and_then(|(_, d)| iso(*d)))
            })
            .collect(),
    }
}

fn remedy(r: &RemedyState) -> Remedy {
    Remedy {
        remedy: r.remedy.as_str(),
        imposed: iso(r.imposed),
        lifted: r.lifted.is_some(),
        lifted_on: iso(r.lifted.flatten()),
    }
}
