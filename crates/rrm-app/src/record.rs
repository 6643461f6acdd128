//! Recording an event on a stored case: the engine decides, then the store appends the event
//! and the new projection together, or nothing.

use chrono::NaiveDate;

use rrm_casefile::event_to_json;
use rrm_core::event::Event;
use rrm_store::{NewEvent, StoredEvent};

use crate::{project, AppError, Change, Rrm};

/// What recording an event did.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub stored: StoredEvent,
    pub stage: String,
}

impl Rrm {
    /// Records `event` on case `id`, refusing it if the procedure does not allow it or it is
    /// dated after `today`. A concurrent write to the same case makes this fail with
    /// `Conflict` rather than fork the chain.
    pub fn record(&self, id: &str, event: Event, today: NaiveDate) -> Result<Recorded, AppError> {
        let (mut case, head) = self.load_case(id)?;
        let (procedure, state) = self.replay(id, &case)?;
        let next = state
            .apply_as_of(procedure, &event, today)
            .map_err(|refusal| AppError::Refused {
                at: format!("case `{id}`"),
                refusal,
            })?;
        let new_event = NewEvent {
            kind: event.kind().as_str().to_string(),
            date: event.date,
            payload: event_to_json(&event).to_string(),
        };
        case.events.push(event);
        let projection = project(procedure, &case.header, &case.events, &next);
        let mut stored = self.store.append(id, head, &[new_event], &projection)?;
        self.notify(Change::EventRecorded(id.to_string()));
        Ok(Recorded {
            stored: stored.remove(0),
            stage: projection.stage,
        })
    }
}
