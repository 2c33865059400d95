//! `stats` facade: deserializes JS arguments into the core's typed options, calls `crate::stats`, serializes the
//! result. No logic here; `undefined`/`null` options take the defaults.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::interop::{from_js, respond};
use crate::stats;

fn options<T: DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, "options")
    }
}

#[wasm_bindgen(js_name = statsProportionInterval)]
pub fn proportion_interval(successes: f64, trials: f64, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::proportion_interval(successes, trials, &options(opts)?))
}

#[wasm_bindgen(js_name = statsTwoProportionZTest)]
pub fn two_proportion_z_test(control: JsValue, treatment: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::two_proportion_z_test(
        &from_js(control, "control")?,
        &from_js(treatment, "treatment")?,
        &options(opts)?,
    ))
}

#[wasm_bindgen(js_name = statsProportionDifferenceInterval)]
pub fn proportion_difference_interval(control: JsValue, treatment: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::proportion_difference_interval(
        &from_js(control, "control")?,
        &from_js(treatment, "treatment")?,
        &options(opts)?,
    ))
}

#[wasm_bindgen(js_name = statsChiSquareIndependence)]
pub fn chi_square_independence(table: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let table: Vec<Vec<f64>> = from_js(table, "table")?;
    respond(stats::chi_square_independence(&table, &options(opts)?))
}

#[wasm_bindgen(js_name = statsFisherExact)]
pub fn fisher_exact(table: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let table: [[f64; 2]; 2] = from_js(table, "table")?;
    respond(stats::fisher_exact(&table, &options(opts)?))
}

#[wasm_bindgen(js_name = statsTTest)]
pub fn t_test(control: JsValue, treatment: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::t_test(&from_js(control, "control")?, &from_js(treatment, "treatment")?, &options(opts)?))
}

#[wasm_bindgen(js_name = statsSrm)]
pub fn srm(observed_counts: JsValue, expected_weights: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let observed: Vec<f64> = from_js(observed_counts, "observedCounts")?;
    let weights: Vec<f64> = from_js(expected_weights, "expectedWeights")?;
    respond(stats::srm(&observed, &weights, &options(opts)?))
}

#[wasm_bindgen(js_name = statsAdjustPValues)]
pub fn adjust_p_values(p_values: JsValue, method: JsValue) -> Result<JsValue, JsValue> {
    let p: Vec<f64> = from_js(p_values, "pValues")?;
    let method: stats::AdjustMethod = if method.is_undefined() || method.is_null() {
        stats::AdjustMethod::default()
    } else {
        from_js(method, "method")?
    };
    respond(stats::adjust_p_values(&p, method))
}

#[wasm_bindgen(js_name = statsBayesBinomial)]
pub fn bayes_binomial(control: JsValue, treatment: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::bayes_binomial(&from_js(control, "control")?, &from_js(treatment, "treatment")?, &options(opts)?))
}

#[wasm_bindgen(js_name = statsCompare)]
pub fn compare(control: JsValue, treatment: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::compare(&from_js(control, "control")?, &from_js(treatment, "treatment")?, &options(opts)?))
}

#[wasm_bindgen(js_name = statsSampleSize)]
pub fn sample_size(opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::sample_size(&options(opts)?))
}

#[wasm_bindgen(js_name = statsPower)]
pub fn power(opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::power(&options(opts)?))
}

#[wasm_bindgen(js_name = statsMinimumDetectableEffect)]
pub fn minimum_detectable_effect(opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::minimum_detectable_effect(&options(opts)?))
}

#[wasm_bindgen(js_name = statsHeterogeneity)]
pub fn heterogeneity(estimates: JsValue, standard_errors: JsValue) -> Result<JsValue, JsValue> {
    let e: Vec<f64> = from_js(estimates, "estimates")?;
    let s: Vec<f64> = from_js(standard_errors, "standardErrors")?;
    respond(stats::heterogeneity(&e, &s))
}
