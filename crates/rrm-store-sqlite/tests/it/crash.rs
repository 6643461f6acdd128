//! Killing an import mid-way: a child process imports batches of cases into a file and reports
//! each commit on stdout; the test kills it with SIGKILL after a given number of commits, then
//! reopens the file. Every reported batch must be there, no batch may be there in part, every
//! chain must verify, and every case must hold the events its header says it was written with.
//!
//! The child is this test binary itself, started on the `child_import` test with an environment
//! variable that switches that test on.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use rrm_store::{CaseFilter, Store};
use rrm_store_sqlite::SqliteStore;

use crate::support::{counted_case, expected_events};

/// Set to a database path, it makes `child_import` import into it.
const CHILD_DB: &str = "RRM_SQLITE_CRASH_CHILD_DB";
/// Which round of the test the child runs, used as the prefix of its case ids.
const CHILD_ROUND: &str = "RRM_SQLITE_CRASH_CHILD_ROUND";
const CASES_PER_BATCH: usize = 40;
/// Bounds a child whose parent died before killing it.
const MAX_BATCHES: usize = 5_000;

/// The child's body; without `RRM_SQLITE_CRASH_CHILD_DB` (every ordinary test run) it returns
/// at once and proves nothing on its own.
#[test]
fn child_import() {
    let Ok(path) = std::env::var(CHILD_DB) else {
        return;
    };
    let round: usize = std::env::var(CHILD_ROUND).unwrap().parse().unwrap();
    let store = SqliteStore::open(Path::new(&path)).unwrap();
    // Written straight to the file descriptor, past the test harness's output capture.
    let mut out = std::io::stdout();
    for batch in 0..MAX_BATCHES {
        let cases: Vec<_> = (0..CASES_PER_BATCH)
            .map(|i| {
                // 1 to 12 events, varying from case to case and batch to batch.
                let n = 1 + (batch * 7 + i * 13 + round) % 12;
                counted_case(&format!("r{round}-b{batch:05}-c{i:02}"), n)
            })
            .collect();
        store.create_cases(&cases).unwrap();
        writeln!(out, "committed {batch}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_import_leaves_only_whole_batches_and_intact_chains() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    // Later rounds reopen the file the earlier kills left, write-ahead log and all.
    for (round, kill_after) in [(0, 1), (1, 3), (2, 17), (3, 41), (4, 8)] {
        run_and_kill(&path, round, kill_after);
        check_after_kill(&path, round, kill_after);
    }
}

/// Starts the child on `path` and kills it once it has reported `kill_after` commits.
fn run_and_kill(path: &Path, round: usize, kill_after: usize) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash::child_import", "--exact", "--test-threads=1"])
        .env(CHILD_DB, path)
        .env(CHILD_ROUND, round.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut committed = 0;
    while committed < kill_after {
        let line = lines.next().unwrap_or_else(|| {
            panic!("round {round}: the child ended after {committed} commits, before the kill")
        });
        committed += usize::from(line.unwrap().starts_with("committed "));
    }
    // `lines` stays open until after the kill, so the child cannot die of a closed pipe first.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    drop(lines);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "round {round}: killed by SIGKILL");
    }
    assert!(!status.success());
}

fn check_after_kill(path: &Path, round: usize, committed_batches: usize) {
    let store = SqliteStore::open(path).unwrap();
    let report = store.verify(&mut |_| {}).unwrap();
    assert_eq!(report.broken, [], "round {round}: every chain verifies");
    let (rows, _) = store.list_cases(&CaseFilter::default()).unwrap();
    let prefix = format!("r{round}-");
    let mut present = 0;
    for row in rows.iter().filter(|r| r.id.starts_with(&prefix)) {
        let case = store.case(&row.id).unwrap().unwrap();
        let expected = expected_events(&case.header.document);
        assert_eq!(row.event_count, expected as u64, "case {} is whole", row.id);
        assert_eq!(
            store.events(&row.id).unwrap().len(),
            expected,
            "case {}",
            row.id
        );
        present += 1;
    }
    assert_eq!(
        present % CASES_PER_BATCH,
        0,
        "round {round}: no batch in part"
    );
    assert!(
        present >= committed_batches * CASES_PER_BATCH,
        "round {round}: {present} cases, but {committed_batches} batches were committed"
    );
}
