//! What counterparts and respondents see of granted cases, and reading the audit log by page.

use rrm_app::{Actor, AppError, ImportSource};
use rrm_store::{Confidential, Government, Role};

use super::{now, rrm, today, PASSWORD};

/// A case naming one public petitioner and one whose name must never leave the ILC.
const CASE: &str = r#"{
  "format": "rrm-case/1", "id": "planta-compartida-2026", "procedure": "usmca-31a",
  "facility": { "name": "Planta compartida", "state": "Puebla" },
  "petitioners": [ "Sindicato Público", { "name": "CANARY-PETITIONER-7731", "public": false } ],
  "events": [ { "kind": "request_for_review", "date": "2026-11-16" } ]
}"#;

#[test]
fn a_granted_case_is_shared_without_private_petitioners_and_each_view_is_audited() {
    let rrm = rrm();
    let source = ImportSource {
        name: "case.json".into(),
        text: CASE.into(),
    };
    rrm.import_all(&[source], now()).unwrap();
    rrm.ensure_intake_team(now()).unwrap();
    let pw = Confidential::new(PASSWORD.to_string());
    let stps = rrm
        .add_user(
            "stps@example.gob.mx",
            "STPS",
            Role::Counterpart(Government::Mexico),
            &pw,
            now(),
        )
        .unwrap();
    let id = "planta-compartida-2026";
    assert!(rrm.shared_cases(&stps).unwrap().is_empty());
    let hidden = rrm.shared_case(&stps, id, today(), now());
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");

    rrm.set_grant(Actor::Operator, id, &stps, true, now())
        .unwrap();
    assert_eq!(rrm.shared_cases(&stps).unwrap(), [id]);
    let before = rrm.audit_log.verify_audit().unwrap().entries;
    let shared = rrm.shared_case(&stps, id, today(), now()).unwrap();
    let names: Vec<&str> = shared
        .view
        .header
        .petitioners
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Sindicato Público"]);
    let trail = rrm
        .audit_log
        .audit_entries(&rrm_store::AuditFilter::default())
        .unwrap();
    assert_eq!(trail.len() as u64, before + 1);
    let last = &trail.last().unwrap().entry;
    assert_eq!(
        (last.action.as_str(), last.subject.as_str()),
        ("shared_viewed", "case:planta-compartida-2026")
    );
    assert_eq!(last.actor, format!("user:{}", stps.id.0));

    rrm.set_grant(Actor::Operator, id, &stps, false, now())
        .unwrap();
    assert!(rrm.shared_cases(&stps).unwrap().is_empty());
}

#[test]
fn the_whole_log_is_read_newest_first_by_page_and_only_by_admins() {
    let rrm = rrm();
    let pw = Confidential::new(PASSWORD.to_string());
    let admin = rrm
        .add_user("adm@example.org", "Adm", Role::Admin, &pw, now())
        .unwrap();
    let sup = rrm
        .add_user("sup@example.org", "Sup", Role::Supervisor, &pw, now())
        .unwrap();
    for n in 0..5 {
        rrm.add_team(Actor::Operator, &format!("team-{n}"), false, now())
            .unwrap();
    }
    let subjects = |p: &rrm_app::AuditPage| -> Vec<String> {
        p.entries.iter().map(|e| e.entry.subject.clone()).collect()
    };
    let first = rrm.audit_page(&admin, 1, 2).unwrap();
    assert_eq!(subjects(&first), ["team:team-4", "team:team-3"]);
    assert_eq!((first.page, first.pages), (1, 3));
    assert_eq!(first.report.entries, 5);
    assert_eq!(first.report.first_broken, None);
    let last = rrm.audit_page(&admin, 3, 2).unwrap();
    assert_eq!(subjects(&last), ["team:team-0"]);
    assert!(rrm.audit_page(&admin, 4, 2).unwrap().entries.is_empty());
    assert!(matches!(
        rrm.audit_page(&admin, 0, 2),
        Err(AppError::BadInput(_))
    ));
    let refused = rrm.audit_page(&sup, 1, 2);
    assert!(
        matches!(&refused, Err(AppError::Forbidden(m)) if m.contains("access.admin")),
        "{refused:?}"
    );
    assert!(rrm.verify_audit_for(&sup, None).is_err());
    assert_eq!(rrm.verify_audit_for(&admin, None).unwrap().entries, 5);
}
