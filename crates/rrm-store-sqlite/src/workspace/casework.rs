//! The work staff do on a case: internal notes, documents (bytes kept once per content in
//! `blobs`), and publication.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{
    sha256, Confidential, Document, FileId, Hash, NewDocument, NewNote, Note, StoreError,
    StoreResult, UserId,
};

use super::time::{parse_time, time_text};
use crate::codec::{from_sql_int, hash_from, to_sql_int};
use crate::sql_error::Context;

pub(super) fn case_exists(conn: &Connection, case_id: &str) -> StoreResult<bool> {
    conn.prepare_cached("select 1 from cases where id = ?1")
        .context("looking up a case")?
        .query_row([case_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
        .with_context(|| format!("looking up case `{case_id}`"))
}

/// Keeps `bytes` once under their SHA-256 and returns it.
pub(super) fn store_blob(conn: &Connection, bytes: &[u8]) -> StoreResult<Hash> {
    let hash = sha256(bytes);
    conn.prepare_cached("insert or ignore into blobs (sha256, size, bytes) values (?1, ?2, ?3)")
        .context("preparing to store file bytes")?
        .execute(params![&hash[..], to_sql_int(bytes.len() as u64), bytes])
        .context("storing file bytes")?;
    Ok(hash)
}

pub(super) fn blob(conn: &Connection, hash: &Hash) -> StoreResult<Option<Vec<u8>>> {
    conn.prepare_cached("select bytes from blobs where sha256 = ?1")
        .context("reading file bytes")?
        .query_row([&hash[..]], |r| r.get(0))
        .optional()
        .context("reading file bytes")
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
        params![n.case_id, n.author.0, n.text.expose(), time_text(n.created)],
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
        let (id, author, text, created): (i64, i64, String, String) = row.with_context(doing)?;
        Ok(Note {
            id,
            case_id: case_id.to_string(),
            author: UserId(author),
            text: Confidential::new(text),
            created: parse_time(&created, &format!("note {id}"))?,
        })
    })
    .collect()
}

pub(super) fn add_document(conn: &mut Connection, d: &NewDocument) -> StoreResult<Document> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to add a document")?;
    if !case_exists(&tx, &d.case_id)? {
        return Err(StoreError::NotFound(d.case_id.clone()));
    }
    let hash = store_blob(&tx, &d.bytes)?;
    let size = d.bytes.len() as u64;
    tx.execute(
        "insert into documents (case_id, uploader, name, content_type, size, sha256, created) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            d.case_id,
            d.uploader.0,
            d.name.expose(),
            d.content_type,
            to_sql_int(size),
            &hash[..],
            time_text(d.created)
        ],
    )
    .with_context(|| format!("adding a document to case `{}`", d.case_id))?;
    let id = FileId(tx.last_insert_rowid());
    tx.commit().context("committing a document")?;
    Ok(Document {
        id,
        case_id: d.case_id.clone(),
        uploader: d.uploader,
        name: d.name.clone(),
        content_type: d.content_type.clone(),
        size,
        sha256: hash,
        created: d.created,
    })
}

type RawDocument = (i64, i64, String, String, i64, Vec<u8>, String);

pub(super) fn documents(conn: &Connection, case_id: &str) -> StoreResult<Vec<Document>> {
    let doing = || format!("reading the documents of case `{case_id}`");
    let sql = "select id, uploader, name, content_type, size, sha256, created \
               from documents where case_id = ?1 order by id";
    let mut stmt = conn.prepare_cached(sql).with_context(doing)?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .with_context(doing)?;
    rows.map(|row| {
        let (id, uploader, name, content_type, size, sha, created): RawDocument =
            row.with_context(doing)?;
        let what = format!("document {id}");
        Ok(Document {
            id: FileId(id),
            case_id: case_id.to_string(),
            uploader: UserId(uploader),
            name: Confidential::new(name),
            content_type,
            size: from_sql_int(size, &what)?,
            sha256: hash_from(&sha, &what)?,
            created: parse_time(&created, &what)?,
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
