//! The one place rrm reads the wall clock. Everything else takes the date as an input, so
//! deadline logic is testable with any "today".

use chrono::NaiveDate;

/// Today's date on this machine.
#[expect(
    clippy::disallowed_methods,
    reason = "the single sanctioned wall-clock read"
)]
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
