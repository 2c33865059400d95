//! Tokens of the rule language, each with its byte span in the rule text.

use super::calendar::{self, NANOS_PER_DAY};
use super::diag::{syntax, syntax_message};
use crate::error::Result;
use crate::messages::Message;

/// Comparison operators (with the float predicates that use them in segmetry-kernels, compiled for speed).
pub use segmetry_kernels::CmpOp;

/// Units of relative dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelUnit {
    /// `d`
    Day,
    /// `w` (7 days)
    Week,
    /// `m` (calendar months, clamped to the month end)
    Month,
    /// `y` (calendar years, 29 February clamped to 28)
    Year,
}

impl RelUnit {
    /// The unit letter.
    pub fn letter(self) -> char {
        match self {
            RelUnit::Day => 'd',
            RelUnit::Week => 'w',
            RelUnit::Month => 'm',
            RelUnit::Year => 'y',
        }
    }
}

/// An exact decimal number literal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    /// Signed digits.
    pub mantissa: i128,
    /// Digits after the decimal point (trailing zeros removed).
    pub scale: u32,
}

impl Number {
    /// Plain decimal text, without exponent: `-12.5`, `0`, `9007199254740993`.
    pub fn to_text(&self) -> String {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        format!("{sign}{int}.{frac}")
    }
}

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A bare word: a column name or a keyword (decided by the parser, case-insensitively).
    Word(String),
    /// A `"double quoted"` column name (`""` escapes a quote).
    QuotedIdent(String),
    /// A `'single quoted'` string (`''` escapes a quote).
    Str(String),
    /// A number.
    Number(Number),
    /// A date `2026-08-03`, as days since 1970-01-01.
    Date(i32),
    /// A timestamp `2026-08-03T12:00:00Z`, as nanoseconds since the epoch (UTC).
    Timestamp(i128),
    /// A relative date `-90d`: how many units back.
    Relative(i64, RelUnit),
    /// A comparison operator.
    Op(CmpOp),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `.` (between a link and its column: `orders."Total"`)
    Dot,
    /// End of the rule.
    Eof,
}

/// A token and its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Split a rule into tokens (ending with [`Tok::Eof`]).
pub fn lex(text: &str) -> Result<Vec<Token>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'.' => {
                i += 1;
                Tok::Dot
            }
            b'=' => {
                i += if b.get(i + 1) == Some(&b'=') { 2 } else { 1 };
                Tok::Op(CmpOp::Eq)
            }
            b'!' => {
                if b.get(i + 1) == Some(&b'=') {
                    i += 2;
                    Tok::Op(CmpOp::Ne)
                } else {
                    return Err(syntax(
                        text,
                        i,
                        i + 1,
                        "unexpected `!`; write `!=` for \"not equal\" or `NOT` before a condition",
                    ));
                }
            }
            b'<' => match b.get(i + 1) {
                Some(b'=') => {
                    i += 2;
                    Tok::Op(CmpOp::Le)
                }
                Some(b'>') => {
                    i += 2;
                    Tok::Op(CmpOp::Ne)
                }
                _ => {
                    i += 1;
                    Tok::Op(CmpOp::Lt)
                }
            },
            b'>' => {
                if b.get(i + 1) == Some(&b'=') {
                    i += 2;
                    Tok::Op(CmpOp::Ge)
                } else {
                    i += 1;
                    Tok::Op(CmpOp::Gt)
                }
            }
            b'\'' | b'"' => {
                let (value, next) = quoted(text, i, c)?;
                i = next;
                if c == b'\'' {
                    Tok::Str(value)
                } else {
                    if value.is_empty() {
                        return Err(syntax(text, start, i, "empty column name `\"\"`"));
                    }
                    Tok::QuotedIdent(value)
                }
            }
            b'-' | b'0'..=b'9' => {
                let (tok, next) = number_like(text, i)?;
                i = next;
                tok
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                Tok::Word(text[start..i].to_string())
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                let end = i + ch.len_utf8();
                let hint = if ch.is_alphabetic() {
                    format!("unexpected `{ch}`; put column names with such characters in double quotes, e.g. \"{ch}…\"")
                } else {
                    format!("unexpected `{ch}`")
                };
                return Err(syntax(text, i, end, hint));
            }
        };
        out.push(Token { tok, start, end: i });
    }
    out.push(Token { tok: Tok::Eof, start: b.len(), end: b.len() });
    Ok(out)
}

fn quoted(text: &str, start: usize, q: u8) -> Result<(String, usize)> {
    let b = text.as_bytes();
    let mut i = start + 1;
    let mut value = String::new();
    let mut seg = i;
    loop {
        match b.get(i) {
            None => {
                let key = if q == b'\'' { "unterminated_string" } else { "unterminated_name" };
                return Err(syntax_message(text, start, b.len(), Message::plain(key)));
            }
            Some(&c) if c == q => {
                value.push_str(&text[seg..i]);
                if b.get(i + 1) == Some(&q) {
                    value.push(q as char);
                    i += 2;
                    seg = i;
                } else {
                    return Ok((value, i + 1));
                }
            }
            Some(_) => i += 1,
        }
    }
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn number_like(text: &str, start: usize) -> Result<(Tok, usize)> {
    let b = text.as_bytes();
    let negative = b[start] == b'-';
    let int_start = if negative { start + 1 } else { start };
    let int_end = digits_end(b, int_start);
    if int_end == int_start {
        return Err(syntax(
            text,
            start,
            start + 1,
            "unexpected `-`; write negative numbers like -5 and relative dates like -90d",
        ));
    }
    let ident = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    // Relative date: -90d, -12w, -6m, -1y.
    if negative {
        if let Some(unit) = b.get(int_end).and_then(|c| match c.to_ascii_lowercase() {
            b'd' => Some(RelUnit::Day),
            b'w' => Some(RelUnit::Week),
            b'm' => Some(RelUnit::Month),
            b'y' => Some(RelUnit::Year),
            _ => None,
        }) {
            if !ident(int_end + 1) {
                let amount: i64 = text[int_start..int_end]
                    .parse()
                    .ok()
                    .filter(|n| *n <= 10_000_000)
                    .ok_or_else(|| syntax(text, start, int_end + 1, "relative date too far back"))?;
                return Ok((Tok::Relative(amount, unit), int_end + 1));
            }
        }
    }
    // Date or timestamp: 2026-08-03[T12:00[:00[.fff]][Z|+hh:mm]]
    if !negative && int_end - int_start == 4 && b.get(int_end) == Some(&b'-') {
        return date_like(text, start);
    }
    let mut end = int_end;
    let mut frac = "";
    if b.get(end) == Some(&b'.') {
        let frac_end = digits_end(b, end + 1);
        if frac_end == end + 1 {
            return Err(syntax(text, start, frac_end, "a number needs digits after the decimal point, e.g. 3.5"));
        }
        frac = &text[end + 1..frac_end];
        end = frac_end;
    }
    if ident(end) {
        let word_end = (end..b.len()).find(|&i| !ident(i)).unwrap_or(b.len());
        return Err(syntax(
            text,
            start,
            word_end,
            format!(
                "`{}` is not a number, date or relative date (like -90d); put column names that start with a digit in double quotes",
                &text[start..word_end]
            ),
        ));
    }
    let frac = frac.trim_end_matches('0');
    let int = text[int_start..int_end].trim_start_matches('0');
    let all = format!("{int}{frac}");
    if all.trim_start_matches('0').len() > 38 {
        return Err(syntax(text, start, end, "number has more than 38 significant digits"));
    }
    let magnitude: i128 =
        if all.is_empty() { 0 } else { all.parse().map_err(|_| syntax(text, start, end, "invalid number"))? };
    let mantissa = if negative { -magnitude } else { magnitude };
    let scale = if mantissa == 0 { 0 } else { frac.len() as u32 };
    Ok((Tok::Number(Number { mantissa, scale }), end))
}

fn date_like(text: &str, start: usize) -> Result<(Tok, usize)> {
    let b = text.as_bytes();
    let bad_date = |end: usize| {
        syntax(
            text,
            start,
            end,
            format!("`{}` is not a valid date; write dates as YYYY-MM-DD, e.g. 2026-08-03", &text[start..end]),
        )
    };
    let mut end = start;
    while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'-') {
        end += 1;
    }
    let days = if end - start == 10 { calendar::parse_date(&text[start..end]) } else { None };
    let Some(days) = days else {
        return Err(bad_date(end));
    };
    if !matches!(b.get(end), Some(b'T' | b't')) {
        if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b':') {
            return Err(bad_date(end + 1));
        }
        return Ok((Tok::Date(days), end));
    }
    // Timestamp.
    let mut i = end + 1;
    let bad_ts = |e: usize| {
        syntax(
            text,
            start,
            e.min(b.len()),
            "invalid timestamp; write timestamps as 2026-08-03T12:00:00Z (seconds, fraction and offset optional)",
        )
    };
    let two = |i: usize| -> Option<i128> {
        let s = text.get(i..i + 2)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let hour = two(i).filter(|h| *h < 24).ok_or_else(|| bad_ts(i + 2))?;
    i += 2;
    if b.get(i) != Some(&b':') {
        return Err(bad_ts(i + 1));
    }
    let minute = two(i + 1).filter(|m| *m < 60).ok_or_else(|| bad_ts(i + 3))?;
    i += 3;
    let mut second = 0;
    let mut nanos: i128 = 0;
    if b.get(i) == Some(&b':') {
        second = two(i + 1).filter(|s| *s < 60).ok_or_else(|| bad_ts(i + 3))?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let fe = digits_end(b, i + 1);
            let digits = &text[i + 1..fe];
            if digits.is_empty() || digits.len() > 9 {
                return Err(bad_ts(fe + 1));
            }
            nanos = format!("{digits:0<9}").parse().map_err(|_| bad_ts(fe))?;
            i = fe;
        }
    }
    let mut offset_secs: i128 = 0;
    match b.get(i) {
        Some(b'Z' | b'z') => i += 1,
        Some(&sign @ (b'+' | b'-')) => {
            let oh = two(i + 1).filter(|h| *h <= 23).ok_or_else(|| bad_ts(i + 3))?;
            i += 3;
            let mut om = 0;
            if b.get(i) == Some(&b':') {
                om = two(i + 1).filter(|m| *m < 60).ok_or_else(|| bad_ts(i + 3))?;
                i += 3;
            } else if let Some(m) = two(i) {
                om = m;
                i += 2;
            }
            let off = oh * 3600 + om * 60;
            offset_secs = if sign == b'+' { off } else { -off };
        }
        _ => {}
    }
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b':' || *c == b'.') {
        return Err(bad_ts(i + 1));
    }
    let secs = hour * 3600 + minute * 60 + second - offset_secs;
    let ns = i128::from(days) * NANOS_PER_DAY + secs * 1_000_000_000 + nanos;
    Ok((Tok::Timestamp(ns), i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn lexes_literals() {
        assert_eq!(
            toks("a >= -12.50 AND \"b c\" = 'it''s'"),
            vec![
                Tok::Word("a".into()),
                Tok::Op(CmpOp::Ge),
                Tok::Number(Number { mantissa: -125, scale: 1 }),
                Tok::Word("AND".into()),
                Tok::QuotedIdent("b c".into()),
                Tok::Op(CmpOp::Eq),
                Tok::Str("it's".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("-90d")[0], Tok::Relative(90, RelUnit::Day));
        assert_eq!(toks("-6M")[0], Tok::Relative(6, RelUnit::Month));
        assert_eq!(toks("1970-01-02")[0], Tok::Date(1));
        assert_eq!(toks("1970-01-01T00:00:01.5Z")[0], Tok::Timestamp(1_500_000_000));
        assert_eq!(toks("1970-01-01T02:00+02:00")[0], Tok::Timestamp(0));
        assert_eq!(toks("007")[0], Tok::Number(Number { mantissa: 7, scale: 0 }));
        assert_eq!(Number { mantissa: -5, scale: 3 }.to_text(), "-0.005");
        assert_eq!(Number { mantissa: 9007199254740993, scale: 0 }.to_text(), "9007199254740993");
    }

    #[test]
    fn reports_bad_tokens_with_spans() {
        let e = lex("d > 2026-02-30").unwrap_err();
        assert_eq!(e.span, Some((4, 14)));
        let e = lex("name = 'abc").unwrap_err();
        assert_eq!(e.span, Some((7, 11)));
        assert!(lex("x = 12abc").is_err());
        assert!(lex("x = 2026-08-03T25:00").is_err());
        assert!(lex("x = 1.").is_err());
        assert!(lex("x = 123456789012345678901234567890123456789").is_err());
    }
}
