//! Encryption at rest: envelope encryption with XChaCha20-Poly1305.
//!
//! Every case has its own random 256-bit data key, stored only wrapped (encrypted) by the
//! master key ([`MasterKey`]), which never reaches the store. Confidential and restricted
//! values of a case (the petition's content, evidence and its file names, notes, the names and
//! bytes of documents that are not public, confidential petitioners' names) are sealed with
//! the case's data key before the store sees them.
//!
//! Each sealed value is bound to its case and its purpose as associated data, so a value
//! copied into another case or another column fails to open rather than being read as
//! something it is not. Formats:
//! - sealed value: `RRS1`, the data key's version (u32, big-endian), a 24-byte random nonce,
//!   then ciphertext and tag; associated data `rrm-seal/1`, the case id, the purpose.
//! - wrapped data key: a 24-byte random nonce, then ciphertext and tag; associated data
//!   `rrm-data-key/1`, the case id, the version.
//!
//! Rotating the master key re-wraps the data keys ([`rotate`]); the sealed data itself is
//! untouched, so a rotation takes a moment whatever the size of the store.

mod master;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rrm_store::{KeyStore, Sealed, WrappedKey};
use zeroize::Zeroizing;

use crate::AppError;

pub use master::MasterKey;

const MAGIC: &[u8; 4] = b"RRS1";
const NONCE: usize = 24;

/// What a sealed value is, bound into its associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Submission,
    EvidenceName,
    EvidenceBytes,
    Note,
    DocumentName,
    DocumentBytes,
    Petitioner,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Submission => "submission",
            Purpose::EvidenceName => "evidence-name",
            Purpose::EvidenceBytes => "evidence",
            Purpose::Note => "note",
            Purpose::DocumentName => "document-name",
            Purpose::DocumentBytes => "document",
            Purpose::Petitioner => "petitioner",
        }
    }
}

type DataKey = Zeroizing<[u8; 32]>;

/// The master key and the store of wrapped data keys, with unwrapped keys cached.
pub struct Vault {
    master: MasterKey,
    keys: Arc<dyn KeyStore>,
    cache: Mutex<HashMap<(String, u32), DataKey>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({:?})", self.master)
    }
}

fn random<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Store(format!("no randomness for encryption: {e}")))?;
    Ok(bytes)
}

fn aad(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

fn seal_with(
    key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, [u8; NONCE]), AppError> {
    let nonce = random::<NONCE>()?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| AppError::Store("encryption failed".into()))?;
    Ok((ciphertext, nonce))
}

fn open_with(key: &[u8; 32], aad: &[u8], nonce: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
}

fn wrap(
    master: &MasterKey,
    case_id: &str,
    version: u32,
    key: &[u8; 32],
) -> Result<Vec<u8>, AppError> {
    let aad = aad(&[
        b"rrm-data-key/1",
        case_id.as_bytes(),
        &version.to_be_bytes(),
    ]);
    let (ciphertext, nonce) = seal_with(master.bytes(), &aad, key)?;
    Ok([nonce.as_slice(), &ciphertext].concat())
}

fn unwrap(master: &MasterKey, k: &WrappedKey) -> Result<DataKey, AppError> {
    let refused = || {
        AppError::Integrity(format!(
            "data key {} of case `{}` does not open with master key {} (it is wrapped by {})",
            k.version,
            k.case_id,
            master.id(),
            k.master_id
        ))
    };
    if k.wrapped.len() < NONCE {
        return Err(refused());
    }
    let aad = aad(&[
        b"rrm-data-key/1",
        k.case_id.as_bytes(),
        &k.version.to_be_bytes(),
    ]);
    let (nonce, ciphertext) = k.wrapped.split_at(NONCE);
    let plain =
        Zeroizing::new(open_with(master.bytes(), &aad, nonce, ciphertext).ok_or_else(refused)?);
    let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| refused())?;
    Ok(Zeroizing::new(key))
}

impl Vault {
    pub fn new(master: MasterKey, keys: Arc<dyn KeyStore>) -> Vault {
        Vault {
            master,
            keys,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn master_id(&self) -> &str {
        self.master.id()
    }

    /// The master key itself, for a rotation.
    pub fn master(&self) -> &MasterKey {
        &self.master
    }

    fn cached(&self, case_id: &str, version: u32) -> Option<DataKey> {
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(&(case_id.to_string(), version)).cloned()
    }

    fn remember(&self, k: &WrappedKey) -> Result<DataKey, AppError> {
        let key = unwrap(&self.master, k)?;
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.insert((k.case_id.clone(), k.version), key.clone());
        Ok(key)
    }

    /// The case's newest data key, made (and stored wrapped) if it has none yet.
    fn current_key(&self, case_id: &str, now: DateTime<Utc>) -> Result<(u32, DataKey), AppError> {
        if let Some(k) = self.keys.case_key(case_id)? {
            if let Some(key) = self.cached(case_id, k.version) {
                return Ok((k.version, key));
            }
            return Ok((k.version, self.remember(&k)?));
        }
        let fresh = Zeroizing::new(random::<32>()?);
        let proposed = WrappedKey {
            case_id: case_id.to_string(),
            version: 1,
            master_id: self.master.id().to_string(),
            wrapped: wrap(&self.master, case_id, 1, &fresh)?,
            created: now,
        };
        // Another writer may have made the first key at the same moment: use whichever won.
        let stored = self.keys.add_case_key(&proposed)?;
        Ok((stored.version, self.remember(&stored)?))
    }

    fn key_version(&self, case_id: &str, version: u32) -> Result<DataKey, AppError> {
        if let Some(key) = self.cached(case_id, version) {
            return Ok(key);
        }
        let k = self
            .keys
            .case_key_version(case_id, version)?
            .ok_or_else(|| {
                AppError::Integrity(format!("case `{case_id}` has no data key {version}"))
            })?;
        self.remember(&k)
    }

    /// Seals `plaintext` for `case_id` with the case's data key.
    pub fn seal(
        &self,
        case_id: &str,
        purpose: Purpose,
        plaintext: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Sealed, AppError> {
        let (version, key) = self.current_key(case_id, now)?;
        let aad = aad(&[
            b"rrm-seal/1",
            case_id.as_bytes(),
            purpose.as_str().as_bytes(),
        ]);
        let (ciphertext, nonce) = seal_with(&key, &aad, plaintext)?;
        let mut out = Vec::with_capacity(4 + 4 + NONCE + ciphertext.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(Sealed(out))
    }

    /// Opens a value sealed for `case_id` and `purpose`; an integrity error if it was altered,
    /// moved from another case or column, or is not sealed at all.
    pub fn open(
        &self,
        case_id: &str,
        purpose: Purpose,
        sealed: &Sealed,
    ) -> Result<Vec<u8>, AppError> {
        let refused = |why: &str| {
            AppError::Integrity(format!(
                "case `{case_id}`: a sealed {} {why}",
                purpose.as_str()
            ))
        };
        let bytes = &sealed.0;
        if bytes.len() < 8 + NONCE || &bytes[..4] != MAGIC {
            return Err(refused("is not in the sealed format"));
        }
        let version = u32::from_be_bytes(bytes[4..8].try_into().expect("four bytes"));
        let key = self.key_version(case_id, version)?;
        let aad = aad(&[
            b"rrm-seal/1",
            case_id.as_bytes(),
            purpose.as_str().as_bytes(),
        ]);
        let (nonce, ciphertext) = bytes[8..].split_at(NONCE);
        open_with(&key, &aad, nonce, ciphertext).ok_or_else(|| {
            refused("does not open: it was altered, or belongs to another case or field")
        })
    }

    pub fn seal_text(
        &self,
        case_id: &str,
        purpose: Purpose,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Sealed, AppError> {
        self.seal(case_id, purpose, text.as_bytes(), now)
    }

    pub fn open_text(
        &self,
        case_id: &str,
        purpose: Purpose,
        sealed: &Sealed,
    ) -> Result<String, AppError> {
        String::from_utf8(self.open(case_id, purpose, sealed)?).map_err(|_| {
            AppError::Integrity(format!(
                "case `{case_id}`: a sealed {} is not text",
                purpose.as_str()
            ))
        })
    }
}

/// Refuses a master key that is not the one wrapping the stored data keys: with it, nothing
/// confidential would open, and new data would be sealed under a second key.
pub fn check_master_key(keys: &dyn KeyStore, master: &MasterKey) -> Result<(), AppError> {
    match keys
        .case_keys()?
        .into_iter()
        .find(|k| k.master_id != master.id())
    {
        None => Ok(()),
        Some(k) => Err(AppError::BadInput(format!(
            "master key: this is key {}, but the data keys of this store are wrapped by key {} \
             (was the key rotated? use the new key file)",
            master.id(),
            k.master_id
        ))),
    }
}

/// Re-wraps every data key from `old` to `new` in one store transaction; returns how many.
/// Fails, changing nothing, if a key does not open with `old`.
pub fn rotate(keys: &dyn KeyStore, old: &MasterKey, new: &MasterKey) -> Result<u64, AppError> {
    if old.id() == new.id() {
        return Err(AppError::BadInput(
            "keys rotate: the new master key is the current one".into(),
        ));
    }
    let mut rewrapped = Vec::new();
    for k in keys.case_keys()? {
        let key = unwrap(old, &k)?;
        rewrapped.push(WrappedKey {
            wrapped: wrap(new, &k.case_id, k.version, &key)?,
            master_id: new.id().to_string(),
            ..k
        });
    }
    Ok(keys.rewrap_case_keys(old.id(), &rewrapped)?)
}

#[cfg(test)]
mod tests;
