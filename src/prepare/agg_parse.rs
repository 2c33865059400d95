//! The value expressions of `aggregate`: `count()`, `sum(Total)`, `count_if("Financial Status" = 'paid')`,
//! `sum_if(Total, Country = 'FI')`, … Parsed with the rule language's lexer, so column quoting, strings and error
//! messages (a span and a caret excerpt) are the same as in rules; rule arguments are left as text for
//! [`crate::segments::Rule::parse`], whose errors are moved back into the whole expression's coordinates.

use crate::error::Error;
use crate::messages::{nested, Message};
use crate::segments::diag::{rule_error, syntax_message};
use crate::segments::lexer::{lex, Tok, Token};
use crate::Result;

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFunc {
    /// `count()` rows, or `count(col)` non-null values.
    Count,
    /// `count_distinct(col)`: distinct non-null values.
    CountDistinct,
    /// `sum(col)`.
    Sum,
    /// `mean(col)` (also `avg`).
    Mean,
    /// `min(col)`.
    Min,
    /// `max(col)`.
    Max,
    /// `count_if(rule)`: rows where the rule is TRUE.
    CountIf,
    /// `sum_if(col, rule)`: the sum over rows where the rule is TRUE.
    SumIf,
    /// `any(rule)`: some row has the rule TRUE.
    Any,
    /// `all(rule)`: every row has the rule TRUE.
    All,
    /// `first(col)`: the first non-null value in row order.
    First,
    /// `last(col)`: the last non-null value in row order.
    Last,
}

impl AggFunc {
    /// The function's name as written.
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::Count => "count",
            AggFunc::CountDistinct => "count_distinct",
            AggFunc::Sum => "sum",
            AggFunc::Mean => "mean",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
            AggFunc::CountIf => "count_if",
            AggFunc::SumIf => "sum_if",
            AggFunc::Any => "any",
            AggFunc::All => "all",
            AggFunc::First => "first",
            AggFunc::Last => "last",
        }
    }

    /// Whether the result counts rows (0, not null, for a customer without any: the join's default fill).
    pub fn is_count_like(self) -> bool {
        matches!(self, AggFunc::Count | AggFunc::CountDistinct | AggFunc::CountIf)
    }

    fn parse(word: &str) -> Option<AggFunc> {
        Some(match word.to_ascii_lowercase().as_str() {
            "count" => AggFunc::Count,
            "count_distinct" => AggFunc::CountDistinct,
            "sum" => AggFunc::Sum,
            "mean" | "avg" => AggFunc::Mean,
            "min" => AggFunc::Min,
            "max" => AggFunc::Max,
            "count_if" => AggFunc::CountIf,
            "sum_if" => AggFunc::SumIf,
            "any" => AggFunc::Any,
            "all" => AggFunc::All,
            "first" => AggFunc::First,
            "last" => AggFunc::Last,
            _ => return None,
        })
    }
}

const FUNCTIONS: &str = "count, count_distinct, sum, mean, min, max, count_if, sum_if, any, all, first, last";

/// A column argument as written, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnArg {
    /// The column name (quotes removed).
    pub name: String,
    /// Byte span in the expression.
    pub span: (usize, usize),
}

/// A parsed value expression.
#[derive(Debug, Clone, PartialEq)]
pub struct AggExpr {
    /// The function.
    pub func: AggFunc,
    /// The column argument (none for `count()`, `count_if`, `any`, `all`).
    pub column: Option<ColumnArg>,
    /// The rule argument's byte span in the expression (for `count_if`, `sum_if`, `any`, `all`).
    pub rule: Option<(usize, usize)>,
}

/// Parse one value expression.
pub fn parse(text: &str) -> Result<AggExpr> {
    let tokens = lex(text)?;
    let describe = |t: &Token| match t.tok {
        Tok::Eof => nested("agg_end", &[]),
        _ => format!("`{}`", &text[t.start..t.end]),
    };
    let head = &tokens[0];
    let Tok::Word(word) = &head.tok else {
        let message = Message::new("agg_expected_function", [describe(head), FUNCTIONS.to_string()]);
        return Err(syntax_message(text, head.start, head.end, message));
    };
    let func = AggFunc::parse(word).ok_or_else(|| {
        let message = match crate::error::closest_name(word, FUNCTIONS.split(", ")) {
            Some(c) => Message::new("agg_unknown_suggest", [word.as_str(), c]),
            None => Message::new("agg_unknown_list", [word.as_str(), FUNCTIONS]),
        };
        syntax_message(text, head.start, head.end, message)
    })?;
    let open = &tokens[1];
    if open.tok != Tok::LParen {
        let message = Message::new("agg_expected_open", [func.name().to_string(), describe(open)]);
        return Err(syntax_message(text, open.start, open.end, message));
    }
    let close = matching_paren(text, &tokens)?;
    let after = &tokens[close + 1];
    if after.tok != Tok::Eof {
        let message = Message::new("agg_after_close", [describe(after)]);
        return Err(syntax_message(text, after.start, after.end, message));
    }
    let inner = &tokens[2..close];
    let args_span = (open.end, tokens[close].start);
    let call_span = (head.start, tokens[close].end);
    let mut expr = AggExpr { func, column: None, rule: None };
    match func {
        AggFunc::Count if inner.is_empty() => {}
        AggFunc::CountIf | AggFunc::Any | AggFunc::All => {
            expr.rule = Some(rule_span(text, inner, args_span, func)?);
        }
        AggFunc::SumIf => {
            let (column, rest) = column_arg(text, inner, args_span, func)?;
            match rest.first() {
                Some(Token { tok: Tok::Comma, end, .. }) if rest.len() > 1 => {
                    expr.rule = Some(rule_span(text, &rest[1..], (*end, args_span.1), func)?);
                }
                _ => {
                    let at = rest.first().map_or((args_span.1, args_span.1), |t| (t.start, t.end));
                    return Err(syntax_message(text, at.0, at.1, Message::plain("agg_sum_if_args")));
                }
            }
            expr.column = Some(column);
        }
        _ => {
            let (column, rest) = column_arg(text, inner, args_span, func)?;
            if let Some(extra) = rest.first() {
                let message = Message::new("agg_one_column", [func.name()]);
                return Err(syntax_message(text, extra.start, call_span.1, message));
            }
            expr.column = Some(column);
        }
    }
    Ok(expr)
}

/// Index of the `)` closing the `(` at token 1.
fn matching_paren(text: &str, tokens: &[Token]) -> Result<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(1) {
        match t.tok {
            Tok::LParen => depth += 1,
            Tok::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => {}
        }
    }
    Err(syntax_message(text, tokens[1].start, text.len(), Message::plain("agg_missing_close")))
}

fn column_arg<'t>(
    text: &str,
    inner: &'t [Token],
    args_span: (usize, usize),
    func: AggFunc,
) -> Result<(ColumnArg, &'t [Token])> {
    match inner.first() {
        Some(Token { tok: Tok::Word(name) | Tok::QuotedIdent(name), start, end }) => {
            Ok((ColumnArg { name: name.clone(), span: (*start, *end) }, &inner[1..]))
        }
        other => {
            let (s, e) = other.map_or(args_span, |t| (t.start, t.end));
            Err(syntax_message(text, s, e, Message::new("agg_needs_column", [func.name()])))
        }
    }
}

fn rule_span(text: &str, inner: &[Token], args_span: (usize, usize), func: AggFunc) -> Result<(usize, usize)> {
    match (inner.first(), inner.last()) {
        (Some(first), Some(last)) => Ok((first.start, last.end)),
        _ => Err(syntax_message(text, args_span.0, args_span.1, Message::new("agg_needs_rule", [func.name()]))),
    }
}

/// Move an error about the rule `text[span]` into the coordinates (and caret excerpt) of the whole `text`.
/// The catalogued message id stays, so the shifted error is localizable as the rule's was.
pub fn shift_rule_error(err: Error, text: &str, span: (usize, usize)) -> Error {
    let Some((s, e)) = err.span else { return err };
    let headline = err.message.lines().next().unwrap_or_default().to_string();
    let mut shifted = rule_error(err.code, text, span.0 + s, span.0 + e, headline);
    shifted.subject = err.subject;
    shifted.message_id = err.message_id;
    shifted
}

/// An `UNKNOWN_COLUMN`/`TYPE_MISMATCH` style error about a column argument, with its span; `error`'s headline
/// (and its catalogued message id, so it stays localizable) in front of the expression's excerpt.
pub fn column_error(error: Error, text: &str, column: &ColumnArg) -> Error {
    let headline = error.message.lines().next().unwrap_or_default().to_string();
    let mut e = rule_error(error.code, text, column.span.0, column.span.1, headline).with_subject(column.name.clone());
    e.message_id = error.message_id;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let e = parse("count_distinct(Name)").unwrap();
        assert_eq!(e.func, AggFunc::CountDistinct);
        assert_eq!(e.column.unwrap().name, "Name");
        let text = "sum_if(Total, \"Financial Status\" IN ('paid', 'x'))";
        let e = parse(text).unwrap();
        let (s, end) = e.rule.unwrap();
        assert_eq!(&text[s..end], "\"Financial Status\" IN ('paid', 'x')");
        assert_eq!(parse("count()").unwrap().column, None);
        assert_eq!(parse("any(a = 'x)')").unwrap().func, AggFunc::Any);
    }

    #[test]
    fn errors_point_at_the_fault() {
        let err = parse("summ(Total)").unwrap_err();
        assert_eq!(err.span, Some((0, 4)));
        assert!(err.message.contains("did you mean `sum`"), "{}", err.message);
        let err = parse("sum(Total").unwrap_err();
        assert_eq!(err.code, crate::error::ErrorCode::RuleSyntax);
        let err = parse("sum(Lineitem price)").unwrap_err();
        assert_eq!(err.span, Some((13, 19)));
        let err = parse("count_if()").unwrap_err();
        assert!(err.message.contains("needs a rule"));
    }

    /// The catalogued headline is translated; the span and the caret excerpt after it stay.
    #[test]
    fn errors_are_localizable() {
        use crate::messages::Lang;
        let en = parse("summ(Total)").unwrap_err();
        let fi = en.clone().localized(Lang::Fi);
        let (en_head, excerpt) = en.message.split_once('\n').unwrap();
        assert_eq!(en_head, "unknown aggregate `summ`; did you mean `sum`?");
        assert_eq!(fi.message, format!("tuntematon koostefunktio `summ`; tarkoititko `sum`?\n{excerpt}"));
        assert_eq!(fi.span, en.span);
        let fi = parse("sum(Total) x").unwrap_err().localized(Lang::Fi);
        assert!(fi.message.starts_with("odottamaton `x` loppusulkeen `)` jälkeen\n"), "{}", fi.message);
        let fi = parse("").unwrap_err().localized(Lang::Fi);
        assert!(
            fi.message.starts_with("odotettiin koostefunktiota, kuten sum(Total), löytyi lausekkeen loppu;"),
            "{}",
            fi.message
        );
    }
}
