//! What must never happen: script injected through case data, a confidential petitioner
//! published, a query string logged, a response without its security headers.

use crate::support::{logs, TestApp};

const XSS: &str = r#"{
  "format": "rrm-case/1",
  "id": "xss-probe-2024",
  "procedure": "usmca-31a",
  "facility": { "name": "<script>alert(1)</script>", "company": "\"><img src=x onerror=alert(2)>", "state": "Puebla" },
  "summary": "<b>bold</b> & <i>claims</i>",
  "events": [
    { "kind": "request_for_review", "date": "2024-03-01", "note": "<script>alert(3)</script>",
      "source": "javascript:alert(4)" }
  ]
}"#;

const CANARY: &str = "CANARY-PETITIONER-7f3a";

fn canary_case() -> String {
    format!(
        r#"{{
  "format": "rrm-case/1",
  "id": "canary-probe-2024",
  "procedure": "usmca-31a",
  "facility": {{ "name": "Canary probe plant", "state": "Jalisco" }},
  "petitioners": [{{ "name": "{CANARY}", "public": false }}, "Public Union of Probes"],
  "events": [ {{ "kind": "request_for_review", "date": "2024-03-02" }} ]
}}"#
    )
}

#[tokio::test]
async fn markup_in_case_data_is_escaped_on_the_index_and_the_case_page() {
    let app = TestApp::builder().with_case("xss.json", XSS).spawn().await;
    for path in [
        "/cases?sort=newest",
        "/cases/xss-probe-2024",
        "/cases?lang=es&state=Puebla",
    ] {
        let html = app.text(path).await;
        assert!(!html.contains("<script>alert"), "{path}: raw script tag");
        assert!(!html.contains("<img src=x"), "{path}: raw img tag");
        assert!(
            html.contains("&lt;script&gt;alert(1)"),
            "{path}: escaped name shown"
        );
    }
    let case = app.text("/cases/xss-probe-2024").await;
    assert!(!case.contains("<b>bold</b>"));
    assert!(
        !case.contains("href=\"javascript:"),
        "a javascript: source is not a link"
    );
}

#[tokio::test]
async fn a_petitioner_who_is_not_public_appears_nowhere() {
    let app = TestApp::builder()
        .with_case("canary.json", &canary_case())
        .spawn()
        .await;
    let case = app.text("/cases/canary-probe-2024").await;
    assert!(
        case.contains("Public Union of Probes"),
        "public petitioners are shown"
    );
    let paths = [
        "/",
        "/cases",
        "/cases?state=Jalisco",
        "/cases/canary-probe-2024",
        "/cases/canary-probe-2024?lang=es",
        "/deadlines",
        "/statistics",
        "/statistics/states.csv",
        "/downloads",
        "/downloads/cases.json",
        "/downloads/cases.csv",
        "/api/v1/cases?per_page=100",
        "/api/v1/cases/canary-probe-2024",
        "/api/v1/deadlines",
        "/api/v1/statistics",
    ];
    for path in paths {
        let body = app.text(path).await;
        assert!(
            !body.contains(CANARY),
            "{path} leaks the confidential petitioner"
        );
    }
    let json = app.text("/downloads/cases.json").await;
    assert!(json.contains("Public Union of Probes"));
    assert!(
        !logs().contains(CANARY),
        "the log leaks the confidential petitioner"
    );
}

#[tokio::test]
async fn request_logs_carry_the_route_template_never_the_query_string() {
    let app = TestApp::spawn().await;
    let secret = "SECRET-QUERY-9c1e";
    app.get(&format!("/cases?sector={secret}")).await;
    app.get(&format!("/api/v1/cases/{secret}")).await;
    let logs = logs();
    assert!(
        !logs.contains(secret),
        "a query string or raw path reached the log"
    );
    assert!(logs.contains("route=/cases/{id}") || logs.contains("route=/api/v1/cases/{id}"));
    assert!(logs.contains("status=404"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/cases/nope",
        "/api/v1/cases",
        "/assets/app.css",
        "/healthz",
        "/nope",
    ] {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_and_external_links_have_noopener() {
    let app = TestApp::spawn().await;
    let html = app.text("/cases/gm-silao-2021").await;
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert_eq!(scripts.len(), 1);
    assert!(scripts[0].trim_start().starts_with("src=\"/assets/app."));
    assert!(!html.contains(" style=") && !html.contains("<style"));
    for link in html.split("<a href=\"http").skip(1) {
        let tag = link.split('>').next().unwrap();
        assert!(
            tag.contains("rel=\"noopener"),
            "external link without noopener: {tag}"
        );
    }
}
