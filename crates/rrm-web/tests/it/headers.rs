//! Every response carries the security headers: every route the router knows (read from the
//! router itself, so a new route is covered without editing this file), by GET and by POST,
//! signed out and signed in, successes and errors, HTML, JSON, CSV, assets and redirects.

use std::collections::BTreeSet;

use rrm_store::Role;

use crate::browser::{staff, Page};
use crate::support::TestApp;

/// Every path the application's router serves, as the router is assembled.
fn router_paths() -> BTreeSet<String> {
    rrm_web::route_paths().into_iter().collect()
}

/// A path with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("/assets/{file}", "/assets/app.css")
        .replace("/statistics/{file}", "/statistics/states.csv")
        .replace("{id}", "gm-silao-2021")
        .replace("{sha256}", &"0".repeat(64))
        .replace("{document}", "1")
}

fn assert_headers(what: &str, page: &Page) {
    let h = &page.headers;
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name} ({})", page.status))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = get("content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP lacks {directive}: {csp}"
        );
    }
    assert!(!csp.contains("unsafe-"), "{what}: {csp}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    assert_eq!(get("cross-origin-resource-policy"), "same-origin", "{what}");
    let permissions = get("permissions-policy");
    assert!(
        permissions.contains("camera=()") && permissions.contains("geolocation=()"),
        "{what}: {permissions}"
    );
    assert!(
        h.get("strict-transport-security").is_none(),
        "{what}: no HSTS over plain HTTP to a loopback host"
    );
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers() {
    let paths = router_paths();
    for expected in [
        "/",
        "/staff/login/verify",
        "/api/v1/petitions",
        "/assets/{file}",
    ] {
        assert!(paths.contains(expected), "the router's paths: {paths:?}");
    }
    let app = TestApp::spawn().await;
    let mut signed_in = staff(&app, "ana@example.org", Role::Analyst).await;
    let mut signed_out = crate::browser::Browser::new(&app);
    let mut statuses = BTreeSet::new();
    for path in &paths {
        let url = concrete(path);
        for (who, b) in [
            ("signed out", &mut signed_out),
            ("signed in", &mut signed_in),
        ] {
            let get = b.get(&url).await;
            assert_headers(&format!("GET {url} ({who})"), &get);
            let post = b.post_form(&url, &[("x", "1")]).await;
            assert_headers(&format!("POST {url} ({who})"), &post);
            statuses.extend([get.status, post.status]);
        }
    }
    for extra in ["/no/such/page", "/cases?page=0", "/api/v1/nope"] {
        assert_headers(extra, &signed_out.get(extra).await);
    }
    // Successes, redirects and errors of several kinds all passed through the check.
    for status in [200, 303, 400, 403, 404, 405] {
        assert!(statuses.contains(&status), "no {status} among {statuses:?}");
    }
}
