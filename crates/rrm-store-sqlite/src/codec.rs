//! How values are laid out in columns: dates as ISO text, hashes as 32-byte blobs, counts as
//! SQLite's signed integers. Decoding never panics: a malformed value is an error naming it.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};

use rrm_store::{Hash, StoreError, StoreResult};

/// A date as stored, and as the hash chain covers it: the `Display` form of [`NaiveDate`],
/// `YYYY-MM-DD` for the years 0 to 9999, whose text order is date order.
///
/// Kept inline rather than in a `String`: an import formats every event's date twice (for its
/// hash and for its row), and ten million allocations are measurable.
#[derive(Clone, Copy)]
pub(crate) struct DateText {
    buf: [u8; 16],
    len: usize,
}

impl DateText {
    pub(crate) fn of(date: NaiveDate) -> DateText {
        let mut text = DateText {
            buf: [0; 16],
            len: 0,
        };
        let (y, m, d) = (date.year(), date.month(), date.day());
        if (0..=9999).contains(&y) {
            // `y`, `m` and `d` are in range, so every digit is 0 to 9.
            let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10];
            text.buf[..4].copy_from_slice(&digits.map(|n| b'0' + n as u8));
            text.buf[4..10].copy_from_slice(&[
                b'-',
                b'0' + (m / 10) as u8,
                b'0' + (m % 10) as u8,
                b'-',
                b'0' + (d / 10) as u8,
                b'0' + (d % 10) as u8,
            ]);
            text.len = 10;
        } else {
            // Beyond four-digit years chrono writes a sign; rare enough to format normally.
            let _ = write!(text, "{date}");
        }
        text
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever written into `buf`.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl Write for DateText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl ToSql for DateText {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.buf[..self.len])))
    }
}

/// A date's stored text, or SQL NULL.
pub(crate) fn opt_date_text(date: Option<NaiveDate>) -> Option<DateText> {
    date.map(DateText::of)
}

/// A date's stored text as a `String`, for query arguments.
pub(crate) fn date_text(date: NaiveDate) -> String {
    DateText::of(date).as_str().to_string()
}

/// Parses a stored date; `what` names the column for the error.
pub(crate) fn parse_date(text: &str, what: &str) -> StoreResult<NaiveDate> {
    text.parse()
        .map_err(|e| StoreError::Other(format!("{what}: `{text}` is not a date: {e}")))
}

pub(crate) fn parse_opt_date(text: Option<String>, what: &str) -> StoreResult<Option<NaiveDate>> {
    text.map(|t| parse_date(&t, what)).transpose()
}

/// A stored hash; anything but 32 bytes is an error naming the column.
pub(crate) fn hash_from(bytes: &[u8], what: &str) -> StoreResult<Hash> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Other(format!("{what}: a hash of {} bytes, not 32", bytes.len())))
}

/// A count or position as SQLite stores it. Counts above `i64::MAX` cannot occur in a store,
/// and limits above it mean "no limit", so saturating is exact for every real value.
pub(crate) fn to_sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored count or position; negative values are an error naming the column.
pub(crate) fn from_sql_int(n: i64, what: &str) -> StoreResult<u64> {
    u64::try_from(n).map_err(|_| StoreError::Other(format!("{what}: negative value {n}")))
}

/// Bytes from a column that holds a blob, or text on rows written before values were sealed.
pub(crate) struct AnyBytes(pub Vec<u8>);

impl rusqlite::types::FromSql for AnyBytes {
    fn column_result(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<AnyBytes> {
        match value {
            ValueRef::Blob(b) | ValueRef::Text(b) => Ok(AnyBytes(b.to_vec())),
            _ => Err(rusqlite::types::FromSqlError::InvalidType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_text_is_the_display_form() {
        for (y, m, d) in [
            (2024, 1, 2),
            (0, 1, 1),
            (999, 12, 31),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 6, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(DateText::of(date).as_str(), date.to_string());
            assert_eq!(
                parse_date(DateText::of(date).as_str(), "test").unwrap(),
                date
            );
        }
        let extremes = [NaiveDate::MIN, NaiveDate::MAX];
        for date in extremes {
            assert_eq!(DateText::of(date).as_str(), date.to_string());
        }
    }
}
