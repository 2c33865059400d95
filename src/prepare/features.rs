//! `customerFeatures`: the per-customer columns the built-in RFM and lifecycle segments read, from an orders
//! table with one row per order or per line item.
//!
//! An order is counted once however many line-item rows it has, and its amount is its first non-null amount
//! (Shopify repeats order-level fields only on an order's first row; other tools repeat them on every row:
//! both give the same total). Days are whole UTC calendar days between an order's date and the reference date.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use serde::Deserialize;

use super::aggregate::{group, AGGREGATE_METADATA, SKIP};
use super::key::{check_key_type, for_each_key, FastBuild, KeyTable, NormalizeKey};
use super::values::{for_each_exact, for_each_f64, gather, is_numeric, loc, Loc, NO_ROW};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, value_kind, Dataset, ValueKind};
use crate::messages::{nested, Message};
use crate::segments::{calendar, evaluate_many, Rule, RuleOptions};

/// Options of [`customer_features`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FeatureOptions {
    /// The customer key column (e.g. `Email`); the output's first column keeps this name.
    pub customer: String,
    /// The order id column (e.g. `Name` in Shopify's export); without it every row is one order.
    pub order: Option<String>,
    /// The order date or timestamp column.
    pub date: String,
    /// The order amount column (an order-level total).
    pub amount: String,
    /// How customer keys are normalized (default `email`: trimmed and lower-cased).
    pub normalize_key: Option<NormalizeKey>,
    /// Only orders (rows) where this rule is TRUE count, e.g. `"Financial Status" = 'paid'`.
    #[serde(rename = "where")]
    pub where_rule: Option<String>,
    /// The date `last_order_days` and `tenure_days` count to (`YYYY-MM-DD`); default the latest order date.
    pub reference_date: Option<String>,
}

/// The output column names, in order after the customer key.
pub const FEATURE_COLUMNS: [&str; 7] = [
    "orders_count",
    "total_spent",
    "average_order_value",
    "first_order_date",
    "last_order_date",
    "last_order_days",
    "tenure_days",
];

/// Per-customer order features. See the module docs.
pub fn customer_features(orders: &Dataset, options: &FeatureOptions) -> Result<Dataset> {
    let column = |name: &str, what: &str| orders.column_index(name).map_err(|e| e.with_subject(what));
    let customer = column(&options.customer, "customer")?;
    check_key_type(&options.customer, orders.data_type(customer))?;
    let order = options.order.as_deref().map(|o| column(o, "order")).transpose()?;
    if let Some(o) = order {
        check_key_type(orders.schema().field(o).name(), orders.data_type(o))?;
    }
    let date = column(&options.date, "date")?;
    if !matches!(value_kind(orders.data_type(date)), Some(ValueKind::Date | ValueKind::Timestamp)) {
        return Err(wrong_type("date", &options.date, orders.data_type(date), "want_date"));
    }
    let amount = column(&options.amount, "amount")?;
    if !is_numeric(orders.data_type(amount)) {
        return Err(wrong_type("amount", &options.amount, orders.data_type(amount), "want_number"));
    }
    let filter = match &options.where_rule {
        Some(text) => {
            let date = options.reference_date.as_deref().unwrap_or("1970-01-01");
            let rule = Rule::parse(text, orders.schema(), &RuleOptions::with_reference_date(date)?)
                .map_err(|e| e.with_subject("where"))?;
            if rule.is_relative() && options.reference_date.is_none() {
                return Err(Error::invalid_argument("referenceDate", nested("features_relative_where", &[])));
            }
            evaluate_many(&[&rule], orders)?.pop()
        }
        None => None,
    };
    let normalize = options.normalize_key.unwrap_or(NormalizeKey::Email);
    let grouping = group(orders, customer, normalize, filter.as_ref())?;
    let n = grouping.len();

    // Order id per row (interned), so an order's line items count once.
    let order_ids: Option<Vec<u32>> = order.map(|o| intern_column(orders, o)).transpose()?;
    let mut orders_count = vec![0i64; n];
    let mut total = vec![0f64; n];
    let mut has_total = vec![false; n];
    // Per (customer, order): whether the order's amount was taken yet.
    let mut seen: HashMap<(u32, u32), bool, FastBuild> = HashMap::default();
    let mut offset = 0;
    for chunk in orders.column_chunks(amount) {
        for_each_f64(chunk, |i, value| {
            let r = offset + i;
            let g = grouping.groups[r];
            if g == SKIP {
                return;
            }
            let k = g as usize;
            let take = match &order_ids {
                None => {
                    orders_count[k] += 1;
                    true
                }
                Some(ids) if ids[r] == u32::MAX => false, // a row without an order id is no order
                Some(ids) => {
                    let taken = seen.entry((g, ids[r])).or_insert_with(|| {
                        orders_count[k] += 1;
                        false
                    });
                    let take = !*taken && value.is_some();
                    *taken |= take;
                    take
                }
            };
            if let (true, Some(v)) = (take, value) {
                total[k] += v;
                has_total[k] = true;
            }
        });
        offset += chunk.len();
    }

    let (first_locs, last_locs, first_day, last_day, max_day) = date_extremes(orders, date, &grouping.groups, n);
    let reference = match &options.reference_date {
        Some(d) => RuleOptions::with_reference_date(d)?.reference_date as i64,
        None => max_day.unwrap_or(0),
    };
    let days = |d: &Vec<Option<i64>>| Int64Array::from_iter(d.iter().map(|d| d.map(|d| reference - d)));
    let chunks: Vec<ArrayRef> = orders.column_chunks(date).cloned().collect();
    let date_type = orders.data_type(date);
    let total_spent: Vec<Option<f64>> = total.iter().zip(&has_total).map(|(t, h)| h.then_some(*t)).collect();
    let aov: Vec<Option<f64>> =
        total_spent.iter().zip(&orders_count).map(|(t, &c)| t.filter(|_| c > 0).map(|t| t / c as f64)).collect();

    let key_array = grouping.keys.to_array(grouping.null_group.then_some(grouping.keys.len() as u32));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(key_array),
        Arc::new(Int64Array::from(orders_count)),
        Arc::new(Float64Array::from(total_spent)),
        Arc::new(Float64Array::from(aov)),
        gather(&chunks, &first_locs, date_type, None)?,
        gather(&chunks, &last_locs, date_type, None)?,
        Arc::new(days(&last_day)),
        Arc::new(days(&first_day)),
    ];
    let mut fields = vec![Field::new(&options.customer, DataType::Utf8, grouping.null_group)];
    for (name, array) in FEATURE_COLUMNS.iter().zip(&columns[1..]) {
        let mut field = Field::new(*name, array.data_type().clone(), array.null_count() > 0);
        if *name == "orders_count" {
            field = field.with_metadata(HashMap::from([(AGGREGATE_METADATA.to_string(), "count_distinct".into())]));
        }
        fields.push(field);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("could not assemble the features: {e}")))?;
    Dataset::from_batches(schema, vec![batch])
}

/// `want`: the catalogue key of what the column must be.
fn wrong_type(option: &str, name: &str, data_type: &DataType, want: &str) -> Error {
    let message = Message::new("features_wrong_type", [option, name, &type_name(data_type), &nested(want, &[])]);
    message.into_error(ErrorCode::TypeMismatch).with_subject(option)
}

fn intern_column(dataset: &Dataset, column: usize) -> Result<Vec<u32>> {
    let mut table = KeyTable::with_capacity(1024);
    let mut ids = Vec::with_capacity(dataset.num_rows());
    let mut error = None;
    for chunk in dataset.column_chunks(column) {
        crate::cancel::checkpoint(crate::cancel::Phase::Prepare, ids.len() as u64, dataset.num_rows() as u64)?;
        for_each_key(chunk, NormalizeKey::None, |_, k| {
            ids.push(match k.map(|k| table.intern(k)) {
                Some(Ok(id)) => id,
                Some(Err(e)) => {
                    error.get_or_insert(e);
                    u32::MAX
                }
                None => u32::MAX,
            })
        });
    }
    error.map_or(Ok(ids), Err)
}

/// The UTC calendar day of a raw date/timestamp value.
pub(crate) fn day_of(data_type: &DataType, raw: i128) -> i64 {
    let per_day: i128 = match data_type {
        DataType::Date32 => 1,
        DataType::Date64 => 86_400_000,
        DataType::Timestamp(TimeUnit::Second, _) => 86_400,
        DataType::Timestamp(TimeUnit::Millisecond, _) => 86_400_000,
        DataType::Timestamp(TimeUnit::Microsecond, _) => 86_400_000_000,
        _ => calendar::NANOS_PER_DAY,
    };
    raw.div_euclid(per_day) as i64
}

type Extremes = (Vec<Loc>, Vec<Loc>, Vec<Option<i64>>, Vec<Option<i64>>, Option<i64>);

/// Per group: locations of the earliest and latest date, their days; and the latest day overall.
fn date_extremes(orders: &Dataset, date: usize, groups: &[u32], n: usize) -> Extremes {
    let data_type = orders.data_type(date);
    let (mut first, mut last) = (vec![NO_ROW; n], vec![NO_ROW; n]);
    let (mut lo, mut hi) = (vec![0i128; n], vec![0i128; n]);
    let mut offset = 0;
    for (b, chunk) in orders.column_chunks(date).enumerate() {
        for_each_exact(chunk, |i, v| {
            let g = groups[offset + i];
            let (true, Some(v)) = (g != SKIP, v) else { return };
            let k = g as usize;
            if first[k] == NO_ROW || v < lo[k] {
                lo[k] = v;
                first[k] = loc(b, i);
            }
            if last[k] == NO_ROW || v > hi[k] {
                hi[k] = v;
                last[k] = loc(b, i);
            }
        });
        offset += chunk.len();
    }
    let day = |locs: &Vec<Loc>, vals: &Vec<i128>| -> Vec<Option<i64>> {
        locs.iter().zip(vals).map(|(l, v)| (*l != NO_ROW).then(|| day_of(data_type, *v))).collect()
    };
    let (first_day, last_day) = (day(&first, &lo), day(&last, &hi));
    let max_day = last_day.iter().flatten().max().copied();
    (first, last, first_day, last_day, max_day)
}
