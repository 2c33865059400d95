//! Column profiles: how many values a column has, how many distinct ones, the most frequent, and the range of
//! ordered kinds. What pickers, schema views and value completion show, computed once in the core instead of
//! guessed in each UI.
//!
//! Values are written as rule literals read them: numbers in plain decimal (`12.50` for a `decimal128(12, 2)`),
//! dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS[.f]Z` in UTC, booleans `true` / `false`, text as is.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType};
use arrow_schema::{DataType, TimeUnit};
use serde::Serialize;

use super::{value_kind, Dataset, ValueKind};
use crate::segments::calendar::{clamp_days, format_date, format_timestamp, nanos_per_unit, MILLIS_PER_DAY};
use crate::segments::lexer::Number;

/// The most frequent values a profile lists.
pub const TOP_VALUES: usize = 40;
/// Distinct values counted exactly; beyond this `distinct` is a lower bound (bounded memory on unique ids).
pub const DISTINCT_LIMIT: usize = 100_000;

/// A value and how many rows hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueCount {
    /// The value as rule text (see the module docs).
    pub value: String,
    /// Rows holding it.
    pub count: usize,
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// The kind of its values.
    pub kind: ValueKind,
    /// Non-null values.
    pub count: usize,
    /// Distinct non-null values (exact when `distinct_exact`, else at least this many).
    pub distinct: usize,
    /// Whether `distinct` is exact (fewer than [`DISTINCT_LIMIT`] distinct values).
    pub distinct_exact: bool,
    /// Up to [`TOP_VALUES`] most frequent values, most frequent first (ties in order of first appearance).
    pub top: Vec<ValueCount>,
    /// Smallest value of a number, date or timestamp column (`None` for other kinds or no values).
    pub min: Option<String>,
    /// Largest value, likewise.
    pub max: Option<String>,
}

/// A value as a hashable key: integers (and decimals, dates, timestamps as their raw integers), floats by their
/// bits (−0 folded into 0), text, booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Int(i128),
    Float(u64),
    Text(&'a str),
    Bool(bool),
}

impl Key<'_> {
    fn float(x: f64) -> Self {
        Key::Float(if x == 0.0 { 0.0f64.to_bits() } else { x.to_bits() })
    }

    /// Order of ordered kinds (integers, floats); other keys compare equal.
    fn before(&self, other: &Self) -> bool {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a < b,
            (Key::Float(a), Key::Float(b)) => f64::from_bits(*a).total_cmp(&f64::from_bits(*b)).is_lt(),
            _ => false,
        }
    }
}

/// The profile of column `index` of `dataset`.
pub fn profile(dataset: &Dataset, index: usize) -> ColumnProfile {
    let field = dataset.schema().field(index);
    let data_type = field.data_type();
    let kind = value_kind(data_type).unwrap_or(ValueKind::Text);
    let mut counts: HashMap<Key, (usize, usize)> = HashMap::new();
    let (mut count, mut exact) = (0usize, true);
    let (mut min, mut max): (Option<Key>, Option<Key>) = (None, None);
    for chunk in dataset.column_chunks(index) {
        visit(chunk, &mut |key| {
            count += 1;
            let seen = counts.len();
            match counts.get_mut(&key) {
                Some(entry) => entry.0 += 1,
                None if seen < DISTINCT_LIMIT => {
                    counts.insert(key, (1, seen));
                }
                None => exact = false,
            }
            if min.is_none_or(|m| key.before(&m)) {
                min = Some(key);
            }
            if max.is_none_or(|m| m.before(&key)) {
                max = Some(key);
            }
        });
    }
    let mut ranked: Vec<(Key, (usize, usize))> = counts.iter().map(|(k, v)| (*k, *v)).collect();
    ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    let text = |key: Key| format_value(data_type, key);
    let ordered = matches!(kind, ValueKind::Numeric | ValueKind::Date | ValueKind::Timestamp);
    ColumnProfile {
        name: field.name().clone(),
        kind,
        count,
        distinct: counts.len(),
        distinct_exact: exact,
        top: ranked.iter().take(TOP_VALUES).map(|(k, (n, _))| ValueCount { value: text(*k), count: *n }).collect(),
        min: min.filter(|_| ordered).map(text),
        max: max.filter(|_| ordered).map(text),
    }
}

/// Call `f` with the key of every non-null (and, for floats, finite) value of `array`.
fn visit<'a>(array: &'a ArrayRef, f: &mut impl FnMut(Key<'a>)) {
    fn ints<'a, T: ArrowPrimitiveType>(a: &'a ArrayRef, f: &mut impl FnMut(Key<'a>), g: impl Fn(T::Native) -> i128) {
        a.as_primitive::<T>().iter().flatten().for_each(|v| f(Key::Int(g(v))));
    }
    fn floats<'a, T: ArrowPrimitiveType>(a: &'a ArrayRef, f: &mut impl FnMut(Key<'a>), g: impl Fn(T::Native) -> f64) {
        a.as_primitive::<T>().iter().flatten().map(g).filter(|x| x.is_finite()).for_each(|x| f(Key::float(x)));
    }
    match array.data_type() {
        DataType::Int8 => ints::<Int8Type>(array, f, i128::from),
        DataType::Int16 => ints::<Int16Type>(array, f, i128::from),
        DataType::Int32 => ints::<Int32Type>(array, f, i128::from),
        DataType::Int64 => ints::<Int64Type>(array, f, i128::from),
        DataType::UInt8 => ints::<UInt8Type>(array, f, i128::from),
        DataType::UInt16 => ints::<UInt16Type>(array, f, i128::from),
        DataType::UInt32 => ints::<UInt32Type>(array, f, i128::from),
        DataType::UInt64 => ints::<UInt64Type>(array, f, i128::from),
        DataType::Float32 => floats::<Float32Type>(array, f, f64::from),
        DataType::Float64 => floats::<Float64Type>(array, f, |x| x),
        DataType::Decimal128(..) => ints::<Decimal128Type>(array, f, |v| v),
        DataType::Date32 => ints::<Date32Type>(array, f, i128::from),
        DataType::Date64 => ints::<Date64Type>(array, f, i128::from),
        DataType::Timestamp(TimeUnit::Second, _) => ints::<TimestampSecondType>(array, f, i128::from),
        DataType::Timestamp(TimeUnit::Millisecond, _) => ints::<TimestampMillisecondType>(array, f, i128::from),
        DataType::Timestamp(TimeUnit::Microsecond, _) => ints::<TimestampMicrosecondType>(array, f, i128::from),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => ints::<TimestampNanosecondType>(array, f, i128::from),
        DataType::Boolean => array.as_boolean().iter().flatten().for_each(|b| f(Key::Bool(b))),
        DataType::Utf8 => array.as_string::<i32>().iter().flatten().for_each(|s| f(Key::Text(s))),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().flatten().for_each(|s| f(Key::Text(s))),
        DataType::Utf8View => array.as_string_view().iter().flatten().for_each(|s| f(Key::Text(s))),
        DataType::Dictionary(..) => {
            let dict = array.as_any_dictionary();
            let values = dict.values();
            let mut texts: Vec<Option<Key<'a>>> = Vec::with_capacity(values.len());
            visit_all(values, &mut |k| texts.push(k));
            let keys = dict.normalized_keys();
            let nulls = dict.keys().logical_nulls();
            for (row, key) in keys.into_iter().enumerate() {
                if nulls.as_ref().is_some_and(|n| n.is_null(row)) {
                    continue;
                }
                if let Some(Some(k)) = texts.get(key) {
                    f(*k);
                }
            }
        }
        _ => {} // unsupported types never reach a dataset (ingest checks)
    }
}

/// Every value of a text array as a key, nulls included (`None`): the value table of a dictionary.
fn visit_all<'a>(array: &'a ArrayRef, f: &mut impl FnMut(Option<Key<'a>>)) {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().for_each(|s| f(s.map(Key::Text))),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().for_each(|s| f(s.map(Key::Text))),
        DataType::Utf8View => array.as_string_view().iter().for_each(|s| f(s.map(Key::Text))),
        _ => (0..array.len()).for_each(|_| f(None)),
    }
}

/// A key as rule text for a column of `data_type`.
fn format_value(data_type: &DataType, key: Key) -> String {
    match (data_type, key) {
        (DataType::Decimal128(_, scale), Key::Int(v)) if *scale >= 0 => {
            Number { mantissa: v, scale: u32::from(scale.unsigned_abs()) }.to_text()
        }
        (DataType::Decimal128(_, scale), Key::Int(v)) => {
            let zeros = if v == 0 { 0 } else { usize::from(scale.unsigned_abs()) };
            format!("{v}{}", "0".repeat(zeros))
        }
        (DataType::Date32, Key::Int(days)) => format_date(clamp_days(days)),
        (DataType::Date64, Key::Int(ms)) => format_date(clamp_days(ms.div_euclid(i128::from(MILLIS_PER_DAY)))),
        (DataType::Timestamp(unit, _), Key::Int(v)) => format!("{}Z", format_timestamp(v * nanos_per_unit(*unit), 'T')),
        (_, Key::Int(v)) => v.to_string(),
        (_, Key::Float(bits)) => f64::from_bits(bits).to_string(),
        (_, Key::Text(s)) => s.to_string(),
        (_, Key::Bool(b)) => b.to_string(),
    }
}

/// Profiles computed on demand and kept until the dataset grows (keyed on [`Dataset::version`]).
#[derive(Debug, Default)]
pub struct ProfileCache {
    version: u64,
    profiles: HashMap<usize, ColumnProfile>,
}

impl ProfileCache {
    /// The profile of column `index` (computed now if the cache has none for this version of the dataset).
    pub fn get(&mut self, dataset: &Dataset, index: usize) -> &ColumnProfile {
        if self.version != dataset.version() {
            self.profiles.clear();
            self.version = dataset.version();
        }
        self.profiles.entry(index).or_insert_with(|| profile(dataset, index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array, Int32Array, RecordBatch,
        StringArray, TimestampMillisecondArray,
    };
    use arrow_schema::{Field, Schema};
    use std::sync::Arc;

    fn dataset(columns: Vec<(&str, ArrayRef)>) -> Dataset {
        let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
        Dataset::from_batches(schema, vec![batch]).unwrap()
    }

    #[test]
    fn text_counts_ranks_and_ignores_nulls() {
        let dict: DictionaryArray<Int32Type> =
            vec![Some("SE"), Some("FI"), None, Some("FI"), Some("US"), Some("SE"), Some("FI")].into_iter().collect();
        let plain = StringArray::from(vec![Some("b"), Some("a"), Some("b"), None, Some("c"), Some("a"), Some("a")]);
        let ds = dataset(vec![("country", Arc::new(dict)), ("plain", Arc::new(plain))]);
        let p = profile(&ds, 0);
        assert_eq!((p.kind, p.count, p.distinct, p.distinct_exact), (ValueKind::Text, 6, 3, true));
        let top: Vec<(&str, usize)> = p.top.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(top, vec![("FI", 3), ("SE", 2), ("US", 1)]);
        assert_eq!((p.min, p.max), (None, None));
        let p = profile(&ds, 1);
        let top: Vec<&str> = p.top.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(top, vec!["a", "b", "c"]);
    }

    #[test]
    fn ordered_kinds_have_a_range_written_as_literals() {
        let ds = dataset(vec![
            ("n", Arc::new(Int32Array::from(vec![Some(5), None, Some(-3), Some(5)]))),
            ("x", Arc::new(Float64Array::from(vec![Some(0.5), Some(f64::NAN), Some(-0.0), Some(0.0)]))),
            (
                "price",
                Arc::new(
                    Decimal128Array::from(vec![Some(1250), Some(-5), None, Some(0)])
                        .with_precision_and_scale(12, 2)
                        .unwrap(),
                ),
            ),
            ("d", Arc::new(Date32Array::from(vec![Some(1), Some(20_000), None, Some(0)]))),
            ("t", Arc::new(TimestampMillisecondArray::from(vec![Some(1_500), None, Some(-1), Some(0)]))),
            ("b", Arc::new(BooleanArray::from(vec![Some(true), Some(false), Some(true), None]))),
        ]);
        let range = |i: usize| {
            let p = profile(&ds, i);
            (p.min.unwrap_or_default(), p.max.unwrap_or_default(), p.distinct)
        };
        assert_eq!(range(0), ("-3".into(), "5".into(), 2));
        assert_eq!(range(1), ("0".into(), "0.5".into(), 2), "NaN skipped, -0 is 0");
        assert_eq!(range(2), ("-0.05".into(), "12.50".into(), 3));
        assert_eq!(range(3), ("1970-01-01".into(), "2024-10-04".into(), 3));
        assert_eq!(range(4), ("1969-12-31T23:59:59.999Z".into(), "1970-01-01T00:00:01.5Z".into(), 3));
        let b = profile(&ds, 5);
        assert_eq!(
            (b.kind, b.min.as_deref(), b.top[0].value.as_str(), b.top[0].count),
            (ValueKind::Boolean, None, "true", 2)
        );
    }

    #[test]
    fn the_cache_recomputes_after_an_append() {
        let ds0 = dataset(vec![("n", Arc::new(Int32Array::from(vec![1, 2])))]);
        let mut cache = ProfileCache::default();
        assert_eq!(cache.get(&ds0, 0).count, 2);
        let mut ds1 = ds0.clone();
        let bytes = {
            let batch = ds0.batches()[0].clone();
            let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).unwrap();
            w.write(&batch).unwrap();
            w.into_inner().unwrap()
        };
        ds1.append_ipc(bytes).unwrap();
        assert_eq!(cache.get(&ds1, 0).count, 4);
    }
}
