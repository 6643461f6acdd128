//! The second storage seam: [`Workspace`], what the staff workspace and petition intake keep
//! beside the case record — staff users, sessions, API tokens, petition submissions with their
//! evidence, internal notes, staff documents, and which cases are published.
//!
//! Invariants every backend keeps (checked by [`crate::conformance_workspace`]):
//! - A petition is filed whole or not at all: its case (unpublished), its submission and its
//!   evidence are written in one transaction.
//! - A case is published unless marked otherwise: imported cases are public from the start;
//!   only [`Workspace::file_petition`] and [`Workspace::set_published`] mark one unpublished.
//!   `CaseFilter { published: Some(true), .. }` lists only published cases.
//! - Tokens are looked up by their SHA-256; the store never sees a usable token.
//! - File bytes are kept once per distinct SHA-256 of the bytes as stored; sealed files differ
//!   even when their contents are equal, public ones are shared.
//! - Every file is written with its custody entries in the audit log, in one transaction.
//! - Sign-in security is kept in the store, not in a server's memory, so several servers on
//!   one database share every throttle, lockout and used TOTP step. Counting a failure and
//!   accepting a TOTP step are each one atomic statement, so two servers cannot both accept
//!   one code or lose a failure between them.

use chrono::{DateTime, Utc};

use crate::{
    BlobReport, Document, EvidenceFile, EvidenceOwner, FileId, Hash, Lockout, NewAuditEntry,
    NewCase, NewDocument, NewFile, NewNote, NewSubmission, NewToken, NewUser, Note, PendingSignIn,
    Session, StoreResult, Submission, ThrottleKey, TokenId, TokenRecord, TokenScope,
    TotpCredential, User, UserId,
};

/// Persistent staff-workspace storage. Implementations must pass
/// [`crate::conformance_workspace::run_all_workspace`].
pub trait Workspace: Send + Sync {
    /// Creates a staff user; `Conflict` if the email is taken.
    fn add_user(&self, user: &NewUser) -> StoreResult<User>;

    fn user(&self, id: UserId) -> StoreResult<Option<User>>;

    fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;

    /// Stores a new session; `Conflict` if its token hash exists.
    fn create_session(&self, session: &Session) -> StoreResult<()>;

    /// The session with this token hash, expired or not (the caller decides).
    fn session(&self, token_hash: &Hash) -> StoreResult<Option<Session>>;

    /// Deletes a session; deleting an unknown one is not an error.
    fn delete_session(&self, token_hash: &Hash) -> StoreResult<()>;

    /// Deletes every session that expired at or before `now`; returns how many.
    fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Records that a session was used at `at` (for the idle timeout); an unknown session is
    /// not an error.
    fn touch_session(&self, token_hash: &Hash, at: DateTime<Utc>) -> StoreResult<()>;

    /// Deletes every session and pending sign-in of a user (an unlock, a reset second factor);
    /// returns how many sessions.
    fn delete_sessions_of(&self, user: UserId) -> StoreResult<u64>;

    /// Stores a sign-in waiting for its second factor; `Conflict` if its token hash exists.
    fn create_pending_sign_in(&self, pending: &PendingSignIn) -> StoreResult<()>;

    /// The pending sign-in with this token hash, expired or not (the caller decides).
    fn pending_sign_in(&self, token_hash: &Hash) -> StoreResult<Option<PendingSignIn>>;

    /// Deletes a pending sign-in; deleting an unknown one is not an error.
    fn delete_pending_sign_in(&self, token_hash: &Hash) -> StoreResult<()>;

    /// Deletes every pending sign-in that expired at or before `now`; returns how many.
    fn delete_expired_pending_sign_ins(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Counts one failed sign-in against `key` at `at`, and returns how many failures the key
    /// has at or after `since`, this one included, in one atomic step.
    fn record_login_failure(
        &self,
        key: &ThrottleKey,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<u32>;

    /// Forgets a key's failures (a successful sign-in), keeping its lockout record.
    fn clear_login_failures(&self, key: &ThrottleKey) -> StoreResult<()>;

    /// Deletes failures older than `before` of every key; returns how many.
    fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    /// A key's lockout record, current or past.
    fn lockout(&self, key: &ThrottleKey) -> StoreResult<Option<Lockout>>;

    /// Locks a key (replacing its lockout record) and forgets its failures, in one
    /// transaction: a new lockout starts a new count.
    fn set_lockout(&self, lockout: &Lockout) -> StoreResult<()>;

    /// Lifts a key's lockout and forgets its failures and strikes; whether there was anything
    /// to lift.
    fn unlock(&self, key: &ThrottleKey) -> StoreResult<bool>;

    /// A user's authenticator, if one is enrolled.
    fn totp(&self, user: UserId) -> StoreResult<Option<TotpCredential>>;

    /// Enrolls an authenticator with its recovery codes (SHA-256 of each), replacing any
    /// earlier authenticator and codes, in one transaction; `NotFound` for an unknown user.
    fn enroll_totp(&self, credential: &TotpCredential, recovery_codes: &[Hash]) -> StoreResult<()>;

    /// Accepts time step `step` for a user's authenticator if it is later than every step
    /// accepted before, atomically; `false` for a replay (or no authenticator).
    fn use_totp_step(&self, user: UserId, step: u64) -> StoreResult<bool>;

    /// Uses up one recovery code at `at`; `false` if the user has no such unused code.
    fn use_recovery_code(
        &self,
        user: UserId,
        code_hash: &Hash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// How many unused recovery codes a user has.
    fn recovery_codes_left(&self, user: UserId) -> StoreResult<u32>;

    /// Removes a user's authenticator and recovery codes (the next sign-in enrolls anew);
    /// whether there was one.
    fn remove_totp(&self, user: UserId) -> StoreResult<bool>;

    fn add_token(&self, token: &NewToken) -> StoreResult<TokenRecord>;

    /// The token with this hash, revoked or not (the caller decides).
    fn token(&self, token_hash: &Hash) -> StoreResult<Option<TokenRecord>>;

    /// A user's tokens, oldest first.
    fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenRecord>>;

    /// Revokes one token (idempotent); `NotFound` for an unknown id.
    fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<()>;

    /// Revokes every live token of a user in a scope; returns how many.
    fn revoke_tokens(&self, user: UserId, scope: TokenScope, at: DateTime<Utc>)
        -> StoreResult<u64>;

    /// Files a petition in one transaction: creates its case unpublished, stores the
    /// submission and its evidence, and appends `custody` (the entries that record who
    /// delivered which file) to the audit log. `Conflict` if the case id or the receipt exists.
    fn file_petition(
        &self,
        case: &NewCase,
        submission: &NewSubmission,
        evidence: &[NewFile],
        custody: &[NewAuditEntry],
    ) -> StoreResult<()>;

    fn submission(&self, receipt: &str) -> StoreResult<Option<Submission>>;

    fn submission_for_case(&self, case_id: &str) -> StoreResult<Option<Submission>>;

    /// Adds an evidence file to a submission or a case, appending `custody` to the audit log
    /// in the same transaction; `NotFound` if the owner is unknown.
    fn add_evidence(
        &self,
        owner: &EvidenceOwner,
        file: &NewFile,
        custody: &[NewAuditEntry],
    ) -> StoreResult<EvidenceFile>;

    /// Evidence files of a submission or a case, in upload order.
    fn evidence(&self, owner: &EvidenceOwner) -> StoreResult<Vec<EvidenceFile>>;

    /// Adds an internal note; `NotFound` for an unknown case.
    fn add_note(&self, note: &NewNote) -> StoreResult<Note>;

    /// A case's notes, oldest first.
    fn notes(&self, case_id: &str) -> StoreResult<Vec<Note>>;

    /// Adds a document, appending `custody` to the audit log in the same transaction;
    /// `NotFound` for an unknown case (or an unknown document it is a redacted copy of).
    fn add_document(
        &self,
        document: &NewDocument,
        custody: &[NewAuditEntry],
    ) -> StoreResult<Document>;

    /// A case's documents, in upload order.
    fn documents(&self, case_id: &str) -> StoreResult<Vec<Document>>;

    /// Publishes or withdraws a document of a case; `NotFound` for an unknown one, `Conflict`
    /// for a document that is not classified public.
    fn set_document_published(&self, case_id: &str, id: FileId, published: bool)
        -> StoreResult<()>;

    /// The stored bytes whose SHA-256 (of the bytes as stored) is this, if any file has them.
    fn blob(&self, stored_sha256: &Hash) -> StoreResult<Option<Vec<u8>>>;

    /// Rehashes every stored file and checks every file record has its bytes.
    fn verify_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport>;

    /// Publishes or unpublishes a case; `NotFound` for an unknown case.
    fn set_published(&self, case_id: &str, published: bool) -> StoreResult<()>;

    /// Whether a case is published. An unknown case is reported as published: whether it
    /// exists is [`crate::Store::case`]'s question.
    fn is_published(&self, case_id: &str) -> StoreResult<bool>;

    /// The ids of every unpublished case, in id order.
    fn unpublished(&self) -> StoreResult<Vec<String>>;
}
