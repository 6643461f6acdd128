//! Tidy checks on the crate's own files: module docs, file sizes, and catalog coverage of
//! every code the data can carry (keys built at run time escape the rendering tests).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_has_a_module_doc_and_stays_short() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (dir, limit) in [("src", 400), ("tests", 800)] {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        assert!(!files.is_empty());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = file.strip_prefix(root).unwrap().display();
            assert!(text.starts_with("//!"), "{name} lacks a //! module doc");
            let lines = text.lines().count();
            assert!(lines < limit, "{name} has {lines} lines (limit {limit})");
        }
    }
}

#[test]
fn the_catalogs_name_every_code_the_data_can_carry() {
    use rrm_core::event::{EventKind, Remedy};
    use rrm_web::i18n::{Catalogs, Lang};
    let c = Catalogs::shipped();
    let mut keys: Vec<String> = EventKind::ALL
        .iter()
        .map(|k| format!("event.{}", k.as_str()))
        .collect();
    keys.extend(Remedy::ALL.iter().map(|r| format!("remedy.{}", r.as_str())));
    let statuses = [
        "open",
        "overdue",
        "open_undated",
        "elapsed",
        "met",
        "met_late",
        "stopped",
        "cancelled",
        "lapsed",
        "restarted",
    ];
    keys.extend(statuses.iter().map(|s| format!("clock_status.{s}")));
    // Outcome codes and closing reasons (docs/case-format.md).
    let outcomes = [
        "remediated",
        "remedied_during_review",
        "no_denial_found",
        "panel_no_denial",
        "other",
        "negative_ilc_determination",
        "not_pursued",
        "review_declined",
        "facility_closed",
        "withdrawn",
    ];
    keys.extend(outcomes.iter().map(|o| format!("outcome.{o}")));
    keys.extend(["US", "MX", "CA"].iter().map(|p| format!("party.{p}")));
    keys.extend(
        ["verified", "secondary", "unverified"]
            .iter()
            .map(|s| format!("rule_status.{s}")),
    );
    for lang in Lang::ALL {
        for key in &keys {
            assert!(
                c.text(lang, key).is_some(),
                "locales/{}.toml lacks {key}",
                lang.code()
            );
        }
    }
}
