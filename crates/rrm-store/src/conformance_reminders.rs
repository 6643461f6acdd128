//! Conformance of [`Reminders`]: a reminder is claimed once, whoever asks again.

use chrono::{DateTime, NaiveDate, Utc};

use crate::conformance::fixtures::case;
use crate::{Notice, Reminder, Reminders, Store};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a time")
}

fn reminder(case: &str, notice: Notice, sent: &str, instance: &str) -> Reminder {
    Reminder {
        case_id: case.into(),
        clock: "mexico_answer".into(),
        due: NaiveDate::from_ymd_opt(2026, 12, 8).expect("a date"),
        notice,
        sent: at(sent),
        instance: instance.into(),
    }
}

/// Runs every check against a fresh backend made by `make`.
pub fn run_all_reminders<B: Store + Reminders>(make: &dyn Fn() -> B) {
    let b = make();
    b.create_cases(&[case("a-2026", 1), case("b-2026", 1)])
        .expect("cases");
    let first = reminder("a-2026", Notice::Week, "2026-12-01T08:00:00Z", "one");
    assert!(
        b.claim_reminder(&first).expect("claim"),
        "a new reminder is claimed"
    );
    // Another server, later, with the same reminder: not claimed, and the first record stays.
    let again = reminder("a-2026", Notice::Week, "2026-12-01T08:05:00Z", "two");
    assert!(!b.claim_reminder(&again).expect("claim"), "claimed twice");
    // Another notice of the same deadline, and the same notice of another case, are new.
    let day = reminder("a-2026", Notice::Day, "2026-12-07T08:00:00Z", "two");
    assert!(b.claim_reminder(&day).expect("claim"));
    let other = reminder("b-2026", Notice::Week, "2026-12-01T09:00:00Z", "one");
    assert!(b.claim_reminder(&other).expect("claim"));
    assert_eq!(
        b.reminders(10).expect("list"),
        vec![day.clone(), other.clone(), first.clone()],
        "newest first, as recorded by the server that claimed them"
    );
    assert_eq!(b.reminders(1).expect("list"), vec![day]);
    // A reminder for a case the store does not have is an error, not a silent claim.
    let unknown = reminder("nope-2026", Notice::Due, "2026-12-08T08:00:00Z", "one");
    assert!(b.claim_reminder(&unknown).is_err());
}
