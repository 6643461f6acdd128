//! `/statistics`: the record in charts (inline SVG, no script), each with a caption, a data
//! table and its CSV at `/statistics/{chart}.csv`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, value::Serde};

use crate::charts::{bars, columns, BarChart};
use crate::error::WebError;
use crate::i18n::{number, Lang};
use crate::page::Page;
use crate::stats::{Count, Statistics, CHARTS};
use crate::{stats, Web};

/// `GET /statistics`
pub async fn show(State(web): State<Web>, page: Page) -> Result<Html<String>, WebError> {
    let s = web
        .blocking(|w| Ok(stats::statistics(&w.entries()?)))
        .await?;
    let ctx = charts(&web, &s, page.lang);
    web.html("statistics.html", &page, ctx)
}

/// Every chart's geometry, labelled and numbered in `lang`.
fn charts(web: &Web, s: &Statistics, lang: Lang) -> minijinja::Value {
    let years = columns(
        s.requests_per_year
            .iter()
            .map(|y| {
                let (n, c) = (y.requests as i64, y.cumulative as i64);
                (y.year.to_string(), n, c, number(lang, n), number(lang, c))
            })
            .collect(),
    );
    let durations = bars(
        s.resolution_days
            .iter()
            .map(|d| {
                let name = web.label(lang, "outcome", &d.outcome);
                (name, d.median_days, number(lang, d.median_days))
            })
            .collect(),
    );
    let counts =
        |rows: &[Count], prefix: &str| count_bars(rows, lang, |c| web.label(lang, prefix, &c.key));
    context! {
        stats => Serde(s),
        years => Serde(years),
        durations => Serde(durations),
        outcomes => Serde(counts(&s.outcomes, "outcome")),
        sectors => Serde(counts(&s.sectors, "")),
        states => Serde(counts(&s.states, "")),
    }
}

fn count_bars(rows: &[Count], lang: Lang, label: impl Fn(&Count) -> String) -> BarChart {
    bars(
        rows.iter()
            .map(|c| (label(c), c.count as i64, number(lang, c.count as i64)))
            .collect(),
    )
}

/// `GET /statistics/{chart}.csv`
pub async fn csv(State(web): State<Web>, Path(file): Path<String>) -> Result<Response, WebError> {
    let chart = file
        .strip_suffix(".csv")
        .filter(|c| CHARTS.contains(c))
        .ok_or_else(|| WebError::NotFound("no such chart".into()))?
        .to_string();
    let s = web
        .blocking(|w| Ok(stats::statistics(&w.entries()?)))
        .await?;
    let body = chart_csv(&s, &chart).map_err(|e| WebError::Internal(format!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"rrm-{chart}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// One chart's data as CSV: codes, not translated labels, so the file is the same in both
/// languages and joins cleanly with the API's values.
fn chart_csv(s: &Statistics, chart: &str) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    match chart {
        "requests-per-year" => {
            w.write_record(["year", "requests", "cumulative"])?;
            for y in &s.requests_per_year {
                w.serialize((y.year, y.requests, y.cumulative))?;
            }
        }
        "resolution-time" => {
            w.write_record(["outcome", "cases", "median_days", "min_days", "max_days"])?;
            for d in &s.resolution_days {
                w.serialize((&d.outcome, d.cases, d.median_days, d.min_days, d.max_days))?;
            }
        }
        _ => {
            let (head, rows) = match chart {
                "outcomes" => ("outcome", &s.outcomes),
                "sectors" => ("sector", &s.sectors),
                _ => ("state", &s.states),
            };
            w.write_record([head, "cases"])?;
            for c in rows {
                w.serialize((&c.key, c.count))?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
