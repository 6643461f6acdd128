//! Reading: a case header, its events, running deadlines by due date, repeat determinations
//! for a facility, and counts. Listing cases is in `list.rs`, checking chains in `verify.rs`.

use postgres::types::ToSql;
use postgres::{Client, Row};

use rrm_store::{
    CaseHeader, DeadlineQuery, DeadlineRow, StoreError, StoreResult, StoreStats, StoredCase,
    StoredEvent,
};

use crate::error::{from_sql_int, hash_from, to_sql_int, Context};

pub(crate) fn case(client: &mut Client, case_id: &str) -> StoreResult<Option<StoredCase>> {
    let doing = || format!("reading case `{case_id}`");
    let sql = "select procedure, facility_key, document, head_seq, head_hash \
               from cases where id = $1";
    let Some(row) = client.query_opt(sql, &[&case_id]).with_context(doing)? else {
        return Ok(None);
    };
    let what = format!("head of case `{case_id}`");
    Ok(Some(StoredCase {
        header: CaseHeader {
            id: case_id.to_string(),
            procedure: row.get(0),
            facility_key: row.get(1),
            document: row.get(2),
        },
        head_seq: from_sql_int(row.get(3), &what)?,
        head_hash: hash_from(row.get(4), &what)?,
    }))
}

/// Every event of a case in order; none for an unknown case.
pub(crate) fn events(client: &mut Client, case_id: &str) -> StoreResult<Vec<StoredEvent>> {
    let doing = || format!("reading the events of case `{case_id}`");
    let sql = "select seq, kind, date, payload, prev_hash, hash \
               from events where case_id = $1 order by seq";
    let rows = client.query(sql, &[&case_id]).with_context(doing)?;
    rows.iter().map(|r| decode_event(case_id, r)).collect()
}

fn decode_event(case_id: &str, r: &Row) -> StoreResult<StoredEvent> {
    let seq: i64 = r.get(0);
    let what = format!("event {seq} of case `{case_id}`");
    Ok(StoredEvent {
        case_id: case_id.to_string(),
        seq: from_sql_int(seq, &what)?,
        kind: r.get(1),
        date: r.get(2),
        payload: r.get(3),
        prev_hash: hash_from(r.get(4), &what)?,
        hash: hash_from(r.get(5), &what)?,
    })
}

/// Running deadlines due in the query's range, by due date, case and clock.
pub(crate) fn deadlines(client: &mut Client, q: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>> {
    // Only the bounds the query has become conditions, so the planner sees a plain range.
    let mut sql = String::from(
        "select case_id, procedure, clock, started, due from running_clocks where true",
    );
    let mut args: Vec<&(dyn ToSql + Sync)> = Vec::new();
    if let Some(from) = &q.due_from {
        args.push(from);
        sql.push_str(&format!(" and due >= ${}", args.len()));
    }
    if let Some(to) = &q.due_to {
        args.push(to);
        sql.push_str(&format!(" and due <= ${}", args.len()));
    }
    if let Some(case_id) = &q.case_id {
        args.push(case_id);
        sql.push_str(&format!(" and case_id = ${}", args.len()));
    }
    let limit = to_sql_int(q.limit);
    args.push(&limit);
    sql.push_str(&format!(
        " order by due, case_id, clock limit ${}",
        args.len()
    ));
    let rows = client
        .query(&sql, &args)
        .context("listing running deadlines")?;
    Ok(rows
        .iter()
        .map(|r| DeadlineRow {
            case_id: r.get(0),
            procedure: r.get(1),
            clock: r.get(2),
            started: r.get(3),
            due: r.get(4),
        })
        .collect())
}

/// Panel determinations that found a denial, in the facility's cases other than one.
pub(crate) fn denial_determinations(
    client: &mut Client,
    facility_key: &str,
    excluding_case: &str,
) -> StoreResult<u32> {
    // The payload is parsed only for panel determinations (`case` evaluates in order), so a
    // payload of another kind that is not json cannot fail the count.
    let sql = "select count(*) from cases c join events e on e.case_id = c.id \
               where c.facility_key = $1 and c.id <> $2 \
               and e.kind = 'panel_determination' \
               and case when e.kind = 'panel_determination' \
                   then (e.payload::jsonb -> 'denial_found') = 'true'::jsonb end";
    let doing = || format!("counting denial determinations for facility `{facility_key}`");
    let n: i64 = client
        .query_one(sql, &[&facility_key, &excluding_case])
        .with_context(doing)?
        .get(0);
    u32::try_from(n).map_err(|_| StoreError::Other(format!("{}: count {n}", doing())))
}

pub(crate) fn stats(client: &mut Client) -> StoreResult<StoreStats> {
    // Events are counted from the case heads: counting 10 million rows of `events` would read
    // the whole table, and whether the heads tell the truth is `verify`'s question. Bytes are
    // those of this schema's tables with their indexes and toast, not the whole database's.
    let sql = "select \
        (select count(*) from cases), \
        (select coalesce(sum(head_seq), 0)::bigint from cases), \
        (select count(*) from case_projection where not closed), \
        (select count(*) from running_clocks), \
        (select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint from pg_class c \
         where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r')";
    let doing = "reading store statistics";
    let row = client.query_one(sql, &[]).context(doing)?;
    let n = |i: usize| from_sql_int(row.get(i), doing);
    Ok(StoreStats {
        cases: n(0)?,
        events: n(1)?,
        open_cases: n(2)?,
        running_deadlines: n(3)?,
        bytes_on_disk: n(4)?,
    })
}
