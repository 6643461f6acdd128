//! Clock instances: when a clock started, when it is due, whether and when it stopped, and its
//! status as of a given date.
//!
//! Invariant: a due date is never before its start (lengths are positive, extensions only move
//! a due date later), and a clock whose start date is unknown has no due date: rrm never
//! invents a date.

use chrono::{Days, NaiveDate};

use crate::calendar::add_business_days;
use crate::procedure::{ClockDef, ClockId, ClockKind, ClockLength, DayUnit};

/// One run of a clock in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRun {
    pub clock: ClockId,
    /// `None` when the starting event is undated.
    pub started: Option<NaiveDate>,
    /// `None` when unknown: undated start, or an agreed period with no date on record.
    pub due: Option<NaiveDate>,
    /// The due date before any agreed extension.
    pub original_due: Option<NaiveDate>,
    pub extensions: u32,
    pub stopped: Option<ClockStop>,
}

/// How a clock run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockStop {
    /// `None` when the stopping event is undated.
    pub on: Option<NaiveDate>,
    pub how: StopKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    /// What the clock waited for happened.
    Met,
    /// The case moved on without it (a panel was requested, the case closed).
    Cancelled,
    /// A later start event began a new run (a verification restarts the determination clock).
    Restarted,
}

/// A clock's standing as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockStatus {
    /// Running, due date not yet passed.
    Open,
    /// Running, due date passed: someone missed a deadline.
    Overdue,
    /// Running, but no due date is known (undated start or no agreed date on record).
    OpenUndated,
    /// A waiting period that has run out: what it held back may now happen.
    Elapsed,
    /// Met on or before its due date.
    Met,
    /// Met after its due date.
    MetLate,
    /// Met on an unknown day, or with no known due date.
    Stopped,
    /// Ended unmet before its due date, because the case moved on.
    Cancelled,
    /// Ended unmet after its due date had passed.
    Lapsed,
    /// Replaced by a restart.
    Restarted,
}

impl ClockStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockStatus::Open => "open",
            ClockStatus::Overdue => "overdue",
            ClockStatus::OpenUndated => "open_undated",
            ClockStatus::Elapsed => "elapsed",
            ClockStatus::Met => "met",
            ClockStatus::MetLate => "met_late",
            ClockStatus::Stopped => "stopped",
            ClockStatus::Cancelled => "cancelled",
            ClockStatus::Lapsed => "lapsed",
            ClockStatus::Restarted => "restarted",
        }
    }

    /// Still running (a deadline someone must meet, or a waiting period not yet over).
    pub fn is_running(self) -> bool {
        matches!(
            self,
            ClockStatus::Open | ClockStatus::Overdue | ClockStatus::OpenUndated
        )
    }
}

/// The date `days` units after `start` under the clock's unit and calendar.
pub fn add_days(def: &ClockDef, start: NaiveDate, days: u32) -> NaiveDate {
    match def.unit {
        DayUnit::CalendarDays => start
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX),
        DayUnit::BusinessDays => add_business_days(def.calendar, start, days),
    }
}

impl ClockRun {
    /// Starts a run of `def` on `started`; `agreed_due` is the date the Parties agreed, for
    /// clocks whose length is "agreed".
    pub fn start(
        id: ClockId,
        def: &ClockDef,
        started: Option<NaiveDate>,
        agreed_due: Option<NaiveDate>,
    ) -> ClockRun {
        let due = match (&def.length, started) {
            (ClockLength::Days(n), Some(s)) => Some(add_days(def, s, *n)),
            (ClockLength::Agreed { .. }, Some(s)) => agreed_due.map(|d| d.max(s)),
            (_, None) => None,
        };
        ClockRun {
            clock: id,
            started,
            due,
            original_due: due,
            extensions: 0,
            stopped: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.stopped.is_none()
    }

    /// Whether the run had expired unmet on `date` (a deadline passes the day after it is
    /// due; a waiting period is over on its due date).
    pub fn expired_on(&self, kind: ClockKind, date: NaiveDate) -> bool {
        match (self.due, self.stopped) {
            (Some(due), None) => match kind {
                ClockKind::Deadline => date > due,
                ClockKind::WaitingPeriod => date >= due,
            },
            _ => false,
        }
    }

    pub fn status(&self, kind: ClockKind, as_of: NaiveDate) -> ClockStatus {
        let late = |stop: ClockStop| match (stop.on, self.due) {
            (Some(on), Some(due)) => Some(on > due),
            _ => None,
        };
        match self.stopped {
            Some(stop) => match (stop.how, late(stop)) {
                (StopKind::Restarted, _) => ClockStatus::Restarted,
                (StopKind::Met, Some(false)) => ClockStatus::Met,
                (StopKind::Met, Some(true)) => ClockStatus::MetLate,
                (StopKind::Met, None) => ClockStatus::Stopped,
                (StopKind::Cancelled, Some(true)) => ClockStatus::Lapsed,
                (StopKind::Cancelled, _) => ClockStatus::Cancelled,
            },
            None => self.running_status(kind, as_of),
        }
    }

    fn running_status(&self, kind: ClockKind, as_of: NaiveDate) -> ClockStatus {
        match self.due {
            None => ClockStatus::OpenUndated,
            Some(due) => match kind {
                ClockKind::WaitingPeriod if as_of >= due => ClockStatus::Elapsed,
                ClockKind::Deadline if as_of > due => ClockStatus::Overdue,
                _ => ClockStatus::Open,
            },
        }
    }

    /// Calendar days from `as_of` to the due date; negative once overdue.
    pub fn days_left(&self, as_of: NaiveDate) -> Option<i64> {
        self.due.map(|due| (due - as_of).num_days())
    }
}
