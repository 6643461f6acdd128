//! Fuzzing the case-file parser with proptest (stable Rust, so no libFuzzer): arbitrary
//! bytes, shipped case files mutated as text, and shipped case files with a value somewhere
//! replaced by arbitrary JSON. The parser never panics; every rejection says where (`line L,
//! column C` or a field path) and what the problem is; whatever it accepts writes back and
//! parses to the same case.
//!
//! Bounded for CI: 256 cases per property unless `PROPTEST_CASES` says otherwise. To fuzz
//! longer: `PROPTEST_CASES=100000 cargo test -p rrm-casefile --test fuzz --release`.

use proptest::prelude::*;
use proptest::test_runner::Config;
use rrm_casefile::{case_from_value, case_to_json, parse_case_file, CaseFile, CaseFileError};
use serde_json::Value;

/// Real case files of different shapes (remediation plans, panels, unknown dates).
const SEEDS: [&str; 4] = [
    include_str!("../../../data/cases/alimentos-grole-2025.json"),
    include_str!("../../../data/cases/asiaway-2023.json"),
    include_str!("../../../data/cases/gm-silao-2021.json"),
    include_str!("../../../data/cases/san-martin-2023.json"),
];

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 256;
    }
    c
}

/// What every outcome must satisfy.
fn judge(result: Result<CaseFile, CaseFileError>) -> Result<(), TestCaseError> {
    match result {
        Ok(case) => {
            let written = serde_json::to_string(&case_to_json(&case)).unwrap();
            let again = parse_case_file(&written);
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&case),
                "no round trip: {}",
                written
            );
        }
        Err(CaseFileError::Syntax {
            line,
            column,
            problem,
        }) => {
            prop_assert!(line >= 1 && column >= 1 && !problem.is_empty());
        }
        Err(CaseFileError::Content { path, problem }) => {
            prop_assert!(!problem.is_empty(), "an empty problem at {}", path);
        }
    }
    Ok(())
}

/// Arbitrary JSON, a few levels deep, with some values the format gives meaning to.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
        prop::sample::select(vec![
            "2024-02-29",
            "2023-02-29",
            "usmca-31a",
            "petition_filed",
            "review_accepted",
            "panel_determination",
            "MX",
            "",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every node of a JSON value, as a path of keys and indexes.
fn nodes(v: &Value, at: &[String], out: &mut Vec<Vec<String>>) {
    out.push(at.to_vec());
    let mut child = |key: String, x: &Value| {
        let mut p = at.to_vec();
        p.push(key);
        nodes(x, &p, out);
    };
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, x)| child(i.to_string(), x)),
        Value::Object(map) => map.iter().for_each(|(k, x)| child(k.clone(), x)),
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        Value::Object(map) => map.get_mut(key).unwrap(),
        _ => unreachable!("paths lead through containers"),
    })
}

/// A text edit: where, which kind, and the text it inserts.
type Edit = (prop::sample::Index, u8, String);

fn apply(text: &mut Vec<char>, (at, op, insert): Edit) {
    let i = at.index(text.len().max(1)).min(text.len());
    match op {
        0 => {
            text.drain(i..(i + insert.len() + 1).min(text.len()));
        }
        1 => {
            text.splice(i..i, insert.chars());
        }
        2 => {
            let dup: Vec<char> = text[i..(i + 40).min(text.len())].to_vec();
            text.splice(i..i, dup);
        }
        _ => {
            if let (Some(c), Some(slot)) = (insert.chars().next(), text.get_mut(i)) {
                *slot = c;
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        judge(parse_case_file(&String::from_utf8_lossy(&bytes)))?;
    }

    #[test]
    fn mutated_text_is_accepted_whole_or_refused_with_a_place(
        seed in 0..SEEDS.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, "\\PC{0,6}"), 1..4),
    ) {
        let mut text: Vec<char> = SEEDS[seed].chars().collect();
        for edit in edits {
            apply(&mut text, edit);
        }
        judge(parse_case_file(&text.into_iter().collect::<String>()))?;
    }

    #[test]
    fn a_value_replaced_anywhere_is_accepted_whole_or_refused_naming_the_problem(
        seed in 0..SEEDS.len(),
        at in any::<prop::sample::Index>(),
        replacement in json(),
    ) {
        let mut doc: Value = serde_json::from_str(SEEDS[seed]).unwrap();
        let mut all = Vec::new();
        nodes(&doc, &[], &mut all);
        let path = all[at.index(all.len())].clone();
        *node_mut(&mut doc, &path) = replacement;
        judge(case_from_value(doc))?;
    }
}
