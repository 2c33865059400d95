//! The named metrics of one segment × variant cell in the report: counts of the metric's type, its estimate and
//! interval, and `vsControl` from [`crate::stats::compare`] (one-sided for harm on guardrails).
//!
//! Each type becomes a `stats::compare` input: a proportion `{ successes, trials }`; a mean or NPS
//! `{ sum, sumSquares, n }` of its per-unit values (NPS points +1/0/−1, so the mean is the NPS and the variance
//! p₊ + p₋ − (p₊ − p₋)², with the n − 1 divisor); a ratio `{ mean: Σx/Σy, variance, n }` with GrowthBook's
//! delta-method variance ([`ratio_moments`]). A metric with a `covariate` is compared CUPED-adjusted, with θ from the
//! compared pair ([`super::cuped`], as revenue's `covariate`), reported as `vsControl.cupedTheta`.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::metric_accumulate::MetricCell;
use super::metric_spec::{MetricInfo, MetricRole, MetricType};
use super::report::Comparison;
use super::summary::CellSummary;
use crate::error::Result;
use crate::stats::{self, Alternative, CompareOptions, Interval, IntervalOptions, MeanSummary, Proportion};

/// One metric in one cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricReport {
    /// The metric's type.
    #[serde(rename = "type")]
    pub metric_type: MetricType,
    /// The metric's role.
    pub role: MetricRole,
    /// Whether a rise is the good direction (false for guardrails unless `higherIsBetter: true`), so a report can
    /// colour a verdict without knowing the options.
    pub higher_is_better: bool,
    /// Units with a value.
    pub n: f64,
    /// Units whose value is null (left out).
    pub nulls: f64,
    /// Proportions: converted units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversions: Option<f64>,
    /// Means: Σ value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<f64>,
    /// Means and NPS: the mean per unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Means, NPS and ratios: the per-unit variance (n − 1 divisor; delta method for ratios).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variance: Option<f64>,
    /// NPS: units scoring 9–10 and 0–6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoters: Option<f64>,
    /// NPS: units scoring 0–6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detractors: Option<f64>,
    /// Ratios: Σ numerator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator_sum: Option<f64>,
    /// Ratios: Σ denominator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator_sum: Option<f64>,
    /// Rate, mean, NPS (−1…1) or ratio.
    pub estimate: f64,
    /// Interval for the estimate at `confidence` (proportions: `intervalMethod`; others: normal).
    pub interval: Interval,
    /// Comparison with control (`null` for the control): two-sided or `alternative` for goals and secondary
    /// metrics, one-sided for harm for guardrails; `adjustedPValue` only for goal metrics (the family).
    pub vs_control: Option<Comparison>,
}

/// A cell's metrics, serialized as an object `{ name: MetricReport }` in the options' order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricReports(pub Vec<(String, MetricReport)>);

impl Serialize for MetricReports {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Per-unit mean and delta-method variance of the ratio Σx/Σy (gbstats `RatioStatistic`): with sample
/// moments m_x, m_y, s²_x, s²_y, s_xy (n − 1 divisor), `mean = m_x/m_y` and
/// `variance = s²_x/m_y² − 2·s_xy·m_x/m_y³ + s²_y·m_x²/m_y⁴`, so `variance/n` is the ratio's variance.
/// NaN when n < 2 or m_y = 0.
pub fn ratio_moments(cell: &MetricCell) -> (f64, f64) {
    let n = cell.n as f64;
    if cell.n < 2 || cell.denominator_sum == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let (mx, my) = (cell.sum / n, cell.denominator_sum / n);
    let sxx = (cell.sum_squares - cell.sum * mx) / (n - 1.0);
    let syy = (cell.denominator_sum_squares - cell.denominator_sum * my) / (n - 1.0);
    let sxy = (cell.cross_sum - cell.sum * my) / (n - 1.0);
    let (a, c) = (sxx / (my * my), syy * mx * mx / my.powi(4));
    let variance = a - 2.0 * sxy * mx / my.powi(3) + c;
    // A quadratic form of a covariance matrix, so ≥ 0; terms that cancel to within the sums' rounding (the
    // numerator exactly proportional to the denominator, e.g. revenue = 25 × orders) give 0.
    let variance = stats::above_sums_rounding(variance, a + c);
    (mx / my, variance)
}

/// The `stats::compare` input of a metric cell.
fn compare_input(info: &MetricInfo, cell: &MetricCell) -> stats::Summary {
    let n = cell.n as f64;
    match info.metric_type {
        MetricType::Proportion => stats::Summary::Proportion(Proportion::new(cell.sum, n)),
        MetricType::Mean | MetricType::Nps => {
            stats::Summary::Mean(MeanSummary::Sums { sum: cell.sum, sum_squares: cell.sum_squares, n })
        }
        MetricType::Ratio => {
            let (mean, variance) = ratio_moments(cell);
            stats::Summary::Mean(MeanSummary::Moments { mean, variance, n })
        }
    }
}

/// The report of metric `info` in `cell`, compared with `control` when given.
pub fn metric_report(
    info: &MetricInfo,
    cell: &MetricCell,
    control: Option<&MetricCell>,
    compare_options: &CompareOptions,
    interval_options: &IntervalOptions,
) -> Result<MetricReport> {
    let n = cell.n as f64;
    let t = info.metric_type;
    let (estimate, variance) = match t {
        MetricType::Ratio => ratio_moments(cell),
        _ if cell.n == 0 => (f64::NAN, f64::NAN),
        _ => {
            let mean = cell.sum / n;
            let var = if cell.n < 2 { f64::NAN } else { (cell.sum_squares - cell.sum * mean) / (n - 1.0) };
            (mean, var)
        }
    };
    let interval = match t {
        MetricType::Proportion => stats::proportion_interval(cell.sum, n, interval_options)?,
        _ => normal_interval(estimate, variance, n, interval_options.confidence),
    };
    let vs_control = match control {
        Some(c) => {
            let mut options = *compare_options;
            options.metric = None;
            if info.role == MetricRole::Guardrail {
                options.alternative = if info.rise_is_harm() { Alternative::Greater } else { Alternative::Less };
            }
            if info.cuped {
                // θ from this control–treatment pair, exactly as revenue's `covariate` (super::cuped).
                let (result, theta) = super::cuped::compare(&cuped_cell(c), &cuped_cell(cell), &options)?;
                Some(Comparison { result, adjusted_p_value: None, cuped_theta: Some(theta) })
            } else if t == MetricType::Ratio && !(ratio_moments(c).0.is_finite() && estimate.is_finite()) {
                // A denominator summing to 0 (or fewer than 2 units) leaves the ratio undefined: say so in the
                // comparison, as stats does for other undefined tests, rather than failing the whole report.
                let bayes = options.engine == stats::Engine::Bayesian;
                let result = stats::CompareResult::undefined(
                    bayes,
                    "the ratio is undefined in a group (its denominator sums to 0, or it has fewer than 2 units)",
                );
                Some(Comparison { result, adjusted_p_value: None, cuped_theta: None })
            } else {
                let result = stats::compare(&compare_input(info, c), &compare_input(info, cell), &options)?;
                Some(Comparison { result, adjusted_p_value: None, cuped_theta: None })
            }
        }
        None => None,
    };
    // NPS points are +1/0/−1, so Σx and Σx² give the promoter and detractor counts.
    let nps = t == MetricType::Nps;
    Ok(MetricReport {
        metric_type: t,
        role: info.role,
        higher_is_better: !info.rise_is_harm(),
        n,
        nulls: cell.nulls as f64,
        conversions: (t == MetricType::Proportion).then_some(cell.sum),
        sum: (t == MetricType::Mean).then_some(cell.sum),
        mean: matches!(t, MetricType::Mean | MetricType::Nps).then_some(estimate),
        variance: (t != MetricType::Proportion).then_some(variance),
        promoters: nps.then(|| ((cell.sum_squares + cell.sum) / 2.0).round()),
        detractors: nps.then(|| ((cell.sum_squares - cell.sum) / 2.0).round()),
        numerator_sum: (t == MetricType::Ratio).then_some(cell.sum),
        denominator_sum: (t == MetricType::Ratio).then_some(cell.denominator_sum),
        estimate,
        interval,
        vs_control,
    })
}

/// A metric cell as the revenue/covariate sums [`super::cuped`] reads (its units all have a value).
fn cuped_cell(cell: &MetricCell) -> CellSummary {
    CellSummary {
        n: cell.n,
        revenue_sum: cell.sum,
        revenue_sum_squares: cell.sum_squares,
        covariate_sum: cell.covariate_sum,
        covariate_sum_squares: cell.covariate_sum_squares,
        revenue_covariate_sum: cell.value_covariate_sum,
        ..CellSummary::default()
    }
}

/// `estimate ± z·√(variance/n)`, NaN (with a reason) when the variance is undefined.
fn normal_interval(estimate: f64, variance: f64, n: f64, confidence: f64) -> Interval {
    let se = (variance / n).sqrt();
    let warning = (!se.is_finite()).then(|| "fewer than 2 units (or a zero denominator): no interval".to_string());
    let z = crate::stats::dist::norm_isf((1.0 - confidence) / 2.0);
    let half = if se.is_finite() { z * se } else { f64::NAN };
    Interval { estimate, lower: estimate - half, upper: estimate + half, warning }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use serde_json::json;

    use crate::ingest::Dataset;
    use crate::metrics::{analyze, AnalysisOptions};
    use crate::segments::SegmentCache;

    fn dataset(rows: usize) -> Dataset {
        let schema = Arc::new(Schema::new(vec![
            Field::new("variant", DataType::Utf8, false),
            Field::new("converted", DataType::Boolean, false),
            Field::new("revenue", DataType::Float64, false),
            Field::new("Unsub", DataType::Boolean, false),
        ]));
        let v: Vec<&str> = (0..rows).map(|i| if i % 2 == 0 { "A" } else { "B" }).collect();
        let conv: Vec<bool> = (0..rows).map(|i| i % 7 < 2 + i % 2).collect();
        let rev: Vec<f64> = (0..rows).map(|i| if i % 7 < 2 + i % 2 { (i % 13) as f64 * 3.5 } else { 0.0 }).collect();
        let unsub: Vec<bool> = (0..rows).map(|i| i % 11 == 0 || (i % 2 == 1 && i % 5 == 0)).collect();
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(v)),
            Arc::new(BooleanArray::from(conv)),
            Arc::new(Float64Array::from(rev)),
            Arc::new(BooleanArray::from(unsub)),
        ];
        Dataset::from_batches(schema.clone(), vec![RecordBatch::try_new(schema, cols).unwrap()]).unwrap()
    }

    /// A named metric on the conversion or revenue column gives the same comparison as the shorthand; goals join
    /// the correction family, guardrails are one-sided and outside it.
    #[test]
    fn named_metrics_agree_with_the_shorthands_and_form_the_family() {
        let ds = dataset(400);
        let options: AnalysisOptions = serde_json::from_str(
            r#"{"control": "A", "referenceDate": "2026-11-01", "segments": {"buyers": "revenue > 0"},
                "metrics": {"conv": "converted", "rev": {"column": "revenue", "type": "mean"},
                            "unsub": {"column": "Unsub", "role": "guardrail"},
                            "rev2": {"column": "revenue", "role": "secondary"}}}"#,
        )
        .unwrap();
        let report = analyze(&ds, &mut SegmentCache::default(), &options).unwrap();
        let json = serde_json::to_value(&report).unwrap();
        let b = &json["segments"][0]["variants"][1];
        let conv = &b["conversionVsControl"];
        let named = &b["metrics"]["conv"]["vsControl"];
        assert_eq!(named["estimate"], conv["estimate"]);
        assert_eq!(named["pValue"], conv["pValue"]);
        assert_eq!(b["metrics"]["rev"]["vsControl"]["pValue"], b["revenueVsControl"]["pValue"]);
        assert_eq!(b["metrics"]["rev"]["sum"], b["revenueSum"]);
        assert_eq!(b["metrics"]["conv"]["conversions"], b["conversions"]);
        assert_eq!(b["metrics"]["conv"]["type"], "proportion");
        assert_eq!(b["metrics"]["unsub"]["role"], "guardrail");
        // Guardrail: one-sided for a rise, not adjusted.
        // (serde_json writes the infinite upper bound as null.)
        assert!(b["metrics"]["unsub"]["vsControl"]["upper"].is_null());
        assert!(b["metrics"]["unsub"]["vsControl"]["lower"].is_number());
        assert!(b["metrics"]["unsub"]["vsControl"]["adjustedPValue"].is_null());
        assert!(b["metrics"]["rev2"]["vsControl"]["adjustedPValue"].is_null());
        assert!(b["metrics"]["conv"]["vsControl"]["adjustedPValue"].is_number());
        assert!(json["segments"][0]["variants"][0]["metrics"]["conv"]["vsControl"].is_null());
        // Family: (conversion, revenue, conv, rev) × 2 segments × 1 treatment, less the two conversion tests of
        // "buyers", where everyone converted (zero variance: no p-value to adjust).
        assert!(json["segments"][1]["variants"][1]["metrics"]["conv"]["vsControl"]["pValue"].is_null());
        assert_eq!(json["correction"]["family"], 6.0);
        assert_eq!(json["correction"]["goalMetrics"], json!(["conversion", "revenue", "conv", "rev"]));
        assert_eq!(json["correction"]["method"], "holm");
    }
}
