//! `rrm reindex` and `rrm search`: the index is rebuilt from the store, and deleting it and
//! reindexing gives identical results. On the backend `RRM_TEST_BACKEND` names.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("rrm")
        .unwrap()
        .arg("--data")
        .arg(data)
        .args(rrm_testkit::data_database(data).cli_args())
        .env_remove("RRM_DATA")
        .env_remove("DATABASE_URL")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn search_json(data: &Path, query: &str) -> Value {
    let (code, stdout, stderr) = run(data, &["search", query, "--json", "--limit", "100"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

const QUERIES: &[&str] = &[
    "goodyear",
    "san luis potosi",
    "mineros",
    "\"back pay\"",
    "union OR sindicato",
];

#[test]
fn reindex_then_search_and_a_deleted_index_rebuilds_identically() {
    let dir = rrm_testkit::TestDir::new();
    let data = dir.path().join("data");

    // Before any reindex: a clear message and the bad-input exit code.
    let (code, _, stderr) = run(&data, &["search", "goodyear"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("rrm reindex"), "{stderr}");

    let (code, _, stderr) = run(&data, &["reindex"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Indexed 39 cases"), "{stderr}");
    assert!(data.join("search-index/public/meta.json").exists());
    assert!(data.join("search-index/staff/meta.json").exists());

    let goodyear = search_json(&data, "goodyear");
    assert_eq!(goodyear["hits"][0]["id"], "goodyear-slp-2023");
    let first: Vec<Value> = QUERIES.iter().map(|q| search_json(&data, q)).collect();

    std::fs::remove_dir_all(data.join("search-index")).unwrap();
    let (code, _, stderr) = run(&data, &["reindex"]);
    assert_eq!(code, 0, "{stderr}");
    let second: Vec<Value> = QUERIES.iter().map(|q| search_json(&data, q)).collect();
    assert_eq!(first, second);

    let (code, stdout, _) = run(&data, &["search", "goodyear"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("goodyear-slp-2023"), "{stdout}");

    let long = "x".repeat(600);
    let (code, _, stderr) = run(&data, &["search", &long]);
    assert_eq!(code, 2, "{stderr}");
}
