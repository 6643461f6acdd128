//! The raw shape of a procedure definition file (`rrm-procedure/1`, TOML), as written by hand.
//!
//! Unknown keys are refused so a misspelt key (`lenght`) is an error, not a silently
//! ignored rule. Values that need checking against the rest of the file keep their span so
//! the loader can name the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProcedure {
    pub format: Spanned<String>,
    pub id: Spanned<String>,
    pub version: String,
    #[serde(default)]
    pub fragment: bool,
    pub annex: Option<String>,
    pub complainant: Option<Spanned<String>>,
    pub respondent: Option<Spanned<String>>,
    #[serde(default)]
    pub includes: Vec<Spanned<String>>,
    pub name: RawText,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    #[serde(default)]
    pub transitions: Vec<RawTransition>,
    #[serde(default)]
    pub clocks: Vec<RawClock>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub en: String,
    pub es: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStage {
    pub id: Spanned<String>,
    pub name: RawText,
    #[serde(default)]
    pub initial: bool,
    #[serde(default)]
    pub terminal: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawValue {
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTransition {
    pub id: Spanned<String>,
    pub event: Spanned<String>,
    pub from: Vec<Spanned<String>>,
    pub to: Option<Spanned<String>>,
    pub when: Option<Spanned<BTreeMap<String, RawValue>>>,
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    pub after_expiry_of: Option<Spanned<String>>,
    pub citation: String,
    pub status: Spanned<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawLength {
    Days(i64),
    Word(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawTrigger {
    Event(String),
    Conditional {
        event: String,
        #[serde(default)]
        when: BTreeMap<String, RawValue>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClock {
    pub id: Spanned<String>,
    pub name: RawText,
    pub kind: Option<Spanned<String>>,
    pub length: Spanned<RawLength>,
    pub agreed_field: Option<Spanned<String>>,
    pub unit: Spanned<String>,
    pub calendar: Spanned<String>,
    pub starts_on: Vec<Spanned<RawTrigger>>,
    #[serde(default)]
    pub stops_on: Vec<Spanned<RawTrigger>>,
    #[serde(default)]
    pub cancelled_on: Vec<Spanned<RawTrigger>>,
    pub on_expiry: RawText,
    pub citation: String,
    pub status: Spanned<String>,
    pub note: Option<String>,
}
