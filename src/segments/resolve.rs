//! Name resolution and type checking: the AST plus a schema become a plan of [`Node`]s whose leaves are
//! column kernels with literals already converted into the column's physical domain (integer ranges in the
//! column's unit, `f32`/`f64` thresholds, strings, accepted bool values). Everything that can be wrong with
//! a rule is found here, at definition time.

use arrow_schema::{DataType, SchemaRef};

use super::calendar::{add_months, NANOS_PER_DAY};
use super::diag::{rule_error, rule_message};
use super::lexer::{CmpOp, RelUnit};
use super::links::{Aggregate, Link, LinkTest};
use super::parser::{Expr, HasMode, LinkFunc, LinkPred, Literal, Predicate, Test, Value};
use super::textfn::{tag_key, LikePattern, TextFn};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::type_name;
use crate::messages::{nested, Message};

/// An evaluation plan node.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// All children TRUE.
    And(Vec<Node>),
    /// Any child TRUE.
    Or(Vec<Node>),
    /// Three-valued negation (UNKNOWN stays UNKNOWN).
    Not(Box<Node>),
    /// A column kernel.
    Leaf(Leaf),
    /// An aggregate over a linked table compared with a threshold (UNKNOWN where a SUM/MIN/MAX is NULL).
    Link(LinkNode),
}

/// A resolved `COUNT(orders WHERE …) >= 2`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkNode {
    /// Index of the link among the rule's links.
    pub link: usize,
    /// What is aggregated (column indices in the linked table).
    pub test: LinkTest,
    /// The plan of the `WHERE` condition on the linked table.
    pub filter: Option<Box<Node>>,
    /// Identity for sharing the result between rules evaluated together (link index and canonical text).
    pub key: String,
}

/// One column test. Its result is UNKNOWN exactly where the column is null, except for [`Kernel::IsNull`].
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Column index in the schema.
    pub column: usize,
    /// What to compute.
    pub kernel: Kernel,
    /// Identity for sharing the result between rules evaluated together.
    pub key: String,
}

/// Column kernels.
#[derive(Debug, Clone, PartialEq)]
pub enum Kernel {
    /// TRUE where the column is null, FALSE elsewhere (never UNKNOWN).
    IsNull,
    /// Physical integer value (ints, decimal128 unscaled, date32 days, date64 ms, timestamp units) inside
    /// one of the sorted, disjoint, inclusive ranges.
    Int(Vec<(i128, i128)>),
    /// Float test with DuckDB's NaN order (NaN equals NaN and is above every number).
    Float(FloatTest),
    /// String test on UTF-8 bytes (binary collation).
    Text(TextTest),
    /// Text test on the value after text functions (innermost first), evaluated once per dictionary entry.
    MappedText(Vec<TextFn>, TextTest),
    /// `HAS` on a `list<utf8>` column: elements compared as [`tag_key`]s, null elements ignored.
    Tags(HasMode, Vec<String>),
    /// Bool value is one of the accepted ones.
    Bool {
        /// `true` is accepted.
        accept_true: bool,
        /// `false` is accepted.
        accept_false: bool,
    },
}

/// Float tests; literals already rounded to the column's precision (evaluated by segmetry-kernels).
pub use segmetry_kernels::floats::FloatTest;

/// Text tests.
#[derive(Debug, Clone, PartialEq)]
pub enum TextTest {
    /// `v op s` in byte order.
    Cmp(CmpOp, String),
    /// `lo <= v <= hi` in byte order.
    Between(String, String),
    /// `v` is one of them (sorted, deduplicated).
    In(Vec<String>),
    /// Substring.
    Contains(String),
    /// Prefix.
    StartsWith(String),
    /// Suffix.
    EndsWith(String),
    /// `LIKE` / `ILIKE`.
    Like(LikePattern),
    /// `HAS` on text split at `,` (tags and listed values are [`tag_key`]s).
    Has(HasMode, Vec<String>),
}

/// A temporal literal after applying the reference date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Temporal {
    /// Days since the epoch.
    Date(i32),
    /// Nanoseconds since the epoch, UTC.
    Instant(i128),
}

/// Resolve a date-like literal (`date`, `today`, `-90d`) or timestamp against the reference date.
pub fn temporal(value: &Value, reference_date: i32) -> Option<Temporal> {
    match value {
        Value::Date(d) => Some(Temporal::Date(*d)),
        Value::Timestamp(t) => Some(Temporal::Instant(*t)),
        Value::Today => Some(Temporal::Date(reference_date)),
        Value::Relative(n, unit) => {
            let days = match unit {
                RelUnit::Day => i64::from(reference_date).checked_sub(*n)?,
                RelUnit::Week => i64::from(reference_date).checked_sub(n.checked_mul(7)?)?,
                RelUnit::Month => i64::from(add_months(reference_date, -*n)?),
                RelUnit::Year => i64::from(add_months(reference_date, -n.checked_mul(12)?)?),
            };
            i32::try_from(days).ok().map(Temporal::Date)
        }
        _ => None,
    }
}

/// How a column compares, derived from its Arrow type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColKind {
    /// Integer types.
    Int,
    /// decimal128 with this scale.
    Decimal(i8),
    /// float32.
    Float32,
    /// float64.
    Float64,
    /// Text, plain or dictionary.
    Text,
    /// A list of text (`list<utf8>`, `large_list<utf8>`): a tag list.
    TextList,
    /// bool.
    Bool,
    /// date32 (days).
    Date32,
    /// date64 (ms).
    Date64,
    /// timestamp: nanoseconds per unit, and whether it has a time zone.
    Timestamp(i128, bool),
}

impl ColKind {
    /// The kind of a supported Arrow type.
    pub fn of(data_type: &DataType) -> Option<ColKind> {
        use DataType::*;
        Some(match data_type {
            Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => ColKind::Int,
            Decimal128(_, s) => ColKind::Decimal(*s),
            Float32 => ColKind::Float32,
            Float64 => ColKind::Float64,
            Boolean => ColKind::Bool,
            Utf8 | LargeUtf8 | Utf8View => ColKind::Text,
            Dictionary(_, v) if matches!(v.as_ref(), Utf8 | LargeUtf8 | Utf8View) => ColKind::Text,
            List(f) | LargeList(f) if matches!(f.data_type(), Utf8 | LargeUtf8) => ColKind::TextList,
            Date32 => ColKind::Date32,
            Date64 => ColKind::Date64,
            Timestamp(unit, tz) => ColKind::Timestamp(super::calendar::nanos_per_unit(*unit), tz.is_some()),
            _ => return None,
        })
    }

    fn family(self) -> &'static str {
        match self {
            ColKind::Int | ColKind::Decimal(_) | ColKind::Float32 | ColKind::Float64 => "number",
            ColKind::Text => "text",
            ColKind::TextList => "tag list",
            ColKind::Bool => "bool",
            ColKind::Date32 | ColKind::Date64 => "date",
            ColKind::Timestamp(..) => "timestamp",
        }
    }
}

/// Whether rule text can write `name` bare: a plain word (letters, digits, `_`, not starting with a digit) that
/// is not a keyword. Column names that are not must be double-quoted; link names must be plain.
pub fn is_plain_word(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !super::parser::is_keyword(name)
}

/// An identifier as canonical text writes it: bare when it is a plain word, else double-quoted as in SQL.
pub fn ident(name: &str) -> String {
    if is_plain_word(name) {
        name.to_string()
    } else {
        super::sql::Dialect::DuckDb.ident(name)
    }
}

/// Resolve column names in `expr` (rewriting them to the schema's spelling) and type-check it into a plan.
pub fn resolve(text: &str, expr: &mut Expr, schema: &SchemaRef, reference_date: i32) -> Result<Node> {
    resolve_with_examples(text, expr, schema, reference_date, &|_| None)
}

/// [`resolve`], with `example(column)` giving a real value of a text column for type-mismatch messages.
pub fn resolve_with_examples(
    text: &str,
    expr: &mut Expr,
    schema: &SchemaRef,
    reference_date: i32,
    example: &dyn Fn(usize) -> Option<String>,
) -> Result<Node> {
    resolve_linked(text, expr, schema, reference_date, &[], example)
}

/// [`resolve_with_examples`] with linked tables that `COUNT(link …)` and friends may name.
pub fn resolve_linked(
    text: &str,
    expr: &mut Expr,
    schema: &SchemaRef,
    reference_date: i32,
    links: &[Link],
    example: &dyn Fn(usize) -> Option<String>,
) -> Result<Node> {
    let r = Resolver { text, schema, reference_date, example, links };
    r.node(expr)
}

struct Resolver<'a> {
    text: &'a str,
    schema: &'a SchemaRef,
    reference_date: i32,
    example: &'a dyn Fn(usize) -> Option<String>,
    links: &'a [Link],
}

/// An exact rational `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy)]
struct Rat {
    num: i128,
    den: i128,
}

const BIG: i128 = i128::MAX / 4;

/// Column values never reach 10^38 in magnitude (decimal128 holds at most 38 digits, int64/uint64 far fewer), so
/// literals are clamped there: comparisons keep their outcome and ±1 steps cannot overflow.
const LITERAL_LIMIT: i128 = 10i128.pow(38);

impl Rat {
    fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }
    fn ceil(self) -> i128 {
        -((-self.num).div_euclid(self.den))
    }
    fn exact(self) -> Option<i128> {
        (self.num.rem_euclid(self.den) == 0).then(|| self.num.div_euclid(self.den))
    }
}

fn op_ranges(op: CmpOp, r: Rat) -> Vec<(i128, i128)> {
    let (min, max) = (i128::MIN, i128::MAX);
    match op {
        CmpOp::Eq => r.exact().map(|q| vec![(q, q)]).unwrap_or_default(),
        CmpOp::Ne => match r.exact() {
            Some(q) => vec![(min, q.saturating_sub(1)), (q.saturating_add(1), max)],
            None => vec![(min, max)],
        },
        CmpOp::Lt => vec![(min, r.ceil().saturating_sub(1))],
        CmpOp::Le => vec![(min, r.floor())],
        CmpOp::Gt => vec![(r.floor().saturating_add(1), max)],
        CmpOp::Ge => vec![(r.ceil(), max)],
    }
}

/// Sort, drop empty ranges, merge overlapping/adjacent ones.
fn normalize(mut ranges: Vec<(i128, i128)>) -> Vec<(i128, i128)> {
    ranges.retain(|(lo, hi)| lo <= hi);
    ranges.sort_unstable();
    let mut out: Vec<(i128, i128)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

impl Resolver<'_> {
    fn node(&self, expr: &mut Expr) -> Result<Node> {
        Ok(match expr {
            Expr::And(items) => Node::And(items.iter_mut().map(|e| self.node(e)).collect::<Result<_>>()?),
            Expr::Or(items) => Node::Or(items.iter_mut().map(|e| self.node(e)).collect::<Result<_>>()?),
            Expr::Not(inner) => Node::Not(Box::new(self.node(inner)?)),
            Expr::Link(l) => Node::Link(self.link(l)?),
            Expr::Pred(p) => {
                let leaf = self.predicate(p)?;
                if p.negated {
                    Node::Not(Box::new(Node::Leaf(leaf)))
                } else {
                    Node::Leaf(leaf)
                }
            }
        })
    }

    /// Resolve a link aggregate: the link by name, its column and `WHERE` in the linked table's schema (where
    /// no further link can be named), and the threshold in the aggregate's domain.
    fn link(&self, l: &mut LinkPred) -> Result<LinkNode> {
        let Some(index) = self.links.iter().position(|k| k.name == l.link) else {
            let names: Vec<&str> = self.links.iter().map(|k| k.name.as_str()).collect();
            let message = if names.is_empty() {
                Message::new("no_link", [l.link.as_str()])
            } else {
                Message::new("no_such_link", [l.link.clone(), names.join(", ")])
            };
            return Err(rule_message(ErrorCode::UnknownColumn, self.text, l.link_span.0, l.link_span.1, message)
                .with_subject(l.link.as_str()));
        };
        let schema = self.links[index].dataset.schema();
        let inner =
            Resolver { text: self.text, schema, reference_date: self.reference_date, example: &|_| None, links: &[] };
        let mut kind = None;
        let mut column_index = 0;
        if let Some((name, span)) = &mut l.column {
            let mut p = Predicate {
                column: name.clone(),
                column_span: *span,
                column_index: 0,
                funcs: Vec::new(),
                test: Test::Truthy,
                negated: false,
                span: *span,
            };
            column_index = inner.column(&mut p)?;
            *name = p.column;
            let data_type = schema.field(column_index).data_type();
            let k = ColKind::of(data_type);
            let numeric = matches!(k, Some(ColKind::Int | ColKind::Decimal(_) | ColKind::Float32 | ColKind::Float64));
            let temporal_ok = matches!(k, Some(ColKind::Date32 | ColKind::Date64));
            if !(numeric || (temporal_ok && l.func != LinkFunc::Sum)) {
                let what = if l.func == LinkFunc::Sum { "a number column" } else { "a number or date column" };
                return Err(rule_error(
                    ErrorCode::TypeMismatch,
                    self.text,
                    span.0,
                    span.1,
                    format!("{}() needs {what}; `{name}` is {}", l.func.name(), type_name(data_type)),
                )
                .with_subject(name.as_str()));
            }
            kind = k;
        }
        let aggregate = match l.func {
            LinkFunc::Count => Aggregate::Count,
            LinkFunc::Exists => Aggregate::Exists,
            LinkFunc::Sum => Aggregate::Sum(column_index),
            LinkFunc::Min => Aggregate::Min(column_index),
            LinkFunc::Max => Aggregate::Max(column_index),
        };
        let filter = match &mut l.filter {
            Some(f) => Some(Box::new(inner.node(f)?)),
            None => None,
        };
        let cmp = match &l.cmp {
            None => None,
            Some((op, lit)) => Some((*op, self.threshold(lit, kind, l.func)?)),
        };
        let key = format!("link:{index}:{}", super::canonical::canonical(&Expr::Link(l.clone())));
        Ok(LinkNode { link: index, test: LinkTest { aggregate, cmp }, filter, key })
    }

    /// A link threshold in the aggregate's domain: numbers as they are, dates (also `-90d`, `TODAY`) and
    /// timestamps as days since the epoch when MIN/MAX read a date or timestamp column.
    fn threshold(&self, lit: &Literal, kind: Option<ColKind>, func: LinkFunc) -> Result<f64> {
        let temporal_column = matches!(kind, Some(ColKind::Date32 | ColKind::Date64 | ColKind::Timestamp(..)));
        let value = match (&lit.value, temporal_column) {
            (Value::Number(n), false) => n.to_text().parse::<f64>().ok(),
            (v, true) => match temporal(v, self.reference_date) {
                Some(Temporal::Date(d)) => Some(f64::from(d)),
                Some(Temporal::Instant(ns)) => Some(ns as f64 / NANOS_PER_DAY as f64),
                None => None,
            },
            _ => None,
        };
        value.ok_or_else(|| {
            let example = if temporal_column { "a date, e.g. -30d or 2026-08-03" } else { "a number, e.g. 2" };
            rule_error(
                ErrorCode::TypeMismatch,
                self.text,
                lit.span.0,
                lit.span.1,
                format!("compare {}(…) with {example}", func.name()),
            )
        })
    }

    fn column(&self, p: &mut Predicate) -> Result<usize> {
        let fields = self.schema.fields();
        let index = fields.iter().position(|f| f.name() == &p.column).or_else(|| {
            let mut hits = fields.iter().enumerate().filter(|(_, f)| f.name().eq_ignore_ascii_case(&p.column));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        });
        match index {
            Some(i) => {
                p.column = fields[i].name().clone();
                p.column_index = i;
                Ok(i)
            }
            None => {
                // As `ingest::unknown_column` words it, catalogued so the editor can show it in its language.
                let names = fields.iter().map(|f| f.name().as_str());
                let message = match crate::error::closest_name(&p.column, names) {
                    Some(close) => Message::new("unknown_column_suggest", [p.column.as_str(), close]),
                    None => {
                        let list: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name())).collect();
                        Message::new("unknown_column_list", [p.column.clone(), list.join(", ")])
                    }
                };
                let (start, end) = p.column_span;
                Err(rule_message(ErrorCode::UnknownColumn, self.text, start, end, message)
                    .with_subject(p.column.as_str()))
            }
        }
    }

    /// A `TYPE_MISMATCH` on `column`: what it is, `what` (a catalogued [`nested`] message), and an example
    /// that fits its type.
    fn mismatch(&self, span: (usize, usize), column: &str, data_type: &DataType, kind: ColKind, what: &str) -> Error {
        let c = ident(column);
        let family = kind.family();
        let example = match family {
            "text" => {
                let index = self.schema.index_of(column).ok();
                let value = index.and_then(|i| (self.example)(i)).unwrap_or_else(|| "FI".to_string());
                nested("example_text", &[&c, &value.replace('\'', "''")])
            }
            "number" | "bool" | "tag list" | "date" => nested(&format!("example_{}", family.replace(' ', "_")), &[&c]),
            _ => nested("example_timestamp", &[&c]),
        };
        let family = nested(&format!("family_{}", family.replace(' ', "_")), &[]);
        let message =
            Message::new("type_mismatch", [column.to_string(), type_name(data_type), family, what.into(), example]);
        rule_message(ErrorCode::TypeMismatch, self.text, span.0, span.1, message).with_subject(column)
    }

    /// Why a literal does not fit (a catalogued message, as [`Resolver::mismatch`] takes it).
    fn literal_desc(value: &Value) -> String {
        let key = match value {
            Value::Number(_) => "not_cmp_number",
            Value::Str(_) => "not_cmp_text",
            Value::Bool(_) => "not_cmp_bool",
            Value::Date(_) | Value::Today | Value::Relative(..) => "not_cmp_date",
            Value::Timestamp(_) => "not_cmp_timestamp",
        };
        nested(key, &[])
    }

    fn predicate(&self, p: &mut Predicate) -> Result<Leaf> {
        let column = self.column(p)?;
        let data_type = self.schema.field(column).data_type().clone();
        let Some(kind) = ColKind::of(&data_type) else {
            return Err(rule_error(
                ErrorCode::TypeMismatch,
                self.text,
                p.column_span.0,
                p.column_span.1,
                format!("column `{}` has type {}, which rules cannot test", p.column, type_name(&data_type)),
            ));
        };
        let name = p.column.clone();
        if let (Some(f), false) = (p.funcs.last(), kind == ColKind::Text) {
            let what = nested("not_text_function", &[f.name()]);
            return Err(self.mismatch(p.column_span, &name, &data_type, kind, &what));
        }
        let mismatch =
            |lit: &Literal| self.mismatch(lit.span, &name, &data_type, kind, &Self::literal_desc(&lit.value));
        if kind == ColKind::TextList && !matches!(p.test, Test::Has(..) | Test::IsNull) {
            return Err(self.mismatch(p.column_span, &name, &data_type, kind, &nested("only_has", &[])));
        }
        let kernel = match &p.test {
            Test::IsNull => Kernel::IsNull,
            Test::Truthy => {
                if kind != ColKind::Bool {
                    return Err(self.mismatch(p.column_span, &name, &data_type, kind, &nested("not_bool_alone", &[])));
                }
                Kernel::Bool { accept_true: true, accept_false: false }
            }
            Test::Like { pattern, escape, case_insensitive } => {
                self.text_only(p, &data_type, kind, "LIKE and ILIKE")?;
                Kernel::Text(TextTest::Like(self.like(&name, pattern, escape.as_ref(), *case_insensitive)?))
            }
            Test::Has(mode, items) => {
                let tags = items.iter().map(|l| self.tag(&name, l)).collect::<Result<Vec<_>>>()?;
                match kind {
                    ColKind::TextList => Kernel::Tags(*mode, tags),
                    _ => {
                        self.text_only(p, &data_type, kind, "HAS")?;
                        Kernel::Text(TextTest::Has(*mode, tags))
                    }
                }
            }
            Test::Contains(lit) | Test::StartsWith(lit) | Test::EndsWith(lit) => {
                if kind != ColKind::Text {
                    return Err(self.mismatch(
                        p.column_span,
                        &name,
                        &data_type,
                        kind,
                        &nested("not_text_ops", &["CONTAINS / STARTS WITH / ENDS WITH"]),
                    ));
                }
                let Value::Str(s) = &lit.value else {
                    return Err(rule_error(
                        ErrorCode::TypeMismatch,
                        self.text,
                        lit.span.0,
                        lit.span.1,
                        format!(
                            "CONTAINS, STARTS WITH and ENDS WITH take text in single quotes, e.g. {} CONTAINS 'gmail'",
                            ident(&name)
                        ),
                    )
                    .with_subject(name.as_str()));
                };
                Kernel::Text(match &p.test {
                    Test::Contains(_) => TextTest::Contains(s.clone()),
                    Test::StartsWith(_) => TextTest::StartsWith(s.clone()),
                    _ => TextTest::EndsWith(s.clone()),
                })
            }
            Test::Cmp(op, lit) => match kind {
                ColKind::Text => Kernel::Text(TextTest::Cmp(*op, self.text_value(lit).ok_or_else(|| mismatch(lit))?)),
                ColKind::Float32 | ColKind::Float64 => {
                    Kernel::Float(FloatTest::Cmp(*op, self.float_value(lit, kind).ok_or_else(|| mismatch(lit))?))
                }
                ColKind::Bool => {
                    let b = match lit.value {
                        Value::Bool(b) => b,
                        _ => return Err(mismatch(lit)),
                    };
                    match op {
                        CmpOp::Eq => Kernel::Bool { accept_true: b, accept_false: !b },
                        CmpOp::Ne => Kernel::Bool { accept_true: !b, accept_false: b },
                        _ => {
                            return Err(self.mismatch(lit.span, &name, &data_type, kind, &nested("bools_only_eq", &[])))
                        }
                    }
                }
                _ => {
                    let r = self.rational(lit, kind).ok_or_else(|| mismatch(lit))?;
                    Kernel::Int(self.physical(kind, op_ranges(*op, r)))
                }
            },
            Test::Between(lo, hi) => match kind {
                ColKind::Text => Kernel::Text(TextTest::Between(
                    self.text_value(lo).ok_or_else(|| mismatch(lo))?,
                    self.text_value(hi).ok_or_else(|| mismatch(hi))?,
                )),
                ColKind::Float32 | ColKind::Float64 => Kernel::Float(FloatTest::Between(
                    self.float_value(lo, kind).ok_or_else(|| mismatch(lo))?,
                    self.float_value(hi, kind).ok_or_else(|| mismatch(hi))?,
                )),
                ColKind::Bool => {
                    return Err(self.mismatch(lo.span, &name, &data_type, kind, &nested("bools_only_eq", &[])))
                }
                _ => {
                    let a = self.rational(lo, kind).ok_or_else(|| mismatch(lo))?;
                    let b = self.rational(hi, kind).ok_or_else(|| mismatch(hi))?;
                    Kernel::Int(self.physical(kind, vec![(a.ceil(), b.floor())]))
                }
            },
            Test::In(items) => match kind {
                ColKind::Text => {
                    let mut v = items
                        .iter()
                        .map(|l| self.text_value(l).ok_or_else(|| mismatch(l)))
                        .collect::<Result<Vec<_>>>()?;
                    v.sort_unstable();
                    v.dedup();
                    Kernel::Text(TextTest::In(v))
                }
                ColKind::Float32 | ColKind::Float64 => Kernel::Float(FloatTest::In(
                    items
                        .iter()
                        .map(|l| self.float_value(l, kind).ok_or_else(|| mismatch(l)))
                        .collect::<Result<_>>()?,
                )),
                ColKind::Bool => {
                    let mut accept = (false, false);
                    for l in items {
                        match l.value {
                            Value::Bool(true) => accept.0 = true,
                            Value::Bool(false) => accept.1 = true,
                            _ => return Err(mismatch(l)),
                        }
                    }
                    Kernel::Bool { accept_true: accept.0, accept_false: accept.1 }
                }
                _ => {
                    let mut ranges = Vec::new();
                    for l in items {
                        let r = self.rational(l, kind).ok_or_else(|| mismatch(l))?;
                        ranges.extend(op_ranges(CmpOp::Eq, r));
                    }
                    Kernel::Int(self.physical(kind, ranges))
                }
            },
        };
        let kernel = match kernel {
            Kernel::Text(test) if !p.funcs.is_empty() => Kernel::MappedText(p.funcs.clone(), test),
            other => other,
        };
        let key = format!("{column}:{kernel:?}");
        Ok(Leaf { column, kernel, key })
    }

    /// A `TYPE_MISMATCH` unless the column is text.
    fn text_only(&self, p: &Predicate, data_type: &DataType, kind: ColKind, what: &str) -> Result<()> {
        if kind == ColKind::Text {
            return Ok(());
        }
        Err(self.mismatch(p.column_span, &p.column, data_type, kind, &nested("not_text_ops", &[what])))
    }

    /// A string literal's text, or a `TYPE_MISMATCH` saying `what` takes text.
    fn string<'l>(&self, column: &str, lit: &'l Literal, what: &str) -> Result<&'l str> {
        match &lit.value {
            Value::Str(s) => Ok(s),
            _ => Err(rule_error(
                ErrorCode::TypeMismatch,
                self.text,
                lit.span.0,
                lit.span.1,
                format!("{what} takes text in single quotes, e.g. {} {what} 'vip'", ident(column)),
            )
            .with_subject(column)),
        }
    }

    fn like(&self, column: &str, pattern: &Literal, escape: Option<&Literal>, ci: bool) -> Result<LikePattern> {
        let what = if ci { "ILIKE" } else { "LIKE" };
        let text = self.string(column, pattern, what)?;
        let escape = match escape {
            None => None,
            Some(e) => {
                let s = self.string(column, e, "ESCAPE")?;
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(c),
                    _ => {
                        return Err(rule_error(
                            ErrorCode::RuleSyntax,
                            self.text,
                            e.span.0,
                            e.span.1,
                            "ESCAPE takes exactly one character, e.g. ESCAPE '!'",
                        ))
                    }
                }
            }
        };
        LikePattern::compile(text, escape, ci)
            .map_err(|m| rule_error(ErrorCode::RuleSyntax, self.text, pattern.span.0, pattern.span.1, m))
    }

    fn tag(&self, column: &str, lit: &Literal) -> Result<String> {
        Ok(tag_key(self.string(column, lit, "HAS")?))
    }

    fn text_value(&self, lit: &Literal) -> Option<String> {
        match &lit.value {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn float_value(&self, lit: &Literal, kind: ColKind) -> Option<f64> {
        let Value::Number(n) = &lit.value else { return None };
        let text = n.to_text();
        if kind == ColKind::Float32 {
            text.parse::<f32>().ok().map(f64::from)
        } else {
            text.parse::<f64>().ok()
        }
    }

    /// The literal as an exact rational in the column's comparison domain: the integer value for ints, the
    /// unscaled value for decimals, days for dates, the column's unit for timestamps.
    fn rational(&self, lit: &Literal, kind: ColKind) -> Option<Rat> {
        match kind {
            ColKind::Int | ColKind::Decimal(_) => {
                let Value::Number(n) = &lit.value else { return None };
                let s = if let ColKind::Decimal(s) = kind { i32::from(s) } else { 0 };
                let shift = s - n.scale as i32;
                Some(if shift >= 0 {
                    let limit = if n.mantissa < 0 { -LITERAL_LIMIT } else { LITERAL_LIMIT };
                    let num = 10i128.checked_pow(shift as u32).and_then(|p| n.mantissa.checked_mul(p)).unwrap_or(limit);
                    Rat { num: num.clamp(-LITERAL_LIMIT, LITERAL_LIMIT), den: 1 }
                } else {
                    match 10i128.checked_pow((-shift) as u32) {
                        Some(den) => Rat { num: n.mantissa, den },
                        // Beyond 10^38 the literal (at most 38 digits) lies strictly inside (-1, 1): every value in
                        // that open interval has the same floor, ceiling and exactness as ±1/2.
                        None => Rat { num: n.mantissa.signum(), den: 2 },
                    }
                })
            }
            ColKind::Date32 | ColKind::Date64 => match temporal(&lit.value, self.reference_date)? {
                Temporal::Date(d) => Some(Rat { num: i128::from(d), den: 1 }),
                Temporal::Instant(t) => Some(Rat { num: t, den: NANOS_PER_DAY }),
            },
            ColKind::Timestamp(unit, _) => match temporal(&lit.value, self.reference_date)? {
                Temporal::Date(d) => Some(Rat { num: i128::from(d) * NANOS_PER_DAY, den: unit }),
                Temporal::Instant(t) => Some(Rat { num: t, den: unit }),
            },
            _ => None,
        }
    }

    /// Ranges in the comparison domain → ranges over the physical values (date64: days → milliseconds).
    fn physical(&self, kind: ColKind, ranges: Vec<(i128, i128)>) -> Vec<(i128, i128)> {
        let ranges = normalize(ranges);
        if kind != ColKind::Date64 {
            return ranges;
        }
        const MS: i128 = 86_400_000;
        let expand = |d: i128, end: bool| -> i128 {
            if d == i128::MIN || d == i128::MAX || d.abs() > BIG / MS {
                if d < 0 {
                    i128::MIN
                } else {
                    i128::MAX
                }
            } else if end {
                d * MS + MS - 1
            } else {
                d * MS
            }
        };
        normalize(ranges.into_iter().map(|(lo, hi)| (expand(lo, false), expand(hi, true))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rational_thresholds() {
        let r = Rat { num: 7, den: 2 };
        assert_eq!((r.floor(), r.ceil(), r.exact()), (3, 4, None));
        let r = Rat { num: -7, den: 2 };
        assert_eq!((r.floor(), r.ceil()), (-4, -3));
        assert_eq!(op_ranges(CmpOp::Gt, Rat { num: 7, den: 2 }), vec![(4, i128::MAX)]);
        assert_eq!(op_ranges(CmpOp::Lt, Rat { num: 7, den: 2 }), vec![(i128::MIN, 3)]);
        assert!(op_ranges(CmpOp::Eq, Rat { num: 7, den: 2 }).is_empty());
        assert_eq!(normalize(vec![(5, 6), (1, 2), (3, 3), (9, 8), (4, 4)]), vec![(1, 6)]);
    }

    #[test]
    fn relative_dates() {
        let reference = super::super::calendar::parse_date("2026-08-31").unwrap();
        let d = |v: Value| match temporal(&v, reference) {
            Some(Temporal::Date(d)) => super::super::calendar::format_date(d),
            other => panic!("{other:?}"),
        };
        assert_eq!(d(Value::Relative(6, RelUnit::Month)), "2026-02-28");
        assert_eq!(d(Value::Relative(2, RelUnit::Week)), "2026-08-17");
        assert_eq!(d(Value::Relative(90, RelUnit::Day)), "2026-06-02");
        assert_eq!(d(Value::Relative(1, RelUnit::Year)), "2025-08-31");
        assert_eq!(d(Value::Today), "2026-08-31");
    }
}
