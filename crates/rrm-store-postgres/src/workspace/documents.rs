//! Documents on a case, with their classification, sharing, the original a redacted copy was
//! made from, the action item a respondent's document answers, and publication (SQLite's
//! `workspace/documents.rs`). A document's bytes are kept like every file's (`crate::blobs`).
//!
//! A document's name is sealed unless the document is public. SQLite tells the two forms apart
//! by the value's type (text or blob); a PostgreSQL column has one type, so `name` is bytea
//! and its form is the classification's: a public document's name is its UTF-8 text. Adding
//! a document whose name's form does not match its classification is refused, so the rule
//! that reading relies on always holds (`migrations/0002_workspace.sql` says the same).

use postgres::{Client, GenericClient, Row};

use rrm_store::{
    BlobPlacement, Classification, Document, FileId, NewAuditEntry, NewDocument, Protected, Sealed,
    Sharing, StoreError, StoreResult, UserId,
};

use super::audit::append_in;
use super::casework::case_exists;
use super::time::{parse_time, time_text};
use crate::blobs::index_blob;
use crate::error::{col, flag, from_sql_int, hash_col, to_sql_int, Context};
use crate::version::begin_write;

/// A name as its column holds it, refusing one whose form does not match the classification.
fn name_bytes(d: &NewDocument) -> StoreResult<&[u8]> {
    match (&d.name, d.classification) {
        (Protected::Clear(text), Classification::Public) => Ok(text.as_bytes()),
        (Protected::Sealed(sealed), c) if c != Classification::Public => Ok(&sealed.0),
        (Protected::Clear(_), c) => Err(StoreError::Other(format!(
            "a {} document's name must be sealed (case `{}`)",
            c.as_str(),
            d.case_id
        ))),
        (Protected::Sealed(_), _) => Err(StoreError::Other(format!(
            "a public document's name is kept in clear, not sealed (case `{}`)",
            d.case_id
        ))),
    }
}

fn belongs(c: &mut impl GenericClient, case_id: &str, id: FileId) -> StoreResult<bool> {
    c.query_opt(
        "select 1 from documents where id = $1 and case_id = $2",
        &[&id.0, &case_id],
    )
    .map(|found| found.is_some())
    .context("looking up a document")
}

pub(super) fn add_document(
    client: &mut Client,
    placement: &BlobPlacement,
    d: &NewDocument,
    custody: &[NewAuditEntry],
) -> StoreResult<Document> {
    let name = name_bytes(d)?;
    let mut tx = begin_write(client, "adding a document")?;
    if !case_exists(&mut tx, &d.case_id)? {
        return Err(StoreError::NotFound(d.case_id.clone()));
    }
    if let Some(original) = d.redacted_from {
        if !belongs(&mut tx, &d.case_id, original)? {
            return Err(StoreError::NotFound(format!(
                "document {} of case `{}`",
                original.0, d.case_id
            )));
        }
    }
    let stored = index_blob(&mut tx, placement, &d.bytes)?;
    let row = tx
        .query_one(
            "insert into documents (case_id, uploader, name, content_type, size, sha256, \
             created, content_sha256, classification, share_counterparts, share_respondent, \
             redacted_from, action_item) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
            &[
                &d.case_id,
                &d.uploader.0,
                &name,
                &d.content_type,
                &to_sql_int(d.size),
                &&stored[..],
                &time_text(d.created),
                &&d.content_sha256[..],
                &d.classification.as_str(),
                &flag(d.sharing.counterparts),
                &flag(d.sharing.respondent),
                &d.redacted_from.map(|f| f.0),
                &d.action_item,
            ],
        )
        .with_context(|| format!("adding a document to case `{}`", d.case_id))?;
    let id = FileId(col(&row, 0, "a new document's id")?);
    append_in(&mut tx, custody)?;
    tx.commit().context("committing a document")?;
    Ok(Document {
        id,
        case_id: d.case_id.clone(),
        uploader: d.uploader,
        name: d.name.clone(),
        content_type: d.content_type.clone(),
        classification: d.classification,
        sharing: d.sharing,
        redacted_from: d.redacted_from,
        action_item: d.action_item.clone(),
        published: false,
        size: d.size,
        sha256: d.content_sha256,
        stored_sha256: stored,
        created: d.created,
    })
}

const COLUMNS: &str = "id, uploader, name, content_type, size, sha256, created, \
    coalesce(content_sha256, sha256), classification, share_counterparts, share_respondent, \
    redacted_from, action_item, published";

fn decode(case_id: &str, r: &Row) -> StoreResult<Document> {
    let id: i64 = col(r, 0, "a document")?;
    let what = format!("document {id}");
    let text: String = col(r, 8, &what)?;
    let classification = Classification::parse(&text)
        .ok_or_else(|| StoreError::Other(format!("{what}: classification `{text}`")))?;
    let name: Vec<u8> = col(r, 2, &what)?;
    let name = match classification {
        Classification::Public => Protected::Clear(
            String::from_utf8(name)
                .map_err(|_| StoreError::Other(format!("{what}: its name is not UTF-8")))?,
        ),
        _ => Protected::Sealed(Sealed(name)),
    };
    Ok(Document {
        id: FileId(id),
        case_id: case_id.to_string(),
        uploader: UserId(col(r, 1, &what)?),
        name,
        content_type: col(r, 3, &what)?,
        size: from_sql_int(col(r, 4, &what)?, &what)?,
        stored_sha256: hash_col(r, 5, &what)?,
        created: parse_time(col(r, 6, &what)?, &what)?,
        sha256: hash_col(r, 7, &what)?,
        classification,
        sharing: Sharing {
            counterparts: col::<i64>(r, 9, &what)? != 0,
            respondent: col::<i64>(r, 10, &what)? != 0,
        },
        redacted_from: col::<Option<i64>>(r, 11, &what)?.map(FileId),
        action_item: col(r, 12, &what)?,
        published: col::<i64>(r, 13, &what)? != 0,
    })
}

pub(super) fn documents(client: &mut Client, case_id: &str) -> StoreResult<Vec<Document>> {
    let sql = format!("select {COLUMNS} from documents where case_id = $1 order by id");
    let rows = client
        .query(&sql, &[&case_id])
        .with_context(|| format!("reading the documents of case `{case_id}`"))?;
    rows.iter().map(|r| decode(case_id, r)).collect()
}

pub(super) fn set_published(
    client: &mut Client,
    case_id: &str,
    id: FileId,
    published: bool,
) -> StoreResult<()> {
    let mut tx = begin_write(client, "changing a document's publication")?;
    if !belongs(&mut tx, case_id, id)? {
        return Err(StoreError::NotFound(format!(
            "document {} of case `{case_id}`",
            id.0
        )));
    }
    let n = tx
        .execute(
            "update documents set published = $3 \
             where id = $1 and case_id = $2 and classification = 'public'",
            &[&id.0, &case_id, &flag(published)],
        )
        .context("changing a document's publication")?;
    if n == 0 {
        return Err(StoreError::Conflict(format!(
            "document {} is not classified public, so it cannot be published",
            id.0
        )));
    }
    tx.commit().context("committing a document's publication")
}
