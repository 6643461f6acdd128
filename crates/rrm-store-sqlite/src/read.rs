//! Reading: a case header, its events, running deadlines by due date, repeat determinations
//! for a facility, and counts. Listing cases is in `list.rs`, checking chains in `verify.rs`.

use rusqlite::{params_from_iter, types::Value, Connection, OptionalExtension, Row};

use rrm_store::{
    CaseHeader, DeadlineQuery, DeadlineRow, ProjectedClock, StoreError, StoreResult, StoreStats,
    StoredCase, StoredEvent,
};

use crate::codec::{date_text, from_sql_int, hash_from, parse_date, parse_opt_date, to_sql_int};
use crate::sql_error::Context;

pub(crate) fn case(conn: &Connection, case_id: &str) -> StoreResult<Option<StoredCase>> {
    let doing = || format!("reading case `{case_id}`");
    let sql = "select procedure, facility_key, document, head_seq, head_hash \
               from cases where id = ?1";
    let row = conn
        .prepare_cached(sql)
        .with_context(doing)?
        .query_row([case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Vec<u8>>(4)?,
            ))
        })
        .optional()
        .with_context(doing)?;
    let Some((procedure, facility_key, document, head_seq, head_hash)) = row else {
        return Ok(None);
    };
    let what = format!("head of case `{case_id}`");
    Ok(Some(StoredCase {
        header: CaseHeader {
            id: case_id.to_string(),
            procedure,
            facility_key,
            document,
        },
        head_seq: from_sql_int(head_seq, &what)?,
        head_hash: hash_from(&head_hash, &what)?,
    }))
}

/// Every event of a case in order; none for an unknown case.
pub(crate) fn events(conn: &Connection, case_id: &str) -> StoreResult<Vec<StoredEvent>> {
    let doing = || format!("reading the events of case `{case_id}`");
    let sql = "select seq, kind, date, payload, prev_hash, hash \
               from events where case_id = ?1 order by seq";
    let mut stmt = conn.prepare_cached(sql).with_context(doing)?;
    let mut rows = stmt.query([case_id]).with_context(doing)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().with_context(doing)? {
        out.push(RawEvent::read(row).with_context(doing)?.decode(case_id)?);
    }
    Ok(out)
}

/// An event row as SQLite gives it, before its values are checked.
struct RawEvent {
    seq: i64,
    kind: String,
    date: Option<String>,
    payload: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl RawEvent {
    fn read(r: &Row<'_>) -> rusqlite::Result<RawEvent> {
        Ok(RawEvent {
            seq: r.get(0)?,
            kind: r.get(1)?,
            date: r.get(2)?,
            payload: r.get(3)?,
            prev_hash: r.get(4)?,
            hash: r.get(5)?,
        })
    }

    fn decode(self, case_id: &str) -> StoreResult<StoredEvent> {
        let what = format!("event {} of case `{case_id}`", self.seq);
        Ok(StoredEvent {
            case_id: case_id.to_string(),
            seq: from_sql_int(self.seq, &what)?,
            kind: self.kind,
            date: parse_opt_date(self.date, &what)?,
            payload: self.payload,
            prev_hash: hash_from(&self.prev_hash, &what)?,
            hash: hash_from(&self.hash, &what)?,
        })
    }
}

/// The running clocks of one case, by due date then name.
pub(crate) fn clocks_of(conn: &Connection, case_id: &str) -> StoreResult<Vec<ProjectedClock>> {
    let doing = || format!("reading the running clocks of case `{case_id}`");
    let sql = "select clock, started, due from running_clocks \
               where case_id = ?1 order by due, clock";
    let mut stmt = conn.prepare_cached(sql).with_context(doing)?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
        })
        .with_context(doing)?;
    let what = format!("running clock of case `{case_id}`");
    rows.map(|row| {
        let (clock, started, due) = row.with_context(doing)?;
        Ok(ProjectedClock {
            clock,
            started: parse_opt_date(started, &what)?,
            due: parse_date(&due, &what)?,
        })
    })
    .collect()
}

/// Running deadlines due in the query's range, by due date, case and clock.
pub(crate) fn deadlines(conn: &Connection, q: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>> {
    // Only the bounds the query has become conditions: `?1 is null or due >= ?1` would keep
    // SQLite from using the index on `due`.
    let mut sql =
        String::from("select case_id, procedure, clock, started, due from running_clocks where 1");
    let mut args = Vec::new();
    if let Some(from) = q.due_from {
        sql.push_str(" and due >= ?");
        args.push(Value::Text(date_text(from)));
    }
    if let Some(to) = q.due_to {
        sql.push_str(" and due <= ?");
        args.push(Value::Text(date_text(to)));
    }
    if let Some(case_id) = &q.case_id {
        sql.push_str(" and case_id = ?");
        args.push(Value::Text(case_id.clone()));
    }
    sql.push_str(" order by due, case_id, clock limit ?");
    args.push(Value::Integer(to_sql_int(q.limit)));
    let doing = "listing running deadlines";
    let mut stmt = conn.prepare_cached(&sql).context(doing)?;
    let rows = stmt
        .query_map(params_from_iter(args), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .context(doing)?;
    rows.map(|row| {
        let (case_id, procedure, clock, started, due): (String, _, _, _, _) = row.context(doing)?;
        let what = format!("running clock of case `{case_id}`");
        Ok(DeadlineRow {
            started: parse_opt_date(started, &what)?,
            due: parse_date(&due, &what)?,
            case_id,
            procedure,
            clock,
        })
    })
    .collect()
}

/// Panel determinations that found a denial, in the facility's cases other than one.
pub(crate) fn denial_determinations(
    conn: &Connection,
    facility_key: &str,
    excluding_case: &str,
) -> StoreResult<u32> {
    let sql = "select count(*) from cases c join events e on e.case_id = c.id \
               where c.facility_key = ?1 and c.id <> ?2 \
               and e.kind = 'panel_determination' \
               and json_extract(e.payload, '$.denial_found') = 1";
    let doing = || format!("counting denial determinations for facility `{facility_key}`");
    let n: i64 = conn
        .prepare_cached(sql)
        .with_context(doing)?
        .query_row([facility_key, excluding_case], |r| r.get(0))
        .with_context(doing)?;
    u32::try_from(n).map_err(|_| StoreError::Other(format!("{}: count {n}", doing())))
}

pub(crate) fn stats(conn: &Connection) -> StoreResult<StoreStats> {
    // Events are counted from the case heads: counting 10 million rows of `events` would read
    // the whole table, and whether the heads tell the truth is `verify`'s question.
    let sql = "select \
        (select count(*) from cases), \
        (select coalesce(sum(head_seq), 0) from cases), \
        (select count(*) from case_projection where closed = 0), \
        (select count(*) from running_clocks), \
        (select page_count * page_size from pragma_page_count(), pragma_page_size())";
    let doing = "reading store statistics";
    let counts: [i64; 5] = conn
        .prepare_cached(sql)
        .context(doing)?
        .query_row([], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
        })
        .context(doing)?;
    let [cases, events, open_cases, running_deadlines, bytes_on_disk] =
        counts.map(|n| from_sql_int(n, doing));
    Ok(StoreStats {
        cases: cases?,
        events: events?,
        open_cases: open_cases?,
        running_deadlines: running_deadlines?,
        bytes_on_disk: bytes_on_disk?,
    })
}
