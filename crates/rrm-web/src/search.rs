//! Search for the web: parsing the query string, asking the indexes as the right audience,
//! and the view both the public page (`/search`) and the staff page (`/staff/search`) render.
//!
//! Invariants: the public side asks with [`Audience::Public`] (the public index only) and
//! then passes every hit through the same published-case filter as the case index, so even a
//! lagging index cannot show an unpublished case; the staff side asks with the user's
//! [`rrm_app::Rrm::case_scope`], applied inside the query. Nothing here is cached.

use std::collections::HashSet;

use rrm_search::{Audience, CaseScope, HitKind, SearchFilters, SearchResults};
use serde::{Deserialize, Serialize};

use crate::error::WebError;
use crate::i18n::Lang;
use crate::Web;

pub const PER_PAGE: usize = 20;

/// The query string of a search page or of `GET /api/v1/search`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to find: every word must match, `OR` widens, `"a phrase"`; accents and case
    /// are optional, English and Spanish word forms match (`despidos` finds `despido`).
    pub q: Option<String>,
    /// Only cases in this stage (a stage id, as in the case index).
    pub stage: Option<String>,
    /// Only cases whose first event is in this year.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// Only cases with this outcome code.
    pub outcome: Option<String>,
    /// Only cases in this state, as written in the case (`San Luis Potosí`).
    pub state: Option<String>,
    /// Only cases in this sector.
    pub sector: Option<String>,
    /// The page, from 1 (20 results a page).
    #[param(value_type = Option<u32>)]
    pub page: Option<String>,
}

/// A parsed search request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub q: String,
    pub filters: SearchFilters,
    pub page: usize,
}

impl Request {
    pub fn parse(raw: Option<&str>) -> Result<Request, WebError> {
        let p: SearchParams = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| WebError::BadRequest(format!("query: {e}")))?;
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let year = text(p.year)
            .map(|y| y.parse::<i32>())
            .transpose()
            .map_err(|_| WebError::BadRequest("`year`: not a year".into()))?;
        let page = text(p.page)
            .map(|n| n.parse::<usize>())
            .transpose()
            .map_err(|_| WebError::BadRequest("`page`: not a page number".into()))?
            .unwrap_or(1)
            .max(1);
        let q = p.q.unwrap_or_default();
        if q.len() > rrm_search::MAX_QUERY_BYTES {
            return Err(WebError::BadRequest(format!(
                "`q`: longer than {} bytes",
                rrm_search::MAX_QUERY_BYTES
            )));
        }
        Ok(Request {
            q: q.trim().to_string(),
            filters: SearchFilters {
                stage: text(p.stage),
                year,
                outcome: text(p.outcome),
                state: text(p.state),
                sector: text(p.sector),
            },
            page,
        })
    }

    /// The filters as (facet, value) pairs, for links and forms.
    pub fn selected(&self) -> Vec<(&'static str, String)> {
        let f = &self.filters;
        [
            ("stage", f.stage.clone()),
            ("year", f.year.map(|y| y.to_string())),
            ("outcome", f.outcome.clone()),
            ("state", f.state.clone()),
            ("sector", f.sector.clone()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }

    /// The query string of this search on page `page`, with `facet` set to `value` (or
    /// removed, for `None`) when given.
    pub fn href(&self, page: usize, facet: Option<(&str, Option<&str>)>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.q.clone())];
        for (k, v) in self.selected() {
            if facet.is_none_or(|(f, _)| f != k) {
                pairs.push((k, v));
            }
        }
        if let Some((f, Some(v))) = facet {
            pairs.push((f, v.to_string()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// What the indexer said, besides the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexState {
    Ready,
    /// Being built for the first time or rebuilt; results may be incomplete.
    Building,
    /// The server has no search index.
    Unavailable,
}

/// Runs a search on the blocking pool's thread (call from [`Web::blocking`]).
pub fn run(
    web: &Web,
    audience: &Audience,
    request: &Request,
) -> Result<(SearchResults, IndexState), WebError> {
    let Some(indexer) = web.app.search.as_ref() else {
        return Ok((SearchResults::default(), IndexState::Unavailable));
    };
    let status = indexer.status();
    let state = match (status.building, status.ready) {
        (false, true) => IndexState::Ready,
        _ => IndexState::Building,
    };
    let offset = (request.page - 1).saturating_mul(PER_PAGE);
    let mut results = indexer
        .search(audience, &request.q, &request.filters, PER_PAGE, offset)
        .map_err(|e| match e {
            rrm_search::SearchError::QueryTooLong => WebError::BadRequest(format!("`q`: {e}")),
            e => WebError::Internal(e.to_string()),
        })?;
    if *audience == Audience::Public {
        let published: HashSet<String> = web.entries()?.iter().map(|e| e.row.id.clone()).collect();
        let before = results.hits.len();
        results
            .hits
            .retain(|h| published.contains(&h.case_id) && h.kind == HitKind::Case);
        results.total -= before - results.hits.len();
    }
    Ok((results, state))
}

/// The audience of a signed-in staff member: the staff index within their cases.
pub fn staff_audience(web: &Web, user: &rrm_store::User) -> Result<Audience, WebError> {
    web.rrm().authorize(user, rrm_app::Action::UseWorkspace)?;
    let cases = match web.rrm().case_scope(user)? {
        rrm_app::CaseScope::All => CaseScope::All,
        rrm_app::CaseScope::Only(ids) => CaseScope::Only(ids),
    };
    Ok(Audience::Staff { cases })
}

/// A facet value's label in `lang` (stage names from the procedures, outcome codes from the
/// catalog, other values as written).
pub fn facet_label(web: &Web, facet: &str, value: &str, lang: Lang) -> String {
    match facet {
        "stage" => crate::pages::stage_name(web.rrm(), "", value, lang),
        "outcome" => web.label(lang, "outcome", value),
        _ => value.to_string(),
    }
}
