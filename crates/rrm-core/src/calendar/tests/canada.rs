//! Canada (federal general holidays as observed by the federal public administration):
//! literal tables for 2020-2035, Easter, and the Christmas/Boxing Day collisions.

use chrono::Datelike;
use rstest::rstest;

use super::{assert_year_matches, date, names_en};
use crate::calendar::{holiday_on, holidays, is_business_day, CalendarId};

// Rows are in observed order; "legal>observed" marks a weekend holiday moved to the
// next free working day. Columns: New Year, Good Friday, Easter Monday, Victoria,
// Canada Day, Civic Holiday, Labour Day, [Truth and Reconciliation from 2021],
// Thanksgiving, Remembrance, Christmas, Boxing Day.
#[rstest]
#[case(2020, &["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-18", "2020-07-01", "2020-08-03", "2020-09-07", "2020-10-12", "2020-11-11", "2020-12-25", "2020-12-26>2020-12-28"])]
#[case(2021, &["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-24", "2021-07-01", "2021-08-02", "2021-09-06", "2021-09-30", "2021-10-11", "2021-11-11", "2021-12-25>2021-12-27", "2021-12-26>2021-12-28"])]
#[case(2022, &["2022-01-01>2022-01-03", "2022-04-15", "2022-04-18", "2022-05-23", "2022-07-01", "2022-08-01", "2022-09-05", "2022-09-30", "2022-10-10", "2022-11-11", "2022-12-26", "2022-12-25>2022-12-27"])]
#[case(2023, &["2023-01-01>2023-01-02", "2023-04-07", "2023-04-10", "2023-05-22", "2023-07-01>2023-07-03", "2023-08-07", "2023-09-04", "2023-09-30>2023-10-02", "2023-10-09", "2023-11-11>2023-11-13", "2023-12-25", "2023-12-26"])]
#[case(2024, &["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-20", "2024-07-01", "2024-08-05", "2024-09-02", "2024-09-30", "2024-10-14", "2024-11-11", "2024-12-25", "2024-12-26"])]
#[case(2025, &["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-19", "2025-07-01", "2025-08-04", "2025-09-01", "2025-09-30", "2025-10-13", "2025-11-11", "2025-12-25", "2025-12-26"])]
#[case(2026, &["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-18", "2026-07-01", "2026-08-03", "2026-09-07", "2026-09-30", "2026-10-12", "2026-11-11", "2026-12-25", "2026-12-26>2026-12-28"])]
#[case(2027, &["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-24", "2027-07-01", "2027-08-02", "2027-09-06", "2027-09-30", "2027-10-11", "2027-11-11", "2027-12-25>2027-12-27", "2027-12-26>2027-12-28"])]
#[case(2028, &["2028-01-01>2028-01-03", "2028-04-14", "2028-04-17", "2028-05-22", "2028-07-01>2028-07-03", "2028-08-07", "2028-09-04", "2028-09-30>2028-10-02", "2028-10-09", "2028-11-11>2028-11-13", "2028-12-25", "2028-12-26"])]
#[case(2029, &["2029-01-01", "2029-03-30", "2029-04-02", "2029-05-21", "2029-07-01>2029-07-02", "2029-08-06", "2029-09-03", "2029-09-30>2029-10-01", "2029-10-08", "2029-11-11>2029-11-12", "2029-12-25", "2029-12-26"])]
#[case(2030, &["2030-01-01", "2030-04-19", "2030-04-22", "2030-05-20", "2030-07-01", "2030-08-05", "2030-09-02", "2030-09-30", "2030-10-14", "2030-11-11", "2030-12-25", "2030-12-26"])]
#[case(2031, &["2031-01-01", "2031-04-11", "2031-04-14", "2031-05-19", "2031-07-01", "2031-08-04", "2031-09-01", "2031-09-30", "2031-10-13", "2031-11-11", "2031-12-25", "2031-12-26"])]
#[case(2032, &["2032-01-01", "2032-03-26", "2032-03-29", "2032-05-24", "2032-07-01", "2032-08-02", "2032-09-06", "2032-09-30", "2032-10-11", "2032-11-11", "2032-12-25>2032-12-27", "2032-12-26>2032-12-28"])]
#[case(2033, &["2033-01-01>2033-01-03", "2033-04-15", "2033-04-18", "2033-05-23", "2033-07-01", "2033-08-01", "2033-09-05", "2033-09-30", "2033-10-10", "2033-11-11", "2033-12-26", "2033-12-25>2033-12-27"])]
#[case(2034, &["2034-01-01>2034-01-02", "2034-04-07", "2034-04-10", "2034-05-22", "2034-07-01>2034-07-03", "2034-08-07", "2034-09-04", "2034-09-30>2034-10-02", "2034-10-09", "2034-11-11>2034-11-13", "2034-12-25", "2034-12-26"])]
#[case(2035, &["2035-01-01", "2035-03-23", "2035-03-26", "2035-05-21", "2035-07-01>2035-07-02", "2035-08-06", "2035-09-03", "2035-09-30>2035-10-01", "2035-10-08", "2035-11-11>2035-11-12", "2035-12-25", "2035-12-26"])]
fn federal_holidays_2020_to_2035(#[case] year: i32, #[case] rows: &[&str]) {
    assert_year_matches(CalendarId::Canada, year, rows);
}

// Christmas on Saturday (2021, 2027): Christmas -> Monday 27, Boxing Day -> Tuesday 28.
// Christmas on Sunday (2022): Boxing Day keeps Monday 26, Christmas -> Tuesday 27.
#[rstest]
#[case("2021-12-27", "2021-12-25", "Christmas Day")]
#[case("2021-12-28", "2021-12-26", "Boxing Day")]
#[case("2022-12-26", "2022-12-26", "Boxing Day")]
#[case("2022-12-27", "2022-12-25", "Christmas Day")]
#[case("2027-12-27", "2027-12-25", "Christmas Day")]
#[case("2027-12-28", "2027-12-26", "Boxing Day")]
#[case("2029-07-02", "2029-07-01", "Canada Day")] // 1 July 2029 is a Sunday.
#[case("2023-07-03", "2023-07-01", "Canada Day")] // 1 July 2023 is a Saturday.
#[case("2022-01-03", "2022-01-01", "New Year's Day")]
fn observed_days(#[case] observed: &str, #[case] legal: &str, #[case] name: &str) {
    let calendar = CalendarId::Canada;
    assert!(!is_business_day(calendar, date(observed)));
    let holiday = holiday_on(calendar, date(observed)).expect("an observed holiday");
    assert_eq!((holiday.date, holiday.name_en), (date(legal), name));
}

#[rstest]
#[case("2021-12-29", true)]
#[case("2022-12-28", true)]
#[case("2021-12-31", true)] // No Canadian counterpart to the US New Year shift.
#[case("2020-09-30", true)] // Before S.C. 2021, c. 11.
#[case("2025-04-18", false)] // Good Friday.
#[case("2025-04-21", false)] // Easter Monday.
fn business_days(#[case] day: &str, #[case] expected: bool) {
    assert_eq!(is_business_day(CalendarId::Canada, date(day)), expected);
}

#[test]
fn names_in_order() {
    assert_eq!(
        names_en(CalendarId::Canada, 2022),
        [
            "New Year's Day",
            "Good Friday",
            "Easter Monday",
            "Victoria Day",
            "Canada Day",
            "Civic Holiday",
            "Labour Day",
            "National Day for Truth and Reconciliation",
            "Thanksgiving Day",
            "Remembrance Day",
            "Boxing Day",
            "Christmas Day",
        ]
    );
    let good_friday = holiday_on(CalendarId::Canada, date("2025-04-18"));
    assert_eq!(good_friday.map(|h| h.name_es), Some("Viernes Santo"));
}

#[test]
fn weekend_holidays_move_forward_to_a_weekday() {
    for year in 1900..=2300 {
        for h in holidays(CalendarId::Canada, year) {
            assert!(h.observed >= h.date, "{h:?}");
            assert!(h.observed.weekday().num_days_from_monday() < 5, "{h:?}");
        }
    }
}
