//! Deadline questions across all cases, answered from the store's due-date index and dressed
//! with each clock's name, citation and rule status from the procedure definitions.

use chrono::{Days, NaiveDate};

use rrm_core::procedure::{RuleStatus, Text};
use rrm_store::DeadlineQuery;

use crate::{AppError, Rrm};

/// Which running deadlines to list, relative to an as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineWindow {
    /// Every running deadline.
    All,
    /// Due before the as-of date.
    Overdue,
    /// Due from the as-of date to this many days after it (overdue ones excluded).
    Within(u32),
}

/// One running deadline as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineLine {
    pub case: String,
    pub procedure: String,
    pub clock: String,
    pub name: Text,
    pub started: Option<NaiveDate>,
    pub due: NaiveDate,
    pub days_left: i64,
    pub overdue: bool,
    pub citation: String,
    pub rule_status: RuleStatus,
}

impl Rrm {
    /// Running deadlines in the window as of `as_of`, earliest first.
    pub fn deadlines(
        &self,
        as_of: NaiveDate,
        window: DeadlineWindow,
        limit: u64,
    ) -> Result<Vec<DeadlineLine>, AppError> {
        let (due_from, due_to) = match window {
            DeadlineWindow::All => (None, None),
            DeadlineWindow::Overdue => (None, as_of.checked_sub_days(Days::new(1))),
            DeadlineWindow::Within(n) => {
                (Some(as_of), as_of.checked_add_days(Days::new(u64::from(n))))
            }
        };
        let rows = self.store.deadlines(&DeadlineQuery {
            due_from,
            due_to,
            case_id: None,
            limit,
        })?;
        rows.into_iter()
            .map(|row| {
                let procedure = self.procedure(&row.procedure)?;
                let def = procedure
                    .clock_by_name(&row.clock)
                    .map(|id| procedure.clock(id))
                    .ok_or_else(|| {
                        AppError::Integrity(format!(
                            "case `{}` has a running clock `{}` that procedure `{}` no longer defines",
                            row.case_id, row.clock, procedure.id
                        ))
                    })?;
                let days_left = (row.due - as_of).num_days();
                Ok(DeadlineLine {
                    name: def.name.clone(),
                    citation: def.citation.clone(),
                    rule_status: def.status,
                    overdue: days_left < 0,
                    days_left,
                    case: row.case_id,
                    procedure: row.procedure,
                    clock: row.clock,
                    started: row.started,
                    due: row.due,
                })
            })
            .collect()
    }
}
