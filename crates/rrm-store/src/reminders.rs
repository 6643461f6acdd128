//! Deadline reminders, sent exactly once however many servers share the store.
//!
//! A reminder is identified by what it is about (case, clock, due date) and which notice it
//! is (a week before, the day before, on the day, overdue). Every server's reminder job may
//! find the same reminder due at the same moment; the store decides which one sends it: the
//! claim is an insert on that identity, and only the call whose insert landed returns `true`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::StoreResult;

/// How a reminder stands to its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Notice {
    /// Due within seven days.
    Week,
    /// Due tomorrow.
    Day,
    /// Due today.
    Due,
    /// Past its due date and still running.
    Overdue,
}

impl Notice {
    pub const ALL: [Notice; 4] = [Notice::Week, Notice::Day, Notice::Due, Notice::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Week => "week",
            Notice::Day => "day",
            Notice::Due => "due",
            Notice::Overdue => "overdue",
        }
    }

    pub fn parse(text: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.as_str() == text)
    }

    /// The notice a deadline due on `due` calls for on `today`, if any yet.
    pub fn for_due(due: NaiveDate, today: NaiveDate) -> Option<Notice> {
        match (due - today).num_days() {
            d if d < 0 => Some(Notice::Overdue),
            0 => Some(Notice::Due),
            1 => Some(Notice::Day),
            2..=7 => Some(Notice::Week),
            _ => None,
        }
    }
}

/// A reminder sent: about which deadline, which notice, when and by which server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub case_id: String,
    pub clock: String,
    pub due: NaiveDate,
    pub notice: Notice,
    pub sent: DateTime<Utc>,
    /// The server that sent it (its `--instance` name), for operators reading logs.
    pub instance: String,
}

pub trait Reminders: Send + Sync {
    /// Records `reminder` unless the same one (case, clock, due date, notice) was recorded
    /// before, by any server. `true` if this call recorded it: only then is it sent.
    fn claim_reminder(&self, reminder: &Reminder) -> StoreResult<bool>;

    /// The reminders sent, newest first, at most `limit`.
    fn reminders(&self, limit: u64) -> StoreResult<Vec<Reminder>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_follow_the_days_left() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let on = |d: i64| Notice::for_due(today + chrono::Duration::days(d), today);
        assert_eq!(on(-3), Some(Notice::Overdue));
        assert_eq!(on(0), Some(Notice::Due));
        assert_eq!(on(1), Some(Notice::Day));
        assert_eq!(on(2), Some(Notice::Week));
        assert_eq!(on(7), Some(Notice::Week));
        assert_eq!(on(8), None);
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.as_str()), Some(n));
        }
    }
}
