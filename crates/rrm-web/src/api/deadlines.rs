//! `GET /api/v1/deadlines`: running deadlines as of a date, all, overdue, or due within a
//! number of days.

use axum::extract::{RawQuery, State};
use axum::Json;
use chrono::NaiveDate;
use rrm_app::DeadlineWindow;
use serde::Deserialize;
use utoipa::IntoParams;

use super::types::{self, ErrorEnvelope};
use crate::error::WebError;
use crate::Web;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineParams {
    /// The date to count from (YYYY-MM-DD); default today.
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// `true`: only deadlines already passed.
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    /// Only deadlines due from `as_of` to this many days after it.
    #[param(value_type = Option<u32>)]
    within: Option<String>,
    /// At most this many (default 1000).
    #[param(value_type = Option<u64>)]
    limit: Option<String>,
}

fn parse<T: std::str::FromStr>(field: &str, v: Option<String>) -> Result<Option<T>, WebError> {
    v.filter(|s| !s.is_empty())
        .map(|s| s.parse::<T>())
        .transpose()
        .map_err(|_| WebError::BadRequest(format!("`{field}`: not a valid value")))
}

/// Running deadlines, earliest first, each with its clock's citation and rule status.
#[utoipa::path(
    get,
    path = "/api/v1/deadlines",
    operation_id = "list_deadlines",
    tag = "deadlines",
    params(DeadlineParams),
    responses(
        (status = 200, body = types::DeadlineList),
        (status = 400, body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
) -> Result<Json<types::DeadlineList>, WebError> {
    let p: DeadlineParams = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| WebError::BadRequest(format!("query: {e}")))?;
    let as_of = parse::<NaiveDate>("as_of", p.as_of)?.unwrap_or_else(|| web.today());
    let limit = parse::<u64>("limit", p.limit)?.unwrap_or(1000);
    let window = match (
        parse::<bool>("overdue", p.overdue)?,
        parse::<u32>("within", p.within)?,
    ) {
        (Some(true), Some(_)) => {
            return Err(WebError::BadRequest(
                "`overdue` and `within` exclude each other".into(),
            ))
        }
        (Some(true), None) => DeadlineWindow::Overdue,
        (_, Some(n)) => DeadlineWindow::Within(n),
        _ => DeadlineWindow::All,
    };
    let lines = web
        .blocking(move |w| Ok(w.rrm().public_deadlines(as_of, window, limit)?))
        .await?;
    let items = lines.into_iter().map(deadline).collect();
    Ok(Json(types::DeadlineList { as_of, items }))
}

fn deadline(l: rrm_app::DeadlineLine) -> types::Deadline {
    types::Deadline {
        name: (&l.name).into(),
        rule_status: l.rule_status.as_str().into(),
        case: l.case,
        procedure: l.procedure,
        clock: l.clock,
        started: l.started,
        due: l.due,
        days_left: l.days_left,
        overdue: l.overdue,
        citation: l.citation,
    }
}
