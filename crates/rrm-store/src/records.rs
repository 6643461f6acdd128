//! The records a store keeps and answers with. Dates are ISO `YYYY-MM-DD` [`NaiveDate`]s.

use chrono::NaiveDate;

use crate::Hash;

/// The part of a case that is not an event: facility, petitioners, sources, data gaps, as the
/// caller's canonical JSON (`document`), plus the columns the store indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHeader {
    pub id: String,
    pub procedure: String,
    /// Identifies the facility across cases (repeat requests, repeat offences).
    pub facility_key: Option<String>,
    pub document: String,
}

/// An event to append: its kind and date as indexed columns, and its full canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub payload: String,
}

/// An event as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub case_id: String,
    /// 1-based position in the case.
    pub seq: u64,
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub payload: String,
    pub prev_hash: Hash,
    pub hash: Hash,
}

/// A running deadline to index by due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectedClock {
    pub clock: String,
    pub started: Option<NaiveDate>,
    pub due: NaiveDate,
}

/// What the engine derived from a case's events, kept for fast listing and deadline queries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Projection {
    pub stage: String,
    pub closed: bool,
    /// Outcome code or closing reason, once ended.
    pub outcome: Option<String>,
    pub has_panel: bool,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// Running deadlines with known due dates.
    pub clocks: Vec<ProjectedClock>,
    /// Facet columns taken from the header.
    pub facets: Facets,
}

/// Case attributes the index filters and sorts on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    pub title: String,
    pub company: Option<String>,
    pub sector: Option<String>,
    pub state: Option<String>,
    pub year: Option<i32>,
    pub workers: Option<i64>,
}

/// A case to create with its first events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub header: CaseHeader,
    pub events: Vec<NewEvent>,
    pub projection: Projection,
}

/// A stored case header with the head of its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub header: CaseHeader,
    pub head_seq: u64,
    pub head_hash: Hash,
}

/// One case in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: String,
    pub procedure: String,
    pub projection: Projection,
    pub event_count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    /// Most recent activity first.
    #[default]
    LastDateDesc,
    FirstDateDesc,
    FirstDateAsc,
    Title,
}

/// Which cases to list; `None` fields do not filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilter {
    pub procedure: Option<String>,
    pub stage: Option<String>,
    pub closed: Option<bool>,
    pub outcome: Option<String>,
    pub has_panel: Option<bool>,
    pub sector: Option<String>,
    pub state: Option<String>,
    pub year: Option<i32>,
    /// `Some(true)`: only published cases (every public listing asks this); `Some(false)`:
    /// only unpublished ones (petitions awaiting review); `None`: all.
    pub published: Option<bool>,
    pub sort: CaseSort,
    pub offset: u64,
    pub limit: u64,
}

impl Default for CaseFilter {
    fn default() -> Self {
        CaseFilter {
            procedure: None,
            stage: None,
            closed: None,
            outcome: None,
            has_panel: None,
            sector: None,
            state: None,
            year: None,
            published: None,
            sort: CaseSort::default(),
            offset: 0,
            limit: u64::MAX,
        }
    }
}

/// Running deadlines due in `[due_from, due_to]` (either end open), earliest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineQuery {
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    pub case_id: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRow {
    pub case_id: String,
    pub procedure: String,
    pub clock: String,
    pub started: Option<NaiveDate>,
    pub due: NaiveDate,
}

/// The first broken event of a case whose chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenChain {
    pub case_id: String,
    /// 1-based position of the first event that fails (0: the header or the head).
    pub seq: u64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    pub cases: u64,
    pub events: u64,
    pub broken: Vec<BrokenChain>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreStats {
    pub cases: u64,
    pub events: u64,
    pub open_cases: u64,
    pub running_deadlines: u64,
    pub bytes_on_disk: u64,
}
