//! The admin pages: accounts (role, teams, disabling) and teams (creating, intake, members).
//! Every change is made through the application, audited, and refused on the page with the
//! rule or the field that refuses it; an admin cannot lock themselves out; other roles are
//! refused the pages.

use rrm_store::{Government, Role};

use crate::browser::{add_account, add_user, staff, Browser};
use crate::support::TestApp;

const ACCOUNTS: &str = "/staff/admin/accounts";
const TEAMS: &str = "/staff/admin/teams";

#[tokio::test]
async fn an_admin_creates_teams_and_puts_accounts_on_them() {
    let app = TestApp::spawn().await;
    let mut adm = staff(&app, "adm@example.org", Role::Admin).await;
    add_account(&app, "bo@example.org", Role::Analyst);
    add_account(&app, "rh@example.com", Role::Respondent);
    let page = adm.get(TEAMS).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("intake") && page.body.contains("adm@example.org"));
    let csrf = page.csrf();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("csrf", csrf.clone())];
        all.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        all
    };
    let r = adm
        .post_form_owned(TEAMS, &post(vec![("op", "create"), ("name", "autos")]))
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, "/staff/admin/teams?done=create")
    );
    let team = app.rrm.team("autos").unwrap();
    assert!(!team.intake);
    let r = adm
        .post_form_owned(
            TEAMS,
            &post(vec![("op", "create"), ("name", "norte"), ("intake", "on")]),
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(app.rrm.team("norte").unwrap().intake);

    for (name, status, says) in [
        ("autos", 409, "a team named `autos` exists"),
        ("Autos Bajío", 422, "is not a team name"),
    ] {
        let r = adm
            .post_form_owned(TEAMS, &post(vec![("op", "create"), ("name", name)]))
            .await;
        assert_eq!(r.status, status, "{name}");
        assert!(r.body.contains(says), "{name}: {}", r.body);
    }

    let join = post(vec![
        ("op", "join"),
        ("team", "autos"),
        ("email", "bo@example.org"),
    ]);
    assert_eq!(adm.post_form_owned(TEAMS, &join).await.status, 303);
    let page = adm.get(TEAMS).await;
    let autos = &page.body[page.body.find(">autos<").unwrap()..];
    assert!(autos[..autos.find("</section>").unwrap()].contains("bo@example.org"));
    let outside = post(vec![
        ("op", "join"),
        ("team", "autos"),
        ("email", "rh@example.com"),
    ]);
    let r = adm.post_form_owned(TEAMS, &outside).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("access.team"), "{}", r.body);
    let leave = post(vec![
        ("op", "leave"),
        ("team", "autos"),
        ("email", "bo@example.org"),
    ]);
    assert_eq!(adm.post_form_owned(TEAMS, &leave).await.status, 303);
    let bo = app.rrm.account("bo@example.org").unwrap();
    assert!(app.rrm.access.teams_of(bo.id).unwrap().is_empty());
}

#[tokio::test]
async fn an_admin_changes_roles_and_disables_accounts_but_not_their_own() {
    let app = TestApp::spawn().await;
    let mut adm = staff(&app, "adm@example.org", Role::Admin).await;
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    add_account(
        &app,
        "stps@example.gob.mx",
        Role::Counterpart(Government::Mexico),
    );
    let page = adm.get(ACCOUNTS).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("rrm user add"),
        "accounts are made at the command line"
    );
    for shown in [
        "ana@example.org",
        "stps@example.gob.mx",
        "counterpart (Mexico)",
        "intake",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let csrf = page.csrf();
    let change =
        |op: &'static str, email: &'static str, extra: Option<(&'static str, &'static str)>| {
            let mut all = vec![
                ("csrf", csrf.clone()),
                ("op", op.to_string()),
                ("email", email.to_string()),
            ];
            all.extend(extra.map(|(k, v)| (k, v.to_string())));
            all
        };
    let r = adm
        .post_form_owned(
            ACCOUNTS,
            &change("role", "ana@example.org", Some(("role", "supervisor"))),
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, "/staff/admin/accounts?done=role")
    );
    assert_eq!(
        app.rrm.account("ana@example.org").unwrap().role,
        Role::Supervisor
    );
    let r = adm
        .post_form_owned(
            ACCOUNTS,
            &change("role", "ana@example.org", Some(("role", "owner"))),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("`owner` is not a role"));

    let r = adm
        .post_form_owned(ACCOUNTS, &change("disable", "ana@example.org", None))
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        ana.get("/staff").await.status,
        303,
        "the session ended at once"
    );
    let mut again = Browser::new(&app);
    let step = again
        .password_step("ana@example.org", crate::browser::PASSWORD)
        .await;
    assert_ne!(step.status, 303, "a disabled account cannot sign in");
    let page = adm.get(ACCOUNTS).await;
    assert!(page.body.contains("value=\"enable\""));
    let r = adm
        .post_form_owned(ACCOUNTS, &change("enable", "ana@example.org", None))
        .await;
    assert_eq!(r.status, 303);
    assert!(app
        .rrm
        .account("ana@example.org")
        .unwrap()
        .disabled
        .is_none());

    for own in [
        change("disable", "adm@example.org", None),
        change("role", "adm@example.org", Some(("role", "analyst"))),
    ] {
        let r = adm.post_form_owned(ACCOUNTS, &own).await;
        assert_eq!(r.status, 403);
        assert!(r.body.contains("access.admin"), "{}", r.body);
    }
    let me = app.rrm.account("adm@example.org").unwrap();
    assert_eq!((me.role, me.disabled), (Role::Admin, None));

    let trail = app.rrm.recent_audit(&me, 100).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.entry.action.as_str()).collect();
    for a in ["role_changed", "account_disabled", "account_enabled"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn the_admin_pages_refuse_other_roles_naming_the_rule() {
    let app = TestApp::spawn().await;
    add_user(&app, "sup@example.org", Role::Supervisor);
    let mut sup = Browser::new(&app);
    sup.sign_in("sup@example.org").await;
    let dashboard = sup.get("/staff").await;
    assert!(
        !dashboard.body.contains(ACCOUNTS),
        "no admin links for a supervisor"
    );
    for path in [ACCOUNTS, TEAMS] {
        let r = sup.get(path).await;
        assert_eq!(r.status, 403);
        assert!(r.body.contains("policy.admin"));
    }
}
