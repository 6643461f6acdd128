//! Staff accounts: adding a user (email, name, role, a password that meets the rules) and
//! checking a password at sign-in.

use chrono::{DateTime, Utc};
use rrm_store::{Confidential, NewUser, Role, User};

use crate::{passwords, AppError, Rrm};

/// An email address as accounts are keyed: trimmed and lower-cased.
pub fn normalize_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if valid {
        Ok(email)
    } else {
        Err(AppError::BadInput(format!(
            "email: `{email}` is not an email address"
        )))
    }
}

impl Rrm {
    /// Creates a staff user. Refuses a password that breaks a rule, naming the rule, and an
    /// email already in use (`Conflict`).
    pub fn add_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password: &Confidential<String>,
        now: DateTime<Utc>,
    ) -> Result<User, AppError> {
        let email = normalize_email(email)?;
        let name = display_name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::BadInput("name: give 1 to 100 characters".into()));
        }
        passwords::check_password(password.expose(), &[&email, name])?;
        let user = NewUser {
            email,
            display_name: name.to_string(),
            password_hash: Confidential::new(passwords::hash(password.expose())?),
            role,
            created: now,
        };
        Ok(self.workspace.add_user(&user)?)
    }

    /// The user with this email and password. Every failure is the same `Unauthorized`, and
    /// takes as long, so sign-in does not tell which accounts exist.
    pub fn verify_password(
        &self,
        email: &str,
        password: &Confidential<String>,
    ) -> Result<User, AppError> {
        let refused = || AppError::Unauthorized("wrong email or password".into());
        let user = match normalize_email(email) {
            Ok(email) => self.workspace.user_by_email(&email)?,
            Err(_) => None,
        };
        match user {
            // A disabled account is refused like a wrong password, after the same work.
            Some(u) if passwords::verify(password.expose(), u.password_hash.expose()) => {
                match u.disabled {
                    None => Ok(u),
                    Some(_) => Err(refused()),
                }
            }
            Some(_) => Err(refused()),
            None => {
                passwords::verify_nothing(password.expose());
                Err(refused())
            }
        }
    }

    pub fn user_by_email(&self, email: &str) -> Result<User, AppError> {
        let email = normalize_email(email)?;
        self.workspace
            .user_by_email(&email)?
            .ok_or_else(|| AppError::NotFound(format!("no user with email `{email}`")))
    }
}
