//! Building one typed Arrow array per column from a batch of records. A value that does not read as its
//! column's type is an `INVALID_CSV` error with its line, column and the value — never a silent null.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::TimeUnit;

use super::infer::{protected, ColStats, Kind};
use super::scan::{Batch, Tokenizer};
use super::values::{
    bool_word, date_part, parse_decimal, parse_int, parse_number, stamp_after, strip_currency, trim, NumStyle,
};
use crate::error::FormatError;
use crate::messages::{nested, Message};

/// Where a column's values are and how to read them.
#[derive(Clone)]
pub struct ColumnPlan {
    /// Field index within a record.
    pub index: usize,
    pub name: String,
    pub kind: Kind,
}

/// Null markers: the empty field and the caller's `nullValues`.
pub fn is_null(raw: &str, null_values: &[String]) -> bool {
    raw.is_empty() || null_values.iter().any(|n| n == raw)
}

/// A column's values so far: one typed builder, filled chunk by chunk and emptied by [`ColumnBuilder::finish`].
enum Values {
    Utf8(StringBuilder),
    Int64(Int64Builder),
    Float64(Float64Builder),
    Bool(BooleanBuilder),
    Date32(Date32Builder),
    Decimal128(Decimal128Builder),
    /// Instants in the column's unit; typed as timestamps when the array is made.
    Timestamp(Int64Builder),
}

/// Builds one planned column of a record batch from several small chunks of records. Chunks are small so that
/// a chunk's field ranges and text stay in cache while every column walks them; the record batch is as large
/// as before.
pub struct ColumnBuilder {
    values: Values,
    /// Values per record batch, the capacity every fresh builder gets.
    rows: usize,
}

impl ColumnBuilder {
    /// An empty builder for `plan` with room for `first` values, and for `rows` in each later record batch.
    pub fn new(plan: &ColumnPlan, first: usize, rows: usize) -> Self {
        ColumnBuilder { values: Self::empty(&plan.kind, first, 16 * first), rows }
    }

    /// Builders with room for `rows` values (and `text_bytes` bytes of text), so that filling them never
    /// reallocates: arrow's builders hand their buffers to the array and restart from nothing, and regrowing
    /// them by doubling in every record batch copied each column several times.
    fn empty(kind: &Kind, rows: usize, text_bytes: usize) -> Values {
        match kind {
            Kind::Utf8 => Values::Utf8(StringBuilder::with_capacity(rows, text_bytes)),
            Kind::Int64 => Values::Int64(Int64Builder::with_capacity(rows)),
            Kind::Float64(_) => Values::Float64(Float64Builder::with_capacity(rows)),
            Kind::Bool => Values::Bool(BooleanBuilder::with_capacity(rows)),
            Kind::Date32(_) => Values::Date32(Date32Builder::with_capacity(rows)),
            Kind::Decimal128(..) => Values::Decimal128(Decimal128Builder::with_capacity(rows)),
            Kind::Timestamp(..) => Values::Timestamp(Int64Builder::with_capacity(rows)),
        }
    }

    /// Append the column's values of the records in `chunk`, and take each non-null one into `stats` when
    /// given: one walk over the column for both. A value that fails to build still lets `stats` see the rest.
    pub fn append(
        &mut self,
        tok: &Tokenizer,
        chunk: &Batch,
        width: usize,
        plan: &ColumnPlan,
        nulls: &[String],
        mut stats: Option<&mut ColStats>,
    ) -> Result<(), FormatError> {
        let mut values = column(tok, chunk, width, plan.index);
        let mut observe = |raw: &str| {
            if let Some(s) = stats.as_deref_mut() {
                if !is_null(raw, nulls) {
                    s.observe(raw);
                }
            }
        };
        let fail = |row: usize, raw: &str, why: String| {
            let line = chunk.lines[row];
            let shown: String = raw.chars().take(80).collect();
            let field = (plan.index + 1).to_string();
            let ty = crate::type_name(&plan.kind.data_type());
            FormatError::csv(
                Message::new("csv_bad_value", [line.to_string(), plan.name.clone(), field, shown, ty, why]),
                line,
                Some(plan.index + 1),
            )
            .with_subject(plan.name.clone())
        };
        // Each value: null, or the trimmed text without a protective apostrophe, parsed by `$parse` into
        // `$push`.
        macro_rules! typed {
            (|$v:ident| $parse:expr, $push:expr, $null:expr) => {{
                let mut row = 0;
                while let Some(raw) = values.next() {
                    let raw: &str = &raw;
                    observe(raw);
                    let text = protected(raw).unwrap_or(raw);
                    let $v = trim(text);
                    row += 1;
                    if is_null(raw, nulls) || $v.is_empty() {
                        $null;
                        continue;
                    }
                    match $parse {
                        Ok(x) => $push(x),
                        Err(why) => {
                            let err = fail(row - 1, raw, why);
                            values.for_each(|raw| observe(&raw));
                            return Err(err);
                        }
                    }
                }
            }};
        }
        match (&mut self.values, &plan.kind) {
            (Values::Utf8(b), _) => {
                for raw in values {
                    if is_null(&raw, nulls) {
                        b.append_null();
                    } else {
                        if let Some(s) = stats.as_deref_mut() {
                            s.observe(&raw);
                        }
                        b.append_value(protected(&raw).unwrap_or(&raw));
                    }
                }
            }
            (Values::Int64(b), _) => {
                typed!(|v| parse_int(v).ok_or_else(|| nested("why_int", &[])), |x| b.append_value(x), b.append_null())
            }
            (Values::Float64(b), Kind::Float64(style)) => {
                typed!(|v| read_number(v, *style), |x| b.append_value(x), b.append_null())
            }
            (Values::Bool(b), _) => typed!(
                |v| match bool_word(v) {
                    (0, _) => Err(nested("why_bool", &[])),
                    (_, truth) => Ok(truth),
                },
                |x| b.append_value(x),
                b.append_null()
            ),
            (Values::Date32(b), Kind::Date32(order)) => typed!(
                |v| date_part(v)
                    .filter(|d| d.len == v.len())
                    .and_then(|d| d.days[*order as usize])
                    .ok_or_else(|| nested("why_date", &[])),
                |x| b.append_value(x),
                b.append_null()
            ),
            (Values::Decimal128(out), Kind::Decimal128(p, s, style)) => {
                typed!(|v| read_decimal(v, *style, *p, *s), |x| out.append_value(x), out.append_null())
            }
            (Values::Timestamp(out), Kind::Timestamp(unit, _, zone, order)) => {
                typed!(|v| read_stamp(v, *unit, zone, *order as usize), |x| out.append_value(x), out.append_null())
            }
            _ => return Err(FormatError::internal(format!("column '{}': builder and plan disagree", plan.name))),
        }
        Ok(())
    }

    /// The array of the values appended since the last call; the builder holds nothing until
    /// [`ColumnBuilder::restart`].
    pub fn finish(&mut self, plan: &ColumnPlan) -> Result<ArrayRef, FormatError> {
        let array: ArrayRef = match (&mut self.values, &plan.kind) {
            (Values::Utf8(b), _) => Arc::new(b.finish()),
            (Values::Int64(b), _) => Arc::new(b.finish()),
            (Values::Float64(b), _) => Arc::new(b.finish()),
            (Values::Bool(b), _) => Arc::new(b.finish()),
            (Values::Date32(b), _) => Arc::new(b.finish()),
            (Values::Decimal128(b), Kind::Decimal128(p, s, _)) => {
                let array = b
                    .finish()
                    .with_precision_and_scale(*p, *s)
                    .map_err(|e| FormatError::internal(format!("decimal128({p}, {s}): {e}")))?;
                Arc::new(array)
            }
            (Values::Timestamp(b), Kind::Timestamp(unit, tz, _, _)) => {
                let instants = b.finish();
                let tz: Option<Arc<str>> = tz.as_deref().map(Into::into);
                match unit {
                    TimeUnit::Second => {
                        Arc::new(instants.reinterpret_cast::<TimestampSecondType>().with_timezone_opt(tz)) as ArrayRef
                    }
                    TimeUnit::Millisecond => {
                        Arc::new(instants.reinterpret_cast::<TimestampMillisecondType>().with_timezone_opt(tz))
                    }
                    TimeUnit::Microsecond => {
                        Arc::new(instants.reinterpret_cast::<TimestampMicrosecondType>().with_timezone_opt(tz))
                    }
                    TimeUnit::Nanosecond => {
                        Arc::new(instants.reinterpret_cast::<TimestampNanosecondType>().with_timezone_opt(tz))
                    }
                }
            }
            _ => return Err(FormatError::internal(format!("column '{}': builder and plan disagree", plan.name))),
        };
        Ok(array)
    }

    /// Room for the next record batch, sized after the `last` one (text: as many bytes and a little more). Called
    /// once that batch is written and dropped, so the two never take memory at the same time.
    pub fn restart(&mut self, plan: &ColumnPlan, last_text_bytes: usize) {
        let text_bytes = last_text_bytes + last_text_bytes / 8 + 64;
        self.values = Self::empty(&plan.kind, self.rows, text_bytes);
    }
}

/// Bytes of text in `array` (0 unless it is a utf8 array).
pub fn text_bytes(array: &ArrayRef) -> usize {
    array.as_any().downcast_ref::<arrow_array::StringArray>().map_or(0, |a| a.values().len())
}

/// The values of field `index` of the records in `chunk`.
pub fn column<'t, 'a>(
    tok: &'t Tokenizer<'a>,
    chunk: &'t Batch,
    width: usize,
    index: usize,
) -> impl Iterator<Item = std::borrow::Cow<'a, str>> + 't {
    chunk.fields.iter().skip(index).step_by(width.max(1)).map(|&f| tok.value(f))
}

/// A number or money amount in `style`.
fn read_number(v: &str, style: NumStyle) -> Result<f64, String> {
    let (negative, amount) = strip_currency(v).map_or((false, v), |m| (m.negative, m.amount));
    let x = parse_number(amount, style).ok_or_else(|| match style {
        NumStyle::Dot => nested("why_number_en", &[]),
        NumStyle::CommaSpace => nested("why_number_fi", &[]),
        NumStyle::CommaDot => nested("why_number_de", &[]),
    })?;
    Ok(if negative { -x } else { x })
}

fn read_decimal(v: &str, style: NumStyle, p: u8, s: i8) -> Result<i128, String> {
    let (negative, amount) = strip_currency(v).map_or((false, v), |m| (m.negative, m.amount));
    let x = parse_decimal(amount, style, p, s)?.ok_or_else(|| nested("why_number", &[]))?;
    Ok(if negative { -x } else { x })
}

/// A timestamp (or a bare date, read as midnight) as an instant in `unit` since the epoch.
fn read_stamp(v: &str, unit: TimeUnit, zone: &crate::tz::Zone, order: usize) -> Result<i64, String> {
    let date = date_part(v);
    let (wall, nanos, offset) = if let Some(s) = date.and_then(|d| stamp_after(v, d)) {
        (s.wall[order], s.nanos, s.offset)
    } else if let Some(d) = date.filter(|d| d.len == v.len()) {
        (d.days[order].map(|d| i64::from(d) * 86_400), 0, None)
    } else {
        return Err(nested("why_stamp", &[]));
    };
    let wall = wall.ok_or_else(|| nested("why_valid_date", &[]))?;
    let secs = match offset {
        Some(off) => wall - i64::from(off),
        None => zone.to_utc(wall)?,
    };
    let (per_sec, nanos_per) = match unit {
        TimeUnit::Second => (1, 1_000_000_000),
        TimeUnit::Millisecond => (1_000, 1_000_000),
        TimeUnit::Microsecond => (1_000_000, 1_000),
        TimeUnit::Nanosecond => (1_000_000_000, 1),
    };
    if nanos % nanos_per != 0 {
        return Err(nested("why_fraction", &[]));
    }
    secs.checked_mul(per_sec)
        .and_then(|x| x.checked_add(i64::from(nanos / nanos_per)))
        .ok_or_else(|| nested("why_unit_range", &[]))
}
