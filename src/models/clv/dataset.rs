//! `ds.clv(options)`: read the customer summary from a [`Dataset`], fit BG/NBD and Gamma-Gamma, predict per
//! customer and run the model checks.
//!
//! Inputs come either from named columns already in the model's terms — `frequency` (repeat purchases),
//! `recency` (time from the first to the last purchase), `T` (time from the first purchase to the reference date)
//! and `monetary` (mean repeat-order value), in `unit`s — or, when `frequency` is not given, are derived from
//! `customerFeatures`-style columns: `orders_count`, `first_order_date`, `last_order_date`, `total_spent` at
//! `referenceDate` (frequency = orders − 1, recency = last − first, T = reference − first in days, monetary =
//! total spent / orders).
//!
//! Rows the models cannot use (a null or negative value, recency > T, recency ≠ 0 with no repeat purchase, no
//! orders) are left out of the fit and get null predictions; `checks.skipped` counts them.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use super::bgnbd::{self, BgNbdFit};
use super::checks::{self, Histogram, HoldoutComparison, SpendIndependence};
use super::gamma_gamma::{self, GammaGammaFit, SpendData};
use super::predict::Predictor;
use super::summary::Grouped;
use super::tiers::{self, TierOptions, TierSummary};
use super::value::Discounting;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::messages::nested;
use crate::segments::builtin::values::{read_numeric, NumericColumn};
use crate::segments::calendar::{format_days, parse_reference_date};

/// Time unit of the summary columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// Days (the default).
    #[default]
    Days,
    /// Weeks (CDNOW-style summaries).
    Weeks,
}

impl TimeUnit {
    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }
}

/// A holdout period to compare predictions against.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldoutOptions {
    /// Column with each customer's purchases in the holdout period.
    pub frequency: String,
    /// Length of the holdout period in days.
    pub days: f64,
}

/// Options of [`clv`] (JS: `ds.clv(options)`). camelCase; every field has a default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ClvOptions {
    /// Column of repeat purchases. When left out, the inputs are derived from the `customerFeatures` columns.
    pub frequency: Option<String>,
    /// Column of recency (first to last purchase, in `unit`s). Needed with `frequency`.
    pub recency: Option<String>,
    /// Column of age (first purchase to the reference date, in `unit`s). Needed with `frequency`.
    #[serde(rename = "T")]
    pub t: Option<String>,
    /// Column of mean repeat-order value. Without it (named-column mode) only the purchase model is fitted.
    pub monetary: Option<String>,
    /// Derived mode: number of orders. Default `orders_count`.
    pub orders_count: String,
    /// Derived mode: date of the first order. Default `first_order_date`.
    pub first_order_date: String,
    /// Derived mode: date of the last order. Default `last_order_date`.
    pub last_order_date: String,
    /// Derived mode: total spent. Default `total_spent`.
    pub total_spent: String,
    /// Derived mode: a column of whole days from the last order to `referenceDate` (`customerFeatures`'
    /// `last_order_days`), used instead of `lastOrderDate` when given.
    pub last_order_days: Option<String>,
    /// Derived mode: `YYYY-MM-DD` the ages are measured at. Default: the latest last-order date.
    pub reference_date: Option<String>,
    /// Unit of the named columns (`days` or `weeks`). Derived inputs are always in days.
    pub unit: TimeUnit,
    /// Prediction horizon in days for `expected_purchases` and `clv`. Default 365.
    pub horizon_days: f64,
    /// Discount rate per 30-day month for `clv` (0.01 = 1 % a month, lifetimes' convention). Default 0.01.
    pub discount_rate: f64,
    /// Optional holdout comparison.
    pub holdout: Option<HoldoutOptions>,
    /// How `tiers` (the result's per-tier summary) cuts customers; the defaults of the `spendTier` segmentation.
    pub tiers: TierOptions,
    /// The language of errors (`'fi'`, …): read by the wasm facade before parsing; unused here.
    pub lang: Option<String>,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            frequency: None,
            recency: None,
            t: None,
            monetary: None,
            orders_count: "orders_count".into(),
            first_order_date: "first_order_date".into(),
            last_order_date: "last_order_date".into(),
            total_spent: "total_spent".into(),
            last_order_days: None,
            reference_date: None,
            unit: TimeUnit::Days,
            horizon_days: 365.0,
            discount_rate: 0.01,
            holdout: None,
            tiers: TierOptions::default(),
            lang: None,
        }
    }
}

/// Fitted parameters (JS `params` and `standardErrors`); Gamma-Gamma fields are null without spend data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvParams {
    /// BG/NBD r.
    pub r: Option<f64>,
    /// BG/NBD α (in `unit`s).
    pub alpha: Option<f64>,
    /// BG/NBD a.
    pub a: Option<f64>,
    /// BG/NBD b.
    pub b: Option<f64>,
    /// Gamma-Gamma p.
    pub p: Option<f64>,
    /// Gamma-Gamma q.
    pub q: Option<f64>,
    /// Gamma-Gamma γ (money units).
    pub gamma: Option<f64>,
}

/// Log-likelihoods of the two fits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLikelihoods {
    /// BG/NBD Σ ln L.
    pub bgnbd: f64,
    /// Gamma-Gamma Σ ln L (null without spend data).
    pub gamma_gamma: Option<f64>,
}

/// The model checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvChecks {
    /// Customers the purchase model was fitted on.
    pub fitted: usize,
    /// Rows left out (invalid or missing inputs).
    pub skipped: usize,
    /// Whether both optimisations met their gradient tolerance.
    pub converged: bool,
    /// Observed vs expected repeat-purchase histogram.
    pub histogram: Histogram,
    /// Holdout comparison (when `holdout` was given).
    pub holdout: Option<HoldoutComparison>,
    /// Gamma-Gamma frequency–monetary correlation.
    pub spend_independence: Option<SpendIndependence>,
    /// Sentences for the user (non-convergence, skipped rows, the correlation warning).
    pub warnings: Vec<String>,
}

/// Result of [`clv`]. Per-row predictions are in `columns` (not serialized; the facade adds them to a dataset).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvResult {
    /// Fitted parameters.
    pub params: ClvParams,
    /// Their standard errors.
    pub standard_errors: ClvParams,
    /// Log-likelihoods.
    pub log_likelihood: LogLikelihoods,
    /// Unit of α and of the time columns.
    pub unit: TimeUnit,
    /// Horizon (days) of `expected_purchases` and `clv`.
    pub horizon_days: f64,
    /// Reference date used in derived mode (`YYYY-MM-DD`).
    pub reference_date: Option<String>,
    /// Model checks.
    pub checks: ClvChecks,
    /// Customers and predicted value per spend tier (High, Medium, Low, Likely lost, and Unscored when any).
    pub tiers: Vec<TierSummary>,
    /// `p_alive`, `expected_purchases`, `expected_value`, `clv`, one value per dataset row.
    #[serde(skip)]
    pub columns: Vec<(&'static str, Vec<Option<f64>>)>,
}

/// Names of the columns [`clv`] adds.
pub const CLV_COLUMNS: [&str; 4] = ["p_alive", "expected_purchases", "expected_value", "clv"];

/// The model inputs per row (None = row left out).
struct Inputs {
    rows: Vec<Option<(f64, f64, f64)>>,
    monetary: Option<Vec<Option<f64>>>,
    unit: TimeUnit,
    reference_date: Option<String>,
}

fn column(dataset: &Dataset, name: &str, option: &str, purpose: &str) -> Result<NumericColumn> {
    read_numeric(dataset, name, option, purpose)
}

fn read_inputs(dataset: &Dataset, o: &ClvOptions) -> Result<Inputs> {
    let Some(frequency) = &o.frequency else { return derive_inputs(dataset, o) };
    let need = |value: &Option<String>, option: &str| {
        value.clone().ok_or_else(|| Error::invalid_argument(option, nested("clv_needed_with_frequency", &[])))
    };
    let (recency, t) = (need(&o.recency, "recency")?, need(&o.t, "T")?);
    let x = column(dataset, frequency, "frequency", "purpose_repeat")?;
    let tx = column(dataset, &recency, "recency", "purpose_repeat_span")?;
    let tt = column(dataset, &t, "T", "purpose_age")?;
    let monetary = o
        .monetary
        .as_deref()
        .map(|m| column(dataset, m, "monetary", "purpose_mean_value").map(|c| c.values))
        .transpose()?;
    let rows = (0..dataset.num_rows()).map(|i| valid_row(x.values[i], tx.values[i], tt.values[i])).collect();
    Ok(Inputs { rows, monetary, unit: o.unit, reference_date: None })
}

fn valid_row(x: Option<f64>, tx: Option<f64>, t: Option<f64>) -> Option<(f64, f64, f64)> {
    let (x, tx, t) = (x?, tx?, t?);
    let ok = x >= 0.0 && tx >= 0.0 && t > 0.0 && tx <= t * (1.0 + 1e-12) && (x > 0.0 || tx == 0.0);
    ok.then_some((x, tx.min(t), t))
}

fn derive_inputs(dataset: &Dataset, o: &ClvOptions) -> Result<Inputs> {
    let orders = column(dataset, &o.orders_count, "ordersCount", "purpose_orders")?;
    let first = column(dataset, &o.first_order_date, "firstOrderDate", "purpose_first_date")?;
    let spent = column(dataset, &o.total_spent, "totalSpent", "purpose_total_spent")?;
    let (last, reference) = match &o.last_order_days {
        Some(days) => {
            let reference = o
                .reference_date
                .as_deref()
                .ok_or_else(|| Error::invalid_argument("referenceDate", nested("clv_reference_for_days", &[])))?;
            let reference = parse_reference_date(reference, "referenceDate")?;
            let mut days = column(dataset, days, "lastOrderDays", "purpose_days_since_last")?;
            days.values.iter_mut().for_each(|d| *d = d.map(|d| reference - d));
            (days, reference)
        }
        None => {
            let last = column(dataset, &o.last_order_date, "lastOrderDate", "purpose_last_date")?;
            let reference = match &o.reference_date {
                Some(d) => parse_reference_date(d, "referenceDate")?,
                None => last
                    .max()
                    .ok_or_else(|| Error::invalid_argument("referenceDate", nested("clv_reference_no_orders", &[])))?,
            };
            (last, reference)
        }
    };
    let mut rows = Vec::with_capacity(dataset.num_rows());
    let mut monetary = Vec::with_capacity(dataset.num_rows());
    for i in 0..dataset.num_rows() {
        let row = match (orders.values[i], first.values[i], last.values[i]) {
            (Some(n), Some(f), Some(l)) if n >= 1.0 && l >= f => {
                let x = n - 1.0;
                let tx = if x > 0.0 { l - f } else { 0.0 };
                valid_row(Some(x), Some(tx), Some(reference - f))
            }
            _ => None,
        };
        rows.push(row);
        monetary.push(match (orders.values[i], spent.values[i]) {
            (Some(n), Some(s)) if n >= 1.0 => Some(s / n),
            _ => None,
        });
    }
    Ok(Inputs { rows, monetary: Some(monetary), unit: TimeUnit::Days, reference_date: Some(format_days(reference)) })
}

fn validate(o: &ClvOptions) -> Result<()> {
    if !(o.horizon_days.is_finite() && o.horizon_days > 0.0) {
        return Err(Error::invalid_argument("horizonDays", nested("clv_days_positive", &["365"])));
    }
    if !(o.discount_rate.is_finite() && o.discount_rate > -1.0) {
        return Err(Error::invalid_argument("discountRate", nested("clv_discount_rate", &[])));
    }
    o.tiers.validate("tiers.")?;
    if let Some(h) = &o.holdout {
        if !(h.days.is_finite() && h.days > 0.0) {
            return Err(Error::invalid_argument("holdout.days", nested("clv_days_positive", &["90"])));
        }
    }
    Ok(())
}

/// Fit the models to the dataset's customers and predict per customer; see the [module docs](self).
pub fn clv(dataset: &Dataset, options: &ClvOptions) -> Result<ClvResult> {
    validate(options)?;
    let inputs = read_inputs(dataset, options)?;
    let valid: Vec<(f64, f64, f64)> = inputs.rows.iter().flatten().copied().collect();
    if valid.len() < 4 {
        return Err(Error::invalid_argument("frequency", nested("clv_too_few_rows", &[&valid.len().to_string()])));
    }
    let (xs, txs, ts): (Vec<f64>, Vec<f64>, Vec<f64>) =
        (valid.iter().map(|r| r.0).collect(), valid.iter().map(|r| r.1).collect(), valid.iter().map(|r| r.2).collect());
    let grouped = Grouped::new(&xs, &txs, &ts);
    let purchases = bgnbd::fit(&grouped);
    // A cancel stops the optimizer early: report it, not the unfinished fit (the hook still says cancelled).
    crate::cancel::checkpoint(crate::cancel::Phase::Fit, 1, 2)?;
    let purchases = purchases.ok_or_else(|| Error::invalid_argument("frequency", nested("clv_not_finite", &[])))?;
    let spend_pairs: Vec<(f64, f64)> = inputs
        .rows
        .iter()
        .zip(inputs.monetary.iter().flatten())
        .filter_map(|(row, m)| Some((row.as_ref()?.0, (*m)?)))
        .collect();
    let spend = inputs.monetary.as_ref().and_then(|_| {
        let (x, m): (Vec<f64>, Vec<f64>) = spend_pairs.iter().copied().unzip();
        gamma_gamma::fit(&SpendData::new(&x, &m))
    });
    crate::cancel::checkpoint(crate::cancel::Phase::Fit, 2, 2)?;
    let unit_days = inputs.unit.days();
    let discounting = Discounting {
        horizon: options.horizon_days / unit_days,
        period: 30.0 / unit_days,
        rate: options.discount_rate,
    };
    let columns = predict(&inputs, &purchases, spend.as_ref(), &discounting);
    let holdout = options
        .holdout
        .as_ref()
        .map(|h| -> Result<HoldoutComparison> {
            let actual = column(dataset, &h.frequency, "holdout.frequency", "the purchases in the holdout period")?;
            let rows = inputs
                .rows
                .iter()
                .zip(&actual.values)
                .filter_map(|(row, a)| row.zip(*a).map(|((x, tx, t), a)| (x, tx, t, a)));
            Ok(checks::holdout_comparison(&purchases.params, rows, h.days / unit_days, 8))
        })
        .transpose()?;
    let checks = build_checks(&inputs, &grouped, &purchases, spend.as_ref(), &spend_pairs, holdout);
    let tiers = summarise_tiers(&columns, spend.is_some(), &options.tiers);
    Ok(ClvResult {
        params: params_of(&purchases, spend.as_ref(), false),
        standard_errors: params_of(&purchases, spend.as_ref(), true),
        log_likelihood: LogLikelihoods {
            bgnbd: purchases.log_likelihood,
            gamma_gamma: spend.as_ref().map(|s| s.log_likelihood),
        },
        unit: inputs.unit,
        horizon_days: options.horizon_days,
        reference_date: inputs.reference_date.clone(),
        checks,
        tiers,
        columns,
    })
}

/// The spend tiers over the prediction columns (by CLV, or by expected purchases without a spend model).
fn summarise_tiers(columns: &[(&str, Vec<Option<f64>>)], has_spend: bool, options: &TierOptions) -> Vec<TierSummary> {
    let column = |name: &str| columns.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_slice()).unwrap_or(&[]);
    let (p_alive, expected, clv) = (column("p_alive"), column("expected_purchases"), column("clv"));
    let members = tiers::assign(p_alive, if has_spend { clv } else { expected }, options);
    tiers::summarise(&members, p_alive, expected, clv)
}

fn params_of(p: &BgNbdFit, s: Option<&GammaGammaFit>, errors: bool) -> ClvParams {
    let b = &p.params;
    let (bg, gg): ([Option<f64>; 4], [Option<f64>; 3]) = if errors {
        (p.standard_errors, s.map_or([None; 3], |s| s.standard_errors))
    } else {
        (
            [Some(b.r), Some(b.alpha), Some(b.a), Some(b.b)],
            s.map_or([None; 3], |s| [Some(s.params.p), Some(s.params.q), Some(s.params.gamma)]),
        )
    };
    ClvParams { r: bg[0], alpha: bg[1], a: bg[2], b: bg[3], p: gg[0], q: gg[1], gamma: gg[2] }
}

fn predict(
    inputs: &Inputs,
    purchases: &BgNbdFit,
    spend: Option<&GammaGammaFit>,
    discounting: &Discounting,
) -> Vec<(&'static str, Vec<Option<f64>>)> {
    let n = inputs.rows.len();
    let mut predictor = Predictor::new(&purchases.params, discounting);
    let mut cols: [Vec<Option<f64>>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
    for (i, row) in inputs.rows.iter().enumerate() {
        let Some((x, tx, t)) = *row else {
            cols.iter_mut().for_each(|c| c.push(None));
            continue;
        };
        let prediction = predictor.predict(x, tx, t);
        cols[0].push(Some(prediction.p_alive));
        cols[1].push(Some(prediction.expected_purchases).filter(|v| v.is_finite()));
        let monetary = inputs.monetary.as_ref().and_then(|m| m[i]);
        let value = spend.and_then(|s| match monetary {
            Some(m) => Some(s.params.expected_average_value(x, m)),
            None if x == 0.0 => Some(s.params.population_mean()),
            None => None,
        });
        let value = value.filter(|v| v.is_finite());
        cols[2].push(value);
        cols[3].push(value.map(|v| v * prediction.discounted_purchases).filter(|v| v.is_finite()));
    }
    CLV_COLUMNS.into_iter().zip(cols).collect()
}

fn build_checks(
    inputs: &Inputs,
    grouped: &Grouped,
    purchases: &BgNbdFit,
    spend: Option<&GammaGammaFit>,
    spend_pairs: &[(f64, f64)],
    holdout: Option<HoldoutComparison>,
) -> ClvChecks {
    let fitted = grouped.total_weight as usize;
    let skipped = inputs.rows.len() - fitted;
    let spend_independence = inputs.monetary.as_ref().map(|_| checks::spend_independence(spend_pairs.iter().copied()));
    let mut warnings = Vec::new();
    if skipped > 0 {
        warnings.push(format!(
            "{skipped} row(s) were left out (a missing or negative value, recency after T, or no order); their \
             predictions are null."
        ));
    }
    let converged = purchases.converged && spend.is_none_or(|s| s.converged);
    if !converged {
        warnings.push(
            "The optimiser stopped before meeting its tolerance; the parameters may be slightly off. Check the \
             fit plots."
                .into(),
        );
    }
    let undetermined = purchases.standard_errors.iter().chain(spend.map_or(&[][..], |s| &s.standard_errors[..]));
    if undetermined.into_iter().any(Option::is_none) {
        warnings.push(
            "Some parameters have no standard error: the data pin them down poorly, usually because the customers \
             do not behave as the models assume (for example, no sign that anyone stops buying). Treat the \
             predictions as rough and compare the observed and expected repeat purchases."
                .into(),
        );
    }
    if inputs.monetary.is_some() && spend.is_none() {
        warnings.push("No repeat buyer has a positive order value, so the spend model was not fitted.".into());
    }
    if let Some(w) = spend_independence.as_ref().and_then(|s| s.warning.clone()) {
        warnings.push(w);
    }
    ClvChecks {
        fitted,
        skipped,
        converged,
        histogram: checks::repeat_histogram(&purchases.params, grouped, 8),
        holdout,
        spend_independence,
        warnings,
    }
}

/// A copy of `dataset` with `columns` (one value per row) appended as nullable float64 columns; a column of the
/// same name is replaced.
pub fn with_columns(dataset: &Dataset, columns: &[(&str, Vec<Option<f64>>)]) -> Result<Dataset> {
    let schema = dataset.schema();
    let keep: Vec<usize> =
        (0..schema.fields().len()).filter(|&i| !columns.iter().any(|(n, _)| schema.field(i).name() == n)).collect();
    let mut fields: Vec<Field> = keep.iter().map(|&i| schema.field(i).clone()).collect();
    fields.extend(columns.iter().map(|(name, _)| Field::new(*name, DataType::Float64, true)));
    let new_schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let mut batches = Vec::with_capacity(dataset.batches().len());
    let mut offset = 0;
    for batch in dataset.batches() {
        let rows = batch.num_rows();
        let mut arrays: Vec<ArrayRef> = keep.iter().map(|&i| batch.column(i).clone()).collect();
        for (_, values) in columns {
            arrays.push(Arc::new(Float64Array::from(values[offset..offset + rows].to_vec())));
        }
        offset += rows;
        let batch = RecordBatch::try_new(new_schema.clone(), arrays)
            .map_err(|e| Error::new(crate::ErrorCode::Internal, format!("could not add the CLV columns: {e}")))?;
        debug_assert_eq!(batch.num_rows(), rows);
        batches.push(batch);
    }
    Dataset::from_batches(new_schema, batches)
}
