//! A server started without its master key: public data is served as ever; the petition form
//! says it cannot take petitions; storing or reading anything confidential answers 503 with
//! `confidential_unavailable`, and the staff workspace says so instead of failing.

use rrm_store::Role;

use crate::browser::{file, petition_fields, staff, Browser, PDF};
use crate::support::TestApp;

#[tokio::test]
async fn without_the_master_key_public_data_is_served_and_confidential_data_is_refused() {
    let app = TestApp::builder().without_master_key().spawn().await;
    for path in [
        "/",
        "/cases",
        "/cases/gm-silao-2021",
        "/api/v1/cases",
        "/search?q=silao",
    ] {
        app.text(path).await;
    }
    let mut petitioner = Browser::new(&app);
    let form_page = petitioner.get("/petitions/new").await;
    assert!(
        form_page.body.contains("cannot be received here"),
        "{}",
        form_page.body
    );
    assert!(
        !form_page.body.contains("action=\"/petitions/new\""),
        "no form to fill in"
    );
    let csrf = petitioner.get("/staff/login").await.csrf();
    let form = petition_fields(&csrf, "testimonio", "Colectivo", "c@example.org")
        .part("evidence", file("acta.pdf", PDF, "application/pdf"));
    let refused = petitioner.post_multipart("/petitions/new", form).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    let json = serde_json::json!({
        "office": "us_ilc", "facility": "Planta", "allegations": ["other"],
        "narrative": "testimonio", "consent": true, "anonymous": true
    });
    let api = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&json)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 503);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "confidential_unavailable");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("master key"));
    assert_eq!(
        app.rrm.workspace.unpublished().unwrap(),
        Vec::<String>::new(),
        "nothing stored"
    );

    // Staff still work on the public record; the confidential side says why it is missing.
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    let page = ana.get("/staff/cases/gm-silao-2021").await;
    assert_eq!(page.status, 200, "{}", crate::support::recent_logs());
    assert!(
        page.body.contains("runs without its master key"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let note = ana
        .post_form(
            "/staff/cases/gm-silao-2021/notes",
            &[("csrf", &csrf), ("text", "llamar")],
        )
        .await;
    assert_eq!(note.status, 503, "a note is confidential: {}", note.body);
}
