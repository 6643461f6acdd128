//! The application's error: bad input, a refused transition, an integrity failure, or a store
//! problem. Callers map each to an exit code or an HTTP status.

use rrm_core::engine::Refusal;
use rrm_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A malformed file or value; the text names what is wrong and where.
    #[error("{0}")]
    BadInput(String),
    /// The procedure refused an event; `at` says which case and event.
    #[error("{at}: {refusal}")]
    Refused { at: String, refusal: Refusal },
    /// Stored data does not verify, or no longer satisfies its procedure.
    #[error("integrity: {0}")]
    Integrity(String),
    #[error("no case `{0}`")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// No valid credentials: a wrong password, an unknown or revoked token, an ended session.
    #[error("{0}")]
    Unauthorized(String),
    /// Too many failed sign-ins for an account or from an address: nothing is checked until
    /// `until`. The same for every email, whether or not an account has it.
    #[error("too many failed sign-in attempts; try again after {} UTC", until.format("%H:%M"))]
    Throttled {
        until: chrono::DateTime<chrono::Utc>,
    },
    /// Signed in, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// An upload over a size or count limit; the text names the file and the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Confidential data cannot be stored or read: the server has no master key.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Store(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(id) => AppError::NotFound(id),
            StoreError::Conflict(why) => AppError::Conflict(why),
            StoreError::Other(why) => AppError::Store(why),
        }
    }
}
