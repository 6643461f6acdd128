//! Sealing round trips, binding to case and purpose, tamper detection, and rotation, on a
//! real SQLite key store.

use std::sync::Arc;

use base64::Engine;
use rrm_store::{KeyStore, Sealed};
use rrm_store_sqlite::SqliteStore;

use super::*;

fn now() -> DateTime<Utc> {
    "2026-11-24T09:00:00Z".parse().unwrap()
}

fn vault() -> (Vault, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    (
        Vault::new(MasterKey::generate().unwrap(), store.clone()),
        store,
    )
}

#[test]
fn a_sealed_value_opens_only_for_its_case_and_purpose() {
    let (vault, store) = vault();
    let sealed = vault
        .seal_text("a-2026", Purpose::Note, "CANARY-nota-7f3", now())
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed.0).contains("CANARY"));
    assert_eq!(
        vault.open_text("a-2026", Purpose::Note, &sealed).unwrap(),
        "CANARY-nota-7f3"
    );
    assert!(
        vault.open("b-2026", Purpose::Note, &sealed).is_err(),
        "another case"
    );
    assert!(
        vault.open("a-2026", Purpose::Submission, &sealed).is_err(),
        "another field"
    );
    let again = vault
        .seal_text("a-2026", Purpose::Note, "CANARY-nota-7f3", now())
        .unwrap();
    assert_ne!(again, sealed, "random nonces: equal texts seal differently");
    assert_eq!(store.case_keys().unwrap().len(), 1, "one data key per case");
    let mut flipped = sealed.clone();
    let last = flipped.0.len() - 1;
    flipped.0[last] ^= 1;
    let err = vault.open("a-2026", Purpose::Note, &flipped).unwrap_err();
    assert!(err.to_string().contains("altered"), "{err}");
    let plain = vault.open("a-2026", Purpose::Note, &Sealed(b"legacy text".to_vec()));
    assert!(plain
        .unwrap_err()
        .to_string()
        .contains("not in the sealed format"));
}

#[test]
fn another_master_key_opens_nothing_and_rotation_moves_every_key() {
    let (vault, store) = vault();
    let a = vault
        .seal_text("a-2026", Purpose::Submission, "uno", now())
        .unwrap();
    let b = vault
        .seal_text("b-2026", Purpose::Submission, "dos", now())
        .unwrap();
    let stranger = Vault::new(MasterKey::generate().unwrap(), store.clone());
    let err = stranger
        .open("a-2026", Purpose::Submission, &a)
        .unwrap_err();
    assert!(
        err.to_string().contains("does not open with master key"),
        "{err}"
    );

    let old = MasterKey::parse(&format!(
        "rrm-master-key/1 {}",
        base64::engine::general_purpose::STANDARD.encode(vault.master.bytes())
    ))
    .unwrap();
    let new = MasterKey::generate().unwrap();
    let wrong = rotate(store.as_ref(), &MasterKey::generate().unwrap(), &new);
    assert!(
        wrong.is_err(),
        "a rotation from a key that opens nothing changes nothing"
    );
    assert!(store
        .case_keys()
        .unwrap()
        .iter()
        .all(|k| k.master_id == old.id()));
    assert_eq!(rotate(store.as_ref(), &old, &new).unwrap(), 2);
    let rotated = Vault::new(MasterKey::from_bytes(*new.bytes()), store.clone());
    assert_eq!(
        rotated
            .open_text("a-2026", Purpose::Submission, &a)
            .unwrap(),
        "uno"
    );
    assert_eq!(
        rotated
            .open_text("b-2026", Purpose::Submission, &b)
            .unwrap(),
        "dos"
    );
    let before = Vault::new(old, store.clone());
    assert!(
        before.open("a-2026", Purpose::Submission, &a).is_err(),
        "the old key is retired"
    );
    assert!(rotate(store.as_ref(), &new, &MasterKey::from_bytes(*new.bytes())).is_err());
}
