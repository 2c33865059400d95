//! Rule diagnostics: an error with a span, and a message that shows the rule with a caret line under the span.

use crate::error::{Error, ErrorCode};

/// An error about `text[start..end]`: `headline`, then the rule line and `^^^` under the span.
pub fn rule_error(code: ErrorCode, text: &str, start: usize, end: usize, headline: impl Into<String>) -> Error {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    let headline = headline.into();
    let message = format!("{headline}\n{}", excerpt(text, start, end));
    Error::new(code, message).with_span(start, end)
}

/// A syntax error at a span.
pub fn syntax(text: &str, start: usize, end: usize, headline: impl Into<String>) -> Error {
    rule_error(ErrorCode::RuleSyntax, text, start, end, headline)
}

/// The line of `text` holding `start`, indented by two spaces, and a caret line under `start..end`.
pub fn excerpt(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let pad = text[line_start..start].chars().count();
    let width = text[start..end.min(line_end).max(start)].chars().count().max(1);
    format!("  {line}\n  {}{}", " ".repeat(pad), "^".repeat(width))
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_span() {
        let e = syntax("a = 1 AND b ==", 12, 14, "unexpected `=`");
        assert_eq!(e.span, Some((12, 14)));
        assert!(e.message.ends_with("  a = 1 AND b ==\n              ^^"), "{}", e.message);
        let e = syntax("é = ", 4, 4, "expected a value");
        assert!(e.message.ends_with("  é = \n     ^"), "{}", e.message);
    }
}
