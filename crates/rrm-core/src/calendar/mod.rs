//! Business-day calendars for the three USMCA Parties, computed by rule for any year.
//!
//! Some periods in Rapid Response Labor Mechanism procedures (USMCA Annexes 31-A and
//! 31-B, and the domestic procedures that implement them) run in business days of a
//! particular Party. This module says which days are holidays in Mexico, the United
//! States and Canada, and does business-day arithmetic on top; which calendar governs
//! a given period is decided by the caller, not here.
//!
//! Each country's rules live in their own submodule, which cites the legal source of
//! every holiday. Nothing here performs I/O or reads the clock: every answer is a pure
//! function of the calendar and the dates passed in.
//!
//! A *business day* is a day that is not a Saturday, not a Sunday and not the observed
//! day of a holiday. Years at the very edge of chrono's range (where the surrounding
//! year cannot be represented) have no holidays.

mod canada;
mod mexico;
mod rules;
mod united_states;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};

use rules::{is_weekend, shift};

/// One of the three USMCA Parties' holiday calendars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CalendarId {
    Mexico,
    UnitedStates,
    Canada,
}

impl CalendarId {
    /// Every calendar, in a stable order.
    pub const ALL: [CalendarId; 3] = [
        CalendarId::Mexico,
        CalendarId::UnitedStates,
        CalendarId::Canada,
    ];

    /// Parses "MX" / "US" / "CA" (case-insensitive); None otherwise.
    pub fn parse(code: &str) -> Option<CalendarId> {
        CalendarId::ALL
            .into_iter()
            .find(|id| id.code().eq_ignore_ascii_case(code))
    }

    /// "MX" / "US" / "CA" (ISO 3166-1 alpha-2).
    pub fn code(self) -> &'static str {
        match self {
            CalendarId::Mexico => "MX",
            CalendarId::UnitedStates => "US",
            CalendarId::Canada => "CA",
        }
    }
}

impl fmt::Display for CalendarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A rest day or public holiday of one calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The legal date, as fixed by statute (e.g. 25 December).
    pub date: NaiveDate,
    /// The day off work: equal to `date` unless weekend observance moved it.
    pub observed: NaiveDate,
    /// English name.
    pub name_en: &'static str,
    /// Spanish name.
    pub name_es: &'static str,
}

/// Every rest day/holiday of that calendar whose *legal date* falls in `year`, sorted
/// by observed date.
///
/// Returns an empty list for the first and last year chrono can represent, where the
/// observed day could fall outside the representable range.
pub fn holidays(calendar: CalendarId, year: i32) -> Vec<Holiday> {
    if !supported_years().contains(&year) {
        return Vec::new();
    }
    match calendar {
        CalendarId::Mexico => mexico::holidays(year),
        CalendarId::UnitedStates => united_states::holidays(year),
        CalendarId::Canada => canada::holidays(year),
    }
}

/// The holiday observed (given as a day off) on `date`, if any.
pub fn holiday_on(calendar: CalendarId, date: NaiveDate) -> Option<Holiday> {
    years_around(date.year(), date.year())
        .flat_map(|year| holidays(calendar, year))
        .find(|h| h.observed == date)
}

/// Not Saturday, not Sunday, not an observed holiday (check observed days of year-1,
/// year, year+1 because observance crosses year ends, e.g. US New Year's Day 2022
/// observed 2021-12-31).
pub fn is_business_day(calendar: CalendarId, date: NaiveDate) -> bool {
    !is_weekend(date) && !observed_days(calendar, date.year(), date.year()).contains(&date)
}

/// The date that is `days` business days after `start` (start itself not counted;
/// days=0 returns start). E.g. 5 business days after Friday 2024-03-15 in Mexico
/// (Monday 18 March 2024 is a holiday) is Monday 2024-03-25.
///
/// # Panics
///
/// If the result would lie beyond the last date chrono can represent.
pub fn add_business_days(calendar: CalendarId, start: NaiveDate, days: u32) -> NaiveDate {
    let mut window_year = start.year();
    let mut observed = observed_days(calendar, window_year, window_year);
    let mut date = start;
    let mut remaining = days;
    while remaining > 0 {
        date = shift(date, 1);
        if date.year() != window_year {
            // Recompute the holiday window only when crossing into a new year.
            window_year = date.year();
            observed = observed_days(calendar, window_year, window_year);
        }
        if !is_weekend(date) && !observed.contains(&date) {
            remaining -= 1;
        }
    }
    date
}

/// Number of business days d with from < d <= to (negative if to < from, symmetric).
pub fn business_days_between(calendar: CalendarId, from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -business_days_between(calendar, to, from);
    }
    if to == from {
        return 0;
    }
    let holidays_in_range = observed_days(calendar, from.year(), to.year())
        .range(shift(from, 1)..=to)
        .filter(|d| !is_weekend(**d))
        .count();
    weekdays_between(from, to) - to_i64(holidays_in_range)
}

/// Number of Mondays-to-Fridays d with from < d <= to, for from <= to, without walking
/// every day: each full week holds exactly five.
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let total = (to - from).num_days();
    let full_weeks = total / 7;
    let partial = (1..=total % 7)
        .filter(|offset| !is_weekend(shift(from, *offset)))
        .count();
    full_weeks * 5 + to_i64(partial)
}

/// The observed days of every holiday whose legal year is in `first - 1 ..= last + 1`.
/// The extra year on each side catches observance across a year end (US New Year's
/// Day observed on 31 December; in principle any late-December shift into January).
fn observed_days(calendar: CalendarId, first: i32, last: i32) -> BTreeSet<NaiveDate> {
    years_around(first, last)
        .flat_map(|year| holidays(calendar, year))
        .map(|h| h.observed)
        .collect()
}

/// `first - 1 ..= last + 1`, clamped to the years `holidays` supports.
fn years_around(first: i32, last: i32) -> RangeInclusive<i32> {
    let supported = supported_years();
    let low = first.saturating_sub(1).max(*supported.start());
    let high = last.saturating_add(1).min(*supported.end());
    low..=high
}

/// Years whose holidays can be computed: every year strictly inside chrono's range,
/// so that observed days shifted across a year end still exist.
fn supported_years() -> RangeInclusive<i32> {
    (NaiveDate::MIN.year() + 1)..=(NaiveDate::MAX.year() - 1)
}

/// Counts here are bounded by the number of days chrono can represent (< 2^28).
fn to_i64(count: usize) -> i64 {
    i64::try_from(count).expect("day counts fit in i64")
}
