//! Writing: new cases in batches, and appends that check the head they extend. Each call is
//! one transaction, so a case, its events, its projection and its clocks are stored together.

use postgres::{Client, Transaction};

use rrm_store::{
    event_hash, header_hash, Hash, NewCase, NewEvent, ProjectedClock, Projection, StoreError,
    StoreResult, StoredEvent,
};

use crate::error::{from_sql_int, hash_from, is_duplicate_key, to_sql_int, Context};
use crate::version::begin_write;

/// A new case with its chain already computed.
pub(crate) struct ChainedCase<'a> {
    case: &'a NewCase,
    header_hash: Hash,
    /// The stored form of each event, in order.
    events: Vec<StoredEvent>,
}

/// Computes the chains of new cases; needs no database, so callers run it outside the lock.
pub(crate) fn chain_cases(cases: &[NewCase]) -> Vec<ChainedCase<'_>> {
    cases
        .iter()
        .map(|case| {
            let h = &case.header;
            let header_hash = header_hash(&h.id, &h.procedure, &h.document);
            let events = chain(&h.id, 0, &header_hash, &case.events);
            ChainedCase {
                case,
                header_hash,
                events,
            }
        })
        .collect()
}

/// The stored form of `events` appended after event `head_seq`, whose hash is `head_hash`.
fn chain(case_id: &str, head_seq: u64, head_hash: &Hash, events: &[NewEvent]) -> Vec<StoredEvent> {
    let mut prev = *head_hash;
    events
        .iter()
        .zip(head_seq + 1..)
        .map(|(e, seq)| {
            let date = e.date.map(|d| d.to_string());
            let hash = event_hash(&prev, case_id, seq, &e.kind, date.as_deref(), &e.payload);
            let stored = StoredEvent {
                case_id: case_id.to_string(),
                seq,
                kind: e.kind.clone(),
                date: e.date,
                payload: e.payload.clone(),
                prev_hash: prev,
                hash,
            };
            prev = hash;
            stored
        })
        .collect()
}

/// Stores new cases, all or none: a duplicate id anywhere in the batch writes nothing.
pub(crate) fn create_cases(client: &mut Client, cases: &[ChainedCase<'_>]) -> StoreResult<()> {
    let mut tx = begin_write(client, "creating cases")?;
    for case in cases {
        create_in(&mut tx, case)?;
    }
    // Returning early above drops `tx`, which rolls the whole batch back.
    tx.commit().context("committing new cases")
}

/// Stores one new case inside the caller's write transaction (a batch, or a petition with
/// its submission and evidence).
pub(crate) fn create_in(tx: &mut Transaction<'_>, c: &ChainedCase<'_>) -> StoreResult<()> {
    let h = &c.case.header;
    let head_hash = c.events.last().map_or(&c.header_hash, |e| &e.hash);
    let head_seq = to_sql_int(c.events.len() as u64);
    tx.execute(
        "insert into cases \
         (id, procedure, facility_key, document, header_hash, head_seq, head_hash) \
         values ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &h.id,
            &h.procedure,
            &h.facility_key,
            &h.document,
            &&c.header_hash[..],
            &head_seq,
            &&head_hash[..],
        ],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict(format!("case `{}` already exists", h.id)),
        false => StoreError::Other(format!("creating case `{}`: {e}", h.id)),
    })?;
    insert_events(tx, &c.events)?;
    // A new case has no clocks to delete.
    write_projection(tx, &h.id, &h.procedure, &c.case.projection)?;
    insert_clocks(tx, &h.id, &h.procedure, &c.case.projection.clocks)
}

/// Appends `events` to a case whose head is `expected_head`, and replaces its projection.
pub(crate) fn append(
    client: &mut Client,
    case_id: &str,
    expected_head: u64,
    events: &[NewEvent],
    projection: &Projection,
) -> StoreResult<Vec<StoredEvent>> {
    let mut tx = begin_write(client, &format!("an append to case `{case_id}`"))?;
    let head = lock_head(&mut tx, case_id)?.ok_or_else(|| StoreError::NotFound(case_id.into()))?;
    if head.seq != expected_head {
        return Err(StoreError::Conflict(format!(
            "case `{case_id}` has {} events, but the append expected {expected_head}",
            head.seq
        )));
    }
    let stored = chain(case_id, head.seq, &head.hash, events);
    insert_events(&mut tx, &stored)?;
    if let Some(last) = stored.last() {
        tx.execute(
            "update cases set head_seq = $2, head_hash = $3 where id = $1",
            &[&case_id, &to_sql_int(last.seq), &&last.hash[..]],
        )
        .with_context(|| format!("moving the head of case `{case_id}`"))?;
    }
    write_projection(&mut tx, case_id, &head.procedure, projection)?;
    tx.execute("delete from running_clocks where case_id = $1", &[&case_id])
        .with_context(|| format!("clearing the clocks of case `{case_id}`"))?;
    insert_clocks(&mut tx, case_id, &head.procedure, &projection.clocks)?;
    tx.commit()
        .with_context(|| format!("committing an append to case `{case_id}`"))?;
    Ok(stored)
}

struct Head {
    seq: u64,
    hash: Hash,
    procedure: String,
}

/// Reads the head of a case and locks its row until the transaction ends: a concurrent
/// append waits here, then reads the head this one leaves.
fn lock_head(tx: &mut Transaction<'_>, case_id: &str) -> StoreResult<Option<Head>> {
    let row = tx
        .query_opt(
            "select head_seq, head_hash, procedure from cases where id = $1 for update",
            &[&case_id],
        )
        .with_context(|| format!("reading the head of case `{case_id}`"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let what = format!("head of case `{case_id}`");
    Ok(Some(Head {
        seq: from_sql_int(row.get(0), &what)?,
        hash: hash_from(row.get(1), &what)?,
        procedure: row.get(2),
    }))
}

fn insert_events(tx: &mut Transaction<'_>, events: &[StoredEvent]) -> StoreResult<()> {
    let stmt = tx
        .prepare(
            "insert into events (case_id, seq, kind, date, payload, prev_hash, hash) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .context("preparing to store events")?;
    for e in events {
        tx.execute(
            &stmt,
            &[
                &e.case_id,
                &to_sql_int(e.seq),
                &e.kind,
                &e.date,
                &e.payload,
                &&e.prev_hash[..],
                &&e.hash[..],
            ],
        )
        .with_context(|| format!("storing event {} of case `{}`", e.seq, e.case_id))?;
    }
    Ok(())
}

fn write_projection(
    tx: &mut Transaction<'_>,
    case_id: &str,
    procedure: &str,
    p: &Projection,
) -> StoreResult<()> {
    let f = &p.facets;
    tx.execute(
        "insert into case_projection \
         (case_id, procedure, stage, closed, outcome, has_panel, first_date, last_date, \
          title, company, sector, state, year, workers) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         on conflict (case_id) do update set \
          procedure = excluded.procedure, stage = excluded.stage, closed = excluded.closed, \
          outcome = excluded.outcome, has_panel = excluded.has_panel, \
          first_date = excluded.first_date, last_date = excluded.last_date, \
          title = excluded.title, company = excluded.company, sector = excluded.sector, \
          state = excluded.state, year = excluded.year, workers = excluded.workers",
        &[
            &case_id,
            &procedure,
            &p.stage,
            &p.closed,
            &p.outcome,
            &p.has_panel,
            &p.first_date,
            &p.last_date,
            &f.title,
            &f.company,
            &f.sector,
            &f.state,
            &f.year,
            &f.workers,
        ],
    )
    .with_context(|| format!("writing the projection of case `{case_id}`"))?;
    Ok(())
}

fn insert_clocks(
    tx: &mut Transaction<'_>,
    case_id: &str,
    procedure: &str,
    clocks: &[ProjectedClock],
) -> StoreResult<()> {
    for c in clocks {
        tx.execute(
            "insert into running_clocks (case_id, procedure, clock, started, due) \
             values ($1, $2, $3, $4, $5)",
            &[&case_id, &procedure, &c.clock, &c.started, &c.due],
        )
        .with_context(|| format!("indexing clock `{}` of case `{case_id}`", c.clock))?;
    }
    Ok(())
}
