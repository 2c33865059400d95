//! Canonical rule text: keywords upper-case, strings single-quoted, identifiers quoted only when needed,
//! numbers in plain decimal form, timestamps in UTC with `Z`, relative dates kept as written (`-90d`,
//! `TODAY`) so a saved rule stays relative, and only the parentheses precedence requires.

use super::calendar::{format_date, format_timestamp};
use super::parser::{Expr, HasMode, LinkPred, Literal, Predicate, Test, Value};
use super::resolve::ident;
use super::sql::Dialect;

/// Precedence levels: OR < AND < NOT < predicate.
pub(crate) fn level(e: &Expr) -> u8 {
    match e {
        Expr::Or(_) => 1,
        Expr::And(_) => 2,
        Expr::Not(_) => 3,
        Expr::Pred(_) | Expr::Link(_) => 4,
    }
}

/// The canonical text of an expression.
pub fn canonical(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(expr, &mut out);
    out
}

fn write_child(e: &Expr, min_level: u8, out: &mut String) {
    if level(e) < min_level {
        out.push('(');
        write_expr(e, out);
        out.push(')');
    } else {
        write_expr(e, out);
    }
}

fn write_expr(e: &Expr, out: &mut String) {
    match e {
        Expr::Or(items) | Expr::And(items) => {
            let (sep, min) = if matches!(e, Expr::Or(_)) { (" OR ", 2) } else { (" AND ", 3) };
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                write_child(item, min, out);
            }
        }
        Expr::Not(inner) => {
            out.push_str("NOT ");
            write_child(inner, 3, out);
        }
        Expr::Pred(p) => write_pred(p, out),
        Expr::Link(l) => write_link(l, out),
    }
}

/// `COUNT(orders WHERE …) >= 2`: the link name bare, the filter in canonical text.
fn write_link(l: &LinkPred, out: &mut String) {
    out.push_str(l.func.name());
    out.push('(');
    out.push_str(&l.link);
    if let Some((column, _)) = &l.column {
        out.push('.');
        out.push_str(&ident(column));
    }
    if let Some(filter) = &l.filter {
        out.push_str(" WHERE ");
        write_expr(filter, out);
    }
    out.push(')');
    if let Some((op, value)) = &l.cmp {
        out.push_str(&format!(" {} {}", op.as_str(), literal(value)));
    }
}

/// A literal as canonical text.
pub fn literal(l: &Literal) -> String {
    match &l.value {
        Value::Number(n) => n.to_text(),
        // Rule text quotes strings as standard SQL does.
        Value::Str(s) => Dialect::DuckDb.string(s),
        Value::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        Value::Date(d) => format_date(*d),
        Value::Timestamp(t) => format!("{}Z", format_timestamp(*t, 'T')),
        Value::Relative(n, u) => format!("-{n}{}", u.letter()),
        Value::Today => "TODAY".to_string(),
    }
}

/// The column with its text functions: `lower(trim(city))`.
pub(crate) fn operand(p: &Predicate, column: String) -> String {
    p.funcs.iter().fold(column, |inner, f| format!("{}({inner})", f.name()))
}

fn write_pred(p: &Predicate, out: &mut String) {
    let col = operand(p, ident(&p.column));
    let not = if p.negated { "NOT " } else { "" };
    let s = match &p.test {
        Test::Truthy => col,
        Test::Cmp(op, l) => format!("{col} {} {}", op.as_str(), literal(l)),
        Test::Between(a, b) => format!("{col} {not}BETWEEN {} AND {}", literal(a), literal(b)),
        Test::In(items) => {
            format!("{col} {not}IN ({})", items.iter().map(literal).collect::<Vec<_>>().join(", "))
        }
        Test::IsNull => format!("{col} IS {not}NULL"),
        Test::Contains(l) => format!("{col} {not}CONTAINS {}", literal(l)),
        Test::StartsWith(l) => format!("{col} {not}STARTS WITH {}", literal(l)),
        Test::EndsWith(l) => format!("{col} {not}ENDS WITH {}", literal(l)),
        Test::Like { pattern, escape, case_insensitive } => {
            let op = if *case_insensitive { "ILIKE" } else { "LIKE" };
            let escape = escape.as_ref().map(|e| format!(" ESCAPE {}", literal(e))).unwrap_or_default();
            format!("{col} {not}{op} {}{escape}", literal(pattern))
        }
        Test::Has(mode, items) => {
            let list = || items.iter().map(literal).collect::<Vec<_>>().join(", ");
            match mode {
                HasMode::One => format!("{col} {not}HAS {}", items.first().map(literal).unwrap_or_default()),
                HasMode::Any => format!("{col} {not}HAS ANY ({})", list()),
                HasMode::All => format!("{col} {not}HAS ALL ({})", list()),
            }
        }
    };
    out.push_str(&s);
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse;
    use super::*;

    #[test]
    fn minimal_parentheses() {
        let c = |s: &str| canonical(&parse(s).unwrap());
        assert_eq!(c("a = 1 and (b = 2 or c = 3)"), "a = 1 AND (b = 2 OR c = 3)");
        assert_eq!(c("(a = 1 and b = 2) or c = 3"), "a = 1 AND b = 2 OR c = 3");
        assert_eq!(c("not (a = 1 or flag)"), "NOT (a = 1 OR flag)");
        assert_eq!(c("((a = 1))"), "a = 1");
        assert_eq!(
            c("\"order\" in ('it''s', 'x') and \"a b\" is not null"),
            "order IN ('it''s', 'x') AND \"a b\" IS NOT NULL"
        );
        assert_eq!(
            c("d >= -90D and t < 2026-08-03t12:00:00+02:00 or x = 003.50"),
            "d >= -90d AND t < 2026-08-03T10:00:00Z OR x = 3.5"
        );
        assert_eq!(
            c("s not starts with 'a' and s ends with 'b' and d = today"),
            "s NOT STARTS WITH 'a' AND s ENDS WITH 'b' AND d = TODAY"
        );
        assert_eq!(
            c("LOWER( trim(city)) = upper('x') and c not ilike '%a!%' escape '!' or t has any ('vip','Gold')"),
            "lower(trim(city)) = 'X' AND c NOT ILIKE '%a!%' ESCAPE '!' OR t HAS ANY ('vip', 'Gold')"
        );
        assert_eq!(c("t not has 'a' and t has all ('b')"), "t NOT HAS 'a' AND t HAS ALL ('b')");
    }
}
