//! Errors: an HTML page for people, the JSON envelope under `/api/`, never internal details.

use crate::support::TestApp;

#[tokio::test]
async fn an_unknown_case_is_a_404_page_and_a_404_envelope() {
    let app = TestApp::spawn().await;
    let page = app.get("/cases/no-such-case").await;
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("Page not found") && html.contains("<main"));
    let api = app.get("/api/v1/cases/no-such-case").await;
    assert_eq!(api.status(), 404);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "no case `no-such-case`");
    assert_eq!(body.as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_in_the_surface_asked() {
    let app = TestApp::spawn().await;
    let page = app.client.post(app.url("/cases")).send().await.unwrap();
    assert_eq!(page.status(), 405);
    assert!(page.headers().contains_key("allow"));
    assert!(page.text().await.unwrap().contains("Not allowed"));
    let api = app
        .client
        .delete(app.url("/api/v1/cases/gm-silao-2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 405);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn a_bad_query_names_the_parameter() {
    let app = TestApp::spawn().await;
    let api = app.get("/api/v1/cases?page=zero").await;
    assert_eq!(api.status(), 400);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"].as_str().unwrap().contains("page"));
    let page = app.get("/cases?year=soon").await;
    assert_eq!(page.status(), 400);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<code>`year`: not a valid number</code>"));
}
