//! A deliberately naive, row-by-row evaluator of segment rules, written from `docs/segments.md` alone: SQL
//! three-valued logic per row, exact comparisons in plain integer arithmetic, no columnar kernels, no plan.
//!
//! It walks the *resolved AST* (`Rule::expr()`: column names and indices filled in, literals as written) and
//! reads every cell through arrow's per-row accessors, so it shares nothing with `src/segments/{resolve,eval}`
//! except the calendar helpers for relative dates. Used by `tests/differential_segments.rs` (proptest) and the
//! `rule_eval` fuzz target (`fuzz/fuzz_targets/rule_eval.rs`), both via `#[path]`.
#![allow(dead_code)]

use std::cmp::Ordering;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};

use segmetry::segments::calendar::add_months;
use segmetry::segments::lexer::{CmpOp, Number, RelUnit};
use segmetry::segments::parser::{Expr, Literal, Predicate, Test, Value};

/// Nanoseconds per day.
pub const NANOS_PER_DAY: i128 = 86_400_000_000_000;

/// One cell, as the documentation says each type compares.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    /// Integers (exact).
    Int(i128),
    /// decimal128: unscaled value and scale (value = unscaled · 10^-scale).
    Decimal(i128, i8),
    /// Floats; `true` when the column is float32 (literals round to f32).
    Float(f64, bool),
    Text(String),
    Bool(bool),
    /// date32/date64 as whole days (date64 milliseconds floored to their day).
    Day(i64),
    /// Timestamps as nanoseconds since the epoch (UTC).
    Instant(i128),
}

/// The cell at row `i` of `array` (dictionaries looked through; a key pointing at a null entry is null).
pub fn cell(array: &dyn Array, i: usize) -> Cell {
    if array.is_null(i) {
        return Cell::Null;
    }
    match array.data_type() {
        DataType::Int8 => Cell::Int(array.as_primitive::<Int8Type>().value(i).into()),
        DataType::Int16 => Cell::Int(array.as_primitive::<Int16Type>().value(i).into()),
        DataType::Int32 => Cell::Int(array.as_primitive::<Int32Type>().value(i).into()),
        DataType::Int64 => Cell::Int(array.as_primitive::<Int64Type>().value(i).into()),
        DataType::UInt8 => Cell::Int(array.as_primitive::<UInt8Type>().value(i).into()),
        DataType::UInt16 => Cell::Int(array.as_primitive::<UInt16Type>().value(i).into()),
        DataType::UInt32 => Cell::Int(array.as_primitive::<UInt32Type>().value(i).into()),
        DataType::UInt64 => Cell::Int(array.as_primitive::<UInt64Type>().value(i).into()),
        DataType::Decimal128(_, s) => Cell::Decimal(array.as_primitive::<Decimal128Type>().value(i), *s),
        DataType::Float32 => Cell::Float(array.as_primitive::<Float32Type>().value(i).into(), true),
        DataType::Float64 => Cell::Float(array.as_primitive::<Float64Type>().value(i), false),
        DataType::Boolean => Cell::Bool(array.as_boolean().value(i)),
        DataType::Utf8 => Cell::Text(array.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Cell::Text(array.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Cell::Text(array.as_string_view().value(i).to_string()),
        DataType::Date32 => Cell::Day(array.as_primitive::<Date32Type>().value(i).into()),
        DataType::Date64 => Cell::Day(array.as_primitive::<Date64Type>().value(i).div_euclid(86_400_000)),
        DataType::Timestamp(unit, _) => {
            let (v, per): (i64, i128) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(i), 1_000_000_000),
                TimeUnit::Millisecond => (array.as_primitive::<TimestampMillisecondType>().value(i), 1_000_000),
                TimeUnit::Microsecond => (array.as_primitive::<TimestampMicrosecondType>().value(i), 1_000),
                TimeUnit::Nanosecond => (array.as_primitive::<TimestampNanosecondType>().value(i), 1),
            };
            Cell::Instant(i128::from(v) * per)
        }
        DataType::Dictionary(key, _) => {
            let (values, k): (&dyn Array, usize) = match key.as_ref() {
                DataType::Int8 => dict_key::<Int8Type>(array, i),
                DataType::Int16 => dict_key::<Int16Type>(array, i),
                DataType::Int32 => dict_key::<Int32Type>(array, i),
                DataType::Int64 => dict_key::<Int64Type>(array, i),
                DataType::UInt8 => dict_key::<UInt8Type>(array, i),
                DataType::UInt16 => dict_key::<UInt16Type>(array, i),
                DataType::UInt32 => dict_key::<UInt32Type>(array, i),
                DataType::UInt64 => dict_key::<UInt64Type>(array, i),
                other => panic!("dictionary key {other}"),
            };
            cell(values, k)
        }
        other => panic!("naive evaluator: unsupported type {other}"),
    }
}

fn dict_key<K: ArrowDictionaryKeyType>(array: &dyn Array, i: usize) -> (&dyn Array, usize) {
    let d = array.as_dictionary::<K>();
    let key = d.keys().value(i);
    (d.values().as_ref(), num_traits_usize(key))
}

fn num_traits_usize<T: arrow_buffer::ArrowNativeType>(v: T) -> usize {
    v.as_usize()
}

/// `10^e` if it fits in i128.
fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// Compare the integer `v` with the exact rational `m · 10^e` (any sign of `e`), without rounding.
pub fn cmp_scaled(v: i128, m: i128, e: i64) -> Ordering {
    if e >= 0 {
        match u32::try_from(e).ok().and_then(pow10).and_then(|p| m.checked_mul(p)) {
            Some(x) => v.cmp(&x),
            // |m·10^e| exceeds every i128, so its sign decides (m ≠ 0 here, as 0·p never overflows).
            None => {
                if m > 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
        }
    } else {
        // x = q + f with q = floor(x), 0 ≤ f < 1.
        let (q, frac) = match u32::try_from(-e).ok().and_then(pow10) {
            Some(d) => (m.div_euclid(d), m.rem_euclid(d) != 0),
            // 10^-e > |m|: x lies strictly between -1 and 1 (or is 0).
            None => match m.cmp(&0) {
                Ordering::Equal => (0, false),
                Ordering::Greater => (0, true),
                Ordering::Less => (-1, true),
            },
        };
        match v.cmp(&q) {
            Ordering::Equal if frac => Ordering::Less,
            other => other,
        }
    }
}

/// DuckDB's float order: NaN equals NaN and is above every number; -0 = 0.
fn cmp_float(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap(),
    }
}

/// A relative/absolute date-like literal as days, or an instant in ns.
enum Temporal {
    Day(i64),
    Instant(i128),
}

fn temporal(value: &Value, reference_date: i32) -> Temporal {
    match value {
        Value::Date(d) => Temporal::Day((*d).into()),
        Value::Timestamp(t) => Temporal::Instant(*t),
        Value::Today => Temporal::Day(reference_date.into()),
        Value::Relative(n, unit) => Temporal::Day(match unit {
            RelUnit::Day => i64::from(reference_date) - n,
            RelUnit::Week => i64::from(reference_date) - 7 * n,
            RelUnit::Month => add_months(reference_date, -n).expect("relative month in range").into(),
            RelUnit::Year => add_months(reference_date, -12 * n).expect("relative year in range").into(),
        }),
        other => panic!("not a temporal literal: {other:?}"),
    }
}

fn number(value: &Value) -> Number {
    match value {
        Value::Number(n) => *n,
        other => panic!("not a number literal: {other:?}"),
    }
}

/// Compare a non-null cell with a literal (the rule resolved, so the pair is type-compatible).
pub fn compare(cell: &Cell, lit: &Value, reference_date: i32) -> Ordering {
    match cell {
        Cell::Int(v) => {
            let n = number(lit);
            cmp_scaled(*v, n.mantissa, -i64::from(n.scale))
        }
        Cell::Decimal(u, s) => {
            // u·10^-s vs m·10^-k  ⇔  u vs m·10^(s-k)
            let n = number(lit);
            cmp_scaled(*u, n.mantissa, i64::from(*s) - i64::from(n.scale))
        }
        Cell::Float(v, is32) => {
            let text = number(lit).to_text();
            let x = if *is32 { f64::from(text.parse::<f32>().unwrap()) } else { text.parse::<f64>().unwrap() };
            cmp_float(*v, x)
        }
        Cell::Text(v) => match lit {
            Value::Str(s) => v.as_bytes().cmp(s.as_bytes()),
            other => panic!("text vs {other:?}"),
        },
        Cell::Bool(v) => match lit {
            Value::Bool(b) => v.cmp(b),
            other => panic!("bool vs {other:?}"),
        },
        Cell::Day(d) => match temporal(lit, reference_date) {
            Temporal::Day(x) => d.cmp(&x),
            // A date is its midnight when compared with an instant.
            Temporal::Instant(t) => (i128::from(*d) * NANOS_PER_DAY).cmp(&t),
        },
        Cell::Instant(v) => match temporal(lit, reference_date) {
            Temporal::Day(x) => v.cmp(&(i128::from(x) * NANOS_PER_DAY)),
            Temporal::Instant(t) => v.cmp(&t),
        },
        Cell::Null => unreachable!(),
    }
}

fn op_holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

fn text_of(l: &Literal) -> &str {
    match &l.value {
        Value::Str(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

/// One character's case mapping when it is a single character (Unicode's simple mapping), else the character.
fn one_char(c: char, mapped: impl Iterator<Item = char>) -> char {
    let v: Vec<char> = mapped.collect();
    if v.len() == 1 {
        v[0]
    } else {
        c
    }
}

fn naive_lower(s: &str) -> String {
    s.chars().map(|c| one_char(c, c.to_lowercase())).collect()
}

/// The documented text functions, applied innermost first.
fn apply_funcs(p: &Predicate, c: &Cell) -> Cell {
    let Cell::Text(v) = c else { return c.clone() };
    let mut v = v.clone();
    for f in &p.funcs {
        v = match f {
            segmetry::segments::textfn::TextFn::Lower => naive_lower(&v),
            segmetry::segments::textfn::TextFn::Upper => v.chars().map(|c| one_char(c, c.to_uppercase())).collect(),
            segmetry::segments::textfn::TextFn::Trim => v.trim_start_matches(' ').trim_end_matches(' ').to_string(),
        };
    }
    Cell::Text(v)
}

/// SQL LIKE by dynamic programming over characters: `%` any run, `_` one character, `escape` quotes the next.
fn naive_like(value: &str, pattern: &str, escape: Option<char>) -> bool {
    // Pattern as (is_literal, char) pairs.
    let mut pat = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        if Some(c) == escape {
            pat.push((true, it.next().expect("escape at the end is rejected")));
        } else {
            pat.push((false, c));
        }
    }
    let v: Vec<char> = value.chars().collect();
    // ok[j] = pattern[..i] matches value[..j].
    let mut ok = vec![false; v.len() + 1];
    ok[0] = true;
    for &(lit, c) in &pat {
        let mut next = vec![false; v.len() + 1];
        for j in 0..=v.len() {
            next[j] = if !lit && c == '%' {
                ok[j] || (j > 0 && next[j - 1])
            } else {
                j > 0 && ok[j - 1] && ((!lit && c == '_') || v[j - 1] == c)
            };
        }
        ok = next;
    }
    ok[v.len()]
}

/// A predicate on one cell: `Some(true)` TRUE, `Some(false)` FALSE, `None` UNKNOWN.
pub fn predicate(p: &Predicate, c: &Cell, reference_date: i32) -> Option<bool> {
    let c = &apply_funcs(p, c);
    let result = if let Test::IsNull = p.test {
        Some(*c == Cell::Null)
    } else if *c == Cell::Null {
        None
    } else {
        let cmp = |l: &Literal| compare(c, &l.value, reference_date);
        Some(match &p.test {
            Test::IsNull => unreachable!(),
            Test::Truthy => *c == Cell::Bool(true),
            Test::Cmp(op, l) => op_holds(*op, cmp(l)),
            Test::Between(lo, hi) => cmp(lo) != Ordering::Less && cmp(hi) != Ordering::Greater,
            Test::In(items) => items.iter().any(|l| cmp(l) == Ordering::Equal),
            Test::Contains(l) | Test::StartsWith(l) | Test::EndsWith(l) => {
                let Cell::Text(v) = c else { panic!("text test on {c:?}") };
                let s = text_of(l);
                match &p.test {
                    Test::Contains(_) => v.contains(s),
                    Test::StartsWith(_) => v.starts_with(s),
                    _ => v.ends_with(s),
                }
            }
            Test::Like { pattern, escape, case_insensitive } => {
                let Cell::Text(v) = c else { panic!("LIKE on {c:?}") };
                let escape = escape.as_ref().map(|e| text_of(e).chars().next().unwrap());
                if *case_insensitive {
                    naive_like(
                        &naive_lower(v),
                        &naive_lower(text_of(pattern)),
                        escape.map(|e| naive_lower(&e.to_string()).chars().next().unwrap()),
                    )
                } else {
                    naive_like(v, text_of(pattern), escape)
                }
            }
            Test::Has(mode, items) => {
                let Cell::Text(v) = c else { panic!("HAS on {c:?}") };
                let key = |s: &str| naive_lower(s.trim_matches(' '));
                let tags: Vec<String> = v.split(',').map(key).collect();
                let mut hits = items.iter().map(|l| tags.contains(&key(text_of(l))));
                match mode {
                    segmetry::segments::parser::HasMode::All => hits.all(|h| h),
                    _ => hits.any(|h| h),
                }
            }
        })
    };
    if p.negated {
        result.map(|b| !b)
    } else {
        result
    }
}

/// Three-valued value of `expr` on row `i` of `batch`.
pub fn eval_row(expr: &Expr, batch: &RecordBatch, i: usize, reference_date: i32) -> Option<bool> {
    match expr {
        Expr::Not(inner) => eval_row(inner, batch, i, reference_date).map(|b| !b),
        Expr::And(items) => {
            let mut unknown = false;
            for item in items {
                match eval_row(item, batch, i, reference_date) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown {
                None
            } else {
                Some(true)
            }
        }
        Expr::Or(items) => {
            let mut unknown = false;
            for item in items {
                match eval_row(item, batch, i, reference_date) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown {
                None
            } else {
                Some(false)
            }
        }
        Expr::Pred(p) => predicate(p, &cell(batch.column(p.column_index).as_ref(), i), reference_date),
        // The random rules are over one table; link aggregates are checked against DuckDB in segments_links.rs.
        Expr::Link(_) => panic!("the naive evaluator has no linked tables"),
    }
}

/// Member rows (rule TRUE) over all batches, in order.
pub fn members(expr: &Expr, batches: &[RecordBatch], reference_date: i32) -> Vec<bool> {
    batches
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |i| eval_row(expr, b, i, reference_date) == Some(true)))
        .collect()
}
