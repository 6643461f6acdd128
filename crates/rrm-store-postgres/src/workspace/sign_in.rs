//! Sign-in security on PostgreSQL (SQLite's `sign_in.rs`, `throttle.rs` and `totp.rs`):
//! session idle times and a user's sessions, pending sign-ins waiting for their second
//! factor, failed sign-ins per throttle key and lockouts, TOTP credentials and recovery codes.
//! Counting a failure and accepting a TOTP step are each one atomic statement, so servers
//! sharing the database lose no failure and accept no code twice (Architecture Invariant 7).
//!
//! Placeholders until ported: each returns an error naming the method.

use chrono::{DateTime, Utc};
use postgres::Client;

use rrm_store::{Hash, Lockout, PendingSignIn, StoreResult, ThrottleKey, TotpCredential, UserId};

use crate::error::not_implemented;

pub(super) fn touch_session(
    _client: &mut Client,
    _hash: &Hash,
    _at: DateTime<Utc>,
) -> StoreResult<()> {
    Err(not_implemented("touch_session"))
}

pub(super) fn delete_sessions_of(_client: &mut Client, _user: UserId) -> StoreResult<u64> {
    Err(not_implemented("delete_sessions_of"))
}

pub(super) fn create_pending(_client: &mut Client, _pending: &PendingSignIn) -> StoreResult<()> {
    Err(not_implemented("create_pending"))
}

pub(super) fn pending(_client: &mut Client, _hash: &Hash) -> StoreResult<Option<PendingSignIn>> {
    Err(not_implemented("pending"))
}

pub(super) fn delete_pending(_client: &mut Client, _hash: &Hash) -> StoreResult<()> {
    Err(not_implemented("delete_pending"))
}

pub(super) fn delete_expired_pending(
    _client: &mut Client,
    _now: DateTime<Utc>,
) -> StoreResult<u64> {
    Err(not_implemented("delete_expired_pending"))
}

pub(super) fn record_failure(
    _client: &mut Client,
    _key: &ThrottleKey,
    _at: DateTime<Utc>,
    _since: DateTime<Utc>,
) -> StoreResult<u32> {
    Err(not_implemented("record_failure"))
}

pub(super) fn clear_failures(_client: &mut Client, _key: &ThrottleKey) -> StoreResult<()> {
    Err(not_implemented("clear_failures"))
}

pub(super) fn delete_failures_before(
    _client: &mut Client,
    _before: DateTime<Utc>,
) -> StoreResult<u64> {
    Err(not_implemented("delete_failures_before"))
}

pub(super) fn lockout(_client: &mut Client, _key: &ThrottleKey) -> StoreResult<Option<Lockout>> {
    Err(not_implemented("lockout"))
}

pub(super) fn set_lockout(_client: &mut Client, _lockout: &Lockout) -> StoreResult<()> {
    Err(not_implemented("set_lockout"))
}

pub(super) fn unlock(_client: &mut Client, _key: &ThrottleKey) -> StoreResult<bool> {
    Err(not_implemented("unlock"))
}

pub(super) fn totp(_client: &mut Client, _user: UserId) -> StoreResult<Option<TotpCredential>> {
    Err(not_implemented("totp"))
}

pub(super) fn enroll_totp(
    _client: &mut Client,
    _credential: &TotpCredential,
    _codes: &[Hash],
) -> StoreResult<()> {
    Err(not_implemented("enroll_totp"))
}

pub(super) fn use_totp_step(_client: &mut Client, _user: UserId, _step: u64) -> StoreResult<bool> {
    Err(not_implemented("use_totp_step"))
}

pub(super) fn use_recovery_code(
    _client: &mut Client,
    _user: UserId,
    _code_hash: &Hash,
    _at: DateTime<Utc>,
) -> StoreResult<bool> {
    Err(not_implemented("use_recovery_code"))
}

pub(super) fn recovery_codes_left(_client: &mut Client, _user: UserId) -> StoreResult<u32> {
    Err(not_implemented("recovery_codes_left"))
}

pub(super) fn remove_totp(_client: &mut Client, _user: UserId) -> StoreResult<bool> {
    Err(not_implemented("remove_totp"))
}
