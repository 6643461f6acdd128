//! `GET /api/v1/statistics`: the statistics page's figures as JSON.

use axum::extract::State;
use axum::Json;

use super::types::{self, ErrorEnvelope};
use crate::error::WebError;
use crate::{stats, Web};

/// Key figures and every chart's series.
#[utoipa::path(
    get,
    path = "/api/v1/statistics",
    operation_id = "get_statistics",
    tag = "statistics",
    responses(
        (status = 200, body = types::Statistics),
        (status = 500, body = ErrorEnvelope),
    )
)]
pub async fn show(State(web): State<Web>) -> Result<Json<types::Statistics>, WebError> {
    let (k, s) = web
        .blocking(|w| {
            let entries = w.entries()?;
            Ok((stats::key_figures(&entries), stats::statistics(&entries)))
        })
        .await?;
    Ok(Json(wire(k, s)))
}

fn wire(k: stats::KeyFigures, s: stats::Statistics) -> types::Statistics {
    let count = |c: &stats::Count| types::Count {
        key: c.key.clone(),
        count: c.count,
    };
    types::Statistics {
        key_figures: types::KeyFigures {
            requests: k.requests,
            open: k.open,
            resolved: k.resolved,
            closed: k.closed,
            panels: k.panels,
            workers: k.workers,
            workers_known: k.workers_known,
        },
        requests_per_year: s
            .requests_per_year
            .iter()
            .map(|y| types::YearCount {
                year: y.year,
                requests: y.requests,
                cumulative: y.cumulative,
            })
            .collect(),
        undated_requests: s.undated_requests,
        resolution_days: s
            .resolution_days
            .iter()
            .map(|d| types::Duration {
                outcome: d.outcome.clone(),
                cases: d.cases,
                median_days: d.median_days,
                min_days: d.min_days,
                max_days: d.max_days,
            })
            .collect(),
        outcomes: s.outcomes.iter().map(count).collect(),
        sectors: s.sectors.iter().map(count).collect(),
        states: s.states.iter().map(count).collect(),
    }
}
