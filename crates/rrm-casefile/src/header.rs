//! The case header: everything in a case file except its events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{CaseFileError, FORMAT};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseHeaderDoc {
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub procedure: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_number: Option<u32>,
    pub facility: Facility,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub petitioners: Vec<Petitioner>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers_affected: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_gaps: Vec<DataGap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default = "mexico")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
}

fn mexico() -> String {
    "MX".into()
}

/// A petitioner; a bare string in a file is a public petitioner's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PetitionerInFile")]
pub struct Petitioner {
    pub name: String,
    pub public: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PetitionerInFile {
    Name(String),
    Full {
        name: String,
        #[serde(default = "yes")]
        public: bool,
    },
}

fn yes() -> bool {
    true
}

impl From<PetitionerInFile> for Petitioner {
    fn from(p: PetitionerInFile) -> Petitioner {
        match p {
            PetitionerInFile::Name(name) => Petitioner { name, public: true },
            PetitionerInFile::Full { name, public } => Petitioner { name, public },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataGap {
    pub about: String,
    pub note: String,
}

/// Whether `id` is a valid case or facility slug.
pub fn is_slug(id: &str) -> bool {
    (3..=80).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

pub(crate) fn header_from_map(map: Map<String, Value>) -> Result<CaseHeaderDoc, CaseFileError> {
    let header: CaseHeaderDoc =
        serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
            let path = e.path().to_string();
            CaseFileError::at(
                if path == "." { "(top)".into() } else { path },
                e.inner().to_string(),
            )
        })?;
    check(&header)?;
    Ok(header)
}

fn check(h: &CaseHeaderDoc) -> Result<(), CaseFileError> {
    if h.format != FORMAT {
        return Err(CaseFileError::at(
            "format",
            format!("must be \"{FORMAT}\", not \"{}\"", h.format),
        ));
    }
    if let Some(id) = &h.id {
        if !is_slug(id) {
            return Err(CaseFileError::at(
                "id",
                format!(
                    "`{id}` is not a slug: 3–80 of a-z, 0-9 and -, not starting or ending with -"
                ),
            ));
        }
    }
    if let Some(id) = &h.facility.id {
        if !is_slug(id) {
            return Err(CaseFileError::at(
                "facility.id",
                format!("`{id}` is not a slug"),
            ));
        }
    }
    if h.facility.name.trim().is_empty() {
        return Err(CaseFileError::at("facility.name", "must not be empty"));
    }
    if !matches!(h.facility.country.as_str(), "MX" | "US" | "CA") {
        return Err(CaseFileError::at(
            "facility.country",
            "must be \"MX\", \"US\" or \"CA\"",
        ));
    }
    for (i, p) in h.petitioners.iter().enumerate() {
        if p.name.trim().is_empty() {
            return Err(CaseFileError::at(
                format!("petitioners[{i}].name"),
                "must not be empty",
            ));
        }
    }
    for (i, s) in h.sources.iter().enumerate() {
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return Err(CaseFileError::at(
                format!("sources[{i}]"),
                "must be an http(s) URL",
            ));
        }
    }
    Ok(())
}

/// Puts `events` into a serialized header at their place in the format (after `summary`).
pub(crate) fn insert_events(value: &mut Value, events: Vec<Value>) {
    let Value::Object(map) = value else { return };
    let old = std::mem::take(map);
    let mut events = Some(Value::Array(events));
    for (key, v) in old {
        if matches!(key.as_str(), "data_gaps" | "sources" | "notes") {
            if let Some(e) = events.take() {
                map.insert("events".into(), e);
            }
        }
        map.insert(key, v);
    }
    if let Some(e) = events {
        map.insert("events".into(), e);
    }
}
