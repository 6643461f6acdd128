//! `/cases`: the case index with facets (a plain GET form, so it works without JavaScript),
//! counts per facet value, sorting and paging.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::{context, value::Serde};
use serde::Serialize;

use super::{procedure_name, stage_name};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::listing::{self, CaseQuery, FacetCount, Sort};
use crate::page::Page;
use crate::rendered::{accepts_gzip, Key};
use crate::Web;

const PER_PAGE: u64 = 20;

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    facility: String,
    company: Option<String>,
    state: Option<String>,
    request_date: Option<String>,
    /// The first dated event, shown when the request's own day is not known.
    opened: Option<String>,
    stage: String,
    closed: bool,
    outcome: Option<String>,
}

#[derive(Debug, Serialize)]
struct Opt {
    value: String,
    label: String,
    count: u64,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct Facet {
    name: &'static str,
    options: Vec<Opt>,
}

#[derive(Debug, Serialize)]
struct Index {
    rows: Vec<Row>,
    total: u64,
    first: u64,
    last: u64,
    page: u64,
    pages: u64,
    facets: Vec<Facet>,
    sort: &'static str,
    sorts: Vec<&'static str>,
    filtered: bool,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// `GET /cases`
pub async fn index(
    State(web): State<Web>,
    page: Page,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let mut query = listing::parse_query(raw.as_deref(), PER_PAGE)?;
    query.per_page = PER_PAGE;
    let key = Key {
        route: "cases",
        query: raw,
        lang: page.lang.code(),
        gzip: accepts_gzip(&headers),
    };
    web.cached(key, "text/html; charset=utf-8", move |w| {
        let index = build(w, &query, page.lang)?;
        Ok(
            w.html("cases.html", &page, context! { index => Serde(index) })?
                .0,
        )
    })
    .await
}

fn build(web: &Web, q: &CaseQuery, lang: Lang) -> Result<Index, WebError> {
    let rrm = web.rrm();
    let entries = web.entries()?;
    let result = listing::select(&entries, q);
    let rows = result
        .items
        .iter()
        .map(|e| {
            let p = &e.row.projection;
            Row {
                id: e.row.id.clone(),
                facility: p.facets.title.clone(),
                company: p.facets.company.clone(),
                state: p.facets.state.clone(),
                request_date: e.request_date.map(|d| d.to_string()),
                opened: e.opened().map(|d| d.to_string()),
                stage: stage_name(rrm, &e.row.procedure, &p.stage, lang),
                closed: p.closed,
                outcome: p.outcome.clone(),
            }
        })
        .collect::<Vec<_>>();
    let pages = result.total.div_ceil(q.per_page).max(1);
    let first = ((q.page - 1) * q.per_page + 1).min(result.total);
    let href = |n: u64| format!("/cases?{}", query_string(q, n));
    Ok(Index {
        first,
        last: first + rows.len() as u64 - u64::from(!rows.is_empty()),
        rows,
        total: result.total,
        page: q.page,
        pages,
        facets: result
            .facets
            .into_iter()
            .map(|(name, counts)| facet(web, q, name, counts, lang))
            .collect(),
        sort: q.sort.as_str(),
        sorts: Sort::ALL.iter().map(|s| s.as_str()).collect(),
        filtered: selected(q).iter().any(|(_, v)| v.is_some()),
        prev_href: (q.page > 1).then(|| href(q.page - 1)),
        next_href: (q.page < pages).then(|| href(q.page + 1)),
    })
}

/// The active filters as (facet, value) pairs.
fn selected(q: &CaseQuery) -> [(&'static str, Option<String>); 8] {
    let f = &q.filter;
    [
        ("status", f.closed.map(|c| listing::status(c).to_string())),
        ("stage", f.stage.clone()),
        ("year", f.year.map(|y| y.to_string())),
        ("sector", f.sector.clone()),
        ("state", f.state.clone()),
        ("procedure", f.procedure.clone()),
        ("outcome", f.outcome.clone()),
        (
            "panel",
            f.has_panel
                .map(|b| if b { "yes" } else { "no" }.to_string()),
        ),
    ]
}

fn query_string(q: &CaseQuery, page: u64) -> String {
    let mut pairs: Vec<(&str, String)> = selected(q)
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    pairs.push(("sort", q.sort.as_str().to_string()));
    pairs.push(("page", page.to_string()));
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

fn facet(
    web: &Web,
    q: &CaseQuery,
    name: &'static str,
    counts: Vec<FacetCount>,
    lang: Lang,
) -> Facet {
    let current = selected(q)
        .into_iter()
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v);
    let mut options: Vec<Opt> = counts
        .into_iter()
        .map(|c| Opt {
            label: facet_label(web, name, &c.value, lang),
            selected: current.as_deref() == Some(c.value.as_str()),
            value: c.value,
            count: c.count,
        })
        .collect();
    // A chosen value with no matches still shows, so the form says what was asked.
    if let Some(v) = current.filter(|v| !options.iter().any(|o| &o.value == v)) {
        options.push(Opt {
            label: facet_label(web, name, &v, lang),
            value: v,
            count: 0,
            selected: true,
        });
    }
    if !matches!(name, "year" | "panel" | "status") {
        options.sort_by_key(|o| o.label.to_lowercase());
    }
    Facet { name, options }
}

fn facet_label(web: &Web, facet: &str, value: &str, lang: Lang) -> String {
    match facet {
        "stage" => stage_name(web.rrm(), "", value, lang),
        "procedure" => procedure_name(web.rrm(), value, lang),
        "outcome" => web.label(lang, "outcome", value),
        "panel" => web.label(lang, "common", value),
        "status" => web.label(lang, "status", value),
        _ => value.to_string(),
    }
}
