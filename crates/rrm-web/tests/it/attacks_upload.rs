//! Hostile uploads, on the petition form, the petition API and staff documents: a type that
//! lies in its name and Content-Type, polyglots, path tricks, NUL bytes and over-long names,
//! oversized bodies, too many parts, a gzip-encoded body (never inflated), and a zip bomb
//! where DOCX is accepted (stored as sent, never inflated). Each checks what happened and
//! that what was stored before is still there, byte for byte.

use std::io::Write;

use rrm_app::vault::Purpose;
use rrm_store::{sha256, EvidenceOwner, Role};

use crate::browser::{file, petition_fields, receipt_of, staff, Browser, Page, PDF};
use crate::support::TestApp;

const CASE: &str = "gm-silao-2021";

/// One part of a raw multipart body: its name, its file name if a file, its content.
type RawPart<'a> = (&'a str, Option<&'a [u8]>, &'a [u8]);

/// A multipart body written byte by byte, so a part's headers can say anything.
fn raw_multipart(parts: &[RawPart<'_>]) -> (String, Vec<u8>) {
    let boundary = "rrm-test-boundary-7d1e";
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        )
        .unwrap();
        if let Some(f) = file_name {
            body.extend_from_slice(b"; filename=\"");
            body.extend_from_slice(f);
            body.extend_from_slice(b"\"\r\nContent-Type: application/pdf");
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// What was stored before the attacks: a petition's evidence and a staff document.
struct Kept {
    receipt: String,
    evidence: Vec<u8>,
    documents: usize,
}

async fn store_something(app: &TestApp, b: &mut Browser<'_>) -> Kept {
    let mut public = Browser::new(app);
    let csrf = public.get("/petitions/new").await.csrf();
    let form = petition_fields(&csrf, "Relato", "Sindicato", "s@example.org")
        .part("evidence", file("acta.pdf", PDF, "application/pdf"));
    let page = public.post_multipart("/petitions/new", form).await;
    let (receipt, _) = receipt_of(&page);
    let csrf = b.staff_csrf().await;
    let doc = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .part("document", file("minuta.pdf", PDF, "application/pdf"));
    assert_eq!(
        b.post_multipart(&format!("/staff/cases/{CASE}/documents"), doc)
            .await
            .status,
        303
    );
    Kept {
        receipt,
        evidence: PDF.to_vec(),
        documents: 1,
    }
}

/// The bytes a file was stored under, opened with the case's data key.
fn opened(app: &TestApp, case: &str, purpose: Purpose, stored: &rrm_store::Hash) -> Vec<u8> {
    let sealed = app
        .rrm
        .workspace
        .blob(stored)
        .unwrap()
        .expect("stored bytes");
    let vault = app.rrm.vault().unwrap();
    vault
        .open(case, purpose, &rrm_store::Sealed(sealed))
        .unwrap()
}

fn still_there(app: &TestApp, kept: &Kept) {
    let owner = EvidenceOwner::Submission(kept.receipt.clone());
    let files = app.rrm.workspace.evidence(&owner).unwrap();
    assert_eq!(files.len(), 1, "the earlier petition's evidence");
    let case = app
        .rrm
        .workspace
        .submission(&kept.receipt)
        .unwrap()
        .unwrap()
        .case_id;
    let bytes = opened(app, &case, Purpose::EvidenceBytes, &files[0].stored_sha256);
    assert_eq!(bytes, kept.evidence, "byte for byte");
    assert_eq!(files[0].sha256, sha256(&kept.evidence), "custody hash");
    assert_eq!(
        app.rrm.workspace.documents(CASE).unwrap().len(),
        kept.documents
    );
}

async fn upload_document(b: &mut Browser<'_>, name: &str, bytes: &[u8], declared: &str) -> Page {
    let csrf = b.staff_csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .part("document", file(name, bytes, declared));
    b.post_multipart(&format!("/staff/cases/{CASE}/documents"), form)
        .await
}

#[tokio::test]
async fn types_are_judged_by_content_and_polyglots_are_served_as_what_they_claim_to_be() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let kept = store_something(&app, &mut b).await;
    let html = b"<html><body><script>alert(document.cookie)</script></body></html>";
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    for (name, bytes, declared) in [
        ("foto.png", &html[..], "image/png"),
        ("logo.png", &svg[..], "image/svg+xml"),
        (
            "carta.pdf",
            b"MZ\x90\x00\x03 This program",
            "application/pdf",
        ),
        (
            "informe.docx",
            b"PK\x03\x04 nothing office-like",
            "application/msword",
        ),
    ] {
        let r = upload_document(&mut b, name, bytes, declared).await;
        assert_eq!(r.status, 422, "{name}");
        assert!(
            r.body.contains(&format!("`{name}` is not a PDF")),
            "{}",
            r.body
        );
        assert_eq!(app.rrm.workspace.blob(&sha256(bytes)).unwrap(), None);
    }
    still_there(&app, &kept);
    // A PDF that is also an HTML page: accepted as the PDF its first bytes say it is, and
    // served back as a PDF download that a browser may not sniff or run.
    let polyglot = b"%PDF-1.7\n<html><script>alert(document.domain)</script></html>\n%%EOF";
    assert_eq!(
        upload_document(&mut b, "mixed.html", polyglot, "text/html")
            .await
            .status,
        303
    );
    let sha: String = sha256(polyglot)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    let got = b.get(&format!("/staff/cases/{CASE}/files/{sha}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.headers["content-type"], "application/pdf");
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    assert!(got.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert!(got.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    let docs = app.rrm.workspace.documents(CASE).unwrap();
    assert_eq!(
        docs.last().unwrap().content_type,
        "application/pdf",
        "not text/html"
    );
}

#[tokio::test]
async fn file_names_keep_their_last_component_without_control_characters_or_excess() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let kept = store_something(&app, &mut b).await;
    let long = format!("{}.pdf", "a".repeat(10_000));
    // The stored name, or `None` where the part's headers cannot be read as a file (control
    // characters in a header, a line break ending it early): then the form is refused, as
    // unreadable or as sending no file, and nothing is stored.
    let names: [(&[u8], Option<&str>); 7] = [
        (b"../../etc/passwd", Some("passwd")),
        (b"/etc/shadow.pdf", Some("shadow.pdf")),
        (b"C:\\Windows\\System32\\cmd.pdf", Some("cmd.pdf")),
        (b"acta\x00.exe.pdf", None),
        (b"acta\x07\x1b[31m.pdf", None),
        (b"..\\..\\boot.ini\r\nX-Injected: 1", None),
        (long.as_bytes(), Some("")),
    ];
    let mut stored_count = kept.documents;
    for (i, (name, want)) in names.iter().enumerate() {
        let csrf = b.staff_csrf().await;
        let content = format!("%PDF-1.4 file {i}");
        let (ct, body) = raw_multipart(&[
            ("csrf", None, csrf.as_bytes()),
            ("document", Some(name), content.as_bytes()),
        ]);
        let r = app
            .client
            .post(app.url(&format!("/staff/cases/{CASE}/documents")))
            .header(
                "cookie",
                format!("rrm_session={}", b.cookies["rrm_session"]),
            )
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        let shown = String::from_utf8_lossy(name).into_owned();
        let Some(want) = *want else {
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            assert!(
                (status == 400 && text.contains("could not be read"))
                    || (status == 422 && text.contains("choose a file")),
                "{shown:?}: {status}"
            );
            assert_eq!(
                app.rrm.workspace.documents(CASE).unwrap().len(),
                stored_count
            );
            continue;
        };
        assert_eq!(r.status(), 303, "{shown:?}");
        stored_count += 1;
        let docs = app.rrm.workspace.documents(CASE).unwrap();
        let stored = match &docs.last().unwrap().name {
            rrm_store::Protected::Sealed(sealed) => app
                .rrm
                .vault()
                .unwrap()
                .open_text(CASE, rrm_app::vault::Purpose::DocumentName, sealed)
                .unwrap(),
            clear => panic!("a restricted document's name is sealed, not {clear:?}"),
        };
        if want.is_empty() {
            assert_eq!(stored.chars().count(), 200, "over-long names are cut");
        } else {
            assert_eq!(stored, want);
        }
        assert!(
            !stored.contains(['/', '\\', '\0', '\r', '\n']),
            "{stored:?}"
        );
    }
    still_there(
        &app,
        &Kept {
            documents: stored_count,
            ..kept
        },
    );
}

#[tokio::test]
async fn oversized_bodies_too_many_parts_and_compressed_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let kept = store_something(&app, &mut b).await;
    let before = app.rrm.store.stats().unwrap().cases;

    let mut public = Browser::new(&app);
    let csrf = public.get("/petitions/new").await.csrf();
    let mut form = petition_fields(&csrf, "n", "o", "c@example.org");
    for i in 0..3 {
        let chunk = vec![b'%'; 9 * 1024 * 1024];
        form = form.part(
            "evidence",
            file(&format!("{i}.pdf"), &chunk, "application/pdf"),
        );
    }
    let r = public.post_multipart("/petitions/new", form).await;
    assert_eq!(r.status, 413, "27 MiB in all");
    let big = upload_document(
        &mut b,
        "big.pdf",
        &vec![b'%'; 11 * 1024 * 1024],
        "application/pdf",
    )
    .await;
    assert_eq!(big.status, 413);

    let mut parts: Vec<RawPart<'_>> = vec![("csrf", None, csrf.as_bytes())];
    parts.extend(std::iter::repeat_n(("office", None, &b"us_ilc"[..]), 150));
    let (ct, body) = raw_multipart(&parts);
    let r = app
        .client
        .post(app.url("/petitions/new"))
        .header("cookie", format!("rrm_csrf={csrf}"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("more than 100 parts"));

    let json = br#"{"office":"us_ilc","facility":"Gzip plant","allegations":["other"],"narrative":"n","anonymous":true,"consent":true}"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(json).unwrap();
    for (path, ct) in [
        ("/api/v1/petitions", "application/json"),
        ("/petitions/new", "multipart/form-data; boundary=x"),
    ] {
        let r = app
            .client
            .post(app.url(path))
            .header("content-encoding", "gzip")
            .header("content-type", ct)
            .body(gz.get_ref().clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415, "{path}");
        assert!(
            r.text().await.unwrap().contains("Content-Encoding"),
            "{path}"
        );
    }
    assert_eq!(
        app.rrm.store.stats().unwrap().cases,
        before,
        "no case was opened"
    );
    still_there(&app, &kept);
}

/// A DOCX-shaped zip whose `word/document.xml` inflates to `inflated` bytes of zeros.
fn zip_bomb(inflated: usize) -> Vec<u8> {
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..inflated / zeros.len() {
        deflate.write_all(&zeros).unwrap();
    }
    let packed = deflate.finish().unwrap();
    let mut crc = flate2::Crc::new();
    for _ in 0..inflated / zeros.len() {
        crc.update(&zeros);
    }
    let mut zip = Vec::new();
    let entry = |zip: &mut Vec<u8>, name: &str, method: u16, crc: u32, data: &[u8], size: u32| {
        zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00");
        zip.extend_from_slice(&method.to_le_bytes());
        zip.extend_from_slice(&[0; 4]);
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0; 2]);
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(data);
    };
    let types = b"<Types/>";
    let mut tcrc = flate2::Crc::new();
    tcrc.update(types);
    entry(
        &mut zip,
        "[Content_Types].xml",
        0,
        tcrc.sum(),
        types,
        types.len() as u32,
    );
    entry(
        &mut zip,
        "word/document.xml",
        8,
        crc.sum(),
        &packed,
        inflated as u32,
    );
    zip
}

#[tokio::test]
async fn a_zip_bomb_docx_is_kept_as_sent_and_never_inflated() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let kept = store_something(&app, &mut b).await;
    let bomb = zip_bomb(256 * 1024 * 1024);
    assert!(
        bomb.len() < 400 * 1024,
        "{} bytes inflate to 256 MiB",
        bomb.len()
    );
    let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let r = upload_document(&mut b, "informe.docx", &bomb, docx).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let docs = app.rrm.workspace.documents(CASE).unwrap();
    let doc = docs.last().unwrap();
    assert_eq!(
        (doc.content_type.as_str(), doc.sha256),
        (docx, sha256(&bomb))
    );
    let stored = opened(&app, CASE, Purpose::DocumentBytes, &doc.stored_sha256);
    assert_eq!(stored, bomb, "kept compressed, as sent");
    let mut public = Browser::new(&app);
    let csrf = public.get("/petitions/new").await.csrf();
    let form = petition_fields(&csrf, "n", "o", "c@example.org")
        .part("evidence", file("pruebas.docx", &bomb, docx));
    let page = public.post_multipart("/petitions/new", form).await;
    assert_eq!(page.status, 200, "{}", page.body);
    still_there(
        &app,
        &Kept {
            documents: 2,
            ..kept
        },
    );
}
