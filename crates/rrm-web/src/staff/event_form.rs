//! The record-an-event form: which payload fields each kind of event takes, and turning the
//! submitted fields into a case-file event (JSON in the `rrm-case/1` shape), which the case
//! file parser then checks, naming any bad field, before the engine decides.
//!
//! Action items of a course of remediation come as numbered rows (`action_id_0`,
//! `action_description_0`, ...); rows left empty are skipped. Lists (evidence, panelists)
//! come one per line.

use rrm_core::event::EventKind;
use serde_json::{Map, Value};

/// Rows offered for the action items of a course of remediation.
pub const ACTION_ROWS: usize = 8;

/// The payload fields of a kind, in the order the form shows them.
pub fn payload_fields(kind: EventKind) -> &'static [&'static str] {
    use EventKind as K;
    match kind {
        K::PetitionFiled => &["allegations"],
        K::IlcDetermination => &["affirmative"],
        K::RequestForReview => &["self_initiated"],
        K::ReviewDeclined => &["reason"],
        K::ReviewReport => &["denial_found", "remedied"],
        K::RemediationAgreed => &["due", "actions"],
        K::ActionCompleted => &["action", "evidence"],
        K::ActionVerified => &["action", "by"],
        K::DeadlineExtended => &["clock", "until", "days"],
        K::PanelConstituted => &["panelists"],
        K::VerificationAnswered => &["consented"],
        K::PanelDetermination => &["denial_found"],
        K::RemedyImposed | K::RemedyLifted => &["remedy"],
        K::CaseResolved => &["outcome", "summary"],
        K::CaseClosed => &["reason", "summary"],
        _ => &[],
    }
}

const BOOLS: [&str; 5] = [
    "affirmative",
    "self_initiated",
    "denial_found",
    "remedied",
    "consented",
];
const LINES: [&str; 2] = ["evidence", "panelists"];

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The event the form describes, as case-file JSON; `Err` names a field that is not even
/// shaped right (the parser checks the rest).
pub fn event_json(kind: EventKind, fields: &[(String, String)]) -> Result<Value, String> {
    let mut m = Map::new();
    m.insert("kind".into(), kind.as_str().into());
    m.insert(
        "date".into(),
        value(fields, "date").map_or(Value::Null, Value::from),
    );
    for name in ["date_text", "note", "source"] {
        if let Some(v) = value(fields, name) {
            m.insert(name.into(), v.into());
        }
    }
    for &name in payload_fields(kind) {
        if let Some(v) = payload(name, fields)? {
            m.insert(name.into(), v);
        }
    }
    Ok(Value::Object(m))
}

fn payload(name: &str, fields: &[(String, String)]) -> Result<Option<Value>, String> {
    if name == "actions" {
        return Ok(Some(Value::Array(actions(fields))));
    }
    if name == "allegations" {
        let codes: Vec<Value> = fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str().into())
            .collect();
        return Ok((!codes.is_empty()).then_some(Value::Array(codes)));
    }
    let Some(v) = value(fields, name) else {
        // An unticked checkbox sends nothing: for a flag that is `false`.
        return Ok(BOOLS.contains(&name).then_some(Value::Bool(false)));
    };
    Ok(Some(match name {
        n if BOOLS.contains(&n) => Value::Bool(matches!(v, "true" | "on" | "yes")),
        n if LINES.contains(&n) => v
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Value::from)
            .collect(),
        "days" => v
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| format!("days: `{v}` is not a whole number"))?,
        _ => v.into(),
    }))
}

fn actions(fields: &[(String, String)]) -> Vec<Value> {
    (0..ACTION_ROWS)
        .filter_map(|i| {
            let mut a = Map::new();
            for part in ["id", "description", "responsible", "due"] {
                if let Some(v) = value(fields, &format!("action_{part}_{i}")) {
                    a.insert(part.into(), v.into());
                }
            }
            (!a.is_empty()).then_some(Value::Object(a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_remediation_plan_becomes_action_items() {
        let fields = f(&[
            ("date", "2026-11-20"),
            ("due", "2027-02-01"),
            ("action_id_0", "vote"),
            ("action_description_0", "New legitimation vote"),
            ("action_responsible_0", "STPS"),
            ("action_due_0", "2027-01-15"),
            ("action_id_3", "posters"),
            ("action_description_3", "Post the workers' rights"),
            ("reason", "ignored: not a field of this kind"),
        ]);
        let json = event_json(EventKind::RemediationAgreed, &fields).unwrap();
        let event = rrm_casefile::event_from_json(json).unwrap();
        let rrm_core::event::EventBody::RemediationAgreed { actions, due } = event.body else {
            panic!("a remediation")
        };
        assert_eq!(actions.len(), 2);
        assert_eq!(
            (actions[0].id.as_str(), actions[1].id.as_str()),
            ("vote", "posters")
        );
        assert_eq!(due.map(|d| d.to_string()).as_deref(), Some("2027-02-01"));
    }

    #[test]
    fn flags_lists_and_numbers_take_their_json_types() {
        let report = event_json(
            EventKind::ReviewReport,
            &f(&[("date", "2026-11-20"), ("denial_found", "true")]),
        )
        .unwrap();
        assert_eq!(report["denial_found"], true);
        assert_eq!(report["remedied"], false);
        let done = event_json(
            EventKind::ActionCompleted,
            &f(&[("action", "vote"), ("evidence", "minutes\n\n photos ")]),
        )
        .unwrap();
        assert_eq!(done["evidence"], serde_json::json!(["minutes", "photos"]));
        assert_eq!(done["date"], Value::Null);
        let bad = event_json(EventKind::DeadlineExtended, &f(&[("days", "ten")])).unwrap_err();
        assert!(bad.starts_with("days:"), "{bad}");
    }
}
