//! Staff sessions: a random token in the cookie, its SHA-256 in the store, a CSRF token for the
//! session's forms, a 12-hour life and a 30-minute idle timeout. A session is only ever made
//! by a completed sign-in (password and second factor, `sign_in.rs`), always fresh: the
//! browser's earlier session and pending sign-in are deleted, so a planted id is never
//! promoted. Signing out deletes the session, so its cookie is dead everywhere.

use chrono::{DateTime, Duration, Utc};
use rrm_store::{Confidential, Hash, Session, User};

use crate::secrets::{new_token, token_hash};
use crate::{AppError, Rrm};

/// How long a session lives, from sign-in.
pub const SESSION_HOURS: i64 = 12;
/// How long a session may go unused before it ends.
pub const IDLE_MINUTES: i64 = 30;
/// `last_seen` is written at most this often, so browsing is not a write per request.
const TOUCH_SECONDS: i64 = 60;

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub user: User,
    /// The synchronizer token every form of this session carries.
    pub csrf_token: Confidential<String>,
    pub token_hash: Hash,
    pub expires: DateTime<Utc>,
}

/// A session just created: the cookie's token (shown to the browser once) and the session.
#[derive(Debug, Clone)]
pub struct NewLogin {
    pub token: Confidential<String>,
    pub session: StaffSession,
}

impl Rrm {
    /// A new session for `user`. Only a completed sign-in calls this.
    pub(crate) fn start_session(
        &self,
        user: User,
        now: DateTime<Utc>,
    ) -> Result<NewLogin, AppError> {
        let token = new_token("")?;
        let session = Session {
            token_hash: token_hash(token.expose()),
            user: user.id,
            csrf_token: new_token("")?,
            created: now,
            last_seen: now,
            expires: now + Duration::hours(SESSION_HOURS),
        };
        self.workspace.create_session(&session)?;
        Ok(NewLogin {
            token,
            session: StaffSession {
                user,
                csrf_token: session.csrf_token,
                token_hash: session.token_hash,
                expires: session.expires,
            },
        })
    }

    /// The live session a cookie's token names. One past its 12 hours or idle for 30 minutes
    /// is deleted and not returned; a live one is marked as used.
    pub fn session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffSession>, AppError> {
        let hash = token_hash(token);
        let Some(s) = self.workspace.session(&hash)? else {
            return Ok(None);
        };
        if s.expires <= now || s.last_seen + Duration::minutes(IDLE_MINUTES) <= now {
            self.workspace.delete_session(&hash)?;
            return Ok(None);
        }
        let Some(user) = self
            .workspace
            .user(s.user)?
            .filter(|u| u.disabled.is_none())
        else {
            return Ok(None);
        };
        if now - s.last_seen >= Duration::seconds(TOUCH_SECONDS) {
            self.workspace.touch_session(&hash, now)?;
        }
        Ok(Some(StaffSession {
            user,
            csrf_token: s.csrf_token,
            token_hash: hash,
            expires: s.expires,
        }))
    }

    /// Signs out: the session is deleted, so its cookie no longer works anywhere.
    pub fn end_session(&self, token: &str) -> Result<(), AppError> {
        Ok(self.workspace.delete_session(&token_hash(token))?)
    }
}
