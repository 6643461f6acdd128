//! Read-only views of a case's state as of a date: its clocks and the events that may come next.

use chrono::NaiveDate;

use super::{CaseState, ClockRun, ClockStatus};
use crate::event::EventKind;
use crate::procedure::{ClockDef, ClockId, Procedure, Transition};

/// A clock run with its definition and standing as of a date.
#[derive(Debug, Clone, Copy)]
pub struct ClockView<'a> {
    pub id: ClockId,
    pub def: &'a ClockDef,
    pub run: &'a ClockRun,
    pub status: ClockStatus,
    /// Calendar days from the as-of date to the due date; negative once overdue.
    pub days_left: Option<i64>,
}

/// An event the procedure would accept next, with the rule that allows it.
#[derive(Debug, Clone, Copy)]
pub struct NextEvent<'a> {
    pub kind: EventKind,
    pub transition: &'a Transition,
}

impl CaseState {
    /// Every clock run of the case, with its status as of `as_of`.
    pub fn clocks<'a>(
        &'a self,
        procedure: &'a Procedure,
        as_of: NaiveDate,
    ) -> impl Iterator<Item = ClockView<'a>> + 'a {
        self.clocks.iter().map(move |run| {
            let def = procedure.clock(run.clock);
            ClockView {
                id: run.clock,
                def,
                run,
                status: run.status(def.kind, as_of),
                days_left: run.days_left(as_of),
            }
        })
    }

    /// The clocks still running as of `as_of` (deadlines, open or overdue, and waiting
    /// periods not yet over).
    pub fn running_clocks<'a>(
        &'a self,
        procedure: &'a Procedure,
        as_of: NaiveDate,
    ) -> impl Iterator<Item = ClockView<'a>> + 'a {
        self.clocks(procedure, as_of)
            .filter(|v| v.status.is_running())
    }

    /// The events the procedure allows next as of `as_of`, one per kind, with the first rule
    /// that allows each.
    pub fn next_events<'p>(
        &self,
        procedure: &'p Procedure,
        as_of: NaiveDate,
    ) -> Vec<NextEvent<'p>> {
        let mut next: Vec<NextEvent<'p>> = Vec::new();
        for t in procedure
            .transitions
            .iter()
            .filter(|t| t.from.contains(&self.stage))
        {
            if next.iter().any(|n| n.kind == t.trigger.event) {
                continue;
            }
            if self.could_pass(procedure, t, as_of) {
                next.push(NextEvent {
                    kind: t.trigger.event,
                    transition: t,
                });
            }
        }
        next.sort_by_key(|n| n.kind);
        next
    }

    /// The kinds allowed next, for refusals; with no date, expiry conditions are ignored.
    pub(super) fn next_kinds(
        &self,
        procedure: &Procedure,
        on: Option<NaiveDate>,
    ) -> Vec<EventKind> {
        let on = on.or(self.last_date).unwrap_or(NaiveDate::MAX);
        self.next_events(procedure, on)
            .into_iter()
            .map(|n| n.kind)
            .collect()
    }

    /// Whether the case has reached a terminal stage.
    pub fn is_closed(&self, procedure: &Procedure) -> bool {
        procedure.stage(self.stage).terminal
    }
}
