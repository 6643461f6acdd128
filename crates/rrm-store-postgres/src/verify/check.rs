//! The checks on one case's chain, and the words a broken chain is reported in (the same as
//! rrm-store-sqlite's, so `rrm verify` reads alike on either backend).
//!
//! A case is checked in order: its header, then each event (position, link to its
//! predecessor, own hash), then its head. The first failure is the one reported: everything
//! after a broken link is unverifiable, not additionally wrong.

use chrono::NaiveDate;
use postgres::Row;

use rrm_store::{event_hash, header_hash, BrokenChain, Hash};

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
}

/// An event row as stored.
pub(super) struct EventRow {
    seq: i64,
    kind: String,
    date: Option<NaiveDate>,
    payload: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl EventRow {
    pub fn read(r: &Row) -> EventRow {
        EventRow {
            seq: r.get(1),
            kind: r.get(2),
            date: r.get(3),
            payload: r.get(4),
            prev_hash: r.get(5),
            hash: r.get(6),
        }
    }
}

pub(super) struct CaseCheck {
    case_id: String,
    /// The hash the next event must chain from: the header's, then each verified event's.
    prev: Hash,
    /// The position the next event must have.
    next_seq: u64,
    head_seq: i64,
    head_hash: Vec<u8>,
    broken: Option<BrokenChain>,
}

impl CaseCheck {
    /// Starts a case by recomputing its header hash.
    pub fn start(h: &HeaderRow) -> CaseCheck {
        let recomputed = header_hash(&h.id, &h.procedure, &h.document);
        let mut check = CaseCheck {
            case_id: h.id.clone(),
            prev: recomputed,
            next_seq: 1,
            head_seq: h.head_seq,
            head_hash: h.head_hash.clone(),
            broken: None,
        };
        if recomputed[..] != h.header_hash[..] {
            check.fail(0, "header was altered".to_string());
        }
        check
    }

    /// Checks the next event of the case.
    pub fn event(&mut self, e: &EventRow) {
        if self.broken.is_some() {
            return;
        }
        let expected = self.next_seq;
        if let Some(problem) = self.problem(e, expected) {
            return self.fail(expected, problem);
        }
        self.prev = self.recompute(e, expected);
        self.next_seq += 1;
    }

    /// What is wrong with `e` as event `expected`, if anything.
    fn problem(&self, e: &EventRow, expected: u64) -> Option<String> {
        if u64::try_from(e.seq) != Ok(expected) {
            return Some(match u64::try_from(e.seq) {
                Ok(s) if s > expected => format!("event {expected} is missing"),
                _ => format!("event number {} is out of place", e.seq),
            });
        }
        if e.prev_hash[..] != self.prev[..] {
            return Some(match expected {
                1 => "prev_hash does not match the header".to_string(),
                n => format!("prev_hash does not match event {}", n - 1),
            });
        }
        if e.hash[..] != self.recompute(e, expected)[..] {
            return Some("hash does not match its content".to_string());
        }
        None
    }

    fn recompute(&self, e: &EventRow, seq: u64) -> Hash {
        let date = e.date.map(|d| d.to_string());
        event_hash(
            &self.prev,
            &self.case_id,
            seq,
            &e.kind,
            date.as_deref(),
            &e.payload,
        )
    }

    /// The first broken event of the case, if any, once all its events were seen.
    pub fn finish(mut self) -> Option<BrokenChain> {
        if self.broken.is_none() {
            let found = self.next_seq - 1;
            if u64::try_from(self.head_seq) != Ok(found) {
                let head = self.head_seq;
                self.fail(0, format!("head says {head} events, found {found}"));
            } else if self.head_hash[..] != self.prev[..] {
                self.fail(
                    0,
                    match found {
                        0 => "head hash does not match the header".to_string(),
                        n => format!("head hash does not match event {n}"),
                    },
                );
            }
        }
        self.broken
    }

    fn fail(&mut self, seq: u64, problem: String) {
        self.broken.get_or_insert(BrokenChain {
            case_id: self.case_id.clone(),
            seq,
            problem,
        });
    }
}
