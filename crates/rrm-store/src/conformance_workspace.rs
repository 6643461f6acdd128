//! The conformance suite of the [`Workspace`] trait, run by every backend beside
//! [`crate::conformance::run_all`]: users, sessions, tokens, sign-in security (idle sessions,
//! pending sign-ins, throttles, lockouts, TOTP steps, recovery codes), petitions filed whole and
//! unpublished, evidence, notes, documents, and what publication does to listings.
//!
//! A backend implements both traits on one value, so each check takes the same store as a
//! [`Store`] and as a [`Workspace`]. Contract points fixed here:
//! - Times round-trip to the second.
//! - Lists come oldest first (notes, documents, evidence, tokens); `unpublished` in id order.
//! - A failed `file_petition` leaves no case, no submission, no evidence and no blob behind.

mod accounts;
mod authentication;
mod casework;
mod petitions;

/// Fixtures the other suites share.
pub(crate) mod fixtures {
    pub(crate) use super::accounts::{at, new_user};
    pub(crate) use super::petitions::{file, petition_case, stored, submission};
}

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{Store, Workspace};

/// A workspace check: takes one empty backend as both traits and panics on a broken contract.
pub type WorkspaceCheck = fn(&dyn Store, &dyn Workspace);

/// Every check, with its name.
pub const WORKSPACE_CHECKS: &[(&str, WorkspaceCheck)] = &[
    (
        "users_are_unique_by_email",
        accounts::users_are_unique_by_email,
    ),
    (
        "sessions_live_until_deleted",
        accounts::sessions_live_until_deleted,
    ),
    (
        "tokens_are_found_by_hash_and_revoked",
        accounts::tokens_are_found_by_hash_and_revoked,
    ),
    (
        "sessions_track_use_and_end_per_user",
        authentication::sessions_track_use_and_end_per_user,
    ),
    (
        "pending_sign_ins_live_until_deleted",
        authentication::pending_sign_ins_live_until_deleted,
    ),
    (
        "login_failures_are_counted_per_key",
        authentication::login_failures_are_counted_per_key,
    ),
    (
        "lockouts_replace_and_unlock",
        authentication::lockouts_replace_and_unlock,
    ),
    (
        "totp_steps_are_accepted_once",
        authentication::totp_steps_are_accepted_once,
    ),
    (
        "recovery_codes_are_used_once",
        authentication::recovery_codes_are_used_once,
    ),
    (
        "a_petition_is_filed_whole_and_unpublished",
        petitions::a_petition_is_filed_whole_and_unpublished,
    ),
    (
        "a_refused_petition_writes_nothing",
        petitions::a_refused_petition_writes_nothing,
    ),
    (
        "publication_filters_listings",
        petitions::publication_filters_listings,
    ),
    (
        "notes_and_documents_belong_to_a_case",
        casework::notes_and_documents_belong_to_a_case,
    ),
    (
        "only_public_documents_are_published",
        casework::only_public_documents_are_published,
    ),
    (
        "evidence_is_kept_once_per_content",
        casework::evidence_is_kept_once_per_content,
    ),
];

/// Runs every workspace check, each against a fresh backend made by `make`.
///
/// # Panics
/// On the first failing check, after the failure's own message, with the check's name.
pub fn run_all_workspace<B: Store + Workspace>(make: &dyn Fn() -> B) {
    for (name, check) in WORKSPACE_CHECKS {
        let backend = make();
        if catch_unwind(AssertUnwindSafe(|| check(&backend, &backend))).is_err() {
            panic!("workspace conformance check `{name}` failed (its message is above)");
        }
    }
}
