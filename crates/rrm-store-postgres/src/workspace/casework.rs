//! The work staff do on a case: internal notes (sealed) and publication, which is the
//! `unpublished_cases` table the listing reads. (The file bytes every file record points at
//! are `crate::blobs`' business.)

use postgres::{Client, GenericClient};

use rrm_store::{NewNote, Note, Sealed, StoreError, StoreResult, UserId};

use super::time::{parse_time, time_text};
use crate::error::{col, Context};
use crate::version::begin_write;

/// Whether a case exists, on a client or inside a transaction.
pub(super) fn case_exists(c: &mut impl GenericClient, case_id: &str) -> StoreResult<bool> {
    c.query_opt("select 1 from cases where id = $1", &[&case_id])
        .map(|found| found.is_some())
        .with_context(|| format!("looking up case `{case_id}`"))
}

pub(super) fn add_note(client: &mut Client, n: &NewNote) -> StoreResult<Note> {
    let mut tx = begin_write(client, "adding a note")?;
    if !case_exists(&mut tx, &n.case_id)? {
        return Err(StoreError::NotFound(n.case_id.clone()));
    }
    let row = tx
        .query_one(
            "insert into notes (case_id, author, text, created) values ($1, $2, $3, $4) \
             returning id",
            &[&n.case_id, &n.author.0, &n.text.0, &time_text(n.created)],
        )
        .with_context(|| format!("adding a note to case `{}`", n.case_id))?;
    let id = col(&row, 0, "a new note's id")?;
    tx.commit().context("committing a note")?;
    Ok(Note {
        id,
        case_id: n.case_id.clone(),
        author: n.author,
        text: n.text.clone(),
        created: n.created,
    })
}

pub(super) fn notes(client: &mut Client, case_id: &str) -> StoreResult<Vec<Note>> {
    let rows = client
        .query(
            "select id, author, text, created from notes where case_id = $1 order by id",
            &[&case_id],
        )
        .with_context(|| format!("reading the notes of case `{case_id}`"))?;
    rows.iter()
        .map(|row| {
            let id: i64 = col(row, 0, "a note")?;
            let what = format!("note {id}");
            Ok(Note {
                id,
                case_id: case_id.to_string(),
                author: UserId(col(row, 1, &what)?),
                text: Sealed(col(row, 2, &what)?),
                created: parse_time(col(row, 3, &what)?, &what)?,
            })
        })
        .collect()
}

pub(super) fn set_published(
    client: &mut Client,
    case_id: &str,
    published: bool,
) -> StoreResult<()> {
    let mut tx = begin_write(client, "changing publication")?;
    if !case_exists(&mut tx, case_id)? {
        return Err(StoreError::NotFound(case_id.to_string()));
    }
    let sql = match published {
        true => "delete from unpublished_cases where case_id = $1",
        false => "insert into unpublished_cases (case_id) values ($1) on conflict do nothing",
    };
    tx.execute(sql, &[&case_id])
        .with_context(|| format!("changing the publication of case `{case_id}`"))?;
    tx.commit().context("committing a publication change")
}

pub(super) fn is_published(client: &mut Client, case_id: &str) -> StoreResult<bool> {
    client
        .query_opt(
            "select 1 from unpublished_cases where case_id = $1",
            &[&case_id],
        )
        .map(|hidden| hidden.is_none())
        .with_context(|| format!("reading the publication of case `{case_id}`"))
}

pub(super) fn unpublished(client: &mut Client) -> StoreResult<Vec<String>> {
    let rows = client
        .query(
            "select case_id from unpublished_cases order by case_id",
            &[],
        )
        .context("listing unpublished cases")?;
    rows.iter()
        .map(|row| col(row, 0, "an unpublished case"))
        .collect()
}
