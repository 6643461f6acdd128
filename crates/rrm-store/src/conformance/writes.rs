//! Checks of the write path: creating cases all or nothing, and appends that extend the chain
//! only from the head they name.

use super::fixtures::{assert_chain, case, clock, d, event, events, header, ids, projection, row};
use crate::{CaseFilter, DeadlineQuery, NewCase, Store, StoreError};

/// Created cases read back exactly, with every event chained from the header's hash.
pub fn create_and_read_back(store: &dyn Store) {
    let mut second = case("mx-002", 1);
    second.header.facility_key = Some("planta-silao".to_string());
    second.header.procedure = "usmca-31b".to_string();
    let batch = [case("mx-001", 5), second, case("mx-003", 0)];
    store.create_cases(&batch).expect("create");
    for c in &batch {
        assert_chain(store, &c.header, &c.events);
    }
    assert!(
        store.case("mx-404").expect("case").is_none(),
        "unknown case"
    );
    assert!(
        store.events("mx-404").expect("events").is_empty(),
        "unknown case"
    );
    let listed = row(store, "mx-001").expect("mx-001 is listed");
    assert_eq!(
        listed.projection, batch[0].projection,
        "projection reads back"
    );
    assert_eq!(
        (listed.procedure.as_str(), listed.event_count),
        ("usmca-31a", 5)
    );
}

/// Creating an existing id is a `Conflict`, and the batch it is in writes nothing, wherever
/// the duplicate sits in the batch.
pub fn duplicate_create_is_conflict_and_writes_nothing(store: &dyn Store) {
    let original = case("mx-001", 3);
    store
        .create_cases(std::slice::from_ref(&original))
        .expect("create");
    let mut again = case("mx-001", 1);
    again.header.document = r#"{"id":"mx-001","rewritten":true}"#.to_string();
    let mut fresh = case("mx-002", 2);
    fresh.projection.clocks = vec![clock("mexico_answer", None, d(2024, 2, 1))];
    for batch in [
        vec![again.clone()],
        vec![fresh.clone(), again.clone()],
        vec![again.clone(), fresh.clone()],
        vec![fresh.clone(), fresh.clone()],
    ] {
        let ids_in: Vec<_> = batch.iter().map(|c| c.header.id.as_str()).collect();
        match store.create_cases(&batch) {
            Err(StoreError::Conflict(why)) => assert!(
                why.contains("mx-00"),
                "the conflict should name the case: {why}"
            ),
            other => panic!("creating {ids_in:?} should be a Conflict, got {other:?}"),
        }
        assert_chain(store, &original.header, &original.events);
        assert_eq!(
            store.case("mx-002").expect("case"),
            None,
            "batch {ids_in:?}"
        );
        assert!(
            store.events("mx-002").expect("events").is_empty(),
            "batch {ids_in:?}"
        );
        assert_eq!(ids(store, &CaseFilter::default()).1, 1, "batch {ids_in:?}");
        let all = DeadlineQuery {
            due_from: None,
            due_to: None,
            case_id: None,
            limit: u64::MAX,
        };
        assert!(store.deadlines(&all).expect("deadlines").is_empty());
    }
}

/// An append naming the current head stores the events after it, chained from the old head,
/// and returns them as stored.
pub fn append_extends_the_chain(store: &dyn Store) {
    let mut c = case("mx-001", 2);
    store.create_cases(&[c.clone()]).expect("create");
    let more = vec![
        event(
            "review_accepted",
            Some(d(2024, 2, 1)),
            r#","note":"acepta""#,
        ),
        event(
            "review_report",
            Some(d(2024, 3, 1)),
            r#","denial_found":true"#,
        ),
    ];
    let returned = store
        .append("mx-001", 2, &more, &projection("under_review", vec![]))
        .expect("append at the head");
    c.events.extend(more.iter().cloned());
    let stored = assert_chain(store, &c.header, &c.events);
    assert_eq!(returned, stored[2..], "append returns the events as stored");
    let one = [event("remediation_agreed", Some(d(2024, 3, 5)), "")];
    let returned = store
        .append("mx-001", 4, &one, &projection("remediation", vec![]))
        .expect("second append");
    c.events.extend(one.iter().cloned());
    let stored = assert_chain(store, &c.header, &c.events);
    assert_eq!(returned, stored[4..]);
    assert_eq!(row(store, "mx-001").expect("listed").event_count, 5);
}

/// An append naming any other head is a `Conflict` naming both numbers, and writes nothing:
/// no event, no head move, no projection or clock change.
pub fn append_with_stale_head_is_conflict_and_writes_nothing(store: &dyn Store) {
    let mut c = case("mx-001", 3);
    c.projection.clocks = vec![clock("mexico_answer", Some(d(2024, 1, 1)), d(2024, 1, 11))];
    store.create_cases(&[c.clone()]).expect("create");
    let late = [event("review_declined", Some(d(2024, 1, 20)), "")];
    let replaced = projection("closed", vec![]);
    for stale in [2, 0, 4, 99] {
        match store.append("mx-001", stale, &late, &replaced) {
            Err(StoreError::Conflict(why)) => assert!(
                why.contains('3') && why.contains(&stale.to_string()),
                "the conflict should name the head (3) and the expected one ({stale}): {why}"
            ),
            other => panic!("append at head {stale} should be a Conflict, got {other:?}"),
        }
        assert_chain(store, &c.header, &c.events);
        assert_eq!(
            row(store, "mx-001").expect("listed").projection,
            c.projection
        );
    }
}

/// Appending to a case that does not exist is `NotFound`, and creates nothing.
pub fn append_to_unknown_case_is_not_found(store: &dyn Store) {
    store.create_cases(&[case("mx-001", 1)]).expect("create");
    let e = events(1);
    match store.append("mx-404", 0, &e, &projection("filed", vec![])) {
        Err(StoreError::NotFound(id)) => assert!(id.contains("mx-404"), "names the case: {id}"),
        other => panic!("append to an unknown case should be NotFound, got {other:?}"),
    }
    assert_eq!(store.case("mx-404").expect("case"), None);
    assert!(store.events("mx-404").expect("events").is_empty());
    assert_eq!(
        ids(store, &CaseFilter::default()),
        (vec!["mx-001".to_string()], 1)
    );
}

/// After an append, the case's listing shows the projection given with it, whole.
pub fn append_replaces_the_projection(store: &dyn Store) {
    let mut c = case("mx-001", 2);
    c.projection.clocks = vec![
        clock("mexico_answer", Some(d(2024, 1, 1)), d(2024, 1, 11)),
        clock("review", Some(d(2024, 1, 1)), d(2024, 2, 15)),
    ];
    c.projection.facets.sector = Some("autopartes".to_string());
    store.create_cases(&[c]).expect("create");
    let mut next = projection("closed", vec![clock("report", None, d(2024, 5, 1))]);
    next.closed = true;
    next.outcome = Some("remedied".to_string());
    next.has_panel = true;
    next.first_date = Some(d(2024, 1, 1));
    next.last_date = Some(d(2024, 3, 1));
    next.facets.title = "Planta renombrada".to_string();
    next.facets.company = Some("Compañía, S.A. de C.V.".to_string());
    next.facets.state = Some("Puebla".to_string());
    next.facets.year = Some(2024);
    next.facets.workers = Some(1_250);
    let e = [event("remedy_ended", Some(d(2024, 3, 1)), "")];
    store
        .append("mx-001", 2, &e, &next)
        .expect("append at the head");
    assert_eq!(row(store, "mx-001").expect("listed").projection, next);
    let empty = NewCase {
        header: header("mx-002", "usmca-31a", None),
        events: vec![],
        projection: projection("filed", vec![]),
    };
    store.create_cases(&[empty]).expect("create an empty case");
    store
        .append("mx-002", 0, &[], &next)
        .expect("an append of no events still replaces the projection");
    assert_eq!(row(store, "mx-002").expect("listed").projection, next);
}
