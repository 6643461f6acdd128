//! rrm's application services: the operations the CLI and the web server share (import a case
//! file, record an event, list deadlines, show a case), joining the engine to the store.
//!
//! Every write goes through the engine first: an event is stored only after the procedure
//! accepted it, together with the projection the engine derived, in one store transaction.

mod case_view;
mod deadlines;
mod error;
mod import;
mod projection;
mod record;
mod seed;

use std::sync::Arc;

use rrm_core::procedure::ProcedureSet;
use rrm_store::Store;

pub use case_view::{CaseView, ClockLine};
pub use deadlines::{DeadlineLine, DeadlineWindow};
pub use error::AppError;
pub use import::{ImportReport, ImportSource};
pub use projection::project;
pub use record::Recorded;
pub use seed::public_record;

/// The running application: a store and the procedures its cases follow.
#[derive(Clone)]
pub struct Rrm {
    pub store: Arc<dyn Store>,
    pub procedures: Arc<ProcedureSet>,
}

impl Rrm {
    pub fn new(store: Arc<dyn Store>, procedures: Arc<ProcedureSet>) -> Rrm {
        Rrm { store, procedures }
    }

    /// The procedure a case follows, or a bad-input error naming the unknown id.
    pub fn procedure(&self, id: &str) -> Result<&rrm_core::procedure::Procedure, AppError> {
        self.procedures.get(id).ok_or_else(|| {
            let known: Vec<&str> = self.procedures.ids().collect();
            AppError::BadInput(format!(
                "procedure: unknown procedure `{id}` (known: {})",
                known.join(", ")
            ))
        })
    }
}
