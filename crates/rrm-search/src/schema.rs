//! The tantivy schema both physical indexes share, and the two analyzers.
//!
//! Every text field is kept three ways: `NAME` (stored, not indexed: for snippets and for
//! re-reading an entry), `NAME_en` and `NAME_es` (indexed with the `rrm_en` and `rrm_es`
//! analyzers). A query searches both languages, so `potosi` finds `Potosí` and `despidos`
//! finds `despido`. The keyword fields (`key`, `case_id`, `kind`, the facets) are indexed
//! whole, for deletes and filters. Changing anything here changes [`SCHEMA_VERSION`], which
//! makes every index on disk rebuild.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};

/// Bumped whenever the schema, the analyzers or what an entry holds changes.
pub const SCHEMA_VERSION: u32 = 2;

/// A text field: its name and its boost. Facility and company come first in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextField {
    Facility,
    Company,
    DocumentName,
    Place,
    Sector,
    Allegations,
    Summary,
    Notes,
    Petitioners,
    Body,
}

impl TextField {
    pub const ALL: [TextField; 10] = [
        TextField::Facility,
        TextField::Company,
        TextField::DocumentName,
        TextField::Place,
        TextField::Sector,
        TextField::Allegations,
        TextField::Summary,
        TextField::Notes,
        TextField::Petitioners,
        TextField::Body,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TextField::Facility => "facility",
            TextField::Company => "company",
            TextField::DocumentName => "document_name",
            TextField::Place => "place",
            TextField::Sector => "sector",
            TextField::Allegations => "allegations",
            TextField::Summary => "summary",
            TextField::Notes => "notes",
            TextField::Petitioners => "petitioners",
            TextField::Body => "body",
        }
    }

    fn boost(self) -> f32 {
        match self {
            TextField::Facility => 4.0,
            TextField::Company => 3.0,
            TextField::DocumentName => 2.0,
            TextField::Place => 1.5,
            _ => 1.0,
        }
    }
}

/// A facet: filterable, counted over every match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetField {
    Stage,
    Year,
    Outcome,
    State,
    Sector,
}

impl FacetField {
    pub const ALL: [FacetField; 5] = [
        FacetField::Stage,
        FacetField::Year,
        FacetField::Outcome,
        FacetField::State,
        FacetField::Sector,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FacetField::Stage => "stage",
            FacetField::Year => "year",
            FacetField::Outcome => "outcome",
            FacetField::State => "state",
            FacetField::Sector => "sector",
        }
    }
}

/// One text field's three tantivy fields.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub raw: Field,
    pub en: Field,
    pub es: Field,
    pub boost: f32,
}

#[derive(Debug, Clone)]
pub struct Fields {
    /// `case/ID` or `document/ID/FILE`: what an update replaces.
    pub key: Field,
    pub case_id: Field,
    /// `case` or `document`.
    pub kind: Field,
    pub document: Field,
    pub title: Field,
    /// A document's extraction status (`ok`, or why its text was skipped).
    pub extraction: Field,
    pub facets: Field,
    text: Vec<(TextField, TextFields)>,
    facet_values: Vec<(FacetField, Field)>,
}

impl Fields {
    pub fn text(&self, which: TextField) -> TextFields {
        self.text
            .iter()
            .find(|(t, _)| *t == which)
            .map(|(_, f)| *f)
            .expect("every text field is in the schema")
    }

    pub fn all_text(&self) -> impl Iterator<Item = (TextField, TextFields)> + '_ {
        self.text.iter().copied()
    }

    /// The keyword field a facet filter matches on.
    pub fn facet(&self, which: FacetField) -> Field {
        self.facet_values
            .iter()
            .find(|(f, _)| *f == which)
            .map(|(_, field)| *field)
            .expect("every facet is in the schema")
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let key = b.add_text_field("key", STRING | STORED);
    let case_id = b.add_text_field("case_id", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let document = b.add_i64_field("document", STORED);
    let title = b.add_text_field("title", STORED);
    let extraction = b.add_text_field("extraction", STORED);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let facet_values = FacetField::ALL
        .iter()
        .map(|&f| {
            (
                f,
                b.add_text_field(&format!("facet_{}", f.name()), STRING | STORED),
            )
        })
        .collect();
    let text = TextField::ALL
        .iter()
        .map(|&t| {
            let name = t.name();
            let fields = TextFields {
                raw: b.add_text_field(name, STORED),
                en: b.add_text_field(&format!("{name}_en"), indexed("rrm_en")),
                es: b.add_text_field(&format!("{name}_es"), indexed("rrm_es")),
                boost: t.boost(),
            };
            (t, fields)
        })
        .collect();
    let fields = Fields {
        key,
        case_id,
        kind,
        document,
        title,
        extraction,
        facets,
        text,
        facet_values,
    };
    (b.build(), fields)
}

fn indexed(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Simple tokenizer, words over 40 bytes dropped, lowercase, accents folded to ASCII, then the
/// language's Snowball stemmer.
pub fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

pub fn register_analyzers(tokenizers: &TokenizerManager) {
    tokenizers.register("rrm_en", analyzer(Language::English));
    tokenizers.register("rrm_es", analyzer(Language::Spanish));
}
