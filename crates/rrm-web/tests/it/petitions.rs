//! Petition intake: the public form and the API, receipts and the status check, upload checks
//! by content and size, CSRF, and an unpublished petition staying off every public surface.

use reqwest::multipart;
use rrm_store::{sha256, EvidenceOwner, Role};
use serde_json::json;

use crate::browser::{file, petition_fields, receipt_of, Browser, EXE, PDF, PNG};
use crate::support::{noon, TestApp, TODAY};

/// How many cases exist and which are unpublished: "nothing stored" leaves both as they were.
fn footprint(app: &TestApp) -> (u64, Vec<String>) {
    (
        app.rrm.store.stats().unwrap().cases,
        app.rrm.workspace.unpublished().unwrap(),
    )
}

async fn file_by_form(b: &mut Browser<'_>, extra: Vec<multipart::Part>) -> crate::browser::Page {
    let csrf = b.get("/petitions/new").await.csrf();
    let mut form = petition_fields(
        &csrf,
        "Despidieron a 12 compañeros por afiliarse.",
        "Sindicato Independiente",
        "sindicato@example.org",
    );
    for part in extra {
        form = form.part("evidence", part);
    }
    b.post_multipart("/petitions/new", form).await
}

#[tokio::test]
async fn a_petition_filed_through_the_form_gets_a_receipt_and_a_status_check() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);
    let page = file_by_form(&mut b, vec![file("acta.pdf", PDF, "application/pdf")]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.headers["cache-control"], "no-store");
    let (receipt, secret) = receipt_of(&page);
    assert!(
        receipt.starts_with("RRM-") && receipt.len() == 13,
        "{receipt}"
    );
    assert_eq!(secret.len(), 39, "{secret}");
    let case = app.rrm.workspace.unpublished().unwrap();
    assert_eq!(case, ["planta-de-prueba-norte-2026"]);
    let evidence = app
        .rrm
        .workspace
        .evidence(&EvidenceOwner::Submission(receipt.clone()))
        .unwrap();
    assert_eq!(
        (evidence.len(), evidence[0].sniffed_type.as_str()),
        (1, "application/pdf")
    );
    let events = app.rrm.store.events(&case[0]).unwrap();
    assert_eq!(
        events[0].payload,
        r#"{"kind":"petition_filed","date":"2026-11-23","allegations":["dismissal_for_union_activity","protection_contract"]}"#
    );

    let csrf = b.get("/petitions/status").await.csrf();
    let ok = b
        .post_form(
            "/petitions/status",
            &[
                ("csrf", &csrf),
                ("receipt", &receipt.to_lowercase()),
                ("secret", &secret),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        ok.body.contains("Petition under ILC review") && ok.body.contains("November 23, 2026"),
        "{}",
        ok.body
    );
    assert!(ok.body.contains("Not published") && !ok.body.contains("Sindicato Independiente"));
    let es = b.get("/petitions/status?lang=es").await.csrf();
    let ok_es = b
        .post_form(
            "/petitions/status",
            &[("csrf", &es), ("receipt", &receipt), ("secret", &secret)],
        )
        .await;
    assert!(
        ok_es.body.contains("Petición en revisión del ILC"),
        "{}",
        ok_es.body
    );

    let wrong = b
        .post_form(
            "/petitions/status",
            &[
                ("csrf", &es),
                ("receipt", &receipt),
                ("secret", "AAAA-BBBB"),
            ],
        )
        .await;
    let unknown = b
        .post_form(
            "/petitions/status",
            &[
                ("csrf", &es),
                ("receipt", "RRM-0000-0000"),
                ("secret", &secret),
            ],
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (404, 404));
    assert_eq!(
        wrong.body, unknown.body,
        "a wrong secret and an unknown receipt look the same"
    );
}

#[tokio::test]
async fn the_api_files_a_petition_as_json_and_as_multipart() {
    let app = TestApp::spawn().await;
    let petition = json!({
        "office": "canada_nao", "facility": "Mina del Sur", "state": "Zacatecas",
        "allegations": ["employer_interference"], "narrative": "Amenazas a quienes votaron.",
        "anonymous": true, "consent": true, "language": "es"
    });
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&petition)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["receipt"].as_str().unwrap().starts_with("RRM-"));
    assert_eq!(body["filed"], "2026-11-23");
    let case = app
        .rrm
        .store
        .case("mina-del-sur-2026")
        .unwrap()
        .expect("the case exists");
    assert_eq!(
        case.header.procedure, "usmca-31b",
        "filed with Canada's NAO"
    );

    let form = multipart::Form::new()
        .text("petition", petition.to_string())
        .part("evidence", file("foto.png", PNG, "image/png"));
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let receipt: serde_json::Value = r.json().await.unwrap();
    let owner = EvidenceOwner::Submission(receipt["receipt"].as_str().unwrap().into());
    assert_eq!(app.rrm.workspace.evidence(&owner).unwrap().len(), 1);

    let bad = json!({ "office": "us_ilc", "facility": "X plant", "narrative": "n", "consent": true, "organisation": "typo" });
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let error: serde_json::Value = r.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("organisation"),
        "{error}"
    );
    let missing = json!({ "office": "us_ilc", "facility": "X plant", "narrative": "n", "anonymous": true, "consent": true });
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&missing)
        .send()
        .await
        .unwrap();
    let error: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        error["error"]["message"],
        "allegations: choose at least one"
    );
}

#[tokio::test]
async fn files_are_judged_by_content_and_size_and_a_refusal_stores_nothing() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);
    let png_named_pdf = file_by_form(&mut b, vec![file("scan.pdf", PNG, "application/pdf")]).await;
    assert_eq!(
        png_named_pdf.status, 200,
        "a PNG is allowed, whatever its name"
    );
    let (receipt, _) = receipt_of(&png_named_pdf);
    let kept = app
        .rrm
        .workspace
        .evidence(&EvidenceOwner::Submission(receipt))
        .unwrap();
    assert_eq!(
        (
            kept[0].sniffed_type.as_str(),
            kept[0].declared_type.as_str()
        ),
        ("image/png", "application/pdf")
    );

    let before = footprint(&app);
    let exe = file_by_form(&mut b, vec![file("informe.pdf", EXE, "application/pdf")]).await;
    assert_eq!(exe.status, 422);
    assert!(
        exe.body
            .contains("`informe.pdf` is not a PDF, PNG, JPEG, DOCX, XLSX or ODT file"),
        "{}",
        exe.body
    );
    assert!(
        exe.body.contains("Despidieron a 12 compañeros"),
        "what was typed is kept"
    );
    assert_eq!(app.rrm.workspace.blob(&sha256(EXE)).unwrap(), None);

    let big = vec![b'%'; 10 * 1024 * 1024 + 1];
    let over = file_by_form(
        &mut b,
        vec![
            file("grande.pdf", PDF, "application/pdf"),
            file("video.pdf", &big, "application/pdf"),
        ],
    )
    .await;
    assert_eq!(over.status, 413);
    assert!(
        over.body
            .contains("`video.pdf` is larger than the limit of 10 MiB per file"),
        "{}",
        over.body
    );
    assert_eq!(
        app.rrm.workspace.blob(&sha256(PDF)).unwrap(),
        None,
        "not even the small file"
    );

    let six = (0..6)
        .map(|i| file(&format!("{i}.pdf"), PDF, "application/pdf"))
        .collect();
    let many = file_by_form(&mut b, six).await;
    assert_eq!(many.status, 413);
    assert!(many.body.contains("limit is 5 files"), "{}", many.body);
    assert_eq!(
        footprint(&app),
        before,
        "no refused petition left anything behind"
    );
}

#[tokio::test]
async fn the_public_forms_need_their_csrf_token() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);
    let real = b.get("/petitions/new").await.csrf();
    let before = footprint(&app);
    for token in ["", "forged-token-value"] {
        let r = b
            .post_multipart("/petitions/new", petition_fields(token, "n", "o", "c"))
            .await;
        assert_eq!(r.status, 403, "token {token:?}");
        assert!(
            r.body
                .contains("security token is missing or does not match"),
            "{}",
            r.body
        );
    }
    let mut stranger = Browser::new(&app);
    let r = stranger
        .post_multipart("/petitions/new", petition_fields(&real, "n", "o", "c"))
        .await;
    assert_eq!(
        r.status, 403,
        "a token without its cookie (another browser's) is refused"
    );
    let r = b
        .post_form(
            "/petitions/status",
            &[("receipt", "RRM-0000-0000"), ("secret", "x")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(footprint(&app), before);
}

#[tokio::test]
async fn an_unpublished_petition_is_nowhere_public_until_published() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);
    assert_eq!(file_by_form(&mut b, Vec::new()).await.status, 200);
    let id = "planta-de-prueba-norte-2026";
    let unknown_page = app
        .get("/cases/no-such-case-2026")
        .await
        .text()
        .await
        .unwrap();
    let hidden_page = app.get(&format!("/cases/{id}")).await;
    assert_eq!(hidden_page.status(), 404);
    assert_eq!(
        hidden_page
            .text()
            .await
            .unwrap()
            .replace(id, "no-such-case-2026"),
        unknown_page
    );
    assert_eq!(app.get(&format!("/api/v1/cases/{id}")).await.status(), 404);
    for path in [
        "/cases?per_page=100&sort=newest",
        "/api/v1/cases?per_page=100",
        "/downloads/cases.json",
        "/downloads/cases.csv",
        "/deadlines",
        "/api/v1/deadlines",
        "/",
        "/statistics/states.csv",
    ] {
        assert!(
            !app.text(path).await.contains(id),
            "{path} shows the unpublished case"
        );
    }
    assert_eq!(app.json("/api/v1/cases").await["total"], 39);
    let supervisor = crate::browser::staff(&app, "sup@example.org", Role::Supervisor).await;
    drop(supervisor);
    let user = app.rrm.user_by_email("sup@example.org").unwrap();
    app.rrm
        .set_published(&user, id, true, noon(TODAY.parse().unwrap()))
        .unwrap();
    assert_eq!(app.get(&format!("/cases/{id}")).await.status(), 200);
    assert_eq!(app.json("/api/v1/cases").await["total"], 40);
    assert!(app.text("/downloads/cases.json").await.contains(id));
    assert!(
        app.text("/deadlines").await.contains(id),
        "its ILC clock is public now"
    );
}
