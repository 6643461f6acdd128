//! Health, metrics, assets, compression and shutdown.

use crate::support::TestApp;

#[tokio::test]
async fn healthz_says_ok() {
    let app = TestApp::spawn().await;
    assert_eq!(app.text("/healthz").await, "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = TestApp::spawn().await;
    app.get("/cases/gm-silao-2021").await;
    app.get("/cases/no-such-case").await;
    app.get("/cases/tridonex-2021?lang=es").await;
    let text = app.text("/metrics").await;
    let ok = r#"rrm_http_requests_total{method="GET",route="/cases/{id}",status="200"} 2"#;
    let missing = r#"rrm_http_requests_total{method="GET",route="/cases/{id}",status="404"} 1"#;
    assert!(text.contains(ok), "{text}");
    assert!(text.contains(missing), "{text}");
    let bucket = r#"{method="GET",route="/cases/{id}",status="200",le="+Inf"} 2"#;
    assert!(text.contains(&format!("rrm_http_request_duration_seconds_bucket{bucket}")));
    assert!(
        !text.contains("gm-silao") && !text.contains("lang=es"),
        "raw paths are not labels"
    );
}

#[tokio::test]
async fn assets_are_hashed_cached_for_a_year_and_revalidated_by_etag() {
    let app = TestApp::spawn().await;
    let home = app.text("/").await;
    let css = home
        .split("href=\"/assets/app.")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|rest| format!("/assets/app.{rest}"))
        .unwrap();
    assert!(css.ends_with(".css") && css.len() > "/assets/app.css".len());
    let r = app.get(&css).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .get_with("/assets/app.css", "if-none-match", &etag)
        .await;
    assert_eq!(again.status(), 304);
    let js = app.get("/assets/app.js").await.text().await.unwrap();
    assert!(
        js.len() < 4096,
        "the script stays small: {} bytes",
        js.len()
    );
}

#[tokio::test]
async fn responses_are_gzipped_for_clients_that_ask() {
    let app = TestApp::spawn().await;
    let r = app.get_with("/cases", "accept-encoding", "gzip").await;
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let plain = app.get("/cases").await;
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn the_server_stops_when_asked() {
    let app = TestApp::spawn().await;
    let addr = app.addr;
    app.stop().await.unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn today_is_an_input_and_deadlines_count_from_it() {
    // GM Silao's agreed remediation period ran to 2021-09-20.
    let app = TestApp::builder().today("2021-09-01").spawn().await;
    let home = app.text("/").await;
    let upcoming = home.split("id=\"upcoming\"").nth(1).unwrap();
    assert!(upcoming.contains("General Motors Silao"));
    assert!(upcoming.contains("19 days left"));
    let case = app.text("/cases/gm-silao-2021").await;
    assert!(case.contains("As of September 1, 2021"));
    let api = app.json("/api/v1/deadlines?within=30").await;
    assert_eq!(api["as_of"], "2021-09-01");
    assert!(api["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["case"] == "gm-silao-2021" && d["days_left"] == 19));
}
