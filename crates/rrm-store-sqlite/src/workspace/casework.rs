//! The work staff do on a case: internal notes and publication. (The file bytes every file
//! record points at are `crate::blobs`' business.)

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rrm_store::{NewNote, Note, Sealed, StoreError, StoreResult, UserId};

use super::time::{parse_time, time_text};
use crate::codec::AnyBytes;
use crate::sql_error::Context;

pub(super) fn case_exists(conn: &Connection, case_id: &str) -> StoreResult<bool> {
    conn.prepare_cached("select 1 from cases where id = ?1")
        .context("looking up a case")?
        .query_row([case_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
        .with_context(|| format!("looking up case `{case_id}`"))
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
