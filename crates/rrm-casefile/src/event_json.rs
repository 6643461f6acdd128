//! One event as JSON: `{"kind": ..., "date": "YYYY-MM-DD", ...payload}`, read field by field so
//! every error names the field, and written back in a fixed key order so the stored payload
//! (which the hash chain covers) is deterministic.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use rrm_core::event::{ActionItem, Event, EventBody as B, EventKind, Extension, Remedy};
use rrm_core::party::Party;

use crate::CaseFileError;

type Fields = Map<String, Value>;

fn err(path: &str, problem: impl Into<String>) -> CaseFileError {
    CaseFileError::at(path, problem)
}

fn take_text(m: &mut Fields, field: &str) -> Result<Option<String>, CaseFileError> {
    match m.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(err(field, "must be a text")),
    }
}

fn need_text(m: &mut Fields, field: &str) -> Result<String, CaseFileError> {
    take_text(m, field)?.ok_or_else(|| err(field, "is required"))
}

fn take_bool(m: &mut Fields, field: &str) -> Result<Option<bool>, CaseFileError> {
    match m.remove(field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(_) => Err(err(field, "must be true or false")),
    }
}

fn need_bool(m: &mut Fields, field: &str) -> Result<bool, CaseFileError> {
    take_bool(m, field)?.ok_or_else(|| err(field, "is required (true or false)"))
}

pub(crate) fn parse_date(path: &str, s: &str) -> Result<NaiveDate, CaseFileError> {
    let shape_ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if shape_ok => Ok(d),
        _ => Err(err(
            path,
            format!("`{s}` is not a date in the form YYYY-MM-DD"),
        )),
    }
}

fn take_date(m: &mut Fields, field: &str) -> Result<Option<NaiveDate>, CaseFileError> {
    take_text(m, field)?
        .map(|s| parse_date(field, &s))
        .transpose()
}

fn take_texts(m: &mut Fields, field: &str) -> Result<Vec<String>, CaseFileError> {
    match m.remove(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s),
                _ => Err(err(&format!("{field}[{i}]"), "must be a text")),
            })
            .collect(),
        Some(_) => Err(err(field, "must be a list of texts")),
    }
}

fn remedy(m: &mut Fields) -> Result<Remedy, CaseFileError> {
    let name = need_text(m, "remedy")?;
    Remedy::parse(&name).ok_or_else(|| {
        err(
            "remedy",
            format!("unknown remedy `{name}`: use tariff_preference_suspension, penalty or denial_of_entry"),
        )
    })
}

fn actions(m: &mut Fields) -> Result<Vec<ActionItem>, CaseFileError> {
    let items = match m.remove("actions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(err("actions", "must be a list of action items")),
    };
    let mut parsed: Vec<ActionItem> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("actions[{i}]");
        let Value::Object(mut a) = item else {
            return Err(err(&path, "an action item is an object"));
        };
        let action = ActionItem {
            id: need_text(&mut a, "id").map_err(|e| e.under(&path))?,
            description: need_text(&mut a, "description").map_err(|e| e.under(&path))?,
            responsible: take_text(&mut a, "responsible").map_err(|e| e.under(&path))?,
            due: take_date(&mut a, "due").map_err(|e| e.under(&path))?,
        };
        no_more(&a, "an action item").map_err(|e| e.under(&path))?;
        if parsed.iter().any(|p| p.id == action.id) {
            return Err(err(
                &format!("{path}.id"),
                format!("`{}` is used twice", action.id),
            ));
        }
        parsed.push(action);
    }
    Ok(parsed)
}

fn extension(m: &mut Fields) -> Result<Extension, CaseFileError> {
    let until = take_date(m, "until")?;
    let days = match m.remove("days") {
        None => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(d) if (1..=3650).contains(&d) => Some(d as u32),
            _ => return Err(err("days", "must be a whole number from 1 to 3650")),
        },
        Some(_) => return Err(err("days", "must be a number")),
    };
    match (until, days) {
        (Some(u), None) => Ok(Extension::Until(u)),
        (None, Some(d)) => Ok(Extension::ByDays(d)),
        _ => Err(err(
            "until",
            "give exactly one of `until` (a date) or `days`",
        )),
    }
}

fn no_more(m: &Fields, what: &str) -> Result<(), CaseFileError> {
    match m.keys().next() {
        Some(extra) => Err(err(extra, format!("unknown field for {what}"))),
        None => Ok(()),
    }
}

fn body(kind: EventKind, m: &mut Fields) -> Result<B, CaseFileError> {
    use EventKind as K;
    Ok(match kind {
        K::PetitionFiled => B::PetitionFiled {
            allegations: take_texts(m, "allegations")?,
        },
        K::IlcDetermination => B::IlcDetermination {
            affirmative: need_bool(m, "affirmative")?,
        },
        K::RequestForReview => B::RequestForReview {
            self_initiated: take_bool(m, "self_initiated")?.unwrap_or(false),
        },
        K::LiquidationSuspended => B::LiquidationSuspended,
        K::LiquidationResumed => B::LiquidationResumed,
        K::ReviewAccepted => B::ReviewAccepted,
        K::ReviewDeclined => B::ReviewDeclined {
            reason: take_text(m, "reason")?,
        },
        K::ReviewReport => B::ReviewReport {
            denial_found: need_bool(m, "denial_found")?,
            remedied: take_bool(m, "remedied")?.unwrap_or(false),
        },
        K::RemediationAgreed => B::RemediationAgreed {
            actions: actions(m)?,
            due: take_date(m, "due")?,
        },
        K::ActionCompleted => B::ActionCompleted {
            action: need_text(m, "action")?,
            evidence: take_texts(m, "evidence")?,
        },
        K::ActionVerified => {
            let action = need_text(m, "action")?;
            let by = need_text(m, "by")?;
            let by =
                Party::parse(&by).ok_or_else(|| err("by", "must be \"US\", \"MX\" or \"CA\""))?;
            B::ActionVerified { action, by }
        }
        K::DeadlineExtended => B::DeadlineExtended {
            clock: need_text(m, "clock")?,
            extension: extension(m)?,
        },
        K::PanelRequested => B::PanelRequested,
        K::PanelConstituted => B::PanelConstituted {
            panelists: take_texts(m, "panelists")?,
        },
        K::RequestConfirmed => B::RequestConfirmed,
        K::VerificationRequested => B::VerificationRequested,
        K::VerificationAnswered => B::VerificationAnswered {
            consented: need_bool(m, "consented")?,
        },
        K::VerificationHeld => B::VerificationHeld,
        K::PanelDetermination => B::PanelDetermination {
            denial_found: need_bool(m, "denial_found")?,
        },
        K::RemedyNotice => B::RemedyNotice,
        K::RemedyImposed => B::RemedyImposed { remedy: remedy(m)? },
        K::RemedyLifted => B::RemedyLifted { remedy: remedy(m)? },
        K::CaseResolved => B::CaseResolved {
            outcome: code(m, "outcome", OUTCOMES)?,
            summary: take_text(m, "summary")?,
        },
        K::CaseClosed => B::CaseClosed {
            reason: code(m, "reason", REASONS)?,
            summary: take_text(m, "summary")?,
        },
        K::FacilityClosed => B::FacilityClosed,
    })
}

/// Outcome codes of `case_resolved`.
pub const OUTCOMES: &[&str] = &[
    "remediated",
    "remedied_during_review",
    "no_denial_found",
    "panel_no_denial",
    "other",
];
/// Reason codes of `case_closed`.
pub const REASONS: &[&str] = &[
    "negative_ilc_determination",
    "not_pursued",
    "review_declined",
    "facility_closed",
    "withdrawn",
    "other",
];

fn code(m: &mut Fields, field: &str, allowed: &[&str]) -> Result<String, CaseFileError> {
    let value = need_text(m, field)?;
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(err(
            field,
            format!("unknown code `{value}`: use one of {}", allowed.join(", ")),
        ))
    }
}

/// Reads one event object.
pub fn event_from_json(value: Value) -> Result<Event, CaseFileError> {
    let Value::Object(mut m) = value else {
        return Err(err("", "an event is a JSON object"));
    };
    let kind_name = need_text(&mut m, "kind")?;
    let kind = EventKind::parse(&kind_name)
        .ok_or_else(|| err("kind", format!("unknown event kind `{kind_name}`")))?;
    if !m.contains_key("date") {
        return Err(err(
            "date",
            "is required (a YYYY-MM-DD date, or null with `date_text`)",
        ));
    }
    let date = take_date(&mut m, "date")?;
    let date_text = take_text(&mut m, "date_text")?;
    if date.is_none() && date_text.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(err(
            "date_text",
            "is required when `date` is null: say what is known of the date",
        ));
    }
    let note = take_text(&mut m, "note")?;
    let source = take_text(&mut m, "source")?;
    let body = body(kind, &mut m)?;
    no_more(&m, &format!("`{kind}`"))?;
    Ok(Event {
        date,
        date_text,
        body,
        note,
        source,
    })
}

fn put(m: &mut Fields, key: &str, value: impl Into<Value>) {
    m.insert(key.into(), value.into());
}

fn put_opt(m: &mut Fields, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        put(m, key, v.clone());
    }
}

fn put_list(m: &mut Fields, key: &str, values: &[String]) {
    if !values.is_empty() {
        put(m, key, values.to_vec());
    }
}

fn action_json(a: &ActionItem) -> Value {
    let mut m = Fields::new();
    put(&mut m, "id", a.id.clone());
    put(&mut m, "description", a.description.clone());
    put_opt(&mut m, "responsible", &a.responsible);
    if let Some(d) = a.due {
        put(&mut m, "due", d.to_string());
    }
    Value::Object(m)
}

fn payload(m: &mut Fields, body: &B) {
    match body {
        B::PetitionFiled { allegations } => put_list(m, "allegations", allegations),
        B::IlcDetermination { affirmative } => put(m, "affirmative", *affirmative),
        B::RequestForReview { self_initiated } => {
            if *self_initiated {
                put(m, "self_initiated", true)
            }
        }
        B::ReviewDeclined { reason } => put_opt(m, "reason", reason),
        B::ReviewReport {
            denial_found,
            remedied,
        } => {
            put(m, "denial_found", *denial_found);
            put(m, "remedied", *remedied);
        }
        B::RemediationAgreed { actions, due } => {
            if let Some(d) = due {
                put(m, "due", d.to_string());
            }
            put(
                m,
                "actions",
                actions.iter().map(action_json).collect::<Vec<_>>(),
            );
        }
        B::ActionCompleted { action, evidence } => {
            put(m, "action", action.clone());
            put_list(m, "evidence", evidence);
        }
        B::ActionVerified { action, by } => {
            put(m, "action", action.clone());
            put(m, "by", by.code());
        }
        B::DeadlineExtended { clock, extension } => {
            put(m, "clock", clock.clone());
            match extension {
                Extension::Until(d) => put(m, "until", d.to_string()),
                Extension::ByDays(n) => put(m, "days", *n),
            }
        }
        B::PanelConstituted { panelists } => put_list(m, "panelists", panelists),
        B::VerificationAnswered { consented } => put(m, "consented", *consented),
        B::PanelDetermination { denial_found } => put(m, "denial_found", *denial_found),
        B::RemedyImposed { remedy } | B::RemedyLifted { remedy } => {
            put(m, "remedy", remedy.as_str())
        }
        B::CaseResolved { outcome, summary } => {
            put(m, "outcome", outcome.clone());
            put_opt(m, "summary", summary);
        }
        B::CaseClosed { reason, summary } => {
            put(m, "reason", reason.clone());
            put_opt(m, "summary", summary);
        }
        B::LiquidationSuspended
        | B::LiquidationResumed
        | B::ReviewAccepted
        | B::PanelRequested
        | B::RequestConfirmed
        | B::VerificationRequested
        | B::VerificationHeld
        | B::RemedyNotice
        | B::FacilityClosed => {}
    }
}

/// Writes one event in the format's key order: kind, date, date_text, payload, note, source.
pub fn event_to_json(event: &Event) -> Value {
    let mut m = Fields::new();
    put(&mut m, "kind", event.kind().as_str());
    put(
        &mut m,
        "date",
        event
            .date
            .map_or(Value::Null, |d| Value::String(d.to_string())),
    );
    put_opt(&mut m, "date_text", &event.date_text);
    payload(&mut m, &event.body);
    put_opt(&mut m, "note", &event.note);
    put_opt(&mut m, "source", &event.source);
    Value::Object(m)
}
