//! The USMCA Parties, as complainant, respondent and verifier of remediation actions.

use crate::calendar::CalendarId;

/// A Party to the USMCA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Party {
    UnitedStates,
    Mexico,
    Canada,
}

impl Party {
    pub const ALL: [Party; 3] = [Party::UnitedStates, Party::Mexico, Party::Canada];

    /// "US", "MX" or "CA".
    pub fn code(self) -> &'static str {
        match self {
            Party::UnitedStates => "US",
            Party::Mexico => "MX",
            Party::Canada => "CA",
        }
    }

    /// Parses "US", "MX" or "CA" (exact, upper case as in files).
    pub fn parse(code: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The official calendar whose business days this Party counts.
    pub fn calendar(self) -> CalendarId {
        match self {
            Party::UnitedStates => CalendarId::UnitedStates,
            Party::Mexico => CalendarId::Mexico,
            Party::Canada => CalendarId::Canada,
        }
    }
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
