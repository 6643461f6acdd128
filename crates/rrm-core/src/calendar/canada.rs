//! Canada: the federal general holidays, as observed by the federal public
//! administration (the designated paid holidays of the Treasury Board collective
//! agreements), with weekend holidays moved to the next free working day.
//!
//! Sources:
//! - Canada Labour Code, R.S.C. 1985, c. L-2, s. 166 ("general holiday") and s. 193
//!   (holidays falling on a non-working Saturday or Sunday),
//!   <https://laws-lois.justice.gc.ca/eng/acts/L-2/>
//! - Interpretation Act, R.S.C. 1985, c. I-21, s. 35 ("holiday", which adds Easter
//!   Monday), <https://laws-lois.justice.gc.ca/eng/acts/I-21/>
//! - Holidays Act, R.S.C. 1985, c. H-5 (Canada Day; Victoria Day; Remembrance Day),
//!   <https://laws-lois.justice.gc.ca/eng/acts/H-5/>
//! - An Act to amend the Bills of Exchange Act, the Interpretation Act and the Canada
//!   Labour Code (National Day for Truth and Reconciliation), S.C. 2021, c. 11.
//! - Treasury Board collective agreements, "designated paid holidays" (e.g. the PA
//!   group agreement), <https://www.tbs-sct.canada.ca/agreements-conventions/>. They
//!   add Easter Monday and the civic holiday (first Monday of August where no
//!   provincial holiday is designated) and move a holiday that falls on a day of rest
//!   to the employee's first working day after it.

use chrono::{NaiveDate, Weekday};

use super::rules::{
    easter_sunday, next_free_working_days, nth_weekday, shift, weekday_on_or_before, ymd,
};
use super::Holiday;

/// S.C. 2021, c. 11 created the National Day for Truth and Reconciliation; it was first
/// observed on 30 September 2021.
const FIRST_TRUTH_AND_RECONCILIATION: i32 = 2021;

/// A holiday before its observed day is assigned.
struct Legal {
    date: NaiveDate,
    name_en: &'static str,
    name_es: &'static str,
}

/// Every federal holiday whose legal date falls in `year`, sorted by observed day.
pub(super) fn holidays(year: i32) -> Vec<Holiday> {
    let legal = legal_holidays(year);
    let dates: Vec<NaiveDate> = legal.iter().map(|h| h.date).collect();
    let observed = next_free_working_days(&dates);
    let mut days: Vec<Holiday> = legal
        .into_iter()
        .zip(observed)
        .map(|(h, observed)| Holiday {
            date: h.date,
            observed,
            name_en: h.name_en,
            name_es: h.name_es,
        })
        .collect();
    days.sort_by_key(|h| h.observed);
    days
}

/// The legal dates, before weekend observance.
fn legal_holidays(year: i32) -> Vec<Legal> {
    let easter = easter_sunday(year);
    let mut days = vec![
        legal(ymd(year, 1, 1), "New Year's Day", "Año Nuevo"),
        legal(shift(easter, -2), "Good Friday", "Viernes Santo"),
        // Interpretation Act s. 35 and the federal collective agreements; not a Canada
        // Labour Code general holiday.
        legal(shift(easter, 1), "Easter Monday", "Lunes de Pascua"),
        // "The Monday immediately preceding May 25", i.e. the last Monday on or before
        // 24 May.
        legal(
            weekday_on_or_before(ymd(year, 5, 24), Weekday::Mon),
            "Victoria Day",
            "Día de Victoria",
        ),
        // Holidays Act: when 1 July is a Sunday, 2 July is the holiday; the general
        // next-working-day rule gives the same result and also covers Saturdays.
        legal(ymd(year, 7, 1), "Canada Day", "Día de Canadá"),
        // Collective agreements: the civic holiday, first Monday of August.
        legal(
            nth_weekday(year, 8, Weekday::Mon, 1),
            "Civic Holiday",
            "Día Cívico",
        ),
        legal(
            nth_weekday(year, 9, Weekday::Mon, 1),
            "Labour Day",
            "Día del Trabajo",
        ),
        // Thanksgiving is "the day appointed by proclamation" (Interpretation Act
        // s. 35); the proclamation of 31 January 1957 fixed it on the second Monday of
        // October every year.
        legal(
            nth_weekday(year, 10, Weekday::Mon, 2),
            "Thanksgiving Day",
            "Día de Acción de Gracias",
        ),
        legal(ymd(year, 11, 11), "Remembrance Day", "Día del Recuerdo"),
        legal(ymd(year, 12, 25), "Christmas Day", "Navidad"),
        legal(ymd(year, 12, 26), "Boxing Day", "Día de San Esteban"),
    ];
    if year >= FIRST_TRUTH_AND_RECONCILIATION {
        days.push(legal(
            ymd(year, 9, 30),
            "National Day for Truth and Reconciliation",
            "Día Nacional de la Verdad y la Reconciliación",
        ));
    }
    days
}

fn legal(date: NaiveDate, name_en: &'static str, name_es: &'static str) -> Legal {
    Legal {
        date,
        name_en,
        name_es,
    }
}
