//! After-commit notifications: the seam through which derived data outside the store (the
//! search indexes) follows the store, without rrm-app knowing who listens.
//!
//! Invariant: a listener is told of a change only after the store committed it, once per
//! committed write, with the ids of the cases it touched. A listener cannot fail the write
//! (it is already durable); it keeps its own record of what it could not apply.

use std::sync::Arc;

use rrm_store::{FileId, Projection};

use crate::{project, AppError, Rrm};

/// What a committed write changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New cases: an import, an API create, or a petition (whose case starts unpublished).
    CasesCreated(Vec<String>),
    /// An event was recorded on a case.
    EventRecorded(String),
    /// A case was published or unpublished.
    PublicationChanged { case_id: String, published: bool },
    /// A staff document was added to a case.
    DocumentAdded { case_id: String, document: FileId },
}

impl Change {
    /// The cases the change touched.
    pub fn case_ids(&self) -> Vec<String> {
        match self {
            Change::CasesCreated(ids) => ids.clone(),
            Change::EventRecorded(id)
            | Change::PublicationChanged { case_id: id, .. }
            | Change::DocumentAdded { case_id: id, .. } => vec![id.clone()],
        }
    }
}

/// Something that follows the store's committed writes.
pub trait ChangeListener: Send + Sync {
    /// Called after `change` was committed, on the writer's thread, with the application
    /// (to read what changed). It must not write through `rrm`.
    fn changed(&self, rrm: &Rrm, change: &Change);
}

impl Rrm {
    /// This application, telling `listener` of every committed write.
    pub fn with_listener(mut self, listener: Arc<dyn ChangeListener>) -> Rrm {
        self.listener = Some(listener);
        self
    }

    pub(crate) fn notify(&self, change: Change) {
        if let Some(listener) = &self.listener {
            listener.changed(self, &change);
        }
    }

    /// The projection of a stored case (stage, outcome, facets), recomputed by replay.
    pub fn projection(&self, id: &str) -> Result<Projection, AppError> {
        let (case, _) = self.load_case(id)?;
        let (procedure, state) = self.replay(id, &case)?;
        Ok(project(procedure, &case.header, &case.events, &state))
    }
}
