//! API v1: the OpenAPI document matches the router both ways, and responses keep their shape.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::support::{TestApp, TODAY};

/// Every `/api` path the application's router knows. axum has no route listing, so this
/// reads the router's `Debug` output, which prints each path as a quoted string; the test
/// below fails loudly (finds no path) if a future axum prints it differently.
fn router_api_paths() -> BTreeSet<String> {
    let store = rrm_store_sqlite::SqliteStore::open_in_memory().unwrap();
    let procedures = rrm_core::procedure::shipped().unwrap();
    let rrm = rrm_app::Rrm::new(Arc::new(store), Arc::new(procedures));
    let today = TODAY.parse().unwrap();
    let router = rrm_web::router(rrm_web::AppState {
        rrm,
        today: Arc::new(move || today),
        now: Arc::new(move || crate::support::noon(today)),
        secure_cookies: false,
        trusted_proxies: Default::default(),
        search: None,
    });
    format!("{router:?}")
        .split('"')
        .filter(|s| s.starts_with("/api"))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn every_api_route_is_documented_and_every_documented_route_answers() {
    let app = TestApp::spawn().await;
    let doc = app.json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<String> = paths.keys().cloned().collect();
    let routed = router_api_paths();
    assert!(
        !routed.is_empty(),
        "no /api route found in the router's Debug output"
    );
    assert_eq!(
        routed, documented,
        "router (left) and OpenAPI document (right) differ"
    );
    let mut operation_ids = BTreeSet::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(
                operation_ids.insert(id.to_string()),
                "operationId {id} is not unique"
            );
            assert!(
                ["get", "post"].contains(&method.as_str()),
                "{path}: {method}"
            );
        }
        // Writes are exercised by their own tests (api_writes, petitions); reads answer here.
        if item.get("get").is_some() {
            let concrete = path.replace("{id}", "gm-silao-2021");
            let r = app.get(&concrete).await;
            assert_eq!(r.status(), 200, "documented {path} answers");
        }
    }
    let writes: Vec<&str> = [
        "/api/v1/cases",
        "/api/v1/cases/{id}/events",
        "/api/v1/petitions",
    ]
    .to_vec();
    for path in writes {
        assert!(
            paths[path].get("post").is_some(),
            "{path} documents its POST"
        );
    }
}

#[tokio::test]
async fn one_case_keeps_its_shape() {
    let app = TestApp::spawn().await;
    let mut case = app.json("/api/v1/cases/gm-silao-2021").await;
    // The hash changes with any edit to the shipped case file; its shape is what matters here.
    assert_eq!(case["head_hash"].as_str().unwrap().len(), 64);
    case["head_hash"] = "[sha-256]".into();
    insta::assert_json_snapshot!("case_gm_silao", case);
}

#[tokio::test]
async fn the_openapi_document_keeps_its_shape() {
    let app = TestApp::spawn().await;
    insta::assert_json_snapshot!("openapi", app.json("/api/openapi.json").await);
}

#[tokio::test]
async fn the_case_list_filters_pages_and_counts_facets() {
    let app = TestApp::spawn().await;
    let all = app.json("/api/v1/cases?per_page=100").await;
    let total = all["total"].as_u64().unwrap();
    assert_eq!(total, 39);
    assert_eq!(all["items"].as_array().unwrap().len(), 39);
    let resolved = app.json("/api/v1/cases?stage=resolved&per_page=5").await;
    let n = resolved["total"].as_u64().unwrap();
    assert!(n > 5 && n < total, "{n}");
    assert_eq!(resolved["items"].as_array().unwrap().len(), 5);
    for item in resolved["items"].as_array().unwrap() {
        assert_eq!(item["stage"]["id"], "resolved");
        assert!(item["stage"]["name"]["es"].is_string());
    }
    // A facet's counts ignore its own filter, so every stage stays selectable.
    let stages = resolved["facets"]["stage"].as_array().unwrap();
    let sum: u64 = stages.iter().map(|v| v["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, total);
    let last = app
        .json(&format!(
            "/api/v1/cases?stage=resolved&per_page=5&page={}",
            n.div_ceil(5)
        ))
        .await;
    assert_eq!(
        last["items"].as_array().unwrap().len() as u64,
        n - 5 * (n.div_ceil(5) - 1)
    );
}

#[tokio::test]
async fn deadlines_take_a_date_and_a_window() {
    let app = TestApp::spawn().await;
    let all = app.json("/api/v1/deadlines").await;
    assert_eq!(all["as_of"], TODAY);
    let overdue = app.json("/api/v1/deadlines?overdue=true").await;
    for d in overdue["items"].as_array().unwrap() {
        assert_eq!(d["overdue"], true);
        assert!(d["days_left"].as_i64().unwrap() < 0);
        assert!(d["citation"].is_string() && d["rule_status"].is_string());
    }
    let early = app
        .json("/api/v1/deadlines?as_of=2021-05-13&within=30")
        .await;
    assert_eq!(early["as_of"], "2021-05-13");
    for d in early["items"].as_array().unwrap() {
        let left = d["days_left"].as_i64().unwrap();
        assert!((0..=30).contains(&left), "{d}");
    }
    let bad = app.get("/api/v1/deadlines?overdue=true&within=3").await;
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
}

#[tokio::test]
async fn statistics_add_up() {
    let app = TestApp::spawn().await;
    let s = app.json("/api/v1/statistics").await;
    let years = s["requests_per_year"].as_array().unwrap();
    let dated = years.last().unwrap()["cumulative"].as_u64().unwrap();
    let undated = s["undated_requests"].as_u64().unwrap();
    assert_eq!(
        dated + undated,
        s["key_figures"]["requests"].as_u64().unwrap()
    );
    let outcomes: u64 = s["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(outcomes, 39);
}
