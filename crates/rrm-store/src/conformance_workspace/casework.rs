//! Checks of the work staff do on a case: internal notes, documents and evidence files.

use super::accounts::{at, new_user};
use super::petitions::{file, petition_case, sealed, stored, submission};
use crate::{
    sha256, Classification, EvidenceOwner, NewDocument, NewNote, Protected, Role, Sealed, Sharing,
    Store, StoreError, Workspace,
};

/// Notes and documents list per case, oldest first; an unknown case is `NotFound`.
pub fn notes_and_documents_belong_to_a_case(store: &dyn Store, ws: &dyn Workspace) {
    store
        .create_cases(&[petition_case("a-2026"), petition_case("b-2026")])
        .expect("create");
    let author = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let note = |case: &str, text: &str| NewNote {
        case_id: case.into(),
        author: author.id,
        text: sealed(text),
        created: at("2026-11-23T16:00:00Z"),
    };
    let first = ws
        .add_note(&note("a-2026", "Llamar al sindicato"))
        .expect("note");
    ws.add_note(&note("b-2026", "other case")).expect("note");
    ws.add_note(&note("a-2026", "Segunda nota")).expect("note");
    let texts: Vec<Sealed> = ws
        .notes("a-2026")
        .expect("notes")
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(
        texts,
        [sealed("Llamar al sindicato"), sealed("Segunda nota")]
    );
    assert_eq!(
        (first.author, first.case_id.as_str()),
        (author.id, "a-2026")
    );
    let orphan = ws.add_note(&note("no-such-case", "x"));
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");
    let doc = |case: &str, name: &str, content: &[u8]| NewDocument {
        case_id: case.into(),
        uploader: author.id,
        name: Protected::Sealed(sealed(name)),
        content_type: "application/pdf".into(),
        classification: Classification::Restricted,
        sharing: Sharing::default(),
        redacted_from: None,
        action_item: None,
        content_sha256: sha256(content),
        size: content.len() as u64,
        bytes: stored(content),
        created: at("2026-11-23T16:05:00Z"),
    };
    let report = ws
        .add_document(&doc("a-2026", "informe.pdf", b"%PDF report"), &[])
        .expect("doc");
    assert_eq!((report.size, report.sha256), (11, sha256(b"%PDF report")));
    assert_eq!(report.stored_sha256, sha256(&stored(b"%PDF report")));
    assert_eq!(report.classification, Classification::Restricted);
    assert!(!report.published);
    let listed = ws.documents("a-2026").expect("documents");
    assert_eq!(listed, std::slice::from_ref(&report));
    assert_eq!(ws.documents("b-2026").expect("documents"), []);
    assert_eq!(
        ws.blob(&report.stored_sha256).expect("blob"),
        Some(stored(b"%PDF report"))
    );
    let orphan = ws.add_document(&doc("no-such-case", "x.pdf", b"%PDF x"), &[]);
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");
    assert_eq!(
        ws.blob(&sha256(&stored(b"%PDF x"))).expect("blob"),
        None,
        "nothing kept from a failure"
    );
}

/// A public redacted copy may be published; a restricted original may not; sharing and the
/// action item a respondent answers are kept.
pub fn only_public_documents_are_published(store: &dyn Store, ws: &dyn Workspace) {
    store
        .create_cases(&[petition_case("a-2026")])
        .expect("create");
    let author = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let original = ws
        .add_document(
            &NewDocument {
                case_id: "a-2026".into(),
                uploader: author.id,
                name: Protected::Sealed(sealed("acta original.pdf")),
                content_type: "application/pdf".into(),
                classification: Classification::Confidential,
                sharing: Sharing {
                    counterparts: true,
                    respondent: false,
                },
                redacted_from: None,
                action_item: Some("reinstatement".into()),
                content_sha256: sha256(b"%PDF names"),
                size: 10,
                bytes: stored(b"%PDF names"),
                created: at("2026-11-23T16:05:00Z"),
            },
            &[],
        )
        .expect("doc");
    let copy = ws
        .add_document(
            &NewDocument {
                case_id: "a-2026".into(),
                uploader: author.id,
                name: Protected::Clear("acta (testada).pdf".into()),
                content_type: "application/pdf".into(),
                classification: Classification::Public,
                sharing: Sharing::default(),
                redacted_from: Some(original.id),
                action_item: None,
                content_sha256: sha256(b"%PDF xxxxx"),
                size: 10,
                bytes: b"%PDF xxxxx".to_vec(),
                created: at("2026-11-23T16:06:00Z"),
            },
            &[],
        )
        .expect("copy");
    assert_eq!(copy.redacted_from, Some(original.id));
    assert_eq!(
        original.sharing,
        Sharing {
            counterparts: true,
            respondent: false
        }
    );
    assert_eq!(original.action_item.as_deref(), Some("reinstatement"));
    let refused = ws.set_document_published("a-2026", original.id, true);
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    ws.set_document_published("a-2026", copy.id, true)
        .expect("publish");
    let listed = ws.documents("a-2026").expect("documents");
    assert_eq!((listed[0].published, listed[1].published), (false, true));
    assert_eq!(
        listed[1].name,
        Protected::Clear("acta (testada).pdf".into())
    );
    let elsewhere = ws.set_document_published("b-2026", copy.id, true);
    assert!(
        matches!(elsewhere, Err(StoreError::NotFound(_))),
        "{elsewhere:?}"
    );
}

/// The same stored bytes are kept once and read back for both files.
pub fn evidence_is_kept_once_per_content(store: &dyn Store, ws: &dyn Workspace) {
    let same = b"%PDF-1.7 the same scan";
    ws.file_petition(
        &petition_case("p-2026"),
        &submission("RRM-DDDD-DDDD", "p-2026"),
        &[file("one.pdf", same)],
        &[],
    )
    .expect("file");
    store
        .create_cases(&[petition_case("c-2021")])
        .expect("create");
    let case_owner = EvidenceOwner::Case("c-2021".into());
    let added = ws
        .add_evidence(&case_owner, &file("two.pdf", same), &[])
        .expect("evidence");
    assert_eq!(added.owner, case_owner);
    assert_eq!(added.sha256, sha256(same));
    assert_eq!(
        ws.evidence(&case_owner).expect("evidence"),
        std::slice::from_ref(&added)
    );
    let by_submission = ws
        .evidence(&EvidenceOwner::Submission("RRM-DDDD-DDDD".into()))
        .expect("evidence");
    assert_eq!(by_submission[0].sha256, added.sha256);
    assert_eq!(
        ws.blob(&added.stored_sha256).expect("blob"),
        Some(stored(same))
    );
    let unknown = ws.add_evidence(
        &EvidenceOwner::Submission("RRM-ZZZZ-ZZZZ".into()),
        &file("x.pdf", b"x"),
        &[],
    );
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
    let unknown = ws.add_evidence(
        &EvidenceOwner::Case("nope".into()),
        &file("x.pdf", b"x"),
        &[],
    );
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}
