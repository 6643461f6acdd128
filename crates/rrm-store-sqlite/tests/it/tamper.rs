//! Tampering: rows edited with plain SQL behind the store's back must make `verify` name the
//! case and the first broken event, with a problem that says what is wrong, and leave the
//! other cases unreported.

use rrm_store::{event_hash, BrokenChain, Store};

use crate::support::{counted_case, DiskStore};

/// Three cases of six events; the tests tamper with `t-2` unless they say otherwise.
fn store() -> DiskStore {
    let s = DiskStore::new();
    let cases: Vec<_> = ["t-1", "t-2", "t-3"]
        .iter()
        .map(|id| counted_case(id, 6))
        .collect();
    s.store.create_cases(&cases).unwrap();
    assert_eq!(s.store.verify(&mut |_| {}).unwrap().broken, []);
    s
}

fn broken(case_id: &str, seq: u64, problem: &str) -> BrokenChain {
    BrokenChain {
        case_id: case_id.to_string(),
        seq,
        problem: problem.to_string(),
    }
}

/// Runs `sql` on a raw connection, then verifies.
fn tampered(sql: &str) -> (DiskStore, Vec<BrokenChain>) {
    let s = store();
    s.raw().execute_batch(sql).unwrap();
    let report = s.store.verify(&mut |_| {}).unwrap();
    assert!(report.events >= 17, "verify walked every event: {report:?}");
    (s, report.broken)
}

#[test]
fn altered_payload_is_found_at_its_event() {
    let (_, found) = tampered(
        "update events set payload = replace(payload, 'event 3', 'event three') \
         where case_id = 't-2' and seq = 3",
    );
    assert_eq!(found, [broken("t-2", 3, "hash does not match its content")]);
}

#[test]
fn altered_date_or_kind_is_found_at_its_event() {
    for sql in [
        "update events set date = '2024-01-05' where case_id = 't-2' and seq = 2",
        "update events set date = null where case_id = 't-2' and seq = 2",
        "update events set kind = 'review_accepted' where case_id = 't-2' and seq = 2",
    ] {
        let (_, found) = tampered(sql);
        assert_eq!(
            found,
            [broken("t-2", 2, "hash does not match its content")],
            "{sql}"
        );
    }
}

#[test]
fn altered_payload_with_its_hash_recomputed_breaks_the_next_link() {
    let s = store();
    let mut third = s.store.events("t-2").unwrap().remove(2);
    third.payload = third.payload.replace("event 3", "event three");
    let date = third.date.map(|d| d.to_string());
    let forged = event_hash(
        &third.prev_hash,
        "t-2",
        3,
        &third.kind,
        date.as_deref(),
        &third.payload,
    );
    s.raw()
        .execute(
            "update events set payload = ?1, hash = ?2 where case_id = 't-2' and seq = 3",
            rusqlite::params![third.payload, &forged[..]],
        )
        .unwrap();
    let found = s.store.verify(&mut |_| {}).unwrap().broken;
    assert_eq!(
        found,
        [broken("t-2", 4, "prev_hash does not match event 3")]
    );
}

#[test]
fn deleted_event_is_reported_missing() {
    let (_, found) = tampered("delete from events where case_id = 't-2' and seq = 4");
    assert_eq!(found, [broken("t-2", 4, "event 4 is missing")]);
    let (_, found) = tampered("delete from events where case_id = 't-2' and seq = 1");
    assert_eq!(found, [broken("t-2", 1, "event 1 is missing")]);
}

#[test]
fn deleted_last_event_disagrees_with_the_head() {
    let (_, found) = tampered("delete from events where case_id = 't-2' and seq = 6");
    assert_eq!(found, [broken("t-2", 0, "head says 6 events, found 5")]);
    let (_, found) = tampered(
        "delete from events where case_id = 't-2' and seq = 6; \
         update cases set head_seq = 5 where id = 't-2'",
    );
    assert_eq!(
        found,
        [broken("t-2", 0, "head hash does not match event 5")]
    );
}

#[test]
fn swapped_events_break_at_the_first_of_them() {
    let (_, found) = tampered(
        "update events set seq = -1 where case_id = 't-2' and seq = 2; \
         update events set seq = 2 where case_id = 't-2' and seq = 3; \
         update events set seq = 3 where case_id = 't-2' and seq = -1",
    );
    assert_eq!(
        found,
        [broken("t-2", 2, "prev_hash does not match event 1")]
    );
}

#[test]
fn altered_header_is_reported_before_any_event() {
    let (_, found) =
        tampered("update cases set document = replace(document, '6}', '5}') where id = 't-2'");
    assert_eq!(found, [broken("t-2", 0, "header was altered")]);
    let (_, found) = tampered("update cases set procedure = 'usmca-31b' where id = 't-2'");
    assert_eq!(found, [broken("t-2", 0, "header was altered")]);
}

#[test]
fn header_rehashed_after_an_edit_breaks_the_first_link() {
    let s = store();
    let document = r#"{"id":"t-2","expected_events":6,"edited":true}"#;
    let forged = rrm_store::header_hash("t-2", "usmca-31a", document);
    s.raw()
        .execute(
            "update cases set document = ?1, header_hash = ?2 where id = 't-2'",
            rusqlite::params![document, &forged[..]],
        )
        .unwrap();
    let found = s.store.verify(&mut |_| {}).unwrap().broken;
    assert_eq!(
        found,
        [broken("t-2", 1, "prev_hash does not match the header")]
    );
}

#[test]
fn deleted_header_leaves_its_events_reported() {
    for victim in ["t-1", "t-2", "t-3"] {
        let (_, found) = tampered(&format!(
            "delete from running_clocks where case_id = '{victim}'; \
             delete from case_projection where case_id = '{victim}'; \
             delete from cases where id = '{victim}'"
        ));
        let problem = "event has no case header (the case was deleted)";
        assert_eq!(found, [broken(victim, 1, problem)], "deleted {victim}");
    }
}

#[test]
fn value_of_the_wrong_type_is_reported_not_fatal() {
    let (_, found) =
        tampered("update events set payload = x'00ff' where case_id = 't-2' and seq = 5");
    let problem = "column `payload` has a value of the wrong type";
    assert_eq!(found, [broken("t-2", 5, problem)]);
    let (_, found) = tampered("update events set hash = 'short' where case_id = 't-2' and seq = 5");
    assert_eq!(found, [broken("t-2", 5, "hash does not match its content")]);
}

#[test]
fn every_broken_case_is_reported_once_in_id_order() {
    let (s, found) = tampered(
        "update events set payload = payload || ' ' where case_id = 't-3' and seq = 2; \
         update events set payload = payload || ' ' where case_id = 't-3' and seq = 5; \
         delete from events where case_id = 't-1' and seq = 3",
    );
    assert_eq!(
        found,
        [
            broken("t-1", 3, "event 3 is missing"),
            broken("t-3", 2, "hash does not match its content"),
        ]
    );
    assert_eq!(
        s.store.events("t-2").unwrap().len(),
        6,
        "untouched case reads whole"
    );
}
