//! The authorization matrix, generated from the router: every route the router serves, with
//! every method it answers, must have a rule in `rrm_web::policy::RULES`; then every route is
//! asked by every kind of account, and each answer must be the one this file expects.
//!
//! The expectations below are written independently of the policy table: they are the
//! access rules as `docs/security.md` states them, so a wrong rule in the table (or a handler
//! that forgets a per-case check) fails here.

use std::collections::BTreeMap;

use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use reqwest::Method;
use rrm_app::{Actor, Upload};
use rrm_store::{Confidential, Government, Role, TokenScope, User};
use rrm_web::policy::{rule_for, Rule, RULES};

use crate::browser::{add_account, add_user, Browser};
use crate::support::{noon, TestApp, TODAY};

/// The kinds of account the matrix asks as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    /// An analyst on the intake team, which reaches the petition's case.
    Analyst,
    /// An analyst on another team, which does not.
    Outsider,
    Supervisor,
    /// An admin on no team.
    Admin,
    Counterpart,
    Respondent,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Analyst,
    Who::Outsider,
    Who::Supervisor,
    Who::Admin,
    Who::Counterpart,
    Who::Respondent,
];

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// Whether `who` may use `method route`, as the access rules say.
fn expected(who: Who, method: &Method, route: &str) -> bool {
    use Who::*;
    let staff = [Analyst, Outsider, Supervisor, Admin].contains(&who);
    let on_case_team = [Analyst, Supervisor].contains(&who);
    match route {
        // Who reaches a case is managed by supervisors on its team and by admins on any case.
        "/staff/cases/{id}/access" => return [Supervisor, Admin].contains(&who),
        // A case's trail is for supervisors and admins on its team (this admin is on none).
        "/staff/cases/{id}/audit" => return who == Supervisor,
        "/staff/audit" | "/staff/admin/accounts" | "/staff/admin/teams" => return who == Admin,
        // Only the company respondent answers remediation items.
        "/shared/cases/{id}/answers" => return who == Respondent,
        // The partner portal: counterparts and respondents, on cases granted to them.
        _ if route.starts_with("/shared") => return [Counterpart, Respondent].contains(&who),
        _ => {}
    }
    let rule = rule_for(method, route).expect("checked before");
    let per_case = matches!(rule, Rule::StaffOnCase | Rule::ApiTokenOnCase);
    match rule {
        Rule::Public => true,
        Rule::SignedIn => who != Anonymous,
        // Reached with a pending sign-in, which no kind of account holds here.
        Rule::PendingSignIn => false,
        Rule::Admin => who == Admin,
        Rule::External => [Counterpart, Respondent].contains(&who),
        Rule::Staff | Rule::ApiToken | Rule::CalendarToken if !per_case => staff,
        _ if route.ends_with("/publication") => who == Supervisor,
        _ => on_case_team,
    }
}

struct Fixture {
    case: String,
    document: i64,
    /// A published document of a published case, for the public document route.
    public_document: i64,
    /// A restricted document shared with the counterparts and the respondent.
    shared: String,
    receipt: String,
    secret: String,
    evidence: String,
    chart: String,
    asset: String,
    accounts: BTreeMap<Who, User>,
}

async fn fixture(app: &TestApp) -> Fixture {
    let now = noon(TODAY.parse().unwrap());
    let upload = Upload {
        file_name: Confidential::new("acta.pdf".into()),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 acta".to_vec(),
    };
    let receipt = app
        .rrm
        .file_petition(&valid_petition(), vec![upload], TODAY.parse().unwrap(), now)
        .unwrap();
    let mut accounts = BTreeMap::new();
    accounts.insert(
        Who::Analyst,
        add_user(app, "ana@example.org", Role::Analyst),
    );
    accounts.insert(
        Who::Supervisor,
        add_user(app, "sup@example.org", Role::Supervisor),
    );
    accounts.insert(Who::Admin, add_account(app, "adm@example.org", Role::Admin));
    let outsider = add_account(app, "out@example.org", Role::Analyst);
    app.rrm
        .add_team(Actor::Operator, "autos", false, now)
        .unwrap();
    app.rrm
        .set_team_member(Actor::Operator, "autos", &outsider, true, now)
        .unwrap();
    accounts.insert(Who::Outsider, outsider);
    for (who, email, role) in [
        (
            Who::Counterpart,
            "stps@example.gob.mx",
            Role::Counterpart(Government::Mexico),
        ),
        (Who::Respondent, "rh@example.com", Role::Respondent),
    ] {
        let user = add_account(app, email, role);
        app.rrm
            .set_grant(Actor::Operator, &receipt.case_id, &user, true, now)
            .unwrap();
        accounts.insert(who, user);
    }
    let evidence = app
        .rrm
        .workspace
        .evidence(&rrm_store::EvidenceOwner::Submission(
            receipt.receipt.clone(),
        ))
        .unwrap();
    let copy = Upload {
        file_name: Confidential::new("acta testada.pdf".into()),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 testada".to_vec(),
    };
    let options = rrm_app::DocumentOptions {
        classification: Some(rrm_store::Classification::Public),
        ..rrm_app::DocumentOptions::default()
    };
    let analyst = &accounts[&Who::Analyst];
    let document = app
        .rrm
        .add_document(
            analyst,
            &receipt.case_id,
            copy.clone(),
            options.clone(),
            now,
        )
        .unwrap();
    let published = app
        .rrm
        .add_document(analyst, "gm-silao-2021", copy, options, now)
        .unwrap();
    app.rrm
        .set_document_published(
            &accounts[&Who::Supervisor],
            "gm-silao-2021",
            published.id,
            true,
            now,
        )
        .unwrap();
    let letter = Upload {
        file_name: Confidential::new("carta.pdf".into()),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 carta".to_vec(),
    };
    let sharing = rrm_app::DocumentOptions {
        sharing: rrm_store::Sharing {
            counterparts: true,
            respondent: true,
        },
        ..rrm_app::DocumentOptions::default()
    };
    let shared = app
        .rrm
        .add_document(
            &accounts[&Who::Analyst],
            &receipt.case_id,
            letter,
            sharing,
            now,
        )
        .unwrap();
    let home = app.text("/").await;
    let stats = app.text("/statistics").await;
    Fixture {
        case: receipt.case_id,
        document: document.id.0,
        public_document: published.id.0,
        shared: hex(&shared.sha256),
        secret: receipt.secret.expose().clone(),
        receipt: receipt.receipt,
        evidence: hex(&evidence[0].sha256),
        chart: between(&stats, "/statistics/", "\""),
        asset: between(&home, "/assets/", "\""),
        accounts,
    }
}

fn valid_petition() -> rrm_app::PetitionInput {
    rrm_app::PetitionInput {
        office: "us_ilc".into(),
        facility: "Planta de Prueba Norte".into(),
        state: "Coahuila".into(),
        allegations: vec!["protection_contract".into()],
        narrative: "Despidieron al delegado sindical.".into(),
        organization: "Colectivo".into(),
        contact: "colectivo@example.org".into(),
        consent: true,
        ..rrm_app::PetitionInput::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).expect(start) + start.len();
    text[from..][..text[from..].find(end).unwrap()].to_string()
}

/// A route template with real values: a published case on public routes, the unpublished
/// petition's case on staff routes.
fn concrete(route: &str, f: &Fixture) -> String {
    let portal = route.starts_with("/shared/");
    let case = match route.starts_with("/staff/") || portal || route.ends_with("/events") {
        true => f.case.as_str(),
        false => "gm-silao-2021",
    };
    let sha = match portal {
        true => f.shared.as_str(),
        false => f.evidence.as_str(),
    };
    let file = match route.starts_with("/assets/") {
        true => f.asset.as_str(),
        false => f.chart.as_str(),
    };
    route
        .replace("{id}", case)
        .replace("{sha256}", sha)
        .replace(
            "{document}",
            &match route.starts_with("/cases/") {
                true => f.public_document,
                false => f.document,
            }
            .to_string(),
        )
        .replace("{file}", file)
}

/// What one account brings to a request: its session cookie and the session's CSRF token,
/// from a real sign-in (password, then the authenticator), and an API token.
struct Credentials {
    session: String,
    csrf: String,
    api: String,
}

/// Signs `user` in through the forms and reads what its browser holds.
async fn sign_in(app: &TestApp, user: &User) -> Credentials {
    let mut b = Browser::new(app);
    b.sign_in(&user.email).await;
    let session = b
        .cookies
        .get("rrm_session")
        .expect("a session cookie")
        .clone();
    let live = app.rrm.session(&session, app.now()).unwrap().expect("live");
    let (_, api) = app
        .rrm
        .add_token(&user.email, "matrix", TokenScope::Api, app.now())
        .unwrap();
    Credentials {
        session,
        csrf: live.csrf_token.expose().clone(),
        api: api.expose().clone(),
    }
}

/// One request as `who`, with that account's credentials (a fresh sign-in for signing out,
/// which ends the session; none for signing in, which starts one); every request also
/// carries a double-submit CSRF pair for the public forms. The answer: status, `Location`,
/// and whether the session cookie was cleared.
async fn ask(
    app: &TestApp,
    f: &Fixture,
    signed_in: &BTreeMap<Who, Credentials>,
    who: Who,
    method: &Method,
    route: &str,
) -> Answer {
    let mut url = app.url(&concrete(route, f));
    let double_submit = "a".repeat(52);
    let mut cookies = vec![format!("rrm_csrf={double_submit}")];
    let (mut csrf, mut bearer) = (double_submit.clone(), None);
    let fresh;
    let account = match (f.accounts.get(&who), route) {
        (_, "/staff/login") | (None, _) => None,
        (Some(user), "/staff/logout") => {
            fresh = sign_in(app, user).await;
            Some((user, &fresh))
        }
        (Some(user), _) => Some((user, &signed_in[&who])),
    };
    if let Some((user, c)) = account {
        cookies.push(format!("rrm_session={}", c.session));
        if rule_for(method, route) != Some(Rule::Public) {
            csrf = c.csrf.clone();
        }
        if route.ends_with("calendar.ics") {
            let token = app.rrm.new_calendar_token(user, app.now()).unwrap();
            url = format!("{url}?token={}", token.expose());
        }
        bearer = Some(format!("Bearer {}", c.api));
    }
    let mut request = app
        .client
        .request(method.clone(), &url)
        .header(COOKIE, cookies.join("; "));
    if let Some(bearer) = bearer {
        request = request.header(AUTHORIZATION, bearer);
    }
    if route.starts_with("/api/") && method == Method::POST {
        request = request
            .header("content-type", "application/json")
            .body("{}");
    } else if method == Method::POST {
        let mut form = vec![("csrf", csrf)];
        match route {
            "/staff/login" => form.extend([
                ("email", "ana@example.org".to_string()),
                ("password", crate::browser::PASSWORD.to_string()),
            ]),
            "/petitions/status" => {
                form.extend([("receipt", f.receipt.clone()), ("secret", f.secret.clone())])
            }
            _ => {}
        }
        request = request.form(&form);
    }
    let response = request.send().await.unwrap();
    let header = |name| {
        let values = response.headers().get_all(name).iter();
        values
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    Answer {
        status: response.status().as_u16(),
        location: header(LOCATION),
        signed_out: header(SET_COOKIE).contains("rrm_session=;"),
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    location: String,
    signed_out: bool,
}

/// How an answer reads: refused for lack of access, or let through to the handler. Signing
/// out succeeds by clearing the cookie (its refusal also redirects to the sign-in page).
fn allowed(route: &str, a: &Answer) -> bool {
    if route == "/staff/logout" {
        return a.signed_out;
    }
    let to_sign_in = (300..400).contains(&a.status) && a.location == "/staff/login";
    !(to_sign_in || [401, 403, 404].contains(&a.status))
}

#[tokio::test]
async fn every_route_has_a_rule_and_answers_every_role_as_the_rules_say() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let mut signed_in = BTreeMap::new();
    for (who, user) in &f.accounts {
        signed_in.insert(*who, sign_in(&app, user).await);
    }
    let mut served = Vec::new();
    let mut unruled = Vec::new();
    for route in rrm_web::route_paths() {
        for method in METHODS {
            let status = ask(&app, &f, &signed_in, Who::Anonymous, &method, &route)
                .await
                .status;
            if status == 405 {
                continue;
            }
            match rule_for(&method, &route) {
                Some(_) => served.push((method, route.clone())),
                None => unruled.push(format!("{method} {route} (answered {status})")),
            }
        }
    }
    assert!(
        unruled.is_empty(),
        "routes without a rule in policy::RULES: {unruled:#?}"
    );
    for (method, route, _) in RULES {
        let found = served.iter().any(|(m, r)| m == method && r == route);
        assert!(
            found,
            "policy::RULES names {method} {route}, which the router does not serve"
        );
    }
    let mut wrong = Vec::new();
    let mut matrix = String::new();
    for (method, route) in &served {
        matrix.push_str(&format!("\n{method:6} {route:40}"));
        for who in EVERYONE {
            let answer = ask(&app, &f, &signed_in, who, method, route).await;
            assert!(answer.status < 500, "{who:?} {method} {route}: {answer:?}");
            matrix.push_str(&format!(" {:?}={}", who, answer.status));
            if allowed(route, &answer) != expected(who, method, route) {
                wrong.push(format!(
                    "{who:?} {method} {route}: got {answer:?}, expected {}",
                    if expected(who, method, route) {
                        "access"
                    } else {
                        "refusal"
                    }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "answers against the rules: {wrong:#?}\nmatrix:{matrix}"
    );
}

#[tokio::test]
async fn a_refusal_by_role_names_the_rule() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let login = sign_in(&app, &f.accounts[&Who::Counterpart]).await;
    let page = app
        .get_with(
            "/staff",
            "cookie",
            &format!("rrm_session={}", login.session),
        )
        .await;
    assert_eq!(page.status(), 403);
    let text = page.text().await.unwrap();
    assert!(text.contains("policy.staff"), "{text}");
}
