//! Petition intake: a petition's case, its unpublished mark, its submission, its evidence and
//! their custody entries, written in one transaction; and reading submissions and evidence
//! back (SQLite's `workspace/petitions.rs`). The case rows are written by
//! `write::create_in`, the same code `Store::create_cases` runs, inside this transaction.

use postgres::{Client, GenericClient, Row, Transaction};

use rrm_store::{
    BlobPlacement, Confidential, EvidenceFile, EvidenceOwner, FileId, NewAuditEntry, NewCase,
    NewFile, NewSubmission, Sealed, StoreError, StoreResult, Submission,
};

use super::audit::append_in;
use super::casework::case_exists;
use super::time::{parse_time, time_text};
use crate::blobs::index_blob;
use crate::error::{col, from_sql_int, hash_col, is_duplicate_key, to_sql_int, Context};
use crate::version::begin_write;
use crate::write::{chain_cases, create_in};

pub(super) fn file_petition(
    client: &mut Client,
    placement: &BlobPlacement,
    case: &NewCase,
    submission: &NewSubmission,
    evidence: &[NewFile],
    custody: &[NewAuditEntry],
) -> StoreResult<()> {
    let chained = chain_cases(std::slice::from_ref(case));
    let mut tx = begin_write(client, "filing a petition")?;
    create_in(&mut tx, &chained)?;
    tx.execute(
        "insert into unpublished_cases (case_id) values ($1)",
        &[&case.header.id],
    )
    .context("marking a petition's case unpublished")?;
    insert_submission(&mut tx, submission)?;
    let owner = EvidenceOwner::Submission(submission.receipt.clone());
    for file in evidence {
        insert_evidence(&mut tx, placement, &owner, file)?;
    }
    append_in(&mut tx, custody)?;
    // Returning early above drops `tx`, which rolls the whole petition back.
    tx.commit().context("committing a petition")
}

fn insert_submission(tx: &mut Transaction<'_>, s: &NewSubmission) -> StoreResult<()> {
    tx.execute(
        "insert into submissions (receipt, secret_hash, case_id, content, created) \
         values ($1, $2, $3, $4, $5)",
        &[
            &s.receipt,
            s.secret_hash.expose(),
            &s.case_id,
            &s.content.0,
            &time_text(s.created),
        ],
    )
    .map_err(|e| match is_duplicate_key(&e) {
        true => StoreError::Conflict("a submission with this receipt or case exists".into()),
        false => StoreError::Other(format!("storing a submission: {e}")),
    })?;
    Ok(())
}

const SUBMISSION_COLUMNS: &str = "receipt, secret_hash, case_id, content, created";

fn decode_submission(row: &Row) -> StoreResult<Submission> {
    let case_id: String = col(row, 2, "a submission")?;
    let what = format!("the submission of case `{case_id}`");
    Ok(Submission {
        receipt: col(row, 0, &what)?,
        secret_hash: Confidential::new(col(row, 1, &what)?),
        content: Sealed(col(row, 3, &what)?),
        created: parse_time(col(row, 4, &what)?, &what)?,
        case_id,
    })
}

fn submission_where(
    c: &mut impl GenericClient,
    column: &str,
    value: &str,
) -> StoreResult<Option<Submission>> {
    // `column` is `receipt` or `case_id`, never caller input.
    let sql = format!("select {SUBMISSION_COLUMNS} from submissions where {column} = $1");
    let row = c
        .query_opt(&sql, &[&value])
        .context("reading a submission")?;
    row.as_ref().map(decode_submission).transpose()
}

pub(super) fn submission_by_receipt(
    client: &mut Client,
    receipt: &str,
) -> StoreResult<Option<Submission>> {
    submission_where(client, "receipt", receipt)
}

pub(super) fn submission_for_case(
    client: &mut Client,
    case_id: &str,
) -> StoreResult<Option<Submission>> {
    submission_where(client, "case_id", case_id)
}

pub(super) fn add_evidence(
    client: &mut Client,
    placement: &BlobPlacement,
    owner: &EvidenceOwner,
    file: &NewFile,
    custody: &[NewAuditEntry],
) -> StoreResult<EvidenceFile> {
    let mut tx = begin_write(client, "adding evidence")?;
    let known = match owner {
        EvidenceOwner::Case(id) => case_exists(&mut tx, id)?,
        EvidenceOwner::Submission(receipt) => tx
            .query_opt("select 1 from submissions where receipt = $1", &[receipt])
            .context("looking up a submission")?
            .is_some(),
    };
    if !known {
        return Err(StoreError::NotFound(match owner {
            EvidenceOwner::Case(id) => id.clone(),
            EvidenceOwner::Submission(_) => "no such submission".into(),
        }));
    }
    let added = insert_evidence(&mut tx, placement, owner, file)?;
    append_in(&mut tx, custody)?;
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
    tx: &mut Transaction<'_>,
    placement: &BlobPlacement,
    owner: &EvidenceOwner,
    f: &NewFile,
) -> StoreResult<EvidenceFile> {
    let stored = index_blob(tx, placement, &f.bytes)?;
    let (submission, case_id) = owner_columns(owner);
    let row = tx
        .query_one(
            "insert into evidence_files (submission, case_id, file_name, declared_type, \
             sniffed_type, size, sha256, content_sha256, created) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            &[
                &submission,
                &case_id,
                &f.file_name.0,
                &f.declared_type,
                &f.sniffed_type,
                &to_sql_int(f.size),
                &&stored[..],
                &&f.content_sha256[..],
                &time_text(f.created),
            ],
        )
        .context("storing an evidence file")?;
    Ok(EvidenceFile {
        id: FileId(col(&row, 0, "a new evidence file's id")?),
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

pub(super) fn evidence(
    client: &mut Client,
    owner: &EvidenceOwner,
) -> StoreResult<Vec<EvidenceFile>> {
    let (column, key) = match owner {
        EvidenceOwner::Submission(k) => ("submission", k),
        EvidenceOwner::Case(k) => ("case_id", k),
    };
    let sql = format!(
        "select id, file_name, declared_type, sniffed_type, size, sha256, created, \
         coalesce(content_sha256, sha256) from evidence_files where {column} = $1 order by id"
    );
    let rows = client
        .query(&sql, &[key])
        .context("listing evidence files")?;
    rows.iter()
        .map(|r| {
            let id: i64 = col(r, 0, "an evidence file")?;
            let what = format!("evidence file {id}");
            Ok(EvidenceFile {
                id: FileId(id),
                owner: owner.clone(),
                file_name: Sealed(col(r, 1, &what)?),
                declared_type: col(r, 2, &what)?,
                sniffed_type: col(r, 3, &what)?,
                size: from_sql_int(col(r, 4, &what)?, &what)?,
                stored_sha256: hash_col(r, 5, &what)?,
                created: parse_time(col(r, 6, &what)?, &what)?,
                sha256: hash_col(r, 7, &what)?,
            })
        })
        .collect()
}
