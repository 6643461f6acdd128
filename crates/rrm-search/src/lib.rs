//! Full-text search over the **public** case record, in English and Spanish (tantivy).
//!
//! # What is indexed, and why that is safe
//!
//! The index is public-only in this slice: [`SearchIndex::index_case`] refuses nothing but
//! silently skips (and removes) any case that is not published, and [`CaseDoc`] is built from a
//! [`CaseFile`] by naming, field by field, what goes in. Nothing else reaches the index:
//!
//! | field | from | why it is public |
//! | --- | --- | --- |
//! | `id` | the case id | shown on every public case page |
//! | `facility`, `company` (boosted) | facility name, company, parent company | the public case header |
//! | `place`, `sector` | city, state, sector | the public case header |
//! | `summary` | the case summary | shown on the public case page |
//! | `notes` | event notes, event kind names, remediation action descriptions, resolution/closing summaries, data-gap notes | the public timeline |
//! | `petitioners` | names of petitioners marked `public: true` **only** | the public case page shows the same list |
//! | `procedure`, `stage`, `year`, `outcome` | the header and the store's projection | public facets |
//!
//! Never indexed: petitioners with `public: false`, the header's free `notes`, sources, event
//! evidence references, panelists, anything from the staff workspace (submissions, testimony,
//! internal notes, documents). A staff index with per-case access control comes with issue 4;
//! document text extraction and incremental indexing on record/import come after this slice.
//!
//! Each text field is indexed twice, with the `rrm_en` analyzer (simple tokenizer, lowercase,
//! ASCII folding, English stemmer) and with `rrm_es` (the same with the Spanish stemmer), and a
//! query searches both, so `potosi` finds `Potosí` and `despidos` finds `despido`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Datelike;
use rrm_casefile::CaseFile;
use rrm_core::event::EventBody;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Queries longer than this many bytes are refused.
pub const MAX_QUERY_BYTES: usize = 512;
/// At most this many hits a page.
pub const MAX_LIMIT: usize = 100;
/// Offsets beyond this are clamped to it (deep paging is not a search use case).
pub const MAX_OFFSET: usize = 10_000;

const WRITER_MEMORY: usize = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("the query is longer than {MAX_QUERY_BYTES} bytes")]
    QueryTooLong,
}

/// The store's derived facts about a case (stage, outcome, year), which the case file alone
/// does not give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseMeta {
    pub stage: Option<String>,
    pub outcome: Option<String>,
    pub year: Option<i32>,
}

/// One case to index. Only `published` cases enter the public index.
#[derive(Debug, Clone)]
pub struct CaseDoc {
    pub case: CaseFile,
    pub published: bool,
    pub meta: CaseMeta,
}

/// Filters on the facets; `None` does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    pub stage: Option<String>,
    pub year: Option<i32>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub case_id: String,
    pub title: String,
    /// HTML-escaped text with `<mark>` around the matched words; safe to insert as HTML.
    pub snippet_html: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Counts over every matching case (not only this page), by value.
    pub facets: Facets,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub stage: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    pub outcome: BTreeMap<String, u64>,
}

/// The text fields, each indexed as `NAME_en` and `NAME_es`, with their boosts.
const TEXT_FIELDS: &[(&str, f32)] = &[
    ("facility", 4.0),
    ("company", 3.0),
    ("place", 1.5),
    ("sector", 1.0),
    ("summary", 1.0),
    ("notes", 1.0),
    ("petitioners", 1.0),
];

struct Fields {
    id: Field,
    title: Field,
    summary_raw: Field,
    notes_raw: Field,
    procedure: Field,
    stage: Field,
    year: Field,
    outcome: Field,
    facets: Field,
    /// (name, en, es, boost)
    text: Vec<(&'static str, Field, Field, f32)>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let title = b.add_text_field("title", STORED);
    let summary_raw = b.add_text_field("summary_raw", STORED);
    let notes_raw = b.add_text_field("notes_raw", STORED);
    let procedure = b.add_text_field("procedure", STRING | STORED);
    let stage = b.add_text_field("stage", STRING | STORED);
    let year = b.add_text_field("year", STRING | STORED);
    let outcome = b.add_text_field("outcome", STRING | STORED);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let text = TEXT_FIELDS
        .iter()
        .map(|&(name, boost)| {
            let en = b.add_text_field(&format!("{name}_en"), text_options("rrm_en"));
            let es = b.add_text_field(&format!("{name}_es"), text_options("rrm_es"));
            (name, en, es, boost)
        })
        .collect();
    let fields = Fields {
        id,
        title,
        summary_raw,
        notes_raw,
        procedure,
        stage,
        year,
        outcome,
        facets,
        text,
    };
    (b.build(), fields)
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

/// The public search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    /// One writer at a time (tantivy holds a directory lock per writer).
    write_lock: std::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let directory = MmapDirectory::open(dir)
            .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema)?;
        SearchIndex::with_index(index, fields)
    }

    /// An index in memory (the web keeps one built from the store at startup).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        index
            .tokenizers()
            .register("rrm_en", analyzer(Language::English));
        index
            .tokenizers()
            .register("rrm_es", analyzer(Language::Spanish));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let default_fields = fields
            .text
            .iter()
            .flat_map(|&(_, en, es, _)| [en, es])
            .collect();
        let mut parser = QueryParser::for_index(&index, default_fields);
        // Every word must match (in some field, in either language), as a search box is read.
        parser.set_conjunction_by_default();
        for &(_, en, es, boost) in &fields.text {
            parser.set_field_boost(en, boost);
            parser.set_field_boost(es, boost);
        }
        Ok(SearchIndex {
            index,
            reader,
            fields,
            parser,
            write_lock: std::sync::Mutex::new(()),
        })
    }

    fn writer(&self) -> Result<IndexWriter, SearchError> {
        Ok(self.index.writer_with_num_threads(1, WRITER_MEMORY)?)
    }

    fn commit(&self, mut writer: IndexWriter) -> Result<(), SearchError> {
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds or replaces one case. An unpublished case is removed and not indexed.
    pub fn index_case(&self, case: &CaseFile, published: bool) -> Result<(), SearchError> {
        self.index_doc(&CaseDoc {
            case: case.clone(),
            published,
            meta: derived_meta(case),
        })
    }

    /// [`SearchIndex::index_case`] with the store's stage, outcome and year.
    pub fn index_doc(&self, doc: &CaseDoc) -> Result<(), SearchError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let writer = self.writer()?;
        if let Some(id) = doc.case.header.id.as_deref() {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        if let Some(d) = self.document(doc) {
            writer.add_document(d)?;
        }
        self.commit(writer)
    }

    /// Removes a case (no error if it is not indexed).
    pub fn remove_case(&self, id: &str) -> Result<(), SearchError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(self.fields.id, id));
        self.commit(writer)
    }

    /// Empties the index and indexes `cases` (sorted by id, so a rebuild is deterministic);
    /// unpublished ones are skipped. `progress` is called once per case seen. Returns how many
    /// cases were indexed.
    pub fn rebuild(
        &self,
        cases: impl IntoIterator<Item = CaseDoc>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<CaseDoc> = cases.into_iter().collect();
        all.sort_by(|a, b| a.case.header.id.cmp(&b.case.header.id));
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        let mut indexed = 0;
        for (i, doc) in all.iter().enumerate() {
            if let Some(d) = self.document(doc) {
                writer.add_document(d)?;
                indexed += 1;
            }
            progress(i as u64 + 1);
        }
        self.commit(writer)?;
        Ok(indexed)
    }

    /// The tantivy document for a published case with an id; `None` otherwise. This function
    /// is the one place that decides what is indexed (see the crate documentation).
    fn document(&self, doc: &CaseDoc) -> Option<TantivyDocument> {
        if !doc.published {
            return None;
        }
        let f = &self.fields;
        let h = &doc.case.header;
        let id = h.id.as_deref()?;
        let fac = &h.facility;
        let title = match &fac.company {
            Some(company) if company != &fac.name => format!("{} ({company})", fac.name),
            _ => fac.name.clone(),
        };
        let company = join([fac.company.as_deref(), fac.parent_company.as_deref()]);
        let place = join([fac.city.as_deref(), fac.state.as_deref()]);
        let summary = h.summary.clone().unwrap_or_default();
        let notes = public_notes(&doc.case);
        let petitioners = h
            .petitioners
            .iter()
            .filter(|p| p.public)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut d = doc!(
            f.id => id,
            f.title => title,
            f.summary_raw => summary.as_str(),
            f.notes_raw => notes.as_str(),
            f.procedure => h.procedure.as_str(),
        );
        let texts: [(&str, &str); 7] = [
            ("facility", &fac.name),
            ("company", &company),
            ("place", &place),
            ("sector", fac.sector.as_deref().unwrap_or("")),
            ("summary", &summary),
            ("notes", &notes),
            ("petitioners", &petitioners),
        ];
        for (name, text) in texts {
            if text.is_empty() {
                continue;
            }
            let &(_, en, es, _) = f.text.iter().find(|t| t.0 == name)?;
            d.add_text(en, text);
            d.add_text(es, text);
        }
        let m = &doc.meta;
        let year = m.year.map(|y| y.to_string());
        for (field, facet, value) in [
            (f.stage, "stage", m.stage.as_deref()),
            (f.year, "year", year.as_deref()),
            (f.outcome, "outcome", m.outcome.as_deref()),
        ] {
            if let Some(v) = value {
                d.add_text(field, v);
                d.add_facet(f.facets, Facet::from_path([facet, v]));
            }
        }
        Some(d)
    }

    /// How many cases the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches both languages; every word must match (`OR` between words widens). An empty (or all-whitespace) query matches nothing; a query
    /// longer than [`MAX_QUERY_BYTES`] is refused; unbalanced quotes and stray operators are
    /// parsed leniently. `limit` is clamped to 1..=[`MAX_LIMIT`], `offset` to [`MAX_OFFSET`].
    pub fn search(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(SearchError::QueryTooLong);
        }
        if query.trim().is_empty() {
            return Ok(SearchResults::default());
        }
        let (text_query, _errors) = self.parser.parse_query_lenient(query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        let year = filters.year.map(|y| y.to_string());
        for (field, value) in [
            (self.fields.stage, filters.stage.as_deref()),
            (self.fields.year, year.as_deref()),
            (self.fields.outcome, filters.outcome.as_deref()),
        ] {
            if let Some(v) = value {
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let mut facet_collector = FacetCollector::for_field("facets");
        for facet in ["/stage", "/year", "/outcome"] {
            facet_collector.add_facet(facet);
        }
        let top = TopDocs::with_limit(limit.clamp(1, MAX_LIMIT)).and_offset(offset.min(MAX_OFFSET));
        let (top, total, facet_counts) = searcher.search(&query, &(top, Count, facet_collector))?;

        let mut facets = Facets::default();
        for (name, map) in [
            ("/stage", &mut facets.stage),
            ("/year", &mut facets.year),
            ("/outcome", &mut facets.outcome),
        ] {
            for (facet, count) in facet_counts.get(name) {
                if let Some(value) = facet.to_path().last() {
                    map.insert((*value).to_string(), count);
                }
            }
        }

        let mut generators = Vec::new();
        for (name, raw) in [
            ("summary", self.fields.summary_raw),
            ("notes", self.fields.notes_raw),
        ] {
            let &(_, en, es, _) = self
                .fields
                .text
                .iter()
                .find(|t| t.0 == name)
                .expect("the schema has summary and notes");
            for field in [en, es] {
                let mut g = SnippetGenerator::create(&searcher, &query, field)?;
                g.set_max_num_chars(200);
                generators.push((raw, g));
            }
        }

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| -> String {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let mut best: Option<(usize, String)> = None;
            for (raw, g) in &generators {
                let snippet = g.snippet(&text(*raw));
                let n = snippet.highlighted().len();
                if n > 0 && best.as_ref().is_none_or(|(m, _)| n > *m) {
                    best = Some((n, snippet_html(snippet.fragment(), snippet.highlighted())));
                }
            }
            let snippet_html = match best {
                Some((_, html)) => html,
                None => escape_html(&prefix(&text(self.fields.summary_raw), 200)),
            };
            hits.push(Hit {
                case_id: text(self.fields.id),
                title: text(self.fields.title),
                snippet_html,
                score,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }
}

/// Year from the first dated event, outcome from a resolution or closing; no stage (the engine
/// knows it: pass [`CaseMeta`] from the store to [`SearchIndex::index_doc`]).
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

fn prefix(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The fragment, escaped, with `<mark>` around each highlighted byte range.
fn snippet_html(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        let (Some(before), Some(hit)) = (fragment.get(at..r.start), fragment.get(r.clone())) else {
            continue;
        };
        out.push_str(&escape_html(before));
        out.push_str("<mark>");
        out.push_str(&escape_html(hit));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape_html(fragment.get(at..).unwrap_or("")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_html_escapes_around_marks() {
        let ranges = [0..3, 11..18];
        let html = snippet_html("<b>a</b> & despido", &ranges);
        assert_eq!(
            html,
            "<mark>&lt;b&gt;</mark>a&lt;/b&gt; &amp; <mark>despido</mark>"
        );
        // A range that is not on a character boundary is dropped, never split.
        assert_eq!(snippet_html("é<", &[1..2, 9..9]), "é&lt;");
    }
}
