//! The hash chain: what each event's SHA-256 covers.
//!
//! An event's hash covers its predecessor's hash, its case, position, kind, date and exact
//! stored payload bytes, each length-prefixed so no two different events hash alike. The
//! first event's predecessor is the hash of the case header, so the header is protected too.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// Domain separator for header hashes, so a header can never pass for an event.
pub const GENESIS_DOMAIN: &[u8] = b"rrm-case-header/1";

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

/// The hash the first event of a case chains from.
pub fn header_hash(case_id: &str, procedure: &str, document: &str) -> Hash {
    let mut h = Sha256::new();
    field(&mut h, GENESIS_DOMAIN);
    field(&mut h, case_id.as_bytes());
    field(&mut h, procedure.as_bytes());
    field(&mut h, document.as_bytes());
    h.finalize().into()
}

/// The hash of event `seq` (1-based) of a case.
pub fn event_hash(
    prev: &Hash,
    case_id: &str,
    seq: u64,
    kind: &str,
    date: Option<&str>,
    payload: &str,
) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    field(&mut h, case_id.as_bytes());
    h.update(seq.to_be_bytes());
    field(&mut h, kind.as_bytes());
    field(&mut h, date.unwrap_or("").as_bytes());
    h.update([u8::from(date.is_some())]);
    field(&mut h, payload.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covered_field_changes_the_hash() {
        let prev = header_hash("c", "usmca-31a", "{}");
        let base = event_hash(&prev, "c", 1, "review_accepted", Some("2024-01-02"), "{}");
        let variants = [
            event_hash(
                &[0; 32],
                "c",
                1,
                "review_accepted",
                Some("2024-01-02"),
                "{}",
            ),
            event_hash(&prev, "d", 1, "review_accepted", Some("2024-01-02"), "{}"),
            event_hash(&prev, "c", 2, "review_accepted", Some("2024-01-02"), "{}"),
            event_hash(&prev, "c", 1, "review_declined", Some("2024-01-02"), "{}"),
            event_hash(&prev, "c", 1, "review_accepted", Some("2024-01-03"), "{}"),
            event_hash(&prev, "c", 1, "review_accepted", None, "{}"),
            event_hash(&prev, "c", 1, "review_accepted", Some("2024-01-02"), "{ }"),
        ];
        for v in variants {
            assert_ne!(v, base);
        }
        assert_ne!(
            header_hash("c", "usmca-31a", "{}"),
            header_hash("c", "usmca-31b", "{}")
        );
        // Length prefixes keep field boundaries: moving a byte between fields changes the hash.
        assert_ne!(header_hash("ab", "c", ""), header_hash("a", "bc", ""));
    }
}
