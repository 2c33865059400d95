//! The crate's error type. Codes are part of the public JS API (`SegmetryError.code`).

use std::fmt;

use crate::messages::{Lang, Message};

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
    /// The catalogued message `message` renders in English (none for internal errors, which stay English).
    pub text: Option<Box<Message>>,
}

impl FormatError {
    /// An error with `code` saying `text` (`message` holds it in English). Cold and never inlined, as the other
    /// constructors: rendering the message is error-path code, kept out of the readers' hot loops (opt-level 3
    /// would otherwise copy it into each of them).
    #[cold]
    #[inline(never)]
    pub fn new(code: ErrorCode, text: Message) -> Self {
        let message = text.render(Lang::En);
        FormatError { code, message, line: None, column: None, subject: None, text: Some(Box::new(text)) }
    }
    #[cold]
    #[inline(never)]
    pub fn csv(text: Message, line: usize, column: Option<usize>) -> Self {
        FormatError { line: Some(line), column, ..Self::new(ErrorCode::InvalidCsv, text) }
    }
    #[cold]
    #[inline(never)]
    pub fn parquet(text: Message) -> Self {
        Self::new(ErrorCode::InvalidParquet, text)
    }
    #[cold]
    #[inline(never)]
    pub fn argument(subject: &str, text: Message) -> Self {
        FormatError { subject: Some(subject.to_string()), ..Self::new(ErrorCode::InvalidArgument, text) }
    }
    /// A bug of the reader, not of the file: English only.
    #[cold]
    #[inline(never)]
    pub fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        FormatError { code: ErrorCode::Internal, message, line: None, column: None, subject: None, text: None }
    }
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        self.text.as_ref().map_or_else(|| self.message.clone(), |t| t.render(lang))
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for FormatError {}
