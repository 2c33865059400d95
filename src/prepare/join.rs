//! `join`: add a right table's columns to each left row whose key matches. The right key must be unique (a
//! duplicate is an error suggesting `aggregate`, never a silent row explosion), so a left join keeps exactly
//! the left rows, in order. Unmatched rows of a left join get 0 in count-like columns (`count`,
//! `count_distinct`, `count_if` of `aggregate`, `orders_count` of `customerFeatures`) and null elsewhere, unless
//! `fill` says otherwise.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::*;
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use super::aggregate::{batch_room, group_expecting, AGGREGATE_METADATA, BATCH_BYTES};
use super::key::{check_key_type, for_each_key, KeyBatch, KeyTable, NormalizeKey, MISSING};
use super::values::{gather, loc, Loc, NO_ROW};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, Dataset};
use crate::messages::{nested, Message};
use crate::segments::calendar;

/// The key columns: one name for both sides, or `[left, right]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum JoinOn {
    /// The same column name on both sides.
    Same(String),
    /// `[left column, right column]`.
    Pair(String, String),
}

impl Default for JoinOn {
    fn default() -> Self {
        JoinOn::Same(String::new())
    }
}

impl JoinOn {
    /// The left and right key column names.
    pub fn columns(&self) -> (&str, &str) {
        match self {
            JoinOn::Same(c) => (c, c),
            JoinOn::Pair(l, r) => (l, r),
        }
    }
}

/// Which left rows a join keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinHow {
    /// Every left row, matched or not.
    #[default]
    Left,
    /// Only left rows with a match.
    Inner,
}

/// A `fill` value for a right column in unmatched rows.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum FillValue {
    /// `true` / `false`.
    Bool(bool),
    /// A number (for integer columns it must be a whole number).
    Number(f64),
    /// Text (also `YYYY-MM-DD` for date columns).
    Text(String),
}

/// Options of [`join`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JoinOptions {
    /// The key columns.
    pub on: JoinOn,
    /// `left` (default) or `inner`.
    pub how: JoinHow,
    /// How keys are normalized on both sides before matching.
    pub normalize_key: NormalizeKey,
    /// Appended to right column names that clash with left ones (default: the right table's name as a prefix).
    pub suffix: Option<String>,
    /// The right table's name, used as the prefix `name_` of clashing columns (default `right`).
    pub right_name: Option<String>,
    /// Values for right columns in unmatched left rows, by right column name.
    pub fill: HashMap<String, FillValue>,
}

/// What a join matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinReport {
    /// Rows of the left table.
    pub left: usize,
    /// Rows of the right table.
    pub right: usize,
    /// Left rows that found a right row.
    pub matched: usize,
    /// Left rows that found none (kept by a left join, dropped by an inner join).
    pub unmatched_left: usize,
    /// Right keys that appear more than once (always 0 in a finished join: duplicates are an error).
    pub duplicate_right_keys: usize,
}

/// The joined table and its report.
#[derive(Debug)]
pub struct Joined {
    /// The result.
    pub dataset: Dataset,
    /// The match counts.
    pub report: JoinReport,
}

/// Join `right` onto `left`.
pub fn join(left: &Dataset, right: &Dataset, options: &JoinOptions) -> Result<Joined> {
    let left_names: Vec<String> = left.schema().fields().iter().map(|f| f.name().clone()).collect();
    join_into(left, &left_names, right, options, true)
}

/// A left join's new columns only: per left row, `right`'s columns as [`join`] names and fills them, one batch
/// per left batch. `left` needs only its key column; `left_names` are all of its columns' names (the output
/// names avoid them). The extras module returns this so that a left join's left columns never leave the core's
/// memory: the core puts these columns beside them (`Dataset::with_columns_of`).
pub fn join_right_columns(
    left: &Dataset,
    left_names: &[String],
    right: &Dataset,
    options: &JoinOptions,
) -> Result<Joined> {
    if options.how != JoinHow::Left {
        return Err(Error::new(ErrorCode::Internal, "join_right_columns is for left joins only"));
    }
    join_into(left, left_names, right, options, false)
}

/// [`join`], with the left columns in the output (`keep_left`) or only the right ones.
fn join_into(
    left: &Dataset,
    left_names: &[String],
    right: &Dataset,
    options: &JoinOptions,
    keep_left: bool,
) -> Result<Joined> {
    let (lname, rname) = options.on.columns();
    if lname.is_empty() {
        return Err(Error::invalid_argument("on", nested("join_no_key", &[])));
    }
    let lk = left.column_index(lname).map_err(|e| e.with_subject("on"))?;
    let rk = right.column_index(rname).map_err(|e| e.with_subject("on"))?;
    check_key_type(lname, left.data_type(lk))?;
    check_key_type(rname, right.data_type(rk))?;
    let (table, right_locs) = index_right(right, rk, rname, options.normalize_key)?;
    let (left_locs, matched) = match_left(left, lk, options.normalize_key, &table, &right_locs);
    let report = JoinReport {
        left: left.num_rows(),
        right: right.num_rows(),
        matched,
        unmatched_left: left.num_rows() - matched,
        duplicate_right_keys: 0,
    };

    let right_columns: Vec<usize> = (0..right.schema().fields().len()).filter(|&c| c != rk).collect();
    let names = output_names(left_names, right, &right_columns, options);
    let missing = right_columns.iter().map(|&c| missing_value(right, c, options)).collect::<Result<Vec<_>>>()?;
    for name in options.fill.keys() {
        if !right_columns.iter().any(|&c| right.schema().field(c).name() == name) {
            return Err(crate::ingest::unknown_column(right.schema(), name).with_subject("fill"));
        }
    }
    let mut fields: Vec<Field> = match keep_left {
        true => left.schema().fields().iter().map(|f| f.as_ref().clone()).collect(),
        false => Vec::new(),
    };
    for (&c, name) in right_columns.iter().zip(&names) {
        let f = right.schema().field(c);
        let nullable = f.is_nullable() || (options.how == JoinHow::Left && report.unmatched_left > 0);
        fields.push(Field::new(name, f.data_type().clone(), nullable).with_metadata(f.metadata().clone()));
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, left.schema().metadata().clone()));
    let right_chunks: Vec<Vec<ArrayRef>> =
        right_columns.iter().map(|&c| right.column_chunks(c).cloned().collect()).collect();

    let mut batches = Vec::with_capacity(left.batches().len());
    let mut offset = 0;
    for batch in left.batches() {
        crate::cancel::checkpoint(crate::cancel::Phase::Prepare, offset as u64, left.num_rows() as u64)?;
        let locs = &left_locs[offset..offset + batch.num_rows()];
        offset += batch.num_rows();
        let (locs, mut columns): (Vec<Loc>, Vec<ArrayRef>) = if options.how == JoinHow::Inner {
            let keep: Vec<Loc> = (0..locs.len()).filter(|&i| locs[i] != NO_ROW).map(|i| loc(0, i)).collect();
            let cols = batch
                .columns()
                .iter()
                .map(|c| gather(std::slice::from_ref(c), &keep, c.data_type(), None))
                .collect::<Result<Vec<_>>>()?;
            (locs.iter().copied().filter(|&l| l != NO_ROW).collect(), cols)
        } else {
            (locs.to_vec(), if keep_left { batch.columns().to_vec() } else { Vec::new() })
        };
        for ((&c, chunks), fill) in right_columns.iter().zip(&right_chunks).zip(&missing) {
            columns.push(gather(chunks, &locs, right.data_type(c), fill.clone())?);
        }
        let rows = locs.len();
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        batches.push(
            RecordBatch::try_new_with_options(schema.clone(), columns, &options)
                .map_err(|e| Error::new(ErrorCode::Internal, format!("could not assemble the join: {e}")))?,
        );
    }
    Ok(Joined { dataset: Dataset::from_batches(schema, batches)?, report })
}

/// Intern the right keys (grouping them as `aggregate` does, part by part when there are many); each key's
/// single row location, or the duplicate-key error.
fn index_right(right: &Dataset, rk: usize, rname: &str, normalize: NormalizeKey) -> Result<(KeyTable, Vec<Loc>)> {
    let grouping = group_expecting(right, rk, normalize, None, true)?;
    // Ids are numbered by first appearance, so a row whose id is the next one is its key's first row.
    let null_id = grouping.null_group.then_some(grouping.keys.len() as u32);
    let mut locs = Vec::with_capacity(grouping.keys.len());
    let mut duplicates: Vec<u32> = Vec::new();
    let mut offset = 0;
    for (b, batch) in right.batches().iter().enumerate() {
        for (i, &id) in grouping.groups[offset..offset + batch.num_rows()].iter().enumerate() {
            if Some(id) == null_id {
                continue;
            }
            if id as usize == locs.len() {
                locs.push(loc(b, i));
            } else {
                duplicates.push(id);
            }
        }
        offset += batch.num_rows();
    }
    let table = grouping.keys;
    if let Some(&first) = duplicates.first() {
        duplicates.sort_unstable();
        duplicates.dedup();
        let key = table.key(first);
        let hint = if normalize == NormalizeKey::None { nested("join_duplicate_hint", &[]) } else { String::new() };
        let params = [duplicates.len().to_string(), rname.to_string(), key.to_string(), hint];
        return Err(Message::new("join_duplicate_keys", params)
            .into_error(ErrorCode::InvalidArgument)
            .with_subject("on"));
    }
    Ok((table, locs))
}

/// Each left row's right row ([`NO_ROW`] when none) and the number matched. A partitioned table is probed a
/// batch of rows at a time, part by part ([`KeyTable::get_batch`]), so its parts are read while in cache.
fn match_left(
    left: &Dataset,
    lk: usize,
    normalize: NormalizeKey,
    table: &KeyTable,
    right_locs: &[Loc],
) -> (Vec<Loc>, usize) {
    let rows = left.num_rows();
    let mut ids = vec![MISSING; rows];
    if table.is_partitioned() {
        let mut batch = KeyBatch::for_table(table, batch_room(rows));
        let (mut row, mut batch_start) = (0, 0);
        for chunk in left.column_chunks(lk) {
            for_each_key(chunk, normalize, |_, k| {
                match k {
                    Some(k) => batch.push(k),
                    None => batch.skip(),
                }
                row += 1;
                if batch.bytes() >= BATCH_BYTES {
                    table.get_batch(&mut batch, &mut ids[batch_start..]);
                    batch_start = row;
                }
            });
        }
        table.get_batch(&mut batch, &mut ids[batch_start..]);
    } else {
        let mut row = 0;
        for chunk in left.column_chunks(lk) {
            for_each_key(chunk, normalize, |_, k| {
                ids[row] = k.and_then(|k| table.get(k)).unwrap_or(MISSING);
                row += 1;
            });
        }
    }
    let mut matched = 0;
    let out = ids
        .iter()
        .map(|&id| {
            matched += usize::from(id != MISSING);
            if id == MISSING {
                NO_ROW
            } else {
                right_locs[id as usize]
            }
        })
        .collect();
    (out, matched)
}

fn output_names(left_names: &[String], right: &Dataset, right_columns: &[usize], options: &JoinOptions) -> Vec<String> {
    let mut taken: Vec<String> = left_names.to_vec();
    let mut out = Vec::with_capacity(right_columns.len());
    for &c in right_columns {
        let name = right.schema().field(c).name();
        let mut candidate = name.clone();
        if taken.contains(&candidate) {
            let base = match &options.suffix {
                Some(suffix) => format!("{name}{suffix}"),
                None => format!("{}_{name}", options.right_name.as_deref().unwrap_or("right")),
            };
            candidate = base.clone();
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}_{n}");
                n += 1;
            }
        }
        taken.push(candidate.clone());
        out.push(candidate);
    }
    out
}

/// The single value unmatched rows get in right column `c`: the `fill` value, 0 for count-like columns,
/// otherwise `None` (null).
fn missing_value(right: &Dataset, c: usize, options: &JoinOptions) -> Result<Option<ArrayRef>> {
    let field = right.schema().field(c);
    if let Some(value) = options.fill.get(field.name()) {
        return scalar(field.name(), field.data_type(), value).map(Some);
    }
    if is_count_like(field) {
        return scalar(field.name(), field.data_type(), &FillValue::Number(0.0)).map(Some);
    }
    Ok(None)
}

/// Whether `field` was made by a count-like aggregate (`count`, `count_distinct`, `count_if`, and
/// customerFeatures' `orders_count`): unmatched rows of a left join get 0 there.
pub(crate) fn is_count_like(field: &Field) -> bool {
    field
        .metadata()
        .get(AGGREGATE_METADATA)
        .is_some_and(|f| matches!(f.as_str(), "count" | "count_distinct" | "count_if"))
}

/// A one-element array of `data_type` holding `value`.
fn scalar(name: &str, data_type: &DataType, value: &FillValue) -> Result<ArrayRef> {
    let mismatch = || {
        let shown = match value {
            FillValue::Text(t) => format!("'{t}'"),
            FillValue::Number(n) => n.to_string(),
            FillValue::Bool(b) => b.to_string(),
        };
        let message = Message::new("join_fill_mismatch", [shown, name.to_string(), type_name(data_type)]);
        message.into_error(ErrorCode::TypeMismatch).with_subject("fill")
    };
    let int = |n: f64| if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 { Some(n as i64) } else { None };
    Ok(match (data_type, value) {
        (DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64, FillValue::Number(n))
        | (DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64, FillValue::Number(n)) => {
            let v = int(*n).ok_or_else(mismatch)?;
            cast_int(data_type, v).ok_or_else(mismatch)?
        }
        (DataType::Float64, FillValue::Number(n)) => Arc::new(Float64Array::from(vec![*n])),
        (DataType::Float32, FillValue::Number(n)) => Arc::new(Float32Array::from(vec![*n as f32])),
        (DataType::Decimal128(p, s), FillValue::Number(n)) => {
            let raw = (n * 10f64.powi(*s as i32)).round() as i128;
            Arc::new(Decimal128Array::from(vec![raw]).with_precision_and_scale(*p, *s).map_err(|_| mismatch())?)
        }
        (DataType::Boolean, FillValue::Bool(b)) => Arc::new(BooleanArray::from(vec![*b])),
        (DataType::Utf8, FillValue::Text(t)) => Arc::new(StringArray::from(vec![t.as_str()])),
        (DataType::LargeUtf8, FillValue::Text(t)) => Arc::new(LargeStringArray::from(vec![t.as_str()])),
        (DataType::Utf8View, FillValue::Text(t)) => Arc::new(StringViewArray::from(vec![t.as_str()])),
        (DataType::Dictionary(k, v), FillValue::Text(t)) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            b.append_value(t);
            Arc::new(b.finish())
        }
        (DataType::Date32, FillValue::Text(t)) => {
            Arc::new(Date32Array::from(vec![calendar::parse_date(t.trim()).ok_or_else(mismatch)?]))
        }
        _ => return Err(mismatch()),
    })
}

fn cast_int(data_type: &DataType, v: i64) -> Option<ArrayRef> {
    Some(match data_type {
        DataType::Int8 => Arc::new(Int8Array::from(vec![i8::try_from(v).ok()?])),
        DataType::Int16 => Arc::new(Int16Array::from(vec![i16::try_from(v).ok()?])),
        DataType::Int32 => Arc::new(Int32Array::from(vec![i32::try_from(v).ok()?])),
        DataType::Int64 => Arc::new(Int64Array::from(vec![v])),
        DataType::UInt8 => Arc::new(UInt8Array::from(vec![u8::try_from(v).ok()?])),
        DataType::UInt16 => Arc::new(UInt16Array::from(vec![u16::try_from(v).ok()?])),
        DataType::UInt32 => Arc::new(UInt32Array::from(vec![u32::try_from(v).ok()?])),
        DataType::UInt64 => Arc::new(UInt64Array::from(vec![u64::try_from(v).ok()?])),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::aggregate::RADIX_ROWS;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;

    fn table(keys: Vec<Option<String>>, values: Option<Vec<i64>>) -> Dataset {
        let mut fields = vec![Field::new("email", DataType::Utf8, true)];
        let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from(keys))];
        if let Some(v) = values {
            fields.push(Field::new("value", DataType::Int64, false));
            columns.push(Arc::new(Int64Array::from(v)));
        }
        let schema = Arc::new(Schema::new(fields));
        // Two batches, so row locations cross a batch boundary.
        let all = RecordBatch::try_new(schema.clone(), columns).unwrap();
        let half = all.num_rows() / 2;
        let batches = vec![all.slice(0, half), all.slice(half, all.num_rows() - half)];
        Dataset::from_batches(schema, batches).unwrap()
    }

    #[test]
    fn many_rows_match_as_a_hash_map_does() {
        // Past RADIX_ROWS on both sides, so the partitioned table and the batched lookups run; reference: a
        // HashMap of the normalized right keys.
        let rows = RADIX_ROWS + 30_000;
        let right_keys: Vec<Option<String>> = (0..rows as u64)
            .map(|i| (i % 101 != 0).then(|| format!(" Customer{}@X.fi", (i * 7919) % rows as u64)))
            .collect();
        let values: Vec<i64> = (0..rows as i64).map(|i| i * 3 + 1).collect();
        let right = table(right_keys.clone(), Some(values.clone()));
        let left_keys: Vec<Option<String>> = (0..rows as u64 + 5_000)
            .map(|i| (i % 89 != 0).then(|| format!("customer{}@x.FI ", (i * 104_729) % (rows as u64 + 20_000))))
            .collect();
        let left = table(left_keys.clone(), None);
        let normalize = |k: &str| k.trim().to_lowercase();
        let index: HashMap<String, i64> =
            right_keys.iter().zip(&values).filter_map(|(k, &v)| k.as_ref().map(|k| (normalize(k), v))).collect();
        let want: Vec<Option<i64>> =
            left_keys.iter().map(|k| k.as_ref().and_then(|k| index.get(&normalize(k)).copied())).collect();

        let options =
            JoinOptions { on: JoinOn::Same("email".into()), normalize_key: NormalizeKey::Email, ..Default::default() };
        let joined = join(&left, &right, &options).unwrap();
        let got: Vec<Option<i64>> = joined
            .dataset
            .batches()
            .iter()
            .flat_map(|b| b.column(1).as_primitive::<Int64Type>().iter().collect::<Vec<_>>())
            .collect();
        let matched = want.iter().filter(|w| w.is_some()).count();
        assert!(matched > 100_000 && matched < want.len());
        assert_eq!(got, want);
        assert_eq!(joined.report.matched, matched);

        // A key twice among many rows is still the duplicate-key error.
        let mut twice = right_keys;
        twice[rows - 1] = Some("customer5@x.fi".into());
        twice[7] = Some("CUSTOMER5@x.fi".into());
        let e = join(&left, &table(twice, Some(values)), &options).unwrap_err();
        assert!(e.to_string().contains("customer5@x.fi"), "{e}");
    }
}
