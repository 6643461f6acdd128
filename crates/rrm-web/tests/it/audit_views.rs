//! The audit views: a case's trail for its supervisors, the whole log for admins, each listing
//! the views and downloads that happened with the account that made them, and saying whether
//! the hash chain verifies — and saying where it is broken once a row is edited behind the
//! store's back. Analysts see neither, and the refusal names the rule.

use rrm_app::Actor;
use rrm_store::Role;

use crate::browser::{add_account, add_user, file, petition_fields, staff, Browser, PDF};
use crate::support::{noon, TestApp, TODAY};

/// Files a petition with one evidence file; its case id and the evidence's download path.
async fn petition(app: &TestApp) -> (String, String) {
    let mut petitioner = Browser::new(app);
    let csrf = petitioner.get("/petitions/new").await.csrf();
    let form = petition_fields(&csrf, "n", "o", "c@example.org")
        .part("evidence", file("acta.pdf", PDF, "application/pdf"));
    assert_eq!(
        petitioner
            .post_multipart("/petitions/new", form)
            .await
            .status,
        200
    );
    let id = app.rrm.workspace.unpublished().unwrap().remove(0);
    let receipt = app
        .rrm
        .workspace
        .submission_for_case(&id)
        .unwrap()
        .unwrap()
        .receipt;
    let owner = rrm_store::EvidenceOwner::Submission(receipt);
    let sha = app.rrm.workspace.evidence(&owner).unwrap()[0].sha256;
    let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
    let href = format!("/staff/cases/{id}/files/{hex}");
    (id, href)
}

fn rows(body: &str) -> Vec<&str> {
    body.split("<tr><td>").skip(1).collect()
}

#[tokio::test]
async fn the_audit_pages_list_views_and_downloads_and_analysts_cannot_see_them() {
    let app = TestApp::spawn().await;
    let (id, evidence) = petition(&app).await;
    add_user(&app, "sup@example.org", Role::Supervisor);
    let mut sup = Browser::new(&app);
    sup.sign_in("sup@example.org").await;
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    assert_eq!(ana.get(&format!("/staff/cases/{id}")).await.status, 200);
    assert_eq!(ana.get(&evidence).await.status, 200);

    let trail = sup.get(&format!("/staff/cases/{id}/audit")).await;
    assert_eq!(trail.status, 200, "{}", trail.body);
    assert!(
        trail.body.contains("The log&#39;s hash chain verifies"),
        "{}",
        trail.body
    );
    let lines = rows(&trail.body);
    let find = |what: &str| {
        lines
            .iter()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what} in {lines:#?}"))
    };
    let downloaded = find("file downloaded");
    assert!(
        downloaded.contains("Test Staff &lt;ana@example.org&gt;"),
        "{downloaded}"
    );
    assert!(
        downloaded.contains("classification: confidential"),
        "{downloaded}"
    );
    assert!(find("confidential content viewed").contains("ana@example.org"));
    assert!(find("file received").contains("petitioner:"));
    // Newest first: the download came after the view.
    let at = |what: &str| trail.body.find(what).unwrap();
    assert!(at("file downloaded") < at("confidential content viewed"));
    let es = sup.get(&format!("/staff/cases/{id}/audit?lang=es")).await;
    assert!(es.body.contains("archivo descargado"));

    let mut adm = staff(&app, "adm@example.org", Role::Admin).await;
    let log = adm.get("/staff/audit").await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("file downloaded") && log.body.contains(&id));
    assert!(
        log.body.contains("team member added"),
        "the whole log, not one case"
    );

    for (path, rule) in [
        (format!("/staff/cases/{id}/audit"), "access.supervisor"),
        ("/staff/audit".to_string(), "policy.admin"),
    ] {
        let refused = ana.get(&path).await;
        assert_eq!(refused.status, 403, "{path}");
        assert!(refused.body.contains(rule), "{path}: {}", refused.body);
    }
    let workspace = ana.get(&format!("/staff/cases/{id}")).await;
    assert!(
        !workspace.body.contains("/audit\""),
        "no audit link for an analyst"
    );
}

#[tokio::test]
async fn the_whole_log_pages_newest_first_and_a_tampered_entry_is_reported() {
    let app = TestApp::spawn().await;
    let now = noon(TODAY.parse().unwrap());
    for n in 0..120 {
        app.rrm
            .add_team(Actor::Operator, &format!("team-{n:03}"), false, now)
            .unwrap();
    }
    add_account(&app, "adm@example.org", Role::Admin);
    let mut adm = Browser::new(&app);
    adm.sign_in("adm@example.org").await;
    let first = adm.get("/staff/audit").await;
    assert!(first.body.contains("Page 1 of 2"), "{}", first.body);
    assert!(first.body.contains("team:team-119") && !first.body.contains("team:team-000"));
    assert!(first.body.contains("href=\"?page=2\""));
    let second = adm.get("/staff/audit?page=2").await;
    assert!(second.body.contains("team:team-000"));
    assert!(second.body.contains("href=\"?page=1\""));

    app.database
        .sql("update audit_log set subject = 'team:forged' where subject = 'team:team-005'");
    let broken = adm.get("/staff/audit").await;
    assert!(
        broken
            .body
            .contains("The log&#39;s hash chain is broken at entry"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("does not match its hash"));
}
