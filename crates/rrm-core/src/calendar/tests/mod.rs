//! Tests for the calendar module: literal holiday tables for 2020-2035, observance edge
//! cases, business-day arithmetic and property tests.
//!
//! The expected dates in the tables were derived independently of this crate (by
//! reasoning about the real calendar, cross-checked with a separately written script
//! and with published government schedules) and are written out as literals on
//! purpose: they must never be computed by the code under test.

mod arithmetic;
mod canada;
mod mexico;
mod properties;
mod united_states;

use chrono::NaiveDate;

use super::{holidays, CalendarId};

/// Parses a literal "YYYY-MM-DD" test date.
fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("bad test date {text:?}: {e}"))
}

/// Parses a table row: "2021-12-25" (observed on the legal date) or
/// "2021-12-25>2021-12-27" (legal date > observed day).
fn legal_and_observed(row: &str) -> (NaiveDate, NaiveDate) {
    match row.split_once('>') {
        Some((legal, observed)) => (date(legal), date(observed)),
        None => (date(row), date(row)),
    }
}

/// Checks `holidays(calendar, year)` against a literal table listed in observed order.
fn assert_year_matches(calendar: CalendarId, year: i32, rows: &[&str]) {
    let expected: Vec<(NaiveDate, NaiveDate)> =
        rows.iter().map(|row| legal_and_observed(row)).collect();
    let actual: Vec<(NaiveDate, NaiveDate)> = holidays(calendar, year)
        .iter()
        .map(|h| (h.date, h.observed))
        .collect();
    assert_eq!(actual, expected, "{calendar} holidays of {year}");
}

/// The English names of a year's holidays, in observed order.
fn names_en(calendar: CalendarId, year: i32) -> Vec<&'static str> {
    holidays(calendar, year).iter().map(|h| h.name_en).collect()
}
