//! The work staff do on a case: internal notes and publication; the file bytes every file
//! record points at (`blobs`, kept once per SHA-256 of the bytes as stored), and their check.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{sha256, BlobReport, Hash, NewNote, Note, Sealed, StoreError, StoreResult, UserId};

use super::time::{parse_time, time_text};
use crate::codec::{hash_from, to_sql_int, AnyBytes};
use crate::sql_error::Context;

pub(super) fn case_exists(conn: &Connection, case_id: &str) -> StoreResult<bool> {
    conn.prepare_cached("select 1 from cases where id = ?1")
        .context("looking up a case")?
        .query_row([case_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
        .with_context(|| format!("looking up case `{case_id}`"))
}

/// Keeps `bytes` once under their SHA-256 (of the bytes as stored) and returns it.
pub(super) fn store_blob(conn: &Connection, bytes: &[u8]) -> StoreResult<Hash> {
    let hash = sha256(bytes);
    conn.prepare_cached("insert or ignore into blobs (sha256, size, bytes) values (?1, ?2, ?3)")
        .context("preparing to store file bytes")?
        .execute(params![&hash[..], to_sql_int(bytes.len() as u64), bytes])
        .context("storing file bytes")?;
    Ok(hash)
}

pub(super) fn blob(conn: &Connection, hash: &Hash) -> StoreResult<Option<Vec<u8>>> {
    let found: Option<AnyBytes> = conn
        .prepare_cached("select bytes from blobs where sha256 = ?1")
        .context("reading file bytes")?
        .query_row([&hash[..]], |r| r.get(0))
        .optional()
        .context("reading file bytes")?;
    Ok(found.map(|b| b.0))
}

pub(super) fn add_note(conn: &mut Connection, n: &NewNote) -> StoreResult<Note> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to add a note")?;
    if !case_exists(&tx, &n.case_id)? {
        return Err(StoreError::NotFound(n.case_id.clone()));
    }
    tx.execute(
        "insert into notes (case_id, author, text, created) values (?1, ?2, ?3, ?4)",
        params![n.case_id, n.author.0, &n.text.0[..], time_text(n.created)],
    )
    .with_context(|| format!("adding a note to case `{}`", n.case_id))?;
    let id = tx.last_insert_rowid();
    tx.commit().context("committing a note")?;
    Ok(Note {
        id,
        case_id: n.case_id.clone(),
        author: n.author,
        text: n.text.clone(),
        created: n.created,
    })
}

pub(super) fn notes(conn: &Connection, case_id: &str) -> StoreResult<Vec<Note>> {
    let doing = || format!("reading the notes of case `{case_id}`");
    let sql = "select id, author, text, created from notes where case_id = ?1 order by id";
    let mut stmt = conn.prepare_cached(sql).with_context(doing)?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?))
        })
        .with_context(doing)?;
    rows.map(|row| {
        let (id, author, text, created): (i64, i64, AnyBytes, String) = row.with_context(doing)?;
        Ok(Note {
            id,
            case_id: case_id.to_string(),
            author: UserId(author),
            text: Sealed(text.0),
            created: parse_time(&created, &format!("note {id}"))?,
        })
    })
    .collect()
}

pub(super) fn set_published(
    conn: &mut Connection,
    case_id: &str,
    published: bool,
) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to change publication")?;
    if !case_exists(&tx, case_id)? {
        return Err(StoreError::NotFound(case_id.to_string()));
    }
    let sql = match published {
        true => "delete from unpublished_cases where case_id = ?1",
        false => "insert or ignore into unpublished_cases (case_id) values (?1)",
    };
    tx.execute(sql, [case_id])
        .with_context(|| format!("changing the publication of case `{case_id}`"))?;
    tx.commit().context("committing a publication change")
}

pub(super) fn is_published(conn: &Connection, case_id: &str) -> StoreResult<bool> {
    conn.prepare_cached("select 1 from unpublished_cases where case_id = ?1")
        .context("reading publication")?
        .query_row([case_id], |_| Ok(()))
        .optional()
        .map(|hidden| hidden.is_none())
        .with_context(|| format!("reading the publication of case `{case_id}`"))
}

pub(super) fn unpublished(conn: &Connection) -> StoreResult<Vec<String>> {
    let doing = "listing unpublished cases";
    let mut stmt = conn
        .prepare_cached("select case_id from unpublished_cases order by case_id")
        .context(doing)?;
    let rows = stmt.query_map([], |r| r.get(0)).context(doing)?;
    rows.map(|r| r.context(doing)).collect()
}

/// Rehashes every blob, and finds file records whose blob is missing (which the schema's
/// references should make impossible, unless the file was edited behind the store's back).
pub(super) fn verify_blobs(
    conn: &Connection,
    progress: &mut dyn FnMut(u64),
) -> StoreResult<BlobReport> {
    let doing = "checking stored files";
    let mut report = BlobReport::default();
    let mut stmt = conn
        .prepare("select sha256, bytes from blobs order by id")
        .context(doing)?;
    let mut rows = stmt.query([]).context(doing)?;
    while let Some(row) = rows.next().context(doing)? {
        let key: Vec<u8> = row.get(0).context(doing)?;
        // Read as any bytes: a value rewritten as text behind the store's back is reported
        // as a broken file, not as an error that stops the check.
        let bytes = row.get::<_, AnyBytes>(1).context(doing)?.0;
        let key = hash_from(&key, "a stored file's key")?;
        report.blobs += 1;
        report.bytes += bytes.len() as u64;
        if sha256(&bytes) != key {
            report.broken.push(key);
        }
        progress(report.blobs);
    }
    let missing = "select sha256 from evidence_files where sha256 not in (select sha256 from blobs) \
                   union select sha256 from documents where sha256 not in (select sha256 from blobs)";
    let mut stmt = conn.prepare(missing).context(doing)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .context(doing)?;
    for hash in rows {
        report
            .missing
            .push(hash_from(&hash.context(doing)?, "a file record's key")?);
    }
    Ok(report)
}
