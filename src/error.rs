//! The one error type of the core: a stable machine-readable [`ErrorCode`], a message a person can act on, and
//! optionally the byte span of the input it points at (rule text, CSV position).

use std::fmt;

/// Stable error codes. Their string forms (`INVALID_ARROW`, …) are part of the public JS API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The bytes are not a readable Arrow IPC stream or file.
    InvalidArrow,
    /// Appended data whose schema differs from the dataset's.
    SchemaMismatch,
    /// A column type segmetry cannot work with.
    UnsupportedType,
    /// A function argument is out of its domain (negative count, confidence outside (0,1), …).
    InvalidArgument,
    /// A segment rule that does not parse.
    RuleSyntax,
    /// A rule or option names a column the dataset does not have.
    UnknownColumn,
    /// A value or operator does not fit the column's type.
    TypeMismatch,
    /// The input does not fit in the memory the instance can have.
    OutOfMemory,
    /// A dataset handle used after `free()`.
    Freed,
    /// A bug: something the core believed impossible happened.
    Internal,
    /// The embedder's [`crate::cancel::Interrupt`] asked a long operation to stop; nothing was changed.
    Cancelled,
}

impl ErrorCode {
    /// The stable string form used as `SegmetryError.code` in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArrow => "INVALID_ARROW",
            ErrorCode::SchemaMismatch => "SCHEMA_MISMATCH",
            ErrorCode::UnsupportedType => "UNSUPPORTED_TYPE",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::RuleSyntax => "RULE_SYNTAX",
            ErrorCode::UnknownColumn => "UNKNOWN_COLUMN",
            ErrorCode::TypeMismatch => "TYPE_MISMATCH",
            ErrorCode::OutOfMemory => "OUT_OF_MEMORY",
            ErrorCode::Freed => "FREED",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::Cancelled => "CANCELLED",
        }
    }
}

/// An error as a value: what went wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// Stable category.
    pub code: ErrorCode,
    /// Full human-readable message (what, where, what to do).
    pub message: String,
    /// Byte offsets `[start, end)` into the text the error is about, when there is one.
    pub span: Option<(usize, usize)>,
    /// Name of the argument, column or option at fault, when there is one.
    pub subject: Option<String>,
    /// The catalogued message the headline was made from ([`crate::messages`]), for [`Error::localized`].
    pub message_id: Option<Box<crate::messages::Message>>,
}

impl Error {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), span: None, subject: None, message_id: None }
    }

    /// Shorthand for [`ErrorCode::InvalidArgument`] naming the argument at fault.
    /// The headline is catalogued, so it can be localized; `message` may hold catalogued messages itself
    /// ([`crate::messages::nested`]), rendered in the same language.
    pub fn invalid_argument(argument: &str, message: impl fmt::Display) -> Self {
        let message = crate::messages::Message::new("invalid_argument", [argument.to_string(), message.to_string()]);
        message.into_error(ErrorCode::InvalidArgument).with_subject(argument)
    }

    /// Attach the byte span the error points at.
    pub fn with_span(mut self, start: usize, end: usize) -> Self {
        self.span = Some((start, end));
        self
    }

    /// Attach the name of the argument/column at fault.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The error in `lang`: the catalogued headline is replaced by its translation (prefixes such as
    /// "segment `x`: " and the caret excerpt stay), and in Finnish so is a sentence of serde's own that an
    /// option error carries ([`crate::messages::serde_in_finnish`]); other messages stay English.
    pub fn localized(mut self, lang: crate::messages::Lang) -> Self {
        if let Some(id) = &self.message_id {
            let (en, local) = (id.render(crate::messages::Lang::En), id.render(lang));
            self.message = self.message.replacen(&en, &local, 1);
        }
        if lang == crate::messages::Lang::Fi {
            self.message = crate::messages::serde_in_finnish(&self.message);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The candidate closest to `name` by edit distance (case-insensitive), if it is close enough to be a likely
/// typo: used for "did you mean `orders_count`?" suggestions.
pub fn closest_name<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let target = name.to_lowercase();
    let limit = (target.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&target, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["orders_count", "country", "total_spent"];
        assert_eq!(closest_name("order_count", names), Some("orders_count"));
        assert_eq!(closest_name("Country", names), Some("country"));
        assert_eq!(closest_name("revenue", names), None);
    }
}
