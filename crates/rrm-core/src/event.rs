//! Everything that can happen to a case: one closed `EventKind` list and one `EventBody` enum.
//!
//! A reader lists all case behaviour from this file. Event bodies carry only what the engine
//! needs to decide stages and clocks; free text (notes, sources) travels beside them in
//! [`Event`]. Names follow the case file format (`docs/case-format.md`).

use chrono::NaiveDate;

use crate::party::Party;

macro_rules! event_kinds {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// The kind of an event, as named in case files and procedure definitions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind { $($variant),+ }

        impl EventKind {
            /// Every kind, in the order of the case file format.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),+];

            /// The snake_case name used in files.
            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $name),+ }
            }

            /// Parses a snake_case name; `None` for an unknown kind.
            pub fn parse(name: &str) -> Option<EventKind> {
                match name { $($name => Some(EventKind::$variant),)+ _ => None }
            }
        }
    };
}

event_kinds! {
    PetitionFiled => "petition_filed",
    IlcDetermination => "ilc_determination",
    RequestForReview => "request_for_review",
    LiquidationSuspended => "liquidation_suspended",
    LiquidationResumed => "liquidation_resumed",
    ReviewAccepted => "review_accepted",
    ReviewDeclined => "review_declined",
    ReviewReport => "review_report",
    RemediationAgreed => "remediation_agreed",
    ActionCompleted => "action_completed",
    ActionVerified => "action_verified",
    DeadlineExtended => "deadline_extended",
    PanelRequested => "panel_requested",
    PanelConstituted => "panel_constituted",
    RequestConfirmed => "request_confirmed",
    VerificationRequested => "verification_requested",
    VerificationAnswered => "verification_answered",
    VerificationHeld => "verification_held",
    PanelDetermination => "panel_determination",
    RemedyNotice => "remedy_notice",
    RemedyImposed => "remedy_imposed",
    RemedyLifted => "remedy_lifted",
    CaseResolved => "case_resolved",
    CaseClosed => "case_closed",
    FacilityClosed => "facility_closed",
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One action item of a course of remediation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: String,
    pub description: String,
    pub responsible: Option<String>,
    pub due: Option<NaiveDate>,
}

/// How an agreed extension moves a clock's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension {
    Until(NaiveDate),
    ByDays(u32),
}

/// A remedy after a panel's determination of a Denial of Rights (Annex 31-A, Art. 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Remedy {
    TariffPreferenceSuspension,
    Penalty,
    DenialOfEntry,
}

impl Remedy {
    pub const ALL: [Remedy; 3] = [
        Remedy::TariffPreferenceSuspension,
        Remedy::Penalty,
        Remedy::DenialOfEntry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Remedy::TariffPreferenceSuspension => "tariff_preference_suspension",
            Remedy::Penalty => "penalty",
            Remedy::DenialOfEntry => "denial_of_entry",
        }
    }

    pub fn parse(name: &str) -> Option<Remedy> {
        Remedy::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// What happened, with the facts the engine reasons about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventBody {
    PetitionFiled {
        allegations: Vec<String>,
    },
    IlcDetermination {
        affirmative: bool,
    },
    RequestForReview {
        self_initiated: bool,
    },
    LiquidationSuspended,
    LiquidationResumed,
    ReviewAccepted,
    ReviewDeclined {
        reason: Option<String>,
    },
    ReviewReport {
        denial_found: bool,
        remedied: bool,
    },
    RemediationAgreed {
        actions: Vec<ActionItem>,
        due: Option<NaiveDate>,
    },
    ActionCompleted {
        action: String,
        evidence: Vec<String>,
    },
    ActionVerified {
        action: String,
        by: Party,
    },
    DeadlineExtended {
        clock: String,
        extension: Extension,
    },
    PanelRequested,
    PanelConstituted {
        panelists: Vec<String>,
    },
    RequestConfirmed,
    VerificationRequested,
    VerificationAnswered {
        consented: bool,
    },
    VerificationHeld,
    PanelDetermination {
        denial_found: bool,
    },
    RemedyNotice,
    RemedyImposed {
        remedy: Remedy,
    },
    RemedyLifted {
        remedy: Remedy,
    },
    CaseResolved {
        outcome: String,
        summary: Option<String>,
    },
    CaseClosed {
        reason: String,
        summary: Option<String>,
    },
    FacilityClosed,
}

impl EventBody {
    pub fn kind(&self) -> EventKind {
        use EventBody as B;
        use EventKind as K;
        match self {
            B::PetitionFiled { .. } => K::PetitionFiled,
            B::IlcDetermination { .. } => K::IlcDetermination,
            B::RequestForReview { .. } => K::RequestForReview,
            B::LiquidationSuspended => K::LiquidationSuspended,
            B::LiquidationResumed => K::LiquidationResumed,
            B::ReviewAccepted => K::ReviewAccepted,
            B::ReviewDeclined { .. } => K::ReviewDeclined,
            B::ReviewReport { .. } => K::ReviewReport,
            B::RemediationAgreed { .. } => K::RemediationAgreed,
            B::ActionCompleted { .. } => K::ActionCompleted,
            B::ActionVerified { .. } => K::ActionVerified,
            B::DeadlineExtended { .. } => K::DeadlineExtended,
            B::PanelRequested => K::PanelRequested,
            B::PanelConstituted { .. } => K::PanelConstituted,
            B::RequestConfirmed => K::RequestConfirmed,
            B::VerificationRequested => K::VerificationRequested,
            B::VerificationAnswered { .. } => K::VerificationAnswered,
            B::VerificationHeld => K::VerificationHeld,
            B::PanelDetermination { .. } => K::PanelDetermination,
            B::RemedyNotice => K::RemedyNotice,
            B::RemedyImposed { .. } => K::RemedyImposed,
            B::RemedyLifted { .. } => K::RemedyLifted,
            B::CaseResolved { .. } => K::CaseResolved,
            B::CaseClosed { .. } => K::CaseClosed,
            B::FacilityClosed => K::FacilityClosed,
        }
    }

    /// The payload facts a procedure's `when` conditions may test, by field name.
    pub fn field(&self, field: &str) -> Option<FieldValue<'_>> {
        use EventBody as B;
        use FieldValue::{Bool, Text};
        match (self, field) {
            (B::IlcDetermination { affirmative }, "affirmative") => Some(Bool(*affirmative)),
            (B::RequestForReview { self_initiated }, "self_initiated") => {
                Some(Bool(*self_initiated))
            }
            (B::ReviewReport { denial_found, .. }, "denial_found") => Some(Bool(*denial_found)),
            (B::ReviewReport { remedied, .. }, "remedied") => Some(Bool(*remedied)),
            (B::VerificationAnswered { consented }, "consented") => Some(Bool(*consented)),
            (B::PanelDetermination { denial_found }, "denial_found") => Some(Bool(*denial_found)),
            (B::RemedyImposed { remedy } | B::RemedyLifted { remedy }, "remedy") => {
                Some(Text(remedy.as_str()))
            }
            (B::CaseResolved { outcome, .. }, "outcome") => Some(Text(outcome)),
            (B::CaseClosed { reason, .. }, "reason") => Some(Text(reason)),
            _ => None,
        }
    }

    /// The fields [`EventBody::field`] answers for a kind, and whether each is a boolean;
    /// used to check procedure definitions at load.
    pub fn condition_fields(kind: EventKind) -> &'static [(&'static str, bool)] {
        match kind {
            EventKind::IlcDetermination => &[("affirmative", true)],
            EventKind::RequestForReview => &[("self_initiated", true)],
            EventKind::ReviewReport => &[("denial_found", true), ("remedied", true)],
            EventKind::VerificationAnswered => &[("consented", true)],
            EventKind::PanelDetermination => &[("denial_found", true)],
            EventKind::RemedyImposed | EventKind::RemedyLifted => &[("remedy", false)],
            EventKind::CaseResolved => &[("outcome", false)],
            EventKind::CaseClosed => &[("reason", false)],
            _ => &[],
        }
    }
}

/// A payload value tested by a procedure condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    Bool(bool),
    Text(&'a str),
}

/// An event as recorded: what happened, when (if known), and where it is documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `None` when the day is unknown; rrm never invents a date.
    pub date: Option<NaiveDate>,
    /// What is known of an unknown date ("June 2022").
    pub date_text: Option<String>,
    pub body: EventBody,
    pub note: Option<String>,
    pub source: Option<String>,
}

impl Event {
    /// An event on a known date with no note or source.
    pub fn on(date: NaiveDate, body: EventBody) -> Event {
        Event {
            date: Some(date),
            date_text: None,
            body,
            note: None,
            source: None,
        }
    }

    pub fn kind(&self) -> EventKind {
        self.body.kind()
    }
}
