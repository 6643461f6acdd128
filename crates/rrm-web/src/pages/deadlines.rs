//! `/deadlines`: every running deadline of every open published case, overdue first, each
//! with the rule behind it, so anyone can see what is due and how firmly the rule is known.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Html;
use minijinja::{context, value::Serde};
use rrm_app::{DeadlineLine, DeadlineWindow};
use serde::Serialize;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::Web;

/// One running deadline, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineItem {
    pub case: String,
    pub facility: String,
    pub clock: String,
    pub due: String,
    pub days_left: i64,
    pub overdue: bool,
    pub citation: String,
    pub rule_status: &'static str,
}

/// Deadlines with their facility names (from the index, so no case file is loaded) and clock
/// names in `lang`.
pub fn items(
    web: &Web,
    lines: Vec<DeadlineLine>,
    lang: Lang,
) -> Result<Vec<DeadlineItem>, WebError> {
    let entries = web.entries()?;
    let titles: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.row.id.as_str(), e.row.projection.facets.title.as_str()))
        .collect();
    Ok(lines
        .into_iter()
        .map(|l| DeadlineItem {
            facility: titles
                .get(l.case.as_str())
                .unwrap_or(&l.case.as_str())
                .to_string(),
            clock: l.name.get(lang.code()).to_string(),
            due: l.due.to_string(),
            days_left: l.days_left,
            overdue: l.overdue,
            citation: l.citation,
            rule_status: l.rule_status.as_str(),
            case: l.case,
        })
        .collect())
}

/// `GET /deadlines`
pub async fn index(State(web): State<Web>, page: Page) -> Result<Html<String>, WebError> {
    let lang = page.lang;
    let deadlines = web
        .blocking(move |w| {
            let lines = w
                .rrm()
                .public_deadlines(w.today(), DeadlineWindow::All, 10_000)?;
            items(w, lines, lang)
        })
        .await?;
    let today = web.today().to_string();
    web.html(
        "deadlines.html",
        &page,
        context! { deadlines => Serde(deadlines), today },
    )
}

/// The home page's excerpt of the deadlines.
#[derive(Debug, Serialize)]
pub struct Excerpt {
    /// How many deadlines have passed unmet.
    pub overdue_count: usize,
    /// The longest overdue first.
    pub overdue: Vec<DeadlineItem>,
    /// The nearest first.
    pub upcoming: Vec<DeadlineItem>,
}

pub fn excerpt(web: &Web, lang: Lang, n: usize) -> Result<Excerpt, WebError> {
    let today = web.today();
    let mut overdue = web
        .rrm()
        .public_deadlines(today, DeadlineWindow::Overdue, 10_000)?;
    let overdue_count = overdue.len();
    overdue.truncate(n);
    // Ten years ahead is "all upcoming": no treaty clock runs that long.
    let upcoming = web
        .rrm()
        .public_deadlines(today, DeadlineWindow::Within(3660), n as u64)?;
    Ok(Excerpt {
        overdue_count,
        overdue: items(web, overdue, lang)?,
        upcoming: items(web, upcoming, lang)?,
    })
}
