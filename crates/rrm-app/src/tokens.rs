//! API and calendar tokens: shown once when created, stored as their SHA-256, refused once
//! revoked. A calendar token opens only the deadline feed; an API token, the API's writes.

use chrono::{DateTime, Utc};
use rrm_store::{Confidential, NewToken, TokenRecord, TokenScope, User};

use crate::secrets::{new_token, token_hash};
use crate::{AppError, Rrm};

fn prefix(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Api => "rrm_api_",
        TokenScope::Calendar => "rrm_cal_",
    }
}

impl Rrm {
    /// A new token for the user with this email; the token itself is returned once.
    pub fn add_token(
        &self,
        email: &str,
        label: &str,
        scope: TokenScope,
        now: DateTime<Utc>,
    ) -> Result<(TokenRecord, Confidential<String>), AppError> {
        let user = self.user_by_email(email)?;
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 100 {
            return Err(AppError::BadInput("label: give 1 to 100 characters".into()));
        }
        let token = new_token(prefix(scope))?;
        let record = self.workspace.add_token(&NewToken {
            token_hash: token_hash(token.expose()),
            user: user.id,
            label: label.to_string(),
            scope,
            created: now,
        })?;
        Ok((record, token))
    }

    /// A new calendar token for a user, revoking their earlier ones (one live feed address).
    pub fn new_calendar_token(
        &self,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<Confidential<String>, AppError> {
        self.workspace
            .revoke_tokens(user.id, TokenScope::Calendar, now)?;
        let (_, token) = self.add_token(&user.email, "calendar feed", TokenScope::Calendar, now)?;
        Ok(token)
    }

    /// The user a live token of `scope` belongs to; `Unauthorized` otherwise, whatever the
    /// reason (unknown, revoked, other scope), so a probe learns nothing.
    pub fn authenticate_token(&self, token: &str, scope: TokenScope) -> Result<User, AppError> {
        let refused = || AppError::Unauthorized("the token is missing, unknown or revoked".into());
        let record = self
            .workspace
            .token(&token_hash(token.trim()))?
            .filter(|t| t.revoked.is_none() && t.scope == scope)
            .ok_or_else(refused)?;
        self.workspace
            .user(record.user)?
            .filter(|u| u.disabled.is_none())
            .ok_or_else(refused)
    }
}
