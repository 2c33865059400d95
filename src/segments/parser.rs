//! The rule grammar (precedence low → high: `OR`, `AND`, `NOT`, predicate), producing an AST with byte spans.
//!
//! ```text
//! rule      := or EOF
//! or        := and ( OR and )*
//! and       := not ( AND not )*
//! not       := NOT not | '(' or ')' | link | predicate
//! link      := (COUNT | SUM | MIN | MAX) '(' word ['.' column] [WHERE or] ')' op value   -- SUM/MIN/MAX need the column
//!            | EXISTS '(' word [WHERE or] ')'                                          -- the '(' counts as nesting
//! predicate := operand                                  -- a bool column
//!            | operand op value                         -- op: = != <> < <= > >=
//!            | operand [NOT] BETWEEN value AND value
//!            | operand [NOT] IN '(' value ( ',' value )* ')'
//!            | operand IS [NOT] NULL
//!            | operand [NOT] CONTAINS string | operand [NOT] STARTS WITH string | operand [NOT] ENDS WITH string
//!            | operand [NOT] (LIKE | ILIKE) string [ESCAPE string]
//!            | operand [NOT] HAS string | operand [NOT] HAS (ANY | ALL) '(' string ( ',' string )* ')'
//! operand   := column | (lower | upper | trim) '(' operand ')'
//! column    := word | "quoted name"
//! value     := number | 'string' | TRUE | FALSE | date | timestamp | relative date (-90d) | TODAY
//!            | (lower | upper | trim) '(' value ')'         -- folded into the string at parse time
//!            | (DATE | TIMESTAMP | TIMESTAMPTZ | …) 'text'  -- SQL typed literals, so `toSql` output parses
//! ```

use super::diag::{syntax, syntax_message};
use super::lexer::{lex, CmpOp, Number, RelUnit, Tok, Token};
use super::textfn::TextFn;
use crate::error::{Error, Result};
use crate::messages::{nested, Message};

/// Words that cannot be bare column names (case-insensitive); such columns must be double-quoted.
pub const KEYWORDS: &[&str] = &[
    "AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "CONTAINS", "STARTS", "ENDS", "WITH", "TRUE", "FALSE", "TODAY",
];

/// Whether a word is a keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An exact decimal number.
    Number(Number),
    /// A string.
    Str(String),
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// A date, days since 1970-01-01.
    Date(i32),
    /// An instant, nanoseconds since the epoch (UTC).
    Timestamp(i128),
    /// `-n` units before the reference date.
    Relative(i64, RelUnit),
    /// The reference date.
    Today,
}

/// A literal and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The value.
    pub value: Value,
    /// Byte span in the rule text.
    pub span: (usize, usize),
}

/// What a predicate tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A bare bool column.
    Truthy,
    /// `column op value`.
    Cmp(CmpOp, Literal),
    /// `column BETWEEN low AND high` (inclusive).
    Between(Literal, Literal),
    /// `column IN (…)`.
    In(Vec<Literal>),
    /// `column IS NULL`.
    IsNull,
    /// `column CONTAINS 'text'`.
    Contains(Literal),
    /// `column STARTS WITH 'text'`.
    StartsWith(Literal),
    /// `column ENDS WITH 'text'`.
    EndsWith(Literal),
    /// `column LIKE 'pattern' [ESCAPE 'c']`, or `ILIKE` (case-insensitive).
    Like {
        /// The pattern (`%` any run, `_` one character).
        pattern: Literal,
        /// The escape character, if given.
        escape: Option<Literal>,
        /// `ILIKE`.
        case_insensitive: bool,
    },
    /// `column HAS 'tag'`, `HAS ANY (…)`, `HAS ALL (…)`: tag-list element tests.
    Has(HasMode, Vec<Literal>),
}

/// Which of the listed tags `HAS` requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HasMode {
    /// `HAS 'x'`: this one tag.
    One,
    /// `HAS ANY (…)`: at least one of them.
    Any,
    /// `HAS ALL (…)`: every one of them.
    All,
}

/// One condition on one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    /// Column name as the schema spells it (after resolution; as written before).
    pub column: String,
    /// Span of the column name.
    pub column_span: (usize, usize),
    /// Index in the schema (set by resolution).
    pub column_index: usize,
    /// Text functions applied to the column before the test, innermost first (`lower(trim(x))` → trim, lower).
    pub funcs: Vec<TextFn>,
    /// The test.
    pub test: Test,
    /// `NOT IN`, `NOT BETWEEN`, `IS NOT NULL`, `NOT CONTAINS`, …: the negation of the test.
    pub negated: bool,
    /// Span of the whole predicate.
    pub span: (usize, usize),
}

/// The aggregates over a linked table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkFunc {
    /// `COUNT(link …)`
    Count,
    /// `EXISTS(link …)`
    Exists,
    /// `SUM(link.column …)`
    Sum,
    /// `MIN(link.column …)`
    Min,
    /// `MAX(link.column …)`
    Max,
}

impl LinkFunc {
    /// The function for a name (case-insensitive).
    pub fn from_name(name: &str) -> Option<LinkFunc> {
        match name.to_ascii_uppercase().as_str() {
            "COUNT" => Some(LinkFunc::Count),
            "EXISTS" => Some(LinkFunc::Exists),
            "SUM" => Some(LinkFunc::Sum),
            "MIN" => Some(LinkFunc::Min),
            "MAX" => Some(LinkFunc::Max),
            _ => None,
        }
    }

    /// The name as canonical text writes it.
    pub fn name(self) -> &'static str {
        match self {
            LinkFunc::Count => "COUNT",
            LinkFunc::Exists => "EXISTS",
            LinkFunc::Sum => "SUM",
            LinkFunc::Min => "MIN",
            LinkFunc::Max => "MAX",
        }
    }
}

/// An aggregate over a linked table: `COUNT(orders WHERE "Created at" >= -90d) >= 2`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPred {
    /// The aggregate.
    pub func: LinkFunc,
    /// The link's name.
    pub link: String,
    /// Span of the link's name.
    pub link_span: (usize, usize),
    /// The aggregated column of the linked table (`SUM`/`MIN`/`MAX`) and its span.
    pub column: Option<(String, (usize, usize))>,
    /// The condition on the linked rows, resolved against the linked table's columns.
    pub filter: Option<Box<Expr>>,
    /// The comparison of the aggregate (none for `EXISTS`).
    pub cmp: Option<(CmpOp, Literal)>,
    /// Span of the whole predicate.
    pub span: (usize, usize),
}

/// A rule expression. `And`/`Or` are flattened (no direct child of the same kind).
// Predicates are the common leaf and a rule is parsed once; boxing them would add an allocation per leaf for
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All of.
    And(Vec<Expr>),
    /// Any of.
    Or(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// A condition.
    Pred(Predicate),
    /// An aggregate over a linked table.
    Link(LinkPred),
}

/// How deeply parentheses and `NOT`s may nest. The AST is never deeper than this (plus its flattened
/// `AND`/`OR` levels, at most one per parenthesis), which bounds the recursion of everything that walks it —
/// evaluator, canonical text, SQL writer — well inside the wasm stack (1 MiB; docs/hardening.md).
pub const MAX_NESTING: usize = 64;

/// Parse rule text into an AST (no schema involved yet).
pub fn parse(text: &str) -> Result<Expr> {
    let tokens = lex(text)?;
    let mut p = Parser { text, tokens, pos: 0, depth: 0 };
    if p.peek().tok == Tok::Eof {
        return Err(syntax_message(text, 0, text.len(), Message::plain("empty_rule")));
    }
    let expr = p.or()?;
    let t = p.peek().clone();
    if t.tok != Tok::Eof {
        let message = match &t.tok {
            Tok::RParen => Message::plain("unmatched_paren"),
            _ => Message::new("unexpected_join", [found(text, &t)]),
        };
        return Err(syntax_message(text, t.start, t.end, message));
    }
    Ok(expr)
}

fn describe(text: &str, t: &Token) -> String {
    match t.tok {
        Tok::Eof => "end of rule".to_string(),
        _ => format!("`{}`", &text[t.start..t.end]),
    }
}

/// [`describe`] as a parameter of a catalogued message (the end of the rule is itself catalogued).
fn found(text: &str, t: &Token) -> String {
    match t.tok {
        Tok::Eof => nested("end_of_rule", &[]),
        _ => describe(text, t),
    }
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Open parentheses and `NOT`s around the current position.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_kw(&self, t: &Token, kw: &str) -> bool {
        matches!(&t.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(self.peek(), kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, kw: &str, context: &str) -> Result<Token> {
        let t = self.peek().clone();
        if self.is_kw(&t, kw) {
            self.pos += 1;
            Ok(t)
        } else {
            Err(syntax(
                self.text,
                t.start,
                t.end,
                format!("expected {kw} {context}, found {}", describe(self.text, &t)),
            ))
        }
    }

    /// The next token if it is `tok`; otherwise a syntax error at it, worded by `message(found)` (`found`
    /// describes the token, e.g. `` `,` `` or "the end of the rule").
    fn expect(&mut self, tok: Tok, message: impl FnOnce(&str) -> String) -> Result<Token> {
        let t = self.next();
        if t.tok == tok {
            return Ok(t);
        }
        Err(syntax(self.text, t.start, t.end, message(&describe(self.text, &t))))
    }

    /// `'(' inner ')'`, one nesting level deep: `opener` names the `(` in the error when the `)` is missing
    /// (`COUNT(`, ``the `(` at offset 4``). Callers have peeked the `(`; a missing one is reported all the same.
    /// `close(found)` is the catalogued message for a missing `)`.
    fn parenthesized<T>(
        &mut self,
        opener: &str,
        close: impl FnOnce(String) -> Message,
        inner: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let open = self.expect(Tok::LParen, |found| format!("expected `(` after {opener}, found {found}"))?;
        self.nest(&open)?;
        let value = inner(self)?;
        self.depth -= 1;
        let t = self.next();
        if t.tok != Tok::RParen {
            return Err(syntax_message(self.text, t.start, t.end, close(found(self.text, &t))));
        }
        Ok(value)
    }

    fn or(&mut self) -> Result<Expr> {
        let mut items = vec![self.and()?];
        while self.eat_kw("OR") {
            items.push(self.and()?);
        }
        Ok(flatten(items, false))
    }

    fn and(&mut self) -> Result<Expr> {
        let mut items = vec![self.not()?];
        while self.eat_kw("AND") {
            items.push(self.not()?);
        }
        Ok(flatten(items, true))
    }

    /// Enter one nesting level (a `NOT` or a `(` at `t`), refusing to go beyond [`MAX_NESTING`].
    fn nest(&mut self, t: &Token) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(syntax(
                self.text,
                t.start,
                t.end,
                format!(
                    "the rule is nested deeper than {MAX_NESTING} levels of parentheses and NOTs; \
                     write it flatter (A AND B AND C needs no parentheses, NOT NOT x is x)"
                ),
            ));
        }
        Ok(())
    }

    fn not(&mut self) -> Result<Expr> {
        let t = self.peek().clone();
        if self.eat_kw("NOT") {
            self.nest(&t)?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if t.tok == Tok::LParen {
            let close = |found| Message::new("expected_close_paren", [t.start.to_string(), found]);
            return self.parenthesized(&format!("the `(` at offset {}", t.start), close, Self::or);
        }
        if let (Tok::Word(w), Tok::LParen) = (&t.tok, &self.peek_at(1).tok) {
            if let Some(func) = LinkFunc::from_name(w) {
                return self.link(func);
            }
        }
        self.predicate()
    }

    /// `FUNC '(' link ['.' column] [WHERE or] ')' [op value]` (no comparison after `EXISTS`).
    fn link(&mut self, func: LinkFunc) -> Result<Expr> {
        let start = self.next().start;
        let close = |found| Message::new("expected_link_close", [func.name().to_string(), found]);
        let mut pred = self.parenthesized(&format!("{}(", func.name()), close, |p| p.link_body(func))?;
        pred.cmp = if func == LinkFunc::Exists {
            None
        } else {
            let op = self.next();
            let Tok::Op(op_kind) = op.tok else {
                let message = Message::new("link_compare", [func.name()]);
                return Err(syntax_message(self.text, op.start, op.end, message));
            };
            Some((op_kind, self.value()?))
        };
        pred.span = (start, self.tokens[self.pos.saturating_sub(1)].end);
        Ok(Expr::Link(pred))
    }

    /// What stands between `FUNC(` and `)` (the link, its column, the `WHERE` filter); the caller adds the
    /// comparison and the whole span.
    fn link_body(&mut self, func: LinkFunc) -> Result<LinkPred> {
        let t = self.next();
        let Tok::Word(link) = &t.tok else {
            let message = Message::new("expected_link_name", [func.name()]);
            return Err(syntax_message(self.text, t.start, t.end, message));
        };
        let mut column = None;
        if self.peek().tok == Tok::Dot {
            self.pos += 1;
            let c = self.next();
            match &c.tok {
                Tok::Word(w) if !is_keyword(w) => column = Some((w.clone(), (c.start, c.end))),
                Tok::QuotedIdent(w) => column = Some((w.clone(), (c.start, c.end))),
                _ => {
                    return Err(syntax(
                        self.text,
                        c.start,
                        c.end,
                        format!("expected a column of `{link}` after the dot, e.g. {link}.\"Total\""),
                    ))
                }
            }
        }
        let needs_column = matches!(func, LinkFunc::Sum | LinkFunc::Min | LinkFunc::Max);
        if needs_column != column.is_some() {
            let key = if needs_column { "link_needs_column" } else { "link_counts_rows" };
            let message = Message::new(key, [func.name(), link.as_str()]);
            return Err(syntax_message(self.text, t.start, self.tokens[self.pos - 1].end, message));
        }
        let filter = if self.eat_kw("WHERE") { Some(Box::new(self.or()?)) } else { None };
        Ok(LinkPred { func, link: link.clone(), link_span: (t.start, t.end), column, filter, cmp: None, span: (0, 0) })
    }

    fn predicate(&mut self) -> Result<Expr> {
        let start = self.peek().start;
        let funcs = self.functions()?;
        let t = self.next();
        let column = match &t.tok {
            Tok::QuotedIdent(name) => name.clone(),
            Tok::Word(w) if !is_keyword(w) => w.clone(),
            _ => {
                let what = found(self.text, &t);
                let message = match &t.tok {
                    Tok::Word(w) => Message::new("expected_column_keyword", [what, w.clone()]),
                    Tok::Str(s) => Message::new("expected_column_string", [what, s.clone()]),
                    _ => Message::new("expected_column", [what]),
                };
                return Err(syntax_message(self.text, t.start, t.end, message));
            }
        };
        let column_span = (t.start, t.end);
        self.close_functions(&funcs)?;
        let mut negated = false;
        let op = self.peek().clone();
        let test = match &op.tok {
            Tok::Op(cmp) => {
                self.pos += 1;
                Test::Cmp(*cmp, self.value()?)
            }
            Tok::Word(w) => {
                let w = w.to_ascii_uppercase();
                let mut kw = w.as_str();
                if kw == "NOT" {
                    let after = self.peek_at(1).clone();
                    let next_kw = match &after.tok {
                        Tok::Word(n) => n.to_ascii_uppercase(),
                        _ => String::new(),
                    };
                    const NEGATABLE: &[&str] = &["IN", "BETWEEN", "CONTAINS", "STARTS", "ENDS", "LIKE", "ILIKE", "HAS"];
                    if let Some(k) = NEGATABLE.iter().find(|k| **k == next_kw) {
                        negated = true;
                        self.pos += 1;
                        kw = k;
                    } else {
                        return Err(syntax(
                            self.text,
                            op.start,
                            after.end,
                            "after a column, NOT must be followed by IN, BETWEEN, CONTAINS, STARTS WITH, ENDS WITH, \
                             LIKE, ILIKE or HAS; to negate a condition put NOT before it",
                        ));
                    }
                }
                match kw {
                    "AND" | "OR" => Test::Truthy,
                    "IS" => {
                        self.pos += 1;
                        negated = self.eat_kw("NOT");
                        self.expect_kw("NULL", "after IS")?;
                        Test::IsNull
                    }
                    "BETWEEN" => {
                        self.pos += 1;
                        let low = self.value()?;
                        self.expect_kw("AND", "between the two bounds of BETWEEN")?;
                        let high = self.value()?;
                        Test::Between(low, high)
                    }
                    "IN" => {
                        self.pos += 1;
                        Test::In(self.list("IN", "IN ('FI', 'SE')")?)
                    }
                    "CONTAINS" => {
                        self.pos += 1;
                        Test::Contains(self.value()?)
                    }
                    "STARTS" | "ENDS" => {
                        self.pos += 1;
                        self.expect_kw("WITH", &format!("after {kw}"))?;
                        let v = self.value()?;
                        if kw == "STARTS" {
                            Test::StartsWith(v)
                        } else {
                            Test::EndsWith(v)
                        }
                    }
                    "LIKE" | "ILIKE" => {
                        self.pos += 1;
                        let pattern = self.value()?;
                        let escape = if self.eat_kw("ESCAPE") { Some(self.value()?) } else { None };
                        Test::Like { pattern, escape, case_insensitive: kw == "ILIKE" }
                    }
                    "HAS" => {
                        self.pos += 1;
                        let mode = if self.eat_kw("ANY") {
                            HasMode::Any
                        } else if self.eat_kw("ALL") {
                            HasMode::All
                        } else {
                            HasMode::One
                        };
                        let items = if mode == HasMode::One {
                            vec![self.value()?]
                        } else {
                            self.list("HAS ANY / HAS ALL", "HAS ANY ('vip', 'gold')")?
                        };
                        Test::Has(mode, items)
                    }
                    _ => return Err(no_operator(self.text, &column, &op)),
                }
            }
            Tok::Eof | Tok::RParen => Test::Truthy,
            _ => return Err(no_operator(self.text, &column, &op)),
        };
        let end = self.tokens[self.pos.saturating_sub(1)].end.max(column_span.1);
        Ok(Expr::Pred(Predicate { column, column_span, column_index: 0, funcs, test, negated, span: (start, end) }))
    }

    /// `lower(`, `upper(`, `trim(` before a column: the functions, innermost first (the `(`s are consumed).
    fn functions(&mut self) -> Result<Vec<TextFn>> {
        let mut outer_first = Vec::new();
        while let Tok::Word(w) = &self.peek().tok {
            match TextFn::from_name(w) {
                Some(f) if self.peek_at(1).tok == Tok::LParen => {
                    outer_first.push(f);
                    self.pos += 2;
                }
                _ => break,
            }
        }
        outer_first.reverse();
        Ok(outer_first)
    }

    /// The `)`s closing [`Parser::functions`].
    fn close_functions(&mut self, funcs: &[TextFn]) -> Result<()> {
        for f in funcs {
            let name = f.name();
            self.expect(Tok::RParen, |found| format!("expected `)` to close {name}(, found {found}"))?;
        }
        Ok(())
    }

    /// `'(' value ( ',' value )* ')'` after `what` (`IN`, `HAS ANY`), `example` showing such a list.
    fn list(&mut self, what: &str, example: &str) -> Result<Vec<Literal>> {
        self.expect(Tok::LParen, |_| format!("expected `(` after {what}: write a list like {example}"))?;
        let mut items = vec![self.value()?];
        loop {
            let sep = self.next();
            match sep.tok {
                Tok::Comma => items.push(self.value()?),
                Tok::RParen => return Ok(items),
                _ => {
                    let message = Message::new("expected_list_separator", [what.to_string(), found(self.text, &sep)]);
                    return Err(syntax_message(self.text, sep.start, sep.end, message));
                }
            }
        }
    }

    /// `DATE '2026-08-03'`, `TIMESTAMPTZ '2026-08-03 00:00:00+00'`, …: the string read as the rule's own date or
    /// timestamp literal (space or `T` between date and time; without an offset, UTC wall clock).
    fn typed_value(&mut self, ty: &str, text: String) -> Result<Literal> {
        let start = self.peek().start;
        self.pos += 2;
        let end = self.tokens[self.pos - 1].end;
        let iso = text.trim().replacen(' ', "T", 1);
        let value = match lex(&iso).ok().as_deref() {
            Some([Token { tok: Tok::Date(d), .. }, Token { tok: Tok::Eof, .. }]) if ty == "DATE" => Value::Date(*d),
            Some([Token { tok: Tok::Timestamp(t), .. }, Token { tok: Tok::Eof, .. }]) if ty != "DATE" => {
                Value::Timestamp(*t)
            }
            Some([Token { tok: Tok::Date(d), .. }, Token { tok: Tok::Eof, .. }]) => {
                Value::Timestamp(i128::from(*d) * super::calendar::NANOS_PER_DAY)
            }
            _ => {
                return Err(syntax(
                    self.text,
                    start,
                    end,
                    format!("`{text}` is not a valid {ty}; write e.g. {ty} '2026-08-03' or simply 2026-08-03"),
                ))
            }
        };
        Ok(Literal { value, span: (start, end) })
    }

    /// `lower('Text')` and friends as a value: the function applied to the string at parse time.
    fn folded_value(&mut self, f: TextFn, start: usize) -> Result<Literal> {
        self.pos += 1;
        let close = |found| Message::new("expected_link_close", [f.name().to_string(), found]);
        let inner = self.parenthesized(&format!("{}(", f.name()), close, Self::value)?;
        let Value::Str(s) = &inner.value else {
            return Err(syntax(
                self.text,
                inner.span.0,
                inner.span.1,
                format!("{}() takes text in single quotes, e.g. {}('Helsinki')", f.name(), f.name()),
            ));
        };
        let value = Value::Str(f.apply(s).into_owned());
        let end = self.tokens[self.pos.saturating_sub(1)].end;
        Ok(Literal { value, span: (start, end) })
    }

    fn value(&mut self) -> Result<Literal> {
        if let Tok::Word(w) = &self.peek().tok {
            if let (Some(f), Tok::LParen) = (TextFn::from_name(w), &self.peek_at(1).tok) {
                return self.folded_value(f, self.peek().start);
            }
            if let (Some(ty), Tok::Str(text)) = (sql_typed(w), &self.peek_at(1).tok) {
                return self.typed_value(ty, text.clone());
            }
        }
        let t = self.next();
        let value = match &t.tok {
            Tok::Number(n) => Value::Number(*n),
            Tok::Str(s) => Value::Str(s.clone()),
            Tok::Date(d) => Value::Date(*d),
            Tok::Timestamp(ns) => Value::Timestamp(*ns),
            Tok::Relative(n, u) => Value::Relative(*n, *u),
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") => Value::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("FALSE") => Value::Bool(false),
            Tok::Word(w) if w.eq_ignore_ascii_case("TODAY") => Value::Today,
            Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => {
                return Err(syntax_message(self.text, t.start, t.end, Message::plain("null_value")))
            }
            Tok::Word(w) => {
                return Err(syntax_message(self.text, t.start, t.end, Message::new("expected_value_word", [w.clone()])))
            }
            Tok::QuotedIdent(s) => {
                let message = Message::new("expected_value_column", [s.clone()]);
                return Err(syntax_message(self.text, t.start, t.end, message));
            }
            _ => {
                let message = Message::new("expected_value", [found(self.text, &t)]);
                return Err(syntax_message(self.text, t.start, t.end, message));
            }
        };
        Ok(Literal { value, span: (t.start, t.end) })
    }
}

/// The SQL type of a typed literal (`DATE 'x'`, `TIMESTAMP 'x'`, …) as written by `toSql` in any dialect.
fn sql_typed(word: &str) -> Option<&'static str> {
    const TYPES: &[&str] = &["DATE", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NS", "TIMESTAMPTZ_NS", "TIMESTAMP_NTZ"];
    TYPES.iter().find(|t| t.eq_ignore_ascii_case(word)).copied()
}

/// `AND` (`and`) or `OR` of `items`, lifting children of the same kind (the AST never nests them directly).
pub(crate) fn flatten(items: Vec<Expr>, and: bool) -> Expr {
    if items.len() == 1 {
        return items.into_iter().next().unwrap_or(Expr::And(Vec::new()));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Expr::And(inner) if and => out.extend(inner),
            Expr::Or(inner) if !and => out.extend(inner),
            other => out.push(other),
        }
    }
    if and {
        Expr::And(out)
    } else {
        Expr::Or(out)
    }
}

/// The error for a column followed by something that is not an operator.
fn no_operator(text: &str, column: &str, op: &Token) -> Error {
    syntax_message(text, op.start, op.end, Message::new("expected_operator", [column.to_string(), found(text, op)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_flattening() {
        let e = parse("a = 1 OR b = 2 AND NOT c = 3 OR (d = 4 OR e)").unwrap();
        let Expr::Or(items) = e else { panic!() };
        assert_eq!(items.len(), 4);
        assert!(matches!(&items[1], Expr::And(v) if v.len() == 2 && matches!(v[1], Expr::Not(_))));
        let e = parse("x between 1 and 5 and flag").unwrap();
        let Expr::And(items) = e else { panic!() };
        assert!(matches!(&items[0], Expr::Pred(p) if matches!(p.test, Test::Between(_, _))));
        assert!(matches!(&items[1], Expr::Pred(p) if p.test == Test::Truthy));
        let Expr::Pred(p) = parse("c not in ('a', 'b')").unwrap() else { panic!() };
        assert!(p.negated && p.span == (0, 19));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        for (rule, span) in [
            ("x = ", (4, 4)),
            ("x = 1 AND", (9, 9)),
            ("(x = 1", (6, 6)),
            ("x = 1)", (5, 6)),
            ("x IN 1", (5, 6)),
            ("x = NULL", (4, 8)),
            ("x IS NOT 3", (9, 10)),
            ("AND x = 1", (0, 3)),
            ("x foo 1", (2, 5)),
            ("x = 1 y = 2", (6, 7)),
            ("", (0, 0)),
        ] {
            let e = parse(rule).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::RuleSyntax, "{rule}");
            assert_eq!(e.span, Some(span), "{rule}: {}", e.message);
        }
    }
}
