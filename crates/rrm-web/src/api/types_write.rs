//! The JSON shapes of API v1's writes: a petition in and its receipt out, and what recording
//! an event or creating a case answers. (`types.rs` holds the read side's shapes.)

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A petition, as the public form takes it. Confidential apart from `office`, `facility`,
/// `company`, `city`, `state` and `allegations`: kept for staff, never published.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PetitionRequest {
    /// `us_ilc` (the US Interagency Labor Committee) or `canada_nao` (Canada's National
    /// Administrative Office).
    pub office: String,
    pub facility: String,
    pub company: String,
    pub city: String,
    /// Mexican state.
    pub state: String,
    /// Codes: dismissal_for_union_activity, irregular_contract_vote, employer_interference,
    /// protection_contract, denial_of_bargaining, other.
    pub allegations: Vec<String>,
    pub narrative: String,
    /// `true`: no organization or contact is kept.
    pub anonymous: bool,
    pub organization: String,
    pub contact: String,
    /// Must be `true`.
    pub consent: bool,
    /// `en` or `es`.
    pub language: String,
}

impl From<PetitionRequest> for rrm_app::PetitionInput {
    fn from(p: PetitionRequest) -> rrm_app::PetitionInput {
        rrm_app::PetitionInput {
            office: p.office,
            facility: p.facility,
            company: p.company,
            city: p.city,
            state: p.state,
            allegations: p.allegations,
            narrative: p.narrative,
            anonymous: p.anonymous,
            organization: p.organization,
            contact: p.contact,
            consent: p.consent,
            language: p.language,
        }
    }
}

/// A filed petition's receipt. `secret` is shown only here: keep it with the receipt code
/// to check the petition's status at `/petitions/status`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PetitionReceipt {
    pub receipt: String,
    pub secret: String,
    pub filed: NaiveDate,
}

/// A recorded event's place in its case's hash chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordedEvent {
    pub case: String,
    pub seq: u64,
    /// SHA-256 of the event, hex.
    pub hash: String,
    /// The case's stage after the event.
    pub stage: String,
}

/// A created case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedCase {
    pub id: String,
    pub events: usize,
    pub stage: String,
}
