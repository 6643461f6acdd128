//! Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1,
//! six digits, 30-second steps, the secret given as base32 in an `otpauth://` URI and a QR
//! code. A code is accepted for the current step or one step either side (clock skew of up
//! to 30 seconds each way, as RFC 6238 §5.2 recommends); the caller refuses a step already
//! used, so an overheard code cannot be replayed.
//!
//! Recovery codes are 80 random bits as 16 Crockford base32 symbols, `XXXX-XXXX-XXXX-XXXX`,
//! stored as their SHA-256 and shown once.

use chrono::{DateTime, Utc};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use rrm_store::{Confidential, Hash};
use totp_rs::{Algorithm, Secret, Totp};

use crate::secrets::{base32, normalize_code, random_bytes, token_hash};
use crate::AppError;

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: usize = 6;
/// Steps accepted either side of the current one.
pub const SKEW_STEPS: u16 = 1;
pub const RECOVERY_CODES: usize = 10;
/// The issuer authenticator apps show beside the account.
pub const ISSUER: &str = "rrm";

/// A new shared secret: 160 random bits, the length RFC 4226 recommends.
pub fn new_secret() -> Result<Confidential<Vec<u8>>, AppError> {
    Ok(Confidential::new(random_bytes(20)?))
}

fn totp(secret: &[u8]) -> Totp {
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS as u8)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .build_noncompliant()
}

fn unix_seconds(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// The time step a typed code matches at `now`, if any. Spaces and dashes in the code are
/// ignored (apps show `123 456`).
pub fn matching_step(secret: &[u8], typed: &str, now: DateTime<Utc>) -> Option<u64> {
    let code: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret).check(&code, unix_seconds(now))
}

/// The step `now` falls in.
pub fn step_at(now: DateTime<Utc>) -> u64 {
    unix_seconds(now) / STEP_SECONDS
}

/// The code for `now`, as an authenticator app would show it (tests and `rrm` itself use it
/// to check the app's arithmetic, never to sign anyone in).
pub fn code_at(secret: &[u8], now: DateTime<Utc>) -> String {
    totp(secret).generate(unix_seconds(now)).to_string()
}

/// What enrolling an authenticator shows: the secret in base32 (RFC 4648, as apps expect),
/// the `otpauth://` URI, and that URI as a QR code in inline SVG (no script, no image
/// request).
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub secret_base32: Confidential<String>,
    pub uri: Confidential<String>,
    pub qr_svg: Confidential<String>,
}

/// The enrollment of `secret` for the account `email`.
pub fn enrollment(secret: &[u8], email: &str) -> Result<Enrollment, AppError> {
    let encoded = Secret::from(secret).to_base32();
    let label = format!("{ISSUER}:{email}");
    let uri = format!(
        "otpauth://totp/{}?secret={encoded}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encoding::utf8_percent_encode(&label, URI_COMPONENT),
    );
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Store(format!("the QR code could not be made: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the XML declaration has no place there.
    let qr = match image.find("<svg") {
        Some(at) => image[at..].to_string(),
        None => image,
    };
    Ok(Enrollment {
        secret_base32: Confidential::new(group(&encoded)),
        uri: Confidential::new(uri),
        qr_svg: Confidential::new(qr),
    })
}

/// Percent-encodes everything but unreserved characters and `@` (RFC 3986).
const URI_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Base32 in groups of four, as people type it into an app.
fn group(encoded: &str) -> String {
    let chars: Vec<char> = encoded.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// New recovery codes: the codes to show once, and the hashes to keep.
pub fn new_recovery_codes() -> Result<(Vec<String>, Vec<Hash>), AppError> {
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    let mut kept = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = base32(&random_bytes(10)?);
        kept.push(token_hash(&code));
        let groups: Vec<&str> = (0..4).map(|i| &code[i * 4..i * 4 + 4]).collect();
        shown.push(groups.join("-"));
    }
    Ok((shown, kept))
}

/// The hash of a typed recovery code, if it can be one (typed loosely: case, dashes, spaces,
/// `O` for `0` and `I`/`L` for `1` are forgiven).
pub fn recovery_code_hash(typed: &str) -> Option<Hash> {
    normalize_code(typed)
        .filter(|c| c.len() == 16)
        .map(|c| token_hash(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, with the last six of its eight digits.
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let now = DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(code_at(secret, now), code, "t={t}");
            assert_eq!(matching_step(secret, code, now), Some(t as u64 / 30));
        }
    }

    #[test]
    fn a_code_is_good_one_step_either_side_and_no_further() {
        let secret = [7u8; 20];
        let now = at("2026-11-23T12:00:10Z");
        let code = code_at(&secret, now);
        for (offset, ok) in [
            (-31, true),
            (0, true),
            (25, true),
            (-65, false),
            (61, false),
        ] {
            let then = now + chrono::Duration::seconds(offset);
            assert_eq!(
                matching_step(&secret, &code, then).is_some(),
                ok,
                "{offset}s"
            );
        }
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(step_at(now)));
        for bad in ["", "12345", "1234567", "abcdef", "１２３４５６"] {
            assert_eq!(matching_step(&secret, bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn enrollment_shows_the_secret_the_uri_and_an_svg_qr_code() {
        let e = enrollment(&[0xAB; 20], "ana.o'neil@example.org").unwrap();
        let uri = e.uri.expose();
        assert!(
            uri.starts_with("otpauth://totp/rrm%3Aana.o%27neil@example.org?secret="),
            "{uri}"
        );
        let plain: String = e.secret_base32.expose().replace(' ', "");
        assert!(
            uri.contains(&format!("secret={plain}&issuer=rrm&")),
            "{uri}"
        );
        assert_eq!(plain.len(), 32);
        let svg = e.qr_svg.expose();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg:.80}"
        );
        assert!(!svg.contains("<script") && !svg.contains("style="));
    }

    #[test]
    fn recovery_codes_are_distinct_and_found_when_typed_loosely() {
        let (shown, kept) = new_recovery_codes().unwrap();
        assert_eq!((shown.len(), kept.len()), (10, 10));
        let unique: std::collections::HashSet<_> = kept.iter().collect();
        assert_eq!(unique.len(), 10);
        assert_eq!(shown[0].len(), 19);
        let loose = shown[0].to_lowercase().replace('-', " ");
        assert_eq!(recovery_code_hash(&loose), Some(kept[0]));
        assert_eq!(recovery_code_hash("123456"), None);
    }
}
