//! Importing case files: parse, check every event against the procedure, then store whole.
//!
//! A file holds one case (a JSON object), several (a JSON array, as `rrm export` writes), or
//! one case per line (`.jsonl`, for large loads). Nothing is stored from a case the engine
//! refuses; the caller checks every file before storing any (see the CLI's `import`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;

use rrm_casefile::{case_from_value, event_to_json, CaseFile};
use rrm_core::engine::{CaseContext, CaseState};
use rrm_store::{CaseHeader, NewCase, NewEvent, Sealed};

use crate::vault::Purpose;
use crate::{project, AppError, Change, Rrm};

/// How a sealed value is written where the case file has text (a petitioner's name).
const SEALED_TEXT: &str = "rrm:sealed:1:";

fn sealed_text(sealed: &Sealed) -> String {
    format!("{SEALED_TEXT}{}", URL_SAFE_NO_PAD.encode(&sealed.0))
}

/// Whether a case file's text is a sealed value.
pub fn is_sealed_text(text: &str) -> bool {
    text.starts_with(SEALED_TEXT)
}

fn sealed_from_text(text: &str) -> Option<Sealed> {
    let encoded = text.strip_prefix(SEALED_TEXT)?;
    URL_SAFE_NO_PAD.decode(encoded).ok().map(Sealed)
}

/// One input file's name and text.
#[derive(Debug, Clone)]
pub struct ImportSource {
    pub name: String,
    pub text: String,
}

/// What an import stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub cases: usize,
    pub events: usize,
    /// Ids rrm derived for cases whose file gave none.
    pub derived_ids: Vec<String>,
}

impl Rrm {
    /// The cases in one file, each with a label saying where it came from.
    pub fn parse_source(&self, source: &ImportSource) -> Result<Vec<(String, CaseFile)>, AppError> {
        let mut cases = Vec::new();
        self.for_each_case(source, |at, case| {
            cases.push((at, case));
            Ok(())
        })?;
        Ok(cases)
    }

    /// Calls `visit` with each case of a file in order, one at a time, so a `.jsonl` file of a
    /// million cases is never held parsed in memory at once.
    pub fn for_each_case(
        &self,
        source: &ImportSource,
        mut visit: impl FnMut(String, CaseFile) -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        let bad =
            |at: String, e: rrm_casefile::CaseFileError| AppError::BadInput(format!("{at}: {e}"));
        if source.name.ends_with(".jsonl") {
            for (i, line) in source.text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let at = format!("{}:{}", source.name, i + 1);
                let case = rrm_casefile::parse_case_file(line).map_err(|e| bad(at.clone(), e))?;
                visit(at, case)?;
            }
            return Ok(());
        }
        let value: Value = serde_json::from_str(&source.text).map_err(|e| {
            AppError::BadInput(format!(
                "{}: line {}, column {}: {e}",
                source.name,
                e.line(),
                e.column()
            ))
        })?;
        match value {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    let at = format!("{}[{i}]", source.name);
                    let case = case_from_value(item).map_err(|e| bad(at.clone(), e))?;
                    visit(at, case)?;
                }
                Ok(())
            }
            other => {
                let case = case_from_value(other).map_err(|e| bad(source.name.clone(), e))?;
                visit(source.name.clone(), case)
            }
        }
    }

    /// Checks a case against its procedure and builds what the store will keep: petitioners
    /// who are not public are sealed with the case's data key (made at `now` if new), so their
    /// names are never stored in clear.
    pub fn prepare(
        &self,
        at: &str,
        mut case: CaseFile,
        now: DateTime<Utc>,
    ) -> Result<NewCase, AppError> {
        let procedure = self
            .procedure(&case.header.procedure)
            .map_err(|e| AppError::BadInput(format!("{at}: {e}")))?;
        let id = case.header.id.clone().unwrap_or_else(|| derived_id(&case));
        case.header.id = Some(id.clone());
        let context = self.context_for(case.header.facility.id.as_deref(), &id)?;
        let state =
            CaseState::replay(procedure, context, &case.events).map_err(|(i, refusal)| {
                AppError::Refused {
                    at: format!("{at}: events[{i}]"),
                    refusal,
                }
            })?;
        let projection = project(procedure, &case.header, &case.events, &state);
        self.seal_petitioners(at, &id, &mut case, now)?;
        let events = case
            .events
            .iter()
            .map(|e| NewEvent {
                kind: e.kind().as_str().to_string(),
                date: e.date,
                payload: event_to_json(e).to_string(),
            })
            .collect();
        Ok(NewCase {
            header: CaseHeader {
                id,
                procedure: case.header.procedure.clone(),
                facility_key: case.header.facility.id.clone(),
                document: serde_json::to_string(&case.header).expect("a header serializes"),
            },
            events,
            projection,
        })
    }

    /// Stores prepared cases in one transaction.
    pub fn store_cases(&self, cases: &[NewCase]) -> Result<(), AppError> {
        self.store.create_cases(cases)?;
        let ids = cases.iter().map(|c| c.header.id.clone()).collect();
        self.notify(Change::CasesCreated(ids));
        Ok(())
    }

    /// Parses, checks and stores every case of the sources, all or nothing.
    pub fn import_all(
        &self,
        sources: &[ImportSource],
        now: DateTime<Utc>,
    ) -> Result<ImportReport, AppError> {
        let mut prepared = Vec::new();
        let mut report = ImportReport::default();
        for source in sources {
            for (at, case) in self.parse_source(source)? {
                if case.header.id.is_none() {
                    report.derived_ids.push(derived_id(&case));
                }
                prepared.push(self.prepare(&at, case, now)?);
            }
        }
        self.store_cases(&prepared)?;
        report.cases = prepared.len();
        report.events = prepared.iter().map(|c| c.events.len()).sum();
        Ok(report)
    }

    /// Replaces the name of every petitioner who is not public with its sealed text form.
    fn seal_petitioners(
        &self,
        at: &str,
        case_id: &str,
        case: &mut CaseFile,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        for (i, p) in case.header.petitioners.iter_mut().enumerate() {
            if p.public || is_sealed_text(&p.name) {
                continue;
            }
            let vault = self.vault().map_err(|e| {
                AppError::Unavailable(format!("{at}: petitioners[{i}] is confidential: {e}"))
            })?;
            let sealed = vault.seal_text(case_id, Purpose::Petitioner, &p.name, now)?;
            p.name = sealed_text(&sealed);
        }
        Ok(())
    }

    /// Opens sealed petitioner names in place (for staff views and exports).
    pub fn open_petitioners(&self, case_id: &str, case: &mut CaseFile) -> Result<(), AppError> {
        for p in case
            .header
            .petitioners
            .iter_mut()
            .filter(|p| is_sealed_text(&p.name))
        {
            let sealed = sealed_from_text(&p.name).ok_or_else(|| {
                AppError::Integrity(format!(
                    "case `{case_id}`: a sealed petitioner is malformed"
                ))
            })?;
            p.name = self
                .vault()?
                .open_text(case_id, Purpose::Petitioner, &sealed)?;
        }
        Ok(())
    }

    /// Denial determinations already on record for the facility in other cases.
    pub(crate) fn context_for(
        &self,
        facility: Option<&str>,
        case_id: &str,
    ) -> Result<CaseContext, AppError> {
        let prior = match facility {
            Some(key) => self.store.denial_determinations(key, case_id)?,
            None => 0,
        };
        Ok(CaseContext {
            prior_denial_determinations: prior,
        })
    }
}

/// An id for a case file that gives none: the facility's name as a slug and the year of the
/// first dated event.
pub fn derived_id(case: &CaseFile) -> String {
    let mut slug = String::new();
    for c in case.header.facility.name.to_lowercase().chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 3 {
        slug = format!("case-{slug}");
    }
    match case.events.iter().find_map(|e| e.date) {
        Some(d) => format!("{slug}-{}", d.year()),
        None => slug,
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}
