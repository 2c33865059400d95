//! The built-in segments' row conditions as rule ASTs ([`Expr`]), so the one SQL writer (`segments::sql`) prints
//! them in every dialect: identifier quoting, typed date literals and float32 casts are its job, not the
//! built-ins'.

use crate::error::Result;
use crate::ingest::Dataset;
use crate::segments::calendar::NANOS_PER_DAY;
use crate::segments::lexer::{CmpOp, Number};
use crate::segments::parser::{flatten, Expr, Literal, Predicate, Test, Value};
use crate::segments::sql::SqlCondition;

/// A column of the dataset a condition tests: its name and schema index.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    name: String,
    index: usize,
}

impl Col {
    /// The column `name` of `dataset` (`UNKNOWN_COLUMN` when it has none).
    pub fn of(dataset: &Dataset, name: &str) -> Result<Col> {
        Ok(Col { name: name.to_string(), index: dataset.column_index(name)? })
    }

    fn pred(&self, test: Test, negated: bool) -> Expr {
        Expr::Pred(Predicate {
            column: self.name.clone(),
            column_span: (0, 0),
            column_index: self.index,
            funcs: Vec::new(),
            test,
            negated,
            span: (0, 0),
        })
    }

    /// `column op value`.
    pub fn cmp(&self, op: CmpOp, value: Value) -> Expr {
        self.pred(Test::Cmp(op, Literal { value, span: (0, 0) }), false)
    }

    /// `column IS NULL`.
    pub fn is_null(&self) -> Expr {
        self.pred(Test::IsNull, false)
    }

    /// `column IS NOT NULL`.
    pub fn is_not_null(&self) -> Expr {
        self.pred(Test::IsNull, true)
    }
}

/// All of `items`, flattened (an AST never has an `AND` directly inside an `AND`).
pub(crate) fn and(items: Vec<Expr>) -> Expr {
    flatten(items, true)
}

/// Any of `items`, flattened.
pub(crate) fn or(items: Vec<Expr>) -> Expr {
    flatten(items, false)
}

/// A whole number.
pub(crate) fn count(n: u32) -> Value {
    Value::Number(Number { mantissa: i128::from(n), scale: 0 })
}

/// A finite number exactly as its shortest round-trip decimal text (`180`, `0.5`). Beyond ±1.7e38 (no day count or
/// order count of real data) it saturates at the largest literal the rule language holds.
pub(crate) fn number(x: f64) -> Value {
    let text = super::sql_number(x);
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mantissa = format!("{int}{frac}").parse::<i128>().unwrap_or(if x < 0.0 { i128::MIN } else { i128::MAX });
    Value::Number(Number { mantissa, scale: frac.len() as u32 })
}

/// A point in time given as days since 1970-01-01 (fractions from timestamp columns), to the microsecond as
/// `format_days` shows it: a date when it is midnight, else an instant.
pub(crate) fn day_point(days: f64) -> Value {
    let whole = days.floor();
    let micros = ((days - whole) * 86_400_000_000.0).round() as i128;
    match micros {
        0 => Value::Date(whole as i32),
        m if m >= 86_400_000_000 => Value::Date(whole as i32 + 1),
        m => Value::Timestamp(whole as i128 * NANOS_PER_DAY + m * 1000),
    }
}

/// `expr` over `dataset`'s columns, ready to print in any dialect.
pub(crate) fn condition(dataset: &Dataset, expr: Expr) -> SqlCondition {
    SqlCondition::new(expr, dataset.schema().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        let text = |v: Value| match v {
            Value::Number(n) => n.to_text(),
            other => format!("{other:?}"),
        };
        assert_eq!(text(number(180.0)), "180");
        assert_eq!(text(number(0.5)), "0.5");
        assert_eq!(text(number(-2.25)), "-2.25");
        assert_eq!(text(count(5)), "5");
    }

    #[test]
    fn day_points_are_dates_at_midnight() {
        assert_eq!(day_point(19_000.0), Value::Date(19_000));
        assert_eq!(day_point(19_000.5), Value::Timestamp(19_000 * NANOS_PER_DAY + NANOS_PER_DAY / 2));
        assert_eq!(day_point(19_000.999_999_999_999), Value::Date(19_001));
    }
}
