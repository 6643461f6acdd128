//! [`Entry`]: one thing an index holds — a case, or one document of a case — as plain text per
//! field, before tantivy sees it; and the conversion both ways.
//!
//! Invariant: an entry holds only what [`crate::classify`] put in it; this module adds nothing
//! and drops nothing, so what is on disk is exactly what the classification allowed.

use std::collections::BTreeMap;

use tantivy::schema::{Facet, Value};
use tantivy::{TantivyDocument, Term};

use crate::schema::{FacetField, Fields, TextField};

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    Case,
    /// A document attached to a case, by its file id.
    Document(i64),
}

/// One indexed unit, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub case_id: String,
    pub kind: EntryKind,
    /// What a hit shows as its heading: the facility (and company), or the document's name.
    pub title: String,
    pub text: BTreeMap<TextField, String>,
    pub facets: BTreeMap<FacetField, String>,
    /// Documents only: `ok`, or why the text was not extracted.
    pub extraction: Option<String>,
}

impl Entry {
    /// The key an update of this entry replaces.
    pub fn key(&self) -> String {
        match self.kind {
            EntryKind::Case => format!("case/{}", self.case_id),
            EntryKind::Document(id) => format!("document/{}/{id}", self.case_id),
        }
    }

    pub(crate) fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        d.add_text(f.key, self.key());
        d.add_text(f.case_id, &self.case_id);
        match self.kind {
            EntryKind::Case => d.add_text(f.kind, "case"),
            EntryKind::Document(id) => {
                d.add_text(f.kind, "document");
                d.add_i64(f.document, id);
            }
        }
        d.add_text(f.title, &self.title);
        if let Some(status) = &self.extraction {
            d.add_text(f.extraction, status);
        }
        for (which, text) in &self.text {
            if text.is_empty() {
                continue;
            }
            let tf = f.text(*which);
            d.add_text(tf.raw, text);
            d.add_text(tf.en, text);
            d.add_text(tf.es, text);
        }
        for (which, value) in &self.facets {
            d.add_text(f.facet(*which), value);
            d.add_facet(f.facets, Facet::from_path([which.name(), value.as_str()]));
        }
        d
    }

    /// The entry a stored document was made from (every field is stored raw).
    pub(crate) fn from_document(d: &TantivyDocument, f: &Fields) -> Entry {
        let text_of = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let kind = match d.get_first(f.document).and_then(|v| v.as_i64()) {
            Some(id) => EntryKind::Document(id),
            None => EntryKind::Case,
        };
        let mut text = BTreeMap::new();
        for (which, tf) in f.all_text() {
            let value = text_of(tf.raw);
            if !value.is_empty() {
                text.insert(which, value);
            }
        }
        let mut facets = BTreeMap::new();
        for which in FacetField::ALL {
            let value = text_of(f.facet(which));
            if !value.is_empty() {
                facets.insert(which, value);
            }
        }
        let extraction = d
            .get_first(f.extraction)
            .and_then(|v| v.as_str())
            .map(String::from);
        Entry {
            case_id: text_of(f.case_id),
            kind,
            title: text_of(f.title),
            text,
            facets,
            extraction,
        }
    }
}

pub(crate) fn case_term(f: &Fields, case_id: &str) -> Term {
    Term::from_field_text(f.case_id, case_id)
}
