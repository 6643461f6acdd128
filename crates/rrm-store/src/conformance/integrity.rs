//! Checks of the whole-store questions: `verify` on an untouched store, and `stats`.
//! (Detecting tampering needs writes behind the store's back, so each backend tests that.)

use super::fixtures::{case, clock, d, events, projection};
use crate::Store;

/// Fills a store with cases of 0 to 7 events, two of them appended to afterwards.
fn fill(store: &dyn Store) -> u64 {
    let cases: Vec<_> = (0..8).map(|n| case(&format!("mx-{n:03}"), n)).collect();
    store.create_cases(&cases).expect("create");
    for (id, head) in [("mx-002", 2), ("mx-005", 5)] {
        store
            .append(id, head, &events(2), &projection("under_review", vec![]))
            .expect("append");
    }
    (0..8).sum::<u64>() + 4
}

/// A store written only through the trait verifies whole, counting every case and event, and
/// reports progress with counts that never go down nor past the total.
pub fn verify_finds_clean_store_whole(store: &dyn Store) {
    let written = fill(store);
    let mut seen = Vec::new();
    let report = store.verify(&mut |n| seen.push(n)).expect("verify");
    assert_eq!(report.broken, [], "nothing was tampered with");
    assert_eq!((report.cases, report.events), (8, written));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress {seen:?}");
    assert!(seen.iter().all(|&n| n <= written), "progress {seen:?}");
    let empty = store.verify(&mut |_| {}).expect("verify again");
    assert_eq!(empty, report, "verify changes nothing");
}

/// `stats` counts cases, events, open cases and running deadlines as written.
pub fn stats_count_what_was_written(store: &dyn Store) {
    assert_eq!(store.stats().expect("stats").cases, 0);
    let written = fill(store);
    let mut closed = case("mx-100", 1);
    closed.projection.closed = true;
    let mut clocked = case("mx-101", 2);
    clocked.projection.clocks = vec![
        clock("mexico_answer", None, d(2024, 1, 11)),
        clock("review", None, d(2024, 2, 11)),
    ];
    store.create_cases(&[closed, clocked]).expect("create");
    let stats = store.stats().expect("stats");
    assert_eq!(stats.cases, 10);
    assert_eq!(stats.events, written + 3);
    assert_eq!(stats.open_cases, 9);
    assert_eq!(stats.running_deadlines, 2);
    let one = vec![clock("review", None, d(2024, 2, 11))];
    store
        .append("mx-101", 2, &events(1), &projection("under_review", one))
        .expect("append");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.events, stats.running_deadlines), (written + 4, 1));
}
