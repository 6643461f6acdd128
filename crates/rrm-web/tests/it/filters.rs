//! The case index: facets filter, counts add up, sorting and paging work without JavaScript.

use crate::support::TestApp;

/// The facility links of a rendered index page.
fn rows(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"/cases/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_stage_facet_filters_the_index() {
    let app = TestApp::spawn().await;
    let api = app.json("/api/v1/cases?stage=resolved&per_page=100").await;
    let want: Vec<String> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let html = app.text("/cases?stage=resolved&sort=activity").await;
    let got = rows(&html);
    assert_eq!(got, want[..got.len()]);
    assert!(got.len() == want.len().min(20));
    // An open case is not on the page; the selected option is marked.
    assert!(!got.contains(&"mondelez-puebla-2025".to_string()));
    assert!(html.contains("<option value=\"resolved\" selected>"));
    let n = want.len();
    assert!(html.contains(&format!("of {n} cases")), "count shown");
}

#[tokio::test]
async fn status_and_panel_facets_combine() {
    let app = TestApp::spawn().await;
    let open = app.json("/api/v1/cases?status=open&panel=yes").await;
    for c in open["items"].as_array().unwrap() {
        assert_eq!(c["closed"], false);
        assert_eq!(c["has_panel"], true);
    }
    assert!(open["total"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn sorting_and_paging_cover_every_case_once() {
    let app = TestApp::spawn().await;
    let first = rows(&app.text("/cases?sort=facility&page=1").await);
    let second = rows(&app.text("/cases?sort=facility&page=2").await);
    assert_eq!(first.len(), 20);
    assert_eq!(first.len() + second.len(), 39);
    assert!(first.iter().all(|id| !second.contains(id)));
    let page = app.text("/cases?sort=facility&page=1").await;
    assert!(page.contains("href=\"/cases?sort=facility&amp;page=2\" rel=\"next\""));
}

#[tokio::test]
async fn empty_form_fields_do_not_filter_and_bad_values_are_refused() {
    let app = TestApp::spawn().await;
    let html = app
        .text("/cases?status=&stage=&year=&sector=&state=&procedure=&outcome=&panel=&sort=activity")
        .await;
    assert!(html.contains("of 39 cases"));
    for bad in [
        "/cases?page=0",
        "/cases?year=soon",
        "/cases?panel=maybe",
        "/cases?sort=random",
    ] {
        assert_eq!(app.get(bad).await.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn the_index_follows_events_recorded_after_start() {
    use rrm_core::event::{Event, EventBody};
    let app = TestApp::spawn().await;
    let gm = |list: &serde_json::Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "gm-silao-2021")
            .cloned()
            .unwrap()
    };
    let before = gm(&app.json("/api/v1/cases?per_page=100").await);
    let event = Event::on(
        "2026-11-20".parse().unwrap(),
        EventBody::ActionCompleted {
            action: "labor-inspectors".into(),
            evidence: vec![],
        },
    );
    let today = crate::support::TODAY.parse().unwrap();
    app.rrm.record("gm-silao-2021", event, today).unwrap();
    let after = gm(&app.json("/api/v1/cases?per_page=100").await);
    let count = |c: &serde_json::Value| c["event_count"].as_u64().unwrap();
    assert_eq!(count(&after), count(&before) + 1);
    assert_eq!(after["last_date"], "2026-11-20");
    let first = rows(&app.text("/cases?sort=activity").await);
    assert_eq!(first[0], "gm-silao-2021", "latest activity first");
}
