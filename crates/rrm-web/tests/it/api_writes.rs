//! API v1 writes: bearer-token authentication, recording an event (201, 409 naming the rule,
//! 422 naming the field) and creating a case.

use rrm_store::{Role, TokenScope};
use serde_json::{json, Value};

use crate::browser::add_user;
use crate::support::{noon, TestApp, TODAY};

const WAITING: &str = r#"{
  "format": "rrm-case/1", "id": "planta-api-2026", "procedure": "usmca-31a",
  "facility": { "name": "Planta API", "state": "Jalisco" },
  "events": [ { "kind": "request_for_review", "date": "2026-11-16" } ]
}"#;

fn token(app: &TestApp, scope: TokenScope) -> String {
    add_user(app, "api@example.org", Role::Analyst);
    let now = noon(TODAY.parse().unwrap());
    app.rrm
        .add_token("api@example.org", "tests", scope, now)
        .unwrap()
        .1
        .into_inner()
}

async fn post(app: &TestApp, path: &str, bearer: Option<&str>, body: &Value) -> (u16, Value) {
    let mut r = app.client.post(app.url(path)).json(body);
    if let Some(t) = bearer {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn writes_need_a_live_api_token() {
    let app = TestApp::builder()
        .with_case("api.json", WAITING)
        .spawn()
        .await;
    let calendar = token(&app, TokenScope::Calendar);
    let event = json!({ "kind": "review_accepted", "date": "2026-11-20" });
    let path = "/api/v1/cases/planta-api-2026/events";
    for bearer in [None, Some("rrm_api_forged"), Some(calendar.as_str())] {
        let r = app.client.post(app.url(path)).json(&event);
        let r = match bearer {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 401, "{bearer:?}");
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{body}");
    }
    let user = app.rrm.user_by_email("api@example.org").unwrap();
    let (record, api) = app
        .rrm
        .add_token(
            "api@example.org",
            "revoked",
            TokenScope::Api,
            noon(TODAY.parse().unwrap()),
        )
        .unwrap();
    app.rrm
        .workspace
        .revoke_token(record.id, noon(TODAY.parse().unwrap()))
        .unwrap();
    assert_eq!(
        post(&app, path, Some(api.expose()), &event).await.0,
        401,
        "a revoked token"
    );
    assert_eq!(user.role, Role::Analyst);
    assert_eq!(
        app.rrm
            .store
            .case("planta-api-2026")
            .unwrap()
            .unwrap()
            .head_seq,
        1
    );
}

#[tokio::test]
async fn recording_an_event_answers_201_409_or_422() {
    let app = TestApp::builder()
        .with_case("api.json", WAITING)
        .spawn()
        .await;
    let t = token(&app, TokenScope::Api);
    let path = "/api/v1/cases/planta-api-2026/events";
    let (status, body) = post(
        &app,
        path,
        Some(&t),
        &json!({ "kind": "review_accepted", "date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (body["seq"].as_u64(), body["stage"].as_str()),
        (Some(2), Some("under_review"))
    );
    assert_eq!(body["hash"].as_str().unwrap().len(), 64);
    let (status, body) = post(
        &app,
        path,
        Some(&t),
        &json!({ "kind": "review_accepted", "date": "2026-11-21" }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "refused");
    assert_eq!(body["error"]["rule"], "usmca-31a/under_review");
    let (status, body) = post(
        &app,
        path,
        Some(&t),
        &json!({ "kind": "review_report", "date": "2026-11-21" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["message"],
        "event: denial_found: is required (true or false)"
    );
    let (status, _) = post(
        &app,
        "/api/v1/cases/no-such-case/events",
        Some(&t),
        &json!({ "kind": "review_accepted", "date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 404);
    let clocks = app.json("/api/v1/cases/planta-api-2026").await;
    assert_eq!(
        clocks["stage"]["id"], "under_review",
        "the public record follows"
    );
}

#[tokio::test]
async fn a_case_file_creates_a_published_case() {
    let app = TestApp::spawn().await;
    let t = token(&app, TokenScope::Api);
    let case: Value = serde_json::from_str(WAITING).unwrap();
    let (status, body) = post(&app, "/api/v1/cases", Some(&t), &case).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        json!({ "id": "planta-api-2026", "events": 1, "stage": "awaiting_answer" })
    );
    assert_eq!(app.get("/cases/planta-api-2026").await.status(), 200);
    let (status, body) = post(&app, "/api/v1/cases", Some(&t), &case).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (status, body) = post(
        &app,
        "/api/v1/cases",
        Some(&t),
        &json!({ "format": "rrm-case/1", "procedure": "usmca-31a", "facility": {} }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("facility"),
        "{body}"
    );
    assert_eq!(post(&app, "/api/v1/cases", None, &case).await.0, 401);
}
