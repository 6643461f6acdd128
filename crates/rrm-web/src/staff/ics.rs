//! A small iCalendar (RFC 5545) writer: enough for a feed of all-day deadline events. Text is
//! escaped (`\`, `;`, `,`, newlines), lines end in CRLF and are folded at 75 octets without
//! splitting a UTF-8 character. Hand-written: the `ics` crate would be a dependency for this.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// One all-day event.
pub struct AllDay {
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded: continuation lines start with one space.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A calendar of all-day events, stamped `now`.
pub fn calendar(name: &str, events: &[AllDay], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//rrm//deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    for e in events {
        let end = e.date.checked_add_days(Days::new(1)).unwrap_or(e.date);
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")),
        );
        line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_folded() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let event = AllDay {
            uid: "x@rrm".into(),
            date: "2026-12-23".parse().unwrap(),
            summary: "Determinación del ILC — ".repeat(5),
            description: "19 U.S.C. 4646(b)(1)".into(),
        };
        let ics = calendar("rrm", &[event], "2026-11-23T12:00:00Z".parse().unwrap());
        assert!(ics.contains("DTSTART;VALUE=DATE:20261223\r\nDTEND;VALUE=DATE:20261224\r\n"));
        assert!(
            ics.lines().all(|l| l.len() <= 76),
            "folded at 75 octets plus CR"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&"Determinación del ILC — ".repeat(5)));
    }
}
