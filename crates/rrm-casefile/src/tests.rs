//! Case file tests: every shipped case parses and round-trips; errors name the field.

use super::*;

fn shipped_case_files() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cases");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_case_parses_and_writes_back_byte_for_byte() {
    let files = shipped_case_files();
    assert!(
        files.len() >= 39,
        "the public record has 39 cases, found {}",
        files.len()
    );
    for (name, text) in files {
        let case = parse_case_file(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = serde_json::to_string_pretty(&case_to_json(&case)).unwrap() + "\n";
        assert_eq!(written, text, "{name} does not round-trip");
    }
}

fn minimal(events: &str) -> String {
    format!(
        r#"{{"format": "rrm-case/1", "procedure": "usmca-31a",
            "facility": {{"name": "Plant"}}, "events": [{events}]}}"#
    )
}

fn error_of(text: &str) -> String {
    parse_case_file(text).unwrap_err().to_string()
}

#[test]
fn errors_name_the_field_path_and_the_problem() {
    let cases = [
        (minimal(r#"{"kind": "review_acepted", "date": "2024-01-01"}"#), "events[0].kind: unknown event kind `review_acepted`"),
        (minimal(r#"{"kind": "review_accepted", "date": "2024-13-01"}"#), "events[0].date: `2024-13-01` is not a date"),
        (minimal(r#"{"kind": "review_accepted", "date": "2024-1-01"}"#), "events[0].date: `2024-1-01` is not a date"),
        (minimal(r#"{"kind": "review_accepted"}"#), "events[0].date: is required"),
        (minimal(r#"{"kind": "review_accepted", "date": null}"#), "events[0].date_text: is required when `date` is null"),
        (minimal(r#"{"kind": "review_report", "date": "2024-01-01"}"#), "events[0].denial_found: is required"),
        (minimal(r#"{"kind": "review_accepted", "date": "2024-01-01", "extra": 1}"#), "events[0].extra: unknown field for `review_accepted`"),
        (minimal(r#"{"kind": "remediation_agreed", "date": "2024-01-01", "actions": [{"id": "a", "description": "x"}, {"id": "a", "description": "y"}]}"#), "events[0].actions[1].id: `a` is used twice"),
        (minimal(r#"{"kind": "case_resolved", "date": "2024-01-01", "outcome": "won"}"#), "events[0].outcome: unknown code `won`"),
        (minimal(r#"{"kind": "deadline_extended", "date": "2024-01-01", "clock": "x"}"#), "events[0].until: give exactly one of"),
        (r#"{"format": "rrm-case/2", "procedure": "usmca-31a", "facility": {"name": "P"}}"#.into(), "format: must be \"rrm-case/1\""),
        (r#"{"format": "rrm-case/1", "id": "Bad Id", "procedure": "usmca-31a", "facility": {"name": "P"}}"#.into(), "id: `Bad Id` is not a slug"),
        (r#"{"format": "rrm-case/1", "procedure": "usmca-31a", "facility": {"nam": "P"}}"#.into(), "facility.nam: unknown field `nam`"),
        (r#"{"format": "rrm-case/1", "procedure": "usmca-31a", "facility": {"name": "P"}, "sources": ["ftp://x"]}"#.into(), "sources[0]: must be an http(s) URL"),
    ];
    for (text, expected) in cases {
        let message = error_of(&text);
        assert!(
            message.starts_with(expected),
            "expected `{expected}`, got `{message}`"
        );
    }
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let err = parse_case_file("{\n  \"format\": \"rrm-case/1\",\n  oops\n}").unwrap_err();
    match err {
        CaseFileError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 3)),
        other => panic!("expected a syntax error, got {other}"),
    }
}

mod round_trip {
    use proptest::prelude::*;
    use rrm_core::event::{ActionItem, Event, EventBody as B, Extension, Remedy};
    use rrm_core::NaiveDate;

    use crate::{event_from_json, event_to_json};

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0u64..20_000)
            .prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(n))
    }

    fn body() -> impl Strategy<Value = B> {
        let text = "[a-zA-Z0-9 áéñ\"\\\\]{0,12}";
        prop_oneof![
            prop::collection::vec(text, 0..3)
                .prop_map(|allegations| B::PetitionFiled { allegations }),
            any::<bool>().prop_map(|affirmative| B::IlcDetermination { affirmative }),
            (any::<bool>(), any::<bool>()).prop_map(|(denial_found, remedied)| B::ReviewReport {
                denial_found,
                remedied
            }),
            (
                text,
                text,
                proptest::option::of(date()),
                proptest::option::of(date())
            )
                .prop_map(|(id, description, due, plan_due)| B::RemediationAgreed {
                    actions: vec![ActionItem {
                        id,
                        description,
                        responsible: Some("company".into()),
                        due
                    }],
                    due: plan_due,
                }),
            (text, date()).prop_map(|(clock, d)| B::DeadlineExtended {
                clock,
                extension: Extension::Until(d)
            }),
            (1u32..100).prop_map(|n| B::DeadlineExtended {
                clock: "c".into(),
                extension: Extension::ByDays(n)
            }),
            Just(B::RemedyImposed {
                remedy: Remedy::DenialOfEntry
            }),
            proptest::option::of(text).prop_map(|summary| B::CaseResolved {
                outcome: "other".into(),
                summary
            }),
            Just(B::FacilityClosed),
        ]
    }

    proptest! {
        #[test]
        fn events_round_trip_through_json(body in body(), date in proptest::option::of(date()), note in proptest::option::of("[a-z ]{1,10}")) {
            let date_text = date.is_none().then(|| "unknown".to_string());
            let event = Event { date, date_text, body, note, source: Some("https://example.org".into()) };
            let json = event_to_json(&event);
            prop_assert_eq!(event_from_json(json.clone()), Ok(event));
            // Writing is deterministic: the stored payload is the same bytes every time.
            prop_assert_eq!(json.to_string(), event_to_json(&event_from_json(json.clone()).unwrap()).to_string());
        }
    }
}
