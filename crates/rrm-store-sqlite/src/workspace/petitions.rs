//! Petition intake: a petition's case, its unpublished mark, its submission and its evidence,
//! written in one transaction; and reading submissions and evidence back.
//!
//! The case rows are written here rather than through `write::create_cases`, which opens a
//! transaction of its own: one transaction for the whole petition is the point. The rows are
//! the same (`cases`, `events`, `case_projection`, `running_clocks`), with the same chain, and
//! the conformance suite reads them back through the `Store` trait to keep the two in step.

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use rrm_store::{
    event_hash, header_hash, Confidential, EvidenceFile, EvidenceOwner, FileId, NewAuditEntry,
    NewCase, NewFile, NewSubmission, Sealed, StoreError, StoreResult, Submission,
};

use rrm_store::BlobPlacement;

use super::casework::case_exists;
use super::time::{parse_time, time_text};
use crate::blobs::index_blob;
use crate::codec::{from_sql_int, hash_from, opt_date_text, to_sql_int, AnyBytes, DateText};
use crate::sql_error::{is_duplicate_key, Context};

pub(super) fn file_petition(
    conn: &mut Connection,
    placement: &BlobPlacement,
    case: &NewCase,
    submission: &NewSubmission,
    evidence: &[NewFile],
    custody: &[NewAuditEntry],
) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to file a petition")?;
    insert_case(&tx, case)?;
    tx.execute(
        "insert into unpublished_cases (case_id) values (?1)",
        [&case.header.id],
    )
    .context("marking a petition's case unpublished")?;
    insert_submission(&tx, submission)?;
    let owner = EvidenceOwner::Submission(submission.receipt.clone());
    for file in evidence {
        insert_evidence(&tx, placement, &owner, file)?;
    }
    super::audit::append_in(&tx, custody)?;
    // Returning early above drops `tx`, which rolls the whole petition back.
    tx.commit().context("committing a petition")
}

/// The rows of a new case, chained as `write.rs` chains them.
fn insert_case(tx: &Transaction<'_>, case: &NewCase) -> StoreResult<()> {
    let h = &case.header;
    let mut prev = header_hash(&h.id, &h.procedure, &h.document);
    let header = prev;
    let doing = || format!("storing the events of case `{}`", h.id);
    let mut events = Vec::with_capacity(case.events.len());
    for (e, seq) in case.events.iter().zip(1u64..) {
        let date = opt_date_text(e.date);
        let hash = event_hash(
            &prev,
            &h.id,
            seq,
            &e.kind,
            date.as_ref().map(DateText::as_str),
            &e.payload,
        );
        events.push((e, seq, date, prev, hash));
        prev = hash;
    }
    tx.execute(
        "insert into cases (id, procedure, facility_key, document, header_hash, head_seq, head_hash) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![h.id, h.procedure, h.facility_key, h.document, &header[..], to_sql_int(events.len() as u64), &prev[..]],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict(format!("case `{}` already exists", h.id)),
        false => StoreError::Other(format!("creating case `{}`: {e}", h.id)),
    })?;
    for (e, seq, date, prev, hash) in &events {
        tx.execute(
            "insert into events (case_id, seq, kind, date, payload, prev_hash, hash) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                h.id,
                to_sql_int(*seq),
                e.kind,
                date,
                e.payload,
                &prev[..],
                &hash[..]
            ],
        )
        .with_context(doing)?;
    }
    insert_projection(tx, case)
}

fn insert_projection(tx: &Transaction<'_>, case: &NewCase) -> StoreResult<()> {
    let (id, procedure, p) = (&case.header.id, &case.header.procedure, &case.projection);
    let f = &p.facets;
    let doing = || format!("storing the projection of case `{id}`");
    tx.execute(
        "insert into case_projection (case_id, procedure, stage, closed, outcome, has_panel, \
         first_date, last_date, title, company, sector, state, year, workers) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id,
            procedure,
            p.stage,
            p.closed,
            p.outcome,
            p.has_panel,
            opt_date_text(p.first_date),
            opt_date_text(p.last_date),
            f.title,
            f.company,
            f.sector,
            f.state,
            f.year,
            f.workers
        ],
    )
    .with_context(doing)?;
    for c in &p.clocks {
        tx.execute(
            "insert into running_clocks (case_id, procedure, clock, started, due) \
             values (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                procedure,
                c.clock,
                opt_date_text(c.started),
                DateText::of(c.due)
            ],
        )
        .with_context(doing)?;
    }
    Ok(())
}

fn insert_submission(tx: &Transaction<'_>, s: &NewSubmission) -> StoreResult<()> {
    tx.execute(
        "insert into submissions (receipt, secret_hash, case_id, content, created) \
         values (?1, ?2, ?3, ?4, ?5)",
        params![
            s.receipt,
            s.secret_hash.expose(),
            s.case_id,
            &s.content.0[..],
            time_text(s.created)
        ],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict("a submission with this receipt or case exists".into()),
        false => StoreError::Other(format!("storing a submission: {e}")),
    })?;
    Ok(())
}

/// The submission whose `column` (`receipt` or `case_id`, never caller input) is `value`.
pub(super) fn submission(
    conn: &Connection,
    column: &str,
    value: &str,
) -> StoreResult<Option<Submission>> {
    let sql = format!(
        "select receipt, secret_hash, case_id, content, created from submissions where {column} = ?1"
    );
    let row = conn
        .prepare_cached(&sql)
        .context("reading a submission")?
        .query_row([value], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, AnyBytes>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()
        .context("reading a submission")?;
    let Some((receipt, secret_hash, case_id, content, created)) = row else {
        return Ok(None);
    };
    Ok(Some(Submission {
        created: parse_time(&created, &format!("submission of case `{case_id}`"))?,
        receipt,
        secret_hash: Confidential::new(secret_hash),
        case_id,
        content: Sealed(content.0),
    }))
}

pub(super) fn add_evidence(
    conn: &mut Connection,
    placement: &BlobPlacement,
    owner: &EvidenceOwner,
    file: &NewFile,
    custody: &[NewAuditEntry],
) -> StoreResult<EvidenceFile> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to add evidence")?;
    let known = match owner {
        EvidenceOwner::Case(id) => case_exists(&tx, id)?,
        EvidenceOwner::Submission(receipt) => submission(&tx, "receipt", receipt)?.is_some(),
    };
    if !known {
        return Err(StoreError::NotFound(match owner {
            EvidenceOwner::Case(id) => id.clone(),
            EvidenceOwner::Submission(_) => "no such submission".into(),
        }));
    }
    let added = insert_evidence(&tx, placement, owner, file)?;
    super::audit::append_in(&tx, custody)?;
    tx.commit().context("committing evidence")?;
    Ok(added)
}

fn owner_columns(owner: &EvidenceOwner) -> (Option<&str>, Option<&str>) {
    match owner {
        EvidenceOwner::Submission(r) => (Some(r.as_str()), None),
        EvidenceOwner::Case(c) => (None, Some(c.as_str())),
    }
}

fn insert_evidence(
    tx: &Transaction<'_>,
    placement: &BlobPlacement,
    owner: &EvidenceOwner,
    f: &NewFile,
) -> StoreResult<EvidenceFile> {
    let stored = index_blob(tx, placement, &f.bytes)?;
    let (submission, case_id) = owner_columns(owner);
    tx.execute(
        "insert into evidence_files (submission, case_id, file_name, declared_type, \
         sniffed_type, size, sha256, content_sha256, created) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            submission,
            case_id,
            &f.file_name.0[..],
            f.declared_type,
            f.sniffed_type,
            to_sql_int(f.size),
            &stored[..],
            &f.content_sha256[..],
            time_text(f.created)
        ],
    )
    .context("storing an evidence file")?;
    Ok(EvidenceFile {
        id: FileId(tx.last_insert_rowid()),
        owner: owner.clone(),
        file_name: f.file_name.clone(),
        declared_type: f.declared_type.clone(),
        sniffed_type: f.sniffed_type.clone(),
        size: f.size,
        sha256: f.content_sha256,
        stored_sha256: stored,
        created: f.created,
    })
}

pub(super) fn evidence(conn: &Connection, owner: &EvidenceOwner) -> StoreResult<Vec<EvidenceFile>> {
    let column = match owner {
        EvidenceOwner::Submission(_) => "submission",
        EvidenceOwner::Case(_) => "case_id",
    };
    let key = match owner {
        EvidenceOwner::Submission(k) | EvidenceOwner::Case(k) => k,
    };
    let sql = format!(
        "select id, file_name, declared_type, sniffed_type, size, sha256, created, \
         coalesce(content_sha256, sha256) from evidence_files where {column} = ?1 order by id"
    );
    let doing = "listing evidence files";
    let mut stmt = conn.prepare_cached(&sql).context(doing)?;
    let rows = stmt
        .query_map([key], |r| {
            Ok((
                (r.get(0)?, r.get::<_, AnyBytes>(1)?, r.get(2)?, r.get(3)?),
                (
                    r.get(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Vec<u8>>(7)?,
                ),
            ))
        })
        .context(doing)?;
    rows.map(|row| {
        let ((id, name, declared_type, sniffed_type), (size, stored, created, content)): (
            (i64, AnyBytes, String, String),
            (i64, _, _, _),
        ) = row.context(doing)?;
        let what = format!("evidence file {id}");
        Ok(EvidenceFile {
            id: FileId(id),
            owner: owner.clone(),
            file_name: Sealed(name.0),
            declared_type,
            sniffed_type,
            size: from_sql_int(size, &what)?,
            sha256: hash_from(&content, &what)?,
            stored_sha256: hash_from(&stored, &what)?,
            created: parse_time(&created, &what)?,
        })
    })
    .collect()
}
