//! Verification: recomputes every chain from the stored bytes and reports the first broken
//! event of each broken case.
//!
//! Two queries stream side by side, the case headers by id and the events by (case id, seq),
//! and are merged like a sorted merge join, so memory stays flat however many events there are
//! and events whose header is gone are found too. Both read one snapshot (one read
//! transaction), so writers can go on meanwhile without making the walk see half an append.

mod rows;

use rusqlite::Connection;

use rrm_store::{BrokenChain, StoreResult, VerifyReport};

use crate::sql_error::Context;
use rows::{EventCursor, HeaderRow};
use rrm_store::chain_check::CaseCheck;

/// How many events between two calls of the progress callback.
const PROGRESS_EVERY: u64 = 100_000;

const CASES: &str = "select id, procedure, document, header_hash, head_seq, head_hash \
                     from cases order by id";
const EVENTS: &str = "select case_id, seq, kind, date, payload, prev_hash, hash \
                      from events order by case_id, seq";

pub(crate) fn verify(
    conn: &mut Connection,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<VerifyReport> {
    let doing = "verifying the hash chains";
    // Deferred: a read transaction, which never blocks a writer in WAL mode.
    let tx = conn.transaction().context(doing)?;
    let mut cases_stmt = tx.prepare(CASES).context(doing)?;
    let mut events_stmt = tx.prepare(EVENTS).context(doing)?;
    let mut walk = Walk {
        events: EventCursor::new(events_stmt.query([]).context(doing)?)?,
        report: VerifyReport::default(),
        progress,
    };
    let mut cases = cases_stmt.query([]).context(doing)?;
    while let Some(row) = cases.next().context(doing)? {
        walk.case(&HeaderRow::read(row).context(doing)?)?;
    }
    // Whatever events remain sort after the last header: none of them has one.
    while let Some(case_id) = walk.events.case_id().map(<[u8]>::to_vec) {
        walk.orphans(&case_id)?;
    }
    (walk.progress)(walk.report.events);
    Ok(walk.report)
}

/// The state of the merge: the event stream, and what has been found so far.
struct Walk<'s, 'p> {
    events: EventCursor<'s>,
    report: VerifyReport,
    progress: &'p mut dyn FnMut(u64),
}

impl Walk<'_, '_> {
    /// Checks one case: its header, each of its events in order, then its head.
    fn case(&mut self, header: &HeaderRow) -> StoreResult<()> {
        // Events of case ids that sort before this one belong to no header.
        while let Some(case_id) = self.events.case_id().map(<[u8]>::to_vec) {
            if case_id.as_slice() >= header.id.as_bytes() {
                break;
            }
            self.orphans(&case_id)?;
        }
        let mut check = CaseCheck::start(&header.facts());
        while self.events.case_id() == Some(header.id.as_bytes()) {
            check.event(&self.events.current().facts());
            self.advance()?;
        }
        self.report.cases += 1;
        if let Some(broken) = check.finish() {
            self.report.broken.push(broken);
        }
        Ok(())
    }

    /// Skips the events of `case_id`, a case without a header, reporting its first one.
    fn orphans(&mut self, case_id: &[u8]) -> StoreResult<()> {
        let seq = self.events.current().seq.unwrap_or(0);
        while self.events.case_id() == Some(case_id) {
            self.advance()?;
        }
        self.report.broken.push(BrokenChain {
            case_id: String::from_utf8_lossy(case_id).into_owned(),
            seq: u64::try_from(seq).unwrap_or(0),
            problem: "event has no case header (the case was deleted)".to_string(),
        });
        Ok(())
    }

    fn advance(&mut self) -> StoreResult<()> {
        self.report.events += 1;
        if self.report.events.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.report.events);
        }
        self.events.advance()
    }
}
