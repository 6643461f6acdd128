//! Every route answers with the expected status and content type, in both languages.

use crate::support::TestApp;

const PAGES: [&str; 8] = [
    "/",
    "/cases",
    "/cases/gm-silao-2021",
    "/deadlines",
    "/statistics",
    "/downloads",
    "/cases?stage=resolved&sort=facility",
    "/cases?page=2",
];

#[tokio::test]
async fn every_route_answers_with_its_status_and_content_type() {
    let app = TestApp::spawn().await;
    let table: Vec<(&str, u16, &str)> = vec![
        ("/healthz", 200, "text/plain"),
        ("/metrics", 200, "text/plain"),
        ("/", 200, "text/html"),
        ("/cases", 200, "text/html"),
        ("/cases/gm-silao-2021", 200, "text/html"),
        ("/cases/no-such-case", 404, "text/html"),
        ("/deadlines", 200, "text/html"),
        ("/statistics", 200, "text/html"),
        ("/statistics/requests-per-year.csv", 200, "text/csv"),
        ("/statistics/resolution-time.csv", 200, "text/csv"),
        ("/statistics/outcomes.csv", 200, "text/csv"),
        ("/statistics/sectors.csv", 200, "text/csv"),
        ("/statistics/states.csv", 200, "text/csv"),
        ("/statistics/nope.csv", 404, "text/html"),
        ("/downloads", 200, "text/html"),
        ("/downloads/cases.json", 200, "application/json"),
        ("/downloads/cases.csv", 200, "text/csv"),
        ("/assets/app.css", 200, "text/css"),
        ("/assets/app.js", 200, "text/javascript"),
        ("/assets/icon.svg", 200, "image/svg+xml"),
        ("/assets/nope.css", 404, "text/html"),
        ("/no/such/page", 404, "text/html"),
        ("/cases?page=0", 400, "text/html"),
        ("/cases?year=soon", 400, "text/html"),
        ("/api/openapi.json", 200, "application/json"),
        ("/api/v1/cases", 200, "application/json"),
        (
            "/api/v1/cases?stage=resolved&per_page=5&page=2",
            200,
            "application/json",
        ),
        ("/api/v1/cases?per_page=1000", 400, "application/json"),
        ("/api/v1/cases/gm-silao-2021", 200, "application/json"),
        ("/api/v1/cases/no-such-case", 404, "application/json"),
        ("/api/v1/deadlines", 200, "application/json"),
        ("/api/v1/deadlines?overdue=true", 200, "application/json"),
        (
            "/api/v1/deadlines?within=30&as_of=2024-01-01",
            200,
            "application/json",
        ),
        (
            "/api/v1/deadlines?overdue=true&within=3",
            400,
            "application/json",
        ),
        ("/api/v1/deadlines?as_of=yesterday", 400, "application/json"),
        ("/api/v1/statistics", 200, "application/json"),
        ("/api/v1/nope", 404, "application/json"),
    ];
    for (path, status, content_type) in table {
        let r = app.get(path).await;
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        let body = r.status();
        assert_eq!(body.as_u16(), status, "GET {path}");
        assert!(ct.starts_with(content_type), "GET {path}: {ct}");
    }
}

#[tokio::test]
async fn every_page_renders_in_both_languages() {
    let app = TestApp::spawn().await;
    for lang in ["en", "es"] {
        for page in PAGES {
            let sep = if page.contains('?') { '&' } else { '?' };
            let body = app.text(&format!("{page}{sep}lang={lang}")).await;
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{page} in {lang}"
            );
        }
    }
}
