//! Business-day arithmetic across weekends, holidays and year ends, plus `CalendarId`
//! parsing and the edges of chrono's date range.

use chrono::{Datelike, NaiveDate};
use rstest::rstest;

use super::date;
use crate::calendar::{
    add_business_days, business_days_between, holidays, is_business_day, CalendarId,
};

const MX: CalendarId = CalendarId::Mexico;
const US: CalendarId = CalendarId::UnitedStates;
const CA: CalendarId = CalendarId::Canada;

#[rstest]
#[case(MX, "2024-03-15", 5, "2024-03-25")] // Mon 18 March (Juárez) skipped.
#[case(US, "2024-03-15", 5, "2024-03-22")] // No US holiday that week.
#[case(US, "2024-06-14", 1, "2024-06-17")] // Friday -> Monday.
#[case(US, "2024-06-15", 1, "2024-06-17")] // Start on a Saturday.
#[case(US, "2024-06-18", 1, "2024-06-20")] // Juneteenth (Wed 19) skipped.
#[case(US, "2021-12-30", 1, "2022-01-03")] // 31 Dec 2021 is New Year's Day observed.
#[case(CA, "2021-12-24", 1, "2021-12-29")] // Christmas 27, Boxing Day 28.
#[case(CA, "2021-12-24", 4, "2022-01-04")] // New Year's Day 2022 observed Mon 3 Jan.
#[case(CA, "2022-12-23", 1, "2022-12-28")] // Boxing Day 26, Christmas 27.
#[case(MX, "2024-12-24", 1, "2024-12-26")]
#[case(MX, "2024-12-31", 1, "2025-01-02")]
#[case(MX, "2024-09-30", 1, "2024-10-02")] // 1 October 2024 transfer skipped.
#[case(MX, "2024-01-01", 20, "2024-01-29")]
#[case(US, "2024-12-20", 10, "2025-01-07")] // 25 Dec and 1 Jan skipped.
fn add_business_days_examples(
    #[case] calendar: CalendarId,
    #[case] start: &str,
    #[case] days: u32,
    #[case] expected: &str,
) {
    assert_eq!(
        add_business_days(calendar, date(start), days),
        date(expected)
    );
}

#[rstest]
#[case("2024-03-18")] // Mexican holiday.
#[case("2024-03-16")] // Saturday.
#[case("2024-03-15")] // Business day.
fn zero_days_returns_start(#[case] start: &str) {
    for calendar in CalendarId::ALL {
        assert_eq!(add_business_days(calendar, date(start), 0), date(start));
    }
}

#[rstest]
#[case(MX, "2024-03-15", "2024-03-25", 5)]
#[case(US, "2024-03-15", "2024-03-25", 6)]
#[case(US, "2021-12-30", "2022-01-03", 1)]
#[case(CA, "2021-12-24", "2022-01-04", 4)]
#[case(US, "2024-06-15", "2024-06-16", 0)] // A weekend.
#[case(MX, "2024-05-01", "2024-05-01", 0)]
// Same day.
// Whole years: 2024 has 262 weekdays; US 11, Mexico 8, Canada 12 holidays on weekdays.
#[case(US, "2023-12-31", "2024-12-31", 251)]
#[case(MX, "2023-12-31", "2024-12-31", 254)]
#[case(CA, "2023-12-31", "2024-12-31", 250)]
fn business_days_between_examples(
    #[case] calendar: CalendarId,
    #[case] from: &str,
    #[case] to: &str,
    #[case] expected: i64,
) {
    assert_eq!(
        business_days_between(calendar, date(from), date(to)),
        expected
    );
    assert_eq!(
        business_days_between(calendar, date(to), date(from)),
        -expected
    );
}

#[rstest]
#[case("MX", Some(MX))]
#[case("mx", Some(MX))]
#[case("Us", Some(US))]
#[case("ca", Some(CA))]
#[case("", None)]
#[case("MEX", None)]
#[case("USA", None)]
#[case(" CA", None)]
fn parse_codes(#[case] code: &str, #[case] expected: Option<CalendarId>) {
    assert_eq!(CalendarId::parse(code), expected);
}

#[test]
fn codes_round_trip() {
    let codes: Vec<&str> = CalendarId::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes, ["MX", "US", "CA"]);
    for calendar in CalendarId::ALL {
        assert_eq!(CalendarId::parse(calendar.code()), Some(calendar));
        assert_eq!(calendar.to_string(), calendar.code());
    }
}

#[test]
fn edges_of_chrono_range_do_not_panic() {
    let (first, last) = (NaiveDate::MIN.year(), NaiveDate::MAX.year());
    for calendar in CalendarId::ALL {
        // The outermost years have no holidays; the ones just inside are computed.
        assert!(holidays(calendar, first).is_empty());
        assert!(holidays(calendar, last).is_empty());
        assert!(!holidays(calendar, first + 1).is_empty());
        assert!(!holidays(calendar, last - 1).is_empty());
        let _ = is_business_day(calendar, NaiveDate::MIN);
        let _ = is_business_day(calendar, NaiveDate::MAX);
        let max = NaiveDate::MAX;
        assert_eq!(business_days_between(calendar, max, max), 0);
        let near_min = add_business_days(calendar, NaiveDate::MIN, 10);
        assert_eq!(
            business_days_between(calendar, NaiveDate::MIN, near_min),
            10
        );
    }
}
