//! Why the engine refused an event: every refusal names the rule that refused it.

use chrono::NaiveDate;

use crate::event::EventKind;
use crate::procedure::RuleStatus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "refused by rule `chronology`: `{kind}` dated {date} is earlier than the case's last \
         dated event ({last}); events are recorded in date order"
    )]
    OutOfOrder {
        kind: EventKind,
        date: NaiveDate,
        last: NaiveDate,
    },
    #[error(
        "refused by procedure `{procedure}`: no rule allows `{kind}` in stage `{stage}`; \
         allowed next: {}",
        list(allowed)
    )]
    NotAllowedInStage {
        procedure: String,
        kind: EventKind,
        stage: String,
        allowed: Vec<EventKind>,
    },
    #[error("refused by rule `{rule}` ({citation}) [{}]: {reason}", status.as_str())]
    RuleNotMet {
        rule: String,
        citation: String,
        status: RuleStatus,
        reason: String,
    },
    #[error("refused by rule `future_date`: `{kind}` is dated {date}, after today ({today})")]
    FutureDate {
        kind: EventKind,
        date: NaiveDate,
        today: NaiveDate,
    },
}

impl Refusal {
    /// The id of the rule that refused the event.
    pub fn rule(&self) -> String {
        match self {
            Refusal::OutOfOrder { .. } => "chronology".into(),
            Refusal::NotAllowedInStage {
                procedure, stage, ..
            } => format!("{procedure}/{stage}"),
            Refusal::RuleNotMet { rule, .. } => rule.clone(),
            Refusal::FutureDate { .. } => "future_date".into(),
        }
    }
}

fn list(kinds: &[EventKind]) -> String {
    if kinds.is_empty() {
        return "nothing (the case is closed)".into();
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
