//! The rule language's tokens for editors: what each piece of a rule is (column, keyword, string, …) and where it
//! is, even when the rule does not lex. Built on [`lexer::lex`](super::lexer::lex), so any token the lexer learns
//! shows up here with no second copy of the vocabulary.
//!
//! Spans are UTF-8 byte offsets in the rule text, like every span the core reports; [`utf16_index`] and
//! [`byte_offset`] convert for JavaScript, whose strings index UTF-16 code units.

use serde::Serialize;

use super::lexer::{lex, Tok};
use super::parser::is_keyword;

/// What a token is, as an editor colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// A bare column name.
    Column,
    /// A `"double quoted"` column name.
    QuotedColumn,
    /// A keyword (`AND`, `IN`, `TRUE`, `TODAY`, …: the parser's [`KEYWORDS`](super::parser::KEYWORDS)).
    Keyword,
    /// A `'single quoted'` string.
    String,
    /// A number.
    Number,
    /// A date `2026-08-03`.
    Date,
    /// A timestamp `2026-08-03T12:00:00Z`.
    Timestamp,
    /// A relative date `-90d`.
    RelativeDate,
    /// A comparison operator (`=`, `!=`, `<`, …).
    Operator,
    /// `(`, `)`, `,` or `.` (in `orders."Total"`).
    Punctuation,
    /// Text the lexer rejects (an unterminated string, a stray character, a bad date), up to where the lexer
    /// could carry on.
    Error,
}

/// One token of a rule: its kind and byte span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleToken {
    /// What it is.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// The kind of a lexer token (`None` for the end marker).
fn kind_of(tok: &Tok) -> Option<TokenKind> {
    Some(match tok {
        Tok::Word(w) if is_keyword(w) => TokenKind::Keyword,
        Tok::Word(_) => TokenKind::Column,
        Tok::QuotedIdent(_) => TokenKind::QuotedColumn,
        Tok::Str(_) => TokenKind::String,
        Tok::Number(_) => TokenKind::Number,
        Tok::Date(_) => TokenKind::Date,
        Tok::Timestamp(_) => TokenKind::Timestamp,
        Tok::Relative(..) => TokenKind::RelativeDate,
        Tok::Op(_) => TokenKind::Operator,
        Tok::LParen | Tok::RParen | Tok::Comma | Tok::Dot => TokenKind::Punctuation,
        Tok::Eof => return None,
    })
}

/// Every token of `text`, never failing: where the lexer stops with an error, the error's span becomes an
/// [`TokenKind::Error`] token and lexing resumes after it.
pub fn tokenize(text: &str) -> Vec<RuleToken> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        match lex(rest) {
            Ok(tokens) => {
                out.extend(tokens.iter().filter_map(|t| {
                    kind_of(&t.tok).map(|kind| RuleToken { kind, start: from + t.start, end: from + t.end })
                }));
                break;
            }
            Err(err) => {
                let (start, end) = err.span.unwrap_or((0, rest.len()));
                // The tokens before the error lex on their own: the lexer reads left to right.
                if let Ok(tokens) = lex(&rest[..start]) {
                    out.extend(tokens.iter().filter_map(|t| {
                        kind_of(&t.tok).map(|kind| RuleToken { kind, start: from + t.start, end: from + t.end })
                    }));
                }
                let end = next_boundary(rest, end.max(start + 1));
                out.push(RuleToken { kind: TokenKind::Error, start: from + start, end: from + end });
                from += end;
            }
        }
    }
    out
}

/// The first char boundary of `text` at or after `at` (clamped to its length).
fn next_boundary(text: &str, at: usize) -> usize {
    (at..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len())
}

/// The UTF-16 index of byte offset `byte` in `text` (JS `String` positions); offsets inside a character or past
/// the end map to the next character boundary.
pub fn utf16_index(text: &str, byte: usize) -> usize {
    let byte = next_boundary(text, byte.min(text.len()));
    text[..byte].encode_utf16().count()
}

/// The byte offset of UTF-16 index `index` in `text`; an index inside a surrogate pair or past the end maps to
/// the next character boundary.
pub fn byte_offset(text: &str, index: usize) -> usize {
    let mut units = 0;
    for (byte, ch) in text.char_indices() {
        if units >= index {
            return byte;
        }
        units += ch.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).into_iter().map(|t| (t.kind, &text[t.start..t.end])).collect()
    }

    #[test]
    fn link_aggregates_tokenize() {
        use TokenKind::*;
        assert_eq!(
            kinds("SUM(orders.\"Total\") > 1"),
            vec![
                (Column, "SUM"),
                (Punctuation, "("),
                (Column, "orders"),
                (Punctuation, "."),
                (QuotedColumn, "\"Total\""),
                (Punctuation, ")"),
                (Operator, ">"),
                (Number, "1"),
            ]
        );
    }

    #[test]
    fn every_kind_with_its_span() {
        use TokenKind::*;
        assert_eq!(
            kinds("(\"Default City\" = 'Oulu' OR is_vip) AND d >= -90d AND t < 2026-01-02T00:00Z AND x IN (1.5, 2026-01-01)"),
            vec![
                (Punctuation, "("),
                (QuotedColumn, "\"Default City\""),
                (Operator, "="),
                (String, "'Oulu'"),
                (Keyword, "OR"),
                (Column, "is_vip"),
                (Punctuation, ")"),
                (Keyword, "AND"),
                (Column, "d"),
                (Operator, ">="),
                (RelativeDate, "-90d"),
                (Keyword, "AND"),
                (Column, "t"),
                (Operator, "<"),
                (Timestamp, "2026-01-02T00:00Z"),
                (Keyword, "AND"),
                (Column, "x"),
                (Keyword, "IN"),
                (Punctuation, "("),
                (Number, "1.5"),
                (Punctuation, ","),
                (Date, "2026-01-01"),
                (Punctuation, ")"),
            ]
        );
    }

    #[test]
    fn errors_become_tokens_and_lexing_resumes() {
        use TokenKind::*;
        assert_eq!(kinds("a = 'open"), vec![(Column, "a"), (Operator, "="), (Error, "'open")]);
        assert_eq!(kinds("\"Default Addr"), vec![(Error, "\"Default Addr")]);
        assert_eq!(kinds("a ! b"), vec![(Column, "a"), (Error, "!"), (Column, "b")]);
        assert_eq!(kinds("ä = 1"), vec![(Error, "ä"), (Operator, "="), (Number, "1")]);
        assert_eq!(
            kinds("d = 2026-02-30 OR x"),
            vec![(Column, "d"), (Operator, "="), (Error, "2026-02-30"), (Keyword, "OR"), (Column, "x")]
        );
        assert!(tokenize("").is_empty());
    }

    #[test]
    fn utf16_and_byte_offsets_round_trip() {
        let text = "\"Kävijä 😀\" = 'x'";
        for (byte, _) in text.char_indices() {
            assert_eq!(byte_offset(text, utf16_index(text, byte)), byte);
        }
        assert_eq!(utf16_index(text, text.len()), text.encode_utf16().count());
        assert_eq!(utf16_index(text, 2), 2); // `ä` starts at byte 2
        assert_eq!(utf16_index(text, 3), 3); // inside `ä`: the next boundary, byte 4, is index 3
        assert_eq!(byte_offset(text, 99), text.len());
    }
}
