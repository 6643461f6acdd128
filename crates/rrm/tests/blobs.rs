//! End-to-end tests of `rrm` with file bytes outside the database, in a directory and in S3
//! (the server `scripts/test.sh` starts): a petition with evidence and a document filed
//! through the application into a data directory made by `rrm --blobs`, downloaded back;
//! `rrm verify` clean, then naming a tampered and a missing object; an orphan warned of and
//! swept; the objects hold no confidential plaintext; `rrm blobs migrate` through every kind;
//! and a data directory opened with the wrong place refused, naming both. On the backend
//! `RRM_TEST_BACKEND` names (`--database-url` to a fresh schema on PostgreSQL).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use assert_cmd::cargo::CommandCargoExt;
use chrono::{DateTime, NaiveDate, Utc};
use rrm_app::{DocumentOptions, PetitionInput, Rrm, Upload};
use rrm_blobs::test_support::{fresh_bucket, overwrite_object, s3_settings};
use rrm_blobs::BlobsSpec;
use rrm_store::{key_hex, BlobStore, Classification, Confidential, Hash, Role};
use rrm_testkit::{data_database, TestDir};

/// Planted in the evidence and the document; must never be found in clear at rest.
const CANARY: &str = "CANARYBLOBCLIx7q2";

struct Data {
    _tmp: TestDir,
    dir: PathBuf,
    data: PathBuf,
    key: PathBuf,
}

impl Data {
    fn new() -> Data {
        let tmp = TestDir::new();
        let dir = tmp.path().to_path_buf();
        Data {
            data: dir.join("data"),
            key: dir.join("master.key"),
            dir,
            _tmp: tmp,
        }
    }

    fn rrm(&self, args: &[&str]) -> Run {
        let s = s3_settings();
        let mut cmd = Command::cargo_bin("rrm").unwrap();
        cmd.arg("--data").arg(&self.data);
        cmd.args(data_database(&self.data).cli_args());
        for var in [
            "DATABASE_URL",
            "RRM_DATA",
            "RRM_BLOBS",
            "RRM_MASTER_KEY",
            "RRM_MASTER_KEY_FILE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("RRM_S3_ENDPOINT", s.endpoint.unwrap())
            .env("AWS_REGION", s.region.unwrap())
            .env("AWS_ACCESS_KEY_ID", s.access_key_id.unwrap())
            .env("AWS_SECRET_ACCESS_KEY", s.secret_access_key.unwrap());
        let out = cmd.args(args).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn keyed(&self, args: &[&str]) -> Run {
        let key = self.key.to_str().unwrap();
        self.rrm(&[&["--master-key-file", key], args].concat())
    }

    /// The application on this data directory, where the directory's record says its files
    /// are, with its master key.
    fn app(&self) -> Rrm {
        let store = data_database(&self.data)
            .open(&|recorded| {
                BlobsSpec::parse(&recorded.spec)
                    .unwrap()
                    .open(&s3_settings())
            })
            .unwrap();
        let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
        let key = rrm_app::vault::MasterKey::read_file(&self.key).unwrap();
        store.rrm(procedures).with_master_key(key)
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    r
}

fn now() -> DateTime<Utc> {
    "2026-11-23T15:00:00Z".parse().unwrap()
}

fn pdf(name: &str, text: &str) -> Upload {
    Upload {
        file_name: Confidential::new(name.into()),
        declared_type: "application/pdf".into(),
        bytes: format!("%PDF-1.4\n% {text} {CANARY}\n").into_bytes(),
    }
}

/// The stored keys of the evidence and the document filed.
struct Filed {
    evidence: Hash,
    document: Hash,
}

/// A new data directory with its files at `spec`, a petition with evidence and a
/// confidential document filed into it, and both downloaded back intact.
fn filed(d: &Data, spec: &str) -> Filed {
    ok(d.rrm(&["keys", "init", "--out", d.key.to_str().unwrap()]));
    ok(d.keyed(&["--blobs", spec, "--no-default-data", "stats"]));
    let app = d.app();
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
    let day: NaiveDate = "2026-11-23".parse().unwrap();
    let receipt = app
        .file_petition(&input, vec![pdf("acta.pdf", "acta")], day, now())
        .unwrap();
    let password = Confidential::new("a long enough passphrase".into());
    let ana = app
        .add_user("ana@example.org", "Ana", Role::Supervisor, &password, now())
        .unwrap();
    let team = rrm_app::DEFAULT_TEAM;
    app.set_team_member(rrm_app::Actor::Operator, team, &ana, true, now())
        .unwrap();
    let options = DocumentOptions {
        classification: Some(Classification::Confidential),
        ..DocumentOptions::default()
    };
    let case = &receipt.case_id;
    let document = app
        .add_document(&ana, case, pdf("minuta.pdf", "minuta"), options, now())
        .unwrap();
    let evidence = app
        .workspace
        .evidence(&rrm_store::EvidenceOwner::Submission(receipt.receipt));
    let evidence = evidence.unwrap().remove(0);
    for (content, text) in [(evidence.sha256, "acta"), (document.sha256, "minuta")] {
        let opened = app.download(&ana, case, &content, now()).unwrap();
        assert!(
            String::from_utf8_lossy(&opened.bytes).contains(text),
            "downloaded intact"
        );
    }
    Filed {
        evidence: evidence.stored_sha256,
        document: document.stored_sha256,
    }
}

/// The data directory's external store, opened as the CLI would.
fn store_of(spec: &str) -> Arc<dyn BlobStore> {
    match BlobsSpec::parse(spec)
        .unwrap()
        .open(&s3_settings())
        .unwrap()
    {
        rrm_store::BlobPlacement::External(store) => store,
        rrm_store::BlobPlacement::InDatabase => panic!("not an external store"),
    }
}

/// Every object of `store` read back: none holds the canary in clear, and there are `n`.
fn assert_sealed_at_rest(store: &dyn BlobStore, n: usize) {
    let mut keys = Vec::new();
    store
        .walk(&mut |e| {
            keys.push(e.key);
            Ok(())
        })
        .unwrap();
    assert_eq!(keys.len(), n, "the evidence and the document");
    for key in keys {
        let bytes = store.get(&key).unwrap().unwrap();
        let found = bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
        assert!(!found, "object {} holds the canary in clear", key_hex(&key));
    }
}

fn tamper(spec: &str, key: &Hash) {
    let hex = key_hex(key);
    let name = format!("{}/{}/{hex}", &hex[0..2], &hex[2..4]);
    match spec.strip_prefix("dir:") {
        Some(root) => std::fs::write(Path::new(root).join(name), b"edited").unwrap(),
        None => overwrite_object(spec, &name, b"edited"),
    }
}

fn verify_finds_tampering_and_loss(spec: &str, d: &Data) {
    let f = filed(d, spec);
    let store = store_of(spec);
    assert_sealed_at_rest(store.as_ref(), 2);
    let clean = ok(d.keyed(&["verify"]));
    assert!(clean.stdout.contains("2 stored files"), "{}", clean.stdout);
    assert!(
        clean.stdout.contains("opened 2 sealed files"),
        "{}",
        clean.stdout
    );
    assert!(!clean.stdout.contains("warning"), "{}", clean.stdout);
    tamper(spec, &f.evidence);
    assert!(store.delete(&f.document).unwrap());
    let broken = d.keyed(&["verify"]);
    assert_eq!(broken.code, 4, "{broken:?}");
    let tampered = format!(
        "stored file {}: its bytes no longer match",
        key_hex(&f.evidence)
    );
    let missing = format!("stored file {}: missing", key_hex(&f.document));
    assert!(broken.stdout.contains(&tampered), "{}", broken.stdout);
    assert!(broken.stdout.contains(&missing), "{}", broken.stdout);
}

#[test]
fn verify_names_a_tampered_and_a_missing_file_in_a_directory() {
    let d = Data::new();
    let spec = format!("dir:{}", d.dir.join("files").display());
    verify_finds_tampering_and_loss(&spec, &d);
}

#[test]
fn verify_names_a_tampered_and_a_missing_object_in_s3() {
    let d = Data::new();
    let spec = format!("s3://{}/rrm", fresh_bucket());
    verify_finds_tampering_and_loss(&spec, &d);
}

#[test]
fn an_orphan_is_a_warning_until_swept() {
    let d = Data::new();
    let spec = format!("s3://{}/rrm", fresh_bucket());
    filed(&d, &spec);
    let orphan = store_of(&spec)
        .put(b"bytes of an interrupted write")
        .unwrap();
    let warned = ok(d.keyed(&["verify"]));
    let warning = format!(
        "warning: stored file {}: no record names it",
        key_hex(&orphan)
    );
    assert!(warned.stdout.contains(&warning), "{}", warned.stdout);
    let young = ok(d.rrm(&["blobs", "sweep"]));
    assert!(
        young
            .stdout
            .contains("deleted 0 orphans older than 24 hours"),
        "{young:?}"
    );
    let swept = ok(d.rrm(&["blobs", "sweep", "--older-than-hours", "0"]));
    assert!(
        swept.stdout.contains("deleted 1 orphans"),
        "{}",
        swept.stdout
    );
    let clean = ok(d.keyed(&["verify"]));
    assert!(!clean.stdout.contains("warning"), "{}", clean.stdout);
    assert_eq!(store_of(&spec).get(&orphan).unwrap(), None);
}

#[test]
fn files_migrate_through_every_kind_and_the_wrong_place_is_refused() {
    let d = Data::new();
    let dir = format!("dir:{}", d.dir.join("files").display());
    let s3 = format!("s3://{}/moved", fresh_bucket());
    filed(&d, "database");
    let refused = d.rrm(&["--blobs", &dir, "verify"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("keeps its files in `database`")
            && refused
                .stderr
                .contains(&format!("opened with `--blobs {dir}`")),
        "names both: {}",
        refused.stderr
    );
    for to in [dir.as_str(), s3.as_str(), "database"] {
        let moved = ok(d.rrm(&["blobs", "migrate", "--to", to]));
        assert!(
            moved.stdout.contains("moved 2 files from"),
            "{}",
            moved.stdout
        );
        let shown = ok(d.rrm(&["blobs", "status"]));
        assert!(
            shown.stdout.contains(&format!("files are kept in {to}")),
            "{shown:?}"
        );
        let verified = ok(d.keyed(&["verify"]));
        assert!(
            verified.stdout.contains("opened 2 sealed files"),
            "{}",
            verified.stdout
        );
    }
    assert_sealed_at_rest(store_of(&s3).as_ref(), 2);
    let same = d.rrm(&["blobs", "migrate", "--to", "database"]);
    assert_eq!(same.code, 1, "{same:?}");
    assert!(
        same.stderr.contains("already in `database`"),
        "{}",
        same.stderr
    );
}
