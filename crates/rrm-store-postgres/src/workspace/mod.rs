//! [`Workspace`], [`AccessControl`], [`KeyStore`] and [`AuditLog`] on PostgreSQL, in the tables
//! of migration 0002 (which mirror SQLite's 0002 to 0006 column for column). Each method
//! delegates to a free function of a submodule taking the locked `&mut Client`:
//! `accounts` (users, sessions, API tokens), `sign_in` (pending sign-ins, throttles, lockouts,
//! TOTP, recovery codes), `petitions`, `casework` (notes, publication), `documents`,
//! `access`, `keys` and `audit`; file bytes are `crate::blobs`'.
//!
//! Invariants kept here:
//! - Every write is one transaction begun by `crate::version::begin_write`, which bumps the
//!   store version first; a petition's case, submission, evidence, bytes and custody entries
//!   commit together or not at all.
//! - With an external blob store the bytes are put before that transaction and without the
//!   connection locked (`crate::blobs`), so at worst they outlive a failed one.
//! - Error messages name rows by id, receipt or case, never by confidential content: a store
//!   error may be logged.

mod access;
mod accounts;
mod audit;
mod casework;
mod documents;
mod keys;
mod petitions;
mod sign_in;
pub(crate) mod time;

use chrono::{DateTime, Utc};

use rrm_store::{
    AccessControl, AuditEntry, AuditFilter, AuditLog, AuditReport, BlobReport, Document,
    EvidenceFile, EvidenceOwner, FileId, Hash, KeyStore, Lockout, NewAuditEntry, NewCase,
    NewDocument, NewFile, NewNote, NewSubmission, NewToken, NewUser, Note, PendingSignIn, Reach,
    Role, Session, StoreResult, Submission, Team, TeamId, ThrottleKey, TokenId, TokenRecord,
    TokenScope, TotpCredential, User, UserId, Workspace, WrappedKey,
};

use crate::PostgresStore;

impl KeyStore for PostgresStore {
    fn case_key(&self, case_id: &str) -> StoreResult<Option<WrappedKey>> {
        keys::case_key(&mut self.lock(), case_id, None)
    }

    fn case_key_version(&self, case_id: &str, version: u32) -> StoreResult<Option<WrappedKey>> {
        keys::case_key(&mut self.lock(), case_id, Some(version))
    }

    fn add_case_key(&self, key: &WrappedKey) -> StoreResult<WrappedKey> {
        keys::add_case_key(&mut self.lock(), key)
    }

    fn case_keys(&self) -> StoreResult<Vec<WrappedKey>> {
        keys::case_keys(&mut self.lock())
    }

    fn rewrap_case_keys(&self, from_master: &str, keys: &[WrappedKey]) -> StoreResult<u64> {
        keys::rewrap(&mut self.lock(), from_master, keys)
    }
}

impl AuditLog for PostgresStore {
    fn append_audit(&self, entries: &[NewAuditEntry]) -> StoreResult<Vec<AuditEntry>> {
        audit::append(&mut self.lock(), entries)
    }

    fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        audit::entries(&mut self.lock(), filter)
    }

    fn verify_audit(&self) -> StoreResult<AuditReport> {
        audit::verify(&mut self.lock())
    }
}

impl AccessControl for PostgresStore {
    fn add_team(&self, name: &str, intake: bool, created: DateTime<Utc>) -> StoreResult<Team> {
        access::add_team(&mut self.lock(), name, intake, created)
    }

    fn teams(&self) -> StoreResult<Vec<Team>> {
        access::teams(&mut self.lock())
    }

    fn team_by_name(&self, name: &str) -> StoreResult<Option<Team>> {
        access::team_by_name(&mut self.lock(), name)
    }

    fn set_team_member(&self, team: TeamId, user: UserId, member: bool) -> StoreResult<()> {
        access::set_team_member(&mut self.lock(), team, user, member)
    }

    fn team_members(&self, team: TeamId) -> StoreResult<Vec<UserId>> {
        access::team_members(&mut self.lock(), team)
    }

    fn teams_of(&self, user: UserId) -> StoreResult<Vec<Team>> {
        access::teams_of(&mut self.lock(), user)
    }

    fn assign_case(&self, case_id: &str, team: TeamId, assigned: bool) -> StoreResult<()> {
        access::assign_case(&mut self.lock(), case_id, team, assigned)
    }

    fn case_teams(&self, case_id: &str) -> StoreResult<Vec<Team>> {
        access::case_teams(&mut self.lock(), case_id)
    }

    fn set_grant(&self, case_id: &str, user: UserId, granted: bool) -> StoreResult<()> {
        access::set_grant(&mut self.lock(), case_id, user, granted)
    }

    fn case_grants(&self, case_id: &str) -> StoreResult<Vec<UserId>> {
        access::case_grants(&mut self.lock(), case_id)
    }

    fn reach(&self, user: UserId, case_id: &str) -> StoreResult<Reach> {
        access::reach(&mut self.lock(), user, case_id)
    }

    fn cases_of(&self, user: UserId) -> StoreResult<Vec<String>> {
        access::cases_of(&mut self.lock(), user)
    }

    fn users(&self) -> StoreResult<Vec<User>> {
        access::users(&mut self.lock())
    }

    fn set_role(&self, user: UserId, role: Role) -> StoreResult<()> {
        access::set_role(&mut self.lock(), user, role)
    }

    fn set_disabled(&self, user: UserId, at: Option<DateTime<Utc>>) -> StoreResult<()> {
        access::set_disabled(&mut self.lock(), user, at)
    }
}

impl Workspace for PostgresStore {
    fn add_user(&self, user: &NewUser) -> StoreResult<User> {
        accounts::add_user(&mut self.lock(), user)
    }

    fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        accounts::user_by_id(&mut self.lock(), id)
    }

    fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        accounts::user_by_email(&mut self.lock(), email)
    }

    fn create_session(&self, session: &Session) -> StoreResult<()> {
        accounts::create_session(&mut self.lock(), session)
    }

    fn session(&self, token_hash: &Hash) -> StoreResult<Option<Session>> {
        accounts::session(&mut self.lock(), token_hash)
    }

    fn delete_session(&self, token_hash: &Hash) -> StoreResult<()> {
        accounts::delete_session(&mut self.lock(), token_hash)
    }

    fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        accounts::delete_expired_sessions(&mut self.lock(), now)
    }

    fn touch_session(&self, token_hash: &Hash, at: DateTime<Utc>) -> StoreResult<()> {
        sign_in::touch_session(&mut self.lock(), token_hash, at)
    }

    fn delete_sessions_of(&self, user: UserId) -> StoreResult<u64> {
        sign_in::delete_sessions_of(&mut self.lock(), user)
    }

    fn create_pending_sign_in(&self, pending: &PendingSignIn) -> StoreResult<()> {
        sign_in::create_pending(&mut self.lock(), pending)
    }

    fn pending_sign_in(&self, token_hash: &Hash) -> StoreResult<Option<PendingSignIn>> {
        sign_in::pending(&mut self.lock(), token_hash)
    }

    fn delete_pending_sign_in(&self, token_hash: &Hash) -> StoreResult<()> {
        sign_in::delete_pending(&mut self.lock(), token_hash)
    }

    fn delete_expired_pending_sign_ins(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        sign_in::delete_expired_pending(&mut self.lock(), now)
    }

    fn record_login_failure(
        &self,
        key: &ThrottleKey,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<u32> {
        sign_in::record_failure(&mut self.lock(), key, at, since)
    }

    fn clear_login_failures(&self, key: &ThrottleKey) -> StoreResult<()> {
        sign_in::clear_failures(&mut self.lock(), key)
    }

    fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        sign_in::delete_failures_before(&mut self.lock(), before)
    }

    fn lockout(&self, key: &ThrottleKey) -> StoreResult<Option<Lockout>> {
        sign_in::lockout(&mut self.lock(), key)
    }

    fn set_lockout(&self, lockout: &Lockout) -> StoreResult<()> {
        sign_in::set_lockout(&mut self.lock(), lockout)
    }

    fn unlock(&self, key: &ThrottleKey) -> StoreResult<bool> {
        sign_in::unlock(&mut self.lock(), key)
    }

    fn totp(&self, user: UserId) -> StoreResult<Option<TotpCredential>> {
        sign_in::totp(&mut self.lock(), user)
    }

    fn enroll_totp(&self, credential: &TotpCredential, recovery_codes: &[Hash]) -> StoreResult<()> {
        sign_in::enroll_totp(&mut self.lock(), credential, recovery_codes)
    }

    fn use_totp_step(&self, user: UserId, step: u64) -> StoreResult<bool> {
        sign_in::use_totp_step(&mut self.lock(), user, step)
    }

    fn use_recovery_code(
        &self,
        user: UserId,
        code_hash: &Hash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        sign_in::use_recovery_code(&mut self.lock(), user, code_hash, at)
    }

    fn recovery_codes_left(&self, user: UserId) -> StoreResult<u32> {
        sign_in::recovery_codes_left(&mut self.lock(), user)
    }

    fn remove_totp(&self, user: UserId) -> StoreResult<bool> {
        sign_in::remove_totp(&mut self.lock(), user)
    }

    fn add_token(&self, token: &NewToken) -> StoreResult<TokenRecord> {
        accounts::add_token(&mut self.lock(), token)
    }

    fn token(&self, token_hash: &Hash) -> StoreResult<Option<TokenRecord>> {
        accounts::token(&mut self.lock(), token_hash)
    }

    fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenRecord>> {
        accounts::tokens_of(&mut self.lock(), user)
    }

    fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<()> {
        accounts::revoke_token(&mut self.lock(), id, at)
    }

    fn revoke_tokens(
        &self,
        user: UserId,
        scope: TokenScope,
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        accounts::revoke_tokens(&mut self.lock(), user, scope, at)
    }

    fn file_petition(
        &self,
        case: &NewCase,
        submission: &NewSubmission,
        evidence: &[NewFile],
        custody: &[NewAuditEntry],
    ) -> StoreResult<()> {
        self.put_external(evidence.iter().map(|f| f.bytes.as_slice()))?;
        petitions::file_petition(
            &mut self.lock(),
            &self.blobs,
            case,
            submission,
            evidence,
            custody,
        )
    }

    fn submission(&self, receipt: &str) -> StoreResult<Option<Submission>> {
        petitions::submission_by_receipt(&mut self.lock(), receipt)
    }

    fn submission_for_case(&self, case_id: &str) -> StoreResult<Option<Submission>> {
        petitions::submission_for_case(&mut self.lock(), case_id)
    }

    fn add_evidence(
        &self,
        owner: &EvidenceOwner,
        file: &NewFile,
        custody: &[NewAuditEntry],
    ) -> StoreResult<EvidenceFile> {
        self.put_external([file.bytes.as_slice()])?;
        petitions::add_evidence(&mut self.lock(), &self.blobs, owner, file, custody)
    }

    fn evidence(&self, owner: &EvidenceOwner) -> StoreResult<Vec<EvidenceFile>> {
        petitions::evidence(&mut self.lock(), owner)
    }

    fn add_note(&self, note: &NewNote) -> StoreResult<Note> {
        casework::add_note(&mut self.lock(), note)
    }

    fn notes(&self, case_id: &str) -> StoreResult<Vec<Note>> {
        casework::notes(&mut self.lock(), case_id)
    }

    fn add_document(
        &self,
        document: &NewDocument,
        custody: &[NewAuditEntry],
    ) -> StoreResult<Document> {
        self.put_external([document.bytes.as_slice()])?;
        documents::add_document(&mut self.lock(), &self.blobs, document, custody)
    }

    fn documents(&self, case_id: &str) -> StoreResult<Vec<Document>> {
        documents::documents(&mut self.lock(), case_id)
    }

    fn set_document_published(
        &self,
        case_id: &str,
        id: FileId,
        published: bool,
    ) -> StoreResult<()> {
        documents::set_published(&mut self.lock(), case_id, id, published)
    }

    fn blob(&self, stored_sha256: &Hash) -> StoreResult<Option<Vec<u8>>> {
        self.read_blob(stored_sha256)
    }

    fn verify_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        self.check_blobs(progress)
    }

    fn set_published(&self, case_id: &str, published: bool) -> StoreResult<()> {
        casework::set_published(&mut self.lock(), case_id, published)
    }

    fn is_published(&self, case_id: &str) -> StoreResult<bool> {
        casework::is_published(&mut self.lock(), case_id)
    }

    fn unpublished(&self) -> StoreResult<Vec<String>> {
        casework::unpublished(&mut self.lock())
    }
}
