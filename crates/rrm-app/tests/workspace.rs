//! The application services of petition intake and the staff workspace, on a real SQLite
//! store: filing, the status check, staff accounts, signing in (`workspace/sign_in.rs`),
//! sessions, tokens, notes, documents and publication.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rrm_app::{Actor, AppError, DocumentOptions, PetitionInput, Upload, DEFAULT_TEAM};
use rrm_store::{CaseFilter, Confidential, Role, TokenScope};
use rrm_testkit::TestRrm;

#[path = "workspace/reminders.rs"]
mod reminders;
#[path = "workspace/shared.rs"]
mod shared;
#[path = "workspace/sign_in.rs"]
mod sign_in;

const PASSWORD: &str = "a long enough passphrase";

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-11-23T15:00:00Z".parse().unwrap()
}

/// The application on a fresh database of the backend `RRM_TEST_BACKEND` names (SQLite in
/// memory by default), with a master key; it derefs to the [`Rrm`] and keeps the database.
fn rrm() -> TestRrm {
    TestRrm::fresh().map(|rrm| rrm.with_master_key(rrm_app::vault::MasterKey::generate().unwrap()))
}

fn petition() -> PetitionInput {
    PetitionInput {
        office: "us_ilc".into(),
        facility: "Planta Ñandú".into(),
        state: "Nuevo León".into(),
        allegations: vec!["irregular_contract_vote".into()],
        narrative: "La votación fue amañada.".into(),
        organization: "Colectivo".into(),
        contact: "colectivo@example.org".into(),
        consent: true,
        ..PetitionInput::default()
    }
}

fn pdf(name: &str) -> Upload {
    Upload {
        file_name: Confidential::new(name.into()),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 minutes".to_vec(),
    }
}

#[test]
fn a_petition_opens_an_unpublished_case_whose_ilc_clock_runs() {
    let rrm = rrm();
    let receipt = rrm
        .file_petition(&petition(), vec![pdf("acta.pdf")], today(), now())
        .unwrap();
    assert_eq!(receipt.case_id, "planta-nandu-2026");
    let view = rrm.case_view(&receipt.case_id, today()).unwrap();
    assert_eq!(view.stage, "ilc_review");
    let clock = view
        .clocks
        .iter()
        .find(|c| c.clock == "ilc_determination")
        .unwrap();
    assert_eq!(
        clock.due,
        Some("2026-12-23".parse().unwrap()),
        "30 days from filing"
    );
    assert_eq!(
        rrm.workspace.unpublished().unwrap(),
        [receipt.case_id.as_str()]
    );
    let public = CaseFilter {
        published: Some(true),
        ..CaseFilter::default()
    };
    assert_eq!(rrm.store.list_cases(&public).unwrap().1, 0);
    assert!(matches!(
        rrm.ensure_published(&receipt.case_id),
        Err(AppError::NotFound(_))
    ));
    let header = rrm
        .store
        .case(&receipt.case_id)
        .unwrap()
        .unwrap()
        .header
        .document;
    assert!(
        !header.contains("Colectivo") && !header.contains("amañada"),
        "{header}"
    );
    let second = rrm
        .file_petition(&petition(), Vec::new(), today(), now())
        .unwrap();
    assert_eq!(
        second.case_id, "planta-nandu-2026-2",
        "a second petition gets its own case"
    );
}

#[test]
fn bad_petitions_name_the_field_and_store_nothing() {
    let rrm = rrm();
    let cases: [(PetitionInput, &str); 6] = [
        (
            PetitionInput {
                office: "mx".into(),
                ..petition()
            },
            "office:",
        ),
        (
            PetitionInput {
                facility: " ".into(),
                ..petition()
            },
            "facility: is required",
        ),
        (
            PetitionInput {
                allegations: vec!["bribery".into()],
                ..petition()
            },
            "allegations: unknown code `bribery`",
        ),
        (
            PetitionInput {
                contact: String::new(),
                ..petition()
            },
            "contact: is required",
        ),
        (
            PetitionInput {
                anonymous: true,
                ..petition()
            },
            "anonymous:",
        ),
        (
            PetitionInput {
                consent: false,
                ..petition()
            },
            "consent:",
        ),
    ];
    for (input, want) in cases {
        let e = rrm
            .file_petition(&input, Vec::new(), today(), now())
            .unwrap_err();
        assert!(e.to_string().starts_with(want), "{e} (wanted {want})");
    }
    let anonymous = PetitionInput {
        anonymous: true,
        organization: String::new(),
        contact: String::new(),
        ..petition()
    };
    assert!(rrm
        .file_petition(&anonymous, Vec::new(), today(), now())
        .is_ok());
    assert_eq!(rrm.store.stats().unwrap().cases, 1);
}

#[test]
fn the_status_check_needs_the_right_secret_and_tells_only_the_stage() {
    let rrm = rrm();
    let r = rrm
        .file_petition(&petition(), Vec::new(), today(), now())
        .unwrap();
    let status = rrm
        .petition_status(&r.receipt, r.secret.expose(), today())
        .unwrap();
    assert_eq!(
        (status.stage.en.as_str(), status.filed, status.published),
        ("Petition under ILC review", today(), false)
    );
    let sloppy = r.secret.expose().to_lowercase().replace('-', " ");
    assert!(
        rrm.petition_status(&r.receipt.to_lowercase(), &sloppy, today())
            .is_ok(),
        "typed loosely"
    );
    let wrong = rrm
        .petition_status(&r.receipt, "0000-0000", today())
        .unwrap_err();
    let unknown = rrm
        .petition_status("RRM-ZZZZ-ZZZZ", r.secret.expose(), today())
        .unwrap_err();
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert!(matches!(wrong, AppError::NotFound(_)));
}

#[test]
fn staff_accounts_refuse_weak_passwords_and_check_passwords() {
    let rrm = rrm();
    let weak = rrm.add_user(
        "a@example.org",
        "Ana",
        Role::Analyst,
        &Confidential::new("Password2024!!!!".into()),
        now(),
    );
    assert!(weak.unwrap_err().to_string().contains("password.common"));
    let short = rrm.add_user(
        "a@example.org",
        "Ana",
        Role::Analyst,
        &Confidential::new("short".into()),
        now(),
    );
    assert!(short
        .unwrap_err()
        .to_string()
        .contains("password.min_length"));
    let ana = rrm
        .add_user(
            " Ana@Example.org ",
            "Ana",
            Role::Analyst,
            &Confidential::new(PASSWORD.into()),
            now(),
        )
        .unwrap();
    assert_eq!(ana.email, "ana@example.org");
    assert!(ana.password_hash.expose().starts_with("$argon2id$"));
    let again = rrm.add_user(
        "ana@example.org",
        "Ana",
        Role::Admin,
        &Confidential::new(PASSWORD.into()),
        now(),
    );
    assert!(matches!(again, Err(AppError::Conflict(_))));
    assert_eq!(
        rrm.verify_password("ANA@example.org", &Confidential::new(PASSWORD.into()))
            .unwrap()
            .id,
        ana.id
    );
    let wrong = rrm.verify_password(
        "ana@example.org",
        &Confidential::new("a long wrong passphrase".into()),
    );
    assert!(matches!(wrong, Err(AppError::Unauthorized(_))));
}

#[test]
fn tokens_authenticate_only_in_their_scope_until_revoked() {
    let rrm = rrm();
    let ana = rrm
        .add_user(
            "ana@example.org",
            "Ana",
            Role::Analyst,
            &Confidential::new(PASSWORD.into()),
            now(),
        )
        .unwrap();
    let (_, api) = rrm
        .add_token("ana@example.org", "script", TokenScope::Api, now())
        .unwrap();
    assert!(api.expose().starts_with("rrm_api_"));
    assert_eq!(
        rrm.authenticate_token(api.expose(), TokenScope::Api)
            .unwrap()
            .id,
        ana.id
    );
    assert!(rrm
        .authenticate_token(api.expose(), TokenScope::Calendar)
        .is_err());
    let old = rrm.new_calendar_token(&ana, now()).unwrap();
    let new = rrm.new_calendar_token(&ana, now()).unwrap();
    assert!(
        rrm.authenticate_token(old.expose(), TokenScope::Calendar)
            .is_err(),
        "replaced"
    );
    assert!(rrm
        .authenticate_token(new.expose(), TokenScope::Calendar)
        .is_ok());
}

#[test]
fn casework_checks_roles_and_content() {
    let rrm = rrm();
    let pw = Confidential::new(PASSWORD.to_string());
    let analyst = rrm
        .add_user("ana@example.org", "Ana", Role::Analyst, &pw, now())
        .unwrap();
    let supervisor = rrm
        .add_user("sup@example.org", "Sup", Role::Supervisor, &pw, now())
        .unwrap();
    rrm.ensure_intake_team(now()).unwrap();
    for user in [&analyst, &supervisor] {
        rrm.set_team_member(Actor::Operator, DEFAULT_TEAM, user, true, now())
            .unwrap();
    }
    let r = rrm
        .file_petition(&petition(), vec![pdf("acta.pdf")], today(), now())
        .unwrap();
    let denied = rrm.set_published(&analyst, &r.case_id, true, now());
    assert!(matches!(denied, Err(AppError::Forbidden(_))));
    rrm.set_published(&supervisor, &r.case_id, true, now())
        .unwrap();
    assert!(rrm.ensure_published(&r.case_id).is_ok());
    rrm.add_note(&analyst, &r.case_id, "  Llamar mañana  ", now())
        .unwrap();
    let view = rrm.confidential_view(&analyst, &r.case_id, now()).unwrap();
    assert_eq!(view.notes[0].text.expose(), "Llamar mañana");
    assert!(rrm.add_note(&analyst, &r.case_id, "   ", now()).is_err());
    let exe = Upload {
        bytes: b"MZ\x90".to_vec(),
        ..pdf("x.pdf")
    };
    assert!(matches!(
        rrm.add_document(&analyst, &r.case_id, exe, DocumentOptions::default(), now()),
        Err(AppError::BadInput(_))
    ));
    let doc = rrm
        .add_document(
            &analyst,
            &r.case_id,
            pdf("informe.pdf"),
            DocumentOptions::default(),
            now(),
        )
        .unwrap();
    assert_eq!(doc.content_type, "application/pdf");
    let submission = rrm
        .confidential_view(&analyst, &r.case_id, now())
        .unwrap()
        .submission
        .unwrap();
    assert_eq!(
        submission.content.expose().narrative,
        "La votación fue amañada."
    );
    assert_eq!(submission.evidence[0].name.expose(), "acta.pdf");
    assert!(
        !format!("{submission:?}").contains("amañada"),
        "Debug redacts the content"
    );
}

/// Teams reach cases (intake reaches unassigned ones), grants reach one case for outside
/// accounts, and every refusal names its rule.
#[test]
fn access_follows_teams_and_grants() {
    use rrm_app::{Action, CaseScope};
    use rrm_store::Government;
    let rrm = rrm();
    let pw = Confidential::new(PASSWORD.to_string());
    let add = |email: &str, role| rrm.add_user(email, "X", role, &pw, now()).unwrap();
    let (intake_ana, autos_sup) = (
        add("ana@example.org", Role::Analyst),
        add("sup@example.org", Role::Supervisor),
    );
    let (stps, firm) = (
        add("stps@example.gob.mx", Role::Counterpart(Government::Mexico)),
        add("rh@example.com", Role::Respondent),
    );
    rrm.ensure_intake_team(now()).unwrap();
    rrm.add_team(Actor::Operator, "autos", false, now())
        .unwrap();
    rrm.set_team_member(Actor::Operator, DEFAULT_TEAM, &intake_ana, true, now())
        .unwrap();
    rrm.set_team_member(Actor::Operator, "autos", &autos_sup, true, now())
        .unwrap();
    let refused = rrm.set_team_member(Actor::Operator, "autos", &firm, true, now());
    assert!(
        matches!(&refused, Err(AppError::BadInput(m)) if m.contains("access.team")),
        "{refused:?}"
    );
    let case = rrm
        .file_petition(&petition(), vec![], today(), now())
        .unwrap()
        .case_id;

    // Unassigned: intake reaches it, the autos team does not (answered as no such case).
    rrm.authorize(&intake_ana, Action::ReadConfidential(&case))
        .unwrap();
    let hidden = rrm.authorize(&autos_sup, Action::ReadCase(&case));
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
    assert_eq!(
        rrm.case_scope(&intake_ana).unwrap(),
        CaseScope::Only([case.clone()].into())
    );

    // Assigned to autos: it leaves intake; the supervisor may publish, the analyst may not.
    rrm.assign_case(Actor::Operator, &case, "autos", true, now())
        .unwrap();
    assert!(rrm.authorize(&intake_ana, Action::ReadCase(&case)).is_err());
    rrm.authorize(&autos_sup, Action::Publish(&case)).unwrap();
    rrm.authorize(&autos_sup, Action::ManageCaseAccess(&case))
        .unwrap();
    rrm.set_team_member(Actor::Operator, "autos", &intake_ana, true, now())
        .unwrap();
    let analyst = rrm.authorize(&intake_ana, Action::Publish(&case));
    assert!(
        matches!(&analyst, Err(AppError::Forbidden(m)) if m.contains("access.supervisor")),
        "{analyst:?}"
    );

    // Grants: the counterpart sees the shared view only; only the respondent answers items.
    assert!(rrm
        .set_grant(Actor::Account(&intake_ana), &case, &stps, true, now())
        .is_err());
    let staff_grant = rrm.set_grant(Actor::Account(&autos_sup), &case, &intake_ana, true, now());
    assert!(matches!(&staff_grant, Err(AppError::BadInput(m)) if m.contains("access.grant")));
    rrm.set_grant(Actor::Account(&autos_sup), &case, &stps, true, now())
        .unwrap();
    rrm.set_grant(Actor::Account(&autos_sup), &case, &firm, true, now())
        .unwrap();
    rrm.authorize(&stps, Action::ReadShared(&case)).unwrap();
    let workspace = rrm.authorize(&stps, Action::ReadConfidential(&case));
    assert!(matches!(&workspace, Err(AppError::Forbidden(m)) if m.contains("access.team")));
    rrm.authorize(&firm, Action::AnswerRemediation(&case))
        .unwrap();
    assert!(rrm
        .authorize(&stps, Action::AnswerRemediation(&case))
        .is_err());
    assert!(rrm
        .authorize(&autos_sup, Action::ReadShared(&case))
        .is_err());
    let (teams, granted) = rrm.case_access(Actor::Operator, &case).unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(granted.len(), 2);

    // A disabled account can do nothing, and its sessions are gone.
    let (_, signed_in) = sign_in::enroll(&rrm, "sup@example.org", now());
    let login = signed_in.login;
    rrm.set_disabled(Actor::Operator, &autos_sup, true, now())
        .unwrap();
    let sup = rrm.workspace.user(autos_sup.id).unwrap().unwrap();
    let disabled = rrm.authorize(&sup, Action::ReadCase(&case));
    assert!(matches!(&disabled, Err(AppError::Forbidden(m)) if m.contains("access.disabled")));
    assert!(rrm.session(login.token.expose(), now()).unwrap().is_none());
    let again = rrm.sign_in_password(
        "sup@example.org",
        &pw,
        None,
        rrm_app::Previous::default(),
        now(),
    );
    assert!(again.is_err(), "a disabled account cannot sign in");
    let own = rrm.set_disabled(Actor::Account(&intake_ana), &intake_ana, true, now());
    assert!(own.is_err(), "an analyst manages no accounts");
}

/// `verify_vault` finds a stored file changed behind the store's back and an edited audit
/// entry; a clean store verifies, opening every sealed file against its custody hash.
#[test]
fn the_vault_check_finds_an_altered_file_and_an_edited_log() {
    let dir = tempfile::tempdir().unwrap();
    let database = rrm_testkit::TestDatabase::at(&dir.path().join("rrm.db"));
    let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
    let rrm = database
        .rrm(procedures)
        .with_master_key(rrm_app::vault::MasterKey::generate().unwrap());
    let two = vec![pdf("acta.pdf"), pdf("fotos.pdf")];
    rrm.file_petition(&petition(), two, today(), now()).unwrap();
    let clean = rrm.verify_vault(&mut |_| {}).unwrap();
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    assert_eq!(
        (clean.file_records, clean.opened, clean.audit_entries),
        (2, 2, 2)
    );

    // One blob's last byte flipped; one custody entry's detail edited.
    let zero = match database.is_postgres() {
        true => "'\\x00'::bytea",
        false => "x'00'",
    };
    database.sql(&format!(
        "update blobs set bytes = substr(bytes, 1, length(bytes) - 1) || {zero} where id = 1;
         update audit_log set detail = replace(detail, 'submission:', 'elsewhere:') where seq = 2;"
    ));
    let report = rrm.verify_vault(&mut |_| {}).unwrap();
    let all = report.problems.join("\n");
    assert!(
        all.contains("audit log entry 2: its content does not match its hash"),
        "{all}"
    );
    assert!(all.contains("its bytes no longer match its hash"), "{all}");
    assert!(
        all.contains("does not open"),
        "the altered file is not handed out: {all}"
    );
}
