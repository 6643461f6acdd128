//! Several `rrm serve` processes on one PostgreSQL database, as `docs/scaling.md` deploys
//! them: two servers hammering one case never fork its chain (a lost race is a 409 the
//! client retries); a server killed mid-request loses no acknowledged write and the other
//! carries on; each deadline reminder is sent by one server only.
//!
//! These run on PostgreSQL whatever `RRM_TEST_BACKEND` says: several servers sharing one
//! store is what the PostgreSQL backend is for (a SQLite data directory has one server).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use chrono::{Days, NaiveDate};
use rrm_store_postgres::test_support::TestSchema;
use serde_json::{json, Value};

/// The actions of the course of remediation the hammering completes, one event each.
const ACTIONS: usize = 120;

struct Cluster {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    schema: TestSchema,
}

impl Cluster {
    fn new() -> Cluster {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let cluster = Cluster {
            _tmp: tmp,
            dir,
            schema: TestSchema::new(),
        };
        let key = cluster.key();
        let made = Command::cargo_bin("rrm")
            .unwrap()
            .args(["keys", "init", "--out", key.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(made.status.success());
        cluster
    }

    fn key(&self) -> PathBuf {
        self.dir.join("master.key")
    }

    /// `rrm` on the shared database, with `instance`'s own data directory.
    fn rrm(&self, instance: &str) -> Command {
        let mut cmd = Command::cargo_bin("rrm").unwrap();
        for var in ["RRM_DATA", "DATABASE_URL", "RRM_BLOBS", "RRM_MASTER_KEY"] {
            cmd.env_remove(var);
        }
        cmd.arg("--data")
            .arg(self.dir.join(instance))
            .arg("--database-url")
            .arg(self.schema.url())
            .arg("--master-key-file")
            .arg(self.key())
            .arg("--no-default-data");
        cmd
    }

    fn run(&self, args: &[&str], stdin: &str) -> String {
        let mut child = self
            .rrm("admin")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "rrm {args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// A case whose course of remediation has [`ACTIONS`] items, and an API token.
    fn with_case_and_token(&self) -> String {
        let actions: Vec<Value> = (0..ACTIONS)
            .map(|i| json!({ "id": format!("a{i}"), "description": "an action", "responsible": "company" }))
            .collect();
        let case = json!({
            "format": "rrm-case/1", "id": "planta-carga-2026", "procedure": "usmca-31a",
            "facility": { "name": "Planta de carga", "company": "Carga S.A.", "state": "Sonora" },
            "events": [
                { "kind": "request_for_review", "date": "2026-09-01" },
                { "kind": "review_accepted", "date": "2026-09-05" },
                { "kind": "review_report", "date": "2026-10-20", "denial_found": true },
                { "kind": "remediation_agreed", "date": "2026-11-10", "due": "2027-03-01",
                  "actions": actions }
            ]
        });
        let path = self.dir.join("case.json");
        std::fs::write(&path, case.to_string()).unwrap();
        self.run(&["import", path.to_str().unwrap()], "");
        self.run(
            &[
                "user",
                "add",
                "--email",
                "ana@example.org",
                "--name",
                "Ana",
                "--role",
                "supervisor",
                // A case on no team belongs to the intake team.
                "--team",
                "intake",
            ],
            "a long enough passphrase for ana\n",
        );
        let out = self.run(
            &[
                "token",
                "add",
                "--email",
                "ana@example.org",
                "--label",
                "load",
            ],
            "",
        );
        out.split_whitespace()
            .find(|w| w.len() > 30)
            .expect("the token printed")
            .to_string()
    }

    fn serve(&self, instance: &str, reminders_every: u64) -> Server {
        let mut child = self
            .rrm(instance)
            .args(["serve", "--listen", "127.0.0.1:0", "--instance", instance])
            .args(["--reminders-every", &reminders_every.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let seen = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("rrm serving on ") {
                    let _ = tx.send(addr.to_string());
                }
                seen.lock().unwrap().push(line);
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{instance} did not start: {:?}", lines.lock().unwrap()));
        Server { child, url, lines }
    }
}

struct Server {
    child: Child,
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Completes action `a{i}` through `server`, retrying a lost race (409 `conflict`); returns
/// the attempts it took, or `None` if the server went away before acknowledging it.
fn complete(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> Option<u32> {
    let event =
        json!({ "kind": "action_completed", "date": "2026-11-20", "action": format!("a{i}") });
    for attempt in 1..=200 {
        let response = client
            .post(format!("{url}/api/v1/cases/planta-carga-2026/events"))
            .bearer_auth(token)
            .json(&event)
            .send()
            .ok()?;
        let status = response.status().as_u16();
        let body: Value = response.json().unwrap_or(Value::Null);
        match status {
            201 => return Some(attempt),
            409 if body["error"]["code"] == "conflict" => continue,
            _ => panic!("completing a{i}: {status} {body}"),
        }
    }
    panic!("a{i}: still conflicting after 200 attempts");
}

fn events(cluster: &Cluster) -> Vec<Value> {
    let out = cluster.run(&["case", "show", "planta-carga-2026", "--json"], "");
    let shown: Value = serde_json::from_str(&out).unwrap();
    shown["events"].as_array().expect("events").clone()
}

fn completed(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["kind"] == "action_completed")
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn two_servers_hammering_one_case_keep_one_chain() {
    let cluster = Cluster::new();
    let token = cluster.with_case_and_token();
    let servers = [cluster.serve("one", 0), cluster.serve("two", 0)];
    let client = reqwest::blocking::Client::new();
    let attempts: u32 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let (client, token) = (&client, &token);
                let url = servers[t % 2].url.clone();
                s.spawn(move || {
                    (t..ACTIONS)
                        .step_by(8)
                        .map(|i| complete(client, &url, token, i).expect("acknowledged"))
                        .sum::<u32>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    drop(servers);
    let events = events(&cluster);
    assert_eq!(events.len(), 4 + ACTIONS);
    let done: BTreeSet<String> = completed(&events).into_iter().collect();
    assert_eq!(done.len(), ACTIONS, "each action completed once");
    // `rrm verify` fails (and `run` with it) on any broken chain.
    cluster.run(&["verify"], "");
    println!(
        "{ACTIONS} events in {attempts} attempts ({} lost races)",
        attempts as usize - ACTIONS
    );
}

#[test]
fn a_server_killed_mid_request_loses_no_acknowledged_write() {
    let cluster = Cluster::new();
    let token = cluster.with_case_and_token();
    let mut doomed = cluster.serve("doomed", 0);
    let survivor = cluster.serve("survivor", 0);
    let client = reqwest::blocking::Client::new();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    // Four clients write through the doomed server as fast as they can; it is killed
    // (SIGKILL: no shutdown, no flush) while requests are in flight.
    std::thread::scope(|s| {
        for t in 0..4 {
            let (client, token, acked) = (&client, &token, acknowledged.clone());
            let url = doomed.url.clone();
            s.spawn(move || {
                for i in (t..ACTIONS / 2).step_by(4) {
                    match complete(client, &url, token, i) {
                        Some(_) => acked.lock().unwrap().push(i),
                        None => return,
                    }
                }
            });
        }
        let started = Instant::now();
        while acknowledged.lock().unwrap().len() < 10 && started.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        doomed.child.kill().unwrap();
    });
    doomed.child.wait().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 10, "the server was killed mid-stream");
    // The survivor serves on, and sees every acknowledged write.
    for i in ACTIONS / 2..ACTIONS / 2 + 5 {
        complete(&client, &survivor.url, &token, i).expect("the survivor answers");
    }
    let events = events(&cluster);
    let done: BTreeSet<String> = completed(&events).into_iter().collect();
    for i in &acknowledged {
        assert!(
            done.contains(&format!("a{i}")),
            "acknowledged a{i} was lost"
        );
    }
    assert_eq!(
        completed(&events).len(),
        done.len(),
        "nothing recorded twice"
    );
    cluster.run(&["verify"], "");
}

/// A clock running out within the week, so each server's reminder job finds it at once.
fn due_soon_case(cluster: &Cluster) {
    #[expect(
        clippy::disallowed_methods,
        reason = "the servers under test read the real date"
    )]
    let today: NaiveDate = chrono::Local::now().date_naive();
    let filed = today.checked_sub_days(Days::new(4)).unwrap();
    let case = json!({
        "format": "rrm-case/1", "id": "planta-aviso-2026", "procedure": "usmca-31a",
        "facility": { "name": "Planta aviso", "company": "Aviso S.A.", "state": "Jalisco" },
        "events": [ { "kind": "request_for_review", "date": filed.to_string() } ]
    });
    let path = cluster.dir.join("due.json");
    std::fs::write(&path, case.to_string()).unwrap();
    cluster.run(&["import", path.to_str().unwrap()], "");
}

#[test]
fn each_reminder_is_sent_by_one_server() {
    let cluster = Cluster::new();
    due_soon_case(&cluster);
    let servers = [
        cluster.serve("one", 1),
        cluster.serve("two", 1),
        cluster.serve("three", 1),
    ];
    let listed = || -> Vec<Value> {
        cluster
            .run(&["reminders", "--json"], "")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let started = Instant::now();
    while listed().is_empty() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
    }
    // Every server runs its job at least twice more after the first claim.
    std::thread::sleep(Duration::from_millis(2_500));
    let sent: Vec<String> = servers
        .iter()
        .flat_map(|s| s.lines.lock().unwrap().clone())
        .filter(|l| l.starts_with("reminder sent:"))
        .collect();
    let reminders = listed();
    assert!(
        !reminders.is_empty(),
        "a reminder for the clock due this week"
    );
    assert_eq!(
        sent.len(),
        reminders.len(),
        "each sent once across servers: {sent:?}"
    );
    let distinct: BTreeSet<&String> = sent.iter().collect();
    assert_eq!(distinct.len(), sent.len());
    drop(servers);
}
