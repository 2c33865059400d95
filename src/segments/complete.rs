//! Completion for rule editors: what may come at the cursor (a column, an operator that fits the column's type, one
//! of the column's real values, a keyword) and the exact text to insert, quoted as the parser reads it.
//!
//! Nothing here is a second copy of the language: tokens come from the lexer ([`tokenize`]), keywords from the
//! parser ([`KEYWORDS`](super::parser::KEYWORDS)), identifier quoting from [`ident`], string quoting from
//! [`canonical::literal`], and an operator is offered only if the resolver accepts it on that column (each
//! candidate is type-checked as a tiny rule). Values come from the column's [`profile`](crate::ingest::profile).

use serde::Serialize;

use super::canonical;
use super::parser::{Literal, Value};
use super::resolve::ident;
use super::tokens::{tokenize, RuleToken, TokenKind};
use super::{Rule, RuleOptions};
use crate::ingest::{type_name, Dataset, ProfileCache, ValueKind};

/// Most items one completion returns.
pub const MAX_ITEMS: usize = 60;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A column name.
    Column,
    /// A keyword (`AND`, `NOT`, `NULL`, …).
    Keyword,
    /// A comparison or test (`>=`, `IN (`, `STARTS WITH`, …).
    Operator,
    /// A function (none in the language yet; kept so editors can style them when they arrive).
    Function,
    /// One of the column's values.
    Value,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompletionItem {
    /// What to show.
    pub label: String,
    /// What to put in place of the completed range (quoted as needed, with a trailing space where the rule goes on).
    pub insert: String,
    /// What it is.
    pub kind: ItemKind,
    /// A hint: the column's type, the value's row count, `min` / `max`.
    pub detail: String,
}

/// Suggestions for the range `start..end` (byte offsets) of the rule: the partly typed token at the cursor, or an
/// empty range at the cursor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    /// First byte of the range the items replace.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Most fitting first.
    pub items: Vec<CompletionItem>,
}

/// Where the grammar is after the tokens before the cursor.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A condition: a column, `NOT` or `(`.
    Operand,
    /// What follows a column (its index, or `None` for an unknown name).
    Operator(Option<usize>),
    /// After `column NOT`: `IN`, `BETWEEN`, `CONTAINS`, `STARTS WITH`, `ENDS WITH`.
    NotOperator(Option<usize>),
    /// After `STARTS` / `ENDS`: `WITH`.
    With(Option<usize>),
    /// After `IN`, `HAS ANY`, `HAS ALL`: `(`.
    ListOpen(Option<usize>),
    /// After `HAS`: a value, `ANY (` or `ALL (`.
    Has(Option<usize>),
    /// After `IS`: `NOT` or `NULL`.
    Null,
    /// A value of the column; `list` inside `IN (…)`, `between` before BETWEEN's `AND`.
    Value { column: Option<usize>, list: bool, between: bool },
    /// Inside `IN (…)` after a value: `,` or `)`.
    ListNext(Option<usize>),
    /// After BETWEEN's first bound: `AND`.
    BetweenAnd(Option<usize>),
    /// After a whole condition: `AND`, `OR`, `)`.
    Connective,
    /// The rule is already broken before the cursor.
    Unknown,
}

/// The operators of the grammar, as inserted, and a rule template type-checking one on a column (`{c}` the
/// column, `{v}` a value of its kind).
const OPERATORS: &[(&str, &str)] = &[
    ("= ", "{c} = {v}"),
    ("!= ", "{c} != {v}"),
    ("< ", "{c} < {v}"),
    ("<= ", "{c} <= {v}"),
    ("> ", "{c} > {v}"),
    (">= ", "{c} >= {v}"),
    ("IN (", "{c} IN ({v})"),
    ("NOT IN (", "{c} NOT IN ({v})"),
    ("BETWEEN ", "{c} BETWEEN {v} AND {v}"),
    ("NOT BETWEEN ", "{c} NOT BETWEEN {v} AND {v}"),
    ("LIKE ", "{c} LIKE {v}"),
    ("NOT LIKE ", "{c} NOT LIKE {v}"),
    ("ILIKE ", "{c} ILIKE {v}"),
    ("NOT ILIKE ", "{c} NOT ILIKE {v}"),
    ("HAS ", "{c} HAS {v}"),
    ("HAS ANY (", "{c} HAS ANY ({v})"),
    ("HAS ALL (", "{c} HAS ALL ({v})"),
    ("CONTAINS ", "{c} CONTAINS {v}"),
    ("NOT CONTAINS ", "{c} NOT CONTAINS {v}"),
    ("STARTS WITH ", "{c} STARTS WITH {v}"),
    ("NOT STARTS WITH ", "{c} NOT STARTS WITH {v}"),
    ("ENDS WITH ", "{c} ENDS WITH {v}"),
    ("NOT ENDS WITH ", "{c} NOT ENDS WITH {v}"),
    ("IS NULL ", "{c} IS NULL"),
    ("IS NOT NULL ", "{c} IS NOT NULL"),
    ("AND ", "{c} AND {c}"),
    ("OR ", "{c} OR {c}"),
];

/// A literal of each kind, for type-checking operator templates.
fn sample_value(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Numeric => "0",
        ValueKind::Boolean => "TRUE",
        ValueKind::Text | ValueKind::TextList => "'a'",
        ValueKind::Date => "2026-01-01",
        ValueKind::Timestamp => "2026-01-01T00:00:00Z",
    }
}

/// Suggestions at byte offset `cursor` of `rule` on `dataset` (values from `profiles`).
pub fn complete(rule: &str, cursor: usize, dataset: &Dataset, profiles: &mut ProfileCache) -> Completion {
    let cursor = (0..=cursor.min(rule.len())).rev().find(|&i| rule.is_char_boundary(i)).unwrap_or(0);
    let tokens = tokenize(rule);
    let partial = tokens.iter().find(|t| t.start < cursor && cursor <= t.end && is_word_like(rule, t));
    let (start, end) = partial.map_or((cursor, cursor), |t| (t.start, t.end));
    let prefix = partial.map_or(String::new(), |t| typed_text(&rule[t.start..cursor]));
    let before = tokens.iter().filter(|t| t.end <= start);
    let expect = before.fold(Expect::Operand, |state, t| step(state, rule, t, dataset));
    let mut items = suggestions(expect, dataset, profiles);
    // Column names match anywhere (`addr` finds "Default Address City"); values, keywords and operators by the
    // typed prefix, case-insensitively (`channel = 'em` offers `email` and `Email`, not `web`).
    let needle = prefix.to_lowercase();
    items.retain(|item| {
        let label = item.label.to_lowercase();
        match item.kind {
            ItemKind::Column => label.contains(&needle),
            _ => label.starts_with(&needle),
        }
    });
    // A token already complete is not worth a list of one.
    if items.len() == 1 && partial.is_some_and(|t| items[0].insert.trim_end() == &rule[t.start..t.end]) {
        items.clear();
    }
    items.truncate(MAX_ITEMS);
    Completion { start, end, items }
}

/// Whether the cursor may be completing this token (a word, quoted name, string or literal being typed).
fn is_word_like(rule: &str, t: &RuleToken) -> bool {
    match t.kind {
        TokenKind::Operator | TokenKind::Punctuation => false,
        TokenKind::Error => rule[t.start..].starts_with(['"', '\'']),
        _ => true,
    }
}

/// The text typed so far, without its opening quote (and with doubled quotes undone).
fn typed_text(raw: &str) -> String {
    match raw.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = &raw[1..];
            let inner = inner.strip_suffix(q).unwrap_or(inner);
            inner.replace(&format!("{q}{q}"), &q.to_string())
        }
        _ => raw.to_string(),
    }
}

fn kind_of(dataset: &Dataset, index: usize) -> ValueKind {
    crate::ingest::value_kind(dataset.data_type(index)).unwrap_or(ValueKind::Text)
}

/// The column a name token refers to: exact name first, else the one case-insensitive match (as the resolver).
fn column_of(rule: &str, t: &RuleToken, dataset: &Dataset) -> Option<usize> {
    let raw = &rule[t.start..t.end];
    let name = if t.kind == TokenKind::QuotedColumn { typed_text(raw) } else { raw.to_string() };
    let fields = dataset.schema().fields();
    if let Some(i) = fields.iter().position(|f| f.name() == &name) {
        return Some(i);
    }
    let mut hits = fields.iter().enumerate().filter(|(_, f)| f.name().eq_ignore_ascii_case(&name));
    match (hits.next(), hits.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

fn is_literal(rule: &str, t: &RuleToken) -> bool {
    match t.kind {
        TokenKind::String | TokenKind::Number | TokenKind::Date | TokenKind::Timestamp | TokenKind::RelativeDate => {
            true
        }
        TokenKind::Keyword => {
            ["TRUE", "FALSE", "TODAY", "NULL"].iter().any(|k| k.eq_ignore_ascii_case(&rule[t.start..t.end]))
        }
        _ => false,
    }
}

/// The grammar state after token `t`.
fn step(state: Expect, rule: &str, t: &RuleToken, dataset: &Dataset) -> Expect {
    let text = &rule[t.start..t.end];
    let kw = |k: &str| t.kind == TokenKind::Keyword && text.eq_ignore_ascii_case(k);
    match state {
        Expect::Operand if kw("NOT") || text == "(" => Expect::Operand,
        Expect::Operand if matches!(t.kind, TokenKind::Column | TokenKind::QuotedColumn) => {
            Expect::Operator(column_of(rule, t, dataset))
        }
        Expect::Operator(c) if t.kind == TokenKind::Operator => {
            Expect::Value { column: c, list: false, between: false }
        }
        Expect::Operator(c) if kw("NOT") => Expect::NotOperator(c),
        Expect::Operator(_) if kw("IS") => Expect::Null,
        Expect::Operator(_) | Expect::Connective if kw("AND") || kw("OR") => Expect::Operand,
        Expect::Operator(_) | Expect::Connective if text == ")" => Expect::Connective,
        Expect::Operator(c) | Expect::NotOperator(c) => match text.to_ascii_uppercase().as_str() {
            "IN" => Expect::ListOpen(c),
            "BETWEEN" => Expect::Value { column: c, list: false, between: true },
            "CONTAINS" | "LIKE" | "ILIKE" => Expect::Value { column: c, list: false, between: false },
            "HAS" => Expect::Has(c),
            "STARTS" | "ENDS" => Expect::With(c),
            _ => Expect::Unknown,
        },
        Expect::With(c) if kw("WITH") => Expect::Value { column: c, list: false, between: false },
        // ANY and ALL are words, not keywords (they may name columns).
        Expect::Has(c) if ["ANY", "ALL"].iter().any(|k| text.eq_ignore_ascii_case(k)) => Expect::ListOpen(c),
        Expect::Has(_) if is_literal(rule, t) => Expect::Connective,
        Expect::ListOpen(c) if text == "(" => Expect::Value { column: c, list: true, between: false },
        Expect::Null if kw("NOT") => Expect::Null,
        Expect::Null if kw("NULL") => Expect::Connective,
        Expect::Value { column, list, between } if is_literal(rule, t) => {
            if list {
                Expect::ListNext(column)
            } else if between {
                Expect::BetweenAnd(column)
            } else {
                Expect::Connective
            }
        }
        Expect::ListNext(c) if text == "," => Expect::Value { column: c, list: true, between: false },
        Expect::ListNext(_) if text == ")" => Expect::Connective,
        Expect::BetweenAnd(c) if kw("AND") => Expect::Value { column: c, list: false, between: false },
        _ => Expect::Unknown,
    }
}

fn keyword(word: &str) -> CompletionItem {
    CompletionItem {
        label: word.to_string(),
        insert: format!("{word} "),
        kind: ItemKind::Keyword,
        detail: String::new(),
    }
}

/// Everything that fits the state, before filtering by what was typed.
fn suggestions(expect: Expect, dataset: &Dataset, profiles: &mut ProfileCache) -> Vec<CompletionItem> {
    match expect {
        Expect::Operand => {
            let mut items: Vec<CompletionItem> = dataset
                .schema()
                .fields()
                .iter()
                .map(|f| CompletionItem {
                    label: f.name().clone(),
                    insert: format!("{} ", ident(f.name())),
                    kind: ItemKind::Column,
                    detail: type_name(f.data_type()),
                })
                .collect();
            items.push(keyword("NOT"));
            items
        }
        Expect::Operator(Some(c)) => operators(dataset, c, "", ""),
        Expect::NotOperator(Some(c)) => operators(dataset, c, "NOT ", "NOT "),
        Expect::With(_) => vec![keyword("WITH")],
        Expect::ListOpen(_) => vec![CompletionItem {
            label: "(".into(),
            insert: "(".into(),
            kind: ItemKind::Operator,
            detail: String::new(),
        }],
        Expect::Null => vec![keyword("NULL"), keyword("NOT NULL")],
        Expect::Value { column: Some(c), .. } => values(dataset, c, profiles),
        Expect::Has(c) => {
            let mut items = c.map_or_else(Vec::new, |c| values(dataset, c, profiles));
            items.extend(["ANY (", "ALL ("].map(|k| CompletionItem {
                label: k.into(),
                insert: k.into(),
                kind: ItemKind::Operator,
                detail: String::new(),
            }));
            items
        }
        Expect::BetweenAnd(_) => vec![keyword("AND")],
        Expect::Connective => vec![keyword("AND"), keyword("OR")],
        _ => Vec::new(),
    }
}

/// The operators the resolver accepts on column `index`; with `strip`, those written after `NOT` (without it).
fn operators(dataset: &Dataset, index: usize, require: &str, strip: &str) -> Vec<CompletionItem> {
    let name = ident(dataset.schema().field(index).name());
    let value = sample_value(kind_of(dataset, index));
    let options = RuleOptions { reference_date: 0 };
    OPERATORS
        .iter()
        .filter(|(insert, _)| insert.starts_with(require))
        .filter(|(_, template)| {
            let rule = template.replace("{c}", &name).replace("{v}", value);
            Rule::parse(&rule, dataset.schema(), &options).is_ok()
        })
        .map(|(insert, _)| {
            let insert = &insert[strip.len()..];
            CompletionItem {
                label: insert.trim_end().to_string(),
                insert: insert.to_string(),
                kind: if ["AND ", "OR "].contains(&insert) { ItemKind::Keyword } else { ItemKind::Operator },
                detail: String::new(),
            }
        })
        .collect()
}

/// The column's values: its most frequent ones (text), `TRUE` / `FALSE` (bool), the range and, when there are
/// few, every value (numbers, dates, timestamps).
fn values(dataset: &Dataset, index: usize, profiles: &mut ProfileCache) -> Vec<CompletionItem> {
    let kind = kind_of(dataset, index);
    if kind == ValueKind::Boolean {
        return vec![keyword("TRUE"), keyword("FALSE")];
    }
    let profile = profiles.get(dataset, index);
    let item = |value: &str, detail: String| CompletionItem {
        label: value.to_string(),
        insert: format!("{} ", literal_text(kind, value)),
        kind: ItemKind::Value,
        detail,
    };
    let counts = profile.top.iter().map(|v| item(&v.value, v.count.to_string()));
    if matches!(kind, ValueKind::Text | ValueKind::TextList) {
        return counts.collect();
    }
    let mut items: Vec<CompletionItem> = Vec::new();
    items.extend(profile.min.as_deref().map(|v| item(v, "min".into())));
    items.extend(profile.max.as_deref().map(|v| item(v, "max".into())));
    if profile.distinct_exact && profile.distinct <= 20 {
        items.extend(
            counts.filter(|c| profile.min.as_deref() != Some(&c.label) && profile.max.as_deref() != Some(&c.label)),
        );
    }
    items
}

/// A profile value as a literal of its kind (text quoted as canonical rule text quotes it).
fn literal_text(kind: ValueKind, value: &str) -> String {
    match kind {
        ValueKind::Text | ValueKind::TextList => {
            canonical::literal(&Literal { value: Value::Str(value.to_string()), span: (0, 0) })
        }
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, BooleanArray, Date32Array, DictionaryArray, Int32Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    fn dataset() -> Dataset {
        let city: DictionaryArray<Int32Type> =
            vec![Some("Oulu"), Some("Helsinki"), Some("Oulu"), Some("O'Hare")].into_iter().collect();
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("Default Address City", Arc::new(city)),
            ("is", Arc::new(Int32Array::from(vec![1, 2, 3, 4]))),
            ("with", Arc::new(StringArray::from(vec!["a", "b", "c", "d"]))),
            ("newsletter", Arc::new(BooleanArray::from(vec![true, false, true, true]))),
            ("signup", Arc::new(Date32Array::from(vec![0, 1, 2, 20_000]))),
            ("orders_count", Arc::new(Int32Array::from(vec![0, 5, 5, 2]))),
        ];
        let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
        Dataset::from_batches(schema, vec![batch]).unwrap()
    }

    fn at_end(rule: &str) -> Completion {
        complete(rule, rule.len(), &dataset(), &mut ProfileCache::default())
    }

    fn inserts(c: &Completion) -> Vec<&str> {
        c.items.iter().map(|i| i.insert.as_str()).collect()
    }

    /// Every suggestion, put in place, must lead to a rule the parser accepts (with a value where needed).
    fn accepted(rule: &str) -> bool {
        let ds = dataset();
        Rule::parse(rule, ds.schema(), &RuleOptions { reference_date: 0 }).is_ok()
    }

    #[test]
    fn columns_are_quoted_as_the_parser_needs() {
        let c = at_end("");
        let cols = inserts(&c);
        assert!(cols.contains(&"\"Default Address City\" "));
        assert!(cols.contains(&"\"is\" "), "keywords as names are quoted: {cols:?}");
        assert!(cols.contains(&"\"with\" "));
        assert!(cols.contains(&"newsletter "));
        assert!(accepted("\"is\" = 1") && accepted("\"with\" = 'a'"));
        // Typed part of a name, anywhere in it, case-insensitively; the range covers the typed word.
        let c = at_end("orders_count > 1 AND addr");
        assert_eq!((c.start, c.end), (21, 25));
        assert_eq!(inserts(&c), vec!["\"Default Address City\" "]);
    }

    #[test]
    fn values_after_a_quoted_name_with_spaces() {
        let c = at_end("\"Default Address City\" = ");
        assert_eq!(inserts(&c), vec!["'Oulu' ", "'Helsinki' ", "'O''Hare' "]);
        assert_eq!(c.items[0].detail, "2");
        let c = at_end("\"Default Address City\" = 'h");
        assert_eq!(inserts(&c), vec!["'Helsinki' "]);
        assert_eq!((c.start, c.end), (25, 27));
        let c = at_end("\"Default Address City\" IN ('Oulu', ");
        assert_eq!(c.items.len(), 3);
        assert!(accepted("\"Default Address City\" = 'O''Hare'"));
    }

    /// Values are filtered by the typed prefix, case-insensitively, non-ASCII letters included; a value that
    /// merely contains the typed text elsewhere is not offered.
    #[test]
    fn values_start_with_what_was_typed() {
        let channel = StringArray::from(vec!["email", "Email", "web", "sms", "EMAIL ", "Ääni", "äiti", "new email"]);
        let schema = Arc::new(Schema::new(vec![Field::new("channel", DataType::Utf8, true)]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(channel) as ArrayRef]).unwrap();
        let ds = Dataset::from_batches(schema, vec![batch]).unwrap();
        let labels = |rule: &str| {
            let mut v: Vec<String> = complete(rule, rule.len(), &ds, &mut ProfileCache::default())
                .items
                .into_iter()
                .map(|i| i.label)
                .collect();
            v.sort();
            v
        };
        assert_eq!(labels("channel = 'em"), ["EMAIL ", "Email", "email"]);
        assert_eq!(labels("channel IN ('web', 'EM"), ["EMAIL ", "Email", "email"]);
        assert_eq!(labels("channel = 'ä"), ["Ääni", "äiti"]);
        assert_eq!(labels("channel = 'x"), Vec::<String>::new());
        assert_eq!(labels("channel = ").len(), 8);
        // After LIKE, ILIKE and HAS too; HAS also offers ANY ( and ALL (.
        assert_eq!(labels("channel ILIKE 'e"), ["EMAIL ", "Email", "email"]);
        assert_eq!(labels("channel HAS 'w"), ["web"]);
        assert_eq!(labels("channel HAS a"), ["ALL (", "ANY ("]);
        assert_eq!(labels("channel HAS ANY ('sms', 'W"), ["web"]);
        assert_eq!(labels("channel NOT LIKE 's"), ["sms"]);
    }

    #[test]
    fn operators_fit_the_column_type() {
        let text_ops: Vec<String> = at_end("\"with\" ").items.into_iter().map(|i| i.label).collect();
        assert!(text_ops.contains(&"STARTS WITH".to_string()) && text_ops.contains(&"=".to_string()));
        let num_ops: Vec<String> = at_end("orders_count ").items.into_iter().map(|i| i.label).collect();
        assert!(num_ops.contains(&"BETWEEN".to_string()) && !num_ops.contains(&"CONTAINS".to_string()));
        let bool_ops: Vec<String> = at_end("newsletter ").items.into_iter().map(|i| i.label).collect();
        assert!(bool_ops.contains(&"AND".to_string()) && bool_ops.contains(&"IS NULL".to_string()));
        assert_eq!(inserts(&at_end("\"with\" NOT ST")), vec!["STARTS WITH "]);
        assert_eq!(inserts(&at_end("orders_count >= 1 ")), vec!["AND ", "OR "]);
    }

    #[test]
    fn values_of_other_kinds() {
        assert_eq!(inserts(&at_end("newsletter = ")), vec!["TRUE ", "FALSE "]);
        let c = at_end("signup >= ");
        assert_eq!(inserts(&c)[..2], ["1970-01-01 ", "2024-10-04 "]);
        assert_eq!(c.items[0].detail, "min");
        let c = at_end("orders_count BETWEEN 1 ");
        assert_eq!(inserts(&c), vec!["AND "]);
        assert_eq!(inserts(&at_end("orders_count BETWEEN 1 AND "))[..2], ["0 ", "5 "]);
    }

    #[test]
    fn the_cursor_may_be_inside_a_word_and_utf8_is_respected() {
        let ds = dataset();
        let rule = "orders_count > 1 AND sig = 2";
        let c = complete(rule, 23, &ds, &mut ProfileCache::default());
        assert_eq!((c.start, c.end), (21, 24));
        assert_eq!(inserts(&c), vec!["signup "]);
        // A cursor inside a multi-byte character does not panic.
        let c = complete("\"Kävijä", 3, &ds, &mut ProfileCache::default());
        assert!(c.start <= 3);
        // Broken before the cursor: nothing to suggest.
        assert!(at_end("orders_count = = ").items.is_empty());
    }
}
