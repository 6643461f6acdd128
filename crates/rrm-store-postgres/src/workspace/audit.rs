//! [`rrm_store::AuditLog`] on the `audit_log` table. Appends happen inside the caller's write
//! transaction (a file's custody commits with the file), chained from the head read in that
//! same transaction *after* `crate::version::begin_write` took the `store_version` row lock:
//! a second server appending at the same time waits on that lock, then reads the head this
//! one left, so the installation's log stays one chain.

use postgres::{Client, Row, Transaction};

use rrm_store::{
    audit_hash, check_audit_chain, AuditEntry, AuditFilter, AuditReport, Hash, NewAuditEntry,
    StoreResult,
};

use super::time::{parse_time, time_text};
use crate::error::{col, from_sql_int, hash_col, to_sql_int, Context};
use crate::version::begin_write;

/// Appends `entries` in the open write transaction `tx`, which must have been begun by
/// `begin_write` (it holds the lock that keeps the head from moving).
pub(crate) fn append_in(
    tx: &mut Transaction<'_>,
    entries: &[NewAuditEntry],
) -> StoreResult<Vec<AuditEntry>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let doing = "appending to the audit log";
    let head = tx
        .query_opt(
            "select seq, hash from audit_log order by seq desc limit 1",
            &[],
        )
        .context(doing)?;
    let (mut seq, mut prev): (u64, Hash) = match head {
        Some(row) => (
            from_sql_int(col(&row, 0, "the audit head")?, "the audit head")?,
            hash_col(&row, 1, "the audit head")?,
        ),
        None => (0, [0; 32]),
    };
    let stmt = tx
        .prepare(
            "insert into audit_log \
             (seq, at, actor, action, case_id, subject, detail, prev_hash, hash) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .context(doing)?;
    let mut stored = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let hash = audit_hash(&prev, seq, e);
        tx.execute(
            &stmt,
            &[
                &to_sql_int(seq),
                &time_text(e.at),
                &e.actor,
                &e.action,
                &e.case_id,
                &e.subject,
                &e.detail,
                &&prev[..],
                &&hash[..],
            ],
        )
        .with_context(|| format!("appending audit entry {seq}"))?;
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
    client: &mut Client,
    entries: &[NewAuditEntry],
) -> StoreResult<Vec<AuditEntry>> {
    let mut tx = begin_write(client, "an audit append")?;
    let stored = append_in(&mut tx, entries)?;
    tx.commit().context("committing an audit append")?;
    Ok(stored)
}

const COLUMNS: &str = "seq, at, actor, action, case_id, subject, detail, prev_hash, hash";

fn decode(row: &Row) -> StoreResult<AuditEntry> {
    let seq: i64 = col(row, 0, "an audit entry")?;
    let what = format!("audit entry {seq}");
    Ok(AuditEntry {
        seq: from_sql_int(seq, &what)?,
        entry: NewAuditEntry {
            at: parse_time(col(row, 1, &what)?, &what)?,
            actor: col(row, 2, &what)?,
            action: col(row, 3, &what)?,
            case_id: col(row, 4, &what)?,
            subject: col(row, 5, &what)?,
            detail: col(row, 6, &what)?,
        },
        prev_hash: hash_col(row, 7, &what)?,
        hash: hash_col(row, 8, &what)?,
    })
}

pub(super) fn entries(client: &mut Client, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
    let sql = format!(
        "select {COLUMNS} from audit_log where ($1::text is null or case_id = $1) \
         and ($2::text is null or action = $2) and seq > $3 order by seq limit $4"
    );
    // `limit null` is no limit.
    let limit = f.limit.map(to_sql_int);
    let after = to_sql_int(f.after_seq.unwrap_or(0));
    let rows = client
        .query(&sql, &[&f.case_id, &f.action, &after, &limit])
        .context("reading the audit log")?;
    rows.iter().map(decode).collect()
}

pub(super) fn verify(client: &mut Client) -> StoreResult<AuditReport> {
    let all = entries(client, &AuditFilter::default())?;
    Ok(check_audit_chain(all))
}
