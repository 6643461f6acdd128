//! Who finds what: the public index holds published cases' public fields only, the staff
//! index adds unpublished cases and restricted documents, nothing holds confidential content,
//! and a staff scope limits results, totals and facets inside the query.

use std::collections::BTreeSet;

use rrm_search::{Audience, CaseScope, Indexes, SearchFilters};

use crate::support::{
    ids, indexes, public_ids, synthetic, DOCUMENT_CANARY, PETITIONER_CANARY, STAFF,
    UNPUBLISHED_CANARY,
};

#[test]
fn public_finds_neither_unpublished_cases_nor_documents() {
    let index = indexes();
    for q in [
        UNPUBLISHED_CANARY,
        "zyxwvutcanary",
        "hidden",
        DOCUMENT_CANARY,
        "assembly",
    ] {
        assert!(public_ids(&index, q).is_empty(), "public finds {q}");
    }
    assert_eq!(ids(&index, &STAFF, "zyxwvutcanary"), ["hidden-2025"]);
    assert_eq!(ids(&index, &STAFF, "qwertycanary"), ["alpha-2023#7"]);
}

#[test]
fn nobody_finds_confidential_content() {
    let index = indexes();
    for q in [
        PETITIONER_CANARY,
        "CANARY",
        "4d2c",
        "confidentialcanary",
        "secret",
        "testimony",
    ] {
        assert!(public_ids(&index, q).is_empty(), "public finds {q}");
        assert!(ids(&index, &STAFF, q).is_empty(), "staff find {q}");
    }
    // The public petitioner is findable: the filter is by flag, not by field.
    assert_eq!(public_ids(&index, "sindicato publico").len(), 2);
}

#[test]
fn staff_scope_limits_hits_totals_and_facets() {
    let index = indexes();
    let only_beta = Audience::Staff {
        cases: CaseScope::Only(BTreeSet::from(["beta-2024".to_string()])),
    };
    let r = index
        .search(&only_beta, "workers", &SearchFilters::default(), 10, 0)
        .unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].case_id, "beta-2024");
    assert_eq!(r.facets.year.keys().collect::<Vec<_>>(), ["2024"]);
    assert!(ids(&index, &only_beta, "zyxwvutcanary").is_empty());
    assert!(ids(&index, &only_beta, "assembly").is_empty());
    // Naming another case's id in the query does not escape the scope.
    assert!(ids(&index, &only_beta, "case_id:alpha-2023").is_empty());
    let nobody = Audience::Staff {
        cases: CaseScope::Only(BTreeSet::new()),
    };
    assert_eq!(
        index
            .search(&nobody, "workers", &SearchFilters::default(), 10, 0)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn canaries_are_not_in_the_public_index_files() {
    let dir = tempfile::tempdir().unwrap();
    let index = Indexes::open(dir.path()).unwrap();
    index.rebuild(synthetic(), "test", |_| {}).unwrap();
    assert_eq!(index.public.len(), 2);
    assert_eq!(index.staff.len(), 4);
    // Unpublishing a published case removes it from the public index.
    let mut beta = synthetic().remove(1);
    beta.published = false;
    index.update(&[beta], "test-2").unwrap();
    assert!(public_ids(&index, "potosi").is_empty());
    assert_eq!(ids(&index, &STAFF, "potosi"), ["beta-2024"]);
    drop(index);
    let public = [
        PETITIONER_CANARY.as_bytes().to_vec(),
        PETITIONER_CANARY.to_lowercase().into_bytes(),
        b"zyxwvutcanary".to_vec(),
        b"Zyxwvutcanary".to_vec(),
        b"4d2c".to_vec(),
        b"qwertycanary".to_vec(),
        DOCUMENT_CANARY.as_bytes().to_vec(),
        b"onfidentialcanary".to_vec(),
    ];
    assert_absent(&dir.path().join("public"), &public);
    // The staff index holds restricted text but never confidential content.
    let confidential = [
        PETITIONER_CANARY.as_bytes().to_vec(),
        PETITIONER_CANARY.to_lowercase().into_bytes(),
        b"onfidentialcanary".to_vec(),
    ];
    assert_absent(&dir.path().join("staff"), &confidential);
}

pub fn assert_absent(dir: &std::path::Path, needles: &[Vec<u8>]) {
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    assert!(files > 3, "{} has the index files", dir.display());
}
