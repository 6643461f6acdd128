//! Signing in, in two steps: the password, then the second factor. Every staff account has
//! a TOTP authenticator; one without (new, or reset by `rrm user reset-2fa`) sets it up at
//! its next sign-in, before anything else opens.
//!
//! 1. [`Rrm::sign_in_password`]: throttles checked, the password checked, and a *pending*
//!    sign-in made (10 minutes, its own cookie) that opens only the second-factor page. The
//!    browser's earlier session and pending sign-in are deleted.
//! 2. [`Rrm::sign_in_code`]: a code from the authenticator (its time step never used before),
//!    or a one-time recovery code; or, while enrolling, a code that proves the app holds the
//!    new secret, after which the recovery codes are made and shown once. The pending sign-in
//!    is replaced by a fresh session: the session id changes when the second factor completes.
//!
//! A wrong password or code counts against the account and the address (`throttle.rs`).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use rrm_store::{Confidential, PendingSignIn, SignInStage, TotpCredential, User};

use crate::secrets::{new_token, token_hash};
use crate::throttle::AttemptKeys;
use crate::totp::{self, Enrollment};
use crate::{normalize_email, AppError, NewLogin, Rrm};

/// How long the second-factor step may take.
pub const PENDING_MINUTES: i64 = 10;

/// The browser's earlier credentials, deleted when it signs in again.
#[derive(Debug, Clone, Copy, Default)]
pub struct Previous<'a> {
    pub session: Option<&'a str>,
    pub pending: Option<&'a str>,
}

/// A password accepted: the pending sign-in's cookie token and what it waits for.
#[derive(Debug, Clone)]
pub struct PasswordAccepted {
    pub token: Confidential<String>,
    pub stage: SignInStage,
}

/// A live pending sign-in and its user.
#[derive(Debug, Clone)]
pub struct Pending {
    pub record: PendingSignIn,
    pub user: User,
}

/// How the second factor was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    Code,
    RecoveryCode,
    Enrolled,
}

/// A completed sign-in: the new session, and for a new authenticator its recovery codes
/// (shown once); after a recovery code, how many are left.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub login: NewLogin,
    pub by: SecondFactor,
    pub recovery_codes: Confidential<Vec<String>>,
    pub codes_left: u32,
}

fn wrong_code() -> AppError {
    AppError::Unauthorized("the code is wrong, expired or already used".into())
}

fn expired() -> AppError {
    AppError::Unauthorized("the sign-in has expired; sign in again".into())
}

impl Rrm {
    /// Step 1: the password. Refused while the account or address is locked (nothing is
    /// checked then), and with one answer for a wrong password and an unknown email.
    pub fn sign_in_password(
        &self,
        email: &str,
        password: &Confidential<String>,
        client: Option<IpAddr>,
        previous: Previous<'_>,
        now: DateTime<Utc>,
    ) -> Result<PasswordAccepted, AppError> {
        let keys = AttemptKeys::new(email, client);
        self.check_throttle(&keys, now)?;
        let user = match self.verify_password(email, password) {
            Ok(user) => user,
            Err(e @ AppError::Unauthorized(_)) => {
                let known = normalize_email(email)
                    .ok()
                    .and_then(|e| self.workspace.user_by_email(&e).ok().flatten());
                self.note_failure(&keys, known.map(|u| u.id), now)?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        self.discard(previous)?;
        self.sweep(now)?;
        let stage = match self.workspace.totp(user.id)? {
            Some(_) => SignInStage::Code,
            None => SignInStage::Enroll,
        };
        let enrollment_secret = match stage {
            SignInStage::Enroll => Some(totp::new_secret()?),
            SignInStage::Code => None,
        };
        let token = new_token("")?;
        self.workspace.create_pending_sign_in(&PendingSignIn {
            token_hash: token_hash(token.expose()),
            user: user.id,
            csrf_token: new_token("")?,
            stage,
            enrollment_secret,
            created: now,
            expires: now + Duration::minutes(PENDING_MINUTES),
        })?;
        Ok(PasswordAccepted { token, stage })
    }

    fn discard(&self, previous: Previous<'_>) -> Result<(), AppError> {
        if let Some(old) = previous.session {
            self.workspace.delete_session(&token_hash(old))?;
        }
        if let Some(old) = previous.pending {
            self.workspace.delete_pending_sign_in(&token_hash(old))?;
        }
        Ok(())
    }

    /// Deletes what has expired: sessions, pending sign-ins, failures older than a day.
    fn sweep(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        self.workspace.delete_expired_sessions(now)?;
        self.workspace.delete_expired_pending_sign_ins(now)?;
        self.workspace
            .delete_login_failures_before(now - Duration::days(1))?;
        Ok(())
    }

    /// The live pending sign-in a cookie's token names; an expired one is deleted.
    pub fn pending_sign_in(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Pending>, AppError> {
        let hash = token_hash(token);
        let Some(record) = self.workspace.pending_sign_in(&hash)? else {
            return Ok(None);
        };
        if record.expires <= now {
            self.workspace.delete_pending_sign_in(&hash)?;
            return Ok(None);
        }
        let user = self.workspace.user(record.user)?;
        Ok(user.map(|user| Pending { record, user }))
    }

    /// What the enrollment page shows: the secret, its URI and QR code.
    pub fn enrollment(&self, pending: &Pending) -> Result<Enrollment, AppError> {
        let secret = pending.record.enrollment_secret.as_ref().ok_or_else(|| {
            AppError::Conflict("this sign-in is not setting up an authenticator".into())
        })?;
        totp::enrollment(secret.expose(), &pending.user.email)
    }

    /// Step 2: the code. A wrong one counts as a failed sign-in; once the account or address
    /// is locked, the pending sign-in is deleted and the password is asked again.
    pub fn sign_in_code(
        &self,
        token: &str,
        code: &str,
        client: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<SignedIn, AppError> {
        let pending = self.pending_sign_in(token, now)?.ok_or_else(expired)?;
        let keys = AttemptKeys::new(&pending.user.email, client);
        if let Err(e) = self.check_throttle(&keys, now) {
            self.workspace
                .delete_pending_sign_in(&pending.record.token_hash)?;
            return Err(e);
        }
        let accepted = match pending.record.stage {
            SignInStage::Code => self.second_factor(&pending, code, now)?,
            SignInStage::Enroll => self.confirm_enrollment(&pending, code, now)?,
        };
        let Some((by, recovery_codes)) = accepted else {
            if let Some(until) = self.note_failure(&keys, Some(pending.user.id), now)? {
                self.workspace
                    .delete_pending_sign_in(&pending.record.token_hash)?;
                return Err(AppError::Throttled { until });
            }
            return Err(wrong_code());
        };
        self.note_success(&keys)?;
        self.workspace
            .delete_pending_sign_in(&pending.record.token_hash)?;
        let codes_left = self.workspace.recovery_codes_left(pending.user.id)?;
        tracing::info!(target: "rrm::auth", account = pending.user.id.0, by = ?by, "signed in");
        Ok(SignedIn {
            login: self.start_session(pending.user, now)?,
            by,
            recovery_codes: Confidential::new(recovery_codes),
            codes_left,
        })
    }

    /// A code of an unused step, or an unused recovery code; `None` if neither.
    fn second_factor(
        &self,
        pending: &Pending,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SecondFactor, Vec<String>)>, AppError> {
        let user = pending.user.id;
        let Some(credential) = self.workspace.totp(user)? else {
            return Err(expired());
        };
        if let Some(step) = totp::matching_step(credential.secret.expose(), code, now) {
            let fresh = self.workspace.use_totp_step(user, step)?;
            return Ok(fresh.then(|| (SecondFactor::Code, Vec::new())));
        }
        match totp::recovery_code_hash(code) {
            Some(hash) if self.workspace.use_recovery_code(user, &hash, now)? => {
                Ok(Some((SecondFactor::RecoveryCode, Vec::new())))
            }
            _ => Ok(None),
        }
    }

    /// A code of the secret being set up: enrolls it, with new recovery codes.
    fn confirm_enrollment(
        &self,
        pending: &Pending,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SecondFactor, Vec<String>)>, AppError> {
        let Some(secret) = &pending.record.enrollment_secret else {
            return Err(expired());
        };
        let Some(step) = totp::matching_step(secret.expose(), code, now) else {
            return Ok(None);
        };
        if self.workspace.totp(pending.user.id)?.is_some() {
            self.workspace
                .delete_pending_sign_in(&pending.record.token_hash)?;
            return Err(AppError::Conflict(
                "an authenticator was set up for this account meanwhile; sign in again".into(),
            ));
        }
        let (shown, kept) = totp::new_recovery_codes()?;
        let credential = TotpCredential {
            user: pending.user.id,
            secret: secret.clone(),
            enrolled: now,
            last_step: Some(step),
        };
        self.workspace.enroll_totp(&credential, &kept)?;
        Ok(Some((SecondFactor::Enrolled, shown)))
    }

    /// `rrm user reset-2fa`: removes a user's authenticator and recovery codes and signs them
    /// out everywhere; their next sign-in sets up a new authenticator. Whether they had one.
    pub fn reset_second_factor(&self, email: &str) -> Result<bool, AppError> {
        let user = self.user_by_email(email)?;
        let had = self.workspace.remove_totp(user.id)?;
        self.workspace.delete_sessions_of(user.id)?;
        tracing::info!(target: "rrm::auth", account = user.id.0, had, "second factor reset");
        Ok(had)
    }
}
