//! How the pages added beside the workspace (case access, accounts, teams, the partner
//! portal) answer their forms: a change that worked redirects back with `?done=WHAT` (so a
//! reload does not send it again); a refusal the reader can act on — bad input, a conflict, a
//! rule that refused — shows the page again with the refusal and the rule it names.

use axum::http::StatusCode;

use super::workspace::Notice;
use crate::error::WebError;

/// The notice for `?done=WHAT`, if WHAT is one this page says.
pub(crate) fn done(what: Option<String>, known: &[&str]) -> Option<Notice> {
    what.filter(|w| known.contains(&w.as_str()))
        .map(|message| Notice {
            kind: "done",
            message,
            rule: None,
        })
}

/// Whether a failed change is shown on its page again (the status and the notice), rather
/// than as an error page: any refusal of the request itself except "no such case", which
/// must look the same as for a case that does not exist.
pub(crate) fn shown_again(e: &WebError) -> Option<(StatusCode, Notice)> {
    let status = e.body().status;
    (status.is_client_error() && status != StatusCode::NOT_FOUND)
        .then(|| (status, Notice::from_error(e)))
}
