//! Verification: recomputes every chain from the stored bytes and reports the first broken
//! event of each broken case, in the words the SQLite store uses.
//!
//! Two portals (server-side cursors) stream side by side, the case headers by id and the events
//! by (case id, seq), a page of rows at a time, and are merged like a sorted merge join: memory
//! stays flat however many events there are, and events whose header is gone are found too.
//! Both read one snapshot (a `repeatable read`, read-only transaction), so writers go on
//! meanwhile without making the walk see half an append.

mod check;

use std::collections::VecDeque;

use postgres::{Client, IsolationLevel, Portal, Row, Transaction};

use rrm_store::{BrokenChain, StoreResult, VerifyReport};

use crate::error::Context;
use check::{EventRow, HeaderRow};
use rrm_store::chain_check::CaseCheck;

/// How many events between two calls of the progress callback.
const PROGRESS_EVERY: u64 = 100_000;

/// How many rows each portal fetches at a time.
const PAGE: i32 = 1_000;

const CASES: &str = "select id, procedure, document, header_hash, head_seq, head_hash \
                     from cases order by id";
const EVENTS: &str = "select case_id, seq, kind, date, payload, prev_hash, hash \
                      from events order by case_id, seq";

const DOING: &str = "verifying the hash chains";

pub(crate) fn verify(
    client: &mut Client,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<VerifyReport> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .context(DOING)?;
    let mut cases = Stream::open(&mut tx, CASES)?;
    let mut walk = Walk {
        events: Stream::open(&mut tx, EVENTS)?,
        report: VerifyReport::default(),
        progress,
    };
    while let Some(row) = cases.next(&mut tx)? {
        walk.case(&mut tx, &HeaderRow::read(&row))?;
    }
    // Whatever events remain sort after the last header: none of them has one.
    while let Some(case_id) = walk.events.case_id(&mut tx)? {
        walk.orphans(&mut tx, &case_id)?;
    }
    (walk.progress)(walk.report.events);
    tx.commit().context(DOING)?;
    Ok(walk.report)
}

/// Rows of one portal, fetched a page at a time.
struct Stream {
    portal: Portal,
    buffer: VecDeque<Row>,
    exhausted: bool,
}

impl Stream {
    fn open(tx: &mut Transaction<'_>, sql: &str) -> StoreResult<Stream> {
        Ok(Stream {
            portal: tx.bind(sql, &[]).context(DOING)?,
            buffer: VecDeque::new(),
            exhausted: false,
        })
    }

    fn peek(&mut self, tx: &mut Transaction<'_>) -> StoreResult<Option<&Row>> {
        if self.buffer.is_empty() && !self.exhausted {
            let rows = tx.query_portal(&self.portal, PAGE).context(DOING)?;
            self.exhausted = rows.len() < PAGE as usize;
            self.buffer.extend(rows);
        }
        Ok(self.buffer.front())
    }

    fn next(&mut self, tx: &mut Transaction<'_>) -> StoreResult<Option<Row>> {
        self.peek(tx)?;
        Ok(self.buffer.pop_front())
    }

    /// The case id of the next row (column 0), if any.
    fn case_id(&mut self, tx: &mut Transaction<'_>) -> StoreResult<Option<String>> {
        Ok(self.peek(tx)?.map(|r| r.get(0)))
    }
}

/// The state of the merge: the event stream, and what has been found so far.
struct Walk<'p> {
    events: Stream,
    report: VerifyReport,
    progress: &'p mut dyn FnMut(u64),
}

impl Walk<'_> {
    /// Checks one case: its header, each of its events in order, then its head.
    fn case(&mut self, tx: &mut Transaction<'_>, header: &HeaderRow) -> StoreResult<()> {
        // Events of case ids that sort before this one belong to no header.
        while let Some(case_id) = self.events.case_id(tx)? {
            if case_id.as_bytes() >= header.id.as_bytes() {
                break;
            }
            self.orphans(tx, &case_id)?;
        }
        let mut check = CaseCheck::start(&header.facts());
        while self.events.case_id(tx)?.as_deref() == Some(header.id.as_str()) {
            let row = self.advance(tx)?;
            check.event(&EventRow::read(&row).facts());
        }
        self.report.cases += 1;
        if let Some(broken) = check.finish() {
            self.report.broken.push(broken);
        }
        Ok(())
    }

    /// Skips the events of `case_id`, a case without a header, reporting its first one.
    fn orphans(&mut self, tx: &mut Transaction<'_>, case_id: &str) -> StoreResult<()> {
        let first: i64 = self.advance(tx)?.get(1);
        while self.events.case_id(tx)?.as_deref() == Some(case_id) {
            self.advance(tx)?;
        }
        self.report.broken.push(BrokenChain {
            case_id: case_id.to_string(),
            seq: u64::try_from(first).unwrap_or(0),
            problem: "event has no case header (the case was deleted)".to_string(),
        });
        Ok(())
    }

    /// Takes the next event row, which the caller has seen is there.
    fn advance(&mut self, tx: &mut Transaction<'_>) -> StoreResult<Row> {
        let row = self.events.next(tx)?.ok_or_else(|| {
            rrm_store::StoreError::Other(format!("{DOING}: the event stream ended early"))
        })?;
        self.report.events += 1;
        if self.report.events.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.report.events);
        }
        Ok(row)
    }
}
