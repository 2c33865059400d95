//! Every `stats` function on arbitrary numbers (raw f64 bit patterns mixed with counts, probabilities and
//! boundary values). Nothing may panic or hang; p-values and probabilities must be in [0, 1] (or NaN with a
//! warning); adjusted p-values must be ≥ raw and ≤ 1; interval bounds must not cross.
#![no_main]
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use segmetry::stats::*;

/// A number that is often meaningful: counts, probabilities, boundaries, or any f64.
fn num(u: &mut Unstructured) -> f64 {
    match u.int_in_range(0..=7u8).unwrap_or(0) {
        0 => f64::from(u.int_in_range(0..=20u32).unwrap_or(0)),
        1 => f64::from(u.arbitrary::<u32>().unwrap_or(0)),
        2 => u.arbitrary::<u64>().unwrap_or(0) as f64,
        3 => f64::from(u.int_in_range(0..=1_000_000u32).unwrap_or(0)) / 1e6,
        4 => *u
            .choose(&[0.0, 1.0, -1.0, 0.5, 0.95, 1e-7, 1e9, 1e15, 1e300, f64::MIN_POSITIVE, f64::EPSILON, 1.0 - 1e-16, f64::NAN, f64::INFINITY, -0.0])
            .unwrap_or(&0.0),
        _ => u.arbitrary::<f64>().unwrap_or(0.0),
    }
}

fn alternative(u: &mut Unstructured) -> Alternative {
    *u.choose(&[Alternative::TwoSided, Alternative::Greater, Alternative::Less]).unwrap_or(&Alternative::TwoSided)
}

fn prob(p: f64, what: &str) {
    assert!(p.is_nan() || (0.0..=1.0).contains(&p), "{what} = {p}");
}

fn ordered(lower: f64, upper: f64, what: &str) {
    if lower.is_finite() && upper.is_finite() {
        assert!(lower <= upper + 1e-9 * upper.abs().max(lower.abs()).max(1.0), "{what}: lower {lower} > upper {upper}");
    }
}

fn proportion(u: &mut Unstructured) -> Proportion {
    Proportion::new(num(u), num(u))
}

fn mean_summary(u: &mut Unstructured) -> MeanSummary {
    if bool::arbitrary(u).unwrap_or(false) {
        MeanSummary::Moments { mean: num(u), variance: num(u), n: num(u) }
    } else {
        MeanSummary::Sums { sum: num(u), sum_squares: num(u), n: num(u) }
    }
}

fn run(u: &mut Unstructured) {
    let op = u.int_in_range(0..=13u8).unwrap_or(0);
    match op {
        0 => {
            let method = *u
                .choose(&[IntervalMethod::Wilson, IntervalMethod::AgrestiCoull, IntervalMethod::ClopperPearson, IntervalMethod::Wald, IntervalMethod::Jeffreys])
                .unwrap();
            if let Ok(i) = proportion_interval(num(u), num(u), &IntervalOptions { method, confidence: num(u) }) {
                ordered(i.lower, i.upper, "proportion_interval");
            }
        }
        1 => {
            if let Ok(z) = two_proportion_z_test(&proportion(u), &proportion(u), &ZTestOptions { alternative: alternative(u) }) {
                prob(z.p_value, "z p-value");
            }
        }
        2 => {
            let method = *u.choose(&[DifferenceMethod::Wald, DifferenceMethod::Newcomb]).unwrap();
            if let Ok(i) = proportion_difference_interval(&proportion(u), &proportion(u), &DifferenceOptions { method, confidence: num(u) }) {
                ordered(i.lower, i.upper, "difference interval");
            }
        }
        3 => {
            let rows = u.int_in_range(0..=4usize).unwrap_or(2);
            let cols = u.int_in_range(0..=4usize).unwrap_or(2);
            let table: Vec<Vec<f64>> = (0..rows).map(|_| (0..cols).map(|_| num(u)).collect()).collect();
            if let Ok(r) = chi_square_independence(&table, &ChiSquareOptions { yates: bool::arbitrary(u).unwrap_or(true) }) {
                prob(r.p_value, "chi-square p-value");
            }
        }
        4 => {
            let table = [[num(u), num(u)], [num(u), num(u)]];
            if let Ok(r) = fisher_exact(&table, &FisherOptions { alternative: alternative(u) }) {
                prob(r.p_value, "fisher p-value");
            }
        }
        5 => {
            let o = TTestOptions { equal_variance: bool::arbitrary(u).unwrap_or(false), alternative: alternative(u) };
            if let Ok(r) = t_test(&mean_summary(u), &mean_summary(u), &o) {
                prob(r.p_value, "t p-value");
            }
        }
        6 => {
            let k = u.int_in_range(0..=5usize).unwrap_or(2);
            let observed: Vec<f64> = (0..k).map(|_| num(u)).collect();
            let weights: Vec<f64> = (0..k).map(|_| num(u)).collect();
            if let Ok(r) = srm(&observed, &weights, &SrmOptions { threshold: num(u) }) {
                prob(r.p_value, "srm p-value");
            }
        }
        7 => {
            let m = u.int_in_range(0..=64usize).unwrap_or(3);
            let ps: Vec<f64> = (0..m).map(|_| num(u)).collect();
            let method = *u.choose(&[AdjustMethod::Bonferroni, AdjustMethod::Holm, AdjustMethod::Bh]).unwrap();
            if let Ok(adj) = adjust_p_values(&ps, method) {
                assert_eq!(adj.len(), ps.len());
                for (a, p) in adj.iter().zip(&ps) {
                    assert!(*a >= *p && *a <= 1.0, "{method:?}: adjusted {a} for raw {p}");
                }
            }
        }
        8 => {
            let o = BayesBinomialOptions { prior: BetaPrior { alpha: num(u), beta: num(u) }, confidence: num(u) };
            if let Ok(r) = bayes_binomial(&proportion(u), &proportion(u), &o) {
                prob(r.probability_to_beat, "probability to beat");
                ordered(r.control_interval.lower, r.control_interval.upper, "bayes control interval");
            }
        }
        9 => {
            let proportion_metric = bool::arbitrary(u).unwrap_or(true);
            let (c, t) = if proportion_metric {
                (Summary::Proportion(proportion(u)), Summary::Proportion(proportion(u)))
            } else {
                (Summary::Mean(mean_summary(u)), Summary::Mean(mean_summary(u)))
            };
            let o = CompareOptions {
                metric: None,
                difference: *u.choose(&[Difference::Absolute, Difference::Relative]).unwrap(),
                alternative: alternative(u),
                confidence: num(u),
                sequential: if bool::arbitrary(u).unwrap_or(false) { Some(Sequential { tuning: num(u) }) } else { None },
                engine: *u.choose(&[Engine::Frequentist, Engine::Bayesian]).unwrap(),
                prior: if bool::arbitrary(u).unwrap_or(false) { Some(GaussianPrior { mean: num(u), variance: num(u) }) } else { None },
            };
            if let Ok(r) = compare(&c, &t, &o) {
                if let Some(p) = r.p_value {
                    prob(p, "compare p-value");
                }
                if let Some(p) = r.chance_to_win {
                    prob(p, "compare chance to win");
                }
                ordered(r.lower, r.upper, "compare interval");
            }
        }
        10 => {
            let o = SampleSizeOptions { baseline: num(u), minimum_effect: num(u), relative: bool::arbitrary(u).unwrap_or(false), alpha: num(u), power: num(u), ratio: num(u), alternative: alternative(u) };
            let _ = sample_size(&o);
        }
        11 => {
            let o = PowerOptions { baseline: num(u), minimum_effect: num(u), relative: bool::arbitrary(u).unwrap_or(false), alpha: num(u), ratio: num(u), alternative: alternative(u), control: num(u) };
            if let Ok(r) = power(&o) {
                prob(r.power, "power");
            }
        }
        12 => {
            let o = MdeOptions { baseline: num(u), relative: bool::arbitrary(u).unwrap_or(false), alpha: num(u), power: num(u), ratio: num(u), alternative: alternative(u), control: num(u) };
            let _ = minimum_detectable_effect(&o);
        }
        _ => {
            let k = u.int_in_range(0..=6usize).unwrap_or(2);
            let est: Vec<f64> = (0..k).map(|_| num(u)).collect();
            let se: Vec<f64> = (0..k).map(|_| num(u)).collect();
            if let Ok(r) = heterogeneity(&est, &se) {
                prob(r.p_value, "heterogeneity p-value");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    for _ in 0..4 {
        if u.is_empty() {
            break;
        }
        run(&mut u);
    }
});
