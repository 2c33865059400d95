//! Calibration / holdout split of an orders table by date: the per-customer inputs of the CLV models measured at a
//! cutoff (`calibrationEnd`), and each customer's purchases after it, up to `observationEnd`. Fitting on the
//! calibration columns and comparing the predicted purchases over the holdout with the actual ones is the honest
//! test of the models (`ds.clv({ …, holdout })`, FHL 2005 figure 4).
//!
//! The columns and their meaning are those of `lifetimes`' `calibration_and_holdout_data(…, freq='D')`: time is in
//! whole UTC calendar days, and several orders of one customer on one day count as one purchase (their amounts
//! add up). Per customer with an order on or before `calibrationEnd`:
//!
//! - `frequency_cal`: purchase days up to the cutoff − 1; `recency_cal`: days from the first to the last of them;
//!   `T_cal`: days from the first to the cutoff; `monetary_value_cal`: the mean amount of the repeat purchase days
//!   (0 without repeat purchases);
//! - `frequency_holdout`: purchase days after the cutoff, up to `observationEnd`; `duration_holdout`: the days
//!   between the two dates.
//!
//! Customers whose first order is after the cutoff are not in the calibration period and are left out.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use serde::Deserialize;

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{value_kind, Dataset, ValueKind};
use crate::messages::nested;
use crate::prepare::aggregate::{group, SKIP};
use crate::prepare::features::day_of;
use crate::prepare::key::NormalizeKey;
use crate::prepare::values::{for_each_exact, for_each_f64, is_numeric};
use crate::segments::calendar::parse_reference_date as parse_date;
use crate::segments::{evaluate_many, Rule, RuleOptions};

/// Options of [`calibration_and_holdout`] (JS `ds.calibrationAndHoldout(options)`). camelCase.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct HoldoutSplitOptions {
    /// The customer key column (e.g. `Email`); the output's first column keeps this name.
    pub customer: String,
    /// The order date or timestamp column.
    pub date: String,
    /// The order amount column; without it there is no `monetary_value_cal`.
    pub amount: Option<String>,
    /// The last day of the calibration period (`YYYY-MM-DD`, inclusive).
    pub calibration_end: String,
    /// The last day of the holdout period (`YYYY-MM-DD`, inclusive); default the latest order day.
    pub observation_end: Option<String>,
    /// How customer keys are normalized (default `email`: trimmed and lower-cased).
    pub normalize_key: Option<NormalizeKey>,
    /// Only rows where this rule is TRUE count, e.g. `"Financial Status" = 'paid'`.
    #[serde(rename = "where")]
    pub where_rule: Option<String>,
    /// The language of errors (`'fi'`, …): read by the wasm facade before parsing; unused here.
    pub lang: Option<String>,
}

/// The output column names after the customer key (without `monetary_value_cal` when there is no amount).
pub const HOLDOUT_COLUMNS: [&str; 6] =
    ["frequency_cal", "recency_cal", "T_cal", "monetary_value_cal", "frequency_holdout", "duration_holdout"];

/// One row per customer with a calibration-period order; see the [module docs](self).
pub fn calibration_and_holdout(orders: &Dataset, options: &HoldoutSplitOptions) -> Result<Dataset> {
    let column = |name: &str, what: &str| orders.column_index(name).map_err(|e| e.with_subject(what));
    let customer = column(&options.customer, "customer")?;
    let date = column(&options.date, "date")?;
    let date_type = orders.data_type(date).clone();
    if !matches!(value_kind(&date_type), Some(ValueKind::Date | ValueKind::Timestamp)) {
        return Err(Error::invalid_argument("date", nested("holdout_date_column", &[])));
    }
    let amount = options.amount.as_deref().map(|a| column(a, "amount")).transpose()?;
    if amount.is_some_and(|a| !is_numeric(orders.data_type(a))) {
        return Err(Error::invalid_argument("amount", nested("holdout_amount_column", &[])));
    }
    let cutoff = parse_date(&options.calibration_end, "calibrationEnd")? as i64;
    let filter = match &options.where_rule {
        Some(text) => {
            let rule =
                Rule::parse(text, orders.schema(), &RuleOptions::from_reference_date(Some(&options.calibration_end))?)
                    .map_err(|e| e.with_subject("where"))?;
            evaluate_many(&[&rule], orders)?.pop()
        }
        None => None,
    };
    let grouping = group(orders, customer, options.normalize_key.unwrap_or(NormalizeKey::Email), filter.as_ref())?;

    // (customer, day, amount) of every row that takes part; a null key or date is no purchase.
    let null_id = grouping.null_group.then_some(grouping.keys.len() as u32);
    let mut rows: Vec<(u32, i64, f64)> = Vec::with_capacity(orders.num_rows());
    let mut offset = 0;
    for chunk in orders.column_chunks(date) {
        for_each_exact(chunk, |i, v| {
            let g = grouping.groups[offset + i];
            if let (true, Some(v)) = (g != SKIP && Some(g) != null_id, v) {
                rows.push((g, day_of(&date_type, v), 0.0));
            }
        });
        offset += chunk.len();
    }
    if let Some(a) = amount {
        let mut values = Vec::with_capacity(orders.num_rows());
        for chunk in orders.column_chunks(a) {
            for_each_f64(chunk, |_, v| values.push(v.unwrap_or(0.0)));
        }
        // `rows` skipped some rows: walk the kept ones again in the same order to attach their amounts.
        let mut k = 0;
        let mut offset = 0;
        for chunk in orders.column_chunks(date) {
            for_each_exact(chunk, |i, v| {
                let g = grouping.groups[offset + i];
                if g != SKIP && Some(g) != null_id && v.is_some() {
                    rows[k].2 = values[offset + i];
                    k += 1;
                }
            });
            offset += chunk.len();
        }
    }
    let end = match &options.observation_end {
        Some(d) => parse_date(d, "observationEnd")? as i64,
        None => rows.iter().map(|r| r.1).max().unwrap_or(cutoff),
    };
    if end <= cutoff {
        return Err(Error::invalid_argument("observationEnd", nested("holdout_end_after_cutoff", &[])));
    }
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    build(&grouping.keys, &rows, cutoff, end, &options.customer, amount.is_some())
}

/// Sweep the rows sorted by (customer, day) into the output columns.
fn build(
    keys: &crate::prepare::key::KeyTable,
    rows: &[(u32, i64, f64)],
    cutoff: i64,
    end: i64,
    key_name: &str,
    with_amount: bool,
) -> Result<Dataset> {
    let mut names: Vec<&str> = Vec::new();
    let mut out: [Vec<f64>; 6] = Default::default();
    let mut start = 0;
    while start < rows.len() {
        let g = rows[start].0;
        let stop = start + rows[start..].iter().take_while(|r| r.0 == g).count();
        // Purchase days: (day, amount summed over the day's orders).
        let mut days: Vec<(i64, f64)> = Vec::new();
        for &(_, day, value) in &rows[start..stop] {
            match days.last_mut() {
                Some(last) if last.0 == day => last.1 += value,
                _ => days.push((day, value)),
            }
        }
        start = stop;
        let calibration: Vec<&(i64, f64)> = days.iter().filter(|d| d.0 <= cutoff).collect();
        let Some(first) = calibration.first() else { continue };
        let last = calibration[calibration.len() - 1];
        let repeat = &calibration[1..];
        names.push(keys.key(g));
        out[0].push(repeat.len() as f64);
        out[1].push((last.0 - first.0) as f64);
        out[2].push((cutoff - first.0) as f64);
        out[3].push(if repeat.is_empty() {
            0.0
        } else {
            repeat.iter().map(|d| d.1).sum::<f64>() / repeat.len() as f64
        });
        out[4].push(days.iter().filter(|d| d.0 > cutoff && d.0 <= end).count() as f64);
        out[5].push((end - cutoff) as f64);
    }
    let mut fields = vec![Field::new(key_name, DataType::Utf8, false)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from(names))];
    for (name, values) in HOLDOUT_COLUMNS.iter().zip(out) {
        if *name == "monetary_value_cal" && !with_amount {
            continue;
        }
        fields.push(Field::new(*name, DataType::Float64, false));
        columns.push(Arc::new(Float64Array::from(values)));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("could not assemble the holdout split: {e}")))?;
    Dataset::from_batches(schema, vec![batch])
}
