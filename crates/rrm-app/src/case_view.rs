//! Reading a case back: its header, its events, and what the engine derives from them as of a
//! date (stage, clocks with days left, what may come next).

use chrono::NaiveDate;

use rrm_casefile::{event_from_json, CaseFile, CaseHeaderDoc};
use rrm_core::engine::{CaseState, ClockStatus};
use rrm_core::event::{Event, EventKind};
use rrm_core::procedure::{Procedure, RuleStatus, Text};

use crate::{AppError, Rrm};

/// A case as the engine sees it as of a date.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub id: String,
    pub header: CaseHeaderDoc,
    pub events: Vec<Event>,
    pub state: CaseState,
    pub as_of: NaiveDate,
    pub stage: String,
    pub stage_name: Text,
    pub closed: bool,
    pub clocks: Vec<ClockLine>,
    pub next: Vec<EventKind>,
    pub head_hash: String,
}

/// One clock run, flattened for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockLine {
    pub clock: String,
    pub name: Text,
    pub started: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub status: ClockStatus,
    pub days_left: Option<i64>,
    pub extensions: u32,
    pub citation: String,
    pub rule_status: RuleStatus,
    pub on_expiry: Text,
}

impl Rrm {
    /// The case's header and events as stored.
    pub fn load_case(&self, id: &str) -> Result<(CaseFile, u64), AppError> {
        let stored = self
            .store
            .case(id)?
            .ok_or_else(|| AppError::NotFound(id.to_string()))?;
        let header: CaseHeaderDoc = serde_json::from_str(&stored.header.document).map_err(|e| {
            AppError::Integrity(format!("case `{id}`: stored header does not parse: {e}"))
        })?;
        let events = self
            .store
            .events(id)?
            .into_iter()
            .map(|e| {
                let value = serde_json::from_str(&e.payload).map_err(|err| {
                    AppError::Integrity(format!("case `{id}` event {}: {err}", e.seq))
                })?;
                event_from_json(value).map_err(|err| {
                    AppError::Integrity(format!("case `{id}` event {}: {err}", e.seq))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((CaseFile { header, events }, stored.head_seq))
    }

    /// Replays a stored case under its procedure.
    pub(crate) fn replay(
        &self,
        id: &str,
        case: &CaseFile,
    ) -> Result<(&Procedure, CaseState), AppError> {
        let procedure = self.procedure(&case.header.procedure)?;
        let context = self.context_for(case.header.facility.id.as_deref(), id)?;
        let state = CaseState::replay(procedure, context, &case.events).map_err(|(i, r)| {
            AppError::Integrity(format!(
                "case `{id}` event {} no longer satisfies procedure `{}`: {r}",
                i + 1,
                procedure.id
            ))
        })?;
        Ok((procedure, state))
    }

    /// The case as of `as_of`.
    pub fn case_view(&self, id: &str, as_of: NaiveDate) -> Result<CaseView, AppError> {
        let (case, _) = self.load_case(id)?;
        let (procedure, state) = self.replay(id, &case)?;
        let clocks = state
            .clocks(procedure, as_of)
            .map(|v| ClockLine {
                clock: v.def.id.clone(),
                name: v.def.name.clone(),
                started: v.run.started,
                due: v.run.due,
                status: v.status,
                days_left: v.days_left,
                extensions: v.run.extensions,
                citation: v.def.citation.clone(),
                rule_status: v.def.status,
                on_expiry: v.def.on_expiry.clone(),
            })
            .collect();
        let stage = procedure.stage(state.stage());
        let head = self
            .store
            .case(id)?
            .map(|c| hex(&c.head_hash))
            .unwrap_or_default();
        Ok(CaseView {
            id: id.to_string(),
            stage: stage.id.clone(),
            stage_name: stage.name.clone(),
            closed: state.is_closed(procedure),
            next: state
                .next_events(procedure, as_of)
                .into_iter()
                .map(|n| n.kind)
                .collect(),
            clocks,
            header: case.header,
            events: case.events,
            state,
            as_of,
            head_hash: head,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
