//! From a case's header and engine state to the projection the store indexes.

use chrono::Datelike;

use rrm_casefile::CaseHeaderDoc;
use rrm_core::engine::CaseState;
use rrm_core::event::{Event, EventKind};
use rrm_core::procedure::{ClockKind, Procedure};
use rrm_store::{Facets, ProjectedClock, Projection};

/// The projection of a case: stage, outcome, running deadlines by due date, facet columns.
///
/// Only deadlines with a known due date are projected; waiting periods (such as the notice
/// before remedies) are not deadlines anyone can miss, so they stay out of deadline queries.
pub fn project(
    procedure: &Procedure,
    header: &CaseHeaderDoc,
    events: &[Event],
    state: &CaseState,
) -> Projection {
    let clocks = state
        .clock_runs()
        .iter()
        .filter(|run| run.is_running())
        .filter(|run| procedure.clock(run.clock).kind == ClockKind::Deadline)
        .filter_map(|run| {
            run.due.map(|due| ProjectedClock {
                clock: procedure.clock(run.clock).id.clone(),
                started: run.started,
                due,
            })
        })
        .collect();
    let dated = || events.iter().filter_map(|e| e.date);
    let request_date = events
        .iter()
        .find(|e| e.kind() == EventKind::RequestForReview)
        .and_then(|e| e.date);
    Projection {
        stage: procedure.stage(state.stage()).id.clone(),
        closed: state.is_closed(procedure),
        outcome: state.ending().map(|(o, _)| o.to_string()),
        has_panel: events.iter().any(|e| e.kind() == EventKind::PanelRequested),
        first_date: dated().min(),
        last_date: dated().max(),
        clocks,
        facets: Facets {
            title: header.facility.name.clone(),
            company: header.facility.company.clone(),
            sector: header.facility.sector.clone(),
            state: header.facility.state.clone(),
            year: request_date.or_else(|| dated().min()).map(|d| d.year()),
            workers: header.workers_affected.map(|w| w as i64),
        },
    }
}
