//! Evidence and documents with their bytes in a directory and in S3, end to end: a petition
//! filed through the public form with evidence, documents added in the workspace, every file
//! downloaded intact from the store outside the database; then `rrm verify`'s check
//! (`Rrm::verify_vault`) names a tampered object and a missing one, and their downloads fail.

use reqwest::multipart;
use rrm_store::{key_hex, EvidenceOwner, Hash, Role};

use crate::browser::{file, petition_fields, receipt_of, staff, Browser};
use crate::support::{Files, TestApp};

const CASE: &str = "planta-de-prueba-norte-2026";

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n1 0 obj << >> endobj\n").into_bytes()
}

/// Overwrites the object under `key` behind the store's back.
fn tamper(app: &TestApp, files: Files, key: &Hash) {
    let hex = key_hex(key);
    let name = format!("{}/{}/{hex}", &hex[0..2], &hex[2..4]);
    match files {
        Files::Directory => std::fs::write(app.data_dir().join("files").join(name), b"edited")
            .expect("the object is a file"),
        Files::S3 => {
            let spec = app.blob_store.as_ref().unwrap().location().spec;
            rrm_blobs::test_support::overwrite_object(&spec, &name, b"edited");
        }
        Files::Database => unreachable!("only external stores here"),
    }
}

async fn add_document(b: &mut Browser<'_>, name: &str, bytes: &[u8], class: &str) {
    let csrf = b.get(&format!("/staff/cases/{CASE}")).await.csrf();
    let form = multipart::Form::new()
        .text("csrf", csrf)
        .text("classification", class.to_string())
        .part("document", file(name, bytes, "application/pdf"));
    let page = b
        .post_multipart(&format!("/staff/cases/{CASE}/documents"), form)
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

async fn files_end_to_end(files: Files) {
    let app = TestApp::builder().files_in(files).spawn().await;
    let store = app.blob_store.clone().expect("an external store");
    let mut petitioner = Browser::new(&app);
    let csrf = petitioner.get("/petitions/new").await.csrf();
    let evidence = pdf("acta de la asamblea");
    let form = petition_fields(&csrf, "Despidos.", "Sindicato", "s@example.org")
        .part("evidence", file("acta.pdf", &evidence, "application/pdf"));
    let page = petitioner.post_multipart("/petitions/new", form).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (receipt, _) = receipt_of(&page);

    let mut sup = staff(&app, "sup@example.org", Role::Supervisor).await;
    let (confidential, public) = (pdf("minuta con nombres"), pdf("comunicado"));
    add_document(&mut sup, "minuta.pdf", &confidential, "confidential").await;
    add_document(&mut sup, "comunicado.pdf", &public, "public").await;
    let filed = app
        .rrm
        .workspace
        .evidence(&EvidenceOwner::Submission(receipt))
        .unwrap();
    let docs = app.rrm.workspace.documents(CASE).unwrap();
    let all = [
        (filed[0].sha256, filed[0].stored_sha256, &evidence),
        (docs[0].sha256, docs[0].stored_sha256, &confidential),
        (docs[1].sha256, docs[1].stored_sha256, &public),
    ];
    for (content, stored, bytes) in all {
        let got = sup
            .get(&format!("/staff/cases/{CASE}/files/{}", key_hex(&content)))
            .await;
        assert_eq!(got.status, 200, "{}", got.body);
        assert_eq!(got.body.as_bytes(), bytes.as_slice(), "downloaded intact");
        let kept = store
            .get(&stored)
            .unwrap()
            .expect("kept outside the database");
        assert_eq!(kept == *bytes, content == stored, "sealed unless public");
    }
    let report = app.rrm.verify_vault(&mut |_| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((report.stored_files, report.opened), (3, 2));

    tamper(&app, files, &filed[0].stored_sha256);
    assert!(store.delete(&docs[0].stored_sha256).unwrap());
    let report = app.rrm.verify_vault(&mut |_| {}).unwrap();
    let problems = report.problems.join("\n");
    let tampered = key_hex(&filed[0].stored_sha256);
    let missing = key_hex(&docs[0].stored_sha256);
    assert!(
        problems.contains(&format!(
            "stored file {tampered}: its bytes no longer match"
        )),
        "{problems}"
    );
    assert!(
        problems.contains(&format!("stored file {missing}: missing")),
        "{problems}"
    );
    for content in [filed[0].sha256, docs[0].sha256] {
        let got = sup
            .get(&format!("/staff/cases/{CASE}/files/{}", key_hex(&content)))
            .await;
        assert_ne!(got.status, 200, "a damaged file is not served");
        assert!(!got.body.contains("%PDF"), "{}", got.body);
    }
}

#[tokio::test]
async fn evidence_and_documents_live_in_a_directory() {
    files_end_to_end(Files::Directory).await;
}

#[tokio::test]
async fn evidence_and_documents_live_in_s3() {
    files_end_to_end(Files::S3).await;
}
