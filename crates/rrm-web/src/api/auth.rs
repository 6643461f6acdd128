//! `Authorization: Bearer <token>` for the API's write routes: an API-scope token of a staff
//! member. A missing, unknown or revoked token is a 401 in the JSON envelope, with
//! `WWW-Authenticate: Bearer`; the answer does not say which.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use rrm_store::{TokenScope, User};

use crate::error::WebError;
use crate::Web;

/// The staff member whose API token the request carries.
#[derive(Clone)]
pub struct ApiUser(pub User);

impl FromRequestParts<Web> for ApiUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<ApiUser, WebError> {
        // The policy layer has already checked the token.
        if let Some(found) = parts.extensions.get::<ApiUser>() {
            return Ok(found.clone());
        }
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string)
            .ok_or_else(|| {
                WebError::Unauthorized("send `Authorization: Bearer <API token>`".into())
            })?;
        web.blocking(move |w| Ok(w.rrm().authenticate_token(&token, TokenScope::Api)?))
            .await
            .map(ApiUser)
    }
}
