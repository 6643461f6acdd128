//! The conformance suite every [`Store`] backend must pass: the trait's contract, written as
//! checks a backend's tests run against fresh stores (`run_all`), so that SQLite and any later
//! backend answer every question the same way.
//!
//! Each check takes an empty store, fills it through the trait only, and panics (like `assert!`)
//! on the first answer that breaks the contract. Checks that need to tamper with storage
//! (editing rows behind the store's back) are backend-specific and live with the backend.
//!
//! Contract points that the trait's signatures leave open, fixed here:
//! - Dates enter the hash chain as `YYYY-MM-DD` (the `Display` of `NaiveDate`).
//! - `events` of an unknown case is empty; `case` of one is `None`.
//! - A listed projection's clocks come ordered by due date, then clock name.
//! - Every case order ends with the case id, and cases lacking the sort's date come last.
//! - Deadlines come ordered by due date, case id, clock name; both range ends are inclusive.

pub(crate) mod fixtures;
mod integrity;
mod queries;
mod writes;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::Store;

pub use integrity::{stats_count_what_was_written, verify_finds_clean_store_whole};
pub use queries::{
    deadlines_by_due_range, deadlines_follow_the_projection, denial_determinations_by_facility,
    list_cases_filters, list_cases_sorts_and_pages,
};
pub use writes::{
    append_extends_the_chain, append_replaces_the_projection, append_to_unknown_case_is_not_found,
    append_with_stale_head_is_conflict_and_writes_nothing, create_and_read_back,
    duplicate_create_is_conflict_and_writes_nothing,
};

/// A conformance check: takes an empty store and panics if the store breaks the contract.
pub type Check = fn(&dyn Store);

/// Every check, with its name.
pub const CHECKS: &[(&str, Check)] = &[
    ("create_and_read_back", create_and_read_back),
    (
        "duplicate_create_is_conflict_and_writes_nothing",
        duplicate_create_is_conflict_and_writes_nothing,
    ),
    ("append_extends_the_chain", append_extends_the_chain),
    (
        "append_with_stale_head_is_conflict_and_writes_nothing",
        append_with_stale_head_is_conflict_and_writes_nothing,
    ),
    (
        "append_to_unknown_case_is_not_found",
        append_to_unknown_case_is_not_found,
    ),
    (
        "append_replaces_the_projection",
        append_replaces_the_projection,
    ),
    ("list_cases_filters", list_cases_filters),
    ("list_cases_sorts_and_pages", list_cases_sorts_and_pages),
    ("deadlines_by_due_range", deadlines_by_due_range),
    (
        "deadlines_follow_the_projection",
        deadlines_follow_the_projection,
    ),
    (
        "denial_determinations_by_facility",
        denial_determinations_by_facility,
    ),
    (
        "verify_finds_clean_store_whole",
        verify_finds_clean_store_whole,
    ),
    ("stats_count_what_was_written", stats_count_what_was_written),
];

/// Runs every check, each against a fresh store made by `make`.
///
/// # Panics
/// On the first failing check, after the failure's own message, with the check's name.
pub fn run_all(make: &dyn Fn() -> Box<dyn Store>) {
    for (name, check) in CHECKS {
        let store = make();
        // The check's own panic message has already been printed by the panic hook; this
        // adds which check it was, which the message alone does not say.
        if catch_unwind(AssertUnwindSafe(|| check(store.as_ref()))).is_err() {
            panic!("conformance check `{name}` failed (its message is above)");
        }
    }
}
