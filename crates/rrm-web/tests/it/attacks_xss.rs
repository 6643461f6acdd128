//! Script injection through every text input: each field of the petition form and API, staff
//! notes, event fields, document names, sign-in fields, the status check, the second-factor
//! code, and query strings. Every page that shows the text shows it escaped; none carries
//! it raw; JSON answers are JSON (`nosniff`), never HTML.

use rrm_store::Role;
use serde_json::json;

use crate::browser::{file, staff, Browser, Page, PDF};
use crate::support::TestApp;

/// Breaks out of an attribute and of text, in both quote styles.
const XSS: &str = "\"'><script>alert('rrm-xss')</script><img src=x onerror=alert(1)>";

fn assert_no_raw(what: &str, body: &str) {
    assert!(!body.contains("<script>alert("), "{what}: a raw script tag");
    assert!(!body.contains("<img src=x"), "{what}: a raw img tag");
    assert!(
        !body.contains("\"'><"),
        "{what}: an attribute broken out of"
    );
}

fn assert_escaped(what: &str, page: &Page, label: &str) {
    assert_no_raw(what, &page.body);
    let shown = format!("&lt;script&gt;alert(&#39;rrm-xss&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;-{label}");
    let at = page.body.find(&format!("-{label}<")).unwrap_or(0);
    let near = &page.body[at.saturating_sub(130)..(at + 20).min(page.body.len())];
    assert!(
        page.body.contains(&shown),
        "{what}: `{label}` is not shown escaped: {near}"
    );
}

const TEXT_FIELDS: [&str; 7] = [
    "facility",
    "company",
    "city",
    "state",
    "narrative",
    "organization",
    "contact",
];

fn payload(label: &str) -> String {
    format!("{XSS}-{label}")
}

#[tokio::test]
async fn petition_fields_are_escaped_on_the_form_the_workspace_and_the_public_pages() {
    let app = TestApp::spawn().await;
    let mut public = Browser::new(&app);
    let csrf = public.get("/petitions/new").await.csrf();
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("office", "us_ilc")
        .text("allegations", "other");
    for f in TEXT_FIELDS {
        form = form.text(f, payload(f));
    }
    // Without consent the form comes back with what was typed.
    let again = public.post_multipart("/petitions/new", form).await;
    assert_eq!(again.status, 422, "{}", again.body);
    for f in TEXT_FIELDS {
        assert_escaped("the form shown again", &again, f);
    }
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("office", "us_ilc")
        .text("allegations", "other")
        .text("consent", "on");
    for f in TEXT_FIELDS {
        form = form.text(f, payload(f));
    }
    let receipt = public.post_multipart("/petitions/new", form).await;
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    assert_no_raw("the receipt", &receipt.body);
    let id = app.rrm.workspace.unpublished().unwrap().remove(0);

    let mut sup = staff(&app, "sup@example.org", Role::Supervisor).await;
    let board = sup.get("/staff").await;
    assert_escaped("the dashboard", &board, "facility");
    let workspace = sup.get(&format!("/staff/cases/{id}")).await;
    for f in TEXT_FIELDS {
        assert_escaped("the workspace", &workspace, f);
    }
    let csrf = workspace.csrf();
    let r = sup
        .post_form(
            &format!("/staff/cases/{id}/publication"),
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = public.get(&format!("/cases/{id}")).await;
    for f in ["facility", "company", "city", "state"] {
        assert_escaped("the public case page", &page, f);
    }
    for f in ["narrative", "organization", "contact"] {
        assert!(!page.body.contains(&format!("-{f}")), "{f} is confidential");
    }
    for path in [
        "/cases?sort=newest",
        "/",
        "/deadlines",
        "/cases?lang=es&sort=newest",
    ] {
        let p = public.get(path).await;
        assert_no_raw(path, &p.body);
        assert!(p.body.contains("-facility"), "{path} lists the case");
    }
    let api = app.get(&format!("/api/v1/cases/{id}")).await;
    assert!(api.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let csv = app.get("/downloads/cases.csv").await;
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
}

#[tokio::test]
async fn the_petition_api_takes_markup_as_text_and_the_workspace_escapes_it() {
    let app = TestApp::spawn().await;
    let mut petition = json!({
        "office": "us_ilc", "allegations": ["other"], "consent": true, "language": "es"
    });
    for f in TEXT_FIELDS {
        petition[f] = payload(f).into();
    }
    let r = app
        .client
        .post(app.url("/api/v1/petitions"))
        .json(&petition)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = app.rrm.workspace.unpublished().unwrap().remove(0);
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let page = b.get(&format!("/staff/cases/{id}")).await;
    for f in TEXT_FIELDS {
        assert_escaped("the workspace", &page, f);
    }
}

#[tokio::test]
async fn notes_event_fields_and_document_names_are_escaped_wherever_shown() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let id = "gm-silao-2021";
    let csrf = b.staff_csrf().await;
    let note = b
        .post_form(
            &format!("/staff/cases/{id}/notes"),
            &[("csrf", &csrf), ("text", &payload("note"))],
        )
        .await;
    assert_eq!(note.status, 303, "{}", note.body);
    let name = format!("{}.pdf", payload("document"));
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part("document", file(&name, PDF, "application/pdf"));
    let doc = b
        .post_multipart(&format!("/staff/cases/{id}/documents"), form)
        .await;
    assert_eq!(doc.status, 303, "{}", doc.body);
    let case = "planta-xss-2026";
    app.rrm
        .import_all(&[rrm_app::ImportSource {
            name: "x.json".into(),
            text: format!(
                r#"{{"format":"rrm-case/1","id":"{case}","procedure":"usmca-31a",
                "facility":{{"name":"Planta"}},"events":[{{"kind":"request_for_review","date":"2026-11-16"}}]}}"#
            ),
        }], app.now())
        .unwrap();
    let event = b
        .post_form(
            &format!("/staff/cases/{case}/events"),
            &[
                ("csrf", &csrf),
                ("kind", "review_accepted"),
                ("date", "2026-11-20"),
                ("note", &payload("event-note")),
                ("source", &payload("event-source")),
            ],
        )
        .await;
    assert_eq!(event.status, 303, "{}", event.body);
    let refused = b
        .post_form(
            &format!("/staff/cases/{case}/events"),
            &[
                ("csrf", &csrf),
                ("kind", "review_accepted"),
                ("date_text", &payload("date-text")),
                ("note", &payload("refused-note")),
            ],
        )
        .await;
    assert!(refused.status >= 400, "{}", refused.body);
    assert_escaped("the refused form shown again", &refused, "refused-note");
    let workspace = b.get(&format!("/staff/cases/{id}")).await;
    assert_escaped("the workspace", &workspace, "note");
    // A file name keeps its last path component only: what follows `</` here.
    assert!(
        workspace
            .body
            .contains("script&gt;&lt;img src=x onerror=alert(1)&gt;-document.pdf"),
        "the document's name is shown escaped"
    );
    let staff_case = b.get(&format!("/staff/cases/{case}")).await;
    assert_escaped("the workspace timeline", &staff_case, "event-note");
    assert_escaped("the workspace timeline", &staff_case, "event-source");
    let public = app.text(&format!("/cases/{case}")).await;
    assert_no_raw("the public case page", &public);
    assert!(public.contains("-event-note"));
    assert!(
        !public.contains("href=\"\\\"'"),
        "a source that is not http(s) is no link"
    );
}

#[tokio::test]
async fn sign_in_fields_status_check_codes_and_query_strings_are_never_echoed_raw() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);
    let login = b
        .password_step(&payload("email"), &payload("password"))
        .await;
    assert_eq!(login.status, 401);
    assert_no_raw("the sign-in form", &login.body);
    crate::browser::add_user(&app, "ana@example.org", Role::Analyst);
    b.password_step("ana@example.org", crate::browser::PASSWORD)
        .await;
    let verify = b.get("/staff/login/verify").await;
    let r = b
        .post_form(
            "/staff/login/verify",
            &[("csrf", &verify.csrf()), ("code", &payload("code"))],
        )
        .await;
    assert_eq!(r.status, 401);
    assert_no_raw("the second-factor form", &r.body);
    let csrf = b.get("/petitions/status").await.csrf();
    let status = b
        .post_form(
            "/petitions/status",
            &[
                ("csrf", &csrf),
                ("receipt", &payload("receipt")),
                ("secret", XSS),
            ],
        )
        .await;
    assert!(status.status >= 400);
    assert_no_raw("the status check", &status.body);

    let q = |k: &str| serde_urlencoded::to_string([(k, payload(k))]).unwrap();
    let mut paths: Vec<String> = [
        "status",
        "stage",
        "year",
        "sector",
        "state",
        "procedure",
        "outcome",
        "panel",
        "sort",
        "page",
        "per_page",
        "lang",
    ]
    .iter()
    .flat_map(|k| {
        [
            format!("/cases?{}", q(k)),
            format!("/api/v1/cases?{}", q(k)),
        ]
    })
    .collect();
    for k in ["within", "as_of", "overdue", "lang"] {
        paths.push(format!("/deadlines?{}", q(k)));
        paths.push(format!("/api/v1/deadlines?{}", q(k)));
    }
    let encoded: String = serde_urlencoded::to_string([("x", XSS)]).unwrap()[2..].to_string();
    paths.push(format!("/cases/{encoded}"));
    paths.push(format!("/api/v1/cases/{encoded}"));
    paths.push(format!("/statistics/{encoded}.csv"));
    paths.push(format!("/no/such/{encoded}?{}", q("x")));
    for path in paths {
        let page = b.get(&path).await;
        let ct = page.headers["content-type"].to_str().unwrap().to_string();
        if path.starts_with("/api/") {
            assert!(ct.starts_with("application/json"), "{path}: {ct}");
        } else {
            assert!(ct.starts_with("text/html"), "{path}: {ct}");
            assert_no_raw(&path, &page.body);
        }
    }
}

#[tokio::test]
async fn names_on_the_access_admin_audit_and_partner_pages_are_escaped() {
    use rrm_app::Actor;
    let app = TestApp::spawn().await;
    let id = "alimentos-grole-2025";
    let now = app.now();
    let pw = rrm_store::Confidential::new(crate::browser::PASSWORD.to_string());
    let rh = app
        .rrm
        .add_user(
            "rh@example.com",
            &payload("name"),
            Role::Respondent,
            &pw,
            now,
        )
        .unwrap();
    app.rrm
        .set_grant(Actor::Operator, id, &rh, true, now)
        .unwrap();
    let mut partner = Browser::new(&app);
    partner.sign_in("rh@example.com").await;
    let portal = partner.get("/shared").await;
    assert_escaped("the partner bar", &portal, "name");
    let name = format!("{}.pdf", payload("answer"));
    let form = reqwest::multipart::Form::new()
        .text("csrf", portal.csrf())
        .text("action", "union-access")
        .part("document", file(&name, PDF, "application/pdf"));
    let r = partner
        .post_multipart(&format!("/shared/cases/{id}/answers"), form)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let wrong = reqwest::multipart::Form::new()
        .text("csrf", portal.csrf())
        .text("action", payload("item"))
        .part("document", file("a.pdf", PDF, "application/pdf"));
    let refused = partner
        .post_multipart(&format!("/shared/cases/{id}/answers"), wrong)
        .await;
    assert_eq!(refused.status, 422);
    assert_escaped("the refused answer", &refused, "item");
    let answer = "script&gt;&lt;img src=x onerror=alert(1)&gt;-answer.pdf";
    let page = partner.get(&format!("/shared/cases/{id}")).await;
    assert_no_raw("the partner case page", &page.body);
    assert!(page.body.contains(answer), "the answer's name, escaped");

    let mut adm = staff(&app, "adm@example.org", Role::Admin).await;
    let workspace = adm.get(&format!("/staff/cases/{id}")).await;
    assert_no_raw("the workspace", &workspace.body);
    assert!(workspace.body.contains(answer));
    let access = adm.get(&format!("/staff/cases/{id}/access")).await;
    assert_escaped("the access page", &access, "name");
    let csrf = access.csrf();
    let team = adm
        .post_form(
            "/staff/admin/teams",
            &[
                ("csrf", &csrf),
                ("op", "create"),
                ("name", &payload("team")),
            ],
        )
        .await;
    assert_eq!(team.status, 422);
    assert_escaped("the refused team", &team, "team");
    let accounts = adm.get("/staff/admin/accounts").await;
    assert_escaped("the accounts page", &accounts, "name");
    let log = adm.get("/staff/audit").await;
    assert_escaped("the audit log", &log, "name");
}
