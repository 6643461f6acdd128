//! [`rrm_store::AuditLog`] on the `audit_log` table of migration 0005. Appends happen inside
//! the caller's transaction (a file's custody commits with the file), chained from the head
//! read in that same transaction, which holds sqlite's write lock, so two writers never fork it.

use rusqlite::{params, Connection, Row, TransactionBehavior};

use rrm_store::{
    audit_hash, check_audit_chain, AuditEntry, AuditFilter, AuditReport, Hash, NewAuditEntry,
    StoreResult,
};

use super::time::{parse_time, time_text};
use crate::codec::{from_sql_int, hash_from, to_sql_int};
use crate::sql_error::Context;

/// Appends `entries` in the open transaction `conn`.
pub(super) fn append_in(
    conn: &Connection,
    entries: &[NewAuditEntry],
) -> StoreResult<Vec<AuditEntry>> {
    let doing = "appending to the audit log";
    let head: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("select seq, hash from audit_log order by seq desc limit 1")
        .context(doing)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .context(doing)?;
    let (mut seq, mut prev): (u64, Hash) = match head {
        Some((seq, hash)) => (
            from_sql_int(seq, "audit head")?,
            hash_from(&hash, "audit head")?,
        ),
        None => (0, [0; 32]),
    };
    let mut stored = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let hash = audit_hash(&prev, seq, e);
        conn.prepare_cached(
            "insert into audit_log (seq, at, actor, action, case_id, subject, detail, prev_hash, hash) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .context(doing)?
        .execute(params![
            to_sql_int(seq),
            time_text(e.at),
            e.actor,
            e.action,
            e.case_id,
            e.subject,
            e.detail,
            &prev[..],
            &hash[..]
        ])
        .context(doing)?;
        stored.push(AuditEntry {
            seq,
            entry: e.clone(),
            prev_hash: prev,
            hash,
        });
        prev = hash;
    }
    Ok(stored)
}

pub(super) fn append(
    conn: &mut Connection,
    entries: &[NewAuditEntry],
) -> StoreResult<Vec<AuditEntry>> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting an audit append")?;
    let stored = append_in(&tx, entries)?;
    tx.commit().context("committing an audit append")?;
    Ok(stored)
}

const COLUMNS: &str = "seq, at, actor, action, case_id, subject, detail, prev_hash, hash";

type RawEntry = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Vec<u8>,
    Vec<u8>,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn decode(
    (seq, at, actor, action, case_id, subject, detail, prev, hash): RawEntry,
) -> StoreResult<AuditEntry> {
    let what = format!("audit entry {seq}");
    Ok(AuditEntry {
        seq: from_sql_int(seq, &what)?,
        entry: NewAuditEntry {
            at: parse_time(&at, &what)?,
            actor,
            action,
            case_id,
            subject,
            detail,
        },
        prev_hash: hash_from(&prev, &what)?,
        hash: hash_from(&hash, &what)?,
    })
}

pub(super) fn entries(conn: &Connection, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
    let doing = "reading the audit log";
    let sql = format!(
        "select {COLUMNS} from audit_log where (?1 is null or case_id = ?1) \
         and (?2 is null or action = ?2) and seq > ?3 order by seq limit ?4"
    );
    let limit = f.limit.map_or(-1, to_sql_int);
    let mut stmt = conn.prepare_cached(&sql).context(doing)?;
    let rows = stmt
        .query_map(
            params![
                f.case_id,
                f.action,
                to_sql_int(f.after_seq.unwrap_or(0)),
                limit
            ],
            raw,
        )
        .context(doing)?;
    rows.map(|r| decode(r.context(doing)?)).collect()
}

pub(super) fn verify(conn: &Connection) -> StoreResult<AuditReport> {
    let all = entries(conn, &AuditFilter::default())?;
    Ok(check_audit_chain(all))
}
