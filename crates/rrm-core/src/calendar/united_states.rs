//! United States: the legal public holidays of the federal government, with the
//! "in lieu of" weekend observance used by federal agencies (a Saturday holiday is
//! observed on the Friday before, a Sunday holiday on the Monday after).
//!
//! Sources: 5 U.S.C. 6103(a) (the list of holidays),
//! <https://www.law.cornell.edu/uscode/text/5/6103>; 5 U.S.C. 6103(b) and Executive Order
//! 11582 (1971), s. 3 (the observed day for Monday-to-Friday employees),
//! <https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/>

use chrono::{NaiveDate, Weekday};

use super::rules::{last_weekday, nearest_weekday, nth_weekday, ymd};
use super::Holiday;

/// Juneteenth National Independence Day Act, Pub. L. 117-17 (17 June 2021), added
/// 19 June to 5 U.S.C. 6103(a); its first observance was Friday 18 June 2021.
const FIRST_JUNETEENTH: i32 = 2021;

/// Every legal public holiday whose legal date falls in `year`, sorted by observed day
/// (New Year's Day may be observed on 31 December of the previous year).
///
/// The rules are those of 5 U.S.C. 6103(a) as in force today; the Monday rules of the
/// Uniform Monday Holiday Act (1971) and the Martin Luther King Jr. holiday (1986) are
/// applied to every year, so dates before 1986 are not historically accurate.
pub(super) fn holidays(year: i32) -> Vec<Holiday> {
    let mut days = vec![
        holiday(ymd(year, 1, 1), "New Year's Day", "Año Nuevo"),
        holiday(
            nth_weekday(year, 1, Weekday::Mon, 3),
            "Birthday of Martin Luther King, Jr.",
            "Día de Martin Luther King Jr.",
        ),
        holiday(
            nth_weekday(year, 2, Weekday::Mon, 3),
            "Washington's Birthday",
            "Natalicio de Washington",
        ),
        holiday(
            last_weekday(year, 5, Weekday::Mon),
            "Memorial Day",
            "Día de los Caídos",
        ),
        holiday(
            ymd(year, 7, 4),
            "Independence Day",
            "Día de la Independencia",
        ),
        holiday(
            nth_weekday(year, 9, Weekday::Mon, 1),
            "Labor Day",
            "Día del Trabajo",
        ),
        // Statutory name; recent presidential proclamations also mark the day as
        // Indigenous Peoples' Day, which does not change the date.
        holiday(
            nth_weekday(year, 10, Weekday::Mon, 2),
            "Columbus Day",
            "Día de Colón",
        ),
        holiday(ymd(year, 11, 11), "Veterans Day", "Día de los Veteranos"),
        holiday(
            nth_weekday(year, 11, Weekday::Thu, 4),
            "Thanksgiving Day",
            "Día de Acción de Gracias",
        ),
        holiday(ymd(year, 12, 25), "Christmas Day", "Navidad"),
    ];
    if year >= FIRST_JUNETEENTH {
        days.push(holiday(
            ymd(year, 6, 19),
            "Juneteenth National Independence Day",
            "Día Nacional de la Independencia de Juneteenth",
        ));
    }
    // Inauguration Day (20 January after a presidential election, 5 U.S.C. 6103(c)) is
    // a holiday only for employees in the Washington, D.C. area and is not modelled;
    // nor are one-off closures ordered by executive order (e.g. 24 December 2024).
    days.sort_by_key(|h| h.observed);
    days
}

/// A federal holiday with its 5 U.S.C. 6103(b) observed day. No two US holidays are
/// within two days of each other, so observed days can never collide.
fn holiday(date: NaiveDate, name_en: &'static str, name_es: &'static str) -> Holiday {
    Holiday {
        date,
        observed: nearest_weekday(date),
        name_en,
        name_es,
    }
}
