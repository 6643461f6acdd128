//! The canary at rest: unique strings planted in every confidential field and document of a
//! case — the petition's narrative, contact and organization, an evidence file's name and
//! bytes, an internal note, a confidential document's name and bytes, a petitioner marked
//! not public — appear in no file under the data directory (the SQLite database and its
//! write-ahead log, the search indexes), in no public page, API response or download, and in
//! no log line; staff who reach the case read them all. A restricted document's strings are
//! sealed in the database too, and reach only the staff search index. On PostgreSQL the
//! database is not a file: every text and bytea value of the test's schema is read instead.

use rrm_app::{DocumentOptions, ImportSource, Upload};
use rrm_store::{Classification, Confidential, Role};

use crate::browser::{add_user, file, petition_fields, staff, Browser};
use crate::support::{logs, Files, TestApp};

const NARRATIVE: &str = "CANARYNARRATIVEq81x";
const CONTACT: &str = "canarycontactz4k2@example.org";
const ORG: &str = "CANARYORGm7p3";
const EVIDENCE_NAME: &str = "CANARYEVNAMEw2j9";
const EVIDENCE_BYTES: &str = "CANARYEVBYTESh6t1";
const NOTE: &str = "CANARYNOTEr5v8";
const DOC_NAME: &str = "CANARYDOCNAMEb3n6";
const DOC_BYTES: &str = "CANARYDOCBYTESy9c4";
const PETITIONER: &str = "CANARYPETITIONERk1d7";
/// A restricted document's name and bytes: sealed in the database, searchable by staff only.
const RESTRICTED: &str = "CANARYRESTRICTEDf0g2";

const CONFIDENTIAL: [&str; 9] = [
    NARRATIVE,
    CONTACT,
    ORG,
    EVIDENCE_NAME,
    EVIDENCE_BYTES,
    NOTE,
    DOC_NAME,
    DOC_BYTES,
    PETITIONER,
];

const CASE: &str = "planta-de-prueba-norte-2026";
const IMPORTED: &str = "canary-import-2026";

fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {marker}\n1 0 obj << >> endobj\n").into_bytes()
}

/// Whether `needle` occurs in `haystack` as written, in lower or in upper case.
fn contains(haystack: &[u8], needle: &str) -> bool {
    [
        needle.to_string(),
        needle.to_lowercase(),
        needle.to_uppercase(),
    ]
    .iter()
    .any(|n| haystack.windows(n.len()).any(|w| w == n.as_bytes()))
}

/// Every file under `dir`, with its path.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

/// A petition through the public form, a note, a confidential and a restricted document, and
/// an imported case with a petitioner who is not public.
async fn plant(app: &TestApp) {
    let mut petitioner = Browser::new(app);
    let csrf = petitioner.get("/petitions/new").await.csrf();
    let evidence = file(
        &format!("{EVIDENCE_NAME}.pdf"),
        &pdf(EVIDENCE_BYTES),
        "application/pdf",
    );
    let form = petition_fields(&csrf, NARRATIVE, ORG, CONTACT).part("evidence", evidence);
    let receipt = petitioner.post_multipart("/petitions/new", form).await;
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    let now = app.now();
    let ana = add_user(app, "ana@example.org", Role::Analyst);
    app.rrm
        .add_note(&ana, CASE, &format!("{NOTE} llamó"), now)
        .unwrap();
    for (name, bytes, class) in [
        (DOC_NAME, DOC_BYTES, Classification::Confidential),
        (RESTRICTED, RESTRICTED, Classification::Restricted),
    ] {
        let upload = Upload {
            file_name: Confidential::new(format!("{name}.pdf")),
            declared_type: "application/pdf".into(),
            bytes: pdf(bytes),
        };
        let options = DocumentOptions {
            classification: Some(class),
            ..DocumentOptions::default()
        };
        app.rrm
            .add_document(&ana, CASE, upload, options, now)
            .unwrap();
    }
    let imported = serde_json::json!({
        "format": "rrm-case/1", "id": IMPORTED, "procedure": "usmca-31a",
        "facility": {"name": "Planta Canaria"},
        "petitioners": [{"name": PETITIONER, "public": false}, {"name": "Sindicato Público"}],
        "events": [{"kind": "request_for_review", "date": "2026-11-02"}]
    });
    let source = ImportSource {
        name: "canary.json".into(),
        text: imported.to_string(),
    };
    app.rrm.import_all(&[source], now).unwrap();
}

#[tokio::test]
async fn no_confidential_value_is_stored_in_clear_shown_publicly_or_logged() {
    canaries(Files::Database).await;
}

#[tokio::test]
async fn no_confidential_value_is_in_clear_in_a_file_directory() {
    canaries(Files::Directory).await;
}

#[tokio::test]
async fn no_confidential_value_is_in_clear_in_s3() {
    canaries(Files::S3).await;
}

/// Every object of the app's external blob store, if it has one: none may hold a canary, and
/// (the positive control) the evidence and both documents must be there, sealed.
fn check_external_objects(app: &TestApp) {
    let Some(store) = &app.blob_store else {
        return;
    };
    let mut objects = Vec::new();
    store
        .walk(&mut |e| {
            objects.push(e.key);
            Ok(())
        })
        .unwrap();
    assert!(objects.len() >= 3, "evidence and documents: {objects:?}");
    for key in objects {
        let bytes = store.get(&key).unwrap().unwrap();
        for canary in CONFIDENTIAL.iter().chain([&RESTRICTED]) {
            let at = store.location();
            assert!(
                !contains(&bytes, canary),
                "an object in {at} holds {canary}"
            );
        }
    }
    let documents = app.rrm.workspace.documents(CASE).unwrap();
    for d in documents {
        assert!(
            store.get(&d.stored_sha256).unwrap().is_some(),
            "kept outside"
        );
    }
}

async fn canaries(files: Files) {
    let app = TestApp::builder().files_in(files).spawn().await;
    plant(&app).await;
    check_external_objects(&app);
    // The positive control: staff who reach the case read every value.
    let mut sup = staff(&app, "sup@example.org", Role::Supervisor).await;
    let workspace = sup.get(&format!("/staff/cases/{CASE}")).await;
    for canary in [NARRATIVE, CONTACT, ORG, EVIDENCE_NAME, NOTE, DOC_NAME] {
        assert!(workspace.body.contains(canary), "staff see {canary}");
    }
    let (stored, _) = app.rrm.load_case(IMPORTED).unwrap();
    assert_ne!(
        stored.header.petitioners[0].name, PETITIONER,
        "stored sealed"
    );
    let mut opened = stored.clone();
    app.rrm.open_petitioners(IMPORTED, &mut opened).unwrap();
    assert_eq!(opened.header.petitioners[0].name, PETITIONER);

    // Published, every public surface has the cases to show, and shows none of the values.
    let csrf = workspace.csrf();
    let r = sup
        .post_form(
            &format!("/staff/cases/{CASE}/publication"),
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    for path in [
        format!("/cases/{CASE}"),
        format!("/cases/{IMPORTED}"),
        "/cases?per_page=100".into(),
        "/downloads/cases.json".into(),
        "/downloads/cases.csv".into(),
        format!("/api/v1/cases/{CASE}"),
        format!("/api/v1/cases/{IMPORTED}"),
        "/api/v1/cases?per_page=100".into(),
        "/search?q=planta".into(),
        "/api/v1/search?q=planta".into(),
    ] {
        let body = app.text(&path).await;
        for canary in CONFIDENTIAL.iter().chain([&RESTRICTED]) {
            assert!(!body.contains(canary), "{path} shows {canary}");
        }
    }
    assert!(app
        .text(&format!("/cases/{IMPORTED}"))
        .await
        .contains("Sindicato Público"));

    // At rest: nothing confidential in clear in any file under the data directory, nor in
    // any value of the PostgreSQL schema when the store is there.
    let in_database = app.database.contents_at_rest();
    if app.database.is_postgres() {
        // The positive control: the dump reads what was stored (cases, sealed values).
        assert!(
            in_database
                .iter()
                .any(|(_, v)| contains(v, "Planta Canaria")),
            "the schema's dump holds the imported case"
        );
        assert!(in_database
            .iter()
            .any(|(at, _)| at.starts_with("submissions.")));
    }
    for (at, bytes) in &in_database {
        for canary in CONFIDENTIAL.iter().chain([&RESTRICTED]) {
            assert!(!contains(bytes, canary), "{at} holds {canary} in clear");
        }
    }
    for (path, bytes) in files_under(app.data_dir()) {
        for canary in CONFIDENTIAL {
            let shown = path.display();
            assert!(!contains(&bytes, canary), "{shown} holds {canary} in clear");
        }
        let in_staff_index = path.components().any(|c| c.as_os_str() == "staff");
        if !in_staff_index {
            let shown = path.display();
            assert!(
                !contains(&bytes, RESTRICTED),
                "{shown} holds restricted text"
            );
        }
    }
    let query = format!("/staff/search?q={}", RESTRICTED.to_lowercase());
    let staff_hits = sup.get(&query).await;
    assert!(
        staff_hits.body.contains(&format!("/staff/cases/{CASE}")),
        "staff search reads restricted documents: {}",
        staff_hits.body
    );
    let log = logs();
    for canary in CONFIDENTIAL.iter().chain([&RESTRICTED]) {
        assert!(!log.contains(canary), "the log holds {canary}");
    }
}
