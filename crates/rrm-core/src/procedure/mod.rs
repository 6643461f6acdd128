//! Procedures as data: the validated model of a procedure definition file.
//!
//! The engine knows no treaty rule of its own. Which events each stage allows, which stage
//! follows, and every clock (length, unit, calendar, start and stop events, citation, and the
//! rule's verified / secondary / unverified status) come from `data/procedures/*.toml`, parsed by
//! `load`. Stage and clock references are resolved to indices at load, so a loaded
//! [`Procedure`] cannot name a stage or clock that does not exist.

mod file;
mod load;

use std::collections::BTreeMap;

use crate::calendar::CalendarId;
use crate::event::{EventBody, EventKind, FieldValue};
use crate::party::Party;

pub use load::{load_procedures, ProcedureError, SourceFile};

/// A text in English and Spanish.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub es: String,
}

impl Text {
    /// The Spanish text for `"es"`, the English otherwise.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "es" {
            &self.es
        } else {
            &self.en
        }
    }
}

/// How firmly a rule is established, as tagged in the project reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleStatus {
    /// Read in a statute, an official release, or quoted treaty wording.
    Verified,
    /// Stated by law firms, academics or trade press.
    Secondary,
    /// Believed to be in the treaty text but not yet checked.
    Unverified,
}

impl RuleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Verified => "verified",
            RuleStatus::Secondary => "secondary",
            RuleStatus::Unverified => "unverified",
        }
    }

    pub fn parse(s: &str) -> Option<RuleStatus> {
        [
            RuleStatus::Verified,
            RuleStatus::Secondary,
            RuleStatus::Unverified,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Index of a stage within its procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StageId(pub(crate) u16);

/// Index of a clock within its procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClockId(pub(crate) u16);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: String,
    pub name: Text,
    pub terminal: bool,
}

/// A test on an event's payload: `denial_found = true`, `remedy = ["penalty", ...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub accepts: Accepts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepts {
    Bool(bool),
    OneOf(Vec<String>),
}

impl Condition {
    pub fn holds(&self, body: &EventBody) -> bool {
        match (body.field(&self.field), &self.accepts) {
            (Some(FieldValue::Bool(b)), Accepts::Bool(want)) => b == *want,
            (Some(FieldValue::Text(t)), Accepts::OneOf(options)) => options.iter().any(|o| o == t),
            _ => false,
        }
    }
}

/// An event kind, optionally restricted by payload conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub event: EventKind,
    pub when: Vec<Condition>,
}

impl Trigger {
    pub fn matches(&self, body: &EventBody) -> bool {
        body.kind() == self.event && self.when.iter().all(|c| c.holds(body))
    }
}

/// A precondition on the case's state, named in a transition's `requires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Guard {
    LiquidationSuspended,
    LiquidationNotSuspended,
    FacilityOpen,
    /// The clock named by a `deadline_extended` event is open.
    ClockOpen,
    ActionNotCompleted,
    ActionNotVerifiedByParty,
    RemedyInForce,
    RemedyNotInForce,
    /// This is at least the third panel determination of a denial for the facility.
    ThirdDetermination,
}

impl Guard {
    pub const ALL: [Guard; 9] = [
        Guard::LiquidationSuspended,
        Guard::LiquidationNotSuspended,
        Guard::FacilityOpen,
        Guard::ClockOpen,
        Guard::ActionNotCompleted,
        Guard::ActionNotVerifiedByParty,
        Guard::RemedyInForce,
        Guard::RemedyNotInForce,
        Guard::ThirdDetermination,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Guard::LiquidationSuspended => "liquidation_suspended",
            Guard::LiquidationNotSuspended => "liquidation_not_suspended",
            Guard::FacilityOpen => "facility_open",
            Guard::ClockOpen => "clock_open",
            Guard::ActionNotCompleted => "action_not_completed",
            Guard::ActionNotVerifiedByParty => "action_not_verified_by_party",
            Guard::RemedyInForce => "remedy_in_force",
            Guard::RemedyNotInForce => "remedy_not_in_force",
            Guard::ThirdDetermination => "third_determination",
        }
    }

    pub fn parse(s: &str) -> Option<Guard> {
        Guard::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// One rule of procedure: in these stages, this event (under these conditions) is allowed,
/// and moves the case to `to` (or leaves the stage unchanged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub id: String,
    pub trigger: Trigger,
    pub from: Vec<StageId>,
    pub to: Option<StageId>,
    pub requires: Vec<Guard>,
    /// Allowed only once this clock's due date has passed unmet.
    pub after_expiry_of: Option<ClockId>,
    pub citation: String,
    pub status: RuleStatus,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayUnit {
    CalendarDays,
    BusinessDays,
}

impl DayUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            DayUnit::CalendarDays => "calendar_days",
            DayUnit::BusinessDays => "business_days",
        }
    }
}

/// A deadline someone must meet, or a waiting period before something may happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    Deadline,
    WaitingPeriod,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockLength {
    Days(u32),
    /// The due date is a date field of the starting event, as the Parties agreed.
    Agreed {
        field: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockDef {
    pub id: String,
    pub name: Text,
    pub kind: ClockKind,
    pub length: ClockLength,
    pub unit: DayUnit,
    pub calendar: CalendarId,
    pub starts_on: Vec<Trigger>,
    /// Events that meet the clock.
    pub stops_on: Vec<Trigger>,
    /// Events that end the clock without meeting it.
    pub cancelled_on: Vec<Trigger>,
    pub on_expiry: Text,
    pub citation: String,
    pub status: RuleStatus,
    pub note: Option<String>,
}

/// A loaded, validated procedure (fragments already merged in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub id: String,
    pub version: String,
    pub annex: Option<String>,
    pub complainant: Option<Party>,
    pub respondent: Option<Party>,
    pub name: Text,
    pub sources: Vec<String>,
    pub stages: Vec<Stage>,
    pub transitions: Vec<Transition>,
    pub clocks: Vec<ClockDef>,
    pub initial: StageId,
}

impl Procedure {
    pub fn stage(&self, id: StageId) -> &Stage {
        &self.stages[usize::from(id.0)]
    }

    pub fn clock(&self, id: ClockId) -> &ClockDef {
        &self.clocks[usize::from(id.0)]
    }

    pub fn stage_by_name(&self, name: &str) -> Option<StageId> {
        position(self.stages.iter().map(|s| s.id.as_str()), name).map(StageId)
    }

    pub fn clock_by_name(&self, name: &str) -> Option<ClockId> {
        position(self.clocks.iter().map(|c| c.id.as_str()), name).map(ClockId)
    }

    pub fn clock_ids(&self) -> impl Iterator<Item = ClockId> {
        (0..self.clocks.len()).map(|i| ClockId(i as u16))
    }

    /// The transitions that leave `stage` on an event of `kind`.
    pub fn transitions_from(
        &self,
        stage: StageId,
        kind: EventKind,
    ) -> impl Iterator<Item = &Transition> {
        self.transitions
            .iter()
            .filter(move |t| t.trigger.event == kind && t.from.contains(&stage))
    }

    /// Events that become possible when `clock` expires unmet, derived from the transitions.
    pub fn enabled_on_expiry(&self, clock: ClockId) -> Vec<EventKind> {
        let mut kinds: Vec<EventKind> = self
            .transitions
            .iter()
            .filter(|t| t.after_expiry_of == Some(clock))
            .map(|t| t.trigger.event)
            .collect();
        kinds.dedup();
        kinds
    }
}

fn position<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> Option<u16> {
    names.position(|n| n == name).map(|i| i as u16)
}

/// Every loaded procedure, by id.
#[derive(Debug, Clone, Default)]
pub struct ProcedureSet {
    procedures: BTreeMap<String, Procedure>,
}

impl ProcedureSet {
    pub fn get(&self, id: &str) -> Option<&Procedure> {
        self.procedures.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Procedure> {
        self.procedures.values()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.procedures.keys().map(String::as_str)
    }
}

/// The procedure definitions shipped in `data/procedures/`, embedded at build time.
pub fn shipped_sources() -> Vec<SourceFile> {
    macro_rules! shipped {
        ($($name:literal),+) => {
            vec![$(SourceFile {
                name: concat!("data/procedures/", $name).to_string(),
                text: include_str!(concat!("../../../../data/procedures/", $name)).to_string(),
            }),+]
        };
    }
    shipped!("us-ilc-petition.toml", "usmca-31a.toml", "usmca-31b.toml")
}

/// The shipped procedures, loaded. They are checked by a test, so this cannot fail in a
/// released build; the error is still returned rather than hidden.
pub fn shipped() -> Result<ProcedureSet, ProcedureError> {
    load_procedures(&shipped_sources())
}

#[cfg(test)]
mod tests;
