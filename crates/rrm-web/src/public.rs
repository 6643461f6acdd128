//! The public face of a case: the only way the public side reads a case, so the only place
//! that decides what of it may be shown.
//!
//! Invariants: an unpublished case (a petition not yet reviewed) is "no case" here, exactly as
//! an unknown id, so its existence does not show; and a petitioner whose name is not public
//! (`public: false`) is removed before any page, API response or bulk download is built.
//! Case files may name such petitioners so staff can work with them; the public site never
//! does. Staff pages read cases through `rrm_app` directly, behind a session.

use rrm_app::{CaseView, Rrm};
use rrm_casefile::{CaseFile, CaseHeaderDoc};
use rrm_core::procedure::Procedure;

use crate::error::WebError;

/// A case as of a date, with its non-public parts removed.
pub struct PublicCase {
    pub view: CaseView,
}

impl PublicCase {
    pub fn load(rrm: &Rrm, id: &str, as_of: chrono::NaiveDate) -> Result<PublicCase, WebError> {
        rrm.ensure_published(id)?;
        let mut view = rrm.case_view(id, as_of)?;
        view.header = public_header(view.header);
        Ok(PublicCase { view })
    }

    /// The procedure the case follows.
    pub fn procedure<'a>(&self, rrm: &'a Rrm) -> Result<&'a Procedure, WebError> {
        Ok(rrm.procedure(&self.view.header.procedure)?)
    }
}

/// The header with every non-public petitioner removed.
pub fn public_header(mut header: CaseHeaderDoc) -> CaseHeaderDoc {
    header.petitioners.retain(|p| p.public);
    header
}

/// A stored case file, as published (bulk download).
pub fn public_case_file(rrm: &Rrm, id: &str) -> Result<CaseFile, WebError> {
    rrm.ensure_published(id)?;
    let (case, _) = rrm.load_case(id)?;
    Ok(CaseFile {
        header: public_header(case.header),
        events: case.events,
    })
}
