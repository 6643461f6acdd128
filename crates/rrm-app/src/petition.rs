//! Filing a petition: the public form's and the API's input, checked field by field; a new
//! case (procedure usmca-31a, or usmca-31b when filed with Canada's NAO) opened by one
//! `petition_filed` event dated today, which starts the ILC's 30-day clock; the confidential
//! submission stored beside it; and a receipt code and secret for the petitioner.
//!
//! Invariant: the case holds only what may one day be published — the facility as given and
//! the allegation codes. Who filed, how to reach them, the narrative and the evidence file
//! names live only in the submission, which no public page, API response or download reads.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use rrm_casefile::{CaseFile, CaseHeaderDoc, Facility, FORMAT};
use rrm_core::event::{Event, EventBody};
use rrm_store::{Confidential, NewSubmission};

use crate::evidence::{accept_all, Upload};
use crate::files::{evidence_custody, Delivery};
use crate::import::derived_id;
use crate::vault::Purpose;
use crate::{passwords, secrets, AppError, Change, Rrm};

/// Allegation codes a petition may name (docs/case-format.md).
pub const ALLEGATIONS: [&str; 6] = [
    "dismissal_for_union_activity",
    "irregular_contract_vote",
    "employer_interference",
    "protection_contract",
    "denial_of_bargaining",
    "other",
];

/// Which government's office receives the petition.
pub const OFFICES: [(&str, &str); 2] = [("us_ilc", "usmca-31a"), ("canada_nao", "usmca-31b")];

/// A petition as typed, before any check. Also the confidential document stored with it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PetitionInput {
    /// `us_ilc` or `canada_nao`.
    pub office: String,
    pub facility: String,
    pub company: String,
    pub city: String,
    pub state: String,
    pub allegations: Vec<String>,
    pub narrative: String,
    pub anonymous: bool,
    pub organization: String,
    pub contact: String,
    pub consent: bool,
    /// `en` or `es`: the language the petitioner wrote in.
    pub language: String,
}

/// Only the office and the allegation codes: the rest is confidential and never formatted.
impl std::fmt::Debug for PetitionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PetitionInput")
            .field("office", &self.office)
            .field("allegations", &self.allegations)
            .finish_non_exhaustive()
    }
}

/// A receipt for a filed petition; the secret is shown once and kept only as a hash.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub receipt: String,
    pub secret: Confidential<String>,
    pub case_id: String,
    pub filed: NaiveDate,
}

fn text(field: &str, value: &str, required: bool, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(AppError::BadInput(format!("{field}: is required")));
    }
    if v.chars().count() > max {
        return Err(AppError::BadInput(format!(
            "{field}: at most {max} characters"
        )));
    }
    Ok(v.to_string())
}

impl PetitionInput {
    /// The input with every field checked and trimmed, naming the first bad field.
    pub fn checked(&self) -> Result<PetitionInput, AppError> {
        let office = OFFICES
            .iter()
            .find(|(o, _)| *o == self.office)
            .ok_or_else(|| AppError::BadInput("office: choose `us_ilc` or `canada_nao`".into()))?;
        let facility = text("facility", &self.facility, true, 200)?;
        let (company, city, state) = (
            text("company", &self.company, false, 200)?,
            text("city", &self.city, false, 100)?,
            text("state", &self.state, false, 100)?,
        );
        let allegations = self.allegation_codes()?;
        let narrative = text("narrative", &self.narrative, true, 20_000)?;
        let (organization, contact) = self.identity()?;
        if !self.consent {
            return Err(AppError::BadInput(
                "consent: is required to file a petition".into(),
            ));
        }
        Ok(PetitionInput {
            office: office.0.to_string(),
            facility,
            company,
            city,
            state,
            allegations,
            narrative,
            anonymous: self.anonymous,
            organization,
            contact,
            consent: true,
            language: if self.language == "es" { "es" } else { "en" }.to_string(),
        })
    }

    /// The allegation codes, each known and once.
    fn allegation_codes(&self) -> Result<Vec<String>, AppError> {
        let mut codes: Vec<String> = Vec::new();
        for a in &self.allegations {
            if !ALLEGATIONS.contains(&a.as_str()) {
                let problem = format!("allegations: unknown code `{a}`");
                return Err(AppError::BadInput(problem));
            }
            if !codes.contains(a) {
                codes.push(a.clone());
            }
        }
        if codes.is_empty() {
            return Err(AppError::BadInput(
                "allegations: choose at least one".into(),
            ));
        }
        Ok(codes)
    }

    /// Organization and contact: both given, or (filing anonymously) neither.
    fn identity(&self) -> Result<(String, String), AppError> {
        let organization = text("organization", &self.organization, !self.anonymous, 200)?;
        let contact = text("contact", &self.contact, !self.anonymous, 320)?;
        if self.anonymous && !(organization.is_empty() && contact.is_empty()) {
            return Err(AppError::BadInput(
                "anonymous: you chose to file anonymously but gave an organization or contact; \
                 clear them, or do not file anonymously"
                    .into(),
            ));
        }
        Ok((organization, contact))
    }

    fn procedure(&self) -> &'static str {
        OFFICES
            .iter()
            .find(|(o, _)| *o == self.office)
            .map_or("usmca-31a", |(_, p)| p)
    }

    /// The case file the petition opens: the facility as given and one `petition_filed`.
    fn case_file(&self, today: NaiveDate) -> CaseFile {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let header = CaseHeaderDoc {
            format: FORMAT.into(),
            id: None,
            procedure: self.procedure().into(),
            request_number: None,
            facility: Facility {
                id: None,
                name: self.facility.clone(),
                company: opt(&self.company),
                parent_company: None,
                city: opt(&self.city),
                state: opt(&self.state),
                country: "MX".into(),
                sector: None,
            },
            petitioners: Vec::new(),
            workers_affected: None,
            summary: None,
            data_gaps: Vec::new(),
            sources: Vec::new(),
            notes: None,
        };
        let body = EventBody::PetitionFiled {
            allegations: self.allegations.clone(),
        };
        CaseFile {
            header,
            events: vec![Event::on(today, body)],
        }
    }
}

impl Rrm {
    /// Files a petition with its evidence, all or nothing. `today` dates the `petition_filed`
    /// event; `now` stamps the submission.
    pub fn file_petition(
        &self,
        input: &PetitionInput,
        uploads: Vec<Upload>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Receipt, AppError> {
        let petition = input.checked()?;
        let accepted = accept_all(uploads)?;
        // Refuse before anything is written: nothing confidential is stored unsealed.
        let vault = self.vault()?;
        let content =
            Confidential::new(serde_json::to_string(&petition).expect("a petition serializes"));
        // A clash of receipt codes (40 random bits) or of case ids (two petitions for one
        // facility at once) is retried with fresh ones.
        for _ in 0..3 {
            let mut case = petition.case_file(today);
            case.header.id = Some(self.free_case_id(&derived_id(&case))?);
            let new_case = self.prepare("petition", case, now)?;
            let (receipt, secret) = (secrets::new_receipt()?, secrets::new_secret()?);
            let normalized = secrets::normalize_code(secret.expose()).unwrap_or_default();
            let case_id = new_case.header.id.clone();
            let submission = NewSubmission {
                receipt: receipt.clone(),
                secret_hash: Confidential::new(passwords::hash(&normalized)?),
                case_id: case_id.clone(),
                content: vault.seal_text(&case_id, Purpose::Submission, content.expose(), now)?,
                created: now,
            };
            let evidence = accepted
                .iter()
                .map(|file| self.seal_evidence(&case_id, file, now))
                .collect::<Result<Vec<_>, _>>()?;
            let (actor, from) = (
                format!("petitioner:{receipt}"),
                format!("submission:{receipt}"),
            );
            let delivery = Delivery {
                actor: &actor,
                case_id: &case_id,
                from: &from,
            };
            let custody: Vec<_> = evidence
                .iter()
                .map(|f| evidence_custody(now, &delivery, f))
                .collect();
            match self
                .workspace
                .file_petition(&new_case, &submission, &evidence, &custody)
            {
                Ok(()) => {
                    self.notify(Change::CasesCreated(vec![submission.case_id.clone()]));
                    return Ok(Receipt {
                        receipt,
                        secret,
                        case_id: submission.case_id,
                        filed: today,
                    });
                }
                Err(rrm_store::StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Conflict(
            "could not find a free receipt code; please try again".into(),
        ))
    }

    /// `base`, or `base-2`, `base-3`... whichever no case has yet.
    fn free_case_id(&self, base: &str) -> Result<String, AppError> {
        for n in 1..100 {
            let id = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            if self.store.case(&id)?.is_none() {
                return Ok(id);
            }
        }
        Err(AppError::Conflict(format!("too many cases named `{base}`")))
    }
}
