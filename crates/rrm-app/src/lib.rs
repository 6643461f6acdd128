//! rrm's application services: the operations the CLI and the web server share (import a case
//! file, record an event, list deadlines, show a case), joining the engine to the store.
//!
//! Every write goes through the engine first: an event is stored only after the procedure
//! accepted it, together with the projection the engine derived, in one store transaction.
//!
//! Beside the case record: petition intake (`petition.rs`, `petition_status.rs`), staff
//! accounts, sessions and tokens (`staff.rs`, `sessions.rs`, `tokens.rs`), signing in with a
//! second factor (`sign_in.rs`, `totp.rs`) behind login throttling (`throttle.rs`), casework (notes,
//! documents, publication), who may do what (`access.rs`), and after-commit notifications for
//! derived data such as the search indexes (`changes.rs`). Time enters as arguments
//! (`today`, `now`); nothing here reads the clock.

pub mod access;
pub mod audit;
mod audit_read;
mod case_view;
mod casework;
mod changes;
mod deadlines;
mod documents;
mod downloads;
mod error;
pub mod evidence;
mod files;
mod import;
mod integrity;
pub mod passwords;
mod petition;
mod petition_status;
mod projection;
mod record;
mod reminders;
pub mod secrets;
mod seed;
mod sessions;
mod shared;
mod sign_in;
mod staff;
mod teams;
pub mod throttle;
mod tokens;
pub mod totp;
pub mod vault;

use std::sync::Arc;

use rrm_core::procedure::ProcedureSet;
use rrm_store::{AccessControl, AuditLog, Backend, KeyStore, Reminders, Store, Workspace};

pub use access::{Action, CaseScope};
pub use audit_read::AuditPage;
pub use case_view::{CaseView, ClockLine};
pub use casework::{ConfidentialView, EvidenceView, NoteView, SubmissionView};
pub use changes::{Change, ChangeListener};
pub use deadlines::{DeadlineLine, DeadlineWindow};
pub use documents::{DocumentOptions, DocumentView};
pub use error::AppError;
pub use evidence::Upload;
pub use files::OpenedFile;
pub use import::{is_sealed_text, ImportReport, ImportSource};
pub use integrity::VaultReport;
pub use petition::{PetitionInput, Receipt, ALLEGATIONS, OFFICES};
pub use petition_status::PetitionStatus;
pub use projection::project;
pub use record::Recorded;
pub use seed::public_record;
pub use sessions::{NewLogin, StaffSession, IDLE_MINUTES, SESSION_HOURS};
pub use shared::SharedCase;
pub use sign_in::{PasswordAccepted, Pending, Previous, SecondFactor, SignedIn, PENDING_MINUTES};
pub use staff::normalize_email;
pub use teams::{check_team_name, Actor, DEFAULT_TEAM};

/// The running application: the case store, the staff workspace beside it, and the
/// procedures the cases follow.
#[derive(Clone)]
pub struct Rrm {
    pub store: Arc<dyn Store>,
    pub workspace: Arc<dyn Workspace>,
    pub access: Arc<dyn AccessControl>,
    pub keys: Arc<dyn KeyStore>,
    pub audit_log: Arc<dyn AuditLog>,
    /// Deadline reminders sent, shared by every server on the store.
    pub reminders: Arc<dyn Reminders>,
    pub procedures: Arc<ProcedureSet>,
    /// The master key and data keys; `None` when the server runs without its master key, and
    /// then confidential data can be neither stored nor read (public data still can).
    pub vault: Option<Arc<vault::Vault>>,
    /// Told of every committed write (the search indexes follow the store through it).
    listener: Option<Arc<dyn ChangeListener>>,
}

impl Rrm {
    /// One backend keeps everything, so a petition's case, its submission and the custody of
    /// its evidence can be written in one transaction. Without a master key
    /// ([`Rrm::with_master_key`]), confidential data is unavailable.
    pub fn new<B: Backend + 'static>(backend: Arc<B>, procedures: Arc<ProcedureSet>) -> Rrm {
        Rrm {
            store: backend.clone(),
            workspace: backend.clone(),
            access: backend.clone(),
            keys: backend.clone(),
            audit_log: backend.clone(),
            reminders: backend,
            procedures,
            vault: None,
            listener: None,
        }
    }

    /// The same application with its master key, so confidential data can be sealed and
    /// opened.
    pub fn with_master_key(mut self, master: vault::MasterKey) -> Rrm {
        self.vault = Some(Arc::new(vault::Vault::new(master, self.keys.clone())));
        self
    }

    /// Refuses a master key other than the one that wraps this store's data keys.
    pub fn check_master_key(&self, master: &vault::MasterKey) -> Result<(), AppError> {
        vault::check_master_key(self.keys.as_ref(), master)
    }

    /// The vault, or the error that says confidential data is unavailable and why.
    pub fn vault(&self) -> Result<&vault::Vault, AppError> {
        self.vault.as_deref().ok_or_else(|| {
            AppError::Unavailable(
                "confidential data is unavailable: this server runs without its master key \
                 (create one with `rrm keys init`, then start with --master-key-file or \
                 RRM_MASTER_KEY_FILE)"
                    .into(),
            )
        })
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
