//! The canary: a petition carrying planted values in every confidential field — narrative,
//! contact, organization, an evidence file's name — then every public page, public API
//! response and download, before and after the case is published, and the captured log, must
//! contain none of them; nor may public or staff search, or the search index files on disk.

use reqwest::multipart;
use rrm_store::Role;

use crate::browser::{file, petition_fields, staff, Browser, PDF};
use crate::support::{logs, TestApp};

const CANARIES: [&str; 4] = [
    "CANARY-NARRATIVE-91c2",
    "CANARY-CONTACT-5e7d@example.org",
    "CANARY-ORG-3b1f",
    "CANARY-FILE-a8e0",
];

const ID: &str = "planta-de-prueba-norte-2026";

fn public_paths() -> Vec<String> {
    let mut paths: Vec<String> = [
        "/",
        "/?lang=es",
        "/cases",
        "/cases?per_page=100&sort=newest",
        "/cases?state=Coahuila",
        "/deadlines",
        "/statistics",
        "/downloads",
        "/downloads/cases.json",
        "/downloads/cases.csv",
        "/petitions/new",
        "/petitions/status",
        "/api/v1/cases?per_page=100",
        "/api/v1/deadlines",
        "/api/v1/statistics",
        "/api/openapi.json",
        "/metrics",
    ]
    .map(String::from)
    .to_vec();
    for chart in [
        "requests-per-year",
        "resolution-time",
        "outcomes",
        "sectors",
        "states",
    ] {
        paths.push(format!("/statistics/{chart}.csv"));
    }
    for lang in ["en", "es"] {
        paths.push(format!("/cases/{ID}?lang={lang}"));
    }
    paths.push(format!("/api/v1/cases/{ID}"));
    paths.push("/search?q=planta+prueba+norte".into());
    paths.push("/api/v1/search?q=planta+prueba+norte".into());
    paths
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()[2..].to_string()
}

/// Staff search finds the petition's case but none of its confidential fields, and the
/// public index on disk holds none of them either.
async fn assert_search_keeps_confidences(app: &TestApp, staff: &mut Browser<'_>) {
    let found = staff.get("/staff/search?q=planta+prueba+norte").await;
    assert!(
        found.body.contains(&format!("/staff/cases/{ID}")),
        "{}",
        found.body
    );
    for canary in CANARIES {
        let page = staff
            .get(&format!("/staff/search?q={}", urlencode(canary)))
            .await;
        assert!(page.body.contains(t_none()), "staff search finds {canary}");
        assert!(
            !page.body.contains("class=\"snippet\""),
            "staff search finds {canary}"
        );
    }
    for dir in ["public", "staff"] {
        for entry in std::fs::read_dir(app.search_dir.join(dir)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for canary in CANARIES {
                for needle in [canary.to_string(), canary.to_lowercase()] {
                    let n = needle.as_bytes();
                    assert!(
                        !bytes.windows(n.len()).any(|w| w == n),
                        "{dir} index holds {canary}"
                    );
                }
            }
        }
    }
}

fn t_none() -> &'static str {
    "Nothing matches these words."
}

async fn assert_no_canary(app: &TestApp, when: &str) {
    // A search echoes its own words, so searches for a canary are judged by their results.
    for canary in CANARIES {
        let api = app
            .json(&format!("/api/v1/search?q={}", urlencode(canary)))
            .await;
        assert_eq!(api["total"], 0, "{when}: public search finds {canary}");
        let page = app.text(&format!("/search?q={}", urlencode(canary))).await;
        assert!(
            page.contains(t_none()),
            "{when}: the search page finds {canary}"
        );
    }
    for path in public_paths() {
        let body = app.get(&path).await.text().await.unwrap();
        for canary in CANARIES {
            assert!(!body.contains(canary), "{when}: {path} leaks {canary}");
        }
    }
}

#[tokio::test]
async fn no_confidential_petition_field_reaches_a_public_surface_or_the_log() {
    let app = TestApp::spawn().await;
    let mut petitioner = Browser::new(&app);
    let csrf = petitioner.get("/petitions/new").await.csrf();
    let form = petition_fields(&csrf, CANARIES[0], CANARIES[2], CANARIES[1]).part(
        "evidence",
        file("CANARY-FILE-a8e0.pdf", PDF, "application/pdf"),
    );
    let receipt = petitioner.post_multipart("/petitions/new", form).await;
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    let json = serde_json::json!({
        "office": "us_ilc", "facility": "Planta de Prueba Norte", "allegations": ["other"],
        "narrative": CANARIES[0], "organization": CANARIES[2], "contact": CANARIES[1], "consent": true
    });
    let api = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&json)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 201);
    let api_multipart = multipart::Form::new()
        .text("petition", json.to_string())
        .part(
            "evidence",
            file("CANARY-FILE-a8e0.pdf", PDF, "application/pdf"),
        );
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .multipart(api_multipart)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let refused = petition_fields(&csrf, CANARIES[0], CANARIES[2], CANARIES[1]).part(
        "evidence",
        file("CANARY-FILE-a8e0.pdf", b"MZ not a pdf", "application/pdf"),
    );
    assert_eq!(
        petitioner
            .post_multipart("/petitions/new", refused)
            .await
            .status,
        422
    );

    assert_no_canary(&app, "unpublished").await;
    let public = app.json("/api/v1/search?q=planta+prueba+norte").await;
    assert_eq!(
        public["total"], 0,
        "an unpublished case is not publicly searchable"
    );
    let mut supervisor = staff(&app, "sup@example.org", Role::Supervisor).await;
    assert_search_keeps_confidences(&app, &mut supervisor).await;
    let workspace = supervisor.get(&format!("/staff/cases/{ID}")).await;
    assert!(
        CANARIES.iter().all(|c| workspace.body.contains(c)),
        "staff see every field"
    );
    let csrf = workspace.csrf();
    for id in app.rrm.workspace.unpublished().unwrap() {
        let r = supervisor
            .post_form(
                &format!("/staff/cases/{id}/publication"),
                &[("csrf", &csrf), ("published", "true")],
            )
            .await;
        assert_eq!(r.status, 303);
    }
    assert!(app.rrm.workspace.unpublished().unwrap().is_empty());
    assert_no_canary(&app, "published").await;
    let public = app.json("/api/v1/search?q=planta+prueba+norte").await;
    assert!(
        public["total"].as_u64().unwrap() >= 1,
        "published, it is searchable"
    );
    assert_search_keeps_confidences(&app, &mut supervisor).await;
    let log = logs();
    for canary in CANARIES {
        assert!(!log.contains(canary), "the log leaks {canary}");
    }
}
