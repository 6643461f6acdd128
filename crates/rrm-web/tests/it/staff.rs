//! The staff workspace: sessions (sign-in itself is `sign_in.rs`), CSRF on staff forms, recording events (and the
//! refusals that name their rule), the remediation plan, documents and notes, publication by
//! role, the confidential petition, and the deadline calendar.

use rrm_store::Role;

use crate::browser::{file, petition_fields, staff, Browser, EXE, PASSWORD, PDF};
use crate::support::TestApp;

/// A case waiting for Mexico's answer to a request for review sent on 2026-11-16.
const WAITING: &str = r#"{
  "format": "rrm-case/1", "id": "planta-espera-2026", "procedure": "usmca-31a",
  "facility": { "name": "Planta en espera", "state": "Puebla" },
  "events": [ { "kind": "request_for_review", "date": "2026-11-16" } ]
}"#;

/// A case where Mexico found a denial of rights: consultation on a course of remediation.
const CONSULTING: &str = r#"{
  "format": "rrm-case/1", "id": "planta-consulta-2026", "procedure": "usmca-31a",
  "facility": { "name": "Planta en consulta", "state": "Sonora" },
  "events": [
    { "kind": "request_for_review", "date": "2026-09-01" },
    { "kind": "review_accepted", "date": "2026-09-05" },
    { "kind": "review_report", "date": "2026-10-20", "denial_found": true }
  ]
}"#;

async fn app_with_cases() -> TestApp {
    TestApp::builder()
        .with_case("waiting.json", WAITING)
        .with_case("consulting.json", CONSULTING)
        .spawn()
        .await
}

#[tokio::test]
async fn signing_out_deletes_the_session() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let cookie = b.cookies["rrm_session"].clone();
    let csrf = b.staff_csrf().await;
    let r = b.post_form("/staff/logout", &[("csrf", &csrf)]).await;
    assert_eq!((r.status, r.location()), (303, "/staff/login"));
    assert!(
        !b.cookies.contains_key("rrm_session"),
        "the cookie is cleared"
    );
    let hash = rrm_app::secrets::token_hash(&cookie);
    assert_eq!(
        app.rrm.workspace.session(&hash).unwrap(),
        None,
        "the session is deleted"
    );
    let mut replay = Browser::new(&app);
    replay.cookies.insert("rrm_session".into(), cookie);
    assert_eq!(
        replay.get("/staff").await.status,
        303,
        "the old cookie no longer works"
    );
    assert_eq!(replay.get("/staff/cases/gm-silao-2021").await.status, 303);
}

#[tokio::test]
async fn staff_forms_without_the_session_token_are_refused_and_store_nothing() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Supervisor).await;
    let id = "planta-espera-2026";
    let event = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("kind", "review_accepted"),
            ("date", "2026-11-20"),
        ]
    };
    for csrf in ["", "not-the-session-token"] {
        let r = b
            .post_form(&format!("/staff/cases/{id}/events"), &event(csrf))
            .await;
        assert_eq!(r.status, 403, "{csrf:?}");
        assert!(r
            .body
            .contains("security token is missing or does not match"));
        let r = b
            .post_form(
                &format!("/staff/cases/{id}/notes"),
                &[("csrf", csrf), ("text", "x")],
            )
            .await;
        assert_eq!(r.status, 403);
        let r = b
            .post_form(
                &format!("/staff/cases/{id}/publication"),
                &[("csrf", csrf), ("published", "false")],
            )
            .await;
        assert_eq!(r.status, 403);
    }
    let form =
        reqwest::multipart::Form::new().part("document", file("a.pdf", PDF, "application/pdf"));
    assert_eq!(
        b.post_multipart(&format!("/staff/cases/{id}/documents"), form)
            .await
            .status,
        403
    );
    assert_eq!(
        app.rrm.store.case(id).unwrap().unwrap().head_seq,
        1,
        "no event recorded"
    );
    assert!(
        app.rrm.workspace.notes(id).unwrap().is_empty()
            && app.rrm.workspace.documents(id).unwrap().is_empty()
    );
    assert!(app.rrm.workspace.is_published(id).unwrap());
    let mut fresh = Browser::new(&app);
    let r = fresh
        .post_form(
            "/staff/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 403, "the sign-in form has its token too");
}

#[tokio::test]
async fn recording_review_accepted_changes_the_clocks() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let page = b
        .get("/staff/cases/planta-espera-2026?kind=review_accepted")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.headers["cache-control"], "no-store");
    assert!(
        page.body.contains("Mexico says whether it will review")
            && !page.body.contains("status-met")
    );
    let csrf = page.csrf();
    let r = b
        .post_form(
            "/staff/cases/planta-espera-2026/events",
            &[
                ("csrf", &csrf),
                ("kind", "review_accepted"),
                ("date", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, "/staff/cases/planta-espera-2026?done=event#timeline")
    );
    let after = b.get("/staff/cases/planta-espera-2026?done=event").await;
    assert!(after.body.contains("The event was recorded."));
    assert!(
        after.body.contains("Under review by Mexico"),
        "the stage moved"
    );
    assert!(
        after
            .body
            .contains("Mexico completes its review and reports in writing"),
        "the review clock runs"
    );
    assert!(
        after.body.contains("<tr class=\"clock-met\">"),
        "the answer clock was met"
    );
    let public = app.text("/cases/planta-espera-2026").await;
    assert!(
        public.contains("Under review by Mexico"),
        "the public page follows"
    );
}

#[tokio::test]
async fn a_refused_event_shows_the_rule_that_refused_it_and_keeps_the_form() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let csrf = b.staff_csrf().await;
    let path = "/staff/cases/planta-espera-2026/events";
    let r = b
        .post_form(
            path,
            &[
                ("csrf", &csrf),
                ("kind", "remedy_imposed"),
                ("remedy", "penalty"),
                ("date", "2026-11-20"),
                ("note", "typed by staff"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("Refused by the procedure")
            && r.body.contains("<code>usmca-31a/awaiting_answer</code>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"typed by staff\""),
        "the form keeps what was typed"
    );
    let future = b
        .post_form(
            path,
            &[
                ("csrf", &csrf),
                ("kind", "review_accepted"),
                ("date", "2027-01-05"),
            ],
        )
        .await;
    assert_eq!(future.status, 409);
    assert!(future.body.contains("<code>future_date</code>"));
    let undated = b
        .post_form(path, &[("csrf", &csrf), ("kind", "review_accepted")])
        .await;
    assert_eq!(undated.status, 422);
    assert!(
        undated.body.contains("date_text"),
        "the missing field is named: {}",
        undated.body
    );
    assert_eq!(
        app.rrm
            .store
            .case("planta-espera-2026")
            .unwrap()
            .unwrap()
            .head_seq,
        1
    );
}

#[tokio::test]
async fn the_remediation_plan_editor_records_items_completion_and_verification() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let page = b
        .get("/staff/cases/planta-consulta-2026?kind=remediation_agreed")
        .await;
    assert!(
        page.body.contains("name=\"action_description_7\""),
        "eight rows for action items"
    );
    let csrf = page.csrf();
    let path = "/staff/cases/planta-consulta-2026/events";
    let plan = [
        ("csrf", csrf.as_str()),
        ("kind", "remediation_agreed"),
        ("date", "2026-11-10"),
        ("due", "2027-03-01"),
        ("action_id_0", "reinstate"),
        ("action_description_0", "Reinstate the dismissed workers"),
        ("action_responsible_0", "company"),
        ("action_due_0", "2026-12-15"),
        ("action_id_1", "vote"),
        ("action_description_1", "Hold a free legitimation vote"),
        ("action_responsible_1", "CFCRL"),
    ];
    assert_eq!(b.post_form(path, &plan).await.status, 303);
    let done = [
        ("csrf", csrf.as_str()),
        ("kind", "action_completed"),
        ("date", "2026-11-20"),
        ("action", "reinstate"),
        ("evidence", "Payroll records\nSigned reinstatement letters"),
    ];
    assert_eq!(b.post_form(path, &done).await.status, 303);
    let verified = [
        ("csrf", csrf.as_str()),
        ("kind", "action_verified"),
        ("date", "2026-11-21"),
        ("action", "reinstate"),
        ("by", "US"),
    ];
    assert_eq!(b.post_form(path, &verified).await.status, 303);
    let unknown = [
        ("csrf", csrf.as_str()),
        ("kind", "action_completed"),
        ("date", "2026-11-22"),
        ("action", "no-such-item"),
    ];
    let r = b.post_form(path, &unknown).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let page = b
        .get("/staff/cases/planta-consulta-2026?kind=action_verified")
        .await;
    assert!(
        page.body.contains("Reinstate the dismissed workers")
            && page.body.contains("Hold a free legitimation vote")
    );
    assert!(
        page.body.contains("<option value=\"vote\""),
        "the action select lists the plan's items"
    );
    assert!(page.body.contains("Course of remediation under way"));
}

#[tokio::test]
async fn documents_and_notes_stay_in_the_workspace() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let id = "planta-espera-2026";
    let csrf = b.staff_csrf().await;
    let upload = |name: &str, bytes: &[u8]| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("document", file(name, bytes, "application/pdf"))
    };
    let r = b
        .post_multipart(
            &format!("/staff/cases/{id}/documents"),
            upload("informe-interno.pdf", PDF),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = b
        .post_multipart(
            &format!("/staff/cases/{id}/documents"),
            upload("macro.pdf", EXE),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("`macro.pdf` is not a PDF"));
    let r = b
        .post_form(
            &format!("/staff/cases/{id}/notes"),
            &[
                ("csrf", &csrf),
                ("text", "Nota interna: llamar al sindicato"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = b.get(&format!("/staff/cases/{id}")).await;
    assert!(
        page.body.contains("informe-interno.pdf")
            && page.body.contains("Nota interna: llamar al sindicato")
    );
    let href = page
        .body
        .split("href=\"/staff/cases/planta-espera-2026/files/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let download = b.get(&format!("/staff/cases/{id}/files/{href}")).await;
    assert_eq!((download.status, download.body.as_bytes()), (200, PDF));
    assert_eq!(download.headers["content-type"], "application/pdf");
    assert_eq!(
        Browser::new(&app)
            .get(&format!("/staff/cases/{id}/files/{href}"))
            .await
            .status,
        303,
        "staff only"
    );
    let public = app.text(&format!("/cases/{id}")).await;
    assert!(!public.contains("informe-interno") && !public.contains("Nota interna"));
}

#[tokio::test]
async fn publishing_needs_a_supervisor_and_the_petition_shows_only_to_staff() {
    let app = TestApp::spawn().await;
    let mut public = Browser::new(&app);
    let csrf = public.get("/petitions/new").await.csrf();
    let form = petition_fields(
        &csrf,
        "Relato confidencial 4471",
        "Colectivo Obrero 4471",
        "obrero4471@example.org",
    );
    assert_eq!(
        public.post_multipart("/petitions/new", form).await.status,
        200
    );
    let id = "planta-de-prueba-norte-2026";
    let mut analyst = staff(&app, "ana@example.org", Role::Analyst).await;
    let board = analyst.get("/staff").await;
    assert!(
        board.body.contains("Planta de Prueba Norte")
            && board.body.contains("Petition under ILC review"),
        "{}",
        board.body
    );
    let page = analyst.get(&format!("/staff/cases/{id}")).await;
    assert!(
        page.body.contains("Relato confidencial 4471")
            && page.body.contains("obrero4471@example.org")
    );
    let r = analyst
        .post_form(
            &format!("/staff/cases/{id}/publication"),
            &[("csrf", &page.csrf()), ("published", "true")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("supervisor or admin role"));
    assert!(!app.rrm.workspace.is_published(id).unwrap());
    let mut supervisor = staff(&app, "sup@example.org", Role::Supervisor).await;
    let csrf = supervisor.staff_csrf().await;
    let r = supervisor
        .post_form(
            &format!("/staff/cases/{id}/publication"),
            &[("csrf", &csrf), ("published", "true")],
        )
        .await;
    assert_eq!(r.status, 303);
    let published = app.text(&format!("/cases/{id}")).await;
    assert!(published.contains("Planta de Prueba Norte"));
    assert!(
        !published.contains("4471"),
        "the petition's content stays confidential once published"
    );
}

#[tokio::test]
async fn the_calendar_feed_lists_running_deadlines_with_their_rules() {
    let app = app_with_cases().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let csrf = b.staff_csrf().await;
    let page = b.post_form("/staff/calendar", &[("csrf", &csrf)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let url = page
        .body
        .split("<code class=\"wrap-any\">")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let path = &url[url.find("/staff/calendar.ics").unwrap()..];
    let feed = app.get(path).await;
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = feed.text().await.unwrap().replace("\r\n ", "");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("BEGIN:VEVENT"));
    assert!(
        ics.contains("SUMMARY:Mexico says whether it will review — Planta en espera"),
        "{ics}"
    );
    assert!(
        ics.contains(
            "DESCRIPTION:Case planta-espera-2026. Rule: USMCA Annex 31-A\\, Art. 31-A.4.2"
        ),
        "{ics}"
    );
    assert_eq!(
        app.get("/staff/calendar.ics?token=rrm_cal_forged")
            .await
            .status(),
        401
    );
    let again = b.post_form("/staff/calendar", &[("csrf", &csrf)]).await;
    assert_eq!(again.status, 200);
    assert_eq!(
        app.get(path).await.status(),
        401,
        "a new address revokes the old one"
    );
}

#[tokio::test]
async fn the_dashboard_lists_the_reminders_sent_for_the_users_cases() {
    let app = app_with_cases().await;
    let today = crate::support::TODAY.parse().unwrap();
    let sent = app
        .rrm
        .send_due_reminders(today, crate::support::noon(today), "server-7")
        .unwrap();
    assert!(
        sent.iter().any(|r| r.case_id == "planta-espera-2026"),
        "Mexico's answer is due within the week: {sent:?}"
    );
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    let page = b.get("/staff").await;
    assert_eq!(page.status, 200);
    let section = &page.body[page.body.find("id=\"reminders\"").expect("the section")..];
    assert!(section.contains("Planta en espera"), "{section}");
    assert!(section.contains("server-7"));
    assert!(section.contains("due within a week") || section.contains("due tomorrow"));
    let spanish = b.get("/staff?lang=es").await;
    assert!(spanish.body.contains("Recordatorios enviados"));
}
