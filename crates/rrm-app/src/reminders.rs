//! Deadline reminders: each running deadline gets a notice a week before, the day before, on
//! the day and once overdue, each sent exactly once across every server on the store.
//!
//! "Sending" is recording the reminder (staff see the list; `rrm reminders` prints it) and
//! the caller's log line; delivery by mail or chat would hang off the same claimed list.
//! A deadline first seen already inside a window gets only that window's notice, not the
//! earlier ones it missed.

use chrono::{DateTime, Days, NaiveDate, Utc};

use rrm_store::{DeadlineQuery, Notice, Reminder};

use crate::{AppError, Rrm};

/// How far ahead the reminder job looks: the earliest notice is a week before.
const LOOK_AHEAD_DAYS: u64 = 7;

impl Rrm {
    /// Claims the reminders due on `today` for every running deadline, and returns those this
    /// call claimed (the ones this server must send); another server's claims are skipped.
    pub fn send_due_reminders(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
        instance: &str,
    ) -> Result<Vec<Reminder>, AppError> {
        let rows = self.store.deadlines(&DeadlineQuery {
            due_from: None,
            due_to: today.checked_add_days(Days::new(LOOK_AHEAD_DAYS)),
            case_id: None,
            limit: u64::MAX,
        })?;
        let mut sent = Vec::new();
        for row in rows {
            let Some(notice) = Notice::for_due(row.due, today) else {
                continue;
            };
            let reminder = Reminder {
                case_id: row.case_id,
                clock: row.clock,
                due: row.due,
                notice,
                sent: now,
                instance: instance.to_string(),
            };
            if self.reminders.claim_reminder(&reminder)? {
                sent.push(reminder);
            }
        }
        Ok(sent)
    }

    /// The reminders sent, newest first.
    pub fn reminders_sent(&self, limit: u64) -> Result<Vec<Reminder>, AppError> {
        Ok(self.reminders.reminders(limit)?)
    }
}
