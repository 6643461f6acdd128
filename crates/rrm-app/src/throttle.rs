//! Login throttling and lockout, kept in the store so every server sharing it counts alike.
//!
//! Two throttles watch every sign-in attempt, password or second factor:
//! - per account: [`ACCOUNT_FAILURES`] failures within [`WINDOW_MINUTES`] lock the email
//!   address, whether or not an account has it, so a lockout tells nothing about which
//!   accounts exist;
//! - per client address (an IPv4 address or an IPv6 /64): [`ADDRESS_FAILURES`] failures
//!   within the window lock the address, whatever accounts it tried.
//!
//! A lockout lasts [`FIRST_LOCKOUT_MINUTES`], doubling with each lockout in a row up to
//! [`MAX_LOCKOUT_HOURS`]; the strikes are forgotten a day after the last lockout ended, or at
//! a successful sign-in (for the account; an address keeps its strikes, so a guesser cannot
//! clear its record by signing in to an account of its own).
//!
//! While a key is locked, no password or code is checked at all, and the answer is the same
//! whatever was typed: checking would let a guesser keep guessing during the lockout and learn
//! from a different answer when a guess was right.
//!
//! Logging (docs/LOGGING.md): failures and lockouts are logged with the account's user id (or
//! "unknown" for an email with no account) and 8 hex digits of a salted hash of the address
//! key; never the email typed, the password, the code or the address itself.

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use rrm_store::{sha256, Lockout, ThrottleKey, ThrottleScope, UserId};

use crate::{AppError, Rrm};

pub const ACCOUNT_FAILURES: u32 = 5;
pub const ADDRESS_FAILURES: u32 = 20;
pub const WINDOW_MINUTES: i64 = 15;
pub const FIRST_LOCKOUT_MINUTES: i64 = 15;
pub const MAX_LOCKOUT_HOURS: i64 = 24;
/// Strikes are forgotten once the last lockout ended this long ago.
const STRIKES_KEPT_HOURS: i64 = 24;

/// The two keys one sign-in attempt is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptKeys {
    pub account: ThrottleKey,
    pub address: ThrottleKey,
}

impl AttemptKeys {
    /// The keys of an attempt on `email` (as typed; it is normalized here) from `client`.
    pub fn new(email: &str, client: Option<IpAddr>) -> AttemptKeys {
        AttemptKeys {
            account: account_key(email),
            address: address_key(client),
        }
    }

    fn both(&self) -> [(ThrottleKey, u32); 2] {
        [
            (self.account, ACCOUNT_FAILURES),
            (self.address, ADDRESS_FAILURES),
        ]
    }
}

/// The account key: the SHA-256 of the email as accounts are keyed (trimmed, lower-cased),
/// so `ANA@example.org` and `ana@example.org` share one count.
pub fn account_key(email: &str) -> ThrottleKey {
    let email = email.trim().to_lowercase();
    ThrottleKey {
        scope: ThrottleScope::Account,
        digest: sha256(format!("rrm-account\0{email}").as_bytes()),
    }
}

/// The address key: the SHA-256 of the IPv4 address, or of the IPv6 /64 (one subscriber
/// usually holds a whole /64), an IPv4-mapped IPv6 address counting as its IPv4 address.
/// Requests whose address is unknown share one key.
pub fn address_key(client: Option<IpAddr>) -> ThrottleKey {
    let text = match client.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_string(),
    };
    ThrottleKey {
        scope: ThrottleScope::Address,
        digest: sha256(format!("rrm-address\0{text}").as_bytes()),
    }
}

/// 8 hex digits that follow one address through a log: the SHA-256 of the key with a salt
/// made at start and kept only in memory, so a log reader cannot test guessed addresses
/// against it (an unsalted hash of an IPv4 address is reversed by trying all 2^32).
fn short(key: &ThrottleKey) -> String {
    static SALT: LazyLock<Vec<u8>> =
        LazyLock::new(|| crate::secrets::random_bytes(16).unwrap_or_default());
    let salted = sha256(&[&SALT[..], &key.digest[..]].concat());
    salted[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// How long lockout number `strikes` (1, 2, ...) lasts.
pub fn lockout_length(strikes: u32) -> Duration {
    let minutes = FIRST_LOCKOUT_MINUTES.saturating_mul(1 << strikes.clamp(1, 16).saturating_sub(1));
    Duration::minutes(minutes.min(MAX_LOCKOUT_HOURS * 60))
}

impl Rrm {
    /// Refuses the attempt if either key is locked at `now`, saying until when.
    pub fn check_throttle(&self, keys: &AttemptKeys, now: DateTime<Utc>) -> Result<(), AppError> {
        let mut until: Option<DateTime<Utc>> = None;
        for (key, _) in keys.both() {
            if let Some(l) = self.workspace.lockout(&key)?.filter(|l| l.until > now) {
                until = until.max(Some(l.until));
            }
        }
        match until {
            Some(until) => Err(AppError::Throttled { until }),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against both keys, locking any that reached its limit. Returns
    /// the lockout's end if the attempt locked a key.
    pub fn note_failure(
        &self,
        keys: &AttemptKeys,
        user: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, AppError> {
        let since = now - Duration::minutes(WINDOW_MINUTES);
        let account = user.map_or("unknown".to_string(), |u| u.0.to_string());
        let mut locked = None;
        for (key, limit) in keys.both() {
            let failures = self.workspace.record_login_failure(&key, now, since)?;
            tracing::warn!(
                target: "rrm::auth",
                scope = key.scope.as_str(),
                account = %account,
                address = %short(&keys.address),
                failures,
                "sign-in failed"
            );
            if failures >= limit {
                let until = self.lock(key, now)?;
                tracing::warn!(
                    target: "rrm::auth",
                    scope = key.scope.as_str(),
                    account = %account,
                    address = %short(&keys.address),
                    until = %until.format("%Y-%m-%dT%H:%M:%SZ"),
                    "sign-in locked"
                );
                locked = locked.max(Some(until));
            }
        }
        Ok(locked)
    }

    fn lock(&self, key: ThrottleKey, now: DateTime<Utc>) -> Result<DateTime<Utc>, AppError> {
        let previous = self.workspace.lockout(&key)?;
        let strikes = match previous {
            Some(p) if p.until + Duration::hours(STRIKES_KEPT_HOURS) > now => p.strikes + 1,
            _ => 1,
        };
        let until = now + lockout_length(strikes);
        self.workspace.set_lockout(&Lockout {
            key,
            until,
            strikes,
        })?;
        Ok(until)
    }

    /// A successful sign-in: the account's failures and strikes are forgotten.
    pub fn note_success(&self, keys: &AttemptKeys) -> Result<(), AppError> {
        self.workspace.unlock(&keys.account)?;
        Ok(())
    }

    /// `rrm user unlock`: lifts the lockout of an email address and forgets its failures.
    /// Whether there was anything to lift.
    pub fn unlock_account(&self, email: &str) -> Result<bool, AppError> {
        let user = self.user_by_email(email)?;
        let lifted = self.workspace.unlock(&account_key(&user.email))?;
        tracing::info!(target: "rrm::auth", account = user.id.0, lifted, "sign-in unlocked");
        Ok(lifted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_up_to_a_day() {
        let minutes: Vec<i64> = (1..=9).map(|s| lockout_length(s).num_minutes()).collect();
        assert_eq!(minutes, [15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
        assert_eq!(lockout_length(u32::MAX).num_hours(), 24);
    }

    #[test]
    fn keys_group_what_one_person_controls() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            account_key(" ANA@Example.org"),
            account_key("ana@example.org")
        );
        assert_ne!(
            account_key("ana@example.org"),
            account_key("bo@example.org")
        );
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:ffff::9")),
            "one /64"
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            address_key(ip("::ffff:192.0.2.7")),
            address_key(ip("192.0.2.7"))
        );
        assert_ne!(address_key(ip("192.0.2.7")), address_key(ip("192.0.2.8")));
        assert_ne!(address_key(None), address_key(ip("192.0.2.7")));
        assert_ne!(account_key("x").digest, address_key(None).digest);
    }
}
