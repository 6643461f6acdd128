//! Business-day calendars for the three USMCA Parties, computed by rule for any year.
//!
//! PLACEHOLDER: being written. Public interface (keep these signatures):
//!
//! ```ignore
//! pub enum CalendarId { Mexico, UnitedStates, Canada }
//! impl CalendarId { pub fn parse(code: &str) -> Option<CalendarId>; pub fn code(self) -> &'static str; }
//! pub struct Holiday { pub date: NaiveDate, pub observed: NaiveDate, pub name_en: &'static str, pub name_es: &'static str }
//! pub fn holidays(calendar: CalendarId, year: i32) -> Vec<Holiday>;
//! pub fn is_business_day(calendar: CalendarId, date: NaiveDate) -> bool;
//! pub fn add_business_days(calendar: CalendarId, start: NaiveDate, days: u32) -> NaiveDate;
//! pub fn business_days_between(calendar: CalendarId, from: NaiveDate, to: NaiveDate) -> i64;
//! ```
