//! Instants as stored: UTC `YYYY-MM-DDTHH:MM:SSZ` text, exactly as SQLite's store writes them
//! (its `workspace/time.rs`), so a row copies between backends unchanged and text order is
//! time order. Sub-second precision is dropped on the way in; nothing here needs it.

use chrono::{DateTime, NaiveDateTime, Utc};

use rrm_store::{StoreError, StoreResult};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

pub(crate) fn time_text(t: DateTime<Utc>) -> String {
    t.format(FORMAT).to_string()
}

/// Parses a stored instant; `what` names the row and column for the error.
pub(crate) fn parse_time(text: &str, what: &str) -> StoreResult<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, FORMAT)
        .map(|t| t.and_utc())
        .map_err(|e| StoreError::Other(format!("{what}: `{text}` is not a time: {e}")))
}

pub(crate) fn parse_opt_time(
    text: Option<String>,
    what: &str,
) -> StoreResult<Option<DateTime<Utc>>> {
    text.map(|t| parse_time(&t, what)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_to_the_second_in_text_order() {
        let t: DateTime<Utc> = "2026-11-23T10:04:05.678Z".parse().unwrap();
        assert_eq!(time_text(t), "2026-11-23T10:04:05Z");
        assert_eq!(
            parse_time("2026-11-23T10:04:05Z", "t").unwrap(),
            t - chrono::Duration::milliseconds(678)
        );
        assert!(parse_time("yesterday", "t").is_err());
    }
}
