//! The fourth storage seam: [`KeyStore`], the per-case data keys of encryption at rest, each
//! kept only *wrapped* (encrypted) by a master key that never reaches the store. The store
//! sees sealed values as opaque bytes ([`Sealed`]); sealing and opening is the application's
//! (`rrm_app::vault`).
//!
//! Invariants every backend keeps (checked by [`crate::conformance_keys`]):
//! - One row per (case, version); adding a key that exists returns the stored one, so two
//!   writers creating a case's first key at once agree on it.
//! - A rotation re-wraps every key in one transaction, and only if every key is still wrapped
//!   by the master key the rotation started from: a half-rotated store cannot exist.

use chrono::{DateTime, Utc};

use crate::StoreResult;

/// Bytes sealed by the application with a case's data key. `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sealed(pub Vec<u8>);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

/// A case's data key, wrapped by a master key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// The case whose data the key seals. Keys may exist before their case (a petition's key
    /// is made before the case is written), so this is not a reference.
    pub case_id: String,
    /// 1 for a case's first key.
    pub version: u32,
    /// The id of the master key that wrapped it (a fingerprint, never the key).
    pub master_id: String,
    pub wrapped: Vec<u8>,
    pub created: DateTime<Utc>,
}

pub trait KeyStore: Send + Sync {
    /// A case's newest data key, if it has one.
    fn case_key(&self, case_id: &str) -> StoreResult<Option<WrappedKey>>;

    /// A case's data key of one version.
    fn case_key_version(&self, case_id: &str, version: u32) -> StoreResult<Option<WrappedKey>>;

    /// Stores a key unless that (case, version) exists; returns the stored key either way.
    fn add_case_key(&self, key: &WrappedKey) -> StoreResult<WrappedKey>;

    /// Every key, by case and version.
    fn case_keys(&self) -> StoreResult<Vec<WrappedKey>>;

    /// Replaces the wrapping of every key at once (a master key rotation). `Conflict`, and
    /// nothing changed, if any stored key is not wrapped by `from_master`, or if `keys` does
    /// not name exactly the stored (case, version) pairs.
    fn rewrap_case_keys(&self, from_master: &str, keys: &[WrappedKey]) -> StoreResult<u64>;
}
