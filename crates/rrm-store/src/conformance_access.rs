//! The conformance suite of the [`AccessControl`] trait: teams, intake, case assignment,
//! grants, and disabling an account. Run by every backend beside the other suites.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, Utc};

use crate::conformance_workspace::fixtures::{at, new_user, petition_case};
use crate::{
    sha256, AccessControl, Confidential, Government, Reach, Role, Session, Store, StoreError,
    TokenScope, Workspace,
};

/// An access check: takes one empty backend as all three traits and panics on a broken
/// contract.
pub type AccessCheck = fn(&dyn Store, &dyn Workspace, &dyn AccessControl);

/// Every check, with its name.
pub const ACCESS_CHECKS: &[(&str, AccessCheck)] = &[
    (
        "intake_reaches_unassigned_cases",
        intake_reaches_unassigned_cases,
    ),
    ("assignment_replaces_intake", assignment_replaces_intake),
    ("grants_reach_one_case", grants_reach_one_case),
    ("unknown_names_are_not_found", unknown_names_are_not_found),
    (
        "disabling_ends_sessions_and_tokens",
        disabling_ends_sessions_and_tokens,
    ),
];

/// Runs every access check, each against a fresh backend made by `make`.
///
/// # Panics
/// On the first failing check, after the failure's own message, with the check's name.
pub fn run_all_access<B: Store + Workspace + AccessControl>(make: &dyn Fn() -> B) {
    for (name, check) in ACCESS_CHECKS {
        let backend = make();
        if catch_unwind(AssertUnwindSafe(|| check(&backend, &backend, &backend))).is_err() {
            panic!("access conformance check `{name}` failed (its message is above)");
        }
    }
}

fn now() -> DateTime<Utc> {
    at("2026-11-24T09:00:00Z")
}

fn team_names(teams: Vec<crate::Team>) -> Vec<String> {
    teams.into_iter().map(|t| t.name).collect()
}

/// A case on no team is reached by members of intake teams only, and listed for them.
pub fn intake_reaches_unassigned_cases(
    store: &dyn Store,
    ws: &dyn Workspace,
    ac: &dyn AccessControl,
) {
    store
        .create_cases(&[petition_case("a-2026"), petition_case("b-2026")])
        .expect("create");
    let intake = ac.add_team("intake-mx", true, now()).expect("team");
    let other = ac.add_team("autos", false, now()).expect("team");
    assert!(intake.intake && !other.intake);
    let again = ac.add_team("autos", false, now());
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let bea = ws
        .add_user(&new_user("bea@example.org", Role::Analyst))
        .expect("add");
    ac.set_team_member(intake.id, ana.id, true).expect("member");
    ac.set_team_member(intake.id, ana.id, true)
        .expect("adding twice is fine");
    ac.set_team_member(other.id, bea.id, true).expect("member");
    assert_eq!(
        ac.reach(ana.id, "a-2026").expect("reach"),
        Reach {
            team: true,
            grant: false
        }
    );
    assert!(!ac.reach(bea.id, "a-2026").expect("reach").any());
    assert!(!ac.reach(ana.id, "no-such-case").expect("reach").any());
    assert_eq!(ac.cases_of(ana.id).expect("cases"), ["a-2026", "b-2026"]);
    assert_eq!(ac.cases_of(bea.id).expect("cases"), Vec::<String>::new());
    assert_eq!(ac.team_members(intake.id).expect("members"), [ana.id]);
    assert_eq!(
        team_names(ac.teams_of(ana.id).expect("teams")),
        ["intake-mx"]
    );
    assert_eq!(
        team_names(ac.teams().expect("teams")),
        ["autos", "intake-mx"]
    );
    assert_eq!(ac.team_by_name("autos").expect("read"), Some(other));
    ac.set_team_member(intake.id, ana.id, false).expect("leave");
    assert!(!ac.reach(ana.id, "a-2026").expect("reach").any());
}

/// Assigning a case to a team takes it from intake; taking the last team away returns it.
pub fn assignment_replaces_intake(store: &dyn Store, ws: &dyn Workspace, ac: &dyn AccessControl) {
    store
        .create_cases(&[petition_case("a-2026"), petition_case("b-2026")])
        .expect("create");
    let intake = ac.add_team("intake", true, now()).expect("team");
    let autos = ac.add_team("autos", false, now()).expect("team");
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let bea = ws
        .add_user(&new_user("bea@example.org", Role::Supervisor))
        .expect("add");
    ac.set_team_member(intake.id, ana.id, true).expect("member");
    ac.set_team_member(autos.id, bea.id, true).expect("member");
    ac.assign_case("a-2026", autos.id, true).expect("assign");
    ac.assign_case("a-2026", autos.id, true)
        .expect("assigning twice is fine");
    assert!(
        !ac.reach(ana.id, "a-2026").expect("reach").any(),
        "intake lost it"
    );
    assert!(ac.reach(bea.id, "a-2026").expect("reach").team);
    assert_eq!(ac.cases_of(ana.id).expect("cases"), ["b-2026"]);
    assert_eq!(ac.cases_of(bea.id).expect("cases"), ["a-2026"]);
    assert_eq!(
        team_names(ac.case_teams("a-2026").expect("teams")),
        ["autos"]
    );
    assert_eq!(ac.case_teams("b-2026").expect("teams"), []);
    ac.assign_case("a-2026", autos.id, false).expect("unassign");
    assert!(
        ac.reach(ana.id, "a-2026").expect("reach").team,
        "back to intake"
    );
    assert!(!ac.reach(bea.id, "a-2026").expect("reach").any());
    let orphan = ac.assign_case("no-such-case", autos.id, true);
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");
}

/// A grant reaches exactly one case for exactly one account, until revoked.
pub fn grants_reach_one_case(store: &dyn Store, ws: &dyn Workspace, ac: &dyn AccessControl) {
    store
        .create_cases(&[petition_case("a-2026"), petition_case("b-2026")])
        .expect("create");
    ac.add_team("intake", true, now()).expect("team");
    let stps = Role::Counterpart(Government::Mexico);
    let mx = ws
        .add_user(&new_user("stps@example.gob.mx", stps))
        .expect("add");
    let firm = ws
        .add_user(&new_user("rh@example.com", Role::Respondent))
        .expect("add");
    ac.set_grant("a-2026", mx.id, true).expect("grant");
    ac.set_grant("b-2026", firm.id, true).expect("grant");
    ac.set_grant("b-2026", firm.id, true)
        .expect("granting twice is fine");
    assert_eq!(
        ac.reach(mx.id, "a-2026").expect("reach"),
        Reach {
            team: false,
            grant: true
        }
    );
    assert!(!ac.reach(mx.id, "b-2026").expect("reach").any());
    assert_eq!(ac.cases_of(firm.id).expect("cases"), ["b-2026"]);
    assert_eq!(ac.case_grants("b-2026").expect("grants"), [firm.id]);
    ac.set_grant("b-2026", firm.id, false).expect("revoke");
    ac.set_grant("b-2026", firm.id, false)
        .expect("revoking twice is fine");
    assert!(!ac.reach(firm.id, "b-2026").expect("reach").any());
    assert_eq!(ac.case_grants("b-2026").expect("grants"), []);
    assert_eq!(ws.user(mx.id).expect("read").map(|u| u.role), Some(stps));
}

/// Unknown teams, users and cases are `NotFound`, and nothing changes.
pub fn unknown_names_are_not_found(store: &dyn Store, ws: &dyn Workspace, ac: &dyn AccessControl) {
    store
        .create_cases(&[petition_case("a-2026")])
        .expect("create");
    let team = ac.add_team("intake", true, now()).expect("team");
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let missing_user = crate::UserId(ana.id.0 + 1000);
    let missing_team = crate::TeamId(team.id.0 + 1000);
    for result in [
        ac.set_team_member(missing_team, ana.id, true),
        ac.set_team_member(team.id, missing_user, true),
        ac.set_grant("a-2026", missing_user, true),
        ac.set_grant("no-such-case", ana.id, true),
        ac.assign_case("a-2026", missing_team, true),
        ac.set_role(missing_user, Role::Admin),
        ac.set_disabled(missing_user, Some(now())),
    ] {
        assert!(matches!(result, Err(StoreError::NotFound(_))), "{result:?}");
    }
    assert_eq!(ac.team_members(team.id).expect("members"), []);
    assert_eq!(ac.team_by_name("nope").expect("read"), None);
}

/// Disabling an account deletes its sessions and revokes its tokens; roles change in place.
pub fn disabling_ends_sessions_and_tokens(
    _: &dyn Store,
    ws: &dyn Workspace,
    ac: &dyn AccessControl,
) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let session = Session {
        token_hash: sha256(b"cookie"),
        user: ana.id,
        csrf_token: Confidential::new("csrf".into()),
        created: now(),
        last_seen: now(),
        expires: at("2026-11-24T21:00:00Z"),
    };
    ws.create_session(&session).expect("session");
    let token = ws
        .add_token(&crate::NewToken {
            token_hash: sha256(b"api"),
            user: ana.id,
            label: "laptop".into(),
            scope: TokenScope::Api,
            created: now(),
        })
        .expect("token");
    ac.set_role(ana.id, Role::Supervisor).expect("role");
    ac.set_disabled(ana.id, Some(at("2026-11-24T10:00:00Z")))
        .expect("disable");
    let read = ws.user(ana.id).expect("read").expect("ana exists");
    assert_eq!(read.role, Role::Supervisor);
    assert_eq!(read.disabled, Some(at("2026-11-24T10:00:00Z")));
    assert_eq!(ws.session(&session.token_hash).expect("read"), None);
    let revoked = ws.token(&token.token_hash).expect("read").expect("kept");
    assert_eq!(revoked.revoked, Some(at("2026-11-24T10:00:00Z")));
    ac.set_disabled(ana.id, None).expect("enable");
    assert_eq!(ws.user(ana.id).expect("read").expect("ana").disabled, None);
    let emails: Vec<String> = ac
        .users()
        .expect("users")
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(emails, ["ana@example.org"]);
}
