//! Checking one case's hash chain from its stored rows, and the words a broken chain is
//! reported in: shared by every backend so `rrm verify` reads alike on each.
//!
//! A case is checked in order: its header, then each event (position, link to its
//! predecessor, own hash), then its head. The first failure is the one reported: everything
//! after a broken link is unverifiable, not additionally wrong.

use crate::{event_hash, header_hash, BrokenChain, Hash};

/// A case header row as a backend read it; `None` where a column held a value of the wrong
/// type (reported as an altered header).
#[derive(Debug, Clone, Copy)]
pub struct HeaderFacts<'a> {
    pub id: &'a str,
    pub procedure: Option<&'a str>,
    pub document: Option<&'a str>,
    pub header_hash: &'a [u8],
    pub head_seq: Option<i64>,
    pub head_hash: &'a [u8],
}

/// An event row as a backend read it.
#[derive(Debug, Clone, Copy)]
pub struct EventFacts<'a> {
    pub seq: Option<i64>,
    pub kind: &'a str,
    /// `YYYY-MM-DD`, as the hash covers it.
    pub date: Option<&'a str>,
    pub payload: &'a str,
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
    /// The first column whose value had the wrong type, if any.
    pub malformed: Option<&'static str>,
}

pub struct CaseCheck {
    case_id: String,
    /// The hash the next event must chain from: the header's, then each verified event's.
    prev: Hash,
    /// The position the next event must have.
    next_seq: u64,
    head_seq: Option<i64>,
    head_hash: Vec<u8>,
    broken: Option<BrokenChain>,
}

impl CaseCheck {
    /// Starts a case by recomputing its header hash.
    pub fn start(h: &HeaderFacts<'_>) -> CaseCheck {
        let recomputed = match (h.procedure, h.document) {
            (Some(procedure), Some(document)) => Some(header_hash(h.id, procedure, document)),
            _ => None,
        };
        let mut check = CaseCheck {
            case_id: h.id.to_string(),
            prev: recomputed.unwrap_or([0; 32]),
            next_seq: 1,
            head_seq: h.head_seq,
            head_hash: h.head_hash.to_vec(),
            broken: None,
        };
        if recomputed.is_none_or(|r| r[..] != h.header_hash[..]) {
            check.fail(0, "header was altered".to_string());
        }
        check
    }

    /// Checks the next event of the case.
    pub fn event(&mut self, e: &EventFacts<'_>) {
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
    fn problem(&self, e: &EventFacts<'_>, expected: u64) -> Option<String> {
        if let Some(column) = e.malformed {
            return Some(format!("column `{column}` has a value of the wrong type"));
        }
        let seq = e.seq.unwrap_or(0);
        if u64::try_from(seq) != Ok(expected) {
            return Some(match u64::try_from(seq) {
                Ok(s) if s > expected => format!("event {expected} is missing"),
                _ => format!("event number {seq} is out of place"),
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

    fn recompute(&self, e: &EventFacts<'_>, seq: u64) -> Hash {
        event_hash(&self.prev, &self.case_id, seq, e.kind, e.date, e.payload)
    }

    /// The first broken event of the case, if any, once all its events were seen.
    pub fn finish(mut self) -> Option<BrokenChain> {
        if self.broken.is_none() {
            let found = self.next_seq - 1;
            if u64::try_from(self.head_seq.unwrap_or(-1)) != Ok(found) {
                let head = self.head_seq.map_or("?".to_string(), |n| n.to_string());
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
