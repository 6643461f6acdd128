//! Random values and their text forms: receipt codes, petition secrets, session, CSRF, API and
//! calendar tokens. Every one comes from the operating system's CSPRNG (`getrandom`).
//!
//! Codes people type are Crockford base32 (no I, L, O or U; case-insensitive; `I`/`L` read as
//! `1` and `O` as `0`), so a receipt read aloud or copied by hand still works.

use rrm_store::{sha256, Confidential, Hash};

use crate::AppError;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `n` bytes from the operating system's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, AppError> {
    let mut buf = vec![0; n];
    getrandom::fill(&mut buf).map_err(|e| {
        AppError::Store(format!("the system's random number generator failed: {e}"))
    })?;
    Ok(buf)
}

/// Crockford base32 of `bytes`, without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(CROCKFORD[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(CROCKFORD[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// A typed code in canonical form: upper case, separators dropped, look-alikes mapped; `None`
/// if a character is not Crockford base32.
pub fn normalize_code(typed: &str) -> Option<String> {
    typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => Some('0'),
            'I' | 'L' => Some('1'),
            c if CROCKFORD.contains(&(c as u8)) && c.is_ascii() => Some(c),
            _ => None,
        })
        .collect()
}

/// A new receipt code, `RRM-7K3M-Q9XD`: 40 random bits.
pub fn new_receipt() -> Result<String, AppError> {
    let code = base32(&random_bytes(5)?);
    Ok(format!("RRM-{}-{}", &code[..4], &code[4..8]))
}

/// A receipt code as typed, in canonical form; `None` if it cannot be one.
pub fn normalize_receipt(typed: &str) -> Option<String> {
    let trimmed = typed.trim();
    let rest = trimmed
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case("RRM"))
        .map_or(trimmed, |_| &trimmed[3..]);
    let code = normalize_code(rest)?;
    (code.len() == 8).then(|| format!("RRM-{}-{}", &code[..4], &code[4..]))
}

/// A new petition secret: 160 random bits as 32 base32 symbols in groups of four, shown once.
pub fn new_secret() -> Result<Confidential<String>, AppError> {
    let code = base32(&random_bytes(20)?);
    let groups: Vec<&str> = (0..8).map(|i| &code[i * 4..i * 4 + 4]).collect();
    Ok(Confidential::new(groups.join("-")))
}

/// A token for a cookie, a form or an `Authorization` header: 256 random bits, prefixed so a
/// leaked one is recognizable (`rrm_api_...`).
pub fn new_token(prefix: &str) -> Result<Confidential<String>, AppError> {
    let code = base32(&random_bytes(32)?).to_ascii_lowercase();
    Ok(Confidential::new(format!("{prefix}{code}")))
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> Hash {
    sha256(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_follows_crockford() {
        assert_eq!(base32(&[]), "");
        assert_eq!(base32(&[0]), "00");
        assert_eq!(base32(&[0xff; 5]), "ZZZZZZZZ");
        assert_eq!(base32(b"f"), "CR");
        assert_eq!(base32(b"foobar"), "CSQPYRK1E8");
    }

    #[test]
    fn receipts_have_the_documented_shape_and_normalize() {
        for _ in 0..50 {
            let r = new_receipt().unwrap();
            assert_eq!(r.len(), 13, "{r}");
            assert!(r.starts_with("RRM-") && r.as_bytes()[8] == b'-', "{r}");
            assert_eq!(
                normalize_receipt(&r.to_lowercase()).as_deref(),
                Some(r.as_str())
            );
        }
        assert_eq!(
            normalize_receipt(" rrm 7k3m q9xd ").as_deref(),
            Some("RRM-7K3M-Q9XD")
        );
        assert_eq!(
            normalize_receipt("7K3M-Q9XD").as_deref(),
            Some("RRM-7K3M-Q9XD")
        );
        assert_eq!(
            normalize_receipt("RRM-OIL0-0000").as_deref(),
            Some("RRM-0110-0000")
        );
        assert_eq!(
            normalize_receipt("RRM-7K3M-Q9XU"),
            None,
            "U is not a symbol"
        );
        assert_eq!(normalize_receipt("RRM-7K3M"), None);
        assert_eq!(
            normalize_receipt("RRM-7K3M-Q9XD-"),
            Some("RRM-7K3M-Q9XD".into())
        );
    }

    #[test]
    fn secrets_and_tokens_are_long_and_distinct() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 32 + 7);
        assert_eq!(normalize_code(a.expose()).unwrap().len(), 32);
        let t = new_token("rrm_api_").unwrap();
        assert!(t.expose().starts_with("rrm_api_") && t.expose().len() == 8 + 52);
    }
}
