//! Mexico (LFT art. 74): literal rest-day tables for 2020-2035 and the six-yearly
//! transfer of the federal executive.

use rstest::rstest;

use super::{assert_year_matches, date, names_en};
use crate::calendar::{holidays, is_business_day, CalendarId};

// Columns: Año Nuevo, Constitución (1st Mon Feb), Juárez (3rd Mon Mar), 1 May,
// 16 Sep, [1 Oct every six years], Revolución (3rd Mon Nov), 25 Dec.
#[rstest]
#[case(2020, &["2020-01-01", "2020-02-03", "2020-03-16", "2020-05-01", "2020-09-16", "2020-11-16", "2020-12-25"])]
#[case(2021, &["2021-01-01", "2021-02-01", "2021-03-15", "2021-05-01", "2021-09-16", "2021-11-15", "2021-12-25"])]
#[case(2022, &["2022-01-01", "2022-02-07", "2022-03-21", "2022-05-01", "2022-09-16", "2022-11-21", "2022-12-25"])]
#[case(2023, &["2023-01-01", "2023-02-06", "2023-03-20", "2023-05-01", "2023-09-16", "2023-11-20", "2023-12-25"])]
#[case(2024, &["2024-01-01", "2024-02-05", "2024-03-18", "2024-05-01", "2024-09-16", "2024-10-01", "2024-11-18", "2024-12-25"])]
#[case(2025, &["2025-01-01", "2025-02-03", "2025-03-17", "2025-05-01", "2025-09-16", "2025-11-17", "2025-12-25"])]
#[case(2026, &["2026-01-01", "2026-02-02", "2026-03-16", "2026-05-01", "2026-09-16", "2026-11-16", "2026-12-25"])]
#[case(2027, &["2027-01-01", "2027-02-01", "2027-03-15", "2027-05-01", "2027-09-16", "2027-11-15", "2027-12-25"])]
#[case(2028, &["2028-01-01", "2028-02-07", "2028-03-20", "2028-05-01", "2028-09-16", "2028-11-20", "2028-12-25"])]
#[case(2029, &["2029-01-01", "2029-02-05", "2029-03-19", "2029-05-01", "2029-09-16", "2029-11-19", "2029-12-25"])]
#[case(2030, &["2030-01-01", "2030-02-04", "2030-03-18", "2030-05-01", "2030-09-16", "2030-10-01", "2030-11-18", "2030-12-25"])]
#[case(2031, &["2031-01-01", "2031-02-03", "2031-03-17", "2031-05-01", "2031-09-16", "2031-11-17", "2031-12-25"])]
#[case(2032, &["2032-01-01", "2032-02-02", "2032-03-15", "2032-05-01", "2032-09-16", "2032-11-15", "2032-12-25"])]
#[case(2033, &["2033-01-01", "2033-02-07", "2033-03-21", "2033-05-01", "2033-09-16", "2033-11-21", "2033-12-25"])]
#[case(2034, &["2034-01-01", "2034-02-06", "2034-03-20", "2034-05-01", "2034-09-16", "2034-11-20", "2034-12-25"])]
#[case(2035, &["2035-01-01", "2035-02-05", "2035-03-19", "2035-05-01", "2035-09-16", "2035-11-19", "2035-12-25"])]
fn rest_days_2020_to_2035(#[case] year: i32, #[case] rows: &[&str]) {
    assert_year_matches(CalendarId::Mexico, year, rows);
}

#[rstest]
#[case("2024-10-01", false)] // Tuesday: Sheinbaum takes office.
#[case("2030-10-01", false)] // Tuesday: next transfer.
#[case("2025-10-01", true)] // Wednesday: no transfer.
#[case("2018-10-01", true)] // Monday: the 2018 transfer was on 1 December.
#[case("2024-12-02", true)] // Monday: 1 December no longer a rest day.
#[case("2024-03-18", false)] // Monday: Juárez.
#[case("2025-11-17", false)] // Monday: Revolución.
#[case("2025-11-20", true)] // Thursday: the commemorated date is a working day.
fn business_days(#[case] day: &str, #[case] expected: bool) {
    assert_eq!(is_business_day(CalendarId::Mexico, date(day)), expected);
}

#[rstest]
#[case(2018, Some("2018-12-01"))]
#[case(2012, Some("2012-12-01"))]
#[case(2006, Some("2006-12-01"))]
#[case(2024, Some("2024-10-01"))]
#[case(2030, Some("2030-10-01"))]
#[case(2036, Some("2036-10-01"))]
#[case(2019, None)]
#[case(2021, None)]
#[case(2025, None)]
#[case(2029, None)]
fn executive_transfer_day(#[case] year: i32, #[case] expected: Option<&str>) {
    let transfer = holidays(CalendarId::Mexico, year)
        .into_iter()
        .find(|h| h.name_es == "Transmisión del Poder Ejecutivo Federal")
        .map(|h| h.date);
    assert_eq!(transfer, expected.map(date));
}

#[test]
fn legal_date_is_the_day_off() {
    for year in 2000..=2100 {
        for h in holidays(CalendarId::Mexico, year) {
            assert_eq!(h.date, h.observed, "{h:?}");
        }
    }
    // 16 September 2023 was a Saturday; it is not moved to a weekday.
    assert!(is_business_day(CalendarId::Mexico, date("2023-09-15")));
    assert!(is_business_day(CalendarId::Mexico, date("2023-09-18")));
}

#[test]
fn names_in_order() {
    assert_eq!(
        names_en(CalendarId::Mexico, 2024),
        [
            "New Year's Day",
            "Constitution Day",
            "Benito Juárez's Birthday",
            "Labour Day",
            "Independence Day",
            "Transfer of the Federal Executive Power",
            "Revolution Day",
            "Christmas Day",
        ]
    );
    let spanish: Vec<&str> = holidays(CalendarId::Mexico, 2024)
        .iter()
        .map(|h| h.name_es)
        .collect();
    assert_eq!(
        spanish,
        [
            "Año Nuevo",
            "Día de la Constitución",
            "Natalicio de Benito Juárez",
            "Día del Trabajo",
            "Día de la Independencia",
            "Transmisión del Poder Ejecutivo Federal",
            "Día de la Revolución",
            "Navidad",
        ]
    );
}
