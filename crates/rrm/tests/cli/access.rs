//! Accounts, teams, grants and master keys from the command line.

use super::*;

/// Runs `rrm` with `input` on standard input (not a terminal, so a password is read from it).
fn run_with_input(data: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = rrm(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn staff_users_need_a_strong_password_and_tokens_are_printed_once() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let add = [
        "user",
        "add",
        "--email",
        "ana@example.org",
        "--name",
        "Ana",
        "--role",
        "analyst",
    ];
    let weak = run_with_input(&data, &add, "Password2024!!!!\n");
    assert_eq!(weak.code, 2, "{}", weak.stderr);
    assert!(weak.stderr.contains("password.common"), "{}", weak.stderr);
    let short = run_with_input(&data, &add, "short\n");
    assert!(
        short.stderr.contains("password.min_length"),
        "{}",
        short.stderr
    );
    let ok = run_with_input(&data, &add, "a long enough passphrase\n");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("added ana@example.org (Ana) as analyst"));
    let again = run_with_input(&data, &add, "a long enough passphrase\n");
    assert_eq!(again.code, 6, "an email already in use: {}", again.stderr);
    let token = run(
        &data,
        &[
            "token",
            "add",
            "--email",
            "ana@example.org",
            "--label",
            "script",
        ],
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    assert!(
        token.stdout.trim().starts_with("rrm_api_"),
        "{}",
        token.stdout
    );
    assert_eq!(token.stdout.trim().len(), 60);
    let nobody = run(
        &data,
        &[
            "token",
            "add",
            "--email",
            "nobody@example.org",
            "--label",
            "x",
        ],
    );
    assert_eq!(nobody.code, 5, "{}", nobody.stderr);
}

#[test]
fn an_admin_unlocks_sign_in_and_resets_a_lost_authenticator() {
    use rrm_store::Lockout;
    use std::sync::Arc;
    let procedures = || rrm_core::procedure::shipped().unwrap();
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let add = [
        "user",
        "add",
        "--email",
        "ana@example.org",
        "--name",
        "Ana",
        "--role",
        "analyst",
    ];
    let added = run_with_input(&data, &add, "a long enough passphrase\n");
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(added.stderr.contains("first sign-in"), "{}", added.stderr);
    let unlock = ["user", "unlock", "--email", "ANA@example.org"];
    let r = run(&data, &unlock);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("was not locked"), "{}", r.stdout);
    let key = rrm_app::throttle::account_key("ana@example.org");
    let store = || {
        data_database(&data)
            .store()
            .rrm(Arc::new(procedures()))
            .workspace
    };
    {
        let store = store();
        let until = "2099-01-01T00:00:00Z".parse().unwrap();
        store
            .set_lockout(&Lockout {
                key,
                until,
                strikes: 3,
            })
            .unwrap();
    }
    let r = run(&data, &unlock);
    assert!(
        r.stdout.contains("unlocked sign-in for ANA@example.org"),
        "{}",
        r.stdout
    );
    let workspace = store();
    assert_eq!(
        workspace.lockout(&key).unwrap(),
        None,
        "the lockout is lifted"
    );
    drop(workspace);
    let r = run(&data, &["user", "reset-2fa", "--email", "ana@example.org"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("no authenticator was set up"),
        "{}",
        r.stdout
    );
    let r = run(&data, &["user", "unlock", "--email", "nobody@example.org"]);
    assert_eq!(r.code, 5, "an unknown account: {}", r.stderr);
}

#[test]
fn teams_assignments_and_grants_decide_who_reaches_a_case() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let pw = "correct horse battery staple\n";
    let add = |email: &str, role: &str, extra: &[&str]| {
        let mut args = vec![
            "user", "add", "--email", email, "--name", "X", "--role", role,
        ];
        args.extend_from_slice(extra);
        run_with_input(&data, &args, pw)
    };
    let ana = add("ana@example.org", "analyst", &["--team", "intake"]);
    assert_eq!(ana.code, 0, "{}", ana.stderr);
    let lonely = add("bea@example.org", "analyst", &[]);
    assert!(lonely.stderr.contains("on no team"), "{}", lonely.stderr);
    let firm_on_team = add("rh@example.com", "respondent", &["--team", "intake"]);
    assert_eq!(firm_on_team.code, 2, "{}", firm_on_team.stderr);
    assert!(firm_on_team.stderr.contains("access.team"));
    assert_eq!(add("rh@example.com", "respondent", &[]).code, 0);
    let unknown_team = add("cy@example.org", "analyst", &["--team", "nope"]);
    assert_eq!(unknown_team.code, 2, "{}", unknown_team.stderr);

    assert_eq!(run(&data, &["team", "add", "autos"]).code, 0);
    assert_eq!(run(&data, &["team", "add", "Bad Name"]).code, 2);
    assert_eq!(
        run(
            &data,
            &["team", "join", "autos", "--email", "bea@example.org"]
        )
        .code,
        0
    );
    let teams = run(&data, &["team", "list"]).stdout;
    assert!(teams.contains("autos: bea@example.org"), "{teams}");
    assert!(
        teams.contains("intake (intake): ana@example.org"),
        "{teams}"
    );

    let access = run(&data, &["case", "access", "gm-silao-2021"]);
    assert!(
        access.stdout.contains("teams intake (no team assigned)"),
        "{}",
        access.stdout
    );
    let assigned = run(
        &data,
        &["case", "assign", "gm-silao-2021", "--team", "autos"],
    );
    assert!(
        assigned.stdout.contains("teams autos"),
        "{}",
        assigned.stdout
    );
    let granted = run(
        &data,
        &[
            "case",
            "grant",
            "gm-silao-2021",
            "--email",
            "rh@example.com",
        ],
    );
    assert!(
        granted.stdout.contains("granted rh@example.com"),
        "{}",
        granted.stdout
    );
    let staff_grant = run(
        &data,
        &[
            "case",
            "grant",
            "gm-silao-2021",
            "--email",
            "ana@example.org",
        ],
    );
    assert_eq!(staff_grant.code, 2, "{}", staff_grant.stderr);
    assert_eq!(
        run(
            &data,
            &["case", "assign", "no-such-case", "--team", "autos"]
        )
        .code,
        5
    );

    assert_eq!(
        run(&data, &["user", "disable", "--email", "bea@example.org"]).code,
        0
    );
    let users = json_of(&run(&data, &["user", "list", "--json"]));
    let bea = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "bea@example.org")
        .unwrap();
    assert!(bea["disabled"].is_string(), "{bea}");
    assert_eq!(bea["teams"], json!(["autos"]));
    assert_eq!(
        run(
            &data,
            &[
                "user",
                "role",
                "--email",
                "bea@example.org",
                "--role",
                "boss"
            ]
        )
        .code,
        2
    );
}

/// A case whose second petitioner is not public.
fn confidential_case(id: &str) -> Value {
    let mut case = new_case(id);
    case["petitioners"] = json!([
        {"name": "Sindicato Independiente"},
        {"name": "Trabajadora CANARY-7f1e", "public": false}
    ]);
    case
}

#[test]
fn master_keys_are_made_rotated_and_needed_for_confidential_data() {
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let (old, new) = (dir.path().join("old.key"), dir.path().join("new.key"));
    let key = |path: &std::path::Path| path.display().to_string();
    let made = run(&data, &["keys", "init", "--out", &key(&old)]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(!data.exists(), "making a key touches no data directory");
    assert_eq!(
        run(&data, &["keys", "init", "--out", &key(&old)]).code,
        2,
        "never overwrites"
    );
    let file = write(dir.path(), "c.json", &confidential_case("conf-2026"));

    // Without the key, a confidential petitioner cannot be stored: exit 8, nothing stored.
    let refused = run(&data, &["import", &file]);
    assert_eq!(refused.code, 8, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("petitioners[1] is confidential"),
        "{}",
        refused.stderr
    );
    assert_eq!(run(&data, &["case", "show", "conf-2026"]).code, 5);
    let with_key = |args: &[&str]| {
        let mut all = ["--master-key-file", &key(&old)]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>();
        all.extend(args.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        run(&data, &all)
    };
    assert_eq!(with_key(&["import", &file]).code, 0);
    let stored = data_database(&data).contents_at_rest();
    assert!(!stored.is_empty(), "the database is read");
    for (at, bytes) in stored {
        assert!(
            !bytes.windows(11).any(|w| w == b"CANARY-7f1e"),
            "sealed at rest: {at}"
        );
    }

    // Exports leave the petitioner out unless asked; asking needs the key and is audited.
    let shared = run(&data, &["export", "conf-2026"]);
    assert!(
        !shared.stdout.contains("CANARY") && shared.stderr.contains("left out 1"),
        "{}",
        shared.stderr
    );
    let no_key = run(&data, &["export", "conf-2026", "--include-confidential"]);
    assert_eq!(no_key.code, 8, "{}", no_key.stderr);
    let full = with_key(&["export", "conf-2026", "--include-confidential"]);
    assert!(
        full.stdout.contains("Trabajadora CANARY-7f1e"),
        "{}",
        full.stderr
    );

    // Rotation: the new key opens everything, the old one is refused at start.
    assert_eq!(run(&data, &["keys", "init", "--out", &key(&new)]).code, 0);
    let status = with_key(&["keys", "status"]);
    assert!(
        status.stdout.contains("1 wrapped by master key"),
        "{}",
        status.stdout
    );
    let rotated = with_key(&["keys", "rotate", "--new-key-file", &key(&new)]);
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(
        rotated.stdout.contains("re-wrapped 1 data keys"),
        "{}",
        rotated.stdout
    );
    let stale = with_key(&["case", "list"]);
    assert_eq!(stale.code, 2, "the old key is refused: {}", stale.stderr);
    assert!(stale.stderr.contains("wrapped by key"), "{}", stale.stderr);
    let fresh = run(
        &data,
        &[
            "--master-key-file",
            &key(&new),
            "export",
            "conf-2026",
            "--include-confidential",
        ],
    );
    assert!(
        fresh.stdout.contains("Trabajadora CANARY-7f1e"),
        "{}",
        fresh.stderr
    );
    let verified = run(&data, &["--master-key-file", &key(&new), "verify"]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    assert!(
        verified.stdout.contains("verified the audit log"),
        "{}",
        verified.stdout
    );
}
