//! `GET /staff`: the deadline dashboard — overdue, due this week, every case with running
//! clocks — over every case the user's teams reach, published or not, the petitions
//! awaiting review, and the latest reminders sent about those cases.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, value::Serde};
use rrm_app::{DeadlineLine, DeadlineWindow};
use rrm_store::{CaseFilter, CaseRow};
use serde::Serialize;

use super::{staff_context, Staff};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::pages::stage_name;
use crate::Web;

#[derive(Debug, Serialize)]
struct Item {
    case: String,
    facility: String,
    clock: String,
    due: String,
    days_left: i64,
    overdue: bool,
    citation: String,
    rule_status: &'static str,
    published: bool,
}

#[derive(Debug, Serialize)]
struct CaseLine {
    case: String,
    facility: String,
    stage: String,
    published: bool,
    running: usize,
    overdue: usize,
    next_due: String,
}

/// A deadline reminder as the board shows it.
#[derive(Debug, Serialize)]
struct ReminderLine {
    sent: String,
    case: String,
    facility: String,
    clock: String,
    due: String,
    notice: &'static str,
    server: String,
}

#[derive(Debug, Serialize)]
struct Dashboard {
    overdue: Vec<Item>,
    this_week: Vec<Item>,
    by_case: Vec<CaseLine>,
    petitions: Vec<CaseLine>,
    reminders: Vec<ReminderLine>,
}

/// How many of the latest reminders are read for the board (before the user's scope).
const REMINDERS_READ: u64 = 500;
/// How many the board shows.
const REMINDERS_SHOWN: usize = 20;

/// `GET /staff`
pub async fn show(State(web): State<Web>, page: Page, staff: Staff) -> Result<Response, WebError> {
    let (lang, user) = (page.lang, staff.session.user.clone());
    let board = web.blocking(move |w| build(w, &user, lang)).await?;
    let ctx = context! { staff => staff_context(&staff), board => Serde(board), today => web.today().to_string() };
    Ok(Html(web.html("staff_dashboard.html", &page, ctx)?.0).into_response())
}

fn build(web: &Web, user: &rrm_store::User, lang: Lang) -> Result<Dashboard, WebError> {
    let rrm = web.rrm();
    rrm.authorize(user, rrm_app::Action::UseWorkspace)?;
    // Only the cases the user's teams reach, everywhere on the board.
    let scope = rrm.case_scope(user)?;
    let (mut rows, _) = rrm.store.list_cases(&CaseFilter::default())?;
    rows.retain(|r| scope.contains(&r.id));
    let mut unpublished: Vec<String> = rrm.workspace.unpublished()?;
    unpublished.retain(|id| scope.contains(id));
    let cases: HashMap<&str, &CaseRow> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut lines = rrm.deadlines(web.today(), DeadlineWindow::All, 100_000)?;
    lines.retain(|l| scope.contains(&l.case));
    let item = |l: &DeadlineLine| Item {
        facility: cases
            .get(l.case.as_str())
            .map_or(l.case.clone(), |r| r.projection.facets.title.clone()),
        clock: l.name.get(lang.code()).to_string(),
        due: l.due.to_string(),
        days_left: l.days_left,
        overdue: l.overdue,
        citation: l.citation.clone(),
        rule_status: l.rule_status.as_str(),
        published: !unpublished.contains(&l.case),
        case: l.case.clone(),
    };
    let case_line = |row: &CaseRow, mine: &[&DeadlineLine]| CaseLine {
        case: row.id.clone(),
        facility: row.projection.facets.title.clone(),
        stage: stage_name(rrm, &row.procedure, &row.projection.stage, lang),
        published: !unpublished.contains(&row.id),
        running: mine.len(),
        overdue: mine.iter().filter(|l| l.overdue).count(),
        next_due: mine.first().map(|l| l.due.to_string()).unwrap_or_default(),
    };
    let mut per_case: BTreeMap<&str, Vec<&DeadlineLine>> = BTreeMap::new();
    for l in &lines {
        per_case.entry(l.case.as_str()).or_default().push(l);
    }
    let mut by_case: Vec<CaseLine> = per_case
        .iter()
        .filter_map(|(id, mine)| cases.get(id).map(|row| case_line(row, mine)))
        .collect();
    by_case.sort_by(|a, b| (a.next_due.as_str(), &a.case).cmp(&(b.next_due.as_str(), &b.case)));
    let petitions = unpublished
        .iter()
        .filter_map(|id| cases.get(id.as_str()))
        .map(|row| case_line(row, per_case.get(row.id.as_str()).map_or(&[], |v| v)))
        .collect();
    let reminders = rrm
        .reminders_sent(REMINDERS_READ)?
        .into_iter()
        .filter(|r| scope.contains(&r.case_id))
        .take(REMINDERS_SHOWN)
        .map(|r| {
            let row = cases.get(r.case_id.as_str());
            let clock = row
                .and_then(|row| rrm.procedure(&row.procedure).ok())
                .and_then(|p| p.clock_by_name(&r.clock).map(|id| p.clock(id)))
                .map_or(r.clock.clone(), |def| def.name.get(lang.code()).to_string());
            ReminderLine {
                sent: r.sent.format("%Y-%m-%d %H:%M").to_string(),
                facility: row.map_or(r.case_id.clone(), |row| row.projection.facets.title.clone()),
                clock,
                due: r.due.to_string(),
                notice: r.notice.as_str(),
                server: r.instance,
                case: r.case_id,
            }
        })
        .collect();
    Ok(Dashboard {
        reminders,
        overdue: lines.iter().filter(|l| l.overdue).map(item).collect(),
        this_week: lines
            .iter()
            .filter(|l| (0..=7).contains(&l.days_left))
            .map(item)
            .collect(),
        by_case,
        petitions,
    })
}
