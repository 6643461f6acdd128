//! Forged requests: every state-changing route that a cookie authorizes refuses a missing
//! token, a wrong one and one from another session, before anything is stored. The list of
//! routes is checked against the router: any path that takes a POST must be in it.

use std::collections::BTreeSet;

use rrm_app::Actor;
use rrm_store::Role;

use crate::browser::{add_account, file, petition_fields, staff, Browser, PASSWORD, PDF};
use crate::support::TestApp;

const CASE: &str = "gm-silao-2021";

/// Every POST route whose authority is a cookie (the API's writes take a Bearer token, and
/// the API's petition filing takes no cookie at all, so a forged request has nothing to
/// borrow), with the form fields it needs besides `csrf`.
const FORMS: [(&str, &[(&str, &str)]); 14] = [
    ("/petitions/new", &[("office", "us_ilc")]),
    (
        "/petitions/status",
        &[("receipt", "RRM-0000-0000"), ("secret", "x")],
    ),
    (
        "/staff/login",
        &[("email", "ana@example.org"), ("password", PASSWORD)],
    ),
    ("/staff/login/verify", &[("code", "123456")]),
    ("/staff/logout", &[]),
    (
        "/staff/cases/gm-silao-2021/events",
        &[("kind", "review_accepted"), ("date", "2026-11-20")],
    ),
    (
        "/staff/cases/gm-silao-2021/notes",
        &[("text", "forged note")],
    ),
    ("/staff/cases/gm-silao-2021/documents", &[]),
    (
        "/staff/cases/gm-silao-2021/publication",
        &[("published", "false")],
    ),
    ("/staff/calendar", &[]),
    (
        "/staff/cases/gm-silao-2021/access",
        &[("op", "grant"), ("email", "rh@example.com")],
    ),
    (
        "/staff/admin/accounts",
        &[("op", "disable"), ("email", "bo@example.org")],
    ),
    (
        "/staff/admin/teams",
        &[("op", "create"), ("name", "forged")],
    ),
    (ANSWERS, &[("action", "union-access")]),
];

/// A respondent's answer, on a granted case with a course of remediation.
const ANSWERS: &str = "/shared/cases/alimentos-grole-2025/answers";

/// Everything a forged request could have changed.
fn footprint(app: &TestApp) -> String {
    let ws = &app.rrm.workspace;
    format!(
        "{:?} {:?} {} {} {} {}",
        app.rrm.store.stats().unwrap(),
        ws.unpublished().unwrap(),
        ws.notes(CASE).unwrap().len(),
        ws.documents(CASE).unwrap().len(),
        app.rrm.store.case(CASE).unwrap().unwrap().head_seq,
        ws.tokens_of(rrm_store::UserId(1)).unwrap().len(),
    ) + &format!(
        " {} {:?} {:?} {:?} {:?}",
        ws.documents("alimentos-grole-2025").unwrap().len(),
        app.rrm.access.teams().unwrap(),
        app.rrm.access.case_teams(CASE).unwrap(),
        app.rrm.access.case_grants(CASE).unwrap(),
        app.rrm.access.users().unwrap(),
    )
}

#[tokio::test]
async fn the_list_of_forms_covers_every_route_that_takes_a_post() {
    let app = TestApp::spawn().await;
    let listed: BTreeSet<&str> = FORMS.iter().map(|(p, _)| *p).collect();
    for path in [
        "/",
        "/cases",
        "/cases/gm-silao-2021",
        "/deadlines",
        "/statistics",
        "/downloads",
        "/petitions/new",
        "/petitions/status",
        "/staff",
        "/staff/login",
        "/staff/login/verify",
        "/staff/logout",
        "/staff/cases/gm-silao-2021",
        "/staff/cases/gm-silao-2021/events",
        "/staff/cases/gm-silao-2021/notes",
        "/staff/cases/gm-silao-2021/documents",
        "/staff/cases/gm-silao-2021/publication",
        "/staff/calendar",
        "/staff/calendar.ics",
        "/staff/cases/gm-silao-2021/access",
        "/staff/cases/gm-silao-2021/audit",
        "/staff/audit",
        "/staff/admin/accounts",
        "/staff/admin/teams",
        "/shared",
        "/shared/cases/alimentos-grole-2025",
        ANSWERS,
        "/healthz",
        "/metrics",
    ] {
        let r = app.client.post(app.url(path)).send().await.unwrap();
        let takes_post = r.status() != 405;
        assert_eq!(
            takes_post,
            listed.contains(path),
            "POST {path}: {}",
            r.status()
        );
    }
}

async fn send(b: &mut Browser<'_>, path: &str, fields: &[(&str, &str)], csrf: Option<&str>) -> u16 {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    if let Some(token) = csrf {
        all.push(("csrf", token));
    }
    if path.ends_with("/documents") || path.ends_with("/answers") || path == "/petitions/new" {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in all {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part("document", file("a.pdf", PDF, "application/pdf"));
        return b.post_multipart(path, form).await.status;
    }
    b.post_form(path, &all).await.status
}

#[tokio::test]
async fn missing_wrong_and_borrowed_tokens_are_refused_and_store_nothing() {
    let app = TestApp::spawn().await;
    let mut ana = staff(&app, "ana@example.org", Role::Admin).await;
    let mut bo = staff(&app, "bo@example.org", Role::Admin).await;
    let bos_token = bo.staff_csrf().await;
    let mut pending = Browser::new(&app);
    pending.password_step("ana@example.org", PASSWORD).await;
    let rh = add_account(&app, "rh@example.com", Role::Respondent);
    let now = app.now();
    app.rrm
        .set_grant(Actor::Operator, "alimentos-grole-2025", &rh, true, now)
        .unwrap();
    let mut respondent = Browser::new(&app);
    respondent.sign_in("rh@example.com").await;
    let before = footprint(&app);
    for (path, fields) in FORMS {
        let b = match path {
            "/staff/login/verify" => &mut pending,
            ANSWERS => &mut respondent,
            _ => &mut ana,
        };
        // A page of the form first, so the double-submit cookie exists where one is used.
        b.get("/petitions/new").await;
        for (label, token) in [
            ("missing", None),
            ("empty", Some("")),
            (
                "wrong",
                Some("0000000000000000000000000000000000000000000000000000"),
            ),
            ("another session's", Some(bos_token.as_str())),
        ] {
            let status = send(b, path, fields, token).await;
            assert_eq!(status, 403, "POST {path} with a {label} token");
        }
    }
    assert_eq!(footprint(&app), before, "nothing was stored");
    assert_eq!(
        ana.get("/staff").await.status,
        200,
        "the forged logout did not sign out"
    );
    let mut public = Browser::new(&app);
    let csrf = public.get("/petitions/new").await.csrf();
    let mut other = Browser::new(&app);
    other.get("/petitions/new").await;
    let form = petition_fields(&csrf, "n", "o", "c@example.org");
    assert_eq!(
        other.post_multipart("/petitions/new", form).await.status,
        403,
        "a token that is not this browser's cookie"
    );
    let _ = bo.get("/staff").await;
}
