//! [`rrm_store::KeyStore`] on PostgreSQL (SQLite's `workspace/keys.rs`): per-case data keys,
//! only ever wrapped; adding an existing (case, version) returns the stored key, and a
//! rotation re-wraps every key in one transaction or none.
//!
//! Placeholders until ported: each returns an error naming the method.

use postgres::Client;

use rrm_store::{StoreResult, WrappedKey};

use crate::error::not_implemented;

pub(super) fn case_key(
    _client: &mut Client,
    _case_id: &str,
    _version: Option<u32>,
) -> StoreResult<Option<WrappedKey>> {
    Err(not_implemented("case_key"))
}

pub(super) fn add_case_key(_client: &mut Client, _key: &WrappedKey) -> StoreResult<WrappedKey> {
    Err(not_implemented("add_case_key"))
}

pub(super) fn case_keys(_client: &mut Client) -> StoreResult<Vec<WrappedKey>> {
    Err(not_implemented("case_keys"))
}

pub(super) fn rewrap(
    _client: &mut Client,
    _from_master: &str,
    _keys: &[WrappedKey],
) -> StoreResult<u64> {
    Err(not_implemented("rewrap"))
}
