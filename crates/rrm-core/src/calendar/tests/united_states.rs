//! United States (5 U.S.C. 6103): literal federal holiday tables for 2020-2035 and the
//! Saturday-to-Friday / Sunday-to-Monday observance edge cases.

use rstest::rstest;

use super::{assert_year_matches, date, names_en};
use crate::calendar::{holiday_on, holidays, is_business_day, CalendarId};

// Rows are in observed order; "legal>observed" marks a weekend holiday moved by
// 5 U.S.C. 6103(b). Juneteenth (19 June) appears from 2021.
#[rstest]
#[case(2020, &["2020-01-01", "2020-01-20", "2020-02-17", "2020-05-25", "2020-07-04>2020-07-03", "2020-09-07", "2020-10-12", "2020-11-11", "2020-11-26", "2020-12-25"])]
#[case(2021, &["2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-19>2021-06-18", "2021-07-04>2021-07-05", "2021-09-06", "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-25>2021-12-24"])]
#[case(2022, &["2022-01-01>2021-12-31", "2022-01-17", "2022-02-21", "2022-05-30", "2022-06-19>2022-06-20", "2022-07-04", "2022-09-05", "2022-10-10", "2022-11-11", "2022-11-24", "2022-12-25>2022-12-26"])]
#[case(2023, &["2023-01-01>2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04", "2023-10-09", "2023-11-11>2023-11-10", "2023-11-23", "2023-12-25"])]
#[case(2024, &["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"])]
#[case(2025, &["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"])]
#[case(2026, &["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-04>2026-07-03", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"])]
#[case(2027, &["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-19>2027-06-18", "2027-07-04>2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-25>2027-12-24"])]
#[case(2028, &["2028-01-01>2027-12-31", "2028-01-17", "2028-02-21", "2028-05-29", "2028-06-19", "2028-07-04", "2028-09-04", "2028-10-09", "2028-11-11>2028-11-10", "2028-11-23", "2028-12-25"])]
#[case(2029, &["2029-01-01", "2029-01-15", "2029-02-19", "2029-05-28", "2029-06-19", "2029-07-04", "2029-09-03", "2029-10-08", "2029-11-11>2029-11-12", "2029-11-22", "2029-12-25"])]
#[case(2030, &["2030-01-01", "2030-01-21", "2030-02-18", "2030-05-27", "2030-06-19", "2030-07-04", "2030-09-02", "2030-10-14", "2030-11-11", "2030-11-28", "2030-12-25"])]
#[case(2031, &["2031-01-01", "2031-01-20", "2031-02-17", "2031-05-26", "2031-06-19", "2031-07-04", "2031-09-01", "2031-10-13", "2031-11-11", "2031-11-27", "2031-12-25"])]
#[case(2032, &["2032-01-01", "2032-01-19", "2032-02-16", "2032-05-31", "2032-06-19>2032-06-18", "2032-07-04>2032-07-05", "2032-09-06", "2032-10-11", "2032-11-11", "2032-11-25", "2032-12-25>2032-12-24"])]
#[case(2033, &["2033-01-01>2032-12-31", "2033-01-17", "2033-02-21", "2033-05-30", "2033-06-19>2033-06-20", "2033-07-04", "2033-09-05", "2033-10-10", "2033-11-11", "2033-11-24", "2033-12-25>2033-12-26"])]
#[case(2034, &["2034-01-01>2034-01-02", "2034-01-16", "2034-02-20", "2034-05-29", "2034-06-19", "2034-07-04", "2034-09-04", "2034-10-09", "2034-11-11>2034-11-10", "2034-11-23", "2034-12-25"])]
#[case(2035, &["2035-01-01", "2035-01-15", "2035-02-19", "2035-05-28", "2035-06-19", "2035-07-04", "2035-09-03", "2035-10-08", "2035-11-11>2035-11-12", "2035-11-22", "2035-12-25"])]
fn federal_holidays_2020_to_2035(#[case] year: i32, #[case] rows: &[&str]) {
    assert_year_matches(CalendarId::UnitedStates, year, rows);
}

// Observed days are not business days; the legal weekend dates are weekends anyway.
#[rstest]
#[case("2021-12-31", "2022-01-01", "New Year's Day")] // Friday before Saturday 1 Jan.
#[case("2022-12-26", "2022-12-25", "Christmas Day")] // Monday after Sunday 25 Dec.
#[case("2023-01-02", "2023-01-01", "New Year's Day")] // Monday after Sunday 1 Jan.
#[case("2027-07-05", "2027-07-04", "Independence Day")] // Monday after Sunday 4 July.
#[case("2021-06-18", "2021-06-19", "Juneteenth National Independence Day")]
fn observed_days(#[case] observed: &str, #[case] legal: &str, #[case] name: &str) {
    let calendar = CalendarId::UnitedStates;
    assert!(!is_business_day(calendar, date(observed)));
    let holiday = holiday_on(calendar, date(observed)).expect("an observed holiday");
    assert_eq!((holiday.date, holiday.name_en), (date(legal), name));
}

#[test]
fn new_year_observed_in_the_previous_year_belongs_to_the_new_year() {
    let first = &holidays(CalendarId::UnitedStates, 2022)[0];
    assert_eq!(
        (first.date, first.observed),
        (date("2022-01-01"), date("2021-12-31"))
    );
    assert!(holidays(CalendarId::UnitedStates, 2021).iter().all(|h| h
        .date
        .format("%Y")
        .to_string()
        == "2021"));
}

#[rstest]
#[case("2020-06-19", true)] // Friday, before Pub. L. 117-17.
#[case("2022-01-03", true)] // Monday: New Year's Day 2022 was observed on 31 Dec.
#[case("2024-12-24", true)] // Christmas Eve: only an ad hoc executive-order closure.
#[case("2024-11-29", true)] // Day after Thanksgiving.
#[case("2024-11-28", false)] // Thanksgiving.
fn business_days(#[case] day: &str, #[case] expected: bool) {
    assert_eq!(
        is_business_day(CalendarId::UnitedStates, date(day)),
        expected
    );
}

#[test]
fn names_in_order() {
    assert_eq!(
        names_en(CalendarId::UnitedStates, 2024),
        [
            "New Year's Day",
            "Birthday of Martin Luther King, Jr.",
            "Washington's Birthday",
            "Memorial Day",
            "Juneteenth National Independence Day",
            "Independence Day",
            "Labor Day",
            "Columbus Day",
            "Veterans Day",
            "Thanksgiving Day",
            "Christmas Day",
        ]
    );
    let thanksgiving = holiday_on(CalendarId::UnitedStates, date("2024-11-28"));
    assert_eq!(
        thanksgiving.map(|h| h.name_es),
        Some("Día de Acción de Gracias")
    );
}
