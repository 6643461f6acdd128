//! Builders for the suite's cases, events and projections, and the chain check the write
//! checks share. Payloads hold non-ASCII text and escapes so a backend that re-encodes them
//! (and so changes the bytes the chain covers) is caught.

use chrono::NaiveDate;

use crate::{
    event_hash, header_hash, CaseFilter, CaseHeader, CaseRow, Facets, NewCase, NewEvent,
    ProjectedClock, Projection, Store, StoredEvent,
};

pub(super) fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid fixture date")
}

pub(super) fn event(kind: &str, date: Option<NaiveDate>, body: &str) -> NewEvent {
    let date_json = date.map_or("null".to_string(), |d| format!("\"{d}\""));
    NewEvent {
        kind: kind.to_string(),
        date,
        payload: format!(r#"{{"kind":"{kind}","date":{date_json}{body}}}"#),
    }
}

/// A panel determination, finding a denial of rights or not.
pub(super) fn determination(date: NaiveDate, denial_found: bool) -> NewEvent {
    event(
        "panel_determination",
        Some(date),
        &format!(r#","denial_found":{denial_found}"#),
    )
}

/// `n` dated events, one a day from 2024-01-01, with one undated event in the middle.
pub(super) fn events(n: usize) -> Vec<NewEvent> {
    (0..n)
        .map(|i| match i {
            1 => event(
                "mexico_answer",
                None,
                r#","date_text":"early 2024","note":"Secretaría del Trabajo \"STPS\""#,
            ),
            _ => event(
                "petition_filed",
                d(2024, 1, 1).checked_add_days(chrono::Days::new(i as u64)),
                &format!(r#","note":"petición nº {i} — año 2024""#),
            ),
        })
        .collect()
}

pub(super) fn header(id: &str, procedure: &str, facility_key: Option<&str>) -> CaseHeader {
    CaseHeader {
        id: id.to_string(),
        procedure: procedure.to_string(),
        facility_key: facility_key.map(str::to_string),
        document: format!(
            r#"{{"id":"{id}","facility":{{"name":"Planta {id}","state":"Nuevo León"}}}}"#
        ),
    }
}

pub(super) fn clock(name: &str, started: Option<NaiveDate>, due: NaiveDate) -> ProjectedClock {
    ProjectedClock {
        clock: name.to_string(),
        started,
        due,
    }
}

/// An open case's projection with a title and the given clocks.
pub(super) fn projection(stage: &str, clocks: Vec<ProjectedClock>) -> Projection {
    Projection {
        stage: stage.to_string(),
        clocks,
        facets: Facets {
            title: format!("Planta en {stage}"),
            ..Facets::default()
        },
        ..Projection::default()
    }
}

/// A case of `n` events under `usmca-31a` with an open projection and no clocks.
pub(crate) fn case(id: &str, n: usize) -> NewCase {
    NewCase {
        header: header(id, "usmca-31a", None),
        events: events(n),
        projection: projection("awaiting_answer", vec![]),
    }
}

/// Asserts that the store holds exactly `expected` for the case of `header`, chained from the
/// header's hash, with the head on the last event. Returns the stored events.
pub(super) fn assert_chain(
    store: &dyn Store,
    header: &CaseHeader,
    expected: &[NewEvent],
) -> Vec<StoredEvent> {
    let id = &header.id;
    let stored = store.events(id).expect("events");
    assert_eq!(
        stored.len(),
        expected.len(),
        "case `{id}`: number of events"
    );
    let mut prev = header_hash(id, &header.procedure, &header.document);
    for ((s, e), seq) in stored.iter().zip(expected).zip(1..) {
        assert_eq!(
            (s.case_id.as_str(), s.seq, &s.kind, s.date, &s.payload),
            (id.as_str(), seq, &e.kind, e.date, &e.payload),
            "case `{id}`: event {seq} does not read back as written"
        );
        assert_eq!(s.prev_hash, prev, "case `{id}` event {seq}: prev_hash");
        let date = e.date.map(|d| d.to_string());
        let hash = event_hash(&prev, id, seq, &e.kind, date.as_deref(), &e.payload);
        assert_eq!(s.hash, hash, "case `{id}` event {seq}: hash");
        prev = hash;
    }
    let case = store.case(id).expect("case").expect("the case exists");
    assert_eq!(case.header, *header, "case `{id}`: header");
    assert_eq!(
        case.head_seq,
        expected.len() as u64,
        "case `{id}`: head_seq"
    );
    assert_eq!(case.head_hash, prev, "case `{id}`: head_hash");
    stored
}

/// The listing row of one case.
pub(super) fn row(store: &dyn Store, id: &str) -> Option<CaseRow> {
    let (rows, _) = store.list_cases(&CaseFilter::default()).expect("list");
    rows.into_iter().find(|r| r.id == id)
}

/// The ids a listing returns, in order, and its total.
pub(super) fn ids(store: &dyn Store, filter: &CaseFilter) -> (Vec<String>, u64) {
    let (rows, total) = store.list_cases(filter).expect("list");
    (rows.into_iter().map(|r| r.id).collect(), total)
}
