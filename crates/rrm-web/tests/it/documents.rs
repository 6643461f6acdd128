//! Classified documents through the workspace: a confidential original stays in the
//! workspace while its redacted copy is published on the public case page; only a public
//! document can be published; every download is audited, and public copies need no key.

use reqwest::multipart;
use rrm_store::{AuditFilter, Role};

use crate::browser::{file, staff, Browser};
use crate::support::TestApp;

const CASE: &str = "gm-silao-2021";

fn document_form(csrf: &str, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> multipart::Form {
    let mut form = multipart::Form::new()
        .text("csrf", csrf.to_string())
        .part("document", file(name, bytes, "application/pdf"));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form
}

async fn upload(b: &mut Browser<'_>, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> u16 {
    let csrf = b.get(&format!("/staff/cases/{CASE}")).await.csrf();
    let form = document_form(&csrf, name, bytes, fields);
    b.post_multipart(&format!("/staff/cases/{CASE}/documents"), form)
        .await
        .status
}

#[tokio::test]
async fn a_redacted_copy_is_published_while_the_original_stays_confidential() {
    let app = TestApp::spawn().await;
    let mut sup = staff(&app, "sup@example.org", Role::Supervisor).await;
    let original = b"%PDF-1.4 acta with the names of three workers";
    let redacted = b"%PDF-1.4 acta with XXXXX XXXXX";
    let confidential = [("classification", "confidential")];
    assert_eq!(
        upload(&mut sup, "acta original.pdf", original, &confidential).await,
        303
    );
    let docs = app.rrm.workspace.documents(CASE).unwrap();
    let original_no = docs[0].id.0.to_string();
    let copy = [
        ("classification", "public"),
        ("redacted_from", original_no.as_str()),
    ];
    assert_eq!(
        upload(&mut sup, "acta testada.pdf", redacted, &copy).await,
        303
    );
    // A redacted copy must be public: anything else is refused and stores nothing.
    let wrong = [
        ("classification", "restricted"),
        ("redacted_from", original_no.as_str()),
    ];
    assert_eq!(upload(&mut sup, "otra.pdf", redacted, &wrong).await, 422);
    let docs = app.rrm.workspace.documents(CASE).unwrap();
    assert_eq!(docs.len(), 2);
    let (orig, public) = (&docs[0], &docs[1]);
    assert_eq!(public.redacted_from, Some(orig.id));

    let page = sup.get(&format!("/staff/cases/{CASE}")).await;
    let csrf = page.csrf();
    let publish = |n: i64| format!("/staff/cases/{CASE}/documents/{n}/publication");
    let refused = sup
        .post_form(
            &publish(orig.id.0),
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(refused.status, 409, "only a public document is published");
    assert!(
        refused.body.contains("not classified public"),
        "{}",
        refused.body
    );
    let done = sup
        .post_form(
            &publish(public.id.0),
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);

    let case_page = app.text(&format!("/cases/{CASE}")).await;
    assert!(case_page.contains("acta testada.pdf"), "the copy is listed");
    assert!(!case_page.contains("acta original"), "the original is not");
    let link = format!("/cases/{CASE}/documents/{}", public.id.0);
    let got = app.get(&link).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), redacted);
    let hidden = app
        .get(&format!("/cases/{CASE}/documents/{}", orig.id.0))
        .await;
    assert_eq!(
        hidden.status(),
        404,
        "an unpublished document is no document"
    );

    // Staff downloads of the original are audited; public downloads need no audit.
    let sha: String = orig.sha256.iter().map(|b| format!("{b:02x}")).collect();
    let download = sup.get(&format!("/staff/cases/{CASE}/files/{sha}")).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body.as_bytes(), original);
    let audited = app
        .rrm
        .audit_log
        .audit_entries(&AuditFilter {
            case_id: Some(CASE.into()),
            action: Some("file_downloaded".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].entry.subject, format!("file:{sha}"));
    assert!(
        !audited[0].entry.detail.contains("acta"),
        "no names in the log"
    );

    // Withdrawn, it leaves the public page.
    let withdrawn = sup
        .post_form(
            &publish(public.id.0),
            &[("csrf", &csrf), ("published", "false")],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert!(!app
        .text(&format!("/cases/{CASE}"))
        .await
        .contains("acta testada"));
    assert_eq!(app.get(&link).await.status(), 404);
}
