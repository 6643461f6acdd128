//! The checks on one case's chain, and the words a broken chain is reported in.
//!
//! A case is checked in order: its header, then each event (position, link to its
//! predecessor, own hash), then its head. The first failure is the one reported: everything
//! after a broken link is unverifiable, not additionally wrong.

use rrm_store::{event_hash, header_hash, BrokenChain, Hash};

use super::rows::{EventBuf, HeaderRow};

pub(super) struct CaseCheck {
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
    pub fn start(h: &HeaderRow) -> CaseCheck {
        let recomputed = match (&h.procedure, &h.document) {
            (Some(procedure), Some(document)) => Some(header_hash(&h.id, procedure, document)),
            _ => None,
        };
        let mut check = CaseCheck {
            case_id: h.id.clone(),
            prev: recomputed.unwrap_or([0; 32]),
            next_seq: 1,
            head_seq: h.head_seq,
            head_hash: h.head_hash.clone(),
            broken: None,
        };
        if recomputed.is_none_or(|r| r[..] != h.header_hash[..]) {
            check.fail(0, "header was altered".to_string());
        }
        check
    }

    /// Checks the next event of the case.
    pub fn event(&mut self, e: &EventBuf) {
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
    fn problem(&self, e: &EventBuf, expected: u64) -> Option<String> {
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

    fn recompute(&self, e: &EventBuf, seq: u64) -> Hash {
        event_hash(
            &self.prev,
            &self.case_id,
            seq,
            &e.kind,
            e.date(),
            &e.payload,
        )
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
