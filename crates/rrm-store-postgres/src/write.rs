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
    create_in(&mut tx, cases)?;
    // Returning early above drops `tx`, which rolls the whole batch back.
    tx.commit().context("committing new cases")
}

/// Stores new cases inside the caller's write transaction (a batch, or a petition with its
/// submission and evidence). Each table gets one statement for the whole batch, its rows as
/// arrays (`unnest`): a statement per row costs a round trip each, which made an import ten
/// times slower than SQLite's.
pub(crate) fn create_in(tx: &mut Transaction<'_>, cases: &[ChainedCase<'_>]) -> StoreResult<()> {
    if cases.is_empty() {
        return Ok(());
    }
    insert_headers(tx, cases)?;
    let events: Vec<&StoredEvent> = cases.iter().flat_map(|c| &c.events).collect();
    insert_event_rows(tx, &events)?;
    let projections: Vec<(&str, &str, &Projection)> = cases
        .iter()
        .map(|c| {
            (
                c.case.header.id.as_str(),
                c.case.header.procedure.as_str(),
                &c.case.projection,
            )
        })
        .collect();
    insert_projections(tx, &projections)?;
    let clocks: Vec<(&str, &str, &ProjectedClock)> = projections
        .iter()
        .flat_map(|(id, procedure, p)| p.clocks.iter().map(move |c| (*id, *procedure, c)))
        .collect();
    insert_clock_rows(tx, &clocks)
}

fn insert_headers(tx: &mut Transaction<'_>, cases: &[ChainedCase<'_>]) -> StoreResult<()> {
    let column = |f: &dyn Fn(&ChainedCase<'_>) -> Option<String>| -> Vec<Option<String>> {
        cases.iter().map(f).collect()
    };
    let ids = column(&|c| Some(c.case.header.id.clone()));
    let procedures = column(&|c| Some(c.case.header.procedure.clone()));
    let facilities = column(&|c| c.case.header.facility_key.clone());
    let documents = column(&|c| Some(c.case.header.document.clone()));
    let header_hashes: Vec<&[u8]> = cases.iter().map(|c| &c.header_hash[..]).collect();
    let head_seqs: Vec<i64> = cases
        .iter()
        .map(|c| to_sql_int(c.events.len() as u64))
        .collect();
    let head_hashes: Vec<&[u8]> = cases
        .iter()
        .map(|c| &c.events.last().map_or(&c.header_hash, |e| &e.hash)[..])
        .collect();
    let inserted = tx.execute(
        "insert into cases \
         (id, procedure, facility_key, document, header_hash, head_seq, head_hash) \
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], \
                              $6::bigint[], $7::bytea[])",
        &[
            &ids,
            &procedures,
            &facilities,
            &documents,
            &header_hashes,
            &head_seqs,
            &head_hashes,
        ],
    );
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_duplicate_key(&e) => Err(StoreError::Conflict(duplicate(cases, &e))),
        Err(e) => Err(StoreError::Other(format!(
            "creating {} cases: {e}",
            cases.len()
        ))),
    }
}

/// Which case of a refused batch was the duplicate, for the message: the batch names it
/// twice, or it exists (PostgreSQL's detail names the key: `Key (id)=(x) already exists.`).
fn duplicate(cases: &[ChainedCase<'_>], e: &postgres::Error) -> String {
    let mut seen = std::collections::HashSet::new();
    if let Some(c) = cases
        .iter()
        .find(|c| !seen.insert(c.case.header.id.as_str()))
    {
        return format!("case `{}` appears twice in the batch", c.case.header.id);
    }
    let named = e.as_db_error().and_then(|d| d.detail()).and_then(|d| {
        d.split_once("=(")?
            .1
            .split_once(')')
            .map(|(id, _)| id.to_string())
    });
    match named {
        Some(id) => format!("case `{id}` already exists"),
        None => format!("a case of the batch of {} already exists", cases.len()),
    }
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
    insert_event_rows(&mut tx, &stored.iter().collect::<Vec<_>>())?;
    if let Some(last) = stored.last() {
        tx.execute(
            "update cases set head_seq = $2, head_hash = $3 where id = $1",
            &[&case_id, &to_sql_int(last.seq), &&last.hash[..]],
        )
        .with_context(|| format!("moving the head of case `{case_id}`"))?;
    }
    insert_projections(&mut tx, &[(case_id, &head.procedure, projection)])?;
    tx.execute("delete from running_clocks where case_id = $1", &[&case_id])
        .with_context(|| format!("clearing the clocks of case `{case_id}`"))?;
    let clocks: Vec<_> = projection
        .clocks
        .iter()
        .map(|c| (case_id, head.procedure.as_str(), c))
        .collect();
    insert_clock_rows(&mut tx, &clocks)?;
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

fn insert_event_rows(tx: &mut Transaction<'_>, events: &[&StoredEvent]) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let case_ids: Vec<&str> = events.iter().map(|e| e.case_id.as_str()).collect();
    let seqs: Vec<i64> = events.iter().map(|e| to_sql_int(e.seq)).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let dates: Vec<Option<chrono::NaiveDate>> = events.iter().map(|e| e.date).collect();
    let payloads: Vec<&str> = events.iter().map(|e| e.payload.as_str()).collect();
    let prev: Vec<&[u8]> = events.iter().map(|e| &e.prev_hash[..]).collect();
    let hashes: Vec<&[u8]> = events.iter().map(|e| &e.hash[..]).collect();
    tx.execute(
        "insert into events (case_id, seq, kind, date, payload, prev_hash, hash) \
         select * from unnest($1::text[], $2::bigint[], $3::text[], $4::date[], $5::text[], \
                              $6::bytea[], $7::bytea[])",
        &[&case_ids, &seqs, &kinds, &dates, &payloads, &prev, &hashes],
    )
    .with_context(|| format!("storing {} events of case `{}`", events.len(), case_ids[0]))?;
    Ok(())
}

/// Writes (or replaces) the projections of cases, one statement for all.
fn insert_projections(
    tx: &mut Transaction<'_>,
    rows: &[(&str, &str, &Projection)],
) -> StoreResult<()> {
    let text = |f: &dyn Fn(&Projection) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|(_, _, p)| f(p)).collect()
    };
    let ids: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let procedures: Vec<&str> = rows.iter().map(|r| r.1).collect();
    let stages = text(&|p| Some(p.stage.clone()));
    let closed: Vec<bool> = rows.iter().map(|r| r.2.closed).collect();
    let outcomes = text(&|p| p.outcome.clone());
    let panels: Vec<bool> = rows.iter().map(|r| r.2.has_panel).collect();
    let firsts: Vec<Option<chrono::NaiveDate>> = rows.iter().map(|r| r.2.first_date).collect();
    let lasts: Vec<Option<chrono::NaiveDate>> = rows.iter().map(|r| r.2.last_date).collect();
    let titles = text(&|p| Some(p.facets.title.clone()));
    let companies = text(&|p| p.facets.company.clone());
    let sectors = text(&|p| p.facets.sector.clone());
    let states = text(&|p| p.facets.state.clone());
    let years: Vec<Option<i32>> = rows.iter().map(|r| r.2.facets.year).collect();
    let workers: Vec<Option<i64>> = rows.iter().map(|r| r.2.facets.workers).collect();
    tx.execute(
        "insert into case_projection \
         (case_id, procedure, stage, closed, outcome, has_panel, first_date, last_date, \
          title, company, sector, state, year, workers) \
         select * from unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], \
                              $6::bool[], $7::date[], $8::date[], $9::text[], $10::text[], \
                              $11::text[], $12::text[], $13::int[], $14::bigint[]) \
         on conflict (case_id) do update set \
          procedure = excluded.procedure, stage = excluded.stage, closed = excluded.closed, \
          outcome = excluded.outcome, has_panel = excluded.has_panel, \
          first_date = excluded.first_date, last_date = excluded.last_date, \
          title = excluded.title, company = excluded.company, sector = excluded.sector, \
          state = excluded.state, year = excluded.year, workers = excluded.workers",
        &[
            &ids,
            &procedures,
            &stages,
            &closed,
            &outcomes,
            &panels,
            &firsts,
            &lasts,
            &titles,
            &companies,
            &sectors,
            &states,
            &years,
            &workers,
        ],
    )
    .with_context(|| format!("writing the projection of case `{}`", ids[0]))?;
    Ok(())
}

/// Indexes running clocks by due date, one statement for all.
fn insert_clock_rows(
    tx: &mut Transaction<'_>,
    clocks: &[(&str, &str, &ProjectedClock)],
) -> StoreResult<()> {
    if clocks.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = clocks.iter().map(|c| c.0).collect();
    let procedures: Vec<&str> = clocks.iter().map(|c| c.1).collect();
    let names: Vec<&str> = clocks.iter().map(|c| c.2.clock.as_str()).collect();
    let started: Vec<Option<chrono::NaiveDate>> = clocks.iter().map(|c| c.2.started).collect();
    let due: Vec<chrono::NaiveDate> = clocks.iter().map(|c| c.2.due).collect();
    tx.execute(
        "insert into running_clocks (case_id, procedure, clock, started, due) \
         select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[])",
        &[&ids, &procedures, &names, &started, &due],
    )
    .with_context(|| format!("indexing the clocks of case `{}`", ids[0]))?;
    Ok(())
}
