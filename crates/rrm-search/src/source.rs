//! Reading what search indexes from the application: a case with its store-derived facets
//! and its staff documents (text extracted), and the watermark that says which state of the
//! store an index reflects.
//!
//! Invariant: only what [`CaseSource`] has a field for is read — never a petition
//! submission, petition evidence, an internal note or a confidential document. A document's
//! classification decides its index (`search_class`): public and published, or restricted.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use rrm_app::{AppError, Rrm};
use rrm_store::{CaseFilter, CaseRow, Document, Projection};

use crate::classify::{CaseSource, Classification, DocumentSource};
use crate::extract::{extract, Extracted};
use crate::schema::SCHEMA_VERSION;
use crate::{CaseMeta, SearchError};

impl From<AppError> for SearchError {
    fn from(e: AppError) -> SearchError {
        SearchError::Store(e.to_string())
    }
}

impl From<rrm_store::StoreError> for SearchError {
    fn from(e: rrm_store::StoreError) -> SearchError {
        SearchError::Store(e.to_string())
    }
}

/// A stored case with its documents, or `None` if there is no such case.
pub fn case_source(rrm: &Rrm, id: &str) -> Result<Option<CaseSource>, SearchError> {
    let projection = match rrm.projection(id) {
        Ok(p) => p,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut source = bare_source(rrm, id, &projection)?;
    source.documents = documents(rrm, id)?;
    Ok(Some(source))
}

/// A stored case without its documents (for updates that keep the documents indexed).
pub(crate) fn bare_source(
    rrm: &Rrm,
    id: &str,
    projection: &Projection,
) -> Result<CaseSource, SearchError> {
    let (case, _) = rrm.load_case(id)?;
    Ok(CaseSource {
        case,
        published: rrm.workspace.is_published(id)?,
        meta: meta(projection),
        documents: Vec::new(),
    })
}

/// One case of a listing, with its documents; `published` from the caller's set.
pub(crate) fn row_source(
    rrm: &Rrm,
    row: &CaseRow,
    unpublished: &BTreeSet<String>,
) -> Result<CaseSource, SearchError> {
    let (case, _) = rrm.load_case(&row.id)?;
    Ok(CaseSource {
        case,
        published: !unpublished.contains(&row.id),
        meta: meta(&row.projection),
        documents: documents(rrm, &row.id)?,
    })
}

/// Every case, sorted by id (the order a rebuild indexes them in).
pub(crate) fn all_rows(rrm: &Rrm) -> Result<Vec<CaseRow>, SearchError> {
    let (mut rows, _) = rrm.store.list_cases(&CaseFilter::default())?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

fn meta(p: &Projection) -> CaseMeta {
    CaseMeta {
        stage: Some(p.stage.clone()),
        outcome: p.outcome.clone(),
        year: p.facets.year,
    }
}

/// The case's documents with their text, except confidential ones, which are not read at
/// all (nor is petition evidence, which is confidential).
fn documents(rrm: &Rrm, id: &str) -> Result<Vec<DocumentSource>, SearchError> {
    let docs = rrm.workspace.documents(id)?;
    docs.iter()
        .filter(|d| d.classification != rrm_store::Classification::Confidential)
        .map(|d| document(rrm, d))
        .collect()
}

/// How search classifies a document: public only once it is published (a public document
/// not yet published is staff-only), restricted as it is.
fn search_class(d: &Document) -> Classification {
    match (d.classification, d.published) {
        (rrm_store::Classification::Public, true) => Classification::Public,
        (rrm_store::Classification::Confidential, _) => Classification::Confidential,
        _ => Classification::Restricted,
    }
}

pub(crate) fn document(rrm: &Rrm, d: &Document) -> Result<DocumentSource, SearchError> {
    let failed = |why: String| Extracted {
        text: String::new(),
        status: crate::extract::ExtractStatus::Failed(why),
    };
    let (name, extracted) = match rrm.open_for_index(d) {
        Ok(file) => (
            file.name.into_inner(),
            extract(&d.content_type, &file.bytes),
        ),
        // Without the master key a sealed document cannot be read: indexed by number only.
        Err(e @ (AppError::Unavailable(_) | AppError::Integrity(_))) => {
            (format!("document {}", d.id.0), failed(e.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(DocumentSource {
        id: d.id.0,
        name,
        classification: search_class(d),
        extracted,
    })
}

/// Which state of the store an index reflects: the schema version, the numbers of cases and
/// events, and which cases are unpublished. Documents are not counted (the store has no cheap
/// count); every document added through the application is indexed as it is added.
pub fn watermark(rrm: &Rrm) -> Result<String, SearchError> {
    let stats = rrm.store.stats()?;
    let unpublished = rrm.workspace.unpublished()?;
    let mut h = Sha256::new();
    for id in &unpublished {
        h.update(id.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "rrm-search/{SCHEMA_VERSION} cases={} events={} unpublished={}:{hex}",
        stats.cases,
        stats.events,
        unpublished.len()
    ))
}
