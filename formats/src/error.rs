//! The crate's error type. Codes are part of the public JS API (`SegmetryError.code`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidCsv,
    InvalidParquet,
    UnsupportedType,
    InvalidArgument,
    Internal,
    /// The progress callback asked the conversion to stop.
    Cancelled,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidCsv => "INVALID_CSV",
            ErrorCode::InvalidParquet => "INVALID_PARQUET",
            ErrorCode::UnsupportedType => "UNSUPPORTED_TYPE",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::Cancelled => "CANCELLED",
        }
    }
}

/// What went wrong, where and how to fix it. `line`/`column` are 1-based (CSV: physical line in the file,
/// column = field number within the record for field errors, character position for quote errors).
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    pub code: ErrorCode,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The column (by name) or option at fault.
    pub subject: Option<String>,
}

impl FormatError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        FormatError { code, message: message.into(), line: None, column: None, subject: None }
    }
    pub fn csv(message: impl Into<String>, line: usize, column: Option<usize>) -> Self {
        FormatError { line: Some(line), column, ..Self::new(ErrorCode::InvalidCsv, message) }
    }
    pub fn parquet(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParquet, message)
    }
    pub fn argument(subject: &str, message: impl Into<String>) -> Self {
        FormatError { subject: Some(subject.to_string()), ..Self::new(ErrorCode::InvalidArgument, message) }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for FormatError {}
