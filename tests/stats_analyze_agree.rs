//! `stats::compare` (what `stats.compare` runs) and `metrics::analyze` (the dataset analysis) must agree: the same
//! counts and sums in give the same estimate, interval, p-value, chanceToWin, risk and comparison warning
//! (issue 13). Unit-level datasets are drawn from a fixed seed — small counts, single-unit arms, zero variance,
//! zero-revenue controls, CUPED covariates — and every comparison of the report is checked against `compare` on
//! the counts and sums this test computes itself, under both difference modes, fixed-horizon (two- and one-sided),
//! sequential and Bayesian options.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze, AnalysisOptions, Comparison, Correction};
use segmetry::segments::SegmentCache;
use segmetry::stats::{
    compare, Alternative, CompareOptions, CompareResult, Difference, Engine, GaussianPrior, MeanSummary, Proportion,
    Sequential, Summary,
};

/// splitmix64: a fixed, platform-independent stream for the grid.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One arm's units: (converted, revenue, covariate).
type Unit = (bool, f64, f64);

/// An arm of `n` units, `conversions` of them converted; revenue kinds: 0 = log-normal-ish on converters,
/// 1 = all zero, 2 = constant 5 on every unit (zero variance). The covariate is revenue-correlated noise.
fn arm(rng: &mut Rng, n: u64, conversions: u64, revenue_kind: u64, shift: f64) -> Vec<Unit> {
    (0..n)
        .map(|i| {
            let converted = i < conversions;
            let covariate = (rng.uniform() * 4.0).exp() - 1.0;
            let revenue = match revenue_kind {
                0 if converted => 0.5 * covariate + (rng.uniform() * 3.0).exp() + shift,
                0 => 0.0,
                1 => 0.0,
                _ => 5.0,
            };
            (converted, revenue, covariate)
        })
        .collect()
}

fn dataset(control: &[Unit], treatment: &[Unit]) -> Dataset {
    let units: Vec<(&str, &Unit)> =
        control.iter().map(|u| ("A", u)).chain(treatment.iter().map(|u| ("B", u))).collect();
    let schema = Arc::new(Schema::new(vec![
        Field::new("variant", DataType::Utf8, false),
        Field::new("converted", DataType::Boolean, false),
        Field::new("revenue", DataType::Float64, false),
        Field::new("pre", DataType::Float64, false),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(units.iter().map(|u| u.0).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(units.iter().map(|u| u.1 .0).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(units.iter().map(|u| u.1 .1).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(units.iter().map(|u| u.1 .2).collect::<Vec<_>>())),
    ];
    Dataset::from_batches(schema.clone(), vec![RecordBatch::try_new(schema, cols).unwrap()]).unwrap()
}

/// The option sets of the grid: both difference modes × fixed two-sided, fixed greater, sequential two-sided,
/// sequential less, Bayesian flat and Bayesian with a prior.
fn option_grid() -> Vec<CompareOptions> {
    let mut out = Vec::new();
    for difference in [Difference::Absolute, Difference::Relative] {
        let base = CompareOptions { difference, ..CompareOptions::default() };
        out.push(base);
        out.push(CompareOptions { alternative: Alternative::Greater, confidence: 0.9, ..base });
        out.push(CompareOptions { sequential: Some(Sequential::default()), ..base });
        out.push(CompareOptions {
            sequential: Some(Sequential { tuning: 2000.0 }),
            alternative: Alternative::Less,
            ..base
        });
        out.push(CompareOptions { engine: Engine::Bayesian, ..base });
        out.push(CompareOptions {
            engine: Engine::Bayesian,
            prior: Some(GaussianPrior { mean: 0.0, variance: 0.04 }),
            confidence: 0.9,
            ..base
        });
    }
    out
}

fn analysis_options(o: &CompareOptions, covariate: bool) -> AnalysisOptions {
    AnalysisOptions {
        control: Some("A".into()),
        conversion: Some("converted".into()),
        revenue: Some("revenue".into()),
        covariate: covariate.then(|| "pre".into()),
        correction: Correction::None,
        confidence: o.confidence,
        alternative: o.alternative,
        difference: o.difference,
        sequential: o.sequential,
        engine: o.engine,
        prior: o.prior,
        min_sample_size: 0,
        ..AnalysisOptions::default()
    }
}

/// `(n, Σy, Σy²)` summed in row order.
fn sums(units: &[Unit]) -> Summary {
    let (s, ss) = units.iter().fold((0.0, 0.0), |(s, ss), u| (s + u.1, ss + u.1 * u.1));
    Summary::Mean(MeanSummary::Sums { sum: s, sum_squares: ss, n: units.len() as f64 })
}

/// CUPED inputs for `compare`, from first principles: θ = OLS slope of revenue on the covariate with a separate
/// intercept per arm (two-pass, centred), each arm's variance that of `y − θx`, the treatment's mean the control's
/// plus the adjusted difference. Absolute effects put the control at its adjusted mean `ȳ_c − θ(x̄_c − x̄)`;
/// relative lifts divide by the unadjusted `ȳ_c` (docs/statistics.md, CUPED).
fn cuped_inputs(control: &[Unit], treatment: &[Unit], relative: bool) -> (Summary, Summary) {
    let mean = |u: &[Unit], f: fn(&Unit) -> f64| u.iter().map(f).sum::<f64>() / u.len() as f64;
    let (yc, xc) = (mean(control, |u| u.1), mean(control, |u| u.2));
    let (yt, xt) = (mean(treatment, |u| u.1), mean(treatment, |u| u.2));
    let centred = |u: &[Unit], ym: f64, xm: f64| {
        u.iter().fold((0.0, 0.0), |(sxy, sxx), v| (sxy + (v.2 - xm) * (v.1 - ym), sxx + (v.2 - xm) * (v.2 - xm)))
    };
    let ((sxy_c, sxx_c), (sxy_t, sxx_t)) = (centred(control, yc, xc), centred(treatment, yt, xt));
    let theta = if sxx_c + sxx_t > 0.0 { (sxy_c + sxy_t) / (sxx_c + sxx_t) } else { 0.0 };
    let residual_variance = |u: &[Unit], ym: f64, xm: f64| {
        let ss: f64 = u.iter().map(|v| ((v.1 - ym) - theta * (v.2 - xm)).powi(2)).sum();
        if u.len() < 2 {
            0.0
        } else {
            ss / (u.len() - 1) as f64
        }
    };
    let adjusted = (yt - yc) - theta * (xt - xc);
    let pooled_x = (control.len() as f64 * xc + treatment.len() as f64 * xt) / (control.len() + treatment.len()) as f64;
    let base = if relative { yc } else { yc - theta * (xc - pooled_x) };
    let moments = |m: f64, v: f64, n: usize| Summary::Mean(MeanSummary::Moments { mean: m, variance: v, n: n as f64 });
    (
        moments(base, residual_variance(control, yc, xc), control.len()),
        moments(base + adjusted, residual_variance(treatment, yt, xt), treatment.len()),
    )
}

/// Same number up to summation-order rounding (both NaN, both the same infinity, or within `tol`).
fn same(got: f64, want: f64, tol: f64) -> bool {
    (got.is_nan() && want.is_nan())
        || got == want
        || (got - want).abs() <= tol * want.abs().max(1e-12)
        || (got - want).abs() <= 1e-13
}

fn same_option(got: Option<f64>, want: Option<f64>, tol: f64) -> bool {
    match (got, want) {
        (Some(g), Some(w)) => same(g, w, tol),
        (g, w) => g.is_none() && w.is_none(),
    }
}

/// The fields where `got` (analyze's comparison) and `want` (`compare`) differ, as messages.
fn mismatches(what: &str, got: Option<&Comparison>, want: &CompareResult, tol: f64) -> Vec<String> {
    let Some(got) = got.map(|c| &c.result) else {
        return vec![format!("{what}: analyze has no comparison")];
    };
    let mut bad = Vec::new();
    let fields = [
        ("estimate", Some(got.estimate), Some(want.estimate)),
        ("lower", Some(got.lower), Some(want.lower)),
        ("upper", Some(got.upper), Some(want.upper)),
        ("standardError", Some(got.standard_error), Some(want.standard_error)),
        ("pValue", got.p_value, want.p_value),
        ("chanceToWin", got.chance_to_win, want.chance_to_win),
        ("risk[0]", got.risk.map(|r| r[0]), want.risk.map(|r| r[0])),
        ("risk[1]", got.risk.map(|r| r[1]), want.risk.map(|r| r[1])),
    ];
    for (key, g, w) in fields {
        if !same_option(g, w, tol) {
            bad.push(format!("{what}: {key} analyze {g:?} vs stats {w:?}"));
        }
    }
    if got.warning != want.warning {
        bad.push(format!("{what}: warning analyze {:?} vs stats {:?}", got.warning, want.warning));
    }
    bad
}

/// `(label, control units, treatment units)` of the fixed-seed grid.
fn cases() -> Vec<(String, Vec<Unit>, Vec<Unit>)> {
    let mut rng = Rng(13);
    // (n_c, x_c, n_t, x_t, revenue kind): single units, no conversions, everyone converted, the issue's
    // 16/2542 vs 4/2506, small expected counts (Fisher) and a moderate table.
    let mut shapes: Vec<(u64, u64, u64, u64, u64)> = vec![
        (1, 1, 20, 3, 0),
        (12, 0, 11, 0, 1),
        (10, 10, 12, 12, 2),
        (2542, 16, 2506, 4, 0),
        (40, 3, 41, 9, 0),
        (10, 2, 12, 0, 0),
        (58, 0, 60, 7, 0),
        (500, 120, 480, 150, 0),
        (2, 1, 2, 1, 2),
    ];
    for _ in 0..6 {
        let (nc, nt) = (2 + rng.below(300), 2 + rng.below(300));
        let (xc, xt) = (rng.below(nc + 1), rng.below(nt + 1));
        shapes.push((nc, xc, nt, xt, rng.below(3)));
    }
    shapes
        .into_iter()
        .map(|(nc, xc, nt, xt, kind)| {
            let c = arm(&mut rng, nc, xc, kind, 0.0);
            let t = arm(&mut rng, nt, xt, kind, 0.7);
            (format!("{xc}/{nc} vs {xt}/{nt} revenue kind {kind}"), c, t)
        })
        .collect()
}

#[test]
fn stats_and_analyze_agree_on_every_case() {
    let (mut checked, mut bad) = (0, Vec::new());
    for (label, control, treatment) in cases() {
        let ds = dataset(&control, &treatment);
        let conversions = |u: &[Unit]| u.iter().filter(|v| v.0).count() as f64;
        for o in option_grid() {
            for cuped in [false, true] {
                let what = format!("{label}, {o:?}, cuped {cuped}");
                let report = analyze(&ds, &mut SegmentCache::default(), &analysis_options(&o, cuped)).unwrap();
                let b = &report.segments[0].variants[1];
                assert_eq!(b.variant, "B", "{what}");
                let want = compare(
                    &Summary::Proportion(Proportion::new(conversions(&control), control.len() as f64)),
                    &Summary::Proportion(Proportion::new(conversions(&treatment), treatment.len() as f64)),
                    &o,
                )
                .unwrap();
                bad.extend(mismatches(&format!("{what}: conversion"), b.conversion_vs_control.as_ref(), &want, 1e-12));
                let (c_in, t_in) = if cuped {
                    cuped_inputs(&control, &treatment, o.difference == Difference::Relative)
                } else {
                    (sums(&control), sums(&treatment))
                };
                let revenue = b.revenue_vs_control.as_ref();
                let refused = revenue.and_then(|r| r.result.warning.as_deref()).is_some_and(|w| w.contains("is ~0"));
                if cuped && refused {
                    // The CUPED relative lift is refused when the control's mean revenue is ~0 (as gbstats).
                    let Summary::Mean(MeanSummary::Moments { mean, .. }) = c_in else { unreachable!() };
                    assert!(o.difference == Difference::Relative && mean.abs() < 1e-9, "{what}: refused");
                    let got = &revenue.unwrap().result;
                    assert!(got.estimate.is_nan() && got.lower.is_nan(), "{what}: refused but a number");
                    // Only the lift is refused: "no difference" keeps the absolute mode's p-value.
                    let absolute = CompareOptions { difference: Difference::Absolute, ..o };
                    let (c_abs, t_abs) = cuped_inputs(&control, &treatment, false);
                    let want = compare(&c_abs, &t_abs, &absolute).unwrap();
                    let (p, q) = (got.p_value, want.p_value);
                    let same = match (p, q) {
                        (Some(p), Some(q)) => (p.is_nan() && q.is_nan()) || (p - q).abs() <= 1e-7 * q.abs().max(1e-12),
                        (p, q) => p == q,
                    };
                    assert!(same, "{what}: refused lift's p-value {p:?}, absolute {q:?}");
                    continue;
                }
                let want = compare(&c_in, &t_in, &o).unwrap();
                // Sums in another order (and θ in another algebraic form) round differently.
                bad.extend(mismatches(&format!("{what}: revenue"), revenue, &want, if cuped { 1e-7 } else { 1e-9 }));
                if cuped {
                    assert!(revenue.is_some_and(|r| r.cuped_theta.is_some()), "{what}: cupedTheta");
                }
                checked += 2;
            }
        }
    }
    // Every shape × option set × CUPED on/off, conversion and revenue (minus refused CUPED lifts).
    assert!(bad.is_empty(), "{} disagreements:\n{}", bad.len(), bad.join("\n"));
    assert!(checked >= 15 * 12 * 2 * 2 - 200, "only {checked} comparisons checked");
}
