//! Statistics under stress: n up to 10^9, conversion rates down to 1e-7, multiple-testing families of 10^5
//! p-values, and one report of 2,000 segments × 3 variants. Results must be finite and agree with closed forms
//! and known identities; time must grow linearly (checked by coarse ratios of the best of several runs, never
//! by absolute thresholds, so a loaded machine cannot fail them).

use std::time::{Duration, Instant};

use segmetry::metrics::{analyze_summary, AnalysisOptions, CellSummary, Correction, SegmentSummary, Summary};
use segmetry::stats::*;
use statrs::function::erf::erfc;

const Z975: f64 = 1.959_963_984_540_054;

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b.abs().max(f64::MIN_POSITIVE)).abs()
}

/// The best of `k` timings of `f` (noise only ever adds time).
fn best_of(k: usize, mut f: impl FnMut()) -> Duration {
    (0..k)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn intervals_at_a_billion_units_and_rate_1e_7() {
    let n = 1e9;
    for x in [0.0, 1.0, 100.0, 1e4, 5e8, n] {
        let p = x / n;
        // Wilson: (x + z²/2)/(n + z²) ± z/(n + z²)·sqrt(x(n−x)/n + z²/4)
        let z2 = Z975 * Z975;
        let center = (x + z2 / 2.0) / (n + z2);
        let half = Z975 / (n + z2) * (x * (n - x) / n + z2 / 4.0).sqrt();
        let w =
            proportion_interval(x, n, &IntervalOptions { method: IntervalMethod::Wilson, confidence: 0.95 }).unwrap();
        assert!(
            rel(w.lower.max(1e-300), (center - half).max(1e-300)) < 1e-6 || (w.lower - (center - half)).abs() < 1e-15,
            "wilson lower x={x}: {w:?}"
        );
        assert!(rel(w.upper, center + half) < 1e-9, "wilson upper x={x}: {} vs {}", w.upper, center + half);
        // Wald: p ± z·sqrt(p(1−p)/n)
        let wald =
            proportion_interval(x, n, &IntervalOptions { method: IntervalMethod::Wald, confidence: 0.95 }).unwrap();
        let h = Z975 * (p * (1.0 - p) / n).sqrt();
        assert!((wald.upper - (p + h).min(1.0)).abs() <= 1e-12 * (p + h).max(1e-12), "wald x={x}: {wald:?}");
        for method in [IntervalMethod::AgrestiCoull, IntervalMethod::ClopperPearson, IntervalMethod::Jeffreys] {
            let i = proportion_interval(x, n, &IntervalOptions { method, confidence: 0.95 }).unwrap();
            assert!(i.lower.is_finite() && i.upper.is_finite(), "{method:?} x={x}: {i:?}");
            assert!(0.0 <= i.lower && i.lower <= i.upper && i.upper <= 1.0, "{method:?} x={x}: {i:?}");
            // Jeffreys is the equal-tailed Beta(x+½, n−x+½) interval (as statsmodels), which at x = 0 or n
            // does not contain the estimate; the others always do.
            if method != IntervalMethod::Jeffreys || (x > 0.0 && x < n) {
                assert!(i.lower <= p + 1e-15 && p <= i.upper + 1e-15, "{method:?} x={x}: {i:?}");
            }
        }
        // Clopper–Pearson at rate 1e-7 is the Poisson interval to ~1e-7 relative: x=100 → [81.37, 121.63]/n.
        if x == 100.0 {
            let cp = proportion_interval(
                x,
                n,
                &IntervalOptions { method: IntervalMethod::ClopperPearson, confidence: 0.95 },
            )
            .unwrap();
            assert!(rel(cp.lower * n, 81.363_8) < 1e-4 && rel(cp.upper * n, 121.627_8) < 1e-4, "{cp:?}");
        }
    }
}

#[test]
fn z_test_and_comparisons_at_a_billion_units() {
    let (n1, n2) = (1e9, 1e9);
    for (x1, x2) in [(100.0, 200.0), (100.0, 100.0), (0.0, 3.0), (1e8, 1.0001e8), (5e8, 5.0003e8)] {
        let (c, t) = (Proportion::new(x1, n1), Proportion::new(x2, n2));
        let r = two_proportion_z_test(&c, &t, &ZTestOptions { alternative: Alternative::TwoSided }).unwrap();
        let pooled = (x1 + x2) / (n1 + n2);
        let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
        let z = (x2 / n2 - x1 / n1) / se;
        assert!(
            z == 0.0 && r.statistic.abs() < 1e-12 || rel(r.statistic, z) < 1e-9,
            "({x1}, {x2}): {} vs {z}",
            r.statistic
        );
        let p = erfc(z.abs() / std::f64::consts::SQRT_2);
        assert!((r.p_value - p).abs() <= 1e-9 * p.max(1e-300) + 1e-300, "({x1}, {x2}): p {} vs {p}", r.p_value);
        for difference in [Difference::Absolute, Difference::Relative] {
            for engine in [Engine::Frequentist, Engine::Bayesian] {
                let o = CompareOptions { difference, engine, ..Default::default() };
                let cmp =
                    compare(&segmetry::stats::Summary::Proportion(c), &segmetry::stats::Summary::Proportion(t), &o)
                        .unwrap();
                if x1 > 0.0 {
                    assert!(cmp.estimate.is_finite() && cmp.lower.is_finite() && cmp.upper.is_finite(), "{cmp:?}");
                    assert!(cmp.lower <= cmp.estimate && cmp.estimate <= cmp.upper, "{cmp:?}");
                }
            }
        }
        let b = bayes_binomial(&c, &t, &BayesBinomialOptions::default()).unwrap();
        assert!((0.0..=1.0).contains(&b.probability_to_beat) && b.expected_loss_control.is_finite(), "{b:?}");
        let d = proportion_difference_interval(&c, &t, &DifferenceOptions::default()).unwrap();
        assert!(d.lower <= d.estimate && d.estimate <= d.upper && d.lower.is_finite(), "{d:?}");
    }
    // A t-test on a billion units per arm: Welch t = Δ / sqrt(v1/n1 + v2/n2).
    let a = MeanSummary::Moments { mean: 10.0, variance: 4.0, n: 1e9 };
    let b = MeanSummary::Moments { mean: 10.0003, variance: 4.0, n: 1e9 };
    let t = t_test(&a, &b, &TTestOptions { equal_variance: false, alternative: Alternative::TwoSided }).unwrap();
    let want = 0.0003 / (8.0f64 / 1e9).sqrt();
    assert!(rel(t.statistic, want) < 1e-6, "{} vs {want}", t.statistic);
    assert!((t.p_value - erfc(want / std::f64::consts::SQRT_2)).abs() < 1e-6);
}

fn p_values(m: usize) -> Vec<f64> {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    (0..m)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            match i % 10 {
                0 => 0.0,
                1 => 1.0,
                2 => 1e-300 * (s % 1000) as f64,
                3 => 5e-6,
                _ => (s >> 11) as f64 / (1u64 << 53) as f64,
            }
        })
        .collect()
}

#[test]
fn multiple_testing_families_of_100k() {
    let ps = p_values(100_000);
    let m = ps.len() as f64;
    let bonf = adjust_p_values(&ps, AdjustMethod::Bonferroni).unwrap();
    let holm = adjust_p_values(&ps, AdjustMethod::Holm).unwrap();
    let bh = adjust_p_values(&ps, AdjustMethod::Bh).unwrap();
    let mut order: Vec<usize> = (0..ps.len()).collect();
    order.sort_by(|&a, &b| ps[a].total_cmp(&ps[b]));
    for i in 0..ps.len() {
        let p = ps[i];
        assert_eq!(bonf[i], (m * p).min(1.0), "Bonferroni = min(1, m·p) at {i}");
        for (name, adj) in [("holm", &holm), ("bh", &bh)] {
            assert!(adj[i].is_finite() && adj[i] >= p && adj[i] <= 1.0, "{name}[{i}] = {} for p = {p}", adj[i]);
        }
        assert!(holm[i] <= bonf[i], "Holm ≤ Bonferroni at {i}");
        assert!(bh[i] <= holm[i] + 1e-15, "BH ≤ Holm at {i}: {} > {}", bh[i], holm[i]);
    }
    for w in order.windows(2) {
        for (name, adj) in [("holm", &holm), ("bh", &bh), ("bonferroni", &bonf)] {
            assert!(adj[w[0]] <= adj[w[1]], "{name} is not monotone in p");
        }
    }
    // BH at rank k of the sorted p-values is min over j ≥ k of m·p_(j)/j: check against a direct suffix minimum.
    let mut running = f64::INFINITY;
    for (rank, &idx) in order.iter().enumerate().rev() {
        running = running.min(m * ps[idx] / (rank as f64 + 1.0));
        assert!((bh[idx] - running.min(1.0)).abs() <= 1e-15 * running.max(1e-300), "BH closed form at rank {rank}");
    }
}

#[test]
fn multiple_testing_time_is_near_linear() {
    let small = p_values(20_000);
    let large = p_values(200_000);
    for method in [AdjustMethod::Bonferroni, AdjustMethod::Holm, AdjustMethod::Bh] {
        let t_small = best_of(7, || {
            adjust_p_values(&small, method).unwrap();
        });
        let t_large = best_of(7, || {
            adjust_p_values(&large, method).unwrap();
        });
        eprintln!("{method:?}: {t_small:?} → {t_large:?}");
        // n log n predicts ~12×, and a debug build on a loaded machine measured up to ~30×; quadratic would be 100×.
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-7);
        assert!(ratio < 60.0, "{method:?}: 10× the p-values took {ratio:.1}× the time");
    }
}

fn summary(segments: usize) -> Summary {
    let variants = vec!["A".to_string(), "B".to_string(), "C".to_string()];
    let segs = (0..segments)
        .map(|s| {
            let cells = (0..3)
                .map(|v| {
                    // Sizes up to 10^9, rates down to 1e-7, revenue sums large; some cells tiny or empty.
                    let n: u64 = match s % 5 {
                        0 => 1_000_000_000,
                        1 => 10_000_000 + 1000 * s as u64,
                        2 => 1000 + s as u64,
                        3 => 2,
                        _ => 0,
                    };
                    let rate = [1e-7, 3e-7, 0.02, 0.5][s % 4] * (1.0 + 0.05 * v as f64);
                    let conversions = ((n as f64) * rate).round() as u64;
                    let mean = 25.0 + v as f64;
                    let var = 100.0;
                    let revenue_sum = mean * n as f64;
                    CellSummary {
                        n,
                        conversions: conversions.min(n),
                        revenue_sum,
                        revenue_sum_squares: var * (n as f64 - 1.0).max(0.0) + revenue_sum * mean,
                        ..Default::default()
                    }
                })
                .collect();
            SegmentSummary { name: format!("segment {s}"), kind: "rule".into(), size: 0, cells, ..Default::default() }
        })
        .collect();
    Summary { variants, segments: segs, has_conversion: true, has_revenue: true, ..Default::default() }
}

fn options(correction: Correction) -> AnalysisOptions {
    AnalysisOptions { control: Some("A".into()), correction, ..Default::default() }
}

#[test]
fn report_of_2000_segments_by_3_variants() {
    let s = summary(2000);
    for correction in [Correction::Holm, Correction::Bh, Correction::Bonferroni, Correction::None] {
        let report = analyze_summary(&s, &options(correction)).unwrap();
        assert_eq!(report.segments.len(), 2000);
        let mut compared = 0;
        for seg in &report.segments {
            assert_eq!(seg.variants.len(), 3, "{}", seg.name);
            for v in &seg.variants {
                if let Some(rate) = v.conversion_rate {
                    assert!(rate.is_nan() || (0.0..=1.0).contains(&rate), "{}: rate {rate}", seg.name);
                }
                for cmp in [&v.conversion_vs_control, &v.revenue_vs_control].into_iter().flatten() {
                    if let Some(p) = cmp.result.p_value {
                        if p.is_nan() {
                            assert!(cmp.result.warning.is_some(), "{}: NaN p-value without a warning", seg.name);
                            continue;
                        }
                        compared += 1;
                        assert!((0.0..=1.0).contains(&p), "{}: p {p}", seg.name);
                        let adj = cmp.adjusted_p_value.expect("adjusted p-value");
                        assert!(adj >= p && adj <= 1.0, "{}: adjusted {adj} < raw {p}", seg.name);
                        if correction == Correction::None {
                            assert_eq!(adj, p);
                        }
                        // A relative interval is unbounded (Fieller) only when the control mean is not
                        // distinguishable from 0, and then says so.
                        let bounded = cmp.result.lower.is_finite() && cmp.result.upper.is_finite();
                        let unbounded_said = cmp.result.warning.as_deref().is_some_and(|w| w.contains("unbounded"));
                        assert!(bounded || unbounded_said, "{}: {:?}", seg.name, cmp.result);
                        assert!(
                            cmp.result.lower >= -1.0 || !cmp.result.lower.is_finite(),
                            "{}: below −100 %",
                            seg.name
                        );
                    }
                }
            }
        }
        assert!(compared > 4000, "{correction:?}: only {compared} finite comparisons");
    }
}

#[test]
fn report_time_is_linear_in_segments() {
    let (small, large) = (summary(200), summary(2000));
    let o = options(Correction::Holm);
    let t_small = best_of(3, || {
        analyze_summary(&small, &o).unwrap();
    });
    let t_large = best_of(3, || {
        analyze_summary(&large, &o).unwrap();
    });
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-7);
    // Linear predicts 10× (the Holm sort adds a log factor on a tiny part); quadratic would be 100×.
    assert!(ratio < 40.0, "10× the segments took {ratio:.1}× the time");
}
