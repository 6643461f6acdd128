//! Bulk downloads: every public case file as one JSON array in the `rrm-case/1` format, and
//! one CSV row per case with the key columns and dates, for spreadsheets.
//!
//! Both are built from [`crate::public`], so a petitioner who is not public is never in them.

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;

use crate::error::WebError;
use crate::page::Page;
use crate::public::public_case_file;
use crate::Web;

/// `GET /downloads`
pub async fn page(State(web): State<Web>, page: Page) -> Result<Html<String>, WebError> {
    let count = web.blocking(|w| Ok(w.entries()?.len())).await?;
    web.html("downloads.html", &page, context! { count })
}

fn attachment(content_type: &'static str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /downloads/cases.json`
pub async fn cases_json(State(web): State<Web>) -> Result<Response, WebError> {
    let body = web
        .blocking(|w| {
            let mut files = Vec::new();
            for e in w.entries()?.iter() {
                let case = public_case_file(w.rrm(), &e.row.id)?;
                files.push(rrm_casefile::case_to_json(&case));
            }
            serde_json::to_string_pretty(&files).map_err(|e| WebError::Internal(e.to_string()))
        })
        .await?;
    Ok(attachment("application/json", "rrm-cases.json", body))
}

const CSV_COLUMNS: [&str; 19] = [
    "id",
    "procedure",
    "request_number",
    "facility",
    "company",
    "parent_company",
    "city",
    "state",
    "country",
    "sector",
    "workers_affected",
    "stage",
    "closed",
    "outcome",
    "panel",
    "request_date",
    "end_date",
    "last_activity",
    "events",
];

/// `GET /downloads/cases.csv`
pub async fn cases_csv(State(web): State<Web>) -> Result<Response, WebError> {
    let body = web.blocking(csv_body).await?;
    Ok(attachment("text/csv; charset=utf-8", "rrm-cases.csv", body))
}

fn csv_body(web: &Web) -> Result<String, WebError> {
    let internal = |e: csv::Error| WebError::Internal(format!("csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(internal)?;
    for e in web.entries()?.iter() {
        let case = public_case_file(web.rrm(), &e.row.id)?;
        let (h, f, p) = (&case.header, &case.header.facility, &e.row.projection);
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        w.write_record([
            e.row.id.clone(),
            e.row.procedure.clone(),
            h.request_number.map(|n| n.to_string()).unwrap_or_default(),
            f.name.clone(),
            opt(&f.company),
            opt(&f.parent_company),
            opt(&f.city),
            opt(&f.state),
            f.country.clone(),
            opt(&f.sector),
            h.workers_affected
                .map(|n| n.to_string())
                .unwrap_or_default(),
            p.stage.clone(),
            p.closed.to_string(),
            opt(&p.outcome),
            p.has_panel.to_string(),
            date(e.request_date),
            date(e.end_date),
            date(p.last_date),
            e.row.event_count.to_string(),
        ])
        .map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| internal(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|e| WebError::Internal(e.to_string()))
}
