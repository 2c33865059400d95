//! Building the report from a [`Summary`]: rates, intervals, means, variances, comparisons against control
//! (optionally CUPED-adjusted), SRM, the family-wise p-value adjustment, heterogeneity and warnings.
//! Every formula that exists in [`crate::stats`] is called from there, never re-implemented.

use serde::Serialize;

use super::metric_report::{metric_report, MetricReports};
use super::metric_spec::MetricRole;
use super::options::{AnalysisOptions, Correction, ExpectedWeights};
use super::summary::{CellSummary, SegmentSummary, Summary};
use crate::error::{Error, Result};
use crate::messages::{nested, Labels};
use crate::stats::{
    self, CompareOptions, CompareResult, HeterogeneityResult, Interval, IntervalOptions, MeanSummary, Proportion,
    SrmOptions, SrmResult,
};

/// The analysis report (JS: the value `ds.analyze()` returns).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// One entry per segment, "All customers" first (unless `includeAll: false`), then in the options' order.
    pub segments: Vec<SegmentReport>,
    /// Variant keys: control first, then the others sorted.
    pub variants: Vec<String>,
    /// The control variant.
    pub control: String,
    /// Rows in the data.
    pub rows: f64,
    /// Rows whose variant is null (in no variant of any segment).
    pub unassigned: f64,
    /// Does the treatment effect differ between the user's segments? (Cochran's Q per treatment × metric.)
    pub heterogeneity: HeterogeneityReport,
    /// Things to look at before trusting the numbers.
    pub warnings: Vec<Warning>,
    /// The multiple-comparison correction: which tests form the family and how many there were.
    pub correction: CorrectionReport,
    /// The options used, with defaults filled in.
    pub options: AnalysisOptions,
}

/// What `adjustedPValue` was corrected over.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionReport {
    /// `correction`: `'none' | 'bonferroni' | 'holm' | 'bh'`.
    pub method: Correction,
    /// Tests in the family (defined p-values adjusted together).
    pub family: f64,
    /// The family in words: goal metrics × segments × treatment variants.
    pub members: String,
    /// The goal metrics of the family: `conversion` and `revenue` when read, then the named goal metrics.
    pub goal_metrics: Vec<String>,
}

/// One segment of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentReport {
    /// Display name.
    pub name: String,
    /// A built-in group's (or `All customers`') name in each language; `null` for rule segments, whose name is
    /// the user's own.
    pub labels: Option<Labels>,
    /// `'all' | 'rule' | 'builtin'`.
    pub kind: String,
    /// Canonical rule text (rule segments).
    pub rule: Option<String>,
    /// Equivalent SQL (DuckDB) where there is one.
    pub sql: Option<String>,
    /// What a built-in group is (English).
    pub description: Option<String>,
    /// What a built-in group is, in each language; `null` for other segments.
    pub descriptions: Option<Labels>,
    /// Member rows; `null` when a cell is suppressed (it could be recovered by subtraction).
    pub size: Option<f64>,
    /// Members without a variant; `null` when a cell is suppressed.
    pub unassigned: Option<f64>,
    /// Sample-ratio-mismatch test over the variants' unit counts (`null` with < 2 variants or a suppressed cell).
    pub srm: Option<SrmResult>,
    /// CUPED adjustment of revenue, when a covariate is given.
    pub cuped: Option<Cuped>,
    /// Per variant, control first.
    pub variants: Vec<VariantReport>,
}

/// CUPED parameters of a segment (pooled over its variants), for display; each revenue comparison is adjusted
/// with its own pair's θ (`revenueVsControl.cupedTheta`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cuped {
    /// θ = cov(Y, X) / var(X) over the segment's units with revenue (0 when var(X) = 0).
    pub theta: f64,
    /// Pooled covariate mean X̄.
    pub covariate_mean: f64,
    /// Pooled corr(Y, X)²: the share of revenue variance CUPED removes.
    pub variance_reduction: f64,
}

/// One segment × variant cell. Every number is `null` when the cell is suppressed (`minCellSize`) or the
/// metric was not requested.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantReport {
    /// Variant key.
    pub variant: String,
    /// Whether the numbers were withheld because n < minCellSize.
    pub suppressed: bool,
    /// Units (rows) with this variant in the segment.
    pub n: Option<f64>,
    /// Converted units.
    pub conversions: Option<f64>,
    /// Units whose conversion is null (not in the conversion test).
    pub conversion_nulls: Option<f64>,
    /// conversions / (n − conversionNulls).
    pub conversion_rate: Option<f64>,
    /// Interval for the conversion rate (`intervalMethod`, `confidence`).
    pub conversion_interval: Option<Interval>,
    /// Σ revenue (non-null rows).
    pub revenue_sum: Option<f64>,
    /// Mean revenue over non-null rows.
    pub revenue_mean: Option<f64>,
    /// Sample variance of revenue (n − 1); NaN with fewer than 2 values.
    pub revenue_variance: Option<f64>,
    /// Units whose revenue is null (not in the revenue test).
    pub revenue_nulls: Option<f64>,
    /// CUPED-adjusted mean revenue Ȳ − θ(X̄ − X̄_pooled) (with a covariate).
    pub revenue_mean_adjusted: Option<f64>,
    /// CUPED-adjusted variance var(Y) − 2θ·cov(Y, X) + θ²·var(X) (with a covariate).
    pub revenue_variance_adjusted: Option<f64>,
    /// Units with revenue whose covariate is null (counted as 0).
    pub covariate_nulls: Option<f64>,
    /// `stats.compare` of conversion vs control + `adjustedPValue` (`null` for the control itself).
    pub conversion_vs_control: Option<Comparison>,
    /// `stats.compare` of (CUPED-adjusted) mean revenue vs control + `adjustedPValue`.
    pub revenue_vs_control: Option<Comparison>,
    /// The named `metrics`, `{ name: { type, role, n, …, estimate, interval, vsControl } }` (empty when
    /// suppressed).
    pub metrics: MetricReports,
}

/// A `stats.compare` result plus the p-value adjusted over the report's family of tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The comparison.
    #[serde(flatten)]
    pub result: CompareResult,
    /// `pValue` adjusted by `correction` over all segments × treatments × metrics (`null` when pValue is
    /// null or NaN: Bayesian engine, undefined test).
    pub adjusted_p_value: Option<f64>,
    /// CUPED θ of this control–treatment pair (revenue with a covariate only): the covariate's OLS coefficient
    /// with a treatment indicator, the θ this comparison was adjusted with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cuped_theta: Option<f64>,
}

/// Heterogeneity section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeterogeneityReport {
    /// What the test assumes, and whether it holds here.
    pub caveat: String,
    /// Rows in more than one of the user's segments, when known.
    pub overlapping_rows: Option<f64>,
    /// One test per treatment variant × metric with at least two usable segments.
    pub tests: Vec<HeterogeneityTest>,
}

/// Cochran's Q across segments for one treatment variant and metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeterogeneityTest {
    /// Treatment variant.
    pub variant: String,
    /// `'conversion' | 'revenue'`.
    pub metric: String,
    /// Segments whose effect entered the test.
    pub segments: Vec<String>,
    /// The test.
    #[serde(flatten)]
    pub result: HeterogeneityResult,
}

/// Warning codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WarningCode {
    /// Sample ratio mismatch in a segment.
    Srm,
    /// A variant of the segment has fewer than `minSampleSize` units.
    SmallSegment,
    /// The segment has no rows.
    EmptySegment,
    /// Null conversion or revenue values were left out of the tests.
    NullOutcomes,
    /// Null covariate values were counted as 0.
    NullCovariate,
    /// A cell was suppressed (n < minCellSize).
    SuppressedCell,
    /// A cell has units but no conversions.
    NoConversions,
    /// Rows with a null variant (in no variant).
    Unassigned,
}

/// A warning: `{ code, segment, variant?, message }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// Stable code.
    pub code: WarningCode,
    /// Segment name (`null` for report-wide warnings).
    pub segment: Option<String>,
    /// Variant, when the warning is about one cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// What happened and what it means.
    pub message: String,
}

/// The caveat attached to the heterogeneity tests.
pub const HETEROGENEITY_CAVEAT: &str = "Cochran's Q treats the per-segment effects as independent estimates. It is \
computed over the user's segments only (\"All customers\" and suppressed or undefined cells left out); when segments \
overlap, the same customers count in several estimates and the p-value is too small (anti-conservative). Read it as \
a screening signal, and confirm with non-overlapping segments.";

fn warn(code: WarningCode, segment: Option<&str>, variant: Option<&str>, message: String) -> Warning {
    Warning { code, segment: segment.map(str::to_string), variant: variant.map(str::to_string), message }
}

fn count(x: u64) -> f64 {
    x as f64
}

/// Analyze a summary (from [`crate::metrics::summarize`] or a SQL engine): see the module docs and
/// `docs/analysis.md`. Only the statistical options are used (`control`, `confidence`, `alternative`,
/// `difference`, `correction`, `sequential`, `engine`, `prior`, `intervalMethod`, `expectedWeights`,
/// `srmThreshold`, `minSampleSize`, `minCellSize`).
pub fn analyze_summary(summary: &Summary, options: &AnalysisOptions) -> Result<Report> {
    options.validate()?;
    for s in &summary.segments {
        if s.cells.len() != summary.variants.len() {
            return Err(Error::invalid_argument(
                "summary",
                format!("segment `{}` has {} cells for {} variants", s.name, s.cells.len(), summary.variants.len()),
            ));
        }
        let shape_ok = summary.metrics.is_empty()
            || (s.metric_cells.len() == summary.variants.len()
                && s.metric_cells.iter().all(|c| c.len() == summary.metrics.len()));
        if !shape_ok {
            return Err(Error::invalid_argument(
                "summary",
                format!(
                    "segment `{}` needs metricCells: one list of {} cells (one per metric) for each of the {} variants",
                    s.name,
                    summary.metrics.len(),
                    summary.variants.len()
                ),
            ));
        }
    }
    // Variant order: control first, then the others in the summary's (sorted) order.
    let control_index = match &options.control {
        Some(c) => match summary.variants.iter().position(|v| v == c) {
            Some(i) => i,
            None if summary.variants.is_empty() => 0,
            None => {
                let list = summary.variants.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                return Err(Error::invalid_argument("control", nested("no_control", &[c, &options.variant, &list])));
            }
        },
        None => 0,
    };
    let control = summary.variants.get(control_index).cloned().or_else(|| options.control.clone()).unwrap_or_default();
    let mut order: Vec<usize> = Vec::with_capacity(summary.variants.len());
    if !summary.variants.is_empty() {
        order.push(control_index);
    }
    order.extend((0..summary.variants.len()).filter(|&i| i != control_index));
    let variants: Vec<String> = order.iter().map(|&i| summary.variants[i].clone()).collect();
    let weights = expected_weights(options, &variants)?;

    let compare_options = CompareOptions {
        metric: None,
        difference: options.difference,
        alternative: options.alternative,
        confidence: options.confidence,
        sequential: options.sequential,
        engine: options.engine,
        prior: options.prior,
    };
    let interval_options = IntervalOptions { method: options.interval_method, confidence: options.confidence };
    let mut warnings = Vec::new();
    if summary.unassigned > 0 {
        warnings.push(warn(
            WarningCode::Unassigned,
            None,
            None,
            format!(
                "{} of {} rows have a null `{}` and are in no variant; they count in segment sizes but in no test",
                summary.unassigned, summary.rows, options.variant
            ),
        ));
    }
    let context = ReportContext {
        order: &order,
        variants: &variants,
        summary,
        options,
        compare_options: &compare_options,
        interval_options: &interval_options,
        weights: weights.as_deref(),
    };
    let mut segments = Vec::with_capacity(summary.segments.len());
    for seg in &summary.segments {
        segments.push(segment_report(&context, seg, &mut warnings)?);
    }
    let correction = adjust_family(&mut segments, summary, options)?;
    let heterogeneity = heterogeneity(&segments, &variants, summary)?;
    Ok(Report {
        segments,
        variants,
        control,
        rows: count(summary.rows),
        unassigned: count(summary.unassigned),
        heterogeneity,
        warnings,
        correction,
        options: options.clone(),
    })
}

fn expected_weights(options: &AnalysisOptions, variants: &[String]) -> Result<Option<Vec<f64>>> {
    match &options.expected_weights {
        None => Ok(None),
        Some(ExpectedWeights::List(w)) => {
            if w.len() != variants.len() {
                return Err(Error::invalid_argument(
                    "expectedWeights",
                    format!(
                        "has {} weights but there are {} variants ({}, control first)",
                        w.len(),
                        variants.len(),
                        variants.join(", ")
                    ),
                ));
            }
            Ok(Some(w.clone()))
        }
        Some(ExpectedWeights::Map(m)) => {
            for (k, _) in m {
                if !variants.contains(k) {
                    return Err(Error::invalid_argument(
                        "expectedWeights",
                        format!(
                            "names variant `{k}`, which is not in the data; the variants are {}",
                            variants.join(", ")
                        ),
                    ));
                }
            }
            variants
                .iter()
                .map(|v| {
                    m.iter().find(|(k, _)| k == v).map(|(_, w)| *w).ok_or_else(|| {
                        Error::invalid_argument("expectedWeights", format!("has no weight for variant `{v}`"))
                    })
                })
                .collect::<Result<Vec<f64>>>()
                .map(Some)
        }
    }
}

/// (mean, variance, n) of revenue; variance NaN with n < 2 in the report, 0 for the test (as the stats module).
fn revenue_moments(c: &CellSummary, name: &str) -> Result<stats::Moments> {
    MeanSummary::Sums { sum: c.revenue_sum, sum_squares: c.revenue_sum_squares, n: count(c.revenue_n()) }.moments(name)
}

/// CUPED over a segment's cells: θ and pooled means from totals, then per cell adjusted (mean, variance).
/// `hidden` cells (suppressed by `minCellSize`) stay out of the pooled θ and covariate mean, so the adjusted
/// numbers of the visible cells reveal nothing about them.
fn cuped(cells: &[&CellSummary], hidden: &[bool]) -> (Cuped, AdjustedCells) {
    let (mut n, mut sy, mut syy, mut sx, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for c in cells.iter().zip(hidden).filter(|(_, &h)| !h).map(|(c, _)| c) {
        n += count(c.revenue_n());
        sy += c.revenue_sum;
        syy += c.revenue_sum_squares;
        sx += c.covariate_sum;
        sxx += c.covariate_sum_squares;
        sxy += c.revenue_covariate_sum;
    }
    let (theta, x_mean, reduction) = if n >= 2.0 {
        let var_x = (sxx - sx * sx / n) / (n - 1.0);
        let var_y = (syy - sy * sy / n) / (n - 1.0);
        let cov = (sxy - sx * sy / n) / (n - 1.0);
        if var_x > 0.0 {
            let r2 = if var_y > 0.0 { (cov * cov / (var_x * var_y)).min(1.0) } else { 0.0 };
            (cov / var_x, sx / n, r2)
        } else {
            (0.0, sx / n, 0.0)
        }
    } else {
        (0.0, if n > 0.0 { sx / n } else { f64::NAN }, 0.0)
    };
    let adjusted = cells
        .iter()
        .map(|c| {
            let m = count(c.revenue_n());
            if m == 0.0 {
                return None;
            }
            let (ym, xm) = (c.revenue_sum / m, c.covariate_sum / m);
            let mean = ym - theta * (xm - x_mean);
            let variance = if m < 2.0 {
                0.0
            } else {
                let vy = (c.revenue_sum_squares - c.revenue_sum * ym) / (m - 1.0);
                let vx = (c.covariate_sum_squares - c.covariate_sum * xm) / (m - 1.0);
                let cxy = (c.revenue_covariate_sum - c.covariate_sum * ym) / (m - 1.0);
                (vy - 2.0 * theta * cxy + theta * theta * vx).max(0.0)
            };
            Some((mean, variance))
        })
        .collect();
    (Cuped { theta, covariate_mean: x_mean, variance_reduction: reduction }, adjusted)
}

/// What every segment's report is made with: the variants in report order (control first) and the options.
struct ReportContext<'a> {
    /// Indices into the summary's variants, control first.
    order: &'a [usize],
    /// The variant names in that order.
    variants: &'a [String],
    summary: &'a Summary,
    options: &'a AnalysisOptions,
    compare_options: &'a CompareOptions,
    interval_options: &'a IntervalOptions,
    /// Expected traffic shares for SRM (`None`: equal).
    weights: Option<&'a [f64]>,
}

/// Per cell, CUPED's adjusted (mean, variance) of revenue; `None` for cells without revenue or withheld ones.
type AdjustedCells = Vec<Option<(f64, f64)>>;

/// One segment's cells in report order, and which of them `minCellSize` withholds.
struct SegmentCells<'a> {
    seg: &'a SegmentSummary,
    cells: Vec<&'a CellSummary>,
    suppressed: Vec<bool>,
    /// CUPED's θ and per-cell adjusted (mean, variance), with a covariate.
    cuped: Option<(Cuped, AdjustedCells)>,
}

fn segment_report(ctx: &ReportContext<'_>, seg: &SegmentSummary, warnings: &mut Vec<Warning>) -> Result<SegmentReport> {
    let name = seg.name.as_str();
    let cells: Vec<&CellSummary> = ctx.order.iter().map(|&i| &seg.cells[i]).collect();
    let min_cell_size = ctx.options.min_cell_size;
    let suppressed: Vec<bool> = cells.iter().map(|c| min_cell_size > 0 && c.n < min_cell_size).collect();
    let any_suppressed = suppressed.iter().any(|&s| s);
    if seg.size == 0 {
        warnings.push(warn(
            WarningCode::EmptySegment,
            Some(name),
            None,
            format!("segment `{name}` has no rows: nothing to test"),
        ));
    }
    let has_cov = ctx.summary.has_covariate && ctx.summary.has_revenue;
    let cuped = has_cov.then(|| cuped(&cells, &suppressed));
    let segment = SegmentCells { seg, cells, suppressed, cuped };
    let srm = if any_suppressed { None } else { srm_check(ctx, &segment, warnings)? };
    data_warnings(ctx, &segment, warnings);
    let mut out_variants = Vec::with_capacity(segment.cells.len());
    for i in 0..segment.cells.len() {
        out_variants.push(variant_report(ctx, &segment, i, warnings)?);
    }
    Ok(SegmentReport {
        name: seg.name.clone(),
        labels: seg.labels_or_default(),
        kind: seg.kind.clone(),
        rule: seg.rule.clone(),
        sql: seg.sql.clone(),
        description: seg.description.clone(),
        descriptions: seg.descriptions.clone(),
        size: (!any_suppressed).then(|| count(seg.size)),
        unassigned: (!any_suppressed).then(|| count(seg.unassigned)),
        srm,
        cuped: segment.cuped.map(|(info, _)| info),
        variants: out_variants,
    })
}

/// SRM over the variants' unit counts (none with fewer than two variants or an empty segment), warning on a
/// mismatch.
fn srm_check(ctx: &ReportContext<'_>, s: &SegmentCells<'_>, warnings: &mut Vec<Warning>) -> Result<Option<SrmResult>> {
    let (name, variants, options) = (s.seg.name.as_str(), ctx.variants, ctx.options);
    if variants.len() < 2 || s.seg.size == 0 {
        return Ok(None);
    }
    let observed: Vec<f64> = s.cells.iter().map(|c| count(c.n)).collect();
    let equal = vec![1.0; variants.len()];
    let r = stats::srm(&observed, ctx.weights.unwrap_or(&equal), &SrmOptions { threshold: options.srm_threshold })?;
    if r.mismatch {
        warnings.push(warn(
            WarningCode::Srm,
            Some(name),
            None,
            format!(
                "sample ratio mismatch in `{name}`: the variants' unit counts ({}) are unlikely under the expected \
                 split (chi-square p = {:.3e} < {}); the assignment or the data is broken, so do not trust the \
                 comparisons of this segment",
                observed.iter().map(|x| format!("{x}")).collect::<Vec<_>>().join(" / "),
                r.p_value,
                options.srm_threshold
            ),
        ));
    }
    Ok(Some(r))
}

/// Warnings about the segment's data: a small cell, null outcomes, null covariates.
fn data_warnings(ctx: &ReportContext<'_>, s: &SegmentCells<'_>, warnings: &mut Vec<Warning>) {
    let (name, variants, options, cells) = (s.seg.name.as_str(), ctx.variants, ctx.options, &s.cells);
    let (has_conv, has_rev) = (ctx.summary.has_conversion, ctx.summary.has_revenue);
    if s.seg.size > 0 && !variants.is_empty() {
        if let Some((i, c)) = cells.iter().enumerate().min_by_key(|(_, c)| c.n) {
            if c.n < options.min_sample_size {
                warnings.push(warn(
                    WarningCode::SmallSegment,
                    Some(name),
                    Some(&variants[i]),
                    format!(
                        "segment `{name}` has only {} units in variant `{}` (minSampleSize {}): its tests have little \
                         power and their normal approximations may not hold",
                        // A suppressed cell's count must not leak through the message.
                        if s.suppressed[i] { format!("fewer than {}", options.min_cell_size) } else { c.n.to_string() },
                        variants[i],
                        options.min_sample_size
                    ),
                ));
            }
        }
    }
    let conv_nulls: u64 = cells.iter().map(|c| c.conversion_nulls).sum();
    let rev_nulls: u64 = cells.iter().map(|c| c.revenue_nulls).sum();
    if (has_conv && conv_nulls > 0) || (has_rev && rev_nulls > 0) {
        let mut parts = Vec::new();
        if has_conv && conv_nulls > 0 {
            parts.push(format!("{conv_nulls} with a null `{}`", options.conversion.as_deref().unwrap_or("conversion")));
        }
        if has_rev && rev_nulls > 0 {
            parts.push(format!("{rev_nulls} with a null `{}`", options.revenue.as_deref().unwrap_or("revenue")));
        }
        warnings.push(warn(
            WarningCode::NullOutcomes,
            Some(name),
            None,
            format!(
                "segment `{name}`: {} rows were left out of the tests of that metric (see conversionNulls / \
                 revenueNulls per variant)",
                parts.join(" and ")
            ),
        ));
    }
    if s.cuped.is_some() {
        let cov_nulls: u64 = cells.iter().map(|c| c.covariate_nulls).sum();
        if cov_nulls > 0 {
            warnings.push(warn(
                WarningCode::NullCovariate,
                Some(name),
                None,
                format!(
                    "segment `{name}`: {cov_nulls} rows with revenue have a null covariate `{}`, counted as 0 for CUPED",
                    options.covariate.as_deref().unwrap_or("covariate")
                ),
            ));
        }
    }
}

fn conversion_summary(c: &CellSummary) -> Proportion {
    Proportion::new(count(c.conversions), count(c.conversion_trials()))
}

/// Variant `i` of the segment (0 = control): its numbers and its comparisons with the control.
fn variant_report(
    ctx: &ReportContext<'_>,
    s: &SegmentCells<'_>,
    i: usize,
    warnings: &mut Vec<Warning>,
) -> Result<VariantReport> {
    let (name, variant, c) = (s.seg.name.as_str(), &ctx.variants[i], s.cells[i]);
    if s.suppressed[i] {
        warnings.push(warn(
            WarningCode::SuppressedCell,
            Some(name),
            Some(variant),
            format!(
                "segment `{name}`, variant `{variant}`: fewer than {} units (minCellSize), so its numbers, the \
                 segment's size and SRM and the cell's comparisons are withheld",
                ctx.options.min_cell_size
            ),
        ));
        return Ok(VariantReport::suppressed(variant));
    }
    let (has_conv, has_rev, has_cov) = (ctx.summary.has_conversion, ctx.summary.has_revenue, s.cuped.is_some());
    let trials = c.conversion_trials();
    if has_conv && trials > 0 && c.conversions == 0 {
        warnings.push(warn(
            WarningCode::NoConversions,
            Some(name),
            Some(variant),
            format!(
                "segment `{name}`, variant `{variant}`: no conversions among {trials} units; relative lifts against a \
                 0 % control are undefined and intervals near 0 % are wide"
            ),
        ));
    }
    let is_treatment = i > 0 && !s.suppressed[0];
    let (conversion_vs_control, revenue_vs_control) = if is_treatment { vs_control(ctx, s, c)? } else { (None, None) };
    let moments = if has_rev { Some(revenue_moments(c, &format!("{name}/{variant}"))?) } else { None };
    let adjusted = s.cuped.as_ref().map(|(_, adjusted)| adjusted[i]);
    let interval_options = ctx.interval_options;
    Ok(VariantReport {
        variant: variant.clone(),
        suppressed: false,
        metrics: metric_reports(ctx, s.seg, i, is_treatment)?,
        n: Some(count(c.n)),
        conversions: has_conv.then(|| count(c.conversions)),
        conversion_nulls: has_conv.then(|| count(c.conversion_nulls)),
        conversion_rate: has_conv.then(|| conversion_summary(c).rate()),
        conversion_interval: if has_conv {
            Some(stats::proportion_interval(count(c.conversions), count(trials), interval_options)?)
        } else {
            None
        },
        revenue_sum: has_rev.then_some(c.revenue_sum),
        revenue_mean: moments.map(|m| m.mean),
        revenue_variance: moments.map(|m| if m.n < 2.0 { f64::NAN } else { m.variance }),
        revenue_nulls: has_rev.then(|| count(c.revenue_nulls)),
        revenue_mean_adjusted: adjusted.map(|a| a.map_or(f64::NAN, |a| a.0)),
        revenue_variance_adjusted: adjusted
            .map(|a| a.map_or(f64::NAN, |a| if c.revenue_n() < 2 { f64::NAN } else { a.1 })),
        covariate_nulls: has_cov.then(|| count(c.covariate_nulls)),
        conversion_vs_control,
        revenue_vs_control,
    })
}

/// A treatment cell's conversion and revenue comparisons with the control (CUPED-adjusted with a covariate).
fn vs_control(
    ctx: &ReportContext<'_>,
    s: &SegmentCells<'_>,
    c: &CellSummary,
) -> Result<(Option<Comparison>, Option<Comparison>)> {
    let (control, compare_options) = (s.cells[0], ctx.compare_options);
    let conversion = if ctx.summary.has_conversion {
        let r = stats::compare(
            &stats::Summary::Proportion(conversion_summary(control)),
            &stats::Summary::Proportion(conversion_summary(c)),
            compare_options,
        )?;
        Some(Comparison { result: r, adjusted_p_value: None, cuped_theta: None })
    } else {
        None
    };
    let revenue = if !ctx.summary.has_revenue {
        None
    } else if s.cuped.is_some() {
        let (r, theta) = super::cuped::compare(control, c, compare_options)?;
        Some(Comparison { result: r, adjusted_p_value: None, cuped_theta: Some(theta) })
    } else {
        let sums = |c: &CellSummary| {
            stats::Summary::Mean(MeanSummary::Sums {
                sum: c.revenue_sum,
                sum_squares: c.revenue_sum_squares,
                n: count(c.revenue_n()),
            })
        };
        let r = stats::compare(&sums(control), &sums(c), compare_options)?;
        Some(Comparison { result: r, adjusted_p_value: None, cuped_theta: None })
    };
    Ok((conversion, revenue))
}

/// The named metrics of variant `i` (none without named metrics: `metric_cells` is then empty).
fn metric_reports(
    ctx: &ReportContext<'_>,
    seg: &SegmentSummary,
    i: usize,
    is_treatment: bool,
) -> Result<MetricReports> {
    let control_metrics = if is_treatment { seg.metric_cells.get(ctx.order[0]) } else { None };
    let mut metrics = Vec::with_capacity(ctx.summary.metrics.len());
    for (k, info) in ctx.summary.metrics.iter().enumerate() {
        let cell = &seg.metric_cells[ctx.order[i]][k];
        let control = control_metrics.map(|cells| &cells[k]);
        metrics
            .push((info.name.clone(), metric_report(info, cell, control, ctx.compare_options, ctx.interval_options)?));
    }
    Ok(MetricReports(metrics))
}

impl VariantReport {
    fn suppressed(variant: &str) -> Self {
        VariantReport {
            variant: variant.to_string(),
            suppressed: true,
            n: None,
            conversions: None,
            conversion_nulls: None,
            conversion_rate: None,
            conversion_interval: None,
            revenue_sum: None,
            revenue_mean: None,
            revenue_variance: None,
            revenue_nulls: None,
            revenue_mean_adjusted: None,
            revenue_variance_adjusted: None,
            covariate_nulls: None,
            conversion_vs_control: None,
            revenue_vs_control: None,
            metrics: MetricReports::default(),
        }
    }
}

/// Adjust every defined p-value of the goal metrics as one family (goal metrics × segments × treatments):
/// `conversion`, `revenue` and the named goal metrics. Secondary and guardrail tests keep `adjustedPValue: null`.
fn adjust_family(
    segments: &mut [SegmentReport],
    summary: &Summary,
    options: &AnalysisOptions,
) -> Result<CorrectionReport> {
    fn family(v: &mut VariantReport) -> impl Iterator<Item = &mut Comparison> {
        let named = v
            .metrics
            .0
            .iter_mut()
            .filter(|(_, m)| m.role == MetricRole::Goal)
            .filter_map(|(_, m)| m.vs_control.as_mut());
        [v.conversion_vs_control.as_mut(), v.revenue_vs_control.as_mut()].into_iter().flatten().chain(named)
    }
    let mut p = Vec::new();
    for s in segments.iter_mut() {
        for v in &mut s.variants {
            p.extend(family(v).filter_map(|c| c.result.p_value.filter(|x| x.is_finite())));
        }
    }
    let size = p.len();
    let adjusted = match options.correction.method() {
        Some(method) if !p.is_empty() => stats::adjust_p_values(&p, method)?,
        _ => p,
    };
    let mut it = adjusted.into_iter();
    for s in segments.iter_mut() {
        for v in &mut s.variants {
            for c in family(v) {
                if c.result.p_value.is_some_and(|x| x.is_finite()) {
                    c.adjusted_p_value = it.next();
                }
            }
        }
    }
    let mut goal_metrics: Vec<String> = Vec::new();
    if summary.has_conversion {
        goal_metrics.push("conversion".into());
    }
    if summary.has_revenue {
        goal_metrics.push("revenue".into());
    }
    goal_metrics.extend(summary.metrics.iter().filter(|m| m.role == MetricRole::Goal).map(|m| m.name.clone()));
    Ok(CorrectionReport {
        method: options.correction,
        family: size as f64,
        members: "goal metrics × segments × treatment variants".into(),
        goal_metrics,
    })
}

fn heterogeneity(segments: &[SegmentReport], variants: &[String], summary: &Summary) -> Result<HeterogeneityReport> {
    let mut tests = Vec::new();
    for (vi, variant) in variants.iter().enumerate().skip(1) {
        for metric in ["conversion", "revenue"] {
            let mut names = Vec::new();
            let mut estimates = Vec::new();
            let mut ses = Vec::new();
            for s in segments.iter().filter(|s| s.kind != "all") {
                let Some(v) = s.variants.get(vi) else { continue };
                let c = if metric == "conversion" { &v.conversion_vs_control } else { &v.revenue_vs_control };
                if let Some(c) = c {
                    let (e, se) = (c.result.estimate, c.result.standard_error);
                    if e.is_finite() && se.is_finite() && se > 0.0 {
                        names.push(s.name.clone());
                        estimates.push(e);
                        ses.push(se);
                    }
                }
            }
            if estimates.len() >= 2 {
                let result = stats::heterogeneity(&estimates, &ses)?;
                tests.push(HeterogeneityTest {
                    variant: variant.clone(),
                    metric: metric.to_string(),
                    segments: names,
                    result,
                });
            }
        }
    }
    Ok(HeterogeneityReport {
        caveat: HETEROGENEITY_CAVEAT.to_string(),
        overlapping_rows: summary.overlapping_rows.map(count),
        tests,
    })
}
