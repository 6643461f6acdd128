//! `GET /search`: one box over the public record, with facets, highlighted snippets and
//! paging; and the view the staff search page (`/staff/search`) renders with the same
//! template. Not cached: results follow the index, not the store's version.

use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, value::Serde};
use rrm_search::{schema::FacetField, Audience, HitKind, SearchResults};
use serde::Serialize;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::search::{self, facet_label, IndexState, Request, PER_PAGE};
use crate::Web;

#[derive(Debug, Serialize)]
struct HitView {
    href: String,
    title: String,
    case_id: String,
    /// A document of the case (staff only).
    document: bool,
    /// The document's extraction problem, if any (staff only).
    problem: Option<String>,
    snippet_html: String,
}

#[derive(Debug, Serialize)]
struct FacetOption {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct FacetView {
    name: &'static str,
    options: Vec<FacetOption>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SearchView {
    q: String,
    action: &'static str,
    searched: bool,
    total: usize,
    first: usize,
    last: usize,
    page: usize,
    pages: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    state: IndexState,
    prev_href: Option<String>,
    next_href: Option<String>,
    clear_href: Option<String>,
}

/// `GET /search`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let request = Request::parse(raw.as_deref())?;
    let lang = page.lang;
    let view = web
        .blocking(move |w| view(w, &Audience::Public, &request, "/search", lang))
        .await?;
    let ctx = context! { search => Serde(view) };
    Ok(Html(web.html("search.html", &page, ctx)?.0).into_response())
}

/// The results page for `audience`; `action` is the page's own path.
pub(crate) fn view(
    web: &Web,
    audience: &Audience,
    request: &Request,
    action: &'static str,
    lang: Lang,
) -> Result<SearchView, WebError> {
    let searched = !request.q.is_empty();
    let (results, state) = match searched {
        true => search::run(web, audience, request)?,
        false => (SearchResults::default(), IndexState::Ready),
    };
    let staff = matches!(audience, Audience::Staff { .. });
    let hits: Vec<HitView> = results.hits.iter().map(|h| hit(h, staff)).collect();
    let pages = results.total.div_ceil(PER_PAGE).max(1);
    let first = ((request.page - 1) * PER_PAGE + 1).min(results.total);
    let href = |n: usize| format!("{action}?{}", request.href(n, None));
    Ok(SearchView {
        q: request.q.clone(),
        action,
        searched,
        total: results.total,
        first,
        last: (first + hits.len()).saturating_sub(1),
        page: request.page,
        pages,
        facets: facets(web, &results, request, action, lang),
        hits,
        state,
        prev_href: (request.page > 1).then(|| href(request.page - 1)),
        next_href: (request.page < pages).then(|| href(request.page + 1)),
        clear_href: (!request.selected().is_empty()).then(|| {
            format!(
                "{action}?{}",
                Request {
                    filters: Default::default(),
                    ..request.clone()
                }
                .href(1, None)
            )
        }),
    })
}

fn hit(h: &rrm_search::Hit, staff: bool) -> HitView {
    let (href, document) = match (h.kind, staff) {
        (HitKind::Document(_), true) => (format!("/staff/cases/{}#documents", h.case_id), true),
        (_, true) => (format!("/staff/cases/{}", h.case_id), false),
        (_, false) => (format!("/cases/{}", h.case_id), false),
    };
    HitView {
        href,
        title: h.title.clone(),
        case_id: h.case_id.clone(),
        document,
        problem: h.extraction.clone().filter(|s| s != "ok"),
        snippet_html: h.snippet_html.clone(),
    }
}

fn facets(
    web: &Web,
    results: &SearchResults,
    request: &Request,
    action: &str,
    lang: Lang,
) -> Vec<FacetView> {
    let selected = request.selected();
    FacetField::ALL
        .iter()
        .map(|&f| {
            let name = f.name();
            let current = selected.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
            let mut options: Vec<FacetOption> = results
                .facets
                .of(f)
                .iter()
                .map(|(value, &count)| {
                    let is_current = current == Some(value);
                    let target = if is_current {
                        None
                    } else {
                        Some(value.as_str())
                    };
                    FacetOption {
                        label: facet_label(web, name, value, lang),
                        count,
                        href: format!("{action}?{}", request.href(1, Some((name, target)))),
                        selected: is_current,
                    }
                })
                .collect();
            if f == FacetField::Year {
                options.reverse();
            } else {
                options.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
            }
            FacetView { name, options }
        })
        .filter(|f| !f.options.is_empty())
        .collect()
}
