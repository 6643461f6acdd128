//! Search on the web: the public page and API find the public record typed the way people
//! type, with facets and highlights; the staff page sees unpublished cases within the user's
//! scope; writes are searchable at once and an unpublished case is gone at once.

use rrm_store::Role;

use crate::browser::{staff, Browser};
use crate::support::TestApp;

#[tokio::test]
async fn the_public_page_finds_cases_without_accents_with_facets_and_marks() {
    let app = TestApp::spawn().await;
    let page = app.text("/search?q=potosi").await;
    assert!(page.contains("href=\"/cases/goodyear-slp-2023\""), "{page}");
    assert!(page.contains("<mark>"), "highlighted");
    assert!(page.contains("San Luis Potosí"), "the state facet");
    let es = app.text("/search?q=potosi&lang=es").await;
    assert!(es.contains("Resultados"), "Spanish page");
    let form = app.text("/search").await;
    assert!(form.contains("name=\"q\""));
    assert!(!form.contains("class=\"hits\""), "no search, no results");
    // The header box is on every page.
    assert!(app.text("/cases").await.contains("action=\"/search\""));
    let r = app.get(&format!("/search?q={}", "x".repeat(600))).await;
    assert_eq!(r.status(), 400);
    let r = app.get("/search?q=a&year=abc").await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn the_api_answers_with_hits_facets_and_paging() {
    let app = TestApp::spawn().await;
    let all = app.json("/api/v1/search?q=potosi").await;
    assert_eq!(all["index"], "ready");
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 2, "{all}");
    let ids: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"goodyear-slp-2023"), "{ids:?}");
    assert_eq!(all["hits"][0]["url"], format!("/cases/{}", ids[0]));
    let year = &all["facets"]["year"][0];
    let filtered = app
        .json(&format!(
            "/api/v1/search?q=potosi&year={}",
            year["value"].as_str().unwrap()
        ))
        .await;
    assert_eq!(filtered["total"], year["count"]);
    let phrase = app.json("/api/v1/search?q=%22san+luis+potosi%22").await;
    assert!(phrase["total"].as_u64().unwrap() >= 1);
    let empty = app.json("/api/v1/search?q=").await;
    assert_eq!(empty["total"], 0);
    let r = app.get("/api/v1/search?q=a&page=x").await;
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("page"));
}

#[tokio::test]
async fn staff_search_needs_a_session_and_sees_unpublished_cases() {
    let app = TestApp::spawn().await;
    let r = app.get("/staff/search?q=goodyear").await;
    assert!(
        r.status().is_redirection() || r.status() == 401,
        "{}",
        r.status()
    );
    let mut supervisor = staff(&app, "sup@example.org", Role::Supervisor).await;
    let csrf = supervisor.staff_csrf().await;
    let r = supervisor
        .post_form(
            "/staff/cases/goodyear-slp-2023/publication",
            &[("csrf", &csrf), ("published", "false")],
        )
        .await;
    assert_eq!(r.status, 303);
    // Gone from the public side at once; still there for staff, linking to the workspace.
    assert!(!app
        .text("/search?q=goodyear")
        .await
        .contains("goodyear-slp-2023"));
    let api = app.json("/api/v1/search?q=goodyear").await;
    assert_eq!(api["total"], 0, "{api}");
    let page = supervisor.get("/staff/search?q=goodyear").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("href=\"/staff/cases/goodyear-slp-2023\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("action=\"/staff/search\""));
    let r = supervisor
        .post_form(
            "/staff/cases/goodyear-slp-2023/publication",
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(app
        .text("/search?q=goodyear")
        .await
        .contains("goodyear-slp-2023"));
}

#[tokio::test]
async fn a_recorded_event_is_findable_at_once() {
    let case = serde_json::json!({
        "format": "rrm-case/1", "id": "planta-abierta-2026", "procedure": "usmca-31a",
        "facility": {"name": "Planta Abierta", "state": "Puebla", "country": "MX"},
        "events": [{"kind": "request_for_review", "date": "2026-11-02"}]
    });
    let app = TestApp::builder()
        .with_case("open.json", &case.to_string())
        .spawn()
        .await;
    let event = rrm_casefile::event_from_json(serde_json::json!({
        "kind": "review_accepted", "date": "2026-11-20",
        "note": "México aceptó la revisión en Wombatville"
    }))
    .unwrap();
    assert_eq!(app.json("/api/v1/search?q=wombatville").await["total"], 0);
    app.rrm
        .record("planta-abierta-2026", event, "2026-11-23".parse().unwrap())
        .unwrap();
    let found = app.json("/api/v1/search?q=wombatville").await;
    assert_eq!(found["hits"][0]["id"], "planta-abierta-2026", "{found}");
    let mut visitor = Browser::new(&app);
    assert!(visitor
        .get("/search?q=mexico+acepto")
        .await
        .body
        .contains("<mark>México</mark>"));
}

/// Staff search covers only the cases the searcher's teams reach: an analyst on another team
/// finds nothing of an intake case, published or not, while the intake analyst does, and
/// the counts say the same.
#[tokio::test]
async fn staff_search_is_limited_to_the_cases_a_user_reaches() {
    let app = TestApp::spawn().await;
    let now = app.now();
    app.rrm
        .add_team(rrm_app::Actor::Operator, "autos", false, now)
        .unwrap();
    let outsider = crate::browser::add_account(&app, "out@example.org", Role::Analyst);
    app.rrm
        .set_team_member(rrm_app::Actor::Operator, "autos", &outsider, true, now)
        .unwrap();
    let mut intake = staff(&app, "ana@example.org", Role::Analyst).await;
    let mut other = crate::browser::Browser::new(&app);
    other.sign_in("out@example.org").await;
    let mine = intake.get("/staff/search?q=goodyear").await;
    assert!(
        mine.body
            .contains("href=\"/staff/cases/goodyear-slp-2023\""),
        "{}",
        mine.body
    );
    let theirs = other.get("/staff/search?q=goodyear").await;
    assert_eq!(theirs.status, 200);
    assert!(
        !theirs.body.contains("goodyear-slp-2023"),
        "{}",
        theirs.body
    );
    // Assigned to autos, the case moves from one analyst's search to the other's.
    app.rrm
        .assign_case(
            rrm_app::Actor::Operator,
            "goodyear-slp-2023",
            "autos",
            true,
            now,
        )
        .unwrap();
    let theirs = other.get("/staff/search?q=goodyear").await;
    assert!(
        theirs
            .body
            .contains("href=\"/staff/cases/goodyear-slp-2023\""),
        "{}",
        theirs.body
    );
    let mine = intake.get("/staff/search?q=goodyear").await;
    assert!(!mine.body.contains("goodyear-slp-2023"), "{}", mine.body);
}
