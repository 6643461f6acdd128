//! Analyzers in both languages, accent folding, ranking, phrases, facets, snippets and
//! hostile queries.

use rrm_search::{Audience, SearchError, SearchFilters};

use crate::support::{ids, indexes, public_ids, STAFF};

#[test]
fn accents_and_case_fold_in_both_directions() {
    let index = indexes();
    assert_eq!(public_ids(&index, "queretaro"), ["alpha-2023"]);
    assert_eq!(public_ids(&index, "QUERÉTARO"), ["alpha-2023"]);
    assert_eq!(public_ids(&index, "potosi"), ["beta-2024"]);
    assert_eq!(public_ids(&index, "Potosí"), ["beta-2024"]);
    assert_eq!(public_ids(&index, "fabrica"), ["alpha-2023"]);
    assert_eq!(public_ids(&index, "votacion"), ["alpha-2023"]);
}

#[test]
fn spanish_and_english_stemming() {
    let index = indexes();
    // `despidos` (beta's note) and `despido` (alpha's summary) share a Spanish stem.
    let mut found = public_ids(&index, "despidos");
    found.sort();
    assert_eq!(found, ["alpha-2023", "beta-2024"]);
    let mut found = public_ids(&index, "despido");
    found.sort();
    assert_eq!(found, ["alpha-2023", "beta-2024"]);
    assert_eq!(public_ids(&index, "amenaza"), ["beta-2024"]);
    assert_eq!(public_ids(&index, "dismissal"), ["alpha-2023"]);
    assert_eq!(public_ids(&index, "voting"), ["beta-2024"]);
    assert_eq!(public_ids(&index, "reporting"), ["alpha-2023"]);
}

#[test]
fn facility_match_ranks_above_notes_match() {
    let index = indexes();
    // "Alpha" is alpha's facility name and appears only in beta's notes.
    assert_eq!(public_ids(&index, "alpha"), ["alpha-2023", "beta-2024"]);
    // A company match also outranks a notes match.
    assert_eq!(
        public_ids(&index, "\"alpha s.a\" OR proveedor")[0],
        "alpha-2023"
    );
}

#[test]
fn phrase_queries() {
    let index = indexes();
    assert_eq!(
        public_ids(&index, "\"collective bargaining\""),
        ["beta-2024"]
    );
    assert!(public_ids(&index, "\"bargaining collective\"").is_empty());
    assert_eq!(public_ids(&index, "\"san luis potosi\""), ["beta-2024"]);
}

#[test]
fn facets_and_filters() {
    let index = indexes();
    let all = index
        .search(
            &Audience::Public,
            "workers",
            &SearchFilters::default(),
            10,
            0,
        )
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.facets.stage.get("under_review"), Some(&1));
    assert_eq!(all.facets.stage.get("remediation"), Some(&1));
    assert_eq!(all.facets.year.get("2024"), Some(&1));
    assert_eq!(all.facets.state.get("San Luis Potosí"), Some(&1));
    assert_eq!(all.facets.sector.get("auto parts"), Some(&2));
    assert!(!all.facets.stage.contains_key("ilc_review"));
    let filtered = SearchFilters {
        year: Some(2024),
        ..Default::default()
    };
    let only = index
        .search(&Audience::Public, "workers", &filtered, 10, 0)
        .unwrap();
    assert_eq!(only.total, 1);
    assert_eq!(only.hits[0].case_id, "beta-2024");
    let by_state = SearchFilters {
        state: Some("Querétaro".into()),
        ..Default::default()
    };
    let only = index
        .search(&Audience::Public, "workers", &by_state, 10, 0)
        .unwrap();
    assert_eq!(only.hits.len(), 1);
    assert_eq!(only.hits[0].case_id, "alpha-2023");
    let page2 = index
        .search(
            &Audience::Public,
            "workers",
            &SearchFilters::default(),
            1,
            1,
        )
        .unwrap();
    assert_eq!((page2.total, page2.hits.len()), (2, 1));
}

#[test]
fn snippets_are_escaped_with_marks() {
    let index = indexes();
    let results = index
        .search(
            &Audience::Public,
            "script despido",
            &SearchFilters::default(),
            10,
            0,
        )
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
fn document_text_is_found_and_highlighted_for_staff() {
    let index = indexes();
    assert_eq!(ids(&index, &STAFF, "assembly"), ["alpha-2023#7"]);
    // The document carries its case's facility, so facility plus a word of the text works.
    assert_eq!(ids(&index, &STAFF, "alpha minutes"), ["alpha-2023#7"]);
    let r = index
        .search(&STAFF, "asamblea", &SearchFilters::default(), 10, 0)
        .unwrap();
    assert_eq!(r.hits[0].title, "acta de asamblea.pdf");
    assert_eq!(r.hits[0].extraction.as_deref(), Some("ok"));
    let r = index
        .search(&STAFF, "minutes", &SearchFilters::default(), 10, 0)
        .unwrap();
    assert!(
        r.hits[0].snippet_html.contains("<mark>Minutes</mark>"),
        "{}",
        r.hits[0].snippet_html
    );
}

#[test]
fn hostile_queries_do_not_panic() {
    let index = indexes();
    let none = SearchFilters::default();
    assert_eq!(
        index
            .search(&Audience::Public, "", &none, 10, 0)
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        index
            .search(&Audience::Public, "   ", &none, 10, 0)
            .unwrap()
            .total,
        0
    );
    for q in [
        "\"unbalanced",
        "workers\"",
        "((( AND OR NOT",
        "id:*",
        "case_id:alpha-2023",
        "facility_en:[a TO",
        "-",
        "+",
        "^2",
        "~",
        "🦀 ünïcödé",
        "kind:document",
    ] {
        let _ = index.search(&Audience::Public, q, &none, 10, 0);
        let _ = index.search(&STAFF, q, &none, 10, 0);
    }
    let long = "despido ".repeat(1000);
    assert!(matches!(
        index.search(&Audience::Public, &long, &none, 10, 0),
        Err(SearchError::QueryTooLong)
    ));
    let _ = index.search(&Audience::Public, "workers", &none, 0, usize::MAX / 2);
}
