//! End-to-end tests of the `rrm` command: first run, deadlines, record, refusals and their exit
//! codes, export/import round trip, tamper detection and a kill mid-import. Each runs on the
//! backend `RRM_TEST_BACKEND` names: the SQLite file in the data directory, or a fresh
//! PostgreSQL schema per data directory passed as `--database-url` (`rrm-testkit`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rrm_testkit::{data_database, TestDir};
use serde_json::{json, Value};

mod access;
mod serve;

fn rrm(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rrm").unwrap();
    cmd.arg("--data").arg(data);
    cmd.args(data_database(data).cli_args());
    cmd.env_remove("RRM_DATA").env_remove("DATABASE_URL");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(data: &Path, args: &[&str]) -> Run {
    let out = rrm(data).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json_of(r: &Run) -> Value {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn new_case(id: &str) -> Value {
    json!({
        "format": "rrm-case/1", "id": id, "procedure": "usmca-31a",
        "facility": {"id": format!("{id}-plant"), "name": "Test plant", "state": "Coahuila", "sector": "auto parts"},
        "events": [
            {"kind": "petition_filed", "date": "2026-10-01"},
            {"kind": "request_for_review", "date": "2026-11-02"}
        ]
    })
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn a_new_data_directory_starts_with_the_public_record() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let cases = json_of(&run(&data, &["case", "list", "--json"]));
    assert_eq!(cases.as_array().unwrap().len(), 39);
    let first = run(&data, &["stats", "--json"]);
    assert_eq!(
        json_of(&first)["cases"],
        39,
        "second run does not load again"
    );
    let show = run(
        &data,
        &["case", "show", "san-martin-2023", "--as-of", "2026-11-23"],
    );
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.contains("panel_determination"),
        "{}",
        show.stdout
    );
    assert!(show.stdout.contains("Source: https://"), "sources are kept");
}

/// Two servers started at once on one empty PostgreSQL database (two data directories) both
/// start, and the public record is loaded once: the one whose batch conflicts takes the record
/// as loaded. A SQLite data directory belongs to one machine; there the second starts after
/// the first (two processes creating one new SQLite file at once can find it locked).
#[test]
fn two_servers_starting_at_once_load_the_public_record_once() {
    for _ in 0..3 {
        let dir = TestDir::new();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let database = data_database(&a);
        let second = match database.is_postgres() {
            true => &b,
            false => &a,
        };
        let start = |data: &Path| {
            Command::cargo_bin("rrm")
                .unwrap()
                .arg("--data")
                .arg(data)
                .args(database.cli_args())
                .env_remove("RRM_DATA")
                .env_remove("DATABASE_URL")
                .args(["stats", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let outs = match database.is_postgres() {
            true => {
                let (first, second) = (start(&a), start(second));
                [first, second].map(|p| p.wait_with_output().unwrap())
            }
            false => [
                start(&a).wait_with_output().unwrap(),
                start(second).wait_with_output().unwrap(),
            ],
        };
        for out in outs {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
        }
        let stats = json_of(&run(&a, &["stats", "--json"]));
        assert_eq!(
            (
                stats["cases"].as_u64(),
                stats["events"].as_u64().map(|e| e > 0)
            ),
            (Some(39), Some(true))
        );
    }
}

/// A database URL's password is never shown: not when the server cannot be reached, not
/// when the URL is not a PostgreSQL one.
#[test]
fn the_database_password_is_never_printed() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    for url in [
        "postgres://rrm:hunter2secret@127.0.0.1:1/rrm",
        "postgresql://rrm:hunter2secret@127.0.0.1:1/rrm?password=hunter2secret",
        "mysql://rrm:hunter2secret@127.0.0.1:1/rrm",
    ] {
        let out = Command::cargo_bin("rrm")
            .unwrap()
            .arg("--data")
            .arg(&data)
            .args(["--database-url", url, "stats"])
            .env_remove("RRM_DATA")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
        assert!(
            stderr.contains("rrm:***@127.0.0.1:1"),
            "names the server: {stderr}"
        );
    }
    let env = Command::cargo_bin("rrm")
        .unwrap()
        .arg("--data")
        .arg(&data)
        .env(
            "DATABASE_URL",
            "postgres://rrm:hunter2secret@127.0.0.1:1/rrm",
        )
        .env_remove("RRM_DATA")
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&env.stdout);
    assert!(
        help.contains("--database-url") && !help.contains("hunter2"),
        "{help}"
    );
}

#[test]
fn deadlines_json_carries_case_clock_due_status_citation_and_rule_status() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let file = write(dir.path(), "case.json", &new_case("test-deadlines-2026"));
    assert_eq!(run(&data, &["import", &file]).code, 0);
    let all = json_of(&run(
        &data,
        &["deadlines", "--as-of", "2026-11-10", "--json"],
    ));
    let ours: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["case"] == "test-deadlines-2026")
        .collect();
    let answer = ours
        .iter()
        .find(|d| d["clock"] == "mexico_answer")
        .expect("answer clock listed");
    assert_eq!(answer["due"], "2026-11-12");
    assert_eq!(answer["status"], "open");
    assert_eq!(answer["citation"], "USMCA Annex 31-A, Art. 31-A.4.2");
    assert_eq!(answer["rule_status"], "verified");
    let within = json_of(&run(
        &data,
        &[
            "deadlines",
            "--as-of",
            "2026-11-10",
            "--within",
            "7",
            "--json",
        ],
    ));
    assert!(within
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "open"));
    assert!(within
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["clock"] == "mexico_answer" && d["case"] == "test-deadlines-2026"));
    assert!(
        !within
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["clock"] == "mexico_review" && d["case"] == "test-deadlines-2026"),
        "due 2026-12-17 is not within 7 days"
    );
    let overdue = json_of(&run(
        &data,
        &["deadlines", "--as-of", "2026-11-20", "--overdue", "--json"],
    ));
    assert!(overdue
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "overdue"));
    assert!(overdue
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["clock"] == "mexico_answer" && d["case"] == "test-deadlines-2026"));
}

#[test]
fn recording_events_moves_clocks_and_refusals_name_the_rule_with_distinct_exit_codes() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let file = write(dir.path(), "case.json", &new_case("test-record-2026"));
    assert_eq!(run(&data, &["import", &file]).code, 0);
    let accept = write(
        dir.path(),
        "accept.json",
        &json!({"kind": "review_accepted", "date": "2026-11-09"}),
    );
    let ok = run(
        &data,
        &[
            "record",
            "test-record-2026",
            &accept,
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(
        ok.stdout.contains("stage now under_review"),
        "{}",
        ok.stdout
    );
    let deadlines = json_of(&run(
        &data,
        &["deadlines", "--as-of", "2026-11-10", "--json"],
    ));
    assert!(
        !deadlines
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["case"] == "test-record-2026" && d["clock"] == "mexico_answer"),
        "answer clock met"
    );
    // The same acceptance again is not allowed in the new stage.
    let again = run(
        &data,
        &[
            "record",
            "test-record-2026",
            &accept,
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(
        again.code, 3,
        "refused transition exit code; {}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("no rule allows `review_accepted` in stage `under_review`"),
        "{}",
        again.stderr
    );
    let early_panel = write(
        dir.path(),
        "panel.json",
        &json!({"kind": "panel_requested", "date": "2026-11-10"}),
    );
    let refused = run(
        &data,
        &[
            "record",
            "test-record-2026",
            &early_panel,
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(refused.code, 3);
    assert!(
        refused.stderr.contains("panel_after_late_report"),
        "{}",
        refused.stderr
    );
    let bad = write(
        dir.path(),
        "bad.json",
        &json!({"kind": "review_report", "date": "2026-11-12"}),
    );
    let bad_run = run(&data, &["record", "test-record-2026", &bad]);
    assert_eq!(bad_run.code, 2, "bad input exit code");
    assert!(
        bad_run.stderr.contains("denial_found: is required"),
        "{}",
        bad_run.stderr
    );
    assert_eq!(run(&data, &["record", "no-such-case", &accept]).code, 5);
    let shown = json_of(&run(
        &data,
        &[
            "case",
            "show",
            "test-record-2026",
            "--json",
            "--as-of",
            "2026-11-23",
        ],
    ));
    assert_eq!(shown["stage"], "under_review");
    assert_eq!(
        shown["events"].as_array().unwrap().len(),
        3,
        "refusals stored nothing"
    );
}

#[test]
fn export_then_import_elsewhere_gives_the_same_cases_and_chains() {
    let dir = TestDir::new();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let out = dir.path().join("export");
    assert_eq!(run(&a, &["export", "--out", out.to_str().unwrap()]).code, 0);
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    assert_eq!(files.len(), 39);
    let mut args = vec!["--no-default-data", "import"];
    args.extend(files.iter().map(String::as_str));
    let imported = run(&b, &args);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert_eq!(run(&a, &["export"]).stdout, run(&b, &["export"]).stdout);
    let show_a = json_of(&run(&a, &["case", "show", "goodyear-slp-2023", "--json"]));
    let show_b = json_of(&run(&b, &["case", "show", "goodyear-slp-2023", "--json"]));
    assert_eq!(
        show_a["head_hash"], show_b["head_hash"],
        "same content, same chain"
    );
}

#[test]
fn a_bad_file_in_an_import_stores_nothing() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let good = write(dir.path(), "good.json", &new_case("test-good-2026"));
    let mut refused = new_case("test-refused-2026");
    refused["events"][1] = json!({"kind": "review_accepted", "date": "2026-11-02"});
    let bad = write(dir.path(), "bad.json", &refused);
    let r = run(&data, &["import", &good, &bad]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("bad.json: events[1]"), "{}", r.stderr);
    let list = json_of(&run(&data, &["case", "list", "--json"]));
    assert!(!list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "test-good-2026"));
    std::fs::write(dir.path().join("syntax.json"), "{\n  \"format\": ,\n}").unwrap();
    let syntax = run(
        &data,
        &["import", dir.path().join("syntax.json").to_str().unwrap()],
    );
    assert_eq!(syntax.code, 2);
    assert!(syntax.stderr.contains("line 2"), "{}", syntax.stderr);
}

#[test]
fn verify_names_the_first_broken_event_after_tampering() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    assert_eq!(run(&data, &["verify"]).code, 0);
    data_database(&data).sql(
        "update events set payload = replace(payload, '2024-04-26', '2024-04-27') where case_id = 'san-martin-2023' and kind = 'panel_determination'",
    );
    let r = run(&data, &["verify"]);
    assert_eq!(r.code, 4, "integrity failure exit code; {}", r.stderr);
    assert!(
        r.stdout
            .contains("case san-martin-2023: first broken event 8"),
        "{}",
        r.stdout
    );
}

#[test]
fn killing_an_import_midway_leaves_a_store_that_verifies_with_every_case_whole() {
    const TOTAL: i64 = 20_000;
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let mut lines = String::new();
    for i in 0..TOTAL {
        lines.push_str(&new_case(&format!("crash-{i:05}")).to_string());
        lines.push('\n');
    }
    let file = dir.path().join("many.jsonl");
    std::fs::write(&file, lines).unwrap();
    assert_eq!(run(&data, &["stats"]).code, 0, "store created first");
    let db = data_database(&data);
    let mut child = rrm(&data)
        .args(["import", file.to_str().unwrap(), "--batch", "20"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as some batches are committed but before the import finishes.
    let started = Instant::now();
    let count = || -> i64 {
        db.count("select count(*) from cases where id like 'crash-%'")
            .unwrap_or(0)
    };
    while count() < 100 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let committed = count();
    assert!(committed > 0, "some batches were committed before the kill");
    assert!(
        committed < TOTAL,
        "the kill came before the import finished ({committed})"
    );
    let verify = run(&data, &["verify"]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    let partial = db
        .count(
            "select count(*) from cases c where c.id like 'crash-%' and (select count(*) from events e where e.case_id = c.id) <> 2",
        )
        .unwrap();
    assert_eq!(partial, 0, "every committed case has both its events");
    assert_eq!(
        committed % 20,
        0,
        "only whole batches are committed ({committed})"
    );
}
