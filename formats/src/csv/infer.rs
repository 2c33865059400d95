//! Column type inference over every value of the file (not a sample), so a column inferred as a type always
//! builds, and the decisions that keep values text: leading zeros, a leading `+`, more than 15 significant
//! digits, a spreadsheet's protective apostrophe, mixed currencies, numbers or dates that read differently
//! under two locales. Each decision is a warning naming the column.

use arrow_schema::{DataType, TimeUnit};

use super::types::{Forced, Locale};
use super::values::{
    bool_word, date_part, num_shape, parse_styles, stamp_after, strip_currency, trim, NumStyle, SlashOrder, ALL_STYLES,
    ONE_ZERO_PAIR,
};
use crate::error::FormatError;
use crate::messages::{nested, Message};
use crate::tz::Zone;
use crate::Warning;

const NUM: u8 = 1;
const BOOL: u8 = 2;
const TEMPORAL: u8 = 4;
const MAX_EXAMPLES: usize = 3;

/// How a column is built.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Utf8,
    Int64,
    Float64(NumStyle),
    Decimal128(u8, i8, NumStyle),
    Bool,
    Date32(SlashOrder),
    /// Unit, the Arrow time zone, the zone wall-clock values are read in, slash order.
    Timestamp(TimeUnit, Option<String>, Zone, SlashOrder),
}

impl Kind {
    pub fn data_type(&self) -> DataType {
        match self {
            Kind::Utf8 => DataType::Utf8,
            Kind::Int64 => DataType::Int64,
            Kind::Float64(_) => DataType::Float64,
            Kind::Decimal128(p, s, _) => DataType::Decimal128(*p, *s),
            Kind::Bool => DataType::Boolean,
            Kind::Date32(_) => DataType::Date32,
            Kind::Timestamp(unit, tz, _, _) => DataType::Timestamp(*unit, tz.as_deref().map(Into::into)),
        }
    }
}

/// Up to three distinct example values.
#[derive(Debug, Default, Clone)]
struct Examples(Vec<String>);

impl Examples {
    fn add(&mut self, v: &str) {
        if self.0.len() < MAX_EXAMPLES && !self.0.iter().any(|e| e == v) {
            self.0.push(v.to_string());
        }
    }
    fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// What the values of one column have shown so far.
#[derive(Debug, Clone)]
pub struct ColStats {
    candidates: u8,
    non_null: u64,
    plain_int: bool,
    /// Number styles under which every numeric value reads, and pairs of styles that gave different numbers
    /// for some value (bit `3*i + j`).
    styles: u8,
    style_differ: u16,
    differ_example: Examples,
    /// The first values with separators (for messages about the number style).
    styled_example: Examples,
    leading_zero: Examples,
    leading_plus: Examples,
    too_many_digits: Examples,
    apostrophe: Examples,
    currency: Option<&'static str>,
    currencies: Examples,
    bools: u8,
    seen_one: bool,
    seen_zero: bool,
    /// Slash orders under which every slash date reads, and whether they disagreed on a value.
    orders: u8,
    order_differ: Examples,
    slash_example: Examples,
    any_stamp: bool,
    any_offset: bool,
    max_frac: u8,
}

/// A value a spreadsheet protected with a leading apostrophe (`'00100`, `'+358…`): the rest is a number,
/// code or date written with digits and punctuation only.
pub fn protected(raw: &str) -> Option<&str> {
    // A byte test first: `strip_prefix(char)` calls memcmp, and this runs on every value.
    if raw.as_bytes().first() != Some(&b'\'') {
        return None;
    }
    let rest = &raw[1..];
    let ok = rest.bytes().any(|b| b.is_ascii_digit())
        && rest.bytes().all(|b| b.is_ascii_digit() || b"+-., /:".contains(&b))
        && !rest.ends_with('\'');
    ok.then_some(rest)
}

impl Default for ColStats {
    fn default() -> Self {
        ColStats {
            candidates: NUM | BOOL | TEMPORAL,
            non_null: 0,
            plain_int: true,
            styles: 0b111,
            style_differ: 0,
            differ_example: Examples::default(),
            styled_example: Examples::default(),
            leading_zero: Examples::default(),
            leading_plus: Examples::default(),
            too_many_digits: Examples::default(),
            apostrophe: Examples::default(),
            currency: None,
            currencies: Examples::default(),
            bools: 0x7f,
            seen_one: false,
            seen_zero: false,
            orders: 0b11,
            order_differ: Examples::default(),
            slash_example: Examples::default(),
            any_stamp: false,
            any_offset: false,
            max_frac: 0,
        }
    }
}

impl ColStats {
    /// Take one non-null value into account.
    pub fn observe(&mut self, raw: &str) {
        self.non_null += 1;
        if protected(raw).is_some() {
            self.apostrophe.add(raw);
            self.candidates = 0;
            return;
        }
        if self.candidates == 0 {
            return;
        }
        let v = trim(raw);
        if v.is_empty() {
            return;
        }
        let mut fits = 0;
        if self.candidates & NUM != 0 && self.observe_number(v) {
            fits |= NUM;
        }
        if self.candidates & BOOL != 0 {
            let (mask, _) = bool_word(v);
            if self.bools & mask != 0 {
                self.bools &= mask;
                self.seen_one |= v == "1";
                self.seen_zero |= v == "0";
                fits |= BOOL;
            }
        }
        if self.candidates & TEMPORAL != 0 && self.observe_temporal(v) {
            fits |= TEMPORAL;
        }
        self.candidates &= fits;
    }

    fn observe_number(&mut self, v: &str) -> bool {
        let (negative, amount) = match strip_currency(v) {
            Some(m) => {
                if self.currency.is_some_and(|c| c != m.currency) {
                    self.currencies.add(m.currency);
                }
                if self.currency.is_none() {
                    self.currency = Some(m.currency);
                    self.currencies.add(m.currency);
                }
                (m.negative, m.amount)
            }
            None => (false, v),
        };
        let Some(shape) = num_shape(amount) else {
            return false;
        };
        if negative && (amount.starts_with('-') || amount.starts_with('+')) {
            return false;
        }
        let values = if shape.plain_int { [None; 3] } else { parse_styles(amount) };
        if !shape.plain_int && values.iter().all(Option::is_none) {
            return false;
        }
        if shape.leading_plus {
            self.leading_plus.add(v);
        }
        if shape.leading_zero {
            self.leading_zero.add(v);
        }
        if shape.too_many_digits {
            self.too_many_digits.add(v);
        }
        if shape.plain_int && amount.len() == v.len() {
            return true; // reads the same in every style
        }
        self.plain_int = false;
        if shape.plain_int {
            return true;
        }
        self.styled_example.add(v);
        let fit = values.iter().enumerate().fold(0u8, |m, (i, r)| m | (u8::from(r.is_some()) << i));
        if self.styles & fit == 0 {
            // Not readable in any style the earlier values allowed (`1,020.50` then `12,5`): not one number
            // column. The styles stay as they were, for a forced type's error to name this value.
            return false;
        }
        self.styles &= fit;
        for i in 0..3 {
            for j in i + 1..3 {
                if let (Some(a), Some(b)) = (values[i], values[j]) {
                    if a != b {
                        self.style_differ |= 1 << (3 * i + j);
                        self.differ_example.add(v);
                    }
                }
            }
        }
        true
    }

    fn observe_temporal(&mut self, v: &str) -> bool {
        let Some(d) = date_part(v) else {
            return false;
        };
        let (days, slash) = if d.len == v.len() {
            (d.days.map(|d| d.map(i64::from)), d.slash)
        } else if let Some(s) = stamp_after(v, d) {
            self.any_stamp = true;
            self.any_offset |= s.offset.is_some();
            self.max_frac = self.max_frac.max(s.frac_digits);
            (s.wall, s.slash)
        } else {
            return false;
        };
        if slash {
            self.slash_example.add(v);
            let fit = u8::from(days[0].is_some()) | (u8::from(days[1].is_some()) << 1);
            if self.orders & fit == 0 {
                return false; // `9/16/2025` then `16/9/2025`
            }
            self.orders &= fit;
            if days[0].is_some() && days[1].is_some() && days[0] != days[1] {
                self.order_differ.add(v);
            }
        }
        true
    }

    /// The one number style of `locale` (among those every value reads in), or the values that disagree.
    fn number_style(&self, locale: Locale) -> Result<NumStyle, &Examples> {
        let allowed = locale_styles(locale);
        let usable = if self.styles & allowed != 0 { self.styles & allowed } else { allowed };
        let first = (0..3).find(|i| usable & (1 << i) != 0).unwrap_or(0);
        let disagree =
            (first + 1..3).any(|j| usable & (1 << j) != 0 && self.style_differ & (1 << (3 * first + j)) != 0);
        if disagree {
            return Err(&self.differ_example);
        }
        Ok(ALL_STYLES[first])
    }

    fn slash_order(&self, locale: Locale) -> Result<SlashOrder, &Examples> {
        match locale {
            Locale::En => Ok(SlashOrder::MonthFirst),
            Locale::Fi | Locale::Sv | Locale::De => Ok(SlashOrder::DayFirst),
            Locale::Auto => match self.orders {
                0b10 => Ok(SlashOrder::DayFirst),
                _ if self.order_differ.any() && self.orders == 0b11 => Err(&self.order_differ),
                _ => Ok(SlashOrder::MonthFirst),
            },
        }
    }

    fn differ_or_any(&self) -> Examples {
        if self.differ_example.any() {
            self.differ_example.clone()
        } else {
            self.styled_example.clone()
        }
    }

    fn unit(&self) -> TimeUnit {
        match self.max_frac {
            0 => TimeUnit::Second,
            1..=3 => TimeUnit::Millisecond,
            4..=6 => TimeUnit::Microsecond,
            _ => TimeUnit::Nanosecond,
        }
    }

    /// The Arrow time zone of a timestamp column: the `timeZone` option when given, UTC when values carry
    /// offsets, none (wall clock read as UTC, as before) otherwise.
    fn stamp_tz(&self, zone: &Zone, zone_given: bool) -> Option<String> {
        if zone_given {
            Some(zone.name.clone())
        } else if self.any_offset {
            Some("UTC".into())
        } else {
            None
        }
    }

    /// The inferred kind and the warnings that explain it.
    pub fn decide(&self, column: &str, ctx: &Context) -> (Kind, Vec<Warning>) {
        let mut warnings = Vec::new();
        let mut warn = |code: &'static str, text: Message, examples: &Examples| {
            warnings.push(Warning::new(code, Some(column), text).with_examples(&examples.0))
        };
        if self.apostrophe.any() {
            let text = Message::new("warn_apostrophe", [column, &self.apostrophe.0[0]]);
            warn("APOSTROPHE_REMOVED", text, &self.apostrophe);
            return (Kind::Utf8, warnings);
        }
        if self.non_null == 0 || self.candidates == 0 {
            return (Kind::Utf8, warnings);
        }
        if self.candidates & BOOL != 0 && (self.bools != 1 << ONE_ZERO_PAIR || (self.seen_one && self.seen_zero)) {
            return (Kind::Bool, warnings);
        }
        if self.candidates & NUM != 0 {
            let kept = [
                (&self.leading_zero, "LEADING_ZERO", "why_leading_zero"),
                (&self.leading_plus, "LEADING_PLUS", "why_leading_plus"),
                (&self.too_many_digits, "TOO_MANY_DIGITS", "why_too_many_digits"),
            ];
            let mut text = false;
            for (examples, code, why) in kept {
                if examples.any() {
                    let msg = Message::new("warn_stays_text", [column, &examples.0[0], &nested(why, &[])]);
                    warn(code, msg, examples);
                    text = true;
                }
            }
            if text {
                return (Kind::Utf8, warnings);
            }
            if self.currencies.0.len() > 1 {
                let msg = Message::new("warn_mixed_currency", [column.to_string(), self.currencies.0.join(", ")]);
                warn("MIXED_CURRENCY", msg, &self.currencies);
                return (Kind::Utf8, warnings);
            }
            if self.plain_int && self.currency.is_none() {
                return (Kind::Int64, warnings);
            }
            if self.styles & locale_styles(ctx.locale) == 0 {
                return (Kind::Utf8, vec![mismatch(column, ctx.locale, "what_numbers", &self.differ_or_any())]);
            }
            return match self.number_style(ctx.locale) {
                Ok(style) => {
                    if let Some(c) = self.currency {
                        let msg = Message::new("warn_currency_removed", [column.to_string(), c.to_string()]);
                        warn("CURRENCY_REMOVED", msg, &Examples::default());
                    }
                    (Kind::Float64(style), warnings)
                }
                Err(examples) => {
                    let shown = examples.0.first().map_or("1,020", String::as_str);
                    let msg = Message::new("warn_ambiguous_number", [column, shown]);
                    warn("AMBIGUOUS_NUMBER", msg, examples);
                    (Kind::Utf8, warnings)
                }
            };
        }
        if self.candidates & TEMPORAL != 0 {
            if self.orders & locale_orders(ctx.locale) == 0 {
                return (Kind::Utf8, vec![mismatch(column, ctx.locale, "what_dates", &self.slash_example)]);
            }
            return match self.slash_order(ctx.locale) {
                Ok(order) if self.any_stamp => {
                    let tz = self.stamp_tz(&ctx.zone, ctx.zone_given);
                    (Kind::Timestamp(self.unit(), tz, ctx.zone.clone(), order), warnings)
                }
                Ok(order) => (Kind::Date32(order), warnings),
                Err(examples) => {
                    let msg = Message::new("warn_ambiguous_date", [column, &examples.0[0]]);
                    warn("AMBIGUOUS_DATE", msg, examples);
                    (Kind::Utf8, warnings)
                }
            };
        }
        (Kind::Utf8, warnings)
    }

    /// The kind for a forced type, using what inference learned (number style, slash order, unit).
    pub fn forced_kind(&self, column: &str, forced: &Forced, ctx: &Context) -> Result<Kind, FormatError> {
        let ambiguous = |what: &str, examples: &Examples| {
            let shown = examples.0.first().map_or("?", String::as_str);
            FormatError::argument("locale", Message::new("opt_ambiguous_locale", [column, &nested(what, &[]), shown]))
        };
        Ok(match forced {
            Forced::Utf8 => Kind::Utf8,
            Forced::Int64 => Kind::Int64,
            Forced::Bool => Kind::Bool,
            Forced::Float64 => Kind::Float64(self.number_style(ctx.locale).map_err(|e| ambiguous("what_numbers", e))?),
            Forced::Decimal128(p, s) => {
                Kind::Decimal128(*p, *s, self.number_style(ctx.locale).map_err(|e| ambiguous("what_numbers", e))?)
            }
            Forced::Date32 => Kind::Date32(self.slash_order(ctx.locale).map_err(|e| ambiguous("what_dates", e))?),
            Forced::Timestamp(unit, tz) => {
                let order = self.slash_order(ctx.locale).map_err(|e| ambiguous("what_dates", e))?;
                let (tz, zone) = match tz {
                    Some(name) => (Some(name.clone()), super::types::known_zone("types", name)?),
                    None => (self.stamp_tz(&ctx.zone, ctx.zone_given), ctx.zone.clone()),
                };
                Kind::Timestamp(unit.unwrap_or_else(|| self.unit()), tz, zone, order)
            }
        })
    }
}

/// The number styles a locale allows (bit i = `ALL_STYLES[i]`).
fn locale_styles(locale: Locale) -> u8 {
    match locale {
        Locale::Auto => 0b111,
        Locale::En => 0b001,
        Locale::Fi | Locale::Sv => 0b010,
        Locale::De => 0b100,
    }
}

/// The slash-date orders a locale allows (bit i = `SlashOrder as usize`).
fn locale_orders(locale: Locale) -> u8 {
    match locale {
        Locale::Auto => 0b11,
        Locale::En => 0b01,
        Locale::Fi | Locale::Sv | Locale::De => 0b10,
    }
}

/// A column kept as text because its values are written as in another locale than the one given; `what` is
/// the catalogue key of what they are (`what_numbers`, `what_dates`).
fn mismatch(column: &str, locale: Locale, what: &str, examples: &Examples) -> Warning {
    let shown = examples.0.first().map_or("", String::as_str);
    let locale = format!("{locale:?}").to_lowercase();
    let text = Message::new("warn_locale_mismatch", [column, &nested(what, &[]), shown, &locale]);
    Warning::new("LOCALE_MISMATCH", Some(column), text).with_examples(&examples.0)
}

/// File-wide settings inference and building need.
pub struct Context {
    pub locale: Locale,
    /// The zone wall-clock timestamps are read in (`timeZone`, default UTC).
    pub zone: Zone,
    pub zone_given: bool,
}
