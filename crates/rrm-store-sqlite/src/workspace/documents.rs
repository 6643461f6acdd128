//! Documents on a case, with their classification, sharing, the original a redacted copy was
//! made from, the action item a respondent's document answers, and publication. A document's
//! name is sealed unless it is public; its bytes are kept like every file's (`crate::blobs`).

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use rrm_store::{
    Classification, Document, FileId, NewAuditEntry, NewDocument, Protected, Sealed, Sharing,
    StoreError, StoreResult, UserId,
};

use rrm_store::BlobPlacement;

use super::casework::case_exists;
use super::time::{parse_time, time_text};
use crate::blobs::index_blob;
use crate::codec::{from_sql_int, hash_from, to_sql_int, AnyBytes};
use crate::sql_error::Context;

/// A protected name as its column holds it: text in clear, a blob when sealed.
fn name_value(name: &Protected) -> rusqlite::types::Value {
    match name {
        Protected::Clear(text) => rusqlite::types::Value::Text(text.clone()),
        Protected::Sealed(sealed) => rusqlite::types::Value::Blob(sealed.0.clone()),
    }
}

fn belongs(conn: &Connection, case_id: &str, id: FileId) -> StoreResult<bool> {
    conn.prepare_cached("select 1 from documents where id = ?1 and case_id = ?2")
        .context("looking up a document")?
        .query_row(params![id.0, case_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
        .context("looking up a document")
}

pub(super) fn add_document(
    conn: &mut Connection,
    placement: &BlobPlacement,
    d: &NewDocument,
    custody: &[NewAuditEntry],
) -> StoreResult<Document> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to add a document")?;
    if !case_exists(&tx, &d.case_id)? {
        return Err(StoreError::NotFound(d.case_id.clone()));
    }
    if let Some(original) = d.redacted_from {
        if !belongs(&tx, &d.case_id, original)? {
            return Err(StoreError::NotFound(format!(
                "document {} of case `{}`",
                original.0, d.case_id
            )));
        }
    }
    let stored = index_blob(&tx, placement, &d.bytes)?;
    tx.execute(
        "insert into documents (case_id, uploader, name, content_type, size, sha256, created, \
         content_sha256, classification, share_counterparts, share_respondent, redacted_from, \
         action_item) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            d.case_id,
            d.uploader.0,
            name_value(&d.name),
            d.content_type,
            to_sql_int(d.size),
            &stored[..],
            time_text(d.created),
            &d.content_sha256[..],
            d.classification.as_str(),
            d.sharing.counterparts,
            d.sharing.respondent,
            d.redacted_from.map(|f| f.0),
            d.action_item,
        ],
    )
    .with_context(|| format!("adding a document to case `{}`", d.case_id))?;
    let id = FileId(tx.last_insert_rowid());
    super::audit::append_in(&tx, custody)?;
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

fn decode(case_id: &str, r: &Row<'_>) -> StoreResult<Document> {
    let get = |e: rusqlite::Error| StoreError::Other(format!("reading a document: {e}"));
    let id: i64 = r.get(0).map_err(get)?;
    let what = format!("document {id}");
    let name = match r.get_ref(2).map_err(get)? {
        rusqlite::types::ValueRef::Text(t) => Protected::Clear(String::from_utf8_lossy(t).into()),
        _ => Protected::Sealed(Sealed(r.get::<_, AnyBytes>(2).map_err(get)?.0)),
    };
    let classification: String = r.get(8).map_err(get)?;
    Ok(Document {
        id: FileId(id),
        case_id: case_id.to_string(),
        uploader: UserId(r.get(1).map_err(get)?),
        name,
        content_type: r.get(3).map_err(get)?,
        size: from_sql_int(r.get(4).map_err(get)?, &what)?,
        stored_sha256: hash_from(&r.get::<_, Vec<u8>>(5).map_err(get)?, &what)?,
        created: parse_time(&r.get::<_, String>(6).map_err(get)?, &what)?,
        sha256: hash_from(&r.get::<_, Vec<u8>>(7).map_err(get)?, &what)?,
        classification: Classification::parse(&classification)
            .ok_or_else(|| StoreError::Other(format!("{what}: `{classification}`")))?,
        sharing: Sharing {
            counterparts: r.get(9).map_err(get)?,
            respondent: r.get(10).map_err(get)?,
        },
        redacted_from: r.get::<_, Option<i64>>(11).map_err(get)?.map(FileId),
        action_item: r.get(12).map_err(get)?,
        published: r.get(13).map_err(get)?,
    })
}

pub(super) fn documents(conn: &Connection, case_id: &str) -> StoreResult<Vec<Document>> {
    let doing = || format!("reading the documents of case `{case_id}`");
    let sql = format!("select {COLUMNS} from documents where case_id = ?1 order by id");
    let mut stmt = conn.prepare_cached(&sql).with_context(doing)?;
    let mut rows = stmt.query([case_id]).with_context(doing)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().with_context(doing)? {
        out.push(decode(case_id, row)?);
    }
    Ok(out)
}

pub(super) fn set_published(
    conn: &Connection,
    case_id: &str,
    id: FileId,
    published: bool,
) -> StoreResult<()> {
    if !belongs(conn, case_id, id)? {
        return Err(StoreError::NotFound(format!(
            "document {} of case `{case_id}`",
            id.0
        )));
    }
    let n = conn
        .execute(
            "update documents set published = ?3 \
             where id = ?1 and case_id = ?2 and classification = 'public'",
            params![id.0, case_id, published],
        )
        .context("changing a document's publication")?;
    match n {
        0 => Err(StoreError::Conflict(format!(
            "document {} is not classified public, so it cannot be published",
            id.0
        ))),
        _ => Ok(()),
    }
}
