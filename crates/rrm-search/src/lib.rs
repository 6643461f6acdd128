//! Full-text search of cases and their documents, in English and Spanish (tantivy), in two
//! physical indexes so that a filter bug can never leak: the **public** index and the
//! **staff** index.
//!
//! # What is indexed where, and why that is safe
//!
//! [`classify`] is the one place that decides (`public_entries`, `staff_entries`). A case
//! becomes one entry; each of its documents one more. The case entry holds, in both indexes:
//!
//! | field | from | why it may be indexed |
//! | --- | --- | --- |
//! | `facility`, `company` (boosted ×4, ×3) | facility name, company, parent company | the public case header |
//! | `place`, `sector` | city, state, sector | the public case header |
//! | `allegations` | the allegation codes of `petition_filed` events, as words | the public timeline |
//! | `summary` | the case summary | shown on the public case page |
//! | `notes` | event kinds and notes, remediation actions, resolution/closing summaries, data-gap notes | the public timeline |
//! | `petitioners` | names of petitioners marked `public: true` **only** | the public case page shows the same list |
//! | facets `stage`, `year`, `outcome`, `state`, `sector` | the store's projection and the header | the public case index's facets |
//!
//! The **public** index holds only published cases, and of documents only those classified
//! public (none yet: classification comes with the security work). The **staff** index also
//! holds unpublished cases and restricted documents (today: every staff document), by name and
//! extracted text ([`extract`]), each document entry with its case's facility, company and
//! facets. **Never indexed anywhere**: petitioners with `public: false`, the header's free
//! `notes`, sources, panelists, petition submissions (identity, contacts, narrative,
//! testimony), petition evidence files, internal notes.
//!
//! A query names its [`Audience`]: [`Audience::Public`] reads the public index only;
//! [`Audience::Staff`] reads the staff index limited to a [`CaseScope`] inside the query, so
//! totals and facet counts are those of what the asker may see.
//!
//! Each text field is indexed twice, with `rrm_en` and `rrm_es` (simple tokenizer, lowercase,
//! ASCII folding, the English or Spanish stemmer; see [`schema`]), and a query searches both,
//! so `potosi` finds `Potosí` and `despidos` finds `despido`. [`Indexer`] keeps both indexes
//! up to date from the store as changes are committed, and rebuilds them when they are
//! missing or stale.

mod background;
pub mod classify;
mod entry;
pub mod extract;
mod index;
mod indexer;
mod indexes;
mod query;
pub mod schema;
mod snippet;
mod source;

use std::collections::BTreeMap;

use chrono::Datelike;
use rrm_casefile::CaseFile;
use rrm_core::event::EventBody;

pub use background::Background;
pub use classify::{CaseSource, Classification, DocumentSource};
pub use entry::{Entry, EntryKind};
pub use index::{Rebuild, SearchIndex};
pub use indexer::{rebuild_if_stale, IndexStatus, Indexer, RebuildReport};
pub use indexes::{Audience, CaseScope, Indexes};
pub use snippet::escape_html;
pub use source::{case_source, watermark};

/// Queries longer than this many bytes are refused.
pub const MAX_QUERY_BYTES: usize = 512;
/// At most this many hits a page.
pub const MAX_LIMIT: usize = 100;
/// Offsets beyond this are clamped to it (deep paging is not a search use case).
pub const MAX_OFFSET: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("the query is longer than {MAX_QUERY_BYTES} bytes")]
    QueryTooLong,
    #[error("reading the store for the search index: {0}")]
    Store(String),
}

impl SearchError {
    pub(crate) fn directory(dir: &std::path::Path, e: impl std::fmt::Display) -> SearchError {
        SearchError::Directory(format!("{}: {e}", dir.display()))
    }
}

/// The store's derived facts about a case (stage, outcome, year), which the case file alone
/// does not give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseMeta {
    pub stage: Option<String>,
    pub outcome: Option<String>,
    pub year: Option<i32>,
}

/// Filters on the facets; `None` does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    pub stage: Option<String>,
    pub year: Option<i32>,
    pub outcome: Option<String>,
    pub state: Option<String>,
    pub sector: Option<String>,
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Case,
    /// A document of the case, by file id.
    Document(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub case_id: String,
    pub title: String,
    /// HTML-escaped text with `<mark>` around the matched words; safe to insert as HTML.
    pub snippet_html: String,
    pub score: f32,
    /// Documents only: `ok`, or why the text was not (fully) extracted.
    pub extraction: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// Every match, not only this page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Counts over every match (not only this page), by value.
    pub facets: Facets,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub stage: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    pub outcome: BTreeMap<String, u64>,
    pub state: BTreeMap<String, u64>,
    pub sector: BTreeMap<String, u64>,
}

/// Year from the first dated event, outcome from a resolution or closing; no stage (the
/// engine knows it: the store's projection gives it).
pub fn derived_meta(case: &CaseFile) -> CaseMeta {
    let year = case.events.iter().find_map(|e| e.date).map(|d| d.year());
    let outcome = case.events.iter().rev().find_map(|e| match &e.body {
        EventBody::CaseResolved { outcome, .. } => Some(outcome.clone()),
        EventBody::CaseClosed { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    CaseMeta {
        stage: None,
        outcome,
        year,
    }
}
