//! A case's events as timeline entries: the date (or what is known of it), what happened, the
//! facts the event carries, its note and its source.

use rrm_core::event::{EventBody as B, Extension};
use serde::Serialize;

/// One fact of an event, shown as "label: value".
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    /// Catalog key under `detail.`.
    pub label: &'static str,
    /// `bool` (yes/no), `code` (translated under `prefix`), `date`, or `text`.
    pub kind: &'static str,
    pub prefix: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub date: Option<String>,
    pub date_text: Option<String>,
    pub kind: &'static str,
    pub details: Vec<Detail>,
    pub note: Option<String>,
    pub source: Option<String>,
}

pub fn entries(events: &[rrm_core::event::Event]) -> Vec<Entry> {
    events
        .iter()
        .map(|e| Entry {
            date: e.date.map(|d| d.to_string()),
            date_text: e.date_text.clone(),
            kind: e.kind().as_str(),
            details: details(&e.body),
            note: e.note.clone(),
            source: e.source.clone(),
        })
        .collect()
}

fn yes_no(label: &'static str, v: bool) -> Detail {
    Detail {
        label,
        kind: "bool",
        prefix: "",
        value: v.to_string(),
    }
}

fn code(label: &'static str, prefix: &'static str, v: &str) -> Detail {
    Detail {
        label,
        kind: "code",
        prefix,
        value: v.to_string(),
    }
}

fn text(label: &'static str, v: impl Into<String>) -> Detail {
    Detail {
        label,
        kind: "text",
        prefix: "",
        value: v.into(),
    }
}

fn date(label: &'static str, v: chrono::NaiveDate) -> Detail {
    Detail {
        label,
        kind: "date",
        prefix: "",
        value: v.to_string(),
    }
}

fn details(body: &B) -> Vec<Detail> {
    let mut out = Vec::new();
    match body {
        B::PetitionFiled { allegations } => {
            out.extend(
                allegations
                    .iter()
                    .map(|a| code("allegation", "allegation", a)),
            );
        }
        B::IlcDetermination { affirmative } => out.push(yes_no("affirmative", *affirmative)),
        B::RequestForReview { self_initiated } if *self_initiated => {
            out.push(yes_no("self_initiated", true));
        }
        B::ReviewDeclined { reason: Some(r) } => out.push(text("reason", r)),
        B::ReviewReport {
            denial_found,
            remedied,
        } => {
            out.push(yes_no("denial_found", *denial_found));
            out.push(yes_no("remedied", *remedied));
        }
        B::RemediationAgreed { actions, due } => {
            out.push(text("actions", actions.len().to_string()));
            out.extend(due.map(|d| date("remediation_due", d)));
        }
        B::ActionCompleted { action, evidence } => {
            out.push(text("action", action));
            out.extend(evidence.iter().map(|e| text("evidence", e)));
        }
        B::ActionVerified { action, by } => {
            out.push(text("action", action));
            out.push(code("verified_by", "party", by.code()));
        }
        B::DeadlineExtended { clock, extension } => {
            out.push(text("clock", clock));
            out.push(match extension {
                Extension::Until(d) => date("until", *d),
                Extension::ByDays(n) => text("days", n.to_string()),
            });
        }
        B::PanelConstituted { panelists } => {
            out.extend(panelists.iter().map(|p| text("panelist", p)));
        }
        B::VerificationAnswered { consented } => out.push(yes_no("consented", *consented)),
        B::PanelDetermination { denial_found } => out.push(yes_no("denial_found", *denial_found)),
        B::RemedyImposed { remedy } | B::RemedyLifted { remedy } => {
            out.push(code("remedy", "remedy", remedy.as_str()));
        }
        B::CaseResolved { outcome, summary } => {
            out.push(code("outcome", "outcome", outcome));
            out.extend(summary.as_ref().map(|s| text("summary", s)));
        }
        B::CaseClosed { reason, summary } => {
            out.push(code("reason", "outcome", reason));
            out.extend(summary.as_ref().map(|s| text("summary", s)));
        }
        _ => {}
    }
    out
}
