//! The `rrm-case/1` case file format (`docs/case-format.md`): the only place that knows its
//! JSON shape.
//!
//! [`parse_case_file`] turns bytes into a [`CaseFile`] whose events are core
//! [`rrm_core::event::Event`]s, or an error naming the file position (syntax) or the field path
//! (`events[3].date`) and what is wrong. [`event_to_json`] writes an event back in the same
//! shape; stored event payloads are exactly that JSON, so export is lossless.

mod event_json;
mod header;

use serde_json::Value;

pub use event_json::{event_from_json, event_to_json, OUTCOMES, REASONS};
pub use header::{CaseHeaderDoc, DataGap, Facility, Petitioner};

use rrm_core::event::Event;

/// The format tag every case file carries.
pub const FORMAT: &str = "rrm-case/1";

/// A parsed case file: its header and its events in order.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    pub header: CaseHeaderDoc,
    pub events: Vec<Event>,
}

/// What is wrong with a case file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseFileError {
    #[error("line {line}, column {column}: {problem}")]
    Syntax {
        line: usize,
        column: usize,
        problem: String,
    },
    #[error("{path}: {problem}")]
    Content { path: String, problem: String },
}

impl CaseFileError {
    pub(crate) fn at(path: impl Into<String>, problem: impl Into<String>) -> CaseFileError {
        CaseFileError::Content {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// Parses one case file.
pub fn parse_case_file(text: &str) -> Result<CaseFile, CaseFileError> {
    // serde_json reports column 0 for an error just after a line break (an unexpected end
    // of the file, most often); people count columns from 1. Found by tests/fuzz.rs.
    let value: Value = serde_json::from_str(text).map_err(|e| CaseFileError::Syntax {
        line: e.line().max(1),
        column: e.column().max(1),
        problem: e.to_string(),
    })?;
    case_from_value(value)
}

/// Parses a case file already read as JSON.
pub fn case_from_value(value: Value) -> Result<CaseFile, CaseFileError> {
    let Value::Object(mut map) = value else {
        return Err(CaseFileError::at("(top)", "a case file is a JSON object"));
    };
    let events = match map.remove("events") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| event_from_json(item).map_err(|e| e.under(&format!("events[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(CaseFileError::at("events", "must be a list of events")),
    };
    let header = header::header_from_map(map)?;
    Ok(CaseFile { header, events })
}

/// Writes a case file as pretty JSON, in the field order of the format.
pub fn case_to_json(case: &CaseFile) -> Value {
    let mut value = serde_json::to_value(&case.header).expect("a header serializes");
    let events: Vec<Value> = case.events.iter().map(event_to_json).collect();
    header::insert_events(&mut value, events);
    value
}

impl CaseFileError {
    /// Prefixes the path of a nested error.
    pub(crate) fn under(self, prefix: &str) -> CaseFileError {
        match self {
            CaseFileError::Content { path, problem } if path.is_empty() => {
                CaseFileError::at(prefix, problem)
            }
            CaseFileError::Content { path, problem } => {
                CaseFileError::at(format!("{prefix}.{path}"), problem)
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests;
