//! Property tests: business-day arithmetic is consistent with itself and with a naive
//! day-by-day count, and holiday lists are well formed for every year.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::sample::select;

use crate::calendar::{
    add_business_days, business_days_between, holidays, is_business_day, CalendarId,
};

fn any_calendar() -> impl Strategy<Value = CalendarId> {
    select(CalendarId::ALL.to_vec())
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1950i32..2150, 1u32..=365)
        .prop_map(|(year, ordinal)| NaiveDate::from_yo_opt(year, ordinal).unwrap())
}

/// Reference implementation: walk every day of (from, to].
fn naive_count(calendar: CalendarId, from: NaiveDate, to: NaiveDate) -> i64 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| is_business_day(calendar, *d))
        .count() as i64
}

proptest! {
    #[test]
    fn add_lands_on_a_business_day_n_days_later(
        calendar in any_calendar(), start in any_date(), n in 0u32..300,
    ) {
        let end = add_business_days(calendar, start, n);
        prop_assert!(end >= start);
        if n > 0 {
            prop_assert!(is_business_day(calendar, end));
        }
        prop_assert_eq!(business_days_between(calendar, start, end), i64::from(n));
    }

    #[test]
    fn add_is_strictly_monotone_in_n(
        calendar in any_calendar(), start in any_date(), n in 0u32..300,
    ) {
        let earlier = add_business_days(calendar, start, n);
        let later = add_business_days(calendar, start, n + 1);
        prop_assert!(earlier < later);
        prop_assert_eq!(add_business_days(calendar, earlier, 1), later);
    }

    #[test]
    fn between_is_antisymmetric_and_additive(
        calendar in any_calendar(), a in any_date(), b in any_date(), c in any_date(),
    ) {
        let ab = business_days_between(calendar, a, b);
        prop_assert_eq!(business_days_between(calendar, b, a), -ab);
        let bc = business_days_between(calendar, b, c);
        prop_assert_eq!(business_days_between(calendar, a, c), ab + bc);
    }

    #[test]
    fn between_matches_a_naive_count(
        calendar in any_calendar(), from in any_date(), span in 0i64..800,
    ) {
        let to = from + chrono::Duration::days(span);
        prop_assert_eq!(business_days_between(calendar, from, to), naive_count(calendar, from, to));
    }
}

#[test]
fn holiday_lists_are_sorted_distinct_and_in_their_year() {
    for calendar in CalendarId::ALL {
        for year in 1900..=2300 {
            let days = holidays(calendar, year);
            for pair in days.windows(2) {
                assert!(pair[0].observed < pair[1].observed, "{pair:?}");
            }
            for h in &days {
                assert_eq!(h.date.year(), year, "{h:?}");
                assert!((h.observed - h.date).num_days().abs() <= 3, "{h:?}");
                assert!(!h.name_en.is_empty() && !h.name_es.is_empty(), "{h:?}");
            }
        }
    }
}
