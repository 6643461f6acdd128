//! Exit codes: distinct for bad input, refused transitions and integrity failures, so scripts
//! can tell them apart.

use rrm_app::AppError;

pub const INTERNAL: u8 = 1;
pub const BAD_INPUT: u8 = 2;
pub const REFUSED: u8 = 3;
pub const INTEGRITY: u8 = 4;
pub const NOT_FOUND: u8 = 5;
pub const CONFLICT: u8 = 6;
pub const NOT_PERMITTED: u8 = 7;
pub const UNAVAILABLE: u8 = 8;

/// A failed command: what to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn bad_input(message: impl Into<String>) -> Failure {
        Failure {
            code: BAD_INPUT,
            message: message.into(),
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        let code = match &e {
            AppError::BadInput(_) => BAD_INPUT,
            AppError::Refused { .. } => REFUSED,
            AppError::Integrity(_) => INTEGRITY,
            AppError::NotFound(_) => NOT_FOUND,
            AppError::Conflict(_) => CONFLICT,
            AppError::Unauthorized(_) | AppError::Forbidden(_) | AppError::Throttled { .. } => {
                NOT_PERMITTED
            }
            AppError::TooLarge(_) => BAD_INPUT,
            AppError::Store(_) => INTERNAL,
            AppError::Unavailable(_) => UNAVAILABLE,
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure {
            code: INTERNAL,
            message: format!("{e:#}"),
        }
    }
}
