//! Shared date rules used by the country calendars: building dates, "nth weekday of a
//! month", "last weekday of a month", "weekday on or before a date", Easter Sunday, and
//! the two weekend-observance conventions (US "nearest weekday", Canada "next free
//! working day").
//!
//! Every function here is pure. Dates are built only for years that `super::holidays`
//! has already checked to be inside chrono's representable range, so construction
//! failures are programming errors and panic with an explanatory message.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Builds a calendar date that is known to exist (fixed month/day pairs such as 25
/// December, in a year inside the supported range).
pub(super) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap_or_else(|| panic!("invalid or unsupported date {year:04}-{month:02}-{day:02}"))
}

/// Adds (or, for negative `days`, subtracts) whole days.
pub(super) fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    let shifted = if days >= 0 {
        date.checked_add_days(magnitude)
    } else {
        date.checked_sub_days(magnitude)
    };
    shifted.unwrap_or_else(|| panic!("{date} shifted by {days} days is out of range"))
}

/// Saturday or Sunday: the weekly rest days in all three calendars.
pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`-th (1-based) `weekday` of `month`, e.g. the third Monday of March.
///
/// `n` must be 1..=4 so that the date exists in every month.
pub(super) fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    debug_assert!((1..=4).contains(&n), "n = {n} may not exist in every month");
    let first = ymd(year, month, 1);
    let offset = days_forward(first.weekday(), weekday);
    shift(first, i64::from(offset + 7 * (n - 1)))
}

/// The last `weekday` of `month`, e.g. the last Monday of May.
pub(super) fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let last_day = match month {
        12 => shift(ymd(year + 1, 1, 1), -1),
        _ => shift(ymd(year, month + 1, 1), -1),
    };
    weekday_on_or_before(last_day, weekday)
}

/// The latest `weekday` that is on or before `date`.
pub(super) fn weekday_on_or_before(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = days_forward(weekday, date.weekday());
    shift(date, -i64::from(back))
}

/// Number of days (0..=6) to go forward from weekday `from` to reach weekday `to`.
fn days_forward(from: Weekday, to: Weekday) -> u32 {
    (to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7
}

/// Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus as given by
/// Meeus, *Astronomical Algorithms* (2nd ed., ch. 8), also known as the
/// Meeus/Jones/Butcher algorithm. Valid for every Gregorian year.
pub(super) fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    // month is 3 or 4 and day is 1..=31 by construction of the algorithm.
    ymd(year, month.unsigned_abs(), day.unsigned_abs())
}

/// United States convention (5 U.S.C. 6103(b); Executive Order 11582, s. 3(a)): a
/// holiday on Saturday is observed the Friday before, one on Sunday the Monday after.
pub(super) fn nearest_weekday(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => shift(date, -1),
        Weekday::Sun => shift(date, 1),
        _ => date,
    }
}

/// Canadian federal convention: a holiday that falls on a weekend moves to the first
/// following working day that is not already a holiday.
///
/// Holidays on working days keep their date and are reserved first; then the weekend
/// holidays are placed in order of legal date. This reproduces the published federal
/// schedules, e.g. Christmas on Saturday -> Monday 27 and Boxing Day -> Tuesday 28;
/// Christmas on Sunday -> Tuesday 27 because Boxing Day keeps Monday 26.
///
/// Returns the observed day of each input date, in input order.
pub(super) fn next_free_working_days(legal_dates: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut taken: BTreeSet<NaiveDate> = legal_dates
        .iter()
        .copied()
        .filter(|d| !is_weekend(*d))
        .collect();
    let mut weekend: Vec<(usize, NaiveDate)> = legal_dates
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, d)| is_weekend(*d))
        .collect();
    weekend.sort_by_key(|(_, d)| *d);
    let mut observed = legal_dates.to_vec();
    for (index, legal) in weekend {
        let mut day = shift(legal, 1);
        while is_weekend(day) || taken.contains(&day) {
            day = shift(day, 1);
        }
        taken.insert(day);
        observed[index] = day;
    }
    observed
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    // Easter dates from published tables (e.g. the US Naval Observatory list and the
    // well-known extremes 22 March 1818/2285 and 25 April 1943/2038); literal, not
    // computed.
    #[rstest]
    #[case(1818, 3, 22)]
    #[case(1943, 4, 25)]
    #[case(1961, 4, 2)]
    #[case(2000, 4, 23)]
    #[case(2008, 3, 23)]
    #[case(2011, 4, 24)]
    #[case(2019, 4, 21)]
    #[case(2024, 3, 31)]
    #[case(2038, 4, 25)]
    #[case(2285, 3, 22)]
    fn easter_matches_published_dates(#[case] year: i32, #[case] month: u32, #[case] day: u32) {
        assert_eq!(easter_sunday(year), ymd(year, month, day));
    }

    #[rstest]
    #[case(2024, 3, Weekday::Mon, 3, 18)]
    #[case(2024, 11, Weekday::Thu, 4, 28)]
    #[case(2026, 2, Weekday::Mon, 1, 2)]
    #[case(2025, 9, Weekday::Mon, 1, 1)]
    fn nth_weekday_examples(
        #[case] year: i32,
        #[case] month: u32,
        #[case] weekday: Weekday,
        #[case] n: u32,
        #[case] day: u32,
    ) {
        assert_eq!(nth_weekday(year, month, weekday, n), ymd(year, month, day));
    }

    #[rstest]
    #[case(2024, 5, Weekday::Mon, 27)]
    #[case(2021, 5, Weekday::Mon, 31)]
    #[case(2024, 12, Weekday::Tue, 31)]
    #[case(2024, 2, Weekday::Thu, 29)]
    fn last_weekday_examples(
        #[case] year: i32,
        #[case] month: u32,
        #[case] weekday: Weekday,
        #[case] day: u32,
    ) {
        assert_eq!(last_weekday(year, month, weekday), ymd(year, month, day));
    }

    #[test]
    fn weekday_on_or_before_keeps_a_matching_date() {
        let monday = ymd(2021, 5, 24);
        assert_eq!(weekday_on_or_before(monday, Weekday::Mon), monday);
        assert_eq!(
            weekday_on_or_before(ymd(2023, 5, 24), Weekday::Mon),
            ymd(2023, 5, 22)
        );
    }

    #[test]
    fn next_free_working_days_avoids_collisions() {
        // 2021: Christmas Saturday, Boxing Day Sunday.
        let observed = next_free_working_days(&[ymd(2021, 12, 25), ymd(2021, 12, 26)]);
        assert_eq!(observed, vec![ymd(2021, 12, 27), ymd(2021, 12, 28)]);
        // 2022: Christmas Sunday, Boxing Day Monday keeps its date.
        let observed = next_free_working_days(&[ymd(2022, 12, 25), ymd(2022, 12, 26)]);
        assert_eq!(observed, vec![ymd(2022, 12, 27), ymd(2022, 12, 26)]);
    }
}
