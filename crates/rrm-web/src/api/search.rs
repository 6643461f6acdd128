//! `GET /api/v1/search`: full-text search of the public record, in English and Spanish, with
//! facet counts. The public index only, and every hit passes the published-case filter.

use axum::extract::{RawQuery, State};
use axum::Json;
use rrm_search::schema::FacetField;
use rrm_search::{Audience, SearchResults};

use super::types::{self, ErrorEnvelope};
use crate::error::WebError;
use crate::search::{self, IndexState, Request, SearchParams, PER_PAGE};
use crate::Web;

/// Cases matching the words, best first; facet counts over every match.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    operation_id = "search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, body = types::SearchResults),
        (status = 400, body = ErrorEnvelope),
    )
)]
pub async fn search(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
) -> Result<Json<types::SearchResults>, WebError> {
    let request = Request::parse(raw.as_deref())?;
    let json = web
        .blocking(move |w| {
            let (results, state) = match request.q.is_empty() {
                true => (SearchResults::default(), IndexState::Ready),
                false => search::run(w, &Audience::Public, &request)?,
            };
            Ok(to_json(&request, results, state))
        })
        .await?;
    Ok(Json(json))
}

fn to_json(request: &Request, results: SearchResults, state: IndexState) -> types::SearchResults {
    let facet = |f: FacetField| {
        results
            .facets
            .of(f)
            .iter()
            .map(|(value, &count)| types::FacetValue {
                value: value.clone(),
                count,
            })
            .collect()
    };
    let facets = types::SearchFacets {
        stage: facet(FacetField::Stage),
        year: facet(FacetField::Year),
        outcome: facet(FacetField::Outcome),
        state: facet(FacetField::State),
        sector: facet(FacetField::Sector),
    };
    let index = match state {
        IndexState::Ready => "ready",
        IndexState::Building => "building",
        IndexState::Unavailable => "unavailable",
    };
    types::SearchResults {
        query: request.q.clone(),
        total: results.total as u64,
        page: request.page as u64,
        per_page: PER_PAGE as u64,
        index: index.into(),
        hits: results
            .hits
            .into_iter()
            .map(|h| types::SearchHit {
                url: format!("/cases/{}", h.case_id),
                id: h.case_id,
                title: h.title,
                snippet_html: h.snippet_html,
                score: h.score,
            })
            .collect(),
        facets,
    }
}
