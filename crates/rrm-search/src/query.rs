//! Answering a query on one physical index: lenient parsing in both languages, facet filters
//! and the staff case scope as required clauses of the same query (so totals and facet counts
//! are those of what the asker may see), facet counts, and highlighted snippets.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

use crate::entry::case_term;
use crate::index::SearchIndex;
use crate::schema::{FacetField, TextField};
use crate::snippet::{escape_html, prefix, snippet_html};
use crate::{Facets, Hit, HitKind, SearchError, SearchFilters, SearchResults};
use crate::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_BYTES};

/// Snippets are cut from at most this many bytes of a field (a document may hold a megabyte).
const SNIPPET_SOURCE_BYTES: usize = 64 * 1024;
const SNIPPET_CHARS: usize = 200;

/// Searches `index`; `scope` (for staff) limits the matches to those cases.
pub(crate) fn search(
    index: &SearchIndex,
    text: &str,
    filters: &SearchFilters,
    scope: Option<&BTreeSet<String>>,
    limit: usize,
    offset: usize,
) -> Result<SearchResults, SearchError> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(SearchError::QueryTooLong);
    }
    if text.trim().is_empty() || scope.is_some_and(|s| s.is_empty()) {
        return Ok(SearchResults::default());
    }
    let query = build_query(index, text, filters, scope);
    let searcher = index.searcher();
    let mut facet_collector = FacetCollector::for_field("facets");
    for f in FacetField::ALL {
        facet_collector.add_facet(tantivy::schema::Facet::from_path([f.name()]));
    }
    let top = TopDocs::with_limit(limit.clamp(1, MAX_LIMIT)).and_offset(offset.min(MAX_OFFSET));
    let (top, total, counts) = searcher.search(&query, &(top, Count, facet_collector))?;

    let mut facets = Facets::default();
    for f in FacetField::ALL {
        let map = facets.of_mut(f);
        for (facet, count) in counts.get(&format!("/{}", f.name())) {
            if let Some(value) = facet.to_path().last() {
                map.insert((*value).to_string(), count);
            }
        }
    }
    let hits = hits(index, &searcher, &query, top)?;
    Ok(SearchResults {
        total,
        hits,
        facets,
    })
}

fn build_query(
    index: &SearchIndex,
    text: &str,
    filters: &SearchFilters,
    scope: Option<&BTreeSet<String>>,
) -> BooleanQuery {
    let fields = index.fields();
    let mut parser = QueryParser::for_index(
        index.index(),
        fields.all_text().flat_map(|(_, t)| [t.en, t.es]).collect(),
    );
    // Every word must match (in some field, in either language), as a search box is read.
    parser.set_conjunction_by_default();
    for (_, t) in fields.all_text() {
        parser.set_field_boost(t.en, t.boost);
        parser.set_field_boost(t.es, t.boost);
    }
    let (text_query, _errors) = parser.parse_query_lenient(text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    for (facet, value) in filters.values() {
        let term = Term::from_field_text(fields.facet(facet), &value);
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    if let Some(cases) = scope {
        let terms = cases.iter().map(|id| case_term(fields, id));
        clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
    }
    BooleanQuery::new(clauses)
}

fn hits(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    query: &BooleanQuery,
    top: Vec<(f32, tantivy::DocAddress)>,
) -> Result<Vec<Hit>, SearchError> {
    let fields = index.fields();
    let mut generators = Vec::new();
    // The first field (in this order, English analysis before Spanish) with a highlighted
    // word gives the snippet: trying them all would tokenize every stored text of every hit.
    let order = [
        TextField::Body,
        TextField::Summary,
        TextField::Notes,
        TextField::Place,
        TextField::Allegations,
        TextField::Petitioners,
        TextField::Sector,
        TextField::DocumentName,
    ];
    for which in order {
        let t = fields.text(which);
        for field in [t.en, t.es] {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(SNIPPET_CHARS);
            generators.push((t.raw, g));
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
        let mut best = None;
        for (raw, g) in &generators {
            let source = text(*raw);
            if source.is_empty() {
                continue;
            }
            let snippet = g.snippet(cut(&source, SNIPPET_SOURCE_BYTES));
            if !snippet.highlighted().is_empty() {
                best = Some(snippet_html(snippet.fragment(), snippet.highlighted()));
                break;
            }
        }
        let kind = match doc.get_first(fields.document).and_then(|v| v.as_i64()) {
            Some(id) => HitKind::Document(id),
            None => HitKind::Case,
        };
        let fallback = match kind {
            HitKind::Case => text(fields.text(TextField::Summary).raw),
            HitKind::Document(_) => text(fields.text(TextField::Body).raw),
        };
        let extraction = doc
            .get_first(fields.extraction)
            .and_then(|v| v.as_str())
            .map(String::from);
        hits.push(Hit {
            kind,
            case_id: text(fields.case_id),
            title: text(fields.title),
            snippet_html: best.unwrap_or_else(|| escape_html(&prefix(&fallback, SNIPPET_CHARS))),
            score,
            extraction,
        });
    }
    Ok(hits)
}

/// At most `max` bytes of `text`, cut on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Facets {
    pub fn of(&self, which: FacetField) -> &BTreeMap<String, u64> {
        match which {
            FacetField::Stage => &self.stage,
            FacetField::Year => &self.year,
            FacetField::Outcome => &self.outcome,
            FacetField::State => &self.state,
            FacetField::Sector => &self.sector,
        }
    }

    fn of_mut(&mut self, which: FacetField) -> &mut BTreeMap<String, u64> {
        match which {
            FacetField::Stage => &mut self.stage,
            FacetField::Year => &mut self.year,
            FacetField::Outcome => &mut self.outcome,
            FacetField::State => &mut self.state,
            FacetField::Sector => &mut self.sector,
        }
    }
}

impl SearchFilters {
    /// The filters that are set, by facet.
    pub fn values(&self) -> Vec<(FacetField, String)> {
        [
            (FacetField::Stage, self.stage.clone()),
            (FacetField::Year, self.year.map(|y| y.to_string())),
            (FacetField::Outcome, self.outcome.clone()),
            (FacetField::State, self.state.clone()),
            (FacetField::Sector, self.sector.clone()),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.map(|v| (f, v)))
        .collect()
    }
}
