//! The records of sign-in security: login throttling and lockouts, TOTP second factors with
//! their recovery codes, and sign-ins waiting for their second factor.
//!
//! Invariants: a throttle key is the SHA-256 of what it counts (an account's email, a client's
//! address), never the value itself, so the table names no one; recovery codes are kept as
//! their SHA-256 (each is 80 random bits, so a hash cannot be reversed by guessing); a TOTP
//! secret and a pending enrollment's secret are [`Confidential`].

use chrono::{DateTime, Utc};

use crate::{Confidential, UserId};

/// What a throttle counts failures of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ThrottleScope {
    /// One email address, whether or not an account has it (so a lockout says nothing about
    /// which accounts exist).
    Account,
    /// One client address (an IPv4 address, or an IPv6 /64).
    Address,
}

impl ThrottleScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ThrottleScope::Account => "account",
            ThrottleScope::Address => "address",
        }
    }

    pub fn parse(name: &str) -> Option<ThrottleScope> {
        [ThrottleScope::Account, ThrottleScope::Address]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// One throttled thing: its scope and the SHA-256 of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThrottleKey {
    pub scope: ThrottleScope,
    pub digest: crate::Hash,
}

/// A key's lockout. `until` may be past: the row is kept so a repeat lockout grows
/// (`strikes` counts the lockouts in a row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub key: ThrottleKey,
    pub until: DateTime<Utc>,
    pub strikes: u32,
}

/// A staff member's authenticator (RFC 6238, HMAC-SHA-1, 6 digits, 30-second steps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpCredential {
    pub user: UserId,
    /// The shared secret, 20 random bytes.
    pub secret: Confidential<Vec<u8>>,
    pub enrolled: DateTime<Utc>,
    /// The last time step a code was accepted for: a code of that step or an earlier one is
    /// a replay.
    pub last_step: Option<u64>,
}

/// What a pending sign-in waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignInStage {
    /// The password was right; a code from the authenticator (or a recovery code) is next.
    Code,
    /// The password was right and the account has no authenticator yet: it is set up next.
    Enroll,
}

impl SignInStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInStage::Code => "code",
            SignInStage::Enroll => "enroll",
        }
    }

    pub fn parse(name: &str) -> Option<SignInStage> {
        [SignInStage::Code, SignInStage::Enroll]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A sign-in past its password, waiting for its second factor. Like a session, the cookie
/// holds the token and the store its SHA-256; it opens nothing but the second-factor pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub token_hash: crate::Hash,
    pub user: UserId,
    /// The synchronizer token of the second-factor form.
    pub csrf_token: Confidential<String>,
    pub stage: SignInStage,
    /// For [`SignInStage::Enroll`]: the secret being set up, kept until a code confirms it.
    pub enrollment_secret: Option<Confidential<Vec<u8>>>,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}
