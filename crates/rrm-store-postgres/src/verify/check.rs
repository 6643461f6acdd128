//! The rows `verify` reads, as the shared chain check (`rrm_store::chain_check`) sees them.

use chrono::NaiveDate;
use postgres::Row;

use rrm_store::chain_check::{EventFacts, HeaderFacts};

/// A case header row as stored.
pub(super) struct HeaderRow {
    pub id: String,
    procedure: String,
    document: String,
    header_hash: Vec<u8>,
    head_seq: i64,
    head_hash: Vec<u8>,
}

impl HeaderRow {
    pub fn read(r: &Row) -> HeaderRow {
        HeaderRow {
            id: r.get(0),
            procedure: r.get(1),
            document: r.get(2),
            header_hash: r.get(3),
            head_seq: r.get(4),
            head_hash: r.get(5),
        }
    }

    pub fn facts(&self) -> HeaderFacts<'_> {
        HeaderFacts {
            id: &self.id,
            procedure: Some(&self.procedure),
            document: Some(&self.document),
            header_hash: &self.header_hash,
            head_seq: Some(self.head_seq),
            head_hash: &self.head_hash,
        }
    }
}

/// An event row as stored, its date already in the `YYYY-MM-DD` form the hash covers.
pub(super) struct EventRow {
    seq: i64,
    kind: String,
    date: Option<String>,
    payload: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl EventRow {
    pub fn read(r: &Row) -> EventRow {
        let date: Option<NaiveDate> = r.get(3);
        EventRow {
            seq: r.get(1),
            kind: r.get(2),
            date: date.map(|d| d.to_string()),
            payload: r.get(4),
            prev_hash: r.get(5),
            hash: r.get(6),
        }
    }

    pub fn facts(&self) -> EventFacts<'_> {
        EventFacts {
            seq: Some(self.seq),
            kind: &self.kind,
            date: self.date.as_deref(),
            payload: &self.payload,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            malformed: None,
        }
    }
}
