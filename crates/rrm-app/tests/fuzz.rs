//! Fuzzing the importer and petition intake with proptest (stable Rust, so no libFuzzer):
//! `Rrm::import_all` with arbitrary bytes and with mutated real case files and `.jsonl`
//! batches, and `Rrm::file_petition` with arbitrary fields and files. Nothing panics; every
//! refusal is a bad-input or too-large error that says what is wrong; a refusal stores
//! nothing (the store's counts and its list of unpublished cases are unchanged); an
//! acceptance stores exactly what it reports.
//!
//! Bounded for CI: 128 cases per property unless `PROPTEST_CASES` says otherwise. To fuzz
//! longer: `PROPTEST_CASES=100000 cargo test -p rrm-app --test fuzz --release`.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rrm_app::{AppError, ImportSource, PetitionInput, Rrm, Upload};
use rrm_store::{Confidential, StoreStats};
use rrm_testkit::TestRrm;

const SEEDS: [&str; 3] = [
    include_str!("../../../data/cases/camino-rojo-2024.json"),
    include_str!("../../../data/cases/tridonex-2021.json"),
    include_str!("../../../data/cases/volkswagen-puebla-2024.json"),
];

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 128;
    }
    c
}

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

fn footprint(rrm: &Rrm) -> (StoreStats, Vec<String>) {
    (
        rrm.store.stats().unwrap(),
        rrm.workspace.unpublished().unwrap(),
    )
}

/// A refusal is one of the errors input can cause, with words in it.
fn refusal_is_clear(e: &AppError) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            e,
            AppError::BadInput(_)
                | AppError::Refused { .. }
                | AppError::TooLarge(_)
                | AppError::Conflict(_)
        ),
        "not an input error: {e:?}"
    );
    prop_assert!(e.to_string().len() > 5, "{e}");
    Ok(())
}

fn import_judged(rrm: &Rrm, sources: &[ImportSource]) -> Result<(), TestCaseError> {
    let before = footprint(rrm);
    match rrm.import_all(sources, now()) {
        Ok(report) => {
            let after = rrm.store.stats().unwrap();
            prop_assert_eq!(after.cases, before.0.cases + report.cases as u64);
            prop_assert_eq!(after.events, before.0.events + report.events as u64);
        }
        Err(e) => {
            refusal_is_clear(&e)?;
            prop_assert_eq!(
                footprint(rrm),
                before,
                "a refused import stored something: {}",
                e
            );
        }
    }
    Ok(())
}

fn mutate(text: &str, edits: &[(prop::sample::Index, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, insert) in edits {
        let i = at.index(chars.len() + 1);
        let end = (i + insert.chars().count()).min(chars.len());
        // Replaces as many characters as it inserts: keeps most of the file's shape.
        chars.splice(i..end, insert.chars());
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn importing_arbitrary_bytes_stores_nothing(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        jsonl in any::<bool>(),
    ) {
        let name = if jsonl { "fuzz.jsonl" } else { "fuzz.json" };
        let source = ImportSource { name: name.into(), text: String::from_utf8_lossy(&bytes).into() };
        import_judged(&rrm(), &[source])?;
    }

    #[test]
    fn importing_mutated_case_files_stores_all_or_nothing(
        picks in prop::collection::vec(0..SEEDS.len(), 1..4),
        edits in prop::collection::vec((any::<prop::sample::Index>(), "[\\PC\"{}\\[\\],:0-9]{0,4}"), 0..3),
        as_jsonl in any::<bool>(),
    ) {
        let rrm = rrm();
        // A case already stored must survive every refused import that follows.
        rrm.import_all(&[ImportSource { name: "first.json".into(), text: SEEDS[0].into() }], now()).unwrap();
        let texts: Vec<String> = picks.iter().map(|&i| SEEDS[i].to_string()).collect();
        let source = if as_jsonl {
            let lines: Vec<String> = texts
                .iter()
                .map(|t| serde_json::to_string(&serde_json::from_str::<serde_json::Value>(t).unwrap()).unwrap())
                .collect();
            ImportSource { name: "batch.jsonl".into(), text: mutate(&lines.join("\n"), &edits) }
        } else {
            ImportSource { name: "case.json".into(), text: mutate(&texts[0], &edits) }
        };
        import_judged(&rrm, &[source])?;
        prop_assert!(rrm.store.case("camino-rojo-2024").unwrap().is_some());
        let report = rrm.store.verify(&mut |_| ()).unwrap();
        prop_assert!(report.broken.is_empty(), "{:?}", report.broken);
    }

    #[test]
    fn any_petition_is_filed_whole_or_refused_naming_the_field(
        office in prop::sample::select(vec!["us_ilc", "canada_nao", "", "mx_stps"]),
        fields in prop::collection::vec("\\PC{0,40}|[\\u{0}-\\u{1f}]{0,5}|x{190,210}", 7),
        allegations in prop::collection::vec(
            prop::sample::select(vec!["other", "protection_contract", "", "bribery"]), 0..3),
        flags in any::<(bool, bool)>(),
        files in prop::collection::vec(
            (prop::sample::select(vec![&b"%PDF-1.7 x"[..], b"\x89PNG\r\n\x1a\nx", b"MZ\x90", b"", b"PK\x03\x04"]),
             prop::collection::vec(any::<u8>(), 0..32),
             "\\PC{0,12}"),
            0..7),
    ) {
        let rrm = rrm();
        let input = PetitionInput {
            office: office.into(),
            facility: fields[0].clone(),
            company: fields[1].clone(),
            city: fields[2].clone(),
            state: fields[3].clone(),
            allegations: allegations.iter().map(|s| s.to_string()).collect(),
            narrative: fields[4].clone(),
            anonymous: flags.0,
            organization: fields[5].clone(),
            contact: fields[6].clone(),
            consent: flags.1,
            language: "es".into(),
        };
        let uploads: Vec<Upload> = files
            .into_iter()
            .map(|(head, tail, name)| Upload {
                file_name: Confidential::new(name),
                declared_type: "application/pdf".into(),
                bytes: [head, &tail[..]].concat(),
            })
            .collect();
        let count = uploads.len();
        let before = footprint(&rrm);
        match rrm.file_petition(&input, uploads, today(), now()) {
            Ok(receipt) => {
                let (stats, unpublished) = footprint(&rrm);
                prop_assert_eq!(stats.cases, before.0.cases + 1);
                prop_assert_eq!(unpublished, vec![receipt.case_id.clone()]);
                let owner = rrm_store::EvidenceOwner::Submission(receipt.receipt.clone());
                prop_assert_eq!(rrm.workspace.evidence(&owner).unwrap().len(), count);
            }
            Err(e) => {
                refusal_is_clear(&e)?;
                prop_assert!(!matches!(e, AppError::Refused { .. }), "{e}");
                prop_assert_eq!(footprint(&rrm), before, "a refused petition stored something");
            }
        }
    }
}
