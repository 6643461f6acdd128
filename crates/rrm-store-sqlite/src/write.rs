//! Writing: new cases in batches, and appends that check the head they extend. Each call is
//! one transaction, so a case, its events, its projection and its clocks are stored together.

use chrono::NaiveDate;
use rusqlite::{params, CachedStatement, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{
    event_hash, header_hash, Hash, NewCase, NewEvent, ProjectedClock, Projection, StoreError,
    StoreResult, StoredEvent,
};

use crate::codec::{from_sql_int, hash_from, opt_date_text, to_sql_int, DateText};
use crate::sql_error::{is_duplicate_key, Context};

/// A new case with its chain already computed.
pub(crate) struct ChainedCase<'a> {
    case: &'a NewCase,
    header_hash: Hash,
    /// The hash of each event, in order.
    hashes: Vec<Hash>,
}

/// Computes the chains of new cases; needs no database, so callers run it outside the lock.
pub(crate) fn chain_cases(cases: &[NewCase]) -> Vec<ChainedCase<'_>> {
    cases
        .iter()
        .map(|case| {
            let h = &case.header;
            let header_hash = header_hash(&h.id, &h.procedure, &h.document);
            let hashes = chain(&h.id, 0, &header_hash, &case.events);
            ChainedCase {
                case,
                header_hash,
                hashes,
            }
        })
        .collect()
}

/// The hashes of `events` appended after event `head_seq`, whose hash is `head_hash`.
fn chain(case_id: &str, head_seq: u64, head_hash: &Hash, events: &[NewEvent]) -> Vec<Hash> {
    let mut prev = *head_hash;
    events
        .iter()
        .zip(head_seq + 1..)
        .map(|(e, seq)| {
            let date = opt_date_text(e.date);
            let date = date.as_ref().map(DateText::as_str);
            prev = event_hash(&prev, case_id, seq, &e.kind, date, &e.payload);
            prev
        })
        .collect()
}

/// Stores new cases, all or none: a duplicate id anywhere in the batch writes nothing.
pub(crate) fn create_cases(conn: &mut Connection, cases: &[ChainedCase<'_>]) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to create cases")?;
    {
        let mut w = Writer::new(&tx)?;
        for case in cases {
            w.create(case)?;
        }
    }
    // Returning early above drops `tx`, which rolls the whole batch back.
    tx.commit().context("committing new cases")
}

/// Appends `events` to a case whose head is `expected_head`, and replaces its projection.
pub(crate) fn append(
    conn: &mut Connection,
    case_id: &str,
    expected_head: u64,
    events: &[NewEvent],
    projection: &Projection,
) -> StoreResult<Vec<StoredEvent>> {
    // `immediate` takes the write lock now, so the head read below cannot be moved by another
    // writer before this transaction commits.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .with_context(|| format!("starting an append to case `{case_id}`"))?;
    let head = read_head(&tx, case_id)?.ok_or_else(|| StoreError::NotFound(case_id.into()))?;
    if head.seq != expected_head {
        return Err(StoreError::Conflict(format!(
            "case `{case_id}` has {} events, but the append expected {expected_head}",
            head.seq
        )));
    }
    let stored = stored_events(case_id, &head, events);
    {
        let mut w = Writer::new(&tx)?;
        for e in &stored {
            w.insert_event(&EventRow::from(e))?;
        }
        if let Some(last) = stored.last() {
            w.update_head(case_id, last.seq, &last.hash)?;
        }
        w.write_projection(case_id, &head.procedure, projection)?;
        w.delete_clocks(case_id)?;
        w.insert_clocks(case_id, &head.procedure, &projection.clocks)?;
    }
    tx.commit()
        .with_context(|| format!("committing an append to case `{case_id}`"))?;
    Ok(stored)
}

struct Head {
    seq: u64,
    hash: Hash,
    procedure: String,
}

fn read_head(conn: &Connection, case_id: &str) -> StoreResult<Option<Head>> {
    let doing = || format!("reading the head of case `{case_id}`");
    let row = conn
        .prepare_cached("select head_seq, head_hash, procedure from cases where id = ?1")
        .with_context(doing)?
        .query_row([case_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .optional()
        .with_context(doing)?;
    let Some((seq, hash, procedure)) = row else {
        return Ok(None);
    };
    let what = format!("head of case `{case_id}`");
    Ok(Some(Head {
        seq: from_sql_int(seq, &what)?,
        hash: hash_from(&hash, &what)?,
        procedure,
    }))
}

fn stored_events(case_id: &str, head: &Head, events: &[NewEvent]) -> Vec<StoredEvent> {
    let hashes = chain(case_id, head.seq, &head.hash, events);
    let prevs = std::iter::once(&head.hash).chain(&hashes);
    events
        .iter()
        .zip(hashes.iter().zip(prevs))
        .zip(head.seq + 1..)
        .map(|((e, (hash, prev)), seq)| StoredEvent {
            case_id: case_id.to_string(),
            seq,
            kind: e.kind.clone(),
            date: e.date,
            payload: e.payload.clone(),
            prev_hash: *prev,
            hash: *hash,
        })
        .collect()
}

/// One event row to insert, borrowed from a [`NewEvent`] or a [`StoredEvent`].
struct EventRow<'a> {
    case_id: &'a str,
    seq: u64,
    kind: &'a str,
    date: Option<NaiveDate>,
    payload: &'a str,
    prev_hash: &'a Hash,
    hash: &'a Hash,
}

impl<'a> From<&'a StoredEvent> for EventRow<'a> {
    fn from(e: &'a StoredEvent) -> Self {
        EventRow {
            case_id: &e.case_id,
            seq: e.seq,
            kind: &e.kind,
            date: e.date,
            payload: &e.payload,
            prev_hash: &e.prev_hash,
            hash: &e.hash,
        }
    }
}

const INSERT_CASE: &str = "insert into cases \
    (id, procedure, facility_key, document, header_hash, head_seq, head_hash) \
    values (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const INSERT_EVENT: &str = "insert into events \
    (case_id, seq, kind, date, payload, prev_hash, hash) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const UPDATE_HEAD: &str = "update cases set head_seq = ?2, head_hash = ?3 where id = ?1";
const REPLACE_PROJECTION: &str = "insert or replace into case_projection \
    (case_id, procedure, stage, closed, outcome, has_panel, first_date, last_date, \
     title, company, sector, state, year, workers) \
    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
const DELETE_CLOCKS: &str = "delete from running_clocks where case_id = ?1";
const INSERT_CLOCK: &str = "insert into running_clocks (case_id, procedure, clock, started, due) \
    values (?1, ?2, ?3, ?4, ?5)";

/// The write statements of one transaction, prepared once per connection and cached.
struct Writer<'c> {
    insert_case: CachedStatement<'c>,
    insert_event: CachedStatement<'c>,
    update_head: CachedStatement<'c>,
    replace_projection: CachedStatement<'c>,
    delete_clocks: CachedStatement<'c>,
    insert_clock: CachedStatement<'c>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> StoreResult<Self> {
        let prepare = |sql| conn.prepare_cached(sql).context("preparing a write");
        Ok(Writer {
            insert_case: prepare(INSERT_CASE)?,
            insert_event: prepare(INSERT_EVENT)?,
            update_head: prepare(UPDATE_HEAD)?,
            replace_projection: prepare(REPLACE_PROJECTION)?,
            delete_clocks: prepare(DELETE_CLOCKS)?,
            insert_clock: prepare(INSERT_CLOCK)?,
        })
    }

    fn create(&mut self, c: &ChainedCase<'_>) -> StoreResult<()> {
        let h = &c.case.header;
        let head_hash = c.hashes.last().unwrap_or(&c.header_hash);
        self.insert_case
            .execute(params![
                h.id,
                h.procedure,
                h.facility_key,
                h.document,
                &c.header_hash[..],
                to_sql_int(c.hashes.len() as u64),
                &head_hash[..],
            ])
            .map_err(|e| match is_duplicate_key(&e) {
                true => StoreError::Conflict(format!("case `{}` already exists", h.id)),
                false => StoreError::Other(format!("creating case `{}`: {e}", h.id)),
            })?;
        let prevs = std::iter::once(&c.header_hash).chain(&c.hashes);
        for ((e, (hash, prev)), seq) in c
            .case
            .events
            .iter()
            .zip(c.hashes.iter().zip(prevs))
            .zip(1..)
        {
            self.insert_event(&EventRow {
                case_id: &h.id,
                seq,
                kind: &e.kind,
                date: e.date,
                payload: &e.payload,
                prev_hash: prev,
                hash,
            })?;
        }
        // A new case has no clocks to delete.
        self.write_projection(&h.id, &h.procedure, &c.case.projection)?;
        self.insert_clocks(&h.id, &h.procedure, &c.case.projection.clocks)
    }

    fn insert_event(&mut self, e: &EventRow<'_>) -> StoreResult<()> {
        self.insert_event
            .execute(params![
                e.case_id,
                to_sql_int(e.seq),
                e.kind,
                opt_date_text(e.date),
                e.payload,
                &e.prev_hash[..],
                &e.hash[..],
            ])
            .with_context(|| format!("storing event {} of case `{}`", e.seq, e.case_id))?;
        Ok(())
    }

    fn update_head(&mut self, case_id: &str, seq: u64, hash: &Hash) -> StoreResult<()> {
        self.update_head
            .execute(params![case_id, to_sql_int(seq), &hash[..]])
            .with_context(|| format!("moving the head of case `{case_id}`"))?;
        Ok(())
    }

    /// Writes the projection row, replacing the case's previous one.
    fn write_projection(
        &mut self,
        case_id: &str,
        procedure: &str,
        p: &Projection,
    ) -> StoreResult<()> {
        let f = &p.facets;
        self.replace_projection
            .execute(params![
                case_id,
                procedure,
                p.stage,
                p.closed,
                p.outcome,
                p.has_panel,
                opt_date_text(p.first_date),
                opt_date_text(p.last_date),
                f.title,
                f.company,
                f.sector,
                f.state,
                f.year,
                f.workers,
            ])
            .with_context(|| format!("storing the projection of case `{case_id}`"))?;
        Ok(())
    }

    fn delete_clocks(&mut self, case_id: &str) -> StoreResult<()> {
        self.delete_clocks
            .execute([case_id])
            .with_context(|| format!("deleting the running clocks of case `{case_id}`"))?;
        Ok(())
    }

    fn insert_clocks(
        &mut self,
        case_id: &str,
        procedure: &str,
        clocks: &[ProjectedClock],
    ) -> StoreResult<()> {
        let doing = || format!("storing the running clocks of case `{case_id}`");
        for c in clocks {
            self.insert_clock
                .execute(params![
                    case_id,
                    procedure,
                    c.clock,
                    opt_date_text(c.started),
                    DateText::of(c.due)
                ])
                .with_context(doing)?;
        }
        Ok(())
    }
}
