//! Mexico: the mandatory rest days (días de descanso obligatorio) of the Ley Federal del
//! Trabajo, article 74, which bind every employer covered by the LFT and therefore every
//! facility that can be the subject of a Rapid Response Labor Mechanism request.
//!
//! Source: Ley Federal del Trabajo, art. 74, text as amended by the decree published in
//! the DOF on 30 September 2024 (fraction VII),
//! <https://www.diputados.gob.mx/LeyesBiblio/pdf/LFT.pdf>
//!
//! In Mexico the legal date *is* the day off: art. 74 has no weekend-shifting rule (a
//! rest day falling on Sunday is simply lost), so `observed == date` for every holiday.

use chrono::{NaiveDate, Weekday};

use super::rules::{nth_weekday, ymd};
use super::Holiday;

/// First year in which the federal executive changes hands on 1 October (Constitution
/// art. 83 as amended by the decree published in the DOF on 10 February 2014, whose
/// transitory provisions end the 2018-2024 term on 30 September 2024).
const FIRST_OCTOBER_TRANSFER: i32 = 2024;

/// Last year in which the federal executive changed hands on 1 December.
const LAST_DECEMBER_TRANSFER: i32 = 2018;

/// Every art. 74 rest day whose date falls in `year`, sorted by date.
pub(super) fn holidays(year: i32) -> Vec<Holiday> {
    let mut days = vec![
        // Art. 74 I: "El 1o. de enero".
        rest_day(ymd(year, 1, 1), "New Year's Day", "Año Nuevo"),
        // Art. 74 II: first Monday of February, commemorating 5 February (Constitution
        // of 1917). The "Monday" form dates from the reform published in the DOF on
        // 17 January 2006; earlier years used the fixed date, which is not modelled.
        rest_day(
            nth_weekday(year, 2, Weekday::Mon, 1),
            "Constitution Day",
            "Día de la Constitución",
        ),
        // Art. 74 III: third Monday of March, commemorating 21 March (birth of Juárez).
        rest_day(
            nth_weekday(year, 3, Weekday::Mon, 3),
            "Benito Juárez's Birthday",
            "Natalicio de Benito Juárez",
        ),
        // Art. 74 IV: "El 1o. de mayo".
        rest_day(ymd(year, 5, 1), "Labour Day", "Día del Trabajo"),
        // Art. 74 V: "El 16 de septiembre".
        rest_day(
            ymd(year, 9, 16),
            "Independence Day",
            "Día de la Independencia",
        ),
        // Art. 74 VI: third Monday of November, commemorating 20 November (1910).
        rest_day(
            nth_weekday(year, 11, Weekday::Mon, 3),
            "Revolution Day",
            "Día de la Revolución",
        ),
        // Art. 74 VIII: "El 25 de diciembre".
        rest_day(ymd(year, 12, 25), "Christmas Day", "Navidad"),
    ];
    days.extend(executive_transfer(year));
    // Art. 74 IX (election day, "el que determinen las leyes federales y locales
    // electorales, en el caso de elecciones ordinarias, para efectuar la jornada
    // electoral") is deliberately not modelled: federal ordinary elections are held on
    // the first Sunday of June (Ley General de Instituciones y Procedimientos
    // Electorales, art. 22), and local ordinary elections are held on Sundays too, so
    // the day is never a business day anyway.
    days.sort_by_key(|h| h.observed);
    days
}

/// Art. 74 VII: the day the federal executive is transferred, every six years.
///
/// Up to 2018 the president took office on 1 December (2018, 2012, 2006, ...). The 2014
/// constitutional reform moved the start of the term to 1 October from 2024, and the
/// LFT was harmonised by the decree published in the DOF on 30 September 2024 (in force
/// 1 October 2024). Because presidential terms last exactly six years (Constitution
/// art. 83), the rule is periodic: 2024, 2030, 2036, ...
fn executive_transfer(year: i32) -> Option<Holiday> {
    let date = if year >= FIRST_OCTOBER_TRANSFER {
        ((year - FIRST_OCTOBER_TRANSFER) % 6 == 0).then(|| ymd(year, 10, 1))
    } else if year <= LAST_DECEMBER_TRANSFER {
        ((LAST_DECEMBER_TRANSFER - year) % 6 == 0).then(|| ymd(year, 12, 1))
    } else {
        None
    }?;
    Some(rest_day(
        date,
        "Transfer of the Federal Executive Power",
        "Transmisión del Poder Ejecutivo Federal",
    ))
}

/// A Mexican rest day: the legal date is also the day off.
fn rest_day(date: NaiveDate, name_en: &'static str, name_es: &'static str) -> Holiday {
    Holiday {
        date,
        observed: date,
        name_en,
        name_es,
    }
}
