//! The crate's error type.

/// Everything that can go wrong in the model, the rater and the commitments.
///
/// Every variant names where the problem is (a line, a record or a field path such as
/// `products[2].tiers[1].price`) and why; callers add the file name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed JSON, or does not have the documented structure.
    #[error("malformed JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser found.
        reason: String,
    },
    /// The input is not well-formed CSV, or a row does not have the documented columns.
    #[error("malformed CSV at line {line}: {reason}")]
    Csv {
        /// 1-based line of the problem.
        line: u64,
        /// What the parser found.
        reason: String,
    },
    /// A field holds a value the model refuses.
    #[error("{field}: {reason}")]
    Invalid {
        /// Where: a field path, a record, or both.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// The input is larger than a circuit shape allows.
    #[error("{0}")]
    Shape(String),
    /// A computed amount or volume leaves the range the protocol allows.
    #[error("{field}: {reason}")]
    Range {
        /// The amount or volume concerned.
        field: String,
        /// The bound it crosses.
        reason: String,
    },
    /// A constraint-system file (circom's `.r1cs`) that is not one this build writes, cut, or
    /// unreadable.
    #[error("byte {offset}: {reason}")]
    ConstraintFile {
        /// Offset in the file where reading stopped.
        offset: u64,
        /// Why it is refused.
        reason: String,
    },
}

impl Error {
    /// An [`Error::Invalid`] for `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Converts a `serde_json` error, keeping its position but not repeating it in the reason.
    pub fn from_json(e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let reason = match text.rfind(" at line ") {
            Some(i) if e.line() > 0 => text[..i].to_string(),
            _ => text,
        };
        Self::Json {
            line: e.line(),
            column: e.column(),
            reason,
        }
    }
}
