//! The search index on synthetic cases and on the shipped public record.

use rrm_casefile::{parse_case_file, CaseFile};
use rrm_search::{derived_meta, CaseDoc, CaseMeta, SearchError, SearchFilters, SearchIndex};

const PETITIONER_CANARY: &str = "CANARY-SEARCH-PETITIONER-4d2c";
const UNPUBLISHED_CANARY: &str = "Zyxwvutcanary Unpublished Widgets";

fn case(id: &str, facility: &str, city: &str, summary: &str, note: &str) -> CaseFile {
    let json = serde_json::json!({
        "format": "rrm-case/1",
        "id": id,
        "procedure": "usmca-31a",
        "facility": {"name": facility, "city": city, "state": city, "country": "MX",
                     "company": format!("{facility} S.A."), "sector": "auto parts"},
        "petitioners": [
            {"name": "Sindicato Público de Prueba", "public": true},
            {"name": PETITIONER_CANARY, "public": false}
        ],
        "summary": summary,
        "events": [
            {"kind": "request_for_review", "date": "2023-05-22", "note": note}
        ]
    });
    parse_case_file(&json.to_string()).expect("a valid test case")
}

fn doc(case: CaseFile, published: bool, stage: &str, year: i32) -> CaseDoc {
    CaseDoc {
        case,
        published,
        meta: CaseMeta {
            stage: Some(stage.into()),
            outcome: None,
            year: Some(year),
        },
    }
}

fn synthetic() -> Vec<CaseDoc> {
    vec![
        doc(
            case(
                "alpha-2023",
                "Fábrica Alpha",
                "Querétaro",
                "Despido de trabajadores <script>alert(1)</script> tras la votación.",
                "The union reported dismissals of workers.",
            ),
            true,
            "under_review",
            2023,
        ),
        doc(
            case(
                "beta-2024",
                "Planta Beta",
                "San Luis Potosí",
                "Workers voted on the collective bargaining agreement.",
                "Se reportaron despidos y amenazas en la planta Alpha del proveedor.",
            ),
            true,
            "remediation",
            2024,
        ),
        doc(
            case(
                "hidden-2025",
                UNPUBLISHED_CANARY,
                "Puebla",
                "A petition under review by staff.",
                "Confidential intake.",
            ),
            false,
            "ilc_review",
            2025,
        ),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(synthetic(), |_| {}).unwrap();
    index
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(q, &SearchFilters::default(), 20, 0)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.case_id)
        .collect()
}

#[test]
fn accents_fold_in_both_directions() {
    let index = index();
    assert_eq!(ids(&index, "queretaro"), ["alpha-2023"]);
    assert_eq!(ids(&index, "potosi"), ["beta-2024"]);
    assert_eq!(ids(&index, "fabrica"), ["alpha-2023"]);
}

#[test]
fn spanish_and_english_stemming() {
    let index = index();
    // `despidos` (beta's note) and `despido` (alpha's summary) share a Spanish stem.
    let mut found = ids(&index, "despidos");
    found.sort();
    assert_eq!(found, ["alpha-2023", "beta-2024"]);
    assert_eq!(ids(&index, "dismissal"), ["alpha-2023"]);
    assert_eq!(ids(&index, "voted"), ["beta-2024"]);
}

#[test]
fn facility_match_ranks_above_notes_match() {
    let index = index();
    // "Alpha" is alpha's facility name and appears only in beta's notes.
    assert_eq!(ids(&index, "alpha"), ["alpha-2023", "beta-2024"]);
}

#[test]
fn phrase_queries() {
    let index = index();
    assert_eq!(ids(&index, "\"collective bargaining\""), ["beta-2024"]);
    assert!(ids(&index, "\"bargaining collective\"").is_empty());
}

#[test]
fn facets_and_filters() {
    let index = index();
    let all = index
        .search("workers", &SearchFilters::default(), 10, 0)
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.facets.stage.get("under_review"), Some(&1));
    assert_eq!(all.facets.stage.get("remediation"), Some(&1));
    assert_eq!(all.facets.year.get("2024"), Some(&1));
    assert!(!all.facets.stage.contains_key("ilc_review"));
    let filtered = SearchFilters {
        year: Some(2024),
        ..Default::default()
    };
    let only = index.search("workers", &filtered, 10, 0).unwrap();
    assert_eq!(only.total, 1);
    assert_eq!(only.hits[0].case_id, "beta-2024");
    let page2 = index
        .search("workers", &SearchFilters::default(), 1, 1)
        .unwrap();
    assert_eq!((page2.total, page2.hits.len()), (2, 1));
}

#[test]
fn snippets_are_escaped_with_marks() {
    let index = index();
    let results = index
        .search("script despido", &SearchFilters::default(), 10, 0)
        .unwrap();
    let hit = results
        .hits
        .iter()
        .find(|h| h.case_id == "alpha-2023")
        .unwrap();
    assert!(hit.snippet_html.contains("<mark>"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.contains("&lt;"), "{}", hit.snippet_html);
    let without_marks = hit
        .snippet_html
        .replace("<mark>", "")
        .replace("</mark>", "");
    assert!(!without_marks.contains('<'), "{}", hit.snippet_html);
}

#[test]
fn hostile_input_does_not_panic() {
    let index = index();
    let none = SearchFilters::default();
    assert_eq!(index.search("", &none, 10, 0).unwrap().total, 0);
    assert_eq!(index.search("   ", &none, 10, 0).unwrap().total, 0);
    for q in [
        "\"unbalanced",
        "workers\"",
        "((( AND OR NOT",
        "id:*",
        "facility_en:[a TO",
        "-",
        "+",
        "^2",
        "~",
        "🦀 ünïcödé",
    ] {
        let _ = index.search(q, &none, 10, 0);
    }
    let long = "despido ".repeat(1000);
    assert!(matches!(
        index.search(&long, &none, 10, 0),
        Err(SearchError::QueryTooLong)
    ));
    let _ = index.search("workers", &none, 0, usize::MAX / 2);
}

#[test]
fn canaries_are_neither_findable_nor_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    index.rebuild(synthetic(), |_| {}).unwrap();
    assert_eq!(index.len(), 2);
    let none = SearchFilters::default();
    for q in [
        PETITIONER_CANARY,
        "CANARY",
        "4d2c",
        UNPUBLISHED_CANARY,
        "zyxwvutcanary",
        "hidden",
        "confidential",
    ] {
        let r = index.search(q, &none, 10, 0).unwrap();
        assert_eq!(r.total, 0, "{q} found: {:?}", r.hits);
    }
    // The public petitioner is findable: the filter is by flag, not by field.
    assert_eq!(
        index
            .search("sindicato publico", &none, 10, 0)
            .unwrap()
            .total,
        2
    );
    // Also after indexing one by one, and after unpublishing a published case.
    for d in synthetic() {
        index.index_doc(&d).unwrap();
    }
    let mut unpublished = synthetic().remove(1);
    unpublished.published = false;
    index.index_doc(&unpublished).unwrap();
    assert_eq!(ids(&index, "potosi"), Vec::<String>::new());
    drop(index);
    let needles = [
        PETITIONER_CANARY.as_bytes().to_vec(),
        PETITIONER_CANARY.to_lowercase().into_bytes(),
        b"zyxwvutcanary".to_vec(),
        b"Zyxwvutcanary".to_vec(),
        b"4d2c".to_vec(),
    ];
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in &needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{} contains {}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[test]
fn remove_case_removes_it() {
    let index = index();
    index.remove_case("alpha-2023").unwrap();
    assert_eq!(ids(&index, "queretaro"), Vec::<String>::new());
    index.remove_case("no-such-case").unwrap();
}

fn public_record() -> Vec<CaseDoc> {
    rrm_app::public_record()
        .iter()
        .map(|s| {
            let case = parse_case_file(&s.text).unwrap();
            let meta = derived_meta(&case);
            CaseDoc {
                case,
                published: true,
                meta,
            }
        })
        .collect()
}

#[test]
fn public_record_queries() {
    let index = SearchIndex::in_memory().unwrap();
    let mut seen = 0;
    let n = index.rebuild(public_record(), |i| seen = i).unwrap();
    assert!(n >= 30, "{n}");
    assert_eq!(seen, n);
    assert_eq!(ids(&index, "goodyear")[0], "goodyear-slp-2023");
    let slp = ids(&index, "san luis potosi");
    // Three cases are in San Luis Potosí; every word must match, so San Martín is not one.
    assert!(slp.contains(&"goodyear-slp-2023".to_string()), "{slp:?}");
    assert!(!slp.contains(&"san-martin-2023".to_string()), "{slp:?}");
    assert!(ids(&index, "goodyear OR mineros").len() >= 2);
    assert!(!ids(&index, "mineros").is_empty());
    let r = index
        .search("\"san luis potosí\"", &SearchFilters::default(), 10, 0)
        .unwrap();
    assert!(r.hits.iter().any(|h| h.case_id == "goodyear-slp-2023"));
}

#[test]
fn rebuild_from_scratch_gives_identical_results() {
    let queries = [
        "goodyear",
        "san luis potosi",
        "mineros",
        "\"back pay\"",
        "union vote",
        "despidos",
    ];
    let run = |dir: &std::path::Path| {
        let index = SearchIndex::open_or_create(dir).unwrap();
        index.rebuild(public_record(), |_| {}).unwrap();
        queries
            .iter()
            .map(|q| index.search(q, &SearchFilters::default(), 50, 0).unwrap())
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().unwrap();
    let first = run(dir.path());
    // Rebuilding over an existing index, and into a deleted-and-recreated directory.
    assert_eq!(first, run(dir.path()));
    std::fs::remove_dir_all(dir.path()).unwrap();
    assert_eq!(first, run(dir.path()));
}
