//! The procedure engine: from a case's events to its stage, clocks and what may come next.
//!
//! A case's state is a fold of its events under its procedure ([`CaseState::replay`]), so the
//! same events always give the same state. [`CaseState::apply`] either accepts an event and
//! returns the new state, or refuses it with the rule that refused it; it never half-applies.

mod clocks;
mod guards;
mod refusal;
mod view;

use chrono::NaiveDate;

use crate::event::{ActionItem, Event, EventBody, Extension, Remedy};
use crate::party::Party;
use crate::procedure::{ClockId, ClockLength, Procedure, StageId, Transition};

pub use clocks::{add_days, ClockRun, ClockStatus, ClockStop, StopKind};
pub use refusal::Refusal;
pub use view::{ClockView, NextEvent};

/// Facts from outside the case that its rules depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseContext {
    /// Panel determinations of a Denial of Rights in earlier cases of the same facility (or
    /// the same person's facility making the same or related goods).
    pub prior_denial_determinations: u32,
}

/// Liquidation of the facility's customs entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liquidation {
    NeverSuspended,
    Suspended { since: Option<NaiveDate> },
    Resumed { on: Option<NaiveDate> },
}

/// An action item of the course of remediation and what has been done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionState {
    pub item: ActionItem,
    pub completed: Option<Option<NaiveDate>>,
    pub evidence: Vec<String>,
    pub verified_by: Vec<(Party, Option<NaiveDate>)>,
}

/// A remedy imposed after a determination of a denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemedyState {
    pub remedy: Remedy,
    pub imposed: Option<NaiveDate>,
    pub lifted: Option<Option<NaiveDate>>,
}

/// When the case entered a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageEntry {
    pub stage: StageId,
    pub since: Option<NaiveDate>,
}

/// Everything the engine derives from a case's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    context: CaseContext,
    stage: StageId,
    history: Vec<StageEntry>,
    last_date: Option<NaiveDate>,
    liquidation: Liquidation,
    facility_closed: Option<Option<NaiveDate>>,
    actions: Vec<ActionState>,
    remedies: Vec<RemedyState>,
    denial_determinations: u32,
    clocks: Vec<ClockRun>,
    ending: Option<(String, Option<NaiveDate>)>,
    events: usize,
}

impl CaseState {
    /// A case before its first event.
    pub fn new(procedure: &Procedure, context: CaseContext) -> CaseState {
        CaseState {
            context,
            stage: procedure.initial,
            history: vec![StageEntry {
                stage: procedure.initial,
                since: None,
            }],
            last_date: None,
            liquidation: Liquidation::NeverSuspended,
            facility_closed: None,
            actions: Vec::new(),
            remedies: Vec::new(),
            denial_determinations: 0,
            clocks: Vec::new(),
            ending: None,
            events: 0,
        }
    }

    /// Folds every event in order; stops at the first refusal, naming its position.
    pub fn replay<'a>(
        procedure: &Procedure,
        context: CaseContext,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<CaseState, (usize, Refusal)> {
        let mut state = CaseState::new(procedure, context);
        for (index, event) in events.into_iter().enumerate() {
            state = state.apply(procedure, event).map_err(|r| (index, r))?;
        }
        Ok(state)
    }

    /// Accepts `event` and returns the new state, or refuses it with the rule that refused it.
    pub fn apply(&self, procedure: &Procedure, event: &Event) -> Result<CaseState, Refusal> {
        if let (Some(date), Some(last)) = (event.date, self.last_date) {
            if date < last {
                return Err(Refusal::OutOfOrder {
                    kind: event.kind(),
                    date,
                    last,
                });
            }
        }
        let transition = self.choose_transition(procedure, event)?;
        let mut next = self.clone();
        next.record_effects(procedure, event)?;
        next.run_clocks(procedure, event);
        if let Some(to) = transition.to {
            next.enter(procedure, to, event.date);
            // A case ended by a rule other than resolution or closure (a negative ILC
            // determination) records that rule as how it ended.
            if procedure.stage(to).terminal && next.ending.is_none() {
                next.ending = Some((transition.id.clone(), event.date));
            }
        }
        next.last_date = event.date.or(self.last_date);
        next.events += 1;
        Ok(next)
    }

    /// Like [`CaseState::apply`], also refusing an event dated after `today`.
    pub fn apply_as_of(
        &self,
        procedure: &Procedure,
        event: &Event,
        today: NaiveDate,
    ) -> Result<CaseState, Refusal> {
        match event.date {
            Some(date) if date > today => Err(Refusal::FutureDate {
                kind: event.kind(),
                date,
                today,
            }),
            _ => self.apply(procedure, event),
        }
    }

    fn choose_transition<'p>(
        &self,
        procedure: &'p Procedure,
        event: &Event,
    ) -> Result<&'p Transition, Refusal> {
        let candidates: Vec<&Transition> = procedure
            .transitions_from(self.stage, event.kind())
            .filter(|t| t.trigger.matches(&event.body))
            .collect();
        let mut first_refusal = None;
        for transition in &candidates {
            match self.check(procedure, transition, event) {
                Ok(()) => return Ok(transition),
                Err(refusal) => {
                    first_refusal.get_or_insert(refusal);
                }
            }
        }
        Err(first_refusal.unwrap_or_else(|| Refusal::NotAllowedInStage {
            procedure: procedure.id.clone(),
            kind: event.kind(),
            stage: procedure.stage(self.stage).id.clone(),
            allowed: self.next_kinds(procedure, event.date),
        }))
    }

    fn enter(&mut self, procedure: &Procedure, stage: StageId, on: Option<NaiveDate>) {
        if stage != self.stage {
            self.history.push(StageEntry { stage, since: on });
        }
        self.stage = stage;
        // A closed case runs no clocks: whatever is still running stops with it.
        if procedure.stage(stage).terminal {
            for run in self.clocks.iter_mut().filter(|r| r.is_running()) {
                run.stopped = Some(ClockStop {
                    on,
                    how: StopKind::Cancelled,
                });
            }
        }
    }

    /// Stops the clocks this event stops, then starts (or restarts) those it starts.
    fn run_clocks(&mut self, procedure: &Procedure, event: &Event) {
        for id in procedure.clock_ids() {
            let def = procedure.clock(id);
            let matches = |triggers: &[crate::procedure::Trigger]| {
                triggers.iter().any(|t| t.matches(&event.body))
            };
            let how = if matches(&def.stops_on) {
                Some(StopKind::Met)
            } else if matches(&def.cancelled_on) {
                Some(StopKind::Cancelled)
            } else {
                None
            };
            if let (Some(how), Some(run)) = (how, self.running_mut(id)) {
                run.stopped = Some(ClockStop {
                    on: event.date,
                    how,
                });
            }
            if matches(&def.starts_on) {
                if let Some(run) = self.running_mut(id) {
                    run.stopped = Some(ClockStop {
                        on: event.date,
                        how: StopKind::Restarted,
                    });
                }
                let agreed = match (&def.length, &event.body) {
                    (ClockLength::Agreed { .. }, EventBody::RemediationAgreed { due, .. }) => *due,
                    _ => None,
                };
                self.clocks
                    .push(ClockRun::start(id, def, event.date, agreed));
            }
        }
    }

    fn running_mut(&mut self, id: ClockId) -> Option<&mut ClockRun> {
        self.clocks
            .iter_mut()
            .rev()
            .find(|r| r.clock == id && r.is_running())
    }

    pub(crate) fn running(&self, id: ClockId) -> Option<&ClockRun> {
        self.clocks
            .iter()
            .rev()
            .find(|r| r.clock == id && r.is_running())
    }

    /// The state changes an event makes besides stage and clocks.
    fn record_effects(&mut self, procedure: &Procedure, event: &Event) -> Result<(), Refusal> {
        let on = event.date;
        match &event.body {
            EventBody::LiquidationSuspended => {
                self.liquidation = Liquidation::Suspended { since: on }
            }
            EventBody::LiquidationResumed => self.liquidation = Liquidation::Resumed { on },
            EventBody::FacilityClosed => self.facility_closed = Some(on),
            EventBody::RemediationAgreed { actions, .. } => {
                self.actions.extend(actions.iter().map(|item| ActionState {
                    item: item.clone(),
                    completed: None,
                    evidence: Vec::new(),
                    verified_by: Vec::new(),
                }))
            }
            EventBody::ActionCompleted { action, evidence } => {
                if let Some(a) = self.action_mut(action) {
                    a.completed = Some(on);
                    a.evidence.extend(evidence.iter().cloned());
                }
            }
            EventBody::ActionVerified { action, by } => {
                if let Some(a) = self.action_mut(action) {
                    a.verified_by.push((*by, on));
                }
            }
            EventBody::PanelDetermination { denial_found: true } => self.denial_determinations += 1,
            EventBody::RemedyImposed { remedy } => self.remedies.push(RemedyState {
                remedy: *remedy,
                imposed: on,
                lifted: None,
            }),
            EventBody::RemedyLifted { remedy } => {
                if let Some(r) = self
                    .remedies
                    .iter_mut()
                    .find(|r| r.remedy == *remedy && r.lifted.is_none())
                {
                    r.lifted = Some(on);
                }
            }
            EventBody::DeadlineExtended { clock, extension } => {
                self.extend(procedure, clock, *extension)?
            }
            EventBody::CaseResolved { outcome, .. } => self.ending = Some((outcome.clone(), on)),
            EventBody::CaseClosed { reason, .. } => self.ending = Some((reason.clone(), on)),
            _ => {}
        }
        Ok(())
    }

    fn action_mut(&mut self, id: &str) -> Option<&mut ActionState> {
        self.actions.iter_mut().find(|a| a.item.id == id)
    }

    fn extend(
        &mut self,
        procedure: &Procedure,
        clock: &str,
        extension: Extension,
    ) -> Result<(), Refusal> {
        let refuse = |reason: String| Refusal::RuleNotMet {
            rule: "deadline_extended".into(),
            citation: "Agreement of the Parties".into(),
            status: crate::procedure::RuleStatus::Secondary,
            reason,
        };
        let id = procedure
            .clock_by_name(clock)
            .ok_or_else(|| refuse(format!("no clock is named `{clock}`")))?;
        let def = procedure.clock(id).clone();
        let run = self
            .running_mut(id)
            .ok_or_else(|| refuse(format!("clock `{clock}` is not running")))?;
        let new_due = match (extension, run.due) {
            (Extension::Until(date), Some(due)) if date <= due => {
                return Err(refuse(format!(
                    "an extension moves a due date later: `{clock}` is due {due}, not after {date}"
                )))
            }
            (Extension::Until(date), _) => date,
            (Extension::ByDays(days), Some(due)) => add_days(&def, due, days),
            (Extension::ByDays(_), None) => {
                return Err(refuse(format!(
                "clock `{clock}` has no known due date to extend by a number of days; give `until`"
            )))
            }
        };
        run.due = Some(new_due);
        run.extensions += 1;
        Ok(())
    }

    pub fn stage(&self) -> StageId {
        self.stage
    }

    pub fn history(&self) -> &[StageEntry] {
        &self.history
    }

    pub fn last_date(&self) -> Option<NaiveDate> {
        self.last_date
    }

    pub fn liquidation(&self) -> Liquidation {
        self.liquidation
    }

    pub fn facility_closed(&self) -> Option<Option<NaiveDate>> {
        self.facility_closed
    }

    pub fn actions(&self) -> &[ActionState] {
        &self.actions
    }

    pub fn remedies(&self) -> &[RemedyState] {
        &self.remedies
    }

    pub fn remedies_in_force(&self) -> impl Iterator<Item = &RemedyState> {
        self.remedies.iter().filter(|r| r.lifted.is_none())
    }

    /// Panel determinations of a denial in this case.
    pub fn denial_determinations(&self) -> u32 {
        self.denial_determinations
    }

    /// This case's determinations plus earlier ones for the same facility.
    pub fn repeat_offence_count(&self) -> u32 {
        self.denial_determinations + self.context.prior_denial_determinations
    }

    pub fn clock_runs(&self) -> &[ClockRun] {
        &self.clocks
    }

    /// The outcome or closing reason and its date, once the case has ended.
    pub fn ending(&self) -> Option<(&str, Option<NaiveDate>)> {
        self.ending.as_ref().map(|(s, d)| (s.as_str(), *d))
    }

    pub fn event_count(&self) -> usize {
        self.events
    }
}

#[cfg(test)]
mod tests;
