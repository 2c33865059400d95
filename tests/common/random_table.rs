//! Random tables (every supported type, nulls, dictionaries with null and duplicate entries, several batches,
//! sliced batches) and random rule texts over them, driven by any [`Source`] of choices.
//!
//! Shared by `tests/differential_segments.rs` (proptest bytes → [`ByteSource`]) and the `rule_eval` fuzz target
//! (`arbitrary::Unstructured`), both via `#[path]`. Values and literals come from small pools around
//! boundaries (type limits, 2^53, NaN, -0, month ends, sub-unit timestamps) so equality and ranges hit often.
#![allow(dead_code)]

use std::sync::Arc;

use arrow_array::types::*;
use arrow_array::{
    ArrayRef, Decimal128Array, DictionaryArray, PrimitiveArray, RecordBatch, StringArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use segmetry::segments::calendar::{format_date, format_timestamp};

/// Where choices come from.
pub trait Source {
    /// A choice in `0..n` (`n > 0`); exhausted sources return 0.
    fn below(&mut self, n: u64) -> u64;
}

/// Choices read from bytes, little-endian, as few bytes as `n` needs; zeros once the bytes run out.
pub struct ByteSource<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> ByteSource<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        ByteSource { data, pos: 0 }
    }
}

impl Source for ByteSource<'_> {
    fn below(&mut self, n: u64) -> u64 {
        let mut v: u64 = 0;
        let mut span: u64 = 1;
        while span < n {
            let b = self.data.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
            v = (v << 8) | u64::from(b);
            span = span.saturating_mul(256);
        }
        if n <= 1 {
            0
        } else {
            v % n
        }
    }
}

fn pick<'a, T>(src: &mut dyn Source, items: &'a [T]) -> &'a T {
    &items[src.below(items.len() as u64) as usize]
}

fn chance(src: &mut dyn Source, percent: u64) -> bool {
    src.below(100) < percent
}

/// The reference date the generated rules are evaluated with (2026-11-01).
pub const REFERENCE_DATE: &str = "2026-11-01";
const REF_DAYS: i64 = 20_758;
const MS_PER_DAY: i64 = 86_400_000;

fn all_types() -> Vec<DataType> {
    use DataType::*;
    let tz = || Some(Arc::<str>::from("+00:00"));
    vec![
        Int8,
        Int16,
        Int32,
        Int64,
        UInt8,
        UInt16,
        UInt32,
        UInt64,
        Float32,
        Float64,
        Boolean,
        Utf8,
        LargeUtf8,
        Utf8View,
        Dictionary(Box::new(Int32), Box::new(Utf8)),
        Dictionary(Box::new(Int8), Box::new(Utf8)),
        Dictionary(Box::new(UInt16), Box::new(LargeUtf8)),
        Dictionary(Box::new(UInt64), Box::new(Utf8View)),
        Date32,
        Date64,
        Timestamp(TimeUnit::Second, None),
        Timestamp(TimeUnit::Millisecond, tz()),
        Timestamp(TimeUnit::Microsecond, None),
        Timestamp(TimeUnit::Nanosecond, None),
        Timestamp(TimeUnit::Nanosecond, Some("Europe/Helsinki".into())),
        Decimal128(12, 2),
        Decimal128(38, 0),
        Decimal128(5, 5),
        Decimal128(20, 10),
    ]
}

const NAMES: &[&str] = &["c", "Order", "first name", "é", "q\"x", "AND", "and_or", "x-y", "9lives", "IN"];

/// A random schema of 1–5 columns with distinct names (some needing quotes).
pub fn schema(src: &mut dyn Source) -> SchemaRef {
    let types = all_types();
    let n = 1 + src.below(5) as usize;
    let fields: Vec<Field> = (0..n)
        .map(|i| {
            let base = pick(src, NAMES);
            // A keyword alone is a fine column name when quoted; the index keeps names distinct.
            let name = if i == 0 && chance(src, 30) { base.to_string() } else { format!("{base}{i}") };
            Field::new(name, pick(src, &types).clone(), true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

const INTS: &[i128] = &[
    0,
    1,
    -1,
    2,
    3,
    7,
    100,
    -128,
    127,
    255,
    32_767,
    65_535,
    2_147_483_647,
    -2_147_483_648,
    9_007_199_254_740_993,
    i64::MAX as i128,
    i64::MIN as i128,
    u64::MAX as i128,
    u64::MAX as i128 - 1,
    1999,
    -12_345,
];

fn int_value(src: &mut dyn Source) -> i128 {
    if chance(src, 70) {
        *pick(src, INTS)
    } else {
        src.below(1 << 20) as i128 - (1 << 19)
    }
}

const FLOATS: &[f64] =
    &[0.0, -0.0, 0.1, 0.5, 1.0, 1.5, -2.5, 3.0, 100.25, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-7, -1e10, 0.3];

fn float_value(src: &mut dyn Source) -> f64 {
    if chance(src, 80) {
        *pick(src, FLOATS)
    } else {
        (src.below(20_000) as f64 - 10_000.0) / 8.0
    }
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "ab",
    "abc",
    "b",
    "FI",
    "fi",
    "SE",
    "Côte d'Ivoire",
    "it's",
    "%_",
    "zzz",
    "é",
    "a longer string past twelve bytes",
    "ä",
    "A",
    "😀",
    "x\"y",
];

fn string_value(src: &mut dyn Source) -> String {
    if chance(src, 75) {
        pick(src, STRINGS).to_string()
    } else {
        let len = src.below(16);
        (0..len).map(|_| *pick(src, &['a', 'b', 'é', '\'', ' ', 'Z'])).collect()
    }
}

fn day_value(src: &mut dyn Source) -> i64 {
    // Around the reference date and month ends, plus far-away days (years 1000–9999 stay printable).
    match src.below(4) {
        0 => REF_DAYS - src.below(800) as i64,
        1 => *pick(src, &[0, -1, 1, 19_753, 19_782, 20_513, 20_512, 20_606, 20_757, 20_758, 20_759, 20_666, 20_668]),
        2 => src.below(2_900_000) as i64 - 354_000,
        _ => REF_DAYS - 365 * src.below(5) as i64,
    }
}

fn instant_ns(src: &mut dyn Source) -> i128 {
    let day = i128::from(day_value(src)).clamp(-100_000, 100_000);
    let within: i128 = match src.below(4) {
        0 => 0,
        1 => i128::from(src.below(86_400)) * 1_000_000_000,
        2 => i128::from(src.below(86_400_000_000)) * 1000 + i128::from(src.below(1000)),
        _ => *pick(src, &[1, 999, 1000, 1_000_000, 43_200_000_000_000, 86_399_999_999_999]),
    };
    day * 86_400_000_000_000 + within
}

/// A column of `n` rows of `data_type`, with nulls at roughly `null_pct` percent.
pub fn column(src: &mut dyn Source, data_type: &DataType, n: usize, null_pct: u64) -> ArrayRef {
    macro_rules! prim {
        ($t:ty, $gen:expr) => {{
            let v: PrimitiveArray<$t> =
                (0..n).map(|_| if chance(src, null_pct) { None } else { Some($gen(&mut *src)) }).collect();
            Arc::new(v) as ArrayRef
        }};
    }
    macro_rules! int {
        ($t:ty, $native:ty) => {
            prim!($t, |s: &mut dyn Source| {
                let v = int_value(s);
                <$native>::try_from(v).unwrap_or_else(|_| if v < 0 { <$native>::MIN } else { <$native>::MAX })
            })
        };
    }
    match data_type {
        DataType::Int8 => int!(Int8Type, i8),
        DataType::Int16 => int!(Int16Type, i16),
        DataType::Int32 => int!(Int32Type, i32),
        DataType::Int64 => int!(Int64Type, i64),
        DataType::UInt8 => int!(UInt8Type, u8),
        DataType::UInt16 => int!(UInt16Type, u16),
        DataType::UInt32 => int!(UInt32Type, u32),
        DataType::UInt64 => int!(UInt64Type, u64),
        DataType::Float32 => prim!(Float32Type, |s: &mut dyn Source| float_value(s) as f32),
        DataType::Float64 => prim!(Float64Type, float_value),
        DataType::Date32 => prim!(Date32Type, |s: &mut dyn Source| day_value(s) as i32),
        DataType::Date64 => prim!(Date64Type, |s: &mut dyn Source| {
            let ms = if chance(s, 30) { s.below(MS_PER_DAY as u64) as i64 } else { 0 };
            day_value(s) * MS_PER_DAY + ms
        }),
        DataType::Timestamp(unit, tz) => {
            let per: i128 = match unit {
                TimeUnit::Second => 1_000_000_000,
                TimeUnit::Millisecond => 1_000_000,
                TimeUnit::Microsecond => 1_000,
                TimeUnit::Nanosecond => 1,
            };
            let values: Vec<Option<i64>> = (0..n)
                .map(|_| if chance(src, null_pct) { None } else { Some((instant_ns(src).div_euclid(per)) as i64) })
                .collect();
            let a: ArrayRef = match unit {
                TimeUnit::Second => Arc::new(TimestampSecondArray::from(values).with_timezone_opt(tz.clone())),
                TimeUnit::Millisecond => {
                    Arc::new(TimestampMillisecondArray::from(values).with_timezone_opt(tz.clone()))
                }
                TimeUnit::Microsecond => {
                    Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(tz.clone()))
                }
                TimeUnit::Nanosecond => Arc::new(TimestampNanosecondArray::from(values).with_timezone_opt(tz.clone())),
            };
            a
        }
        DataType::Decimal128(p, s) => {
            let limit = 10i128.pow(u32::from(*p)) - 1;
            let values: Vec<Option<i128>> = (0..n)
                .map(|_| {
                    if chance(src, null_pct) {
                        None
                    } else if chance(src, 15) {
                        Some(if chance(src, 50) { limit } else { -limit })
                    } else {
                        Some(int_value(src).clamp(-limit, limit))
                    }
                })
                .collect();
            Arc::new(Decimal128Array::from(values).with_precision_and_scale(*p, *s).expect("valid decimal"))
        }
        DataType::Boolean => {
            let v: arrow_array::BooleanArray =
                (0..n).map(|_| if chance(src, null_pct) { None } else { Some(chance(src, 50)) }).collect();
            Arc::new(v)
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let values: Vec<Option<String>> =
                (0..n).map(|_| if chance(src, null_pct) { None } else { Some(string_value(src)) }).collect();
            text_array(data_type, values)
        }
        DataType::Dictionary(key, value) => {
            // Entries: duplicates, unused ones and (sometimes) a null entry; keys point anywhere in range.
            let entries = 1 + src.below(6) as usize;
            let dict: Vec<Option<String>> =
                (0..entries).map(|_| if chance(src, 8) { None } else { Some(string_value(src)) }).collect();
            let values = text_array(value, dict);
            let keys: Vec<Option<i64>> = (0..n)
                .map(|_| if chance(src, null_pct) { None } else { Some(src.below(entries as u64) as i64) })
                .collect();
            macro_rules! dict {
                ($k:ty, $native:ty) => {{
                    let keys: PrimitiveArray<$k> = keys.iter().map(|k| k.map(|k| k as $native)).collect();
                    Arc::new(DictionaryArray::<$k>::try_new(keys, values).expect("valid dictionary")) as ArrayRef
                }};
            }
            match key.as_ref() {
                DataType::Int8 => dict!(Int8Type, i8),
                DataType::Int16 => dict!(Int16Type, i16),
                DataType::Int32 => dict!(Int32Type, i32),
                DataType::Int64 => dict!(Int64Type, i64),
                DataType::UInt8 => dict!(UInt8Type, u8),
                DataType::UInt16 => dict!(UInt16Type, u16),
                DataType::UInt32 => dict!(UInt32Type, u32),
                _ => dict!(UInt64Type, u64),
            }
        }
        other => panic!("no generator for {other}"),
    }
}

fn text_array(data_type: &DataType, values: Vec<Option<String>>) -> ArrayRef {
    match data_type {
        DataType::LargeUtf8 => Arc::new(arrow_array::LargeStringArray::from(values)),
        DataType::Utf8View => Arc::new(arrow_array::StringViewArray::from_iter(values)),
        _ => Arc::new(StringArray::from(values)),
    }
}

/// 1–4 batches of 0–150 rows (some sliced, so arrays start at an offset).
pub fn batches(src: &mut dyn Source, schema: &SchemaRef) -> Vec<RecordBatch> {
    let count = 1 + src.below(4) as usize;
    let null_pct = *pick(src, &[0, 5, 30, 90]);
    (0..count)
        .map(|_| {
            let n = match src.below(4) {
                0 => src.below(4) as usize,
                1 => 60 + src.below(10) as usize,
                _ => src.below(151) as usize,
            };
            let columns: Vec<ArrayRef> =
                schema.fields().iter().map(|f| column(src, f.data_type(), n, null_pct)).collect();
            let batch = RecordBatch::try_new(schema.clone(), columns).expect("valid batch");
            if n > 2 && chance(src, 25) {
                let off = 1 + src.below(n as u64 - 1) as usize;
                let len = src.below((n - off) as u64 + 1) as usize;
                batch.slice(off, len)
            } else {
                batch
            }
        })
        .collect()
}

/// A column reference as rule text: bare when possible (sometimes in another letter case), else quoted.
fn column_ref(src: &mut dyn Source, name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !segmetry::segments::parser::is_keyword(name);
    if plain && chance(src, 80) {
        if chance(src, 20) {
            name.to_ascii_uppercase()
        } else {
            name.to_string()
        }
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn kw(src: &mut dyn Source, word: &str) -> String {
    if chance(src, 15) {
        word.to_ascii_lowercase()
    } else {
        word.to_string()
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn number_text(src: &mut dyn Source) -> String {
    match src.below(6) {
        0 | 1 => int_value(src).to_string(),
        2 => format!("{}.{}", int_value(src), pick(src, &["5", "25", "01", "99", "0", "000001", "10"])),
        3 => pick(
            src,
            &[
                "0.1",
                "-0",
                "2.5",
                "-2.5",
                "1e",
                "100.250",
                "0.30000001",
                "99999999999999999999999999999999999999",
                "0.00000000000000000000000000000000000001",
                "-9223372036854775809",
                "18446744073709551616",
                "1.5",
            ],
        )
        .to_string(),
        4 => format!("-{}", src.below(1000)),
        _ => format!("{}", float_value(src)),
    }
}

fn date_text(src: &mut dyn Source) -> String {
    let d = day_value(src).clamp(-354_000, 2_900_000) as i32;
    format_date(d)
}

fn timestamp_text(src: &mut dyn Source) -> String {
    let t = instant_ns(src);
    let base = format_timestamp(t, 'T');
    match src.below(4) {
        0 => format!("{base}Z"),
        1 => format!("{base}+02:00"),
        2 => format!("{base}-05:30"),
        _ => base,
    }
}

fn temporal_text(src: &mut dyn Source) -> String {
    match src.below(5) {
        0 => date_text(src),
        1 => timestamp_text(src),
        2 => format!("-{}{}", src.below(400), pick(src, &["d", "w", "m", "y", "D"])),
        3 => kw(src, "TODAY"),
        _ => date_text(src),
    }
}

/// A literal suited to the column type (sometimes deliberately not, to exercise type errors).
fn literal(src: &mut dyn Source, data_type: &DataType) -> String {
    if chance(src, 3) {
        return match src.below(4) {
            0 => number_text(src),
            1 => quote(&string_value(src)),
            2 => temporal_text(src),
            _ => kw(src, "TRUE"),
        };
    }
    match data_type {
        DataType::Boolean => {
            let word = if chance(src, 50) { "TRUE" } else { "FALSE" };
            kw(src, word)
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
            quote(&string_value(src))
        }
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => temporal_text(src),
        _ => number_text(src),
    }
}

/// A LIKE pattern: pieces of random strings, wildcards and `!`-escapes (valid with and without ESCAPE '!').
fn like_pattern(src: &mut dyn Source) -> String {
    let mut out = String::new();
    for _ in 0..1 + src.below(4) {
        match src.below(6) {
            0 => out.push('%'),
            1 => out.push('_'),
            2 => out.push_str(pick::<&str>(src, &["!%", "!_", "!!"])),
            _ => out.extend(string_value(src).chars().take(3)),
        }
    }
    out
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..))
}

/// One predicate on a random column.
pub fn predicate(src: &mut dyn Source, schema: &Schema) -> String {
    let f = pick(src, schema.fields());
    let c = column_ref(src, f.name());
    let t = f.data_type();
    let not = |src: &mut dyn Source| if chance(src, 30) { format!("{} ", kw(src, "NOT")) } else { String::new() };
    match src.below(10) {
        0 => format!(
            "{c} {} {}",
            kw(src, "IS"),
            if chance(src, 50) { kw(src, "NULL") } else { format!("{} {}", kw(src, "NOT"), kw(src, "NULL")) }
        ),
        1 | 2 if *t == DataType::Boolean => {
            if chance(src, 50) {
                c
            } else {
                format!("{c} {} {}", pick(src, &["=", "!=", "<>"]), literal(src, t))
            }
        }
        1 | 2 if is_text(t) => {
            let op =
                pick(src, &["CONTAINS", "STARTS WITH", "ENDS WITH", "LIKE", "ILIKE", "HAS", "HAS ANY"]).to_string();
            let n = not(src);
            let c = if chance(src, 30) { format!("{}({c})", pick(src, &["lower", "UPPER", "trim"])) } else { c };
            match op.as_str() {
                "LIKE" | "ILIKE" => {
                    let escape = if chance(src, 30) { " ESCAPE '!'" } else { "" };
                    format!("{c} {n}{} {}{escape}", kw(src, &op), quote(&like_pattern(src)))
                }
                "HAS ANY" => format!("{c} {n}{} ({}, {})", kw(src, &op), literal(src, t), literal(src, t)),
                _ => format!("{c} {n}{} {}", kw(src, &op), literal(src, t)),
            }
        }
        3 if *t != DataType::Boolean => {
            let n = not(src);
            format!("{c} {n}{} {} {} {}", kw(src, "BETWEEN"), literal(src, t), kw(src, "AND"), literal(src, t))
        }
        4 => {
            let n = not(src);
            let k = 1 + src.below(4);
            let items: Vec<String> = (0..k).map(|_| literal(src, t)).collect();
            format!("{c} {n}{} ({})", kw(src, "IN"), items.join(", "))
        }
        _ => {
            let op = if *t == DataType::Boolean {
                pick(src, &["=", "!=", "<>", "=="])
            } else {
                pick(src, &["=", "!=", "<>", "<", "<=", ">", ">=", "=="])
            };
            format!("{c} {op} {}", literal(src, t))
        }
    }
}

/// A random rule over `schema`: predicates joined by AND / OR / NOT with parentheses, depth ≤ `depth`.
pub fn rule(src: &mut dyn Source, schema: &Schema, depth: u32) -> String {
    if depth == 0 || chance(src, 35) {
        return predicate(src, schema);
    }
    match src.below(4) {
        0 => format!("{} {}", kw(src, "NOT"), wrap(src, schema, depth - 1)),
        _ => {
            let op = if chance(src, 50) { "AND" } else { "OR" };
            let k = 2 + src.below(3);
            let parts: Vec<String> = (0..k).map(|_| wrap(src, schema, depth - 1)).collect();
            parts.join(&format!(" {} ", kw(src, op)))
        }
    }
}

fn wrap(src: &mut dyn Source, schema: &Schema, depth: u32) -> String {
    let inner = rule(src, schema, depth);
    if chance(src, 50) {
        format!("({inner})")
    } else {
        inner
    }
}
