//! rrm's application services: the operations the CLI and the web server share (import a case
//! file, record an event, list deadlines, show a case), joining the engine to the store.
//!
//! Every write goes through the engine first: an event is stored only after the procedure
//! accepted it, together with the projection the engine derived, in one store transaction.
//!
//! Beside the case record: petition intake (`petition.rs`, `petition_status.rs`), staff
//! accounts, sessions and tokens (`staff.rs`, `sessions.rs`, `tokens.rs`), casework (notes,
//! documents, publication), who may do what (`access.rs`), and after-commit notifications for
//! derived data such as the search indexes (`changes.rs`). Time enters as arguments
//! (`today`, `now`); nothing here reads the clock.

pub mod access;
mod case_view;
mod casework;
mod changes;
mod deadlines;
mod error;
pub mod evidence;
mod import;
pub mod passwords;
mod petition;
mod petition_status;
mod projection;
mod record;
pub mod secrets;
mod seed;
mod sessions;
mod staff;
mod tokens;

use std::sync::Arc;

use rrm_core::procedure::ProcedureSet;
use rrm_store::{Store, Workspace};

pub use case_view::{CaseView, ClockLine};
pub use casework::SubmissionView;
pub use changes::{Change, ChangeListener};
pub use deadlines::{DeadlineLine, DeadlineWindow};
pub use error::AppError;
pub use evidence::Upload;
pub use import::{ImportReport, ImportSource};
pub use petition::{PetitionInput, Receipt, ALLEGATIONS, OFFICES};
pub use petition_status::PetitionStatus;
pub use projection::project;
pub use record::Recorded;
pub use seed::public_record;
pub use sessions::{NewLogin, StaffSession, SESSION_HOURS};
pub use staff::normalize_email;

/// The running application: the case store, the staff workspace beside it, and the
/// procedures the cases follow.
#[derive(Clone)]
pub struct Rrm {
    pub store: Arc<dyn Store>,
    pub workspace: Arc<dyn Workspace>,
    pub procedures: Arc<ProcedureSet>,
    /// Told of every committed write (the search indexes follow the store through it).
    listener: Option<Arc<dyn ChangeListener>>,
}

impl Rrm {
    /// One backend serves as both the case store and the workspace, so a petition's case and
    /// its submission can be written in one transaction.
    pub fn new<B: Store + Workspace + 'static>(
        backend: Arc<B>,
        procedures: Arc<ProcedureSet>,
    ) -> Rrm {
        Rrm {
            store: backend.clone(),
            workspace: backend,
            procedures,
            listener: None,
        }
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
