//! What enters which index: the one place that decides. [`public_entries`] feeds the public
//! index, [`staff_entries`] the staff index; nothing else builds an [`Entry`].
//!
//! Invariants:
//! - Confidential content is never indexed anywhere. [`CaseSource`] has no field for it —
//!   petition submissions (petitioner identity, contacts, narrative, testimony), petition
//!   evidence, internal notes — so no entry can carry it; petitioners marked `public: false`
//!   are dropped here; documents classified [`Classification::Confidential`] are dropped here.
//! - The public index holds published cases only, with their public fields (see the table in
//!   the crate documentation) and only documents classified [`Classification::Public`].
//! - The staff index holds every case, published or not, with the same case fields, plus
//!   public and restricted documents. Who of the staff may see which case is decided at query
//!   time ([`crate::CaseScope`]), inside the query.

use std::collections::BTreeMap;

use rrm_casefile::CaseFile;
use rrm_core::event::EventBody;

use crate::entry::{Entry, EntryKind};
use crate::extract::Extracted;
use crate::schema::{FacetField, TextField};
use crate::CaseMeta;

/// How widely a document may be read. Until the security work classifies documents, staff
/// documents are [`Classification::Restricted`] and petition evidence is
/// [`Classification::Confidential`] (and is not even loaded: see `source.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    Public,
    Restricted,
    Confidential,
}

/// A document of a case, with its text already extracted.
#[derive(Debug, Clone)]
pub struct DocumentSource {
    pub id: i64,
    pub name: String,
    pub classification: Classification,
    pub extracted: Extracted,
}

/// Everything about one case that search may index.
#[derive(Debug, Clone)]
pub struct CaseSource {
    pub case: CaseFile,
    pub published: bool,
    pub meta: CaseMeta,
    pub documents: Vec<DocumentSource>,
}

impl CaseSource {
    pub fn id(&self) -> Option<&str> {
        self.case.header.id.as_deref()
    }
}

/// The public index's entries for a case: none unless it is published; then the case's
/// public fields and its public documents.
pub fn public_entries(source: &CaseSource) -> Vec<Entry> {
    if !source.published {
        return Vec::new();
    }
    entries(source, |c| c == Classification::Public)
}

/// The staff index's entries for a case, published or not: the case's public fields and its
/// public and restricted documents. Never a confidential one.
pub fn staff_entries(source: &CaseSource) -> Vec<Entry> {
    entries(source, |c| {
        matches!(c, Classification::Public | Classification::Restricted)
    })
}

fn entries(source: &CaseSource, allow: impl Fn(Classification) -> bool) -> Vec<Entry> {
    let Some(case) = case_entry(source) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(1 + source.documents.len());
    for d in source.documents.iter().filter(|d| allow(d.classification)) {
        out.push(document_entry(&case, d));
    }
    out.insert(0, case);
    out
}

/// The case's public fields (the crate documentation's table); `None` without an id.
fn case_entry(source: &CaseSource) -> Option<Entry> {
    let h = &source.case.header;
    let id = h.id.as_deref()?;
    let fac = &h.facility;
    let title = match &fac.company {
        Some(company) if company != &fac.name => format!("{} ({company})", fac.name),
        _ => fac.name.clone(),
    };
    let petitioners: Vec<&str> = h
        .petitioners
        .iter()
        .filter(|p| p.public)
        .map(|p| p.name.as_str())
        .collect();
    let text = BTreeMap::from([
        (TextField::Facility, fac.name.clone()),
        (
            TextField::Company,
            join([fac.company.as_deref(), fac.parent_company.as_deref()]),
        ),
        (
            TextField::Place,
            join([fac.city.as_deref(), fac.state.as_deref()]),
        ),
        (TextField::Sector, fac.sector.clone().unwrap_or_default()),
        (TextField::Allegations, allegations(&source.case)),
        (TextField::Summary, h.summary.clone().unwrap_or_default()),
        (TextField::Notes, public_notes(&source.case)),
        (TextField::Petitioners, petitioners.join("\n")),
    ]);
    Some(Entry {
        case_id: id.to_string(),
        kind: EntryKind::Case,
        title,
        text,
        facets: facets(source),
        extraction: None,
    })
}

fn document_entry(case: &Entry, d: &DocumentSource) -> Entry {
    let mut text = BTreeMap::from([
        (TextField::DocumentName, d.name.clone()),
        (TextField::Body, d.extracted.text.clone()),
    ]);
    // The facility and company too, so `tridonex despidos` finds Tridonex's documents.
    for which in [TextField::Facility, TextField::Company] {
        if let Some(t) = case.text.get(&which) {
            text.insert(which, t.clone());
        }
    }
    Entry {
        case_id: case.case_id.clone(),
        kind: EntryKind::Document(d.id),
        title: d.name.clone(),
        text,
        facets: case.facets.clone(),
        extraction: Some(d.extracted.status.to_string()),
    }
}

fn facets(source: &CaseSource) -> BTreeMap<FacetField, String> {
    let m = &source.meta;
    let fac = &source.case.header.facility;
    [
        (FacetField::Stage, m.stage.clone()),
        (FacetField::Year, m.year.map(|y| y.to_string())),
        (FacetField::Outcome, m.outcome.clone()),
        (FacetField::State, fac.state.clone()),
        (FacetField::Sector, fac.sector.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect()
}

/// The allegation codes of the case's petitions, as words (`dismissal for union activity`).
fn allegations(case: &CaseFile) -> String {
    let mut words = Vec::new();
    for e in &case.events {
        if let EventBody::PetitionFiled { allegations, .. } = &e.body {
            words.extend(allegations.iter().map(|a| a.replace('_', " ")));
        }
    }
    words.join("\n")
}

/// The public free text of a case's timeline and data gaps, one item a line.
fn public_notes(case: &CaseFile) -> String {
    let mut lines: Vec<String> = Vec::new();
    for e in &case.events {
        lines.push(e.kind().as_str().replace('_', " "));
        if let Some(note) = &e.note {
            lines.push(note.clone());
        }
        match &e.body {
            EventBody::RemediationAgreed { actions, .. } => {
                lines.extend(actions.iter().map(|a| a.description.clone()));
            }
            EventBody::CaseResolved { summary, .. } | EventBody::CaseClosed { summary, .. } => {
                lines.extend(summary.clone());
            }
            EventBody::ReviewDeclined { reason } => lines.extend(reason.clone()),
            _ => {}
        }
    }
    lines.extend(case.header.data_gaps.iter().map(|g| g.note.clone()));
    lines.join("\n")
}

fn join<const N: usize>(parts: [Option<&str>; N]) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// `fresh` (an index's entries for a case, maybe with new documents) merged with the document
/// entries the index already had for it (`kept`): each kept document not in `fresh` stays,
/// with the fresh case entry's facility, company and facets. Without a fresh case entry (the
/// case left this index) nothing is kept.
pub(crate) fn refreshed_documents(fresh: Vec<Entry>, kept: Vec<Entry>) -> Vec<Entry> {
    let Some(case) = fresh.iter().find(|e| e.kind == EntryKind::Case).cloned() else {
        return Vec::new();
    };
    let mut out = fresh;
    for mut old in kept {
        if old.kind == EntryKind::Case || out.iter().any(|e| e.kind == old.kind) {
            continue;
        }
        for which in [TextField::Facility, TextField::Company] {
            match case.text.get(&which) {
                Some(t) => old.text.insert(which, t.clone()),
                None => old.text.remove(&which),
            };
        }
        old.facets = case.facets.clone();
        out.push(old);
    }
    out
}
