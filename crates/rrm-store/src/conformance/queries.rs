//! Checks of the read side: listing with filters, sorts and pages; running deadlines by due
//! date; and the count of earlier denial determinations at a facility.

use chrono::NaiveDate;

use super::fixtures::{case, clock, d, determination, event, ids, projection};
use crate::{CaseFilter, CaseSort, DeadlineQuery, DeadlineRow, NewCase, Store};

/// One case of the fleet: (id, procedure, stage, closed, outcome, has_panel), its first and
/// last dates, and (title, sector, state, year).
type Shape = (
    (
        &'static str,
        &'static str,
        &'static str,
        bool,
        Option<&'static str>,
        bool,
    ),
    (Option<NaiveDate>, Option<NaiveDate>),
    (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<i32>,
    ),
);

/// Five cases whose facets make every filter and sort below select a distinct answer.
fn fleet() -> Vec<NewCase> {
    let (auto, gto) = (Some("auto"), Some("Guanajuato"));
    let shapes: [Shape; 5] = [
        (
            ("a", "usmca-31a", "closed", true, Some("remedied"), false),
            (Some(d(2021, 6, 1)), Some(d(2021, 9, 1))),
            ("Zeta Motores", auto, gto, Some(2021)),
        ),
        (
            ("b", "usmca-31a", "under_review", false, None, false),
            (Some(d(2022, 3, 1)), Some(d(2022, 5, 1))),
            ("Alpha Autopartes", auto, Some("Coahuila"), Some(2022)),
        ),
        (
            ("c", "usmca-31b", "panel", false, None, true),
            (Some(d(2023, 1, 10)), Some(d(2023, 8, 1))),
            (
                "Mina Charlie",
                Some("mining"),
                Some("Zacatecas"),
                Some(2023),
            ),
        ),
        (
            ("d", "usmca-31a", "closed", true, Some("denial_found"), true),
            (Some(d(2023, 2, 1)), Some(d(2023, 8, 1))),
            ("Delta Piezas", auto, gto, Some(2023)),
        ),
        (
            ("e", "usmca-31a", "petition", false, None, false),
            (None, None),
            ("Echo Textil", None, None, None),
        ),
    ];
    shapes
        .into_iter()
        .zip(1..)
        .map(|(shape, n)| shaped(shape, n))
        .collect()
}

fn shaped(shape: Shape, events: usize) -> NewCase {
    let ((id, procedure, stage, closed, outcome, panel), dates, facets) = shape;
    let (title, sector, state, year) = facets;
    let mut c = case(id, events);
    c.header.procedure = procedure.to_string();
    let p = &mut c.projection;
    (p.stage, p.closed, p.has_panel) = (stage.to_string(), closed, panel);
    p.outcome = outcome.map(str::to_string);
    (p.first_date, p.last_date) = dates;
    p.facets.title = title.to_string();
    p.facets.sector = sector.map(str::to_string);
    p.facets.state = state.map(str::to_string);
    p.facets.year = year;
    p.facets.workers = year.map(|y| i64::from(y - 2000) * 100);
    c
}

fn listed(store: &dyn Store, filter: CaseFilter) -> Vec<String> {
    ids(store, &filter).0
}

/// Each filter alone and two together select exactly the matching cases, in the default order
/// (most recent activity first, ties by id, undated last), and the total counts them all.
pub fn list_cases_filters(store: &dyn Store) {
    let fleet = fleet();
    store.create_cases(&fleet).expect("create");
    let all = CaseFilter::default;
    let s = |v: &str| Some(v.to_string());
    let cases: [(CaseFilter, &[&str]); 11] = [
        (all(), &["c", "d", "b", "a", "e"]),
        (
            CaseFilter {
                procedure: s("usmca-31b"),
                ..all()
            },
            &["c"],
        ),
        (
            CaseFilter {
                stage: s("closed"),
                ..all()
            },
            &["d", "a"],
        ),
        (
            CaseFilter {
                closed: Some(false),
                ..all()
            },
            &["c", "b", "e"],
        ),
        (
            CaseFilter {
                outcome: s("remedied"),
                ..all()
            },
            &["a"],
        ),
        (
            CaseFilter {
                has_panel: Some(true),
                ..all()
            },
            &["c", "d"],
        ),
        (
            CaseFilter {
                sector: s("auto"),
                ..all()
            },
            &["d", "b", "a"],
        ),
        (
            CaseFilter {
                state: s("Guanajuato"),
                ..all()
            },
            &["d", "a"],
        ),
        (
            CaseFilter {
                year: Some(2023),
                ..all()
            },
            &["c", "d"],
        ),
        (
            CaseFilter {
                sector: s("auto"),
                closed: Some(false),
                ..all()
            },
            &["b"],
        ),
        (
            CaseFilter {
                sector: s("textiles"),
                ..all()
            },
            &[],
        ),
    ];
    for (filter, expected) in cases {
        let (got, total) = ids(store, &filter);
        assert_eq!(got, expected, "listing {filter:?}");
        assert_eq!(total, expected.len() as u64, "total of {filter:?}");
    }
    let (rows, _) = store.list_cases(&all()).expect("list");
    let c = rows.iter().find(|r| r.id == "c").expect("c is listed");
    assert_eq!(
        c.projection, fleet[2].projection,
        "case c lists its projection"
    );
    assert_eq!((c.procedure.as_str(), c.event_count), ("usmca-31b", 3));
}

/// Every sort orders as documented, and offset/limit page through it with a stable total.
pub fn list_cases_sorts_and_pages(store: &dyn Store) {
    store.create_cases(&fleet()).expect("create");
    let by = |sort| CaseFilter {
        sort,
        ..CaseFilter::default()
    };
    assert_eq!(
        listed(store, by(CaseSort::LastDateDesc)),
        ["c", "d", "b", "a", "e"]
    );
    assert_eq!(
        listed(store, by(CaseSort::FirstDateDesc)),
        ["d", "c", "b", "a", "e"]
    );
    assert_eq!(
        listed(store, by(CaseSort::FirstDateAsc)),
        ["a", "b", "c", "d", "e"]
    );
    assert_eq!(
        listed(store, by(CaseSort::Title)),
        ["b", "d", "e", "c", "a"]
    );
    let page = |offset, limit| CaseFilter {
        offset,
        limit,
        ..CaseFilter::default()
    };
    let pages: [((u64, u64), &[&str]); 5] = [
        ((0, 2), &["c", "d"]),
        ((2, 2), &["b", "a"]),
        ((4, 2), &["e"]),
        ((10, 2), &[]),
        ((1, 0), &[]),
    ];
    for ((offset, limit), expected) in pages {
        let (got, total) = ids(store, &page(offset, limit));
        assert_eq!(got, expected, "offset {offset}, limit {limit}");
        assert_eq!(total, 5, "the total ignores paging");
    }
    let open_page = CaseFilter {
        closed: Some(false),
        offset: 1,
        limit: 1,
        ..by(CaseSort::Title)
    };
    assert_eq!(ids(store, &open_page), (vec!["e".to_string()], 3));
}

fn query(from: Option<NaiveDate>, to: Option<NaiveDate>) -> DeadlineQuery {
    DeadlineQuery {
        due_from: from,
        due_to: to,
        case_id: None,
        limit: u64::MAX,
    }
}

fn rows(store: &dyn Store, q: &DeadlineQuery) -> Vec<(String, String, NaiveDate)> {
    let rows: Vec<DeadlineRow> = store.deadlines(q).expect("deadlines");
    rows.into_iter()
        .map(|r| (r.case_id, r.clock, r.due))
        .collect()
}

fn row(case_id: &str, clock: &str, due: NaiveDate) -> (String, String, NaiveDate) {
    (case_id.to_string(), clock.to_string(), due)
}

/// Two open cases with clocks, one closed without.
fn clocked() -> Vec<NewCase> {
    let mut p = case("p", 2);
    p.projection.clocks = vec![
        clock("mexico_answer", Some(d(2024, 1, 1)), d(2024, 1, 11)),
        clock("review", Some(d(2024, 1, 1)), d(2024, 2, 15)),
    ];
    let mut q = case("q", 1);
    q.header.procedure = "usmca-31b".to_string();
    q.projection.clocks = vec![
        clock("remediation", None, d(2024, 3, 1)),
        clock("mexico_answer", Some(d(2024, 1, 2)), d(2024, 1, 11)),
    ];
    let mut r = case("r", 3);
    r.projection.closed = true;
    vec![p, q, r]
}

/// Deadlines come by due date, then case, then clock; both ends of the range are inclusive,
/// either may be open; the case filter and the limit apply; rows carry the case's procedure.
pub fn deadlines_by_due_range(store: &dyn Store) {
    store.create_cases(&clocked()).expect("create");
    let (jan11, feb15, mar1) = (d(2024, 1, 11), d(2024, 2, 15), d(2024, 3, 1));
    let all = rows(store, &query(None, None));
    let expected = [
        row("p", "mexico_answer", jan11),
        row("q", "mexico_answer", jan11),
        row("p", "review", feb15),
        row("q", "remediation", mar1),
    ];
    assert_eq!(all, expected, "every running deadline, earliest first");
    assert_eq!(rows(store, &query(None, Some(d(2024, 1, 10)))), []);
    assert_eq!(rows(store, &query(None, Some(jan11))), expected[..2]);
    assert_eq!(
        rows(store, &query(Some(d(2024, 1, 12)), None)),
        expected[2..]
    );
    assert_eq!(
        rows(store, &query(Some(feb15), Some(feb15))),
        expected[2..3]
    );
    assert_eq!(rows(store, &query(Some(mar1), Some(feb15))), []);
    let of_q = DeadlineQuery {
        case_id: Some("q".to_string()),
        ..query(None, None)
    };
    assert_eq!(
        rows(store, &of_q),
        [expected[1].clone(), expected[3].clone()]
    );
    let first = DeadlineQuery {
        limit: 1,
        ..query(None, None)
    };
    assert_eq!(rows(store, &first), expected[..1]);
    let full = store
        .deadlines(&query(Some(jan11), Some(jan11)))
        .expect("deadlines");
    let procedures: Vec<_> = full.iter().map(|r| r.procedure.as_str()).collect();
    assert_eq!(
        procedures,
        ["usmca-31a", "usmca-31b"],
        "procedure of each case"
    );
    let started: Vec<_> = full.iter().map(|r| r.started).collect();
    assert_eq!(started, [Some(d(2024, 1, 1)), Some(d(2024, 1, 2))]);
}

/// A clock leaves the deadlines when the case's new projection no longer has it, and a stale
/// append (a conflict) changes nothing.
pub fn deadlines_follow_the_projection(store: &dyn Store) {
    store.create_cases(&clocked()).expect("create");
    let e = [event("review_accepted", Some(d(2024, 1, 9)), "")];
    let only_review = projection(
        "under_review",
        vec![clock("review", Some(d(2024, 1, 1)), d(2024, 2, 15))],
    );
    store.append("p", 2, &e, &only_review).expect("append");
    let mut ended = projection("closed", vec![]);
    ended.closed = true;
    assert!(store.append("q", 0, &e, &ended).is_err(), "stale head");
    let after = rows(store, &query(None, None));
    assert_eq!(
        after,
        [
            row("q", "mexico_answer", d(2024, 1, 11)),
            row("p", "review", d(2024, 2, 15)),
            row("q", "remediation", d(2024, 3, 1)),
        ]
    );
    store.append("q", 1, &e, &ended).expect("append");
    assert_eq!(
        rows(store, &query(None, None)),
        [row("p", "review", d(2024, 2, 15))]
    );
}

/// Counts `panel_determination` events whose payload has `"denial_found":true`, in the cases
/// of one facility other than the excluded one, including ones appended later.
pub fn denial_determinations_by_facility(store: &dyn Store) {
    let at = |id: &str, facility: &str, events| {
        let mut c = case(id, 0);
        c.header.facility_key = Some(facility.to_string());
        c.events = events;
        c
    };
    let (jan, jun) = (d(2023, 1, 5), d(2023, 6, 5));
    let review = event("review_report", Some(jan), r#","denial_found":true"#);
    store
        .create_cases(&[
            at("f1", "fac-1", vec![determination(jan, true)]),
            at("f2", "fac-1", vec![determination(jan, false)]),
            at("f3", "fac-1", vec![review]),
            at("g1", "fac-2", vec![determination(jan, true)]),
            case("h1", 1),
        ])
        .expect("create");
    let count = |facility, excluding| {
        store
            .denial_determinations(facility, excluding)
            .expect("count")
    };
    assert_eq!(count("fac-1", "none"), 1);
    assert_eq!(count("fac-1", "f1"), 0);
    assert_eq!(count("fac-2", "g1"), 0);
    assert_eq!(count("fac-2", "f1"), 1);
    assert_eq!(count("fac-404", "f1"), 0);
    let e = [determination(jun, true)];
    store
        .append("f2", 1, &e, &projection("panel", vec![]))
        .expect("append");
    assert_eq!(count("fac-1", "none"), 2);
    assert_eq!(count("fac-1", "f1"), 1);
    assert_eq!(count("fac-1", "f2"), 1);
    assert_eq!(count("fac-1", "f3"), 2);
}
