//! `GET /api/v1/cases` (the index's filters, paging and facet counts) and
//! `GET /api/v1/cases/{id}` (one case in full, as of today).

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use rrm_app::Rrm;

use super::types::{self, ErrorEnvelope};
use crate::error::WebError;
use crate::listing::{self, Entry, FacetCount, RawQuery as CaseParams};
use crate::public::PublicCase;
use crate::Web;

/// Cases matching the filters, a page at a time, with counts per filter value.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    operation_id = "list_cases",
    tag = "cases",
    params(CaseParams),
    responses(
        (status = 200, body = types::CaseList),
        (status = 400, body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, WebError> {
    let q = listing::parse_query(raw.as_deref(), 20)?;
    let key = crate::rendered::Key {
        route: "api_cases",
        query: raw,
        lang: "",
        gzip: crate::rendered::accepts_gzip(&headers),
    };
    web.cached(key, "application/json", move |w| {
        let entries = w.entries()?;
        let page = listing::select(&entries, &q);
        let list = types::CaseList {
            items: page.items.iter().map(|e| summary(w.rrm(), e)).collect(),
            total: page.total,
            page: q.page,
            per_page: q.per_page,
            facets: facets(page.facets),
        };
        serde_json::to_string(&list)
            .map_err(|e| WebError::Internal(format!("serializing cases: {e}")))
    })
    .await
}

fn summary(rrm: &Rrm, e: &Entry) -> types::CaseSummary {
    let p = &e.row.projection;
    types::CaseSummary {
        id: e.row.id.clone(),
        procedure: e.row.procedure.clone(),
        facility: p.facets.title.clone(),
        company: p.facets.company.clone(),
        state: p.facets.state.clone(),
        sector: p.facets.sector.clone(),
        year: p.facets.year,
        stage: stage(rrm, &e.row.procedure, &p.stage),
        closed: p.closed,
        outcome: p.outcome.clone(),
        has_panel: p.has_panel,
        request_date: e.request_date,
        first_date: p.first_date,
        last_date: p.last_date,
        workers_affected: p.facets.workers,
        event_count: e.row.event_count,
    }
}

fn stage(rrm: &Rrm, procedure: &str, id: &str) -> types::Stage {
    let name = rrm
        .procedures
        .get(procedure)
        .and_then(|p| p.stage_by_name(id).map(|s| (&p.stage(s).name).into()))
        .unwrap_or_else(|| types::Text {
            en: id.into(),
            es: id.into(),
        });
    types::Stage {
        id: id.into(),
        name,
    }
}

fn facets(all: Vec<(&'static str, Vec<FacetCount>)>) -> types::Facets {
    let mut out = types::Facets::default();
    for (name, counts) in all {
        let values = counts
            .into_iter()
            .map(|c| types::FacetValue {
                value: c.value,
                count: c.count,
            })
            .collect();
        match name {
            "status" => out.status = values,
            "stage" => out.stage = values,
            "year" => out.year = values,
            "sector" => out.sector = values,
            "state" => out.state = values,
            "procedure" => out.procedure = values,
            "outcome" => out.outcome = values,
            _ => out.panel = values,
        }
    }
    out
}

/// One case: public header fields, events, clocks as of today, and what may come next.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    operation_id = "get_case",
    tag = "cases",
    params(("id" = String, Path, description = "The case id, e.g. gm-silao-2021")),
    responses(
        (status = 200, body = types::Case),
        (status = 404, body = ErrorEnvelope),
    )
)]
pub async fn show(
    State(web): State<Web>,
    Path(id): Path<String>,
) -> Result<Json<types::Case>, WebError> {
    let case = web
        .blocking(move |w| PublicCase::load(w.rrm(), &id, w.today()).map(case))
        .await?;
    Ok(Json(case))
}

fn case(c: PublicCase) -> types::Case {
    let v = c.view;
    let h = v.header;
    let f = h.facility;
    types::Case {
        id: v.id,
        procedure: h.procedure,
        request_number: h.request_number,
        facility: types::Facility {
            id: f.id,
            name: f.name,
            company: f.company,
            parent_company: f.parent_company,
            city: f.city,
            state: f.state,
            country: f.country,
            sector: f.sector,
        },
        // PublicCase has already removed petitioners who are not public.
        petitioners: h
            .petitioners
            .into_iter()
            .map(|p| types::Petitioner { name: p.name })
            .collect(),
        workers_affected: h.workers_affected,
        summary: h.summary,
        notes: h.notes,
        stage: types::Stage {
            id: v.stage,
            name: (&v.stage_name).into(),
        },
        closed: v.closed,
        outcome: v.state.ending().map(|(o, _)| o.to_string()),
        as_of: v.as_of,
        events: v.events.iter().map(event).collect(),
        clocks: v.clocks.iter().map(clock).collect(),
        next_events: v.next.iter().map(|k| k.as_str().to_string()).collect(),
        data_gaps: h
            .data_gaps
            .into_iter()
            .map(|g| types::DataGap {
                about: g.about,
                note: g.note,
            })
            .collect(),
        sources: h.sources,
        head_hash: v.head_hash,
    }
}

/// An event with its payload written by the case file format, less the fields lifted out.
fn event(e: &rrm_core::event::Event) -> types::Event {
    let mut data = rrm_casefile::event_to_json(e);
    if let Some(map) = data.as_object_mut() {
        for k in ["kind", "date", "date_text", "note", "source"] {
            map.remove(k);
        }
    }
    types::Event {
        kind: e.kind().as_str().into(),
        date: e.date,
        date_text: e.date_text.clone(),
        note: e.note.clone(),
        source: e.source.clone(),
        data,
    }
}

fn clock(c: &rrm_app::ClockLine) -> types::Clock {
    types::Clock {
        clock: c.clock.clone(),
        name: (&c.name).into(),
        status: c.status.as_str().into(),
        started: c.started,
        due: c.due,
        days_left: c.days_left,
        extensions: c.extensions,
        citation: c.citation.clone(),
        rule_status: c.rule_status.as_str().into(),
        on_expiry: (&c.on_expiry).into(),
    }
}
