//! The MEF error body every error response carries: `{"code", "reason", "message"}`.

use serde::{Deserialize, Serialize};

/// The longest `reason` the schema allows (characters); the rest of a message goes to `message`.
pub const REASON_MAX: usize = 255;

/// The body of an MEF error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The MEF error code (`invalidBody`, `invalidQuery`, `notFound`, `missingCredentials`, ...).
    pub code: String,
    /// Why, at most [`REASON_MAX`] characters.
    pub reason: String,
    /// Why, in full.
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    /// The body for `code` and `message`: `reason` is the message cut to [`REASON_MAX`]
    /// characters.
    pub fn new(code: &str, message: &str) -> Self {
        Self {
            code: code.to_string(),
            reason: message.chars().take(REASON_MAX).collect(),
            message: message.to_string(),
        }
    }
}
