//! The `Store` trait: the whole conformance suite, tampering behind the store's back,
//! concurrent appends from two stores, and migrations run twice.

use std::sync::Barrier;
use std::thread;

use chrono::NaiveDate;
use postgres::{Client, NoTls};

use rrm_store::{
    BrokenChain, CaseFilter, CaseHeader, Facets, NewCase, NewEvent, Projection, Store, StoreError,
};
use rrm_store_postgres::PostgresStore;

use crate::support::Schema;

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
}

pub fn event(n: u32) -> NewEvent {
    NewEvent {
        kind: "note".to_string(),
        date: Some(date(n)),
        payload: format!(r#"{{"kind":"note","n":{n}}}"#),
    }
}

pub fn projection() -> Projection {
    Projection {
        stage: "filed".to_string(),
        facets: Facets {
            title: "A facility".to_string(),
            ..Facets::default()
        },
        ..Projection::default()
    }
}

/// A case with `events` numbered events.
pub fn case(id: &str, events: u32) -> NewCase {
    NewCase {
        header: CaseHeader {
            id: id.to_string(),
            procedure: "usmca-31a".to_string(),
            facility_key: None,
            document: format!(r#"{{"id":"{id}"}}"#),
        },
        events: (1..=events).map(event).collect(),
        projection: projection(),
    }
}

#[test]
fn conformance() {
    let schemas = std::cell::RefCell::new(Vec::new());
    rrm_store::conformance::run_all(&|| {
        let schema = Schema::new();
        let store = schema.store();
        schemas.borrow_mut().push(schema);
        Box::new(store)
    });
}

#[test]
fn connecting_twice_migrates_once() {
    let schema = Schema::new();
    let first = schema.store();
    first.create_cases(&[case("m-1", 1)]).unwrap();
    let second = schema.store();
    assert_eq!(second.case("m-1").unwrap().unwrap().head_seq, 1);
    let mut client = Client::connect(&schema.url(), NoTls).unwrap();
    let versions: Vec<i32> = client
        .query(
            "select version from schema_migrations order by version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        versions,
        (1..=rrm_store_postgres::SCHEMA_VERSION).collect::<Vec<_>>()
    );
}

fn broken(case_id: &str, seq: u64, problem: &str) -> BrokenChain {
    BrokenChain {
        case_id: case_id.to_string(),
        seq,
        problem: problem.to_string(),
    }
}

#[test]
fn tampering_is_found_at_the_first_broken_event() {
    let schema = Schema::new();
    let store = schema.store();
    let cases = [
        case("t-1", 4),
        case("t-2", 4),
        case("t-3", 4),
        case("t-4", 4),
    ];
    store.create_cases(&cases).unwrap();
    schema.sql(
        "update events set payload = '{\"kind\":\"note\",\"n\":99}' \
             where case_id = 't-1' and seq = 2; \
         delete from events where case_id = 't-3' and seq = 3; \
         update cases set document = '{}' where id = 't-4';",
    );
    let report = store.verify(&mut |_| {}).unwrap();
    assert_eq!(report.cases, 4);
    assert_eq!(report.events, 15);
    assert_eq!(
        report.broken,
        [
            broken("t-1", 2, "hash does not match its content"),
            broken("t-3", 3, "event 3 is missing"),
            broken("t-4", 0, "header was altered"),
        ]
    );
}

#[test]
fn deleted_last_event_disagrees_with_the_head() {
    let schema = Schema::new();
    let store = schema.store();
    store.create_cases(&[case("h-1", 3)]).unwrap();
    schema.sql("delete from events where case_id = 'h-1' and seq = 3");
    let report = store.verify(&mut |_| {}).unwrap();
    assert_eq!(
        report.broken,
        [broken("h-1", 0, "head says 3 events, found 2")]
    );
}

#[test]
fn verify_streams_more_events_than_one_page() {
    let schema = Schema::new();
    let store = schema.store();
    let cases: Vec<NewCase> = (0..300).map(|i| case(&format!("p-{i:03}"), 5)).collect();
    store.create_cases(&cases).unwrap();
    let mut seen = 0;
    let report = store.verify(&mut |n| seen = n).unwrap();
    assert_eq!((report.cases, report.events, seen), (300, 1500, 1500));
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

/// Appends `n` events to `case_id`, retrying each on `Conflict` with the new head.
fn append_with_retries(store: &PostgresStore, case_id: &str, n: u32) -> u32 {
    let mut conflicts = 0;
    for i in 0..n {
        loop {
            let head = store.case(case_id).unwrap().unwrap().head_seq;
            match store.append(case_id, head, &[event(1 + i % 28)], &projection()) {
                Ok(_) => break,
                Err(StoreError::Conflict(_)) => conflicts += 1,
                Err(e) => panic!("append failed: {e}"),
            }
        }
    }
    conflicts
}

#[test]
fn concurrent_appends_from_two_stores_never_fork() {
    const EACH: u32 = 40;
    let schema = Schema::new();
    let (a, b) = (schema.store(), schema.store());
    a.create_cases(&[case("c-1", 1)]).unwrap();
    // Both writers start at once, so their appends interleave and some name a stale head.
    let start = Barrier::new(2);
    let conflicts: u32 = thread::scope(|s| {
        let writers = [&a, &b].map(|store| {
            let start = &start;
            s.spawn(move || {
                start.wait();
                append_with_retries(store, "c-1", EACH)
            })
        });
        writers.map(|w| w.join().unwrap()).iter().sum()
    });
    eprintln!("{conflicts} appends were retried after a conflict");
    let total = 1 + 2 * u64::from(EACH);
    assert_eq!(a.case("c-1").unwrap().unwrap().head_seq, total);
    let seqs: Vec<u64> = a.events("c-1").unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>());
    let report = b.verify(&mut |_| {}).unwrap();
    assert_eq!(report.events, total);
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

#[test]
fn stale_head_conflict_names_both_numbers() {
    let schema = Schema::new();
    let store = schema.store();
    store.create_cases(&[case("s-1", 2)]).unwrap();
    match store.append("s-1", 1, &[event(3)], &projection()) {
        Err(StoreError::Conflict(message)) => assert_eq!(
            message,
            "case `s-1` has 2 events, but the append expected 1"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn two_servers_starting_together_migrate_once() {
    let schema = Schema::new();
    thread::scope(|s| {
        let starts: Vec<_> = (0..4).map(|_| s.spawn(|| schema.store())).collect();
        for start in starts {
            start.join().unwrap();
        }
    });
    let mut client = Client::connect(&schema.url(), NoTls).unwrap();
    let n: i64 = client
        .query_one("select count(*) from schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, i64::from(rrm_store_postgres::SCHEMA_VERSION));
}

fn listed(store: &PostgresStore, published: Option<bool>) -> (Vec<String>, u64) {
    let filter = CaseFilter {
        published,
        ..CaseFilter::default()
    };
    let (rows, total) = store.list_cases(&filter).unwrap();
    (rows.into_iter().map(|r| r.id).collect(), total)
}

#[test]
fn list_cases_filters_on_publication() {
    let schema = Schema::new();
    let store = schema.store();
    store
        .create_cases(&[case("u-1", 1), case("u-2", 1), case("u-3", 1)])
        .unwrap();
    schema.sql("insert into unpublished_cases (case_id) values ('u-2')");
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(listed(&store, Some(true)), (ids(&["u-1", "u-3"]), 2));
    assert_eq!(listed(&store, Some(false)), (ids(&["u-2"]), 1));
    assert_eq!(listed(&store, None).1, 3);
}
