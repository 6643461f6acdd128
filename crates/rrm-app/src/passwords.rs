//! Argon2id hashing of staff passwords and petition secrets, and the rules a new staff
//! password must meet, after NIST SP 800-63B rev. 4 (§3.1.1.2):
//!
//! - At least 15 characters: the length rev. 4 asks of a password that may be used as a single
//!   factor, which a staff password is until its owner enrolls an authenticator; at most 128,
//!   so any passphrase fits. Characters are Unicode code points after NFKC normalization, and
//!   every character is allowed, spaces included.
//! - No composition rules (no "one digit, one symbol"): they make passwords no stronger and
//!   harder to remember.
//! - Not a common or breached password (`data/breached-passwords.txt.gz`, ~30,000 entries:
//!   zxcvbn's list of the most frequent passwords in Mark Burnett's public-domain corpus of
//!   breached passwords, from the `zxcvbn` crate, MIT licence, plus Openwall's list, public
//!   domain; built by `scripts/breached-passwords.py`), compared without regard to case; nor
//!   one of them with only digits or symbols around it, nor one of them repeated.
//! - Not a context-specific word: the account's email, its local part, its display name, or
//!   the service's name, in the same forms.
//! - Not fewer than five different characters (`aaaaaaaaaaaaaaab`).
//!
//! Passwords are NFKC-normalized before they are hashed or checked, so the same passphrase
//! typed on two keyboards that compose accents differently is the same password.

use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use unicode_normalization::UnicodeNormalization;

use crate::AppError;

pub const MIN_LENGTH: usize = 15;
pub const MAX_LENGTH: usize = 128;

/// Words of the service itself, refused like the account's own name.
const SERVICE_WORDS: [&str; 4] = ["rrm", "usmca", "rapid response", "rapidresponse"];

/// The list, NFKC and lower-cased, decompressed once on first use (about 1 ms).
static BREACHED: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let gz: &[u8] = include_bytes!("../data/breached-passwords.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .expect("the embedded password list is valid gzip and UTF-8");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
});

/// How many passwords the list holds.
pub fn breached_count() -> usize {
    BREACHED.len()
}

/// A password rule, named so a refusal says which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    Common,
    Context,
    Repetitive,
}

impl PasswordRule {
    pub fn id(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "password.min_length",
            PasswordRule::MaxLength => "password.max_length",
            PasswordRule::Common => "password.common",
            PasswordRule::Context => "password.context",
            PasswordRule::Repetitive => "password.repetitive",
        }
    }

    pub fn explain(self) -> String {
        match self {
            PasswordRule::MinLength => format!("must be at least {MIN_LENGTH} characters"),
            PasswordRule::MaxLength => format!("must be at most {MAX_LENGTH} characters"),
            PasswordRule::Common => "is a common or breached password, or one with only digits \
                                     or symbols around it, or one repeated"
                .into(),
            PasswordRule::Context => "is the account's email or name, or the service's name, \
                                      perhaps with digits or symbols around it"
                .into(),
            PasswordRule::Repetitive => "has fewer than five different characters".into(),
        }
    }
}

/// The form a password is hashed and checked in: NFKC.
pub fn normalize(password: &str) -> String {
    password.nfkc().collect()
}

/// The first rule `password` breaks, if any. `context` holds words of the account (its email,
/// display name) that the password must not be.
pub fn broken_rule(password: &str, context: &[&str]) -> Option<PasswordRule> {
    let password = normalize(password);
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Some(PasswordRule::MinLength);
    }
    if n > MAX_LENGTH {
        return Some(PasswordRule::MaxLength);
    }
    let lower = password.to_lowercase();
    if cores(&lower).any(|c| BREACHED.contains(c) || repeats_one_of(c, |s| BREACHED.contains(s))) {
        return Some(PasswordRule::Common);
    }
    let words = context_words(context);
    if cores(&lower).any(|c| words.contains(c) || repeats_one_of(c, |s| words.contains(s))) {
        return Some(PasswordRule::Context);
    }
    let distinct: HashSet<char> = lower.chars().collect();
    (distinct.len() < 5).then_some(PasswordRule::Repetitive)
}

/// What a password is, with any run of digits or symbols before its first letter or after
/// its last cut off (every way of cutting them). A password without letters stands for each
/// of its prefixes of six characters or more (`123456` followed by more digits).
fn cores(lower: &str) -> impl Iterator<Item = &str> {
    let letters: Vec<usize> = lower
        .char_indices()
        .filter(|(_, c)| c.is_alphabetic())
        .map(|(i, _)| i)
        .collect();
    let (first, last_end) = match (letters.first(), letters.last()) {
        (Some(&f), Some(&l)) => (f, l + lower[l..].chars().next().map_or(0, char::len_utf8)),
        _ => (
            0,
            lower.char_indices().nth(6).map_or(lower.len(), |(i, _)| i),
        ),
    };
    let boundaries = |range: std::ops::RangeInclusive<usize>| {
        range
            .filter(|&i| lower.is_char_boundary(i))
            .collect::<Vec<_>>()
    };
    let starts = boundaries(0..=first);
    let ends = boundaries(last_end..=lower.len());
    starts
        .into_iter()
        .flat_map(move |s| ends.clone().into_iter().map(move |e| &lower[s..e]))
}

/// Whether `s` is one listed string written two or more times.
fn repeats_one_of(s: &str, listed: impl Fn(&str) -> bool) -> bool {
    (1..=s.len() / 2)
        .filter(|p| s.len().is_multiple_of(*p) && s.is_char_boundary(*p))
        .any(|p| listed(&s[..p]) && s == s[..p].repeat(s.len() / p))
}

/// The context words in the forms they are compared in: each word, an email's local part, and
/// a name's words run together; only words of four characters or more.
fn context_words(context: &[&str]) -> HashSet<String> {
    let mut words = HashSet::new();
    for word in context.iter().chain(&SERVICE_WORDS) {
        let w = normalize(word).to_lowercase();
        if let Some((local, _)) = w.split_once('@') {
            words.insert(local.to_string());
        }
        words.insert(w.split_whitespace().collect::<String>());
        words.insert(w);
    }
    words.retain(|w| w.chars().count() >= 3);
    words
}

/// Refuses a password that breaks a rule, naming the rule.
pub fn check_password(password: &str, context: &[&str]) -> Result<(), AppError> {
    match broken_rule(password, context) {
        None => Ok(()),
        Some(rule) => Err(AppError::BadInput(format!(
            "password: {} (rule `{}`)",
            rule.explain(),
            rule.id()
        ))),
    }
}

/// The Argon2id PHC string of a password or secret (NFKC-normalized), with a fresh random
/// salt and the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommendation).
pub fn hash(secret: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(normalize(secret).as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Store(format!("hashing a password failed: {e}")))
}

/// Whether `secret` matches a PHC string. The comparison inside is constant-time.
pub fn verify(secret: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(normalize(secret).as_bytes(), phc)
        .is_ok()
}

/// Spends the time of one verification for nothing, so an unknown account or receipt takes as
/// long to refuse as a wrong password does.
pub fn verify_nothing(secret: &str) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash("rrm-no-such-account").unwrap_or_default());
    let _ = verify(secret, &DUMMY);
}

#[cfg(test)]
mod tests;
