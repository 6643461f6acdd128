//! Synthetic cases and documents for the search tests.

use rrm_casefile::{parse_case_file, CaseFile};
use rrm_search::extract::{ExtractStatus, Extracted};
use rrm_search::{
    Audience, CaseMeta, CaseScope, CaseSource, Classification, DocumentSource, Indexes,
    SearchFilters,
};

pub const PETITIONER_CANARY: &str = "CANARY-SEARCH-PETITIONER-4d2c";
pub const UNPUBLISHED_CANARY: &str = "Zyxwvutcanary Unpublished Widgets";
pub const DOCUMENT_CANARY: &str = "Qwertycanary";

pub fn case(id: &str, facility: &str, city: &str, summary: &str, note: &str) -> CaseFile {
    let json = serde_json::json!({
        "format": "rrm-case/1",
        "id": id,
        "procedure": "usmca-31a",
        "facility": {"name": facility, "city": city, "state": city, "country": "MX",
                     "company": format!("{facility} S.A."), "sector": "auto parts"},
        "petitioners": [
            {"name": "Sindicato Público de Prueba", "public": true},
            {"name": PETITIONER_CANARY, "public": false}
        ],
        "summary": summary,
        "events": [
            {"kind": "request_for_review", "date": "2023-05-22", "note": note}
        ]
    });
    parse_case_file(&json.to_string()).expect("a valid test case")
}

pub fn source(case: CaseFile, published: bool, stage: &str, year: i32) -> CaseSource {
    CaseSource {
        case,
        published,
        meta: CaseMeta {
            stage: Some(stage.into()),
            outcome: None,
            year: Some(year),
        },
        documents: Vec::new(),
    }
}

pub fn document(id: i64, name: &str, text: &str, classification: Classification) -> DocumentSource {
    DocumentSource {
        id,
        name: name.into(),
        classification,
        extracted: Extracted {
            text: text.into(),
            status: ExtractStatus::Ok,
        },
    }
}

pub fn synthetic() -> Vec<CaseSource> {
    let mut alpha = source(
        case(
            "alpha-2023",
            "Fábrica Alpha",
            "Querétaro",
            "Despido de trabajadores <script>alert(1)</script> tras la votación.",
            "The union reported dismissals of workers.",
        ),
        true,
        "under_review",
        2023,
    );
    alpha.documents.push(document(
        7,
        "acta de asamblea.pdf",
        &format!("Minutes of the assembly. {DOCUMENT_CANARY} restricted minutes."),
        Classification::Restricted,
    ));
    alpha.documents.push(document(
        8,
        "secret.pdf",
        "Confidentialcanary testimony",
        Classification::Confidential,
    ));
    let beta = source(
        case(
            "beta-2024",
            "Planta Beta",
            "San Luis Potosí",
            "Workers voted on the collective bargaining agreement.",
            "Se reportaron despidos y amenazas en la planta Alpha del proveedor.",
        ),
        true,
        "remediation",
        2024,
    );
    let hidden = source(
        case(
            "hidden-2025",
            UNPUBLISHED_CANARY,
            "Puebla",
            "A petition under review by staff.",
            "Confidential intake.",
        ),
        false,
        "ilc_review",
        2025,
    );
    vec![alpha, beta, hidden]
}

pub fn indexes() -> Indexes {
    let indexes = Indexes::in_memory().unwrap();
    indexes.rebuild(synthetic(), "test", |_| {}).unwrap();
    indexes
}

pub const STAFF: Audience = Audience::Staff {
    cases: CaseScope::All,
};

/// The case ids of the hits, in rank order (documents as `case#file`).
pub fn ids(indexes: &Indexes, audience: &Audience, q: &str) -> Vec<String> {
    indexes
        .search(audience, q, &SearchFilters::default(), 20, 0)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| match h.kind {
            rrm_search::HitKind::Case => h.case_id,
            rrm_search::HitKind::Document(d) => format!("{}#{d}", h.case_id),
        })
        .collect()
}

pub fn public_ids(indexes: &Indexes, q: &str) -> Vec<String> {
    ids(indexes, &Audience::Public, q)
}
