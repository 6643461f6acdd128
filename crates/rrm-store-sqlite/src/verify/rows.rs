//! The rows `verify` walks, read leniently: a value of the wrong type (a tampered row) becomes
//! a problem to report, not an error that would stop the walk over every other case.

use rrm_store::chain_check::{EventFacts, HeaderFacts};
use rusqlite::types::ValueRef;
use rusqlite::{Row, Rows};

use rrm_store::StoreResult;

use crate::sql_error::Context;

/// A case header and head; text columns that are not text are `None`.
pub(super) struct HeaderRow {
    pub id: String,
    pub procedure: Option<String>,
    pub document: Option<String>,
    pub header_hash: Vec<u8>,
    pub head_seq: Option<i64>,
    pub head_hash: Vec<u8>,
}

impl HeaderRow {
    /// The row as the shared chain check reads it.
    pub fn facts(&self) -> HeaderFacts<'_> {
        HeaderFacts {
            id: &self.id,
            procedure: self.procedure.as_deref(),
            document: self.document.as_deref(),
            header_hash: &self.header_hash,
            head_seq: self.head_seq,
            head_hash: &self.head_hash,
        }
    }

    pub fn read(r: &Row<'_>) -> rusqlite::Result<HeaderRow> {
        let text = |i| -> rusqlite::Result<Option<String>> {
            let mut s = String::new();
            Ok(text_into(r.get_ref(i)?, &mut s).then_some(s))
        };
        Ok(HeaderRow {
            id: String::from_utf8_lossy(bytes(r.get_ref(0)?)).into_owned(),
            procedure: text(1)?,
            document: text(2)?,
            header_hash: bytes(r.get_ref(3)?).to_vec(),
            head_seq: integer(r.get_ref(4)?),
            head_hash: bytes(r.get_ref(5)?).to_vec(),
        })
    }
}

/// The event under the cursor. Its buffers are reused from row to row, so walking ten million
/// events allocates no more than walking one.
#[derive(Default)]
pub(super) struct EventBuf {
    pub case_id: Vec<u8>,
    pub seq: Option<i64>,
    pub kind: String,
    date: String,
    dated: bool,
    pub payload: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
    /// The first column whose value has the wrong type, if any.
    pub malformed: Option<&'static str>,
}

impl EventBuf {
    /// The row as the shared chain check reads it.
    pub fn facts(&self) -> EventFacts<'_> {
        EventFacts {
            seq: self.seq,
            kind: &self.kind,
            date: self.dated.then_some(self.date.as_str()),
            payload: &self.payload,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            malformed: self.malformed,
        }
    }

    fn fill(&mut self, r: &Row<'_>) -> rusqlite::Result<()> {
        self.malformed = None;
        self.case_id.clear();
        self.case_id.extend_from_slice(bytes(r.get_ref(0)?));
        self.seq = integer(r.get_ref(1)?);
        if self.seq.is_none() {
            self.malformed = Some("seq");
        }
        if !text_into(r.get_ref(2)?, &mut self.kind) {
            self.malformed.get_or_insert("kind");
        }
        let date = r.get_ref(3)?;
        self.dated = date != ValueRef::Null;
        if self.dated && !text_into(date, &mut self.date) {
            self.malformed.get_or_insert("date");
        }
        if !text_into(r.get_ref(4)?, &mut self.payload) {
            self.malformed.get_or_insert("payload");
        }
        self.prev_hash.clear();
        self.prev_hash.extend_from_slice(bytes(r.get_ref(5)?));
        self.hash.clear();
        self.hash.extend_from_slice(bytes(r.get_ref(6)?));
        Ok(())
    }
}

/// The events query, one row ahead: the merge in `verify` looks at the next event's case id
/// before deciding whose it is.
pub(super) struct EventCursor<'s> {
    rows: Rows<'s>,
    buf: EventBuf,
    at_end: bool,
}

impl<'s> EventCursor<'s> {
    pub fn new(rows: Rows<'s>) -> StoreResult<EventCursor<'s>> {
        let mut cursor = EventCursor {
            rows,
            buf: EventBuf::default(),
            at_end: false,
        };
        cursor.advance()?;
        Ok(cursor)
    }

    /// The case id of the current event, or `None` past the last one.
    pub fn case_id(&self) -> Option<&[u8]> {
        (!self.at_end).then_some(self.buf.case_id.as_slice())
    }

    pub fn current(&self) -> &EventBuf {
        &self.buf
    }

    pub fn advance(&mut self) -> StoreResult<()> {
        let doing = "verifying the hash chains: reading events";
        match self.rows.next().context(doing)? {
            Some(row) => self.buf.fill(row).context(doing),
            None => {
                self.at_end = true;
                Ok(())
            }
        }
    }
}

/// The bytes of a text or blob value; other types (NULL, numbers) give none.
fn bytes(v: ValueRef<'_>) -> &[u8] {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => &[],
    }
}

fn integer(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(n) => Some(n),
        _ => None,
    }
}

/// Copies a text value into `out`; false if it is not text or not UTF-8.
fn text_into(v: ValueRef<'_>, out: &mut String) -> bool {
    out.clear();
    match v {
        ValueRef::Text(b) => match std::str::from_utf8(b) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        },
        _ => false,
    }
}
