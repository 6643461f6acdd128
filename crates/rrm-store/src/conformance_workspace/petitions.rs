//! Checks of petition intake: a petition is filed whole (case unpublished, submission,
//! evidence) or not at all, and publication decides what listings show.

use chrono::NaiveDate;

use super::accounts::at;
use crate::{
    sha256, CaseFilter, CaseHeader, Confidential, DeadlineQuery, EvidenceOwner, NewCase, NewEvent,
    NewFile, NewSubmission, ProjectedClock, Projection, Sealed, Store, StoreError, Workspace,
};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a valid fixture date")
}

/// A case opened by one `petition_filed` event, with the ILC's clock running.
pub(crate) fn petition_case(id: &str) -> NewCase {
    NewCase {
        header: CaseHeader {
            id: id.to_string(),
            procedure: "usmca-31a".into(),
            facility_key: None,
            document: format!(r#"{{"id":"{id}","facility":{{"name":"Planta {id}"}}}}"#),
        },
        events: vec![NewEvent {
            kind: "petition_filed".into(),
            date: Some(d("2026-11-23")),
            payload: r#"{"kind":"petition_filed","date":"2026-11-23","allegations":["other"]}"#
                .into(),
        }],
        projection: Projection {
            stage: "ilc_review".into(),
            first_date: Some(d("2026-11-23")),
            last_date: Some(d("2026-11-23")),
            clocks: vec![ProjectedClock {
                clock: "ilc_determination".into(),
                started: Some(d("2026-11-23")),
                due: d("2026-12-23"),
            }],
            ..Projection::default()
        },
    }
}

pub(crate) fn submission(receipt: &str, case_id: &str) -> NewSubmission {
    NewSubmission {
        receipt: receipt.into(),
        secret_hash: Confidential::new("$argon2id$v=19$secret".into()),
        case_id: case_id.into(),
        content: sealed(r#"{"narrative":"Despidos — «sindicato»"}"#),
        created: at("2026-11-23T15:04:05Z"),
    }
}

/// Stand-in for sealing: the store only ever sees opaque bytes.
pub(crate) fn sealed(text: &str) -> Sealed {
    Sealed(stored(text.as_bytes()))
}

/// The bytes a file is stored as in these checks.
pub(crate) fn stored(content: &[u8]) -> Vec<u8> {
    [b"sealed:".as_slice(), content].concat()
}

pub(crate) fn file(name: &str, content: &[u8]) -> NewFile {
    NewFile {
        file_name: sealed(name),
        declared_type: "application/pdf".into(),
        sniffed_type: "application/pdf".into(),
        content_sha256: sha256(content),
        size: content.len() as u64,
        bytes: stored(content),
        created: at("2026-11-23T15:04:05Z"),
    }
}

fn listed(store: &dyn Store, published: Option<bool>) -> Vec<String> {
    let filter = CaseFilter {
        published,
        ..CaseFilter::default()
    };
    let (rows, total) = store.list_cases(&filter).expect("list");
    assert_eq!(total, rows.len() as u64, "total of {filter:?}");
    rows.into_iter().map(|r| r.id).collect()
}

/// Filing creates the case with its events and clocks, unpublished; keeps the submission
/// by receipt and by case, and the evidence with its bytes.
pub fn a_petition_is_filed_whole_and_unpublished(store: &dyn Store, ws: &dyn Workspace) {
    let evidence = [
        file("acta.pdf", b"%PDF-1.7 uno"),
        file("fotos.pdf", b"%PDF-1.7 dos"),
    ];
    let case = petition_case("planta-2026");
    ws.file_petition(
        &case,
        &submission("RRM-7K3M-Q9XD", "planta-2026"),
        &evidence,
        &[],
    )
    .expect("file");
    let read = store
        .case("planta-2026")
        .expect("read")
        .expect("the case exists");
    assert_eq!(read.head_seq, 1);
    assert_eq!(
        store.events("planta-2026").expect("events")[0].payload,
        case.events[0].payload
    );
    let due = store.deadlines(&DeadlineQuery {
        due_from: None,
        due_to: None,
        case_id: None,
        limit: 10,
    });
    assert_eq!(due.expect("deadlines").len(), 1, "its clock is indexed");
    assert!(!ws.is_published("planta-2026").expect("read"));
    assert_eq!(ws.unpublished().expect("read"), ["planta-2026"]);
    let by_receipt = ws.submission("RRM-7K3M-Q9XD").expect("read").expect("kept");
    assert_eq!(by_receipt, submission("RRM-7K3M-Q9XD", "planta-2026"));
    let by_case = ws.submission_for_case("planta-2026").expect("read");
    assert_eq!(by_case.as_ref(), Some(&by_receipt));
    assert_eq!(ws.submission("RRM-0000-0000").expect("read"), None);
    let owner = EvidenceOwner::Submission("RRM-7K3M-Q9XD".into());
    let files = ws.evidence(&owner).expect("evidence");
    let names: Vec<&Sealed> = files.iter().map(|f| &f.file_name).collect();
    assert_eq!(names, [&sealed("acta.pdf"), &sealed("fotos.pdf")]);
    assert_eq!(
        (files[0].size, files[0].sha256, files[0].stored_sha256),
        (
            12,
            sha256(b"%PDF-1.7 uno"),
            sha256(&stored(b"%PDF-1.7 uno"))
        )
    );
    assert_eq!(files[0].owner, owner);
    assert_eq!(
        ws.blob(&files[1].stored_sha256).expect("blob"),
        Some(stored(b"%PDF-1.7 dos"))
    );
    assert_eq!(ws.blob(&sha256(b"nothing")).expect("blob"), None);
}

/// A duplicate receipt or case id fails the whole petition: no case, no file, no blob.
pub fn a_refused_petition_writes_nothing(store: &dyn Store, ws: &dyn Workspace) {
    let first = petition_case("planta-2026");
    ws.file_petition(
        &first,
        &submission("RRM-AAAA-AAAA", "planta-2026"),
        &[],
        &[],
    )
    .expect("file");
    let evidence = [file("x.pdf", b"%PDF-1.7 never stored")];
    let same_receipt = ws.file_petition(
        &petition_case("otra-2026"),
        &submission("RRM-AAAA-AAAA", "otra-2026"),
        &evidence,
        &[],
    );
    assert!(
        matches!(same_receipt, Err(StoreError::Conflict(_))),
        "{same_receipt:?}"
    );
    assert_eq!(
        store.case("otra-2026").expect("read"),
        None,
        "no case left behind"
    );
    let same_case = ws.file_petition(
        &first,
        &submission("RRM-BBBB-BBBB", "planta-2026"),
        &evidence,
        &[],
    );
    assert!(
        matches!(same_case, Err(StoreError::Conflict(_))),
        "{same_case:?}"
    );
    assert_eq!(ws.submission("RRM-BBBB-BBBB").expect("read"), None);
    assert_eq!(
        ws.blob(&sha256(&stored(b"%PDF-1.7 never stored")))
            .expect("blob"),
        None
    );
    assert_eq!(ws.unpublished().expect("read"), ["planta-2026"]);
    assert_eq!(store.stats().expect("stats").cases, 1);
}

/// Created cases are published; petition cases are not until published; the filter follows.
pub fn publication_filters_listings(store: &dyn Store, ws: &dyn Workspace) {
    store
        .create_cases(&[petition_case("imported-2021")])
        .expect("create");
    ws.file_petition(
        &petition_case("petition-2026"),
        &submission("RRM-CCCC-CCCC", "petition-2026"),
        &[],
        &[],
    )
    .expect("file");
    assert!(ws.is_published("imported-2021").expect("read"));
    assert!(
        ws.is_published("no-such-case").expect("read"),
        "unknown is not unpublished"
    );
    assert_eq!(listed(store, None), ["imported-2021", "petition-2026"]);
    assert_eq!(listed(store, Some(true)), ["imported-2021"]);
    assert_eq!(listed(store, Some(false)), ["petition-2026"]);
    ws.set_published("petition-2026", true).expect("publish");
    ws.set_published("petition-2026", true)
        .expect("publishing twice is fine");
    assert_eq!(
        listed(store, Some(true)),
        ["imported-2021", "petition-2026"]
    );
    assert_eq!(ws.unpublished().expect("read"), Vec::<String>::new());
    ws.set_published("imported-2021", false).expect("unpublish");
    assert_eq!(listed(store, Some(true)), ["petition-2026"]);
    assert_eq!(ws.unpublished().expect("read"), ["imported-2021"]);
    let unknown = ws.set_published("no-such-case", false);
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}
