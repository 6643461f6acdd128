//! End-to-end tests of `rrm backup`, `rrm restore` and `rrm migrate`: an installation with a
//! petition, sealed evidence kept in a directory, a staff document, teams and an audit log
//! is backed up, restored and migrated, and the copies read back the same through the
//! application (the confidential side opened with the same master key) and verify clean.
//! A damaged archive and a destination that is not empty are refused without writing.
//! Each data directory's store is on the backend `RRM_TEST_BACKEND` names (`rrm-testkit`);
//! the migration goes to the other backend, so both directions are covered across the passes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use assert_cmd::cargo::CommandCargoExt;
use chrono::{DateTime, NaiveDate, Utc};
use rrm_app::{PetitionInput, Rrm, Upload};
use rrm_store::{CaseFilter, Confidential};
use rrm_store_postgres::test_support::TestSchema;
use rrm_testkit::{data_database, TestDir};

struct Install {
    _tmp: TestDir,
    dir: PathBuf,
    key: PathBuf,
}

#[derive(Debug)]
struct Run {
    code: i32,
    stderr: String,
}

impl Install {
    fn new() -> Install {
        let tmp = TestDir::new();
        let dir = tmp.path().to_path_buf();
        Install {
            key: dir.join("master.key"),
            dir,
            _tmp: tmp,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn rrm(&self, data: &str, args: &[&str]) -> Run {
        let mut cmd = Command::cargo_bin("rrm").unwrap();
        for var in ["RRM_DATA", "RRM_BLOBS", "RRM_MASTER_KEY", "DATABASE_URL"] {
            cmd.env_remove(var);
        }
        let out = cmd
            .arg("--data")
            .arg(self.path(data))
            .args(data_database(&self.path(data)).cli_args())
            .arg("--master-key-file")
            .arg(&self.key)
            .args(args)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// The application on a data directory, files where its record says, with the key.
    fn app(&self, data: &str) -> Rrm {
        let store = data_database(&self.path(data))
            .open(&|recorded| {
                rrm_blobs::BlobsSpec::parse(&recorded.spec)
                    .unwrap()
                    .open(&rrm_blobs::S3Settings::default())
            })
            .unwrap();
        let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
        store.rrm(procedures).with_master_key(self.master_key())
    }

    fn master_key(&self) -> rrm_app::vault::MasterKey {
        rrm_app::vault::MasterKey::read_file(&self.key).unwrap()
    }
}

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r
}

fn now() -> DateTime<Utc> {
    "2026-11-23T15:00:00Z".parse().unwrap()
}

/// A data directory `source` with the public record, its files in a directory, and a
/// petition with evidence filed; returns the petition's case id.
fn filled(i: &Install) -> String {
    let key = i.key.to_str().unwrap().to_string();
    let mut init = Command::cargo_bin("rrm").unwrap();
    assert!(init
        .args(["keys", "init", "--out", &key])
        .status()
        .unwrap()
        .success());
    let files = format!("dir:{}", i.path("files").display());
    ok(i.rrm("source", &["--blobs", &files, "stats"]));
    let app = i.app("source");
    let input = PetitionInput {
        office: "us_ilc".into(),
        facility: "Planta Ñandú".into(),
        state: "Nuevo León".into(),
        allegations: vec!["irregular_contract_vote".into()],
        narrative: "La votación fue amañada.".into(),
        organization: "Colectivo".into(),
        contact: "colectivo@example.org".into(),
        consent: true,
        ..PetitionInput::default()
    };
    let evidence = Upload {
        file_name: Confidential::new("acta.pdf".into()),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4\n% the minutes\n".to_vec(),
    };
    let day: NaiveDate = "2026-11-23".parse().unwrap();
    app.file_petition(&input, vec![evidence], day, now())
        .unwrap()
        .case_id
}

/// The two installations read the same through the application, confidential side included.
fn assert_same(a: &Rrm, b: &Rrm, petition: &str) {
    let all = CaseFilter::default();
    let (cases, _) = a.store.list_cases(&all).unwrap();
    assert_eq!(b.store.list_cases(&all).unwrap().0, cases);
    assert!(cases.len() > 30, "the public record and the petition");
    for case in &cases {
        assert_eq!(
            a.store.events(&case.id).unwrap(),
            b.store.events(&case.id).unwrap()
        );
    }
    let sub = |r: &Rrm| r.workspace.submission_for_case(petition).unwrap().unwrap();
    assert_eq!(sub(a), sub(b));
    let evidence = |r: &Rrm| {
        let owner = rrm_store::EvidenceOwner::Submission(sub(r).receipt.clone());
        r.workspace.evidence(&owner).unwrap()
    };
    assert_eq!(evidence(a), evidence(b));
    let stored = evidence(a)[0].stored_sha256;
    assert_eq!(
        a.workspace.blob(&stored).unwrap(),
        b.workspace.blob(&stored).unwrap()
    );
    assert!(b.workspace.blob(&stored).unwrap().is_some());
    assert_eq!(
        a.audit_log.audit_entries(&Default::default()).unwrap(),
        b.audit_log.audit_entries(&Default::default()).unwrap()
    );
}

#[test]
fn a_backup_restores_whole_into_a_new_data_directory() {
    let i = Install::new();
    let petition = filled(&i);
    let archive = i.path("rrm.backup");
    let wrote = ok(i.rrm("source", &["backup", archive.to_str().unwrap()]));
    assert!(wrote.stderr.contains("read them back"), "{}", wrote.stderr);
    // A backup never overwrites.
    assert_eq!(
        i.rrm("source", &["backup", archive.to_str().unwrap()]).code,
        2
    );

    let restored = ok(i.rrm("restored", &["restore", archive.to_str().unwrap()]));
    assert!(
        restored.stderr.contains("every chain whole"),
        "{}",
        restored.stderr
    );
    // The restored copy keeps its files in its database: the directory was the source's.
    ok(i.rrm("restored", &["verify"]));
    assert_same(&i.app("source"), &i.app("restored"), &petition);

    // Restoring again, into the now full copy, is refused and changes nothing.
    let again = i.rrm("restored", &["restore", archive.to_str().unwrap()]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
    assert_same(&i.app("source"), &i.app("restored"), &petition);
}

#[test]
fn a_damaged_archive_is_refused_and_nothing_is_restored() {
    let i = Install::new();
    filled(&i);
    let archive = i.path("rrm.backup");
    ok(i.rrm("source", &["backup", archive.to_str().unwrap()]));
    let bytes = std::fs::read(&archive).unwrap();
    let cut = i.path("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let refused = i.rrm("restored", &["restore", cut.to_str().unwrap()]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("not a whole rrm-backup/1 archive"),
        "{}",
        refused.stderr
    );
    let store = i.app("restored").store;
    assert_eq!(store.stats().unwrap().cases, 0, "nothing restored");
    assert!(!Path::new(&i.path("cut.partial")).exists());
}

/// Where a migration goes: a PostgreSQL schema from a SQLite store, a new data directory (its
/// SQLite file) from a PostgreSQL one; and the application there.
enum Destination {
    Postgres(TestSchema),
    Sqlite(PathBuf),
}

impl Destination {
    fn other_than_the_source(i: &Install) -> Destination {
        match data_database(&i.path("source")).is_postgres() {
            true => Destination::Sqlite(i.path("copy")),
            false => Destination::Postgres(TestSchema::new()),
        }
    }

    fn to(&self) -> String {
        match self {
            Destination::Postgres(schema) => schema.url(),
            Destination::Sqlite(dir) => dir.to_str().unwrap().to_string(),
        }
    }

    fn app(&self, i: &Install) -> Rrm {
        let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
        let rrm = match self {
            Destination::Postgres(schema) => Rrm::new(Arc::new(schema.store()), procedures),
            Destination::Sqlite(dir) => {
                let store = rrm_store_sqlite::SqliteStore::open(&dir.join("rrm.sqlite3"));
                Rrm::new(Arc::new(store.unwrap()), procedures)
            }
        };
        rrm.with_master_key(i.master_key())
    }
}

#[test]
fn a_migration_copies_into_the_other_backend_and_refuses_a_full_one() {
    let i = Install::new();
    let petition = filled(&i);
    let destination = Destination::other_than_the_source(&i);
    let to = destination.to();
    let moved = ok(i.rrm("source", &["migrate", "--to", &to]));
    assert!(
        moved.stderr.contains("every table read back equal"),
        "{}",
        moved.stderr
    );
    assert!(
        moved.stderr.contains("every chain whole"),
        "{}",
        moved.stderr
    );
    assert_same(&i.app("source"), &destination.app(&i), &petition);
    let again = i.rrm("source", &["migrate", "--to", &to]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
}
