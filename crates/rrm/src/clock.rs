//! The one place rrm reads the wall clock. Everything else takes the date (or the instant) as
//! an input, so deadline and session logic is testable with any "today".

use chrono::{DateTime, NaiveDate, Utc};

/// Today's date on this machine.
#[expect(
    clippy::disallowed_methods,
    reason = "the single sanctioned wall-clock read"
)]
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The current instant, for sessions and time stamps.
#[expect(
    clippy::disallowed_methods,
    reason = "the single sanctioned wall-clock read"
)]
pub fn now() -> DateTime<Utc> {
    chrono::Utc::now()
}
