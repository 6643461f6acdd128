//! The case access page: supervisors and admins assign a case to teams and grant it to
//! counterparts and respondents; the analysts of a team the case leaves lose it, a grant puts
//! the case in the grantee's portal and a revoke takes it out; an analyst is refused, and the
//! refusal names the rule.

use rrm_app::Actor;
use rrm_store::{Government, Role};

use crate::browser::{add_account, add_user, staff, Browser};
use crate::support::{noon, TestApp, TODAY};

const CASE: &str = "gm-silao-2021";
const ACCESS: &str = "/staff/cases/gm-silao-2021/access";

/// A second team, `autos`, with an analyst of its own.
fn autos(app: &TestApp) -> rrm_store::User {
    let now = noon(TODAY.parse().unwrap());
    app.rrm
        .add_team(Actor::Operator, "autos", false, now)
        .unwrap();
    let bo = add_account(app, "bo@example.org", Role::Analyst);
    app.rrm
        .set_team_member(Actor::Operator, "autos", &bo, true, now)
        .unwrap();
    bo
}

fn team_names(app: &TestApp) -> Vec<String> {
    app.rrm
        .access
        .case_teams(CASE)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect()
}

#[tokio::test]
async fn a_supervisor_assigns_a_case_to_another_team_and_the_intake_analyst_loses_it() {
    let app = TestApp::spawn().await;
    let sup = add_user(&app, "sup@example.org", Role::Supervisor);
    autos(&app);
    let now = noon(TODAY.parse().unwrap());
    app.rrm
        .set_team_member(Actor::Operator, "autos", &sup, true, now)
        .unwrap();
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    let mut bo = Browser::new(&app);
    bo.sign_in("bo@example.org").await;
    let mut s = Browser::new(&app);
    s.sign_in("sup@example.org").await;
    assert_eq!(ana.get(&format!("/staff/cases/{CASE}")).await.status, 200);
    assert_eq!(bo.get(&format!("/staff/cases/{CASE}")).await.status, 404);

    let workspace = s.get(&format!("/staff/cases/{CASE}")).await;
    assert!(workspace.body.contains(&format!("href=\"{ACCESS}\"")));
    let page = s.get(ACCESS).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("the intake teams reach this case: intake"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let r = s
        .post_form(
            ACCESS,
            &[("csrf", &csrf), ("op", "assign"), ("team", "autos")],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, &*format!("{ACCESS}?done=assign"))
    );
    assert_eq!(team_names(&app), ["autos"]);
    let page = s.get(&format!("{ACCESS}?done=assign")).await;
    assert!(page.body.contains("The case is assigned to the team."));
    assert!(page.body.contains("<strong>autos</strong>"));

    assert_eq!(
        ana.get(&format!("/staff/cases/{CASE}")).await.status,
        404,
        "intake no longer reaches the case: answered as no such case"
    );
    assert!(!ana
        .get("/staff")
        .await
        .body
        .contains(&format!("/staff/cases/{CASE}\"")));
    assert_eq!(bo.get(&format!("/staff/cases/{CASE}")).await.status, 200);

    // Unassigning the last team returns the case to intake.
    let r = s
        .post_form(
            ACCESS,
            &[("csrf", &csrf), ("op", "unassign"), ("team", "autos")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(team_names(&app).is_empty());
    assert_eq!(ana.get(&format!("/staff/cases/{CASE}")).await.status, 200);
    assert_eq!(bo.get(&format!("/staff/cases/{CASE}")).await.status, 404);

    let trail = app.rrm.case_audit(&sup, CASE).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.entry.action.as_str()).collect();
    assert!(
        actions.contains(&"case_assigned") && actions.contains(&"case_unassigned"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_supervisor_who_hands_the_case_to_another_team_goes_back_to_the_dashboard() {
    let app = TestApp::spawn().await;
    autos(&app);
    let mut s = staff(&app, "sup@example.org", Role::Supervisor).await;
    let csrf = s.get(ACCESS).await.csrf();
    let r = s
        .post_form(
            ACCESS,
            &[("csrf", &csrf), ("op", "assign"), ("team", "autos")],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, "/staff"));
    assert_eq!(s.get(ACCESS).await.status, 404, "no longer theirs");
}

#[tokio::test]
async fn an_analyst_is_refused_the_access_page_and_the_refusal_names_the_rule() {
    let app = TestApp::spawn().await;
    autos(&app);
    let mut ana = staff(&app, "ana@example.org", Role::Analyst).await;
    let workspace = ana.get(&format!("/staff/cases/{CASE}")).await;
    assert!(!workspace.body.contains(ACCESS), "no link for an analyst");
    let page = ana.get(ACCESS).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("access.supervisor"), "{}", page.body);
    let csrf = ana.staff_csrf().await;
    let r = ana
        .post_form(
            ACCESS,
            &[("csrf", &csrf), ("op", "assign"), ("team", "autos")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("access.supervisor"), "{}", r.body);
    assert!(team_names(&app).is_empty(), "nothing changed");
}

#[tokio::test]
async fn a_grant_puts_the_case_in_the_counterparts_portal_and_a_revoke_takes_it_out() {
    let app = TestApp::spawn().await;
    add_account(
        &app,
        "stps@example.gob.mx",
        Role::Counterpart(Government::Mexico),
    );
    let mut s = staff(&app, "sup@example.org", Role::Supervisor).await;
    let mut stps = Browser::new(&app);
    stps.sign_in("stps@example.gob.mx").await;
    let shared = format!("/shared/cases/{CASE}");
    assert!(!stps.get("/shared").await.body.contains(&shared));
    assert_eq!(stps.get(&shared).await.status, 404);

    let csrf = s.get(ACCESS).await.csrf();
    let grant = |op: &'static str, email: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("op", op.into()),
            ("email", email.into()),
        ]
    };
    let r = s
        .post_form_owned(ACCESS, &grant("grant", "STPS@example.gob.mx"))
        .await;
    assert_eq!(
        (r.status, r.location()),
        (303, &*format!("{ACCESS}?done=grant"))
    );
    let page = s.get(ACCESS).await;
    assert!(
        page.body.contains("&lt;stps@example.gob.mx&gt;"),
        "{}",
        page.body
    );
    let portal = stps.get("/shared").await;
    assert!(
        portal.body.contains(&format!("href=\"{shared}\"")),
        "{}",
        portal.body
    );
    let case = stps.get(&shared).await;
    assert_eq!(case.status, 200);
    assert!(
        case.body.contains("General Motors"),
        "the case's public record"
    );

    // A staff account reaches cases through teams, and an unknown email is no account: both
    // are refused on the page, naming what is wrong.
    let r = s
        .post_form_owned(ACCESS, &grant("grant", "sup@example.org"))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("access.grant"), "{}", r.body);
    let r = s
        .post_form_owned(ACCESS, &grant("grant", "nobody@example.org"))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("no account"), "{}", r.body);

    let r = s
        .post_form_owned(ACCESS, &grant("revoke", "stps@example.gob.mx"))
        .await;
    assert_eq!(r.status, 303);
    assert!(!stps.get("/shared").await.body.contains(&shared));
    assert_eq!(stps.get(&shared).await.status, 404);
}
