//! Argon2id hashing of staff passwords and petition secrets, and the rules a new staff
//! password must meet.
//!
//! Rules (issue 4 adds the full breached-password check): at least 12 and at most 128
//! characters; not one of the 1,000 most common passwords (`data/common-passwords.txt`), nor
//! one of them with only digits or symbols added, nor one of them repeated; and not fewer than
//! five different characters.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

use crate::AppError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// The list, lower-cased: passwords are compared without regard to case.
static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_lowercase)
        .collect()
});

/// A password rule, named so a refusal says which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    Common,
    Repetitive,
}

impl PasswordRule {
    pub fn id(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "password.min_length",
            PasswordRule::MaxLength => "password.max_length",
            PasswordRule::Common => "password.common",
            PasswordRule::Repetitive => "password.repetitive",
        }
    }

    pub fn explain(self) -> String {
        match self {
            PasswordRule::MinLength => format!("must be at least {MIN_LENGTH} characters"),
            PasswordRule::MaxLength => format!("must be at most {MAX_LENGTH} characters"),
            PasswordRule::Common => "is a common password, or one with only digits or symbols \
                                     added, or one repeated"
                .into(),
            PasswordRule::Repetitive => "has fewer than five different characters".into(),
        }
    }
}

/// The first rule `password` breaks, if any.
pub fn broken_rule(password: &str) -> Option<PasswordRule> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Some(PasswordRule::MinLength);
    }
    if n > MAX_LENGTH {
        return Some(PasswordRule::MaxLength);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Some(PasswordRule::Common);
    }
    let distinct: HashSet<char> = lower.chars().collect();
    (distinct.len() < 5).then_some(PasswordRule::Repetitive)
}

/// A common password, one followed only by non-letters, or one repeated.
fn is_common(lower: &str) -> bool {
    let stems = lower
        .char_indices()
        .map(|(i, _)| i)
        .chain([lower.len()])
        .filter(|&i| i > 0 && !lower[i..].chars().any(char::is_alphabetic));
    for end in stems {
        let stem = &lower[..end];
        if COMMON.contains(stem) || repeats_a_common(stem) {
            return true;
        }
    }
    false
}

fn repeats_a_common(s: &str) -> bool {
    (1..=s.len() / 2)
        .filter(|p| s.len().is_multiple_of(*p) && s.is_char_boundary(*p))
        .any(|p| COMMON.contains(&s[..p]) && s == s[..p].repeat(s.len() / p))
}

/// Refuses a password that breaks a rule, naming the rule.
pub fn check_password(password: &str) -> Result<(), AppError> {
    match broken_rule(password) {
        None => Ok(()),
        Some(rule) => Err(AppError::BadInput(format!(
            "password: {} (rule `{}`)",
            rule.explain(),
            rule.id()
        ))),
    }
}

/// The Argon2id PHC string of a password or secret, with a fresh random salt and the
/// crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommendation).
pub fn hash(secret: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Store(format!("hashing a password failed: {e}")))
}

/// Whether `secret` matches a PHC string. The comparison inside is constant-time.
pub fn verify(secret: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(secret.as_bytes(), phc)
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
mod tests {
    use super::*;

    #[test]
    fn the_list_has_about_a_thousand_passwords() {
        // 1,000 lines; a few differ only in case.
        assert!((950..=1000).contains(&COMMON.len()), "{}", COMMON.len());
        assert!(COMMON.contains("password") && COMMON.contains("123456"));
    }

    #[test]
    fn each_rule_refuses_what_it_names() {
        let cases = [
            ("short", Some(PasswordRule::MinLength)),
            ("ünïcödé-kürz", None),
            ("ünïcödé-kür", Some(PasswordRule::MinLength)),
            (&"x7".repeat(65), Some(PasswordRule::MaxLength)),
            ("password1234", Some(PasswordRule::Common)),
            ("Password!!2024", Some(PasswordRule::Common)),
            ("123456789012", Some(PasswordRule::Common)),
            ("qwertyqwerty", Some(PasswordRule::Common)),
            ("dragondragon99", Some(PasswordRule::Common)),
            ("aaaaaaaaaaaaaaab", Some(PasswordRule::Repetitive)),
            ("correct horse battery", None),
            ("password is not enough", None),
            ("7Kq!m2vL9#xR", None),
        ];
        for (pw, want) in cases {
            assert_eq!(broken_rule(pw), want, "{pw:?}");
        }
        let e = check_password("password1234").unwrap_err().to_string();
        assert!(e.contains("password.common"), "{e}");
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let (a, b) = (hash("a secret").unwrap(), hash("a secret").unwrap());
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("a secret", &a) && !verify("a secreT", &a));
        assert!(!verify("a secret", "not a phc string"));
    }
}
