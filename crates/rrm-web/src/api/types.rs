//! The JSON shapes of API v1: the only types in rrm-web that are serialized for the wire.
//!
//! Domain types are converted into these, never serialized directly, so a change in the engine
//! cannot silently change the API. Field names are the case file format's where they overlap.
//! Dates are ISO `YYYY-MM-DD`; an unknown date is `null`, never invented.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A text in English and Spanish.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Text {
    pub en: String,
    pub es: String,
}

impl From<&rrm_core::procedure::Text> for Text {
    fn from(t: &rrm_core::procedure::Text) -> Text {
        Text {
            en: t.en.clone(),
            es: t.es.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Stage {
    pub id: String,
    pub name: Text,
}

/// One case in a listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub procedure: String,
    pub facility: String,
    pub company: Option<String>,
    pub state: Option<String>,
    pub sector: Option<String>,
    /// Year of the request for review (else of the first dated event).
    pub year: Option<i32>,
    pub stage: Stage,
    pub closed: bool,
    /// Outcome code or closing reason, once ended.
    pub outcome: Option<String>,
    pub has_panel: bool,
    pub request_date: Option<NaiveDate>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub workers_affected: Option<i64>,
    pub event_count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    /// Cases this value would select, given the other filters.
    pub count: u64,
}

/// Counts per value of each filter.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    /// `open` or `closed`.
    pub status: Vec<FacetValue>,
    pub stage: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub sector: Vec<FacetValue>,
    pub state: Vec<FacetValue>,
    pub procedure: Vec<FacetValue>,
    pub outcome: Vec<FacetValue>,
    pub panel: Vec<FacetValue>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<CaseSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facility {
    pub id: Option<String>,
    pub name: String,
    pub company: Option<String>,
    pub parent_company: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: String,
    pub sector: Option<String>,
}

/// A petitioner whose name is public (others are never published).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Petitioner {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataGap {
    pub about: String,
    pub note: String,
}

/// An event: its kind and date, and its facts as in the case file format.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub kind: String,
    pub date: Option<NaiveDate>,
    /// What is known of an unknown date.
    pub date_text: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// The event's payload fields (`outcome`, `actions`, `denial_found`...), as in `rrm-case/1`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// A clock run as of the response's `as_of` date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Clock {
    pub clock: String,
    pub name: Text,
    /// open, overdue, open_undated, elapsed, met, met_late, stopped, cancelled, lapsed, restarted
    pub status: String,
    pub started: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Calendar days from `as_of` to `due`; negative once overdue.
    pub days_left: Option<i64>,
    pub extensions: u32,
    pub citation: String,
    /// verified, secondary or unverified
    pub rule_status: String,
    pub on_expiry: Text,
}

/// One case in full, as of a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: String,
    pub procedure: String,
    pub request_number: Option<u32>,
    pub facility: Facility,
    pub petitioners: Vec<Petitioner>,
    pub workers_affected: Option<u64>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub stage: Stage,
    pub closed: bool,
    pub outcome: Option<String>,
    pub as_of: NaiveDate,
    pub events: Vec<Event>,
    pub clocks: Vec<Clock>,
    /// Event kinds the procedure allows next.
    pub next_events: Vec<String>,
    pub data_gaps: Vec<DataGap>,
    pub sources: Vec<String>,
    /// Hex SHA-256 of the case's last event: cite it to pin the record you read.
    pub head_hash: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deadline {
    pub case: String,
    pub procedure: String,
    pub clock: String,
    pub name: Text,
    pub started: Option<NaiveDate>,
    pub due: NaiveDate,
    pub days_left: i64,
    pub overdue: bool,
    pub citation: String,
    pub rule_status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineList {
    pub as_of: NaiveDate,
    pub items: Vec<Deadline>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyFigures {
    pub requests: u64,
    pub open: u64,
    pub resolved: u64,
    pub closed: u64,
    pub panels: u64,
    pub workers: i64,
    pub workers_known: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearCount {
    pub year: i32,
    pub requests: u64,
    pub cumulative: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Duration {
    pub outcome: String,
    pub cases: u64,
    pub median_days: i64,
    pub min_days: i64,
    pub max_days: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Statistics {
    pub key_figures: KeyFigures,
    pub requests_per_year: Vec<YearCount>,
    /// Requests for review whose day is not known, left out of `requests_per_year`.
    pub undated_requests: u64,
    /// Days from the request for review to resolution or closure, by outcome.
    pub resolution_days: Vec<Duration>,
    pub outcomes: Vec<Count>,
    pub sectors: Vec<Count>,
    pub states: Vec<Count>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// bad_request, bad_input, not_found, refused, conflict, unauthorized, forbidden,
    /// too_large, method_not_allowed, internal
    pub code: String,
    pub message: String,
    /// With `refused`: the id of the rule that refused (a transition id, `chronology`,
    /// `future_date`, or `procedure/stage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Every error response of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorDetail,
}

/// One case matching a search of the public record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// The case id.
    pub id: String,
    /// The facility (and company).
    pub title: String,
    /// The case's page on this site.
    pub url: String,
    /// Escaped text with `<mark>` around the matched words; safe to insert as HTML.
    pub snippet_html: String,
    pub score: f32,
}

/// Counts over every match (not only this page), by facet value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchFacets {
    pub stage: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub outcome: Vec<FacetValue>,
    pub state: Vec<FacetValue>,
    pub sector: Vec<FacetValue>,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub query: String,
    /// Every match, not only this page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// `ready`; `building` while the index is (re)built (results may be incomplete); or
    /// `unavailable` on a server without a search index.
    pub index: String,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
}
