//! Timings of the CLV models on 1M simulated customers. Ignored by default (run in release):
//!
//! ```sh
//! cargo test --release --test clv_perf -- --ignored --nocapture
//! ```

use std::time::Instant;

use segmetry::models::clv::simulate::{simulate, SimulationOptions};
use segmetry::models::clv::{bgnbd, gamma_gamma, BgNbdParams, Discounting, GammaGammaParams, Predictor};
use segmetry::models::clv::{Grouped, SpendData};

#[path = "common/cpu_time.rs"]
mod cpu_time;
use cpu_time::{since, thread_cpu};

const N: usize = 1_000_000;

fn time(resolution: f64, label: &str) {
    let bg = BgNbdParams { r: 0.243, alpha: 4.414 * 7.0, a: 0.793, b: 2.426 };
    let gg = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };
    // Ages 0.5 to 1.5 years in days.
    let options = SimulationOptions { customers: N, min_age: 182.0, max_age: 547.0, resolution, seed: 11 };
    let base = simulate(&bg, &gg, &options);
    let (start, cpu) = (Instant::now(), thread_cpu());
    let grouped = Grouped::new(&base.x, &base.t_x, &base.t);
    let grouping = since(start, cpu);
    let purchases = bgnbd::fit(&grouped).unwrap();
    let bg_time = since(start, cpu);
    let spend = gamma_gamma::fit(&SpendData::new(&base.x, &base.monetary)).unwrap();
    let fit_time = since(start, cpu);
    let (start, cpu) = (Instant::now(), thread_cpu());
    let mut predictor = Predictor::new(&purchases.params, &Discounting { horizon: 360.0, period: 30.0, rate: 0.01 });
    let mut total = 0.0;
    for i in 0..N {
        let p = predictor.predict(base.x[i], base.t_x[i], base.t[i]);
        let value = spend.params.expected_average_value(base.x[i], base.monetary[i]);
        total += p.p_alive + p.expected_purchases + value * p.discounted_purchases;
    }
    let predict_time = since(start, cpu);
    assert!(total.is_finite());
    println!(
        "{label}: {} distinct rows; grouping {grouping}, BG/NBD fit {bg_time} (cumulative), + Gamma-Gamma \
         {fit_time}; predictions (P(alive), E[X(360)], 12-month CLV) {predict_time}; r = {:.4}, α = {:.3}, \
         a = {:.4}, b = {:.4}, p = {:.3}, q = {:.3}, γ = {:.3}",
        grouped.len(),
        purchases.params.r,
        purchases.params.alpha,
        purchases.params.a,
        purchases.params.b,
        spend.params.p,
        spend.params.q,
        spend.params.gamma
    );
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn fit_and_predict_1m_customers() {
    time(1.0, "1M customers, whole days");
    time(0.0, "1M customers, continuous time");
}
