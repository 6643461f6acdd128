//! The indexer following a real store through the application: writes are searchable at
//! once, an unpublished case leaves the public index at once, confidential content (a
//! petition's narrative, contact, organization and evidence, internal notes, non-public
//! petitioners) is found by nobody, a bad document is reported and skipped, and deleting and
//! rebuilding the index gives the same answers.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rrm_app::{ImportSource, PetitionInput, Rrm, Upload};
use rrm_search::{Audience, Indexer, SearchFilters};
use rrm_store::{Confidential, Role, User};
use rrm_testkit::TestDatabase;

use crate::access::assert_absent;
use crate::hostile::pdf;
use crate::support::{case, PETITIONER_CANARY, STAFF};

const NARRATIVE: &str = "Narrativecanary";
const CONTACT: &str = "contactcanary@example.org";
const ORGANIZATION: &str = "Organizationcanary";
const EVIDENCE: &str = "Evidencecanary";
const NOTE: &str = "Notecanary";
const DOCUMENT: &str = "Restrictedcanary";

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-11-23T15:00:00Z".parse().unwrap()
}

struct World {
    rrm: Rrm,
    indexer: Arc<Indexer>,
    supervisor: User,
    dir: tempfile::TempDir,
    /// The store's database (SQLite in `dir`, or a PostgreSQL schema), kept while in use.
    _database: TestDatabase,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let indexer = Arc::new(Indexer::open(&dir.path().join("index")).unwrap());
    let procedures = rrm_core::procedure::shipped().unwrap();
    let database = TestDatabase::at(&dir.path().join("rrm.db"));
    let rrm = database
        .rrm(Arc::new(procedures))
        .with_master_key(rrm_app::vault::MasterKey::generate().unwrap())
        .with_listener(indexer.clone());
    let text = serde_json::to_string(&serde_json::json!([
        case_json("alpha-2023", "Fábrica Alpha", "Querétaro"),
        case_json("beta-2024", "Planta Beta", "San Luis Potosí"),
    ]))
    .unwrap();
    rrm.import_all(
        &[ImportSource {
            name: "cases.json".into(),
            text,
        }],
        now(),
    )
    .unwrap();
    let password = Confidential::new("a long enough passphrase".to_string());
    let supervisor = rrm
        .add_user("sup@example.org", "Sup", Role::Supervisor, &password, now())
        .unwrap();
    rrm.ensure_intake_team(now()).unwrap();
    rrm.set_team_member(
        rrm_app::Actor::Operator,
        rrm_app::DEFAULT_TEAM,
        &supervisor,
        true,
        now(),
    )
    .unwrap();
    World {
        rrm,
        indexer,
        supervisor,
        dir,
        _database: database,
    }
}

fn case_json(id: &str, facility: &str, city: &str) -> serde_json::Value {
    let c = case(
        id,
        facility,
        city,
        "Despido de trabajadores.",
        "The union reported.",
    );
    rrm_casefile::case_to_json(&c)
}

fn ids(w: &World, audience: &Audience, q: &str) -> Vec<String> {
    w.indexer
        .search(audience, q, &SearchFilters::default(), 50, 0)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| match h.kind {
            rrm_search::HitKind::Case => h.case_id,
            rrm_search::HitKind::Document(d) => format!("{}#{d}", h.case_id),
        })
        .collect()
}

fn upload(name: &str, bytes: Vec<u8>) -> Upload {
    Upload {
        file_name: Confidential::new(name.into()),
        declared_type: "application/pdf".into(),
        bytes,
    }
}

fn petition() -> PetitionInput {
    PetitionInput {
        office: "us_ilc".into(),
        facility: "Planta Ñandú".into(),
        state: "Nuevo León".into(),
        allegations: vec!["irregular_contract_vote".into()],
        narrative: format!("{NARRATIVE} la votación fue amañada"),
        organization: ORGANIZATION.into(),
        contact: CONTACT.into(),
        consent: true,
        ..PetitionInput::default()
    }
}

fn text_pdf(words: &str) -> Vec<u8> {
    pdf(
        format!("BT /F1 12 Tf 72 720 Td ({words}) Tj ET").as_bytes(),
        true,
    )
}

#[test]
fn writes_are_searchable_at_once_and_unpublishing_hides_at_once() {
    let w = world();
    assert_eq!(ids(&w, &Audience::Public, "potosi"), ["beta-2024"]);
    let event = rrm_casefile::event_from_json(serde_json::json!({
        "kind": "review_accepted", "date": "2023-06-01",
        "note": "Mexico aceptó revisar los despidos en Wombatville"
    }))
    .unwrap();
    w.rrm.record("beta-2024", event, today()).unwrap();
    assert_eq!(ids(&w, &Audience::Public, "wombatville"), ["beta-2024"]);
    let r = w
        .indexer
        .search(
            &Audience::Public,
            "wombatville",
            &SearchFilters::default(),
            5,
            0,
        )
        .unwrap();
    assert_eq!(r.facets.stage.keys().collect::<Vec<_>>(), ["under_review"]);

    w.rrm
        .set_published(&w.supervisor, "beta-2024", false, now())
        .unwrap();
    assert!(ids(&w, &Audience::Public, "potosi").is_empty());
    assert!(ids(&w, &Audience::Public, "wombatville").is_empty());
    assert_eq!(ids(&w, &STAFF, "wombatville"), ["beta-2024"]);
    w.rrm
        .set_published(&w.supervisor, "beta-2024", true, now())
        .unwrap();
    assert_eq!(ids(&w, &Audience::Public, "wombatville"), ["beta-2024"]);
    assert!(w.indexer.is_current(&w.rrm).unwrap());
    assert_eq!(w.indexer.status().last_error, None);
}

#[test]
fn confidential_content_is_found_by_nobody_and_documents_by_staff_only() {
    let w = world();
    let evidence = upload(
        &format!("{EVIDENCE}.pdf"),
        text_pdf(&format!("{EVIDENCE} testimony")),
    );
    let receipt = w
        .rrm
        .file_petition(&petition(), vec![evidence], today(), now())
        .unwrap();
    let id = receipt.case_id;
    w.rrm
        .add_note(&w.supervisor, &id, &format!("{NOTE} call back"), now())
        .unwrap();
    let doc = w
        .rrm
        .add_document(
            &w.supervisor,
            &id,
            upload("minutes.pdf", text_pdf(DOCUMENT)),
            rrm_app::DocumentOptions::default(),
            now(),
        )
        .unwrap();
    // The petition's case is staff-only until published; its staff document too.
    assert_eq!(
        ids(&w, &STAFF, "nandu"),
        [id.clone(), format!("{id}#{}", doc.id.0)]
    );
    assert!(ids(&w, &Audience::Public, "nandu").is_empty());
    assert_eq!(
        ids(&w, &STAFF, "restrictedcanary"),
        [format!("{id}#{}", doc.id.0)]
    );
    w.rrm
        .set_published(&w.supervisor, &id, true, now())
        .unwrap();
    assert_eq!(ids(&w, &Audience::Public, "nandu"), vec![id.clone()]);
    assert!(ids(&w, &Audience::Public, "restrictedcanary").is_empty());
    // The allegation is public; the narrative, contact, organization, evidence and note not.
    assert_eq!(
        ids(&w, &Audience::Public, "irregular contract vote"),
        vec![id.clone()]
    );
    for q in [
        NARRATIVE,
        "amañada",
        CONTACT,
        ORGANIZATION,
        EVIDENCE,
        "testimony",
        NOTE,
        PETITIONER_CANARY,
    ] {
        assert!(ids(&w, &Audience::Public, q).is_empty(), "public finds {q}");
        assert!(ids(&w, &STAFF, q).is_empty(), "staff find {q}");
    }
    drop(w.indexer);
    let needles: Vec<Vec<u8>> = [
        NARRATIVE,
        CONTACT,
        ORGANIZATION,
        EVIDENCE,
        NOTE,
        PETITIONER_CANARY,
    ]
    .iter()
    .flat_map(|c| [c.as_bytes().to_vec(), c.to_lowercase().into_bytes()])
    .collect();
    assert_absent(&w.dir.path().join("index/staff"), &needles);
    let mut public = needles.clone();
    public.extend([
        DOCUMENT.as_bytes().to_vec(),
        DOCUMENT.to_lowercase().into_bytes(),
    ]);
    assert_absent(&w.dir.path().join("index/public"), &public);
}

#[test]
fn a_bad_document_is_reported_and_skipped() {
    let w = world();
    let mut broken = text_pdf("never read");
    broken.truncate(broken.len() / 2);
    let bad = w
        .rrm
        .add_document(
            &w.supervisor,
            "alpha-2023",
            upload("broken.pdf", broken),
            rrm_app::DocumentOptions::default(),
            now(),
        )
        .unwrap();
    let good = w
        .rrm
        .add_document(
            &w.supervisor,
            "alpha-2023",
            upload("good.pdf", text_pdf("Asamblea")),
            rrm_app::DocumentOptions::default(),
            now(),
        )
        .unwrap();
    let r = w
        .indexer
        .search(&STAFF, "broken", &SearchFilters::default(), 5, 0)
        .unwrap();
    assert_eq!(r.hits.len(), 1);
    let status = r.hits[0].extraction.clone().unwrap();
    assert!(status.starts_with("failed: PDF"), "{status}");
    assert_eq!(
        ids(&w, &STAFF, "asamblea"),
        [format!("alpha-2023#{}", good.id.0)]
    );
    let report = w.indexer.rebuild(&w.rrm, |_, _| {}).unwrap();
    assert_eq!(report.documents, 2);
    assert_eq!(report.document_problems.len(), 1);
    assert_eq!(report.document_problems[0].1, bad.id.0);
    // Recording an event keeps the documents, with the case's new stage.
    let event = rrm_casefile::event_from_json(serde_json::json!({
        "kind": "review_accepted", "date": "2023-06-01"
    }))
    .unwrap();
    w.rrm.record("alpha-2023", event, today()).unwrap();
    let r = w
        .indexer
        .search(&STAFF, "asamblea", &SearchFilters::default(), 5, 0)
        .unwrap();
    assert_eq!(r.facets.stage.keys().collect::<Vec<_>>(), ["under_review"]);
}

#[test]
fn delete_and_rebuild_gives_identical_results() {
    let w = world();
    w.rrm
        .add_document(
            &w.supervisor,
            "alpha-2023",
            upload("acta.pdf", text_pdf("Despido acta")),
            rrm_app::DocumentOptions::default(),
            now(),
        )
        .unwrap();
    w.rrm
        .file_petition(&petition(), vec![], today(), now())
        .unwrap();
    let queries = [
        "despido",
        "potosi",
        "\"fabrica alpha\"",
        "union OR acta",
        "nandu",
        "trabajadores",
    ];
    let answers = |indexer: &Indexer| {
        let mut all = Vec::new();
        for q in queries {
            for audience in [Audience::Public, STAFF] {
                all.push(format!(
                    "{:?}",
                    indexer
                        .search(&audience, q, &SearchFilters::default(), 20, 0)
                        .unwrap()
                ));
            }
        }
        all
    };
    w.indexer.rebuild(&w.rrm, |_, _| {}).unwrap();
    let before = answers(&w.indexer);
    drop(w.indexer);
    std::fs::remove_dir_all(w.dir.path().join("index")).unwrap();
    let fresh = Indexer::open(&w.dir.path().join("index")).unwrap();
    assert!(!fresh.is_current(&w.rrm).unwrap(), "a new index is stale");
    fresh.rebuild(&w.rrm, |_, _| {}).unwrap();
    assert!(fresh.is_current(&w.rrm).unwrap());
    assert_eq!(answers(&fresh), before);
}

/// Behind the background worker, a recorded event is findable once the queue drains, and an
/// unpublished case leaves the public index before `set_published` returns, with no wait.
#[test]
fn the_background_indexer_queues_writes_but_applies_unpublishing_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let indexer = Arc::new(Indexer::open(&dir.path().join("index")).unwrap());
    let background = rrm_search::Background::start(indexer.clone()).unwrap();
    let procedures = rrm_core::procedure::shipped().unwrap();
    let database = TestDatabase::at(&dir.path().join("rrm.db"));
    let rrm = database
        .rrm(Arc::new(procedures))
        .with_master_key(rrm_app::vault::MasterKey::generate().unwrap())
        .with_listener(background.clone());
    let text = serde_json::to_string(&serde_json::json!([
        case_json("beta-2024", "Planta Beta", "San Luis Potosí"),
        case_json("gamma-2024", "Planta Gamma", "Saltillo"),
        case_json("delta-2024", "Planta Delta", "Puebla"),
    ]))
    .unwrap();
    rrm.import_all(
        &[ImportSource {
            name: "c.json".into(),
            text,
        }],
        now(),
    )
    .unwrap();
    background.flush();
    indexer.rebuild(&rrm, |_, _| {}).unwrap();
    let find = |q: &str| -> Vec<String> {
        let r = indexer
            .search(&Audience::Public, q, &SearchFilters::default(), 10, 0)
            .unwrap();
        r.hits.into_iter().map(|h| h.case_id).collect()
    };
    let event = rrm_casefile::event_from_json(serde_json::json!({
        "kind": "review_accepted", "date": "2023-06-01", "note": "aceptó revisar en Quokkaville"
    }))
    .unwrap();
    rrm.record("beta-2024", event.clone(), today()).unwrap();
    background.flush();
    assert_eq!(find("quokkaville"), ["beta-2024"]);
    // A burst is applied as it drains, in batches; every write is there once it has.
    for id in ["gamma-2024", "delta-2024"] {
        rrm.record(id, event.clone(), today()).unwrap();
    }
    background.flush();
    let mut all = find("quokkaville");
    all.sort();
    assert_eq!(all, ["beta-2024", "delta-2024", "gamma-2024"]);
    let password = Confidential::new("a long enough passphrase".to_string());
    let sup = rrm
        .add_user("sup@example.org", "Sup", Role::Supervisor, &password, now())
        .unwrap();
    rrm.ensure_intake_team(now()).unwrap();
    rrm.set_team_member(
        rrm_app::Actor::Operator,
        rrm_app::DEFAULT_TEAM,
        &sup,
        true,
        now(),
    )
    .unwrap();
    rrm.set_published(&sup, "beta-2024", false, now()).unwrap();
    let left = find("quokkaville");
    assert!(
        !left.contains(&"beta-2024".to_string()),
        "gone without waiting: {left:?}"
    );
    assert_eq!(left.len(), 2);
}
