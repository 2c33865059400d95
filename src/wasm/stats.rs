//! `stats` facade: deserializes JS arguments into the core's typed options, calls `crate::stats`, serializes the
//! result. No statistics here; only the strictness every function shares: numbers must be JS numbers (no
//! `null`/`''`/`true`/dates coerced to 0 or 1), an `undefined` option (or options object) means the default,
//! and an unknown option key is `INVALID_ARGUMENT` with a "did you mean" hint, as `analyze` does.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::interop::{from_js, respond, to_js, to_js_error};
use crate::error::{closest_name, Error};
use crate::stats;

/// An options object: `undefined`/`null` → defaults; keys must be options of `T` (those its default
/// serializes); keys whose value is `undefined` are dropped so they take the default.
fn options<T: DeserializeOwned + Serialize + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(to_js_error(Error::invalid_argument("options", "must be an object (or undefined)")));
    }
    let known: Vec<String> =
        js_sys::Object::keys(&to_js(&T::default())?.into()).iter().filter_map(|k| k.as_string()).collect();
    let clean = js_sys::Object::new();
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        if !known.contains(&name) {
            let hint = match closest_name(&name, known.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the options are {}", known.join(", ")),
            };
            return Err(to_js_error(Error::invalid_argument(
                &format!("options.{name}"),
                format!("`{name}`: unknown option; {hint}"),
            )));
        }
        let v = js_sys::Reflect::get(&value, &key).unwrap_or(JsValue::UNDEFINED);
        if !v.is_undefined() {
            let _ = js_sys::Reflect::set(&clean, &key, &v);
        }
    }
    from_js(clean.into(), "options")
}

/// A scalar argument that must be a JS number (`Number(null)` would be 0; here it is an error).
fn number(value: JsValue, name: &str) -> Result<f64, JsValue> {
    value.as_f64().ok_or_else(|| {
        to_js_error(Error::invalid_argument(name, format!("must be a number, got {}", describe(&value))))
    })
}

fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if value.is_undefined() {
        "undefined".into()
    } else if let Some(s) = value.as_string() {
        format!("the string {s:?}")
    } else if let Some(b) = value.as_bool() {
        format!("{b}")
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

#[wasm_bindgen(js_name = statsProportionInterval)]
pub fn proportion_interval(successes: JsValue, trials: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    respond(stats::proportion_interval(number(successes, "successes")?, number(trials, "trials")?, &options(opts)?))
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
