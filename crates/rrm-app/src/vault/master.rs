//! The master key: 32 random bytes that wrap every case's data key. It lives in a key file or
//! an environment variable, never in the store; the store knows it only by its id, a
//! fingerprint that cannot be turned back into the key.
//!
//! Key file format: one line, `rrm-master-key/1 ` followed by the key in base64 (standard
//! alphabet, padded). `rrm keys init` writes one with mode 0600.

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::AppError;

const PREFIX: &str = "rrm-master-key/1 ";

/// A master key. `Debug` prints only its id.
pub struct MasterKey {
    key: Zeroizing<[u8; 32]>,
    id: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        let digest = Sha256::new()
            .chain_update(b"rrm-master-key-id/1")
            .chain_update(bytes)
            .finalize();
        let id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        MasterKey {
            key: Zeroizing::new(bytes),
            id,
        }
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<MasterKey, AppError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Store(format!("no randomness for a master key: {e}")))?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// Parses the key file format (or the bare base64 key, as the environment may give it).
    pub fn parse(text: &str) -> Result<MasterKey, AppError> {
        let text = text.trim();
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text).trim();
        let bad = |why: &str| {
            AppError::BadInput(format!(
                "master key: {why}; expected `{PREFIX}` and 32 bytes in base64, as `rrm keys init` writes"
            ))
        };
        let decoded = Zeroizing::new(STANDARD.decode(encoded).map_err(|_| bad("not base64"))?);
        let bytes: [u8; 32] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| bad(&format!("{} bytes, not 32", decoded.len())))?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// Reads a key file, refusing one that others may read (on Unix).
    pub fn read_file(path: &Path) -> Result<MasterKey, AppError> {
        let shown = path.display();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path)
                .map_err(|e| AppError::BadInput(format!("master key file {shown}: {e}")))?;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(AppError::BadInput(format!(
                    "master key file {shown}: readable by others (mode {:o}); chmod 600 it",
                    meta.permissions().mode() & 0o777
                )));
            }
        }
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| AppError::BadInput(format!("master key file {shown}: {e}")))?,
        );
        MasterKey::parse(&text)
            .map_err(|e| AppError::BadInput(format!("master key file {shown}: {e}")))
    }

    /// Writes a new key file with mode 0600; refuses to overwrite one.
    pub fn write_file(&self, path: &Path) -> Result<(), AppError> {
        use std::io::Write;
        let shown = path.display();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(path)
            .map_err(|e| AppError::BadInput(format!("master key file {shown}: {e}")))?;
        let text = Zeroizing::new(format!("{PREFIX}{}\n", STANDARD.encode(*self.key)));
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| AppError::Store(format!("writing master key file {shown}: {e}")))
    }

    /// The fingerprint the store records beside every key this one wraps.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn bytes(&self) -> &[u8; 32] {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_through_its_file_and_its_id_is_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let key = MasterKey::generate().unwrap();
        key.write_file(&path).unwrap();
        let read = MasterKey::read_file(&path).unwrap();
        assert_eq!(read.id(), key.id());
        assert_eq!(read.bytes(), key.bytes());
        assert!(key.write_file(&path).is_err(), "never overwrites a key");
        assert!(!format!("{key:?}").contains(&STANDARD.encode(*key.bytes())));
    }

    #[test]
    fn bad_keys_are_refused_naming_the_problem() {
        let short = MasterKey::parse("rrm-master-key/1 AAAA").unwrap_err();
        assert!(short.to_string().contains("3 bytes, not 32"), "{short}");
        let garbage = MasterKey::parse("not a key!").unwrap_err();
        assert!(garbage.to_string().contains("not base64"), "{garbage}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("open.key");
            MasterKey::generate().unwrap().write_file(&path).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let open = MasterKey::read_file(&path).unwrap_err();
            assert!(open.to_string().contains("chmod 600"), "{open}");
        }
    }
}
