//! Rule diagnostics: an error with a span, and a message that shows the rule with a caret line under the span.

use crate::error::{Error, ErrorCode};
use crate::messages::{Lang, Message};

/// An error about `text[start..end]`: `headline`, then the rule line and `^^^` under the span.
pub fn rule_error(code: ErrorCode, text: &str, start: usize, end: usize, headline: impl Into<String>) -> Error {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    let headline = headline.into();
    let message = format!("{headline}\n{}", excerpt(text, start, end));
    Error::new(code, message).with_span(start, end)
}

/// [`rule_error`] with a catalogued headline ([`crate::messages`]), so the error can be shown in another language.
pub fn rule_message(code: ErrorCode, text: &str, start: usize, end: usize, message: Message) -> Error {
    let mut e = rule_error(code, text, start, end, message.render(Lang::En));
    e.message_id = Some(Box::new(message));
    e
}

/// A syntax error at a span, with a catalogued headline.
pub fn syntax_message(text: &str, start: usize, end: usize, message: Message) -> Error {
    rule_message(ErrorCode::RuleSyntax, text, start, end, message)
}

/// A syntax error at a span.
pub fn syntax(text: &str, start: usize, end: usize, headline: impl Into<String>) -> Error {
    rule_error(ErrorCode::RuleSyntax, text, start, end, headline)
}

/// Characters of context shown on each side of the span; longer lines are cut (with `…`), so a 10 MB rule
/// gives a message of a few hundred bytes, not a copy of the rule.
const CONTEXT: usize = 40;
/// At most this many characters of the span itself are shown (and underlined).
const MAX_SPAN: usize = 80;

/// The line of `text` holding `start` (cut to a window around the span), indented by two spaces, and a caret
/// line under `start..end`.
pub fn excerpt(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let span_end = end.min(line_end).max(start);
    let from = back_chars(text, start, CONTEXT).max(line_start);
    let span_shown = forward_chars(text, start, MAX_SPAN).min(span_end);
    let to = forward_chars(text, span_shown, CONTEXT).min(line_end);
    let (open, close) = (if from > line_start { "…" } else { "" }, if to < line_end { "…" } else { "" });
    let pad = open.chars().count() + text[from..start].chars().count();
    let width = text[start..span_shown].chars().count().max(1);
    format!("  {open}{}{close}\n  {}{}", &text[from..to], " ".repeat(pad), "^".repeat(width))
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i)
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

    #[test]
    fn long_rules_are_cut_to_a_window_around_the_span() {
        let rule = format!("{} AND b ==", "a = 1 AND ".repeat(1_000_000));
        let at = rule.len() - 2;
        let e = syntax(&rule, at, rule.len(), "unexpected `=`");
        assert!(e.message.len() < 200, "{} bytes", e.message.len());
        let lines: Vec<&str> = e.message.lines().collect();
        assert!(lines[1].starts_with("  …") && lines[1].ends_with("AND b =="), "{}", lines[1]);
        assert_eq!(lines[2].trim_start(), "^^");
        assert_eq!(lines[2].chars().count(), lines[1].chars().count(), "caret under `==`");
        let e = syntax(&"x".repeat(10_000), 0, 10_000, "too long");
        assert!(e.message.len() < 300 && e.message.ends_with(&format!("{}…\n  {}", "x".repeat(40), "^".repeat(80))));
    }
}
