//! The preconditions a transition may require (`requires` and `after_expiry_of` in a
//! procedure definition), checked against the case's state and the event's payload.

use chrono::NaiveDate;

use super::{CaseState, Liquidation, Refusal};
use crate::event::{Event, EventBody};
use crate::procedure::{Guard, Procedure, Transition};

impl CaseState {
    /// Whether `transition` may fire for `event`; a refusal names the transition's rule.
    pub(super) fn check(
        &self,
        procedure: &Procedure,
        transition: &Transition,
        event: &Event,
    ) -> Result<(), Refusal> {
        let refuse = |reason: String| Refusal::RuleNotMet {
            rule: transition.id.clone(),
            citation: transition.citation.clone(),
            status: transition.status,
            reason,
        };
        if let Some(clock) = transition.after_expiry_of {
            // An undated historical event cannot be checked against a due date; the record
            // says it happened, so it is accepted.
            if let Some(date) = event.date {
                let def = procedure.clock(clock);
                let expired = self
                    .running(clock)
                    .is_some_and(|run| run.expired_on(def.kind, date));
                if !expired {
                    return Err(refuse(format!(
                        "`{}` is allowed here only after clock `{}` has expired unmet",
                        event.kind(),
                        def.id
                    )));
                }
            }
        }
        for guard in &transition.requires {
            self.guard(procedure, *guard, &event.body)
                .map_err(&refuse)?;
        }
        Ok(())
    }

    fn guard(&self, procedure: &Procedure, guard: Guard, body: &EventBody) -> Result<(), String> {
        let ok = |cond: bool, why: &str| if cond { Ok(()) } else { Err(why.to_string()) };
        match (guard, body) {
            (Guard::LiquidationSuspended, _) => ok(
                matches!(self.liquidation, Liquidation::Suspended { .. }),
                "liquidation is not suspended",
            ),
            (Guard::LiquidationNotSuspended, _) => ok(
                !matches!(self.liquidation, Liquidation::Suspended { .. }),
                "liquidation is already suspended",
            ),
            (Guard::FacilityOpen, _) => {
                ok(self.facility_closed.is_none(), "the facility has closed")
            }
            (Guard::ClockOpen, EventBody::DeadlineExtended { clock, .. }) => {
                match procedure.clock_by_name(clock) {
                    None => Err(format!("no clock is named `{clock}`")),
                    Some(id) => ok(
                        self.running(id).is_some(),
                        &format!("clock `{clock}` is not running"),
                    ),
                }
            }
            (Guard::ActionNotCompleted, EventBody::ActionCompleted { action, .. }) => {
                match self.actions.iter().find(|a| a.item.id == *action) {
                    None => Err(no_action(action)),
                    Some(a) => ok(
                        a.completed.is_none(),
                        &format!("action `{action}` is already completed"),
                    ),
                }
            }
            (Guard::ActionNotVerifiedByParty, EventBody::ActionVerified { action, by }) => {
                match self.actions.iter().find(|a| a.item.id == *action) {
                    None => Err(no_action(action)),
                    Some(a) => ok(
                        !a.verified_by.iter().any(|(p, _)| p == by),
                        &format!("action `{action}` is already verified by {by}"),
                    ),
                }
            }
            (Guard::RemedyInForce, EventBody::RemedyLifted { remedy }) => ok(
                self.remedies_in_force().any(|r| r.remedy == *remedy),
                &format!("remedy `{}` is not in force", remedy.as_str()),
            ),
            (Guard::RemedyNotInForce, EventBody::RemedyImposed { remedy }) => ok(
                !self.remedies_in_force().any(|r| r.remedy == *remedy),
                &format!("remedy `{}` is already in force", remedy.as_str()),
            ),
            (Guard::ThirdDetermination, _) => ok(
                self.repeat_offence_count() >= 3,
                &format!(
                    "denial of entry needs a third determination of a denial for the facility; \
                     this is determination {}",
                    self.repeat_offence_count()
                ),
            ),
            (guard, body) => Err(format!(
                "requirement `{}` does not apply to `{}`",
                guard.as_str(),
                body.kind()
            )),
        }
    }

    /// Whether a guard could pass for some event of the transition's kind (for listing what
    /// may come next without a payload).
    pub(super) fn could_pass(&self, procedure: &Procedure, t: &Transition, on: NaiveDate) -> bool {
        let expiry_ok = t.after_expiry_of.is_none_or(|clock| {
            let kind = procedure.clock(clock).kind;
            self.running(clock).is_some_and(|r| r.expired_on(kind, on))
        });
        expiry_ok && t.requires.iter().all(|g| self.guard_possible(*g))
    }

    fn guard_possible(&self, guard: Guard) -> bool {
        match guard {
            Guard::LiquidationSuspended => {
                matches!(self.liquidation, Liquidation::Suspended { .. })
            }
            Guard::LiquidationNotSuspended => {
                !matches!(self.liquidation, Liquidation::Suspended { .. })
            }
            Guard::FacilityOpen => self.facility_closed.is_none(),
            Guard::ClockOpen => self.clocks.iter().any(|r| r.is_running()),
            Guard::ActionNotCompleted => self.actions.iter().any(|a| a.completed.is_none()),
            Guard::ActionNotVerifiedByParty => self.actions.iter().any(|a| a.verified_by.len() < 2),
            Guard::RemedyInForce => self.remedies_in_force().next().is_some(),
            Guard::RemedyNotInForce => self.remedies_in_force().count() < 3,
            Guard::ThirdDetermination => self.repeat_offence_count() >= 3,
        }
    }
}

fn no_action(action: &str) -> String {
    format!("the course of remediation has no action item `{action}`")
}
