//! The one error type every format reader returns, and how it maps onto [`FileStatus`].

use super::FileStatus;

/// Why a reader could not produce text. The message is shown to analysts as the file's reason,
/// so it says what is wrong with the file in their terms, not ours.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExtractError {
    /// The bytes do not parse as the format they claim.
    #[error("{0}")]
    Corrupt(String),
    /// Password-protected and the empty password does not open it.
    #[error("{0}")]
    Encrypted(String),
    /// A format (or a variant of one) we do not read.
    #[error("{0}")]
    Unsupported(String),
    /// Readable, but holds no text we could get.
    #[error("{0}")]
    NoText(String),
    /// A part of the file is over a safety limit (e.g. a ZIP entry that inflates too far).
    #[error("{0}")]
    TooLarge(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl ExtractError {
    pub(crate) fn status(&self) -> FileStatus {
        match self {
            ExtractError::Corrupt(_) => FileStatus::Corrupt,
            ExtractError::Encrypted(_) => FileStatus::Encrypted,
            ExtractError::Unsupported(_) => FileStatus::Unsupported,
            ExtractError::NoText(_) => FileStatus::NoText,
            ExtractError::TooLarge(_) => FileStatus::TooLarge,
            ExtractError::Io(_) => FileStatus::Failed,
        }
    }
}
