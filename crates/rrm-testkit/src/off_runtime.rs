//! [`OffRuntime`]: a backend a test body may call from inside its async runtime.
//!
//! The synchronous `postgres` client runs a runtime of its own for every call, which tokio
//! refuses inside another (`#[tokio::test]` bodies, which prepare data and check it behind
//! the server's back). The server itself calls the store from `spawn_blocking`, as in
//! production, so only the test's own handle goes through here: each call from inside a
//! runtime runs on a scoped thread (progress reported back to the caller's thread), and
//! outside one it is a plain call. Generated from the six traits of `rrm-store`; a new trait
//! method fails to compile here until it is added the same way.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use rrm_store::*;
use rrm_store_postgres::test_support::{
    off_runtime as hop, off_runtime_with_progress as hop_with_progress,
};

/// A backend whose calls, and whose drop, are safe from inside an async runtime.
pub struct OffRuntime<B: Send + Sync + 'static>(Option<Arc<B>>);

impl<B: Send + Sync + 'static> OffRuntime<B> {
    pub fn new(backend: Arc<B>) -> OffRuntime<B> {
        OffRuntime(Some(backend))
    }

    fn inner(&self) -> &B {
        self.0.as_deref().expect("only taken when dropped")
    }
}

impl<B: Send + Sync + 'static> Drop for OffRuntime<B> {
    /// The last handle of a PostgreSQL store closes its connection with a blocking call:
    /// inside a runtime, that drop happens on a thread of its own.
    fn drop(&mut self) {
        if let Some(backend) = self.0.take() {
            hop(move || drop(backend));
        }
    }
}

impl<B: Backend + 'static> Store for OffRuntime<B> {
    fn create_cases(&self, cases: &[NewCase]) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.create_cases(cases))
    }

    fn append(
        &self,
        case_id: &str,
        expected_head: u64,
        events: &[NewEvent],
        projection: &Projection,
    ) -> StoreResult<Vec<StoredEvent>> {
        let inner = self.inner();
        hop(move || inner.append(case_id, expected_head, events, projection))
    }

    fn case(&self, case_id: &str) -> StoreResult<Option<StoredCase>> {
        let inner = self.inner();
        hop(move || inner.case(case_id))
    }

    fn events(&self, case_id: &str) -> StoreResult<Vec<StoredEvent>> {
        let inner = self.inner();
        hop(move || inner.events(case_id))
    }

    fn list_cases(&self, filter: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)> {
        let inner = self.inner();
        hop(move || inner.list_cases(filter))
    }

    fn deadlines(&self, query: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>> {
        let inner = self.inner();
        hop(move || inner.deadlines(query))
    }

    fn denial_determinations(&self, facility_key: &str, excluding_case: &str) -> StoreResult<u32> {
        let inner = self.inner();
        hop(move || inner.denial_determinations(facility_key, excluding_case))
    }

    fn verify(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<VerifyReport> {
        let inner = self.inner();
        hop_with_progress(progress, move |progress| inner.verify(progress))
    }

    fn stats(&self) -> StoreResult<StoreStats> {
        let inner = self.inner();
        hop(move || inner.stats())
    }

    fn version(&self) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.version())
    }

    fn try_version(&self) -> Option<StoreResult<u64>> {
        let inner = self.inner();
        hop(move || inner.try_version())
    }
}

impl<B: Backend + 'static> Workspace for OffRuntime<B> {
    fn add_user(&self, user: &NewUser) -> StoreResult<User> {
        let inner = self.inner();
        hop(move || inner.add_user(user))
    }

    fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        let inner = self.inner();
        hop(move || inner.user(id))
    }

    fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let inner = self.inner();
        hop(move || inner.user_by_email(email))
    }

    fn create_session(&self, session: &Session) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.create_session(session))
    }

    fn session(&self, token_hash: &Hash) -> StoreResult<Option<Session>> {
        let inner = self.inner();
        hop(move || inner.session(token_hash))
    }

    fn delete_session(&self, token_hash: &Hash) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.delete_session(token_hash))
    }

    fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.delete_expired_sessions(now))
    }

    fn touch_session(&self, token_hash: &Hash, at: DateTime<Utc>) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.touch_session(token_hash, at))
    }

    fn delete_sessions_of(&self, user: UserId) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.delete_sessions_of(user))
    }

    fn create_pending_sign_in(&self, pending: &PendingSignIn) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.create_pending_sign_in(pending))
    }

    fn pending_sign_in(&self, token_hash: &Hash) -> StoreResult<Option<PendingSignIn>> {
        let inner = self.inner();
        hop(move || inner.pending_sign_in(token_hash))
    }

    fn delete_pending_sign_in(&self, token_hash: &Hash) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.delete_pending_sign_in(token_hash))
    }

    fn delete_expired_pending_sign_ins(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.delete_expired_pending_sign_ins(now))
    }

    fn record_login_failure(
        &self,
        key: &ThrottleKey,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<u32> {
        let inner = self.inner();
        hop(move || inner.record_login_failure(key, at, since))
    }

    fn clear_login_failures(&self, key: &ThrottleKey) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.clear_login_failures(key))
    }

    fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.delete_login_failures_before(before))
    }

    fn lockout(&self, key: &ThrottleKey) -> StoreResult<Option<Lockout>> {
        let inner = self.inner();
        hop(move || inner.lockout(key))
    }

    fn set_lockout(&self, lockout: &Lockout) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_lockout(lockout))
    }

    fn unlock(&self, key: &ThrottleKey) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.unlock(key))
    }

    fn totp(&self, user: UserId) -> StoreResult<Option<TotpCredential>> {
        let inner = self.inner();
        hop(move || inner.totp(user))
    }

    fn enroll_totp(&self, credential: &TotpCredential, recovery_codes: &[Hash]) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.enroll_totp(credential, recovery_codes))
    }

    fn use_totp_step(&self, user: UserId, step: u64) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.use_totp_step(user, step))
    }

    fn use_recovery_code(
        &self,
        user: UserId,
        code_hash: &Hash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.use_recovery_code(user, code_hash, at))
    }

    fn recovery_codes_left(&self, user: UserId) -> StoreResult<u32> {
        let inner = self.inner();
        hop(move || inner.recovery_codes_left(user))
    }

    fn remove_totp(&self, user: UserId) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.remove_totp(user))
    }

    fn add_token(&self, token: &NewToken) -> StoreResult<TokenRecord> {
        let inner = self.inner();
        hop(move || inner.add_token(token))
    }

    fn token(&self, token_hash: &Hash) -> StoreResult<Option<TokenRecord>> {
        let inner = self.inner();
        hop(move || inner.token(token_hash))
    }

    fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenRecord>> {
        let inner = self.inner();
        hop(move || inner.tokens_of(user))
    }

    fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.revoke_token(id, at))
    }

    fn revoke_tokens(
        &self,
        user: UserId,
        scope: TokenScope,
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.revoke_tokens(user, scope, at))
    }

    fn file_petition(
        &self,
        case: &NewCase,
        submission: &NewSubmission,
        evidence: &[NewFile],
        custody: &[NewAuditEntry],
    ) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.file_petition(case, submission, evidence, custody))
    }

    fn submission(&self, receipt: &str) -> StoreResult<Option<Submission>> {
        let inner = self.inner();
        hop(move || inner.submission(receipt))
    }

    fn submission_for_case(&self, case_id: &str) -> StoreResult<Option<Submission>> {
        let inner = self.inner();
        hop(move || inner.submission_for_case(case_id))
    }

    fn add_evidence(
        &self,
        owner: &EvidenceOwner,
        file: &NewFile,
        custody: &[NewAuditEntry],
    ) -> StoreResult<EvidenceFile> {
        let inner = self.inner();
        hop(move || inner.add_evidence(owner, file, custody))
    }

    fn evidence(&self, owner: &EvidenceOwner) -> StoreResult<Vec<EvidenceFile>> {
        let inner = self.inner();
        hop(move || inner.evidence(owner))
    }

    fn add_note(&self, note: &NewNote) -> StoreResult<Note> {
        let inner = self.inner();
        hop(move || inner.add_note(note))
    }

    fn notes(&self, case_id: &str) -> StoreResult<Vec<Note>> {
        let inner = self.inner();
        hop(move || inner.notes(case_id))
    }

    fn add_document(
        &self,
        document: &NewDocument,
        custody: &[NewAuditEntry],
    ) -> StoreResult<Document> {
        let inner = self.inner();
        hop(move || inner.add_document(document, custody))
    }

    fn documents(&self, case_id: &str) -> StoreResult<Vec<Document>> {
        let inner = self.inner();
        hop(move || inner.documents(case_id))
    }

    fn set_document_published(
        &self,
        case_id: &str,
        id: FileId,
        published: bool,
    ) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_document_published(case_id, id, published))
    }

    fn blob(&self, stored_sha256: &Hash) -> StoreResult<Option<Vec<u8>>> {
        let inner = self.inner();
        hop(move || inner.blob(stored_sha256))
    }

    fn verify_blobs(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<BlobReport> {
        let inner = self.inner();
        hop_with_progress(progress, move |progress| inner.verify_blobs(progress))
    }

    fn set_published(&self, case_id: &str, published: bool) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_published(case_id, published))
    }

    fn is_published(&self, case_id: &str) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.is_published(case_id))
    }

    fn unpublished(&self) -> StoreResult<Vec<String>> {
        let inner = self.inner();
        hop(move || inner.unpublished())
    }
}

impl<B: Backend + 'static> AccessControl for OffRuntime<B> {
    fn add_team(&self, name: &str, intake: bool, created: DateTime<Utc>) -> StoreResult<Team> {
        let inner = self.inner();
        hop(move || inner.add_team(name, intake, created))
    }

    fn teams(&self) -> StoreResult<Vec<Team>> {
        let inner = self.inner();
        hop(move || inner.teams())
    }

    fn team_by_name(&self, name: &str) -> StoreResult<Option<Team>> {
        let inner = self.inner();
        hop(move || inner.team_by_name(name))
    }

    fn set_team_member(&self, team: TeamId, user: UserId, member: bool) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_team_member(team, user, member))
    }

    fn team_members(&self, team: TeamId) -> StoreResult<Vec<UserId>> {
        let inner = self.inner();
        hop(move || inner.team_members(team))
    }

    fn teams_of(&self, user: UserId) -> StoreResult<Vec<Team>> {
        let inner = self.inner();
        hop(move || inner.teams_of(user))
    }

    fn assign_case(&self, case_id: &str, team: TeamId, assigned: bool) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.assign_case(case_id, team, assigned))
    }

    fn case_teams(&self, case_id: &str) -> StoreResult<Vec<Team>> {
        let inner = self.inner();
        hop(move || inner.case_teams(case_id))
    }

    fn set_grant(&self, case_id: &str, user: UserId, granted: bool) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_grant(case_id, user, granted))
    }

    fn case_grants(&self, case_id: &str) -> StoreResult<Vec<UserId>> {
        let inner = self.inner();
        hop(move || inner.case_grants(case_id))
    }

    fn reach(&self, user: UserId, case_id: &str) -> StoreResult<Reach> {
        let inner = self.inner();
        hop(move || inner.reach(user, case_id))
    }

    fn cases_of(&self, user: UserId) -> StoreResult<Vec<String>> {
        let inner = self.inner();
        hop(move || inner.cases_of(user))
    }

    fn users(&self) -> StoreResult<Vec<User>> {
        let inner = self.inner();
        hop(move || inner.users())
    }

    fn set_role(&self, user: UserId, role: Role) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_role(user, role))
    }

    fn set_disabled(&self, user: UserId, at: Option<DateTime<Utc>>) -> StoreResult<()> {
        let inner = self.inner();
        hop(move || inner.set_disabled(user, at))
    }
}

impl<B: Backend + 'static> KeyStore for OffRuntime<B> {
    fn case_key(&self, case_id: &str) -> StoreResult<Option<WrappedKey>> {
        let inner = self.inner();
        hop(move || inner.case_key(case_id))
    }

    fn case_key_version(&self, case_id: &str, version: u32) -> StoreResult<Option<WrappedKey>> {
        let inner = self.inner();
        hop(move || inner.case_key_version(case_id, version))
    }

    fn add_case_key(&self, key: &WrappedKey) -> StoreResult<WrappedKey> {
        let inner = self.inner();
        hop(move || inner.add_case_key(key))
    }

    fn case_keys(&self) -> StoreResult<Vec<WrappedKey>> {
        let inner = self.inner();
        hop(move || inner.case_keys())
    }

    fn rewrap_case_keys(&self, from_master: &str, keys: &[WrappedKey]) -> StoreResult<u64> {
        let inner = self.inner();
        hop(move || inner.rewrap_case_keys(from_master, keys))
    }
}

impl<B: Backend + 'static> AuditLog for OffRuntime<B> {
    fn append_audit(&self, entries: &[NewAuditEntry]) -> StoreResult<Vec<AuditEntry>> {
        let inner = self.inner();
        hop(move || inner.append_audit(entries))
    }

    fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let inner = self.inner();
        hop(move || inner.audit_entries(filter))
    }

    fn verify_audit(&self) -> StoreResult<AuditReport> {
        let inner = self.inner();
        hop(move || inner.verify_audit())
    }
}

impl<B: Backend + 'static> Reminders for OffRuntime<B> {
    fn claim_reminder(&self, reminder: &Reminder) -> StoreResult<bool> {
        let inner = self.inner();
        hop(move || inner.claim_reminder(reminder))
    }

    fn reminders(&self, limit: u64) -> StoreResult<Vec<Reminder>> {
        let inner = self.inner();
        hop(move || inner.reminders(limit))
    }
}
