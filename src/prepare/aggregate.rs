//! `aggregate`: one row per key, values computed by aggregate expressions over the rows of each key.
//!
//! Keys are read, normalized and hashed once per row into dense group ids (in order of first appearance; rows
//! whose key is missing form one last group with a null key, as SQL's `GROUP BY` does). Rules (`where`,
//! `count_if`, `sum_if`, `any`, `all`) are evaluated by the segment evaluator into row bitmaps in one pass.
//! Then each value is one pass over its column. Nulls follow SQL: aggregates skip them, `sum`/`mean`/`min`/`max`
//! of no values is null, counts are 0.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde::Deserialize;

use super::agg_parse::{self, column_error, AggExpr, AggFunc};
use super::key::for_each_text;
use super::key::{check_key_type, for_each_key, FastBuild, KeyBatch, KeyTable, NormalizeKey};
use super::values::{domain, for_each_exact, for_each_f64, gather, is_numeric, loc, Domain, Loc, NO_ROW};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, Dataset};
use crate::messages::{in_context, nested, Message};
use crate::segments::{evaluate_many, Bitmap, Rule, RuleOptions};

/// Field metadata key naming the aggregate that made a column (`count`, `sum`, …); `join` reads it to fill
/// count-like columns of unmatched rows with 0.
pub const AGGREGATE_METADATA: &str = "segmetry.aggregate";

/// Options of [`aggregate`] (the JS options object, with `values` as `[name, expression]` pairs in order).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AggregateOptions {
    /// The key column.
    pub by: String,
    /// How keys are normalized before grouping.
    pub normalize_key: NormalizeKey,
    /// Only rows where this rule is TRUE take part.
    #[serde(rename = "where")]
    pub where_rule: Option<String>,
    /// Output columns: name and aggregate expression.
    pub values: Vec<(String, String)>,
    /// The date relative dates in rules count from (`YYYY-MM-DD`); default today (UTC).
    pub reference_date: Option<String>,
}

/// A value expression bound to the dataset.
struct Bound {
    name: String,
    expr: AggExpr,
    column: Option<usize>,
    rule: Option<usize>,
}

/// Group ids per row (global row order); [`SKIP`] for rows the `where` rule leaves out.
pub(crate) struct Grouping {
    pub groups: Vec<u32>,
    pub keys: KeyTable,
    pub null_group: bool,
}

/// A row that takes part in no group.
pub(crate) const SKIP: u32 = u32::MAX;
const NULL_PENDING: u32 = u32::MAX - 1;

impl Grouping {
    pub fn len(&self) -> usize {
        self.keys.len() + usize::from(self.null_group)
    }
}

/// Aggregate `dataset` per key. See the module docs and `docs/prepare.md`.
pub fn aggregate(dataset: &Dataset, options: &AggregateOptions) -> Result<Dataset> {
    let key = dataset.column_index(&options.by).map_err(|e| e.with_subject("by"))?;
    check_key_type(&options.by, dataset.data_type(key))?;
    if options.values.is_empty() {
        return Err(Error::invalid_argument("values", nested("agg_no_values", &[])));
    }
    let rule_options = RuleOptions::from_reference_date(options.reference_date.as_deref())?;
    let mut rules: Vec<Rule> = Vec::new();
    let where_index = match &options.where_rule {
        Some(text) => {
            rules.push(Rule::parse(text, dataset.schema(), &rule_options).map_err(|e| e.with_subject("where"))?);
            Some(0)
        }
        None => None,
    };
    let mut bound = Vec::with_capacity(options.values.len());
    for (name, text) in &options.values {
        if name == &options.by || bound.iter().any(|b: &Bound| &b.name == name) {
            return Err(Error::invalid_argument("values", nested("agg_duplicate_output", &[name, &options.by])));
        }
        let b = bind(dataset, name, text, &rule_options, &mut rules)
            .map_err(|e| in_context(e, "in_value", &[name]).with_subject(name.clone()))?;
        bound.push(b);
    }
    let bitmaps = evaluate_many(&rules.iter().collect::<Vec<_>>(), dataset)?;
    let grouping = group(dataset, key, options.normalize_key, where_index.map(|i| &bitmaps[i]))?;

    let mut fields = vec![Field::new(&options.by, DataType::Utf8, grouping.null_group)];
    let mut columns: Vec<ArrayRef> =
        vec![Arc::new(grouping.keys.to_array(grouping.null_group.then_some(grouping.keys.len() as u32)))];
    // Rows per group: `count()` itself, and what `all(…)` compares with. One pass over the rows, made only when
    // a value needs it.
    let sized = |b: &Bound| b.expr.func == AggFunc::All || (b.expr.func == AggFunc::Count && b.column.is_none());
    let sizes = if bound.iter().any(sized) { counts(&grouping, None, dataset, None) } else { Vec::new() };
    for b in &bound {
        let filter = b.rule.map(|i| &bitmaps[i]);
        let array = compute(dataset, &grouping, b, filter, &sizes)?;
        let metadata = HashMap::from([(AGGREGATE_METADATA.to_string(), b.expr.func.name().to_string())]);
        let nullable = array.null_count() > 0;
        fields.push(Field::new(&b.name, array.data_type().clone(), nullable).with_metadata(metadata));
        columns.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("could not assemble the aggregate: {e}")))?;
    Dataset::from_batches(schema, vec![batch])
}

fn bind(dataset: &Dataset, name: &str, text: &str, rule_options: &RuleOptions, rules: &mut Vec<Rule>) -> Result<Bound> {
    let expr = agg_parse::parse(text)?;
    let column = match &expr.column {
        Some(arg) => Some(dataset.column_index(&arg.name).map_err(|e| column_error(e, text, arg))?),
        None => None,
    };
    if let (Some(arg), Some(index)) = (&expr.column, column) {
        check_type(text, arg, expr.func, dataset.data_type(index))?;
    }
    let rule = match expr.rule {
        Some(span) => {
            let rule = Rule::parse(&text[span.0..span.1], dataset.schema(), rule_options)
                .map_err(|e| agg_parse::shift_rule_error(e, text, span))?;
            rules.push(rule);
            Some(rules.len() - 1)
        }
        None => None,
    };
    Ok(Bound { name: name.to_string(), expr, column, rule })
}

fn check_type(text: &str, arg: &agg_parse::ColumnArg, func: AggFunc, data_type: &DataType) -> Result<()> {
    let ok = match func {
        AggFunc::Sum | AggFunc::SumIf | AggFunc::Mean => is_numeric(data_type),
        AggFunc::Min | AggFunc::Max => domain(data_type) != Domain::Bool,
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let hint = match func {
        AggFunc::Min | AggFunc::Max => nested("agg_hint_bool", &[]),
        _ => nested("agg_hint_number", &[]),
    };
    let message =
        Message::new("agg_type_mismatch", [func.name().to_string(), arg.name.clone(), type_name(data_type), hint]);
    Err(column_error(message.into_error(ErrorCode::TypeMismatch), text, arg))
}

/// Assign every row its group id.
pub(crate) fn group(
    dataset: &Dataset,
    key: usize,
    normalize: NormalizeKey,
    filter: Option<&Bitmap>,
) -> Result<Grouping> {
    group_expecting(dataset, key, normalize, filter, false)
}

/// [`group`], told whether each row's key is expected to be `distinct` (a join's right side), which sizes the
/// key table's parts; otherwise about [`ROWS_PER_KEY`] rows per key are assumed.
pub(crate) fn group_expecting(
    dataset: &Dataset,
    key: usize,
    normalize: NormalizeKey,
    filter: Option<&Bitmap>,
    distinct: bool,
) -> Result<Grouping> {
    let rows = dataset.num_rows();
    let mut groups = Vec::with_capacity(rows);
    // Many rows: intern them part by part (see `KeyTable::partitioned`), a batch of rows at a time.
    let radix = rows > RADIX_ROWS;
    let expected = if distinct { rows } else { rows / ROWS_PER_KEY };
    let mut keys = if radix { KeyTable::partitioned(expected) } else { KeyTable::with_capacity(1024) };
    let mut batch = KeyBatch::for_table(&keys, if radix { batch_room(rows) } else { 0 });
    let mut batch_start = 0;
    let mut null_group = false;
    let mut error = None;
    let mut offset = 0;
    for chunk in dataset.column_chunks(key) {
        crate::cancel::checkpoint(crate::cancel::Phase::Prepare, offset as u64, rows as u64)?;
        for_each_key(chunk, normalize, |i, k| {
            let id = match k {
                _ if filter.is_some_and(|f| !f.get(offset + i)) => SKIP,
                Some(k) if radix => {
                    batch.push(k);
                    groups.push(SKIP);
                    return flush(&mut batch, &mut keys, &mut groups, &mut batch_start, &mut error);
                }
                Some(k) => keys.intern(k).unwrap_or_else(|e| {
                    error.get_or_insert(e);
                    SKIP
                }),
                None => {
                    null_group = true;
                    NULL_PENDING
                }
            };
            if radix {
                batch.skip();
            }
            groups.push(id);
        });
        offset += chunk.len();
    }
    keys.intern_batch(&mut batch, &mut groups[batch_start..])?;
    if let Some(e) = error {
        return Err(e);
    }
    if null_group {
        let null_id = keys.len() as u32;
        groups.iter_mut().filter(|g| **g == NULL_PENDING).for_each(|g| *g = null_id);
    }
    Ok(Grouping { groups, keys, null_group })
}

/// Intern `batch` once it holds [`BATCH_BYTES`], its rows being `groups[batch_start..]`.
#[inline(always)]
fn flush(
    batch: &mut KeyBatch,
    keys: &mut KeyTable,
    groups: &mut [u32],
    batch_start: &mut usize,
    error: &mut Option<Error>,
) {
    if batch.bytes() >= BATCH_BYTES {
        if let Err(e) = keys.intern_batch(batch, &mut groups[*batch_start..]) {
            error.get_or_insert(e);
        }
        *batch_start = groups.len();
    }
}

/// Rows per key [`group`] assumes before it has read the keys (orders per customer run to a few), to size the
/// key table's parts: 5M orders of 1M customers get 512 parts of ~2,000 keys, which measured best there.
pub(crate) const ROWS_PER_KEY: usize = 4;
/// Rows from which [`group`] partitions its key table: below, one table stays in cache anyway.
pub(crate) const RADIX_ROWS: usize = 1 << 18;
/// Key bytes [`group`] scatters before interning them (bounds the memory partitioning adds).
pub(crate) const BATCH_BYTES: usize = 64 << 20;

/// The room a batch of the keys of `rows` rows starts with: about 40 bytes a key (its length, tag and an e-mail's
/// bytes), at most [`BATCH_BYTES`].
pub(crate) fn batch_room(rows: usize) -> usize {
    BATCH_BYTES.min(rows.saturating_mul(40))
}

/// Calls `f(group, loc, global row)` for every row that takes part (in a group, and in `filter` if given).
fn for_rows(dataset: &Dataset, grouping: &Grouping, filter: Option<&Bitmap>, mut f: impl FnMut(u32, Loc, usize)) {
    let mut offset = 0;
    for (b, batch) in dataset.batches().iter().enumerate() {
        for i in 0..batch.num_rows() {
            let g = grouping.groups[offset + i];
            if g != SKIP && filter.is_none_or(|m| m.get(offset + i)) {
                f(g, loc(b, i), offset + i);
            }
        }
        offset += batch.num_rows();
    }
}

/// Rows per group (with `column`: non-null values; with `filter`: only rows where it holds).
fn counts(grouping: &Grouping, column: Option<usize>, dataset: &Dataset, filter: Option<&Bitmap>) -> Vec<i64> {
    let mut out = vec![0i64; grouping.len()];
    match column {
        // Every row: no row index, filter or location to carry through the loop.
        None if filter.is_none() => grouping.groups.iter().filter(|&&g| g != SKIP).for_each(|&g| out[g as usize] += 1),
        None => for_rows(dataset, grouping, filter, |g, _, _| out[g as usize] += 1),
        Some(c) => {
            let valid = validity(dataset, c);
            for_rows(dataset, grouping, filter, |g, _, r| out[g as usize] += i64::from(valid.get(r)))
        }
    }
    out
}

/// Which rows of a column are non-null (logical nulls, so dictionary entries that are null count too).
fn validity(dataset: &Dataset, column: usize) -> Bitmap {
    let mut bits = Bitmap::zeros(dataset.num_rows());
    let mut offset = 0;
    for chunk in dataset.column_chunks(column) {
        match chunk.logical_nulls() {
            None => (0..chunk.len()).for_each(|i| bits.set(offset + i)),
            Some(n) => n.valid_indices().for_each(|i| bits.set(offset + i)),
        }
        offset += chunk.len();
    }
    bits
}

fn compute(
    dataset: &Dataset,
    grouping: &Grouping,
    b: &Bound,
    filter: Option<&Bitmap>,
    sizes: &[i64],
) -> Result<ArrayRef> {
    let n = grouping.len();
    Ok(match b.expr.func {
        AggFunc::Count if b.column.is_none() => Arc::new(Int64Array::from(sizes.to_vec())),
        AggFunc::Count => Arc::new(Int64Array::from(counts(grouping, b.column, dataset, None))),
        AggFunc::CountIf => Arc::new(Int64Array::from(counts(grouping, None, dataset, filter))),
        AggFunc::Any | AggFunc::All => {
            let hits = counts(grouping, None, dataset, filter);
            let all = b.expr.func == AggFunc::All;
            let values: Vec<bool> = (0..n).map(|g| if all { hits[g] == sizes[g] } else { hits[g] > 0 }).collect();
            Arc::new(BooleanArray::from(values))
        }
        AggFunc::CountDistinct => count_distinct(dataset, grouping, col(b)?),
        AggFunc::Sum | AggFunc::SumIf => sum(dataset, grouping, col(b)?, filter)?,
        AggFunc::Mean => mean(dataset, grouping, col(b)?),
        AggFunc::Min | AggFunc::Max => min_max(dataset, grouping, col(b)?, b.expr.func == AggFunc::Max)?,
        AggFunc::First | AggFunc::Last => first_last(dataset, grouping, col(b)?, b.expr.func == AggFunc::Last)?,
    })
}

fn col(b: &Bound) -> Result<usize> {
    b.column.ok_or_else(|| Error::new(ErrorCode::Internal, format!("{} lost its column", b.expr.func.name())))
}

/// Visit `(group, loc, value)` of one column's rows that take part, per domain.
macro_rules! visit {
    ($dataset:expr, $grouping:expr, $column:expr, $filter:expr, $reader:ident, |$g:ident, $l:ident, $v:ident| $body:block) => {{
        let mut offset = 0;
        for (bi, chunk) in $dataset.column_chunks($column).enumerate() {
            $reader(chunk, |i, value| {
                let $g = $grouping.groups[offset + i];
                if $g == SKIP || $filter.is_some_and(|m: &Bitmap| !m.get(offset + i)) {
                    return;
                }
                if let Some($v) = value {
                    let $l = loc(bi, i);
                    let _ = $l;
                    $body
                }
            });
            offset += chunk.len();
        }
    }};
}

/// `sum` of a Float64 column without nulls over every row: each group has a row, so each has a sum (none is
/// null), and the loop reads the values and the groups side by side (the same additions in the same order as
/// the general path).
fn sum_f64_dense(dataset: &Dataset, grouping: &Grouping, column: usize) -> Vec<f64> {
    let mut sums = vec![0f64; grouping.len()];
    let mut offset = 0;
    for chunk in dataset.column_chunks(column) {
        let values = chunk.as_primitive::<Float64Type>().values();
        let groups = &grouping.groups[offset..offset + values.len()];
        for (&g, &v) in groups.iter().zip(values.iter()) {
            if g != SKIP {
                sums[g as usize] += v;
            }
        }
        offset += values.len();
    }
    sums
}

fn count_distinct(dataset: &Dataset, grouping: &Grouping, column: usize) -> ArrayRef {
    let mut out = vec![0i64; grouping.len()];
    let mut seen: HashSet<(u32, u128), FastBuild> = HashSet::default();
    let none: Option<&Bitmap> = None;
    match domain(dataset.data_type(column)) {
        Domain::Exact => visit!(dataset, grouping, column, none, for_each_exact, |g, l, v| {
            out[g as usize] += i64::from(seen.insert((g, v as u128)));
        }),
        Domain::Float => visit!(dataset, grouping, column, none, for_each_f64, |g, l, v| {
            // SQL DISTINCT: -0.0 equals 0.0 and all NaNs are one value.
            let bits = if v == 0.0 {
                0
            } else if v.is_nan() {
                f64::NAN.to_bits()
            } else {
                v.to_bits()
            };
            out[g as usize] += i64::from(seen.insert((g, bits as u128)));
        }),
        Domain::Text => {
            let mut texts = KeyTable::with_capacity(1024);
            visit!(dataset, grouping, column, none, for_each_text, |g, l, v| {
                let id = texts.intern(v).unwrap_or(u32::MAX);
                out[g as usize] += i64::from(seen.insert((g, id as u128)));
            })
        }
        Domain::Bool => {
            let mut offset = 0;
            for chunk in dataset.column_chunks(column) {
                let a = arrow_array::cast::AsArray::as_boolean(chunk.as_ref());
                for i in 0..a.len() {
                    let g = grouping.groups[offset + i];
                    if g != SKIP && arrow_array::Array::is_valid(a, i) {
                        out[g as usize] += i64::from(seen.insert((g, a.value(i) as u128)));
                    }
                }
                offset += chunk.len();
            }
        }
    }
    Arc::new(Int64Array::from(out))
}

fn sum(dataset: &Dataset, grouping: &Grouping, column: usize, filter: Option<&Bitmap>) -> Result<ArrayRef> {
    let n = grouping.len();
    let data_type = dataset.data_type(column).clone();
    if data_type == DataType::Float64 && filter.is_none() && dataset.column_chunks(column).all(|c| c.null_count() == 0)
    {
        return Ok(Arc::new(Float64Array::from(sum_f64_dense(dataset, grouping, column))));
    }
    if domain(&data_type) == Domain::Float {
        let mut sums = vec![0f64; n];
        let mut seen = vec![false; n];
        visit!(dataset, grouping, column, filter, for_each_f64, |g, l, v| {
            sums[g as usize] += v;
            seen[g as usize] = true;
        });
        return Ok(Arc::new(Float64Array::from_iter(sums.into_iter().zip(seen).map(|(s, k)| k.then_some(s)))));
    }
    let mut sums = vec![0i128; n];
    let mut seen = vec![false; n];
    let mut overflow = false;
    visit!(dataset, grouping, column, filter, for_each_exact, |g, l, v| {
        let s = &mut sums[g as usize];
        match s.checked_add(v) {
            Some(x) => *s = x,
            None => overflow = true,
        }
        seen[g as usize] = true;
    });
    let values = sums.into_iter().zip(seen).map(|(s, k)| k.then_some(s));
    let name = dataset.schema().field(column).name();
    let too_big = || Message::new("agg_sum_overflow", [name.as_str()]).into_error(ErrorCode::InvalidArgument);
    if overflow {
        return Err(too_big());
    }
    match data_type {
        DataType::Decimal128(_, scale) => {
            let a = Decimal128Array::from_iter(values)
                .with_precision_and_scale(38, scale)
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
            Ok(Arc::new(a))
        }
        _ => {
            let mut out = Vec::with_capacity(n);
            for v in values {
                out.push(match v {
                    Some(v) => Some(i64::try_from(v).map_err(|_| too_big())?),
                    None => None,
                });
            }
            Ok(Arc::new(Int64Array::from(out)))
        }
    }
}

fn mean(dataset: &Dataset, grouping: &Grouping, column: usize) -> ArrayRef {
    let n = grouping.len();
    let mut counts = vec![0u64; n];
    let none: Option<&Bitmap> = None;
    let data_type = dataset.data_type(column).clone();
    let means: Vec<Option<f64>> = if domain(&data_type) == Domain::Float {
        let mut sums = vec![0f64; n];
        visit!(dataset, grouping, column, none, for_each_f64, |g, l, v| {
            sums[g as usize] += v;
            counts[g as usize] += 1;
        });
        sums.iter().zip(&counts).map(|(s, &c)| (c > 0).then(|| s / c as f64)).collect()
    } else {
        // Exact sums first (as SQL engines do for integers and decimals), one division at the end.
        let mut sums = vec![0i128; n];
        visit!(dataset, grouping, column, none, for_each_exact, |g, l, v| {
            sums[g as usize] = sums[g as usize].saturating_add(v);
            counts[g as usize] += 1;
        });
        let scale = match data_type {
            DataType::Decimal128(_, s) => 10f64.powi(s as i32),
            _ => 1.0,
        };
        sums.iter().zip(&counts).map(|(s, &c)| (c > 0).then(|| *s as f64 / scale / c as f64)).collect()
    };
    Arc::new(Float64Array::from(means))
}

fn min_max(dataset: &Dataset, grouping: &Grouping, column: usize, max: bool) -> Result<ArrayRef> {
    let n = grouping.len();
    let mut locs = vec![NO_ROW; n];
    let none: Option<&Bitmap> = None;
    match domain(dataset.data_type(column)) {
        Domain::Exact => {
            let mut best = vec![0i128; n];
            visit!(dataset, grouping, column, none, for_each_exact, |g, l, v| {
                let k = g as usize;
                if locs[k] == NO_ROW || (if max { v > best[k] } else { v < best[k] }) {
                    best[k] = v;
                    locs[k] = l;
                }
            });
        }
        Domain::Float => {
            let mut best = vec![0f64; n];
            visit!(dataset, grouping, column, none, for_each_f64, |g, l, v| {
                let k = g as usize;
                // NaN sorts above every number, as in DuckDB and PostgreSQL.
                let better = if max { float_lt(best[k], v) } else { float_lt(v, best[k]) };
                if locs[k] == NO_ROW || better {
                    best[k] = v;
                    locs[k] = l;
                }
            });
        }
        Domain::Text => {
            let mut best: Vec<&str> = vec![""; n];
            visit!(dataset, grouping, column, none, for_each_text, |g, l, v| {
                let k = g as usize;
                if locs[k] == NO_ROW || (if max { v > best[k] } else { v < best[k] }) {
                    best[k] = v;
                    locs[k] = l;
                }
            });
        }
        Domain::Bool => {}
    }
    let chunks: Vec<ArrayRef> = dataset.column_chunks(column).cloned().collect();
    gather(&chunks, &locs, dataset.data_type(column), None)
}

fn float_lt(a: f64, b: f64) -> bool {
    if a.is_nan() {
        false
    } else {
        b.is_nan() || a < b
    }
}

fn first_last(dataset: &Dataset, grouping: &Grouping, column: usize, last: bool) -> Result<ArrayRef> {
    let mut locs = vec![NO_ROW; grouping.len()];
    let valid = validity(dataset, column);
    for_rows(dataset, grouping, None, |g, l, r| {
        if valid.get(r) && (last || locs[g as usize] == NO_ROW) {
            locs[g as usize] = l;
        }
    });
    let chunks: Vec<ArrayRef> = dataset.column_chunks(column).cloned().collect();
    gather(&chunks, &locs, dataset.data_type(column), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{RecordBatch, StringArray};
    use arrow_schema::{Field, Schema};

    #[test]
    fn many_rows_group_by_first_appearance() {
        // Past RADIX_ROWS, so the partitioned path runs; reference: a HashMap numbering keys row by row.
        let rows = RADIX_ROWS + 40_000;
        let keys: Vec<Option<String>> =
            (0..rows as u64).map(|i| (i % 97 != 0).then(|| format!(" Customer{}@X.fi", (i * 7919) % 90_001))).collect();
        let mut seen = std::collections::HashMap::new();
        let expected: Vec<Option<u32>> = keys
            .iter()
            .map(|k| {
                k.as_ref().map(|k| {
                    let next = seen.len() as u32;
                    *seen.entry(k.trim().to_lowercase()).or_insert(next)
                })
            })
            .collect();
        let schema = Arc::new(Schema::new(vec![Field::new("email", DataType::Utf8, true)]));
        let column: ArrayRef = Arc::new(StringArray::from(keys));
        let batch = RecordBatch::try_new(schema.clone(), vec![column]).unwrap();
        let dataset = Dataset::from_batches(schema, vec![batch]).unwrap();
        let grouping = group(&dataset, 0, NormalizeKey::Email, None).unwrap();
        let null_id = seen.len() as u32;
        let want: Vec<u32> = expected.iter().map(|e| e.unwrap_or(null_id)).collect();
        assert_eq!(grouping.groups, want);
        assert!(grouping.null_group);
        for (k, &id) in &seen {
            assert_eq!(grouping.keys.key(id), k);
        }
    }
}
