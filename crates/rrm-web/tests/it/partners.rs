//! The partner portal: counterparts and respondents land on `/shared` after signing in; they
//! see the cases granted to them — even unpublished ones — with the documents shared with
//! their kind of account; a respondent answers an action item with evidence that staff then
//! see beside the item, and a counterpart cannot answer; nothing of the petition's
//! confidential side ever reaches the portal.

use reqwest::multipart;
use rrm_app::{Actor, DocumentOptions, Upload};
use rrm_store::{Confidential, Government, Role, Sharing};

use crate::browser::{add_account, file, petition_fields, staff, Browser, EXE, PDF};
use crate::support::{noon, TestApp, TODAY};

/// A case with a course of remediation of two items, the first done; unpublished below.
const PLAN: &str = r#"{
  "format": "rrm-case/1", "id": "planta-plan-2026", "procedure": "usmca-31a",
  "facility": { "name": "Planta con plan", "company": "Autopartes de Prueba S.A.", "state": "Sonora" },
  "events": [
    { "kind": "request_for_review", "date": "2026-09-01" },
    { "kind": "review_accepted", "date": "2026-09-05" },
    { "kind": "review_report", "date": "2026-10-20", "denial_found": true },
    { "kind": "remediation_agreed", "date": "2026-11-10", "due": "2027-03-01", "actions": [
      { "id": "reinstate", "description": "Reinstate the dismissed workers", "responsible": "company", "due": "2026-12-15" },
      { "id": "vote", "description": "Hold a free legitimation vote", "responsible": "CFCRL" }
    ] },
    { "kind": "action_completed", "date": "2026-11-20", "action": "reinstate" }
  ]
}"#;

const ID: &str = "planta-plan-2026";

/// The plan case, unpublished and granted to a counterpart and a respondent, both signed in.
async fn granted(app: &TestApp) -> (Browser<'_>, Browser<'_>) {
    let now = noon(TODAY.parse().unwrap());
    app.rrm.workspace.set_published(ID, false).unwrap();
    let mut browsers = Vec::new();
    for (email, role) in [
        ("stps@example.gob.mx", Role::Counterpart(Government::Mexico)),
        ("rh@example.com", Role::Respondent),
    ] {
        let user = add_account(app, email, role);
        app.rrm
            .set_grant(Actor::Operator, ID, &user, true, now)
            .unwrap();
        let mut b = Browser::new(app);
        b.sign_in(email).await;
        browsers.push(b);
    }
    let respondent = browsers.pop().unwrap();
    (browsers.pop().unwrap(), respondent)
}

fn answer_form(csrf: &str, item: &str, name: &str, bytes: &[u8]) -> multipart::Form {
    multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("action", item.to_string())
        .part("document", file(name, bytes, "application/pdf"))
}

#[tokio::test]
async fn partners_land_on_their_portal_and_the_workspace_refuses_them() {
    let app = TestApp::builder()
        .with_case("plan.json", PLAN)
        .spawn()
        .await;
    let (mut stps, _) = granted(&app).await;
    // A second sign-in asks the code and goes straight to the portal.
    let mut again = Browser::new(&app);
    again.sign_in("stps@example.gob.mx").await;
    let portal = stps.get("/shared").await;
    assert_eq!(portal.status, 200);
    assert!(portal
        .body
        .contains(&format!("href=\"/shared/cases/{ID}\"")));
    assert!(portal.body.contains("Planta con plan"));
    assert!(
        portal.body.contains("action=\"/staff/logout\""),
        "a sign-out form"
    );
    let workspace = stps.get("/staff").await;
    assert_eq!(workspace.status, 403);
    assert!(workspace.body.contains("policy.staff"));
    let case = stps.get(&format!("/shared/cases/{ID}")).await;
    assert_eq!(case.status, 200, "granted, so shown though unpublished");
    assert!(case.body.contains("Reinstate the dismissed workers"));
    assert!(
        !case.body.contains("/answers"),
        "no answer form for a counterpart"
    );
    assert_eq!(app.get(&format!("/cases/{ID}")).await.status(), 404);
    assert_eq!(
        stps.get("/shared/cases/gm-silao-2021").await.status,
        404,
        "a published case that is not granted is no case here"
    );
    let csrf = portal.csrf();
    let out = stps.post_form("/staff/logout", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location()), (303, "/staff/login"));
    assert_eq!(stps.get("/shared").await.status, 303);
}

#[tokio::test]
async fn a_respondent_answers_an_item_that_staff_then_see_and_a_counterpart_cannot() {
    let app = TestApp::builder()
        .with_case("plan.json", PLAN)
        .spawn()
        .await;
    let (mut stps, mut rh) = granted(&app).await;
    let page = rh.get(&format!("/shared/cases/{ID}")).await;
    assert!(page.body.contains("name=\"action\" value=\"reinstate\""));
    assert!(page.body.contains("name=\"action\" value=\"vote\""));
    let path = format!("/shared/cases/{ID}/answers");
    let csrf = page.csrf();
    let r = rh
        .post_multipart(&path, answer_form(&csrf, "vote", "acta-votacion.pdf", PDF))
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, &*format!("/shared/cases/{ID}?done=answer#items"))
    );
    let page = rh.get(&format!("/shared/cases/{ID}?done=answer")).await;
    assert!(page.body.contains("Your evidence was uploaded."));
    assert!(page.body.contains("acta-votacion.pdf"), "{}", page.body);
    let docs = app.rrm.workspace.documents(ID).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].action_item.as_deref(), Some("vote"));

    // Bad answers are refused on the page, naming what is wrong, and store nothing.
    let r = rh
        .post_multipart(&path, answer_form(&csrf, "no-such-item", "a.pdf", PDF))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("no remediation action"), "{}", r.body);
    let r = rh
        .post_multipart(&path, answer_form(&csrf, "vote", "a.exe", EXE))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(app.rrm.workspace.documents(ID).unwrap().len(), 1);

    // The counterpart is refused, naming the rule, before the body is read.
    let csrf = stps.get("/shared").await.csrf();
    let r = stps
        .post_multipart(&path, answer_form(&csrf, "vote", "b.pdf", PDF))
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("access.grant"), "{}", r.body);
    assert_eq!(app.rrm.workspace.documents(ID).unwrap().len(), 1);
    let counterpart_view = stps.get(&format!("/shared/cases/{ID}")).await;
    assert!(
        !counterpart_view.body.contains("acta-votacion.pdf"),
        "the respondent's answer is shared back with the respondent only"
    );

    // Staff see the answer beside the item and can open it.
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    let workspace = ana.get(&format!("/staff/cases/{ID}")).await;
    let answers = &workspace.body[workspace.body.find("id=\"answers\"").unwrap()..];
    let vote = &answers[answers.find("<code>vote</code>").unwrap()..];
    let vote = &vote[..vote.find("</li></ul></li>").unwrap()];
    assert!(vote.contains("acta-votacion.pdf"), "{vote}");
    let href = &vote[vote.find("href=\"").unwrap() + 6..];
    let href = &href[..href.find('"').unwrap()];
    let download = ana.get(href).await;
    assert_eq!(
        (download.status, download.body.as_str()),
        (200, std::str::from_utf8(PDF).unwrap())
    );
}

#[tokio::test]
async fn the_portal_shows_only_what_is_shared_and_nothing_of_the_petition() {
    const CANARIES: [&str; 4] = [
        "CANARY-NARRATIVE-44a0",
        "CANARY-CONTACT-77b1@example.org",
        "CANARY-ORG-19c2",
        "CANARY-FILE-d3e3",
    ];
    let app = TestApp::spawn().await;
    let mut petitioner = Browser::new(&app);
    let csrf = petitioner.get("/petitions/new").await.csrf();
    let form = petition_fields(&csrf, CANARIES[0], CANARIES[2], CANARIES[1]).part(
        "evidence",
        file("CANARY-FILE-d3e3.pdf", PDF, "application/pdf"),
    );
    assert_eq!(
        petitioner
            .post_multipart("/petitions/new", form)
            .await
            .status,
        200
    );
    let id = app.rrm.workspace.unpublished().unwrap().remove(0);
    let now = noon(TODAY.parse().unwrap());
    let ana = crate::browser::add_user(&app, "ana@example.org", Role::Analyst);
    let add = |name: &str, bytes: &[u8], sharing: Sharing| {
        let upload = Upload {
            file_name: Confidential::new(name.into()),
            declared_type: "application/pdf".into(),
            bytes: bytes.to_vec(),
        };
        let options = DocumentOptions {
            sharing,
            ..DocumentOptions::default()
        };
        app.rrm
            .add_document(&ana, &id, upload, options, now)
            .unwrap()
    };
    let shared = add(
        "carta-a-la-empresa.pdf",
        b"%PDF-1.4 carta",
        Sharing {
            counterparts: false,
            respondent: true,
        },
    );
    let internal = add(
        "CANARY-INTERNAL-55f4.pdf",
        b"%PDF-1.4 interno",
        Sharing::default(),
    );
    let rh = add_account(&app, "rh@example.com", Role::Respondent);
    app.rrm
        .set_grant(Actor::Operator, &id, &rh, true, now)
        .unwrap();
    let mut b = Browser::new(&app);
    b.sign_in("rh@example.com").await;

    let portal = b.get("/shared").await.body;
    let page = b.get(&format!("/shared/cases/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("carta-a-la-empresa.pdf"));
    for body in [&portal, &page.body] {
        for canary in CANARIES.iter().chain(&["CANARY-INTERNAL-55f4"]) {
            assert!(!body.contains(canary), "the portal shows {canary}");
        }
    }
    let hex = |h: &[u8]| h.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let files = format!("/shared/cases/{id}/files");
    let ok = b.get(&format!("{files}/{}", hex(&shared.sha256))).await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "%PDF-1.4 carta"));
    assert_eq!(
        b.get(&format!("{files}/{}", hex(&internal.sha256)))
            .await
            .status,
        404
    );
    let evidence = app
        .rrm
        .workspace
        .evidence(&rrm_store::EvidenceOwner::Submission(
            app.rrm
                .workspace
                .submission_for_case(&id)
                .unwrap()
                .unwrap()
                .receipt,
        ))
        .unwrap();
    let r = b
        .get(&format!("{files}/{}", hex(&evidence[0].sha256)))
        .await;
    assert_eq!(r.status, 404, "the petition's evidence is never shared");
    assert!(!r.body.contains("CANARY"));
}
