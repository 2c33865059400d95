//! The prepare verbs (docs/prepare.md): options in, core calls, a new dataset out as IPC bytes. `values` arrive
//! as `[name, expression]` pairs (js/dataset.js keeps the object's order); a missing `referenceDate` becomes
//! today's UTC date from JS `Date.now()`. Errors are in the language of `options.lang` (read before the options
//! are parsed, so their own errors are in it too).

use segmetry::prepare::{
    self, input_columns, AggregateOptions, FeatureOptions, JoinOptions, Joined, Recipe, RecipeSqlOptions,
};
use segmetry::wasm::buffers::{InputBuffer, OutputBuffer};
use segmetry::wasm::interop::{from_js, js_error_in, lang_of, parse_js, set_property, to_js, to_js_error, today_utc};
use wasm_bindgen::prelude::*;

use crate::io::{decode, encode};

/// One row per key: `{ by, normalizeKey?, where?, values: [[name, expression], …], referenceDate?, lang? }`.
#[wasm_bindgen]
pub fn aggregate(input: InputBuffer, options: JsValue) -> Result<OutputBuffer, JsValue> {
    let error = js_error_in(lang_of(&options));
    let mut o: AggregateOptions = parse_js(options, "options").map_err(error)?;
    if o.reference_date.is_none() {
        o.reference_date = Some(today_utc()?);
    }
    encode(&prepare::aggregate(&decode(input)?, &o).map_err(error)?)
}

/// Join `right` onto `left`: `{ on, how?, normalizeKey?, suffix?, rightName?, fill?, lang? }`. Returns
/// `{ dataset: OutputBuffer, report: { left, right, matched, unmatchedLeft, duplicateRightKeys } }`.
#[wasm_bindgen]
pub fn join(left: InputBuffer, right: InputBuffer, options: JsValue) -> Result<JsValue, JsValue> {
    let error = js_error_in(lang_of(&options));
    let o: JoinOptions = parse_js(options, "options").map_err(error)?;
    let joined = prepare::join(&decode(left)?, &decode(right)?, &o).map_err(error)?;
    with_report(&joined, "dataset")
}

/// A left join's new columns only (`segmetry::prepare::join_right_columns`): `left` holds the left key column,
/// `leftNames` every left column's name. Returns `{ columns: OutputBuffer, report }`; js/dataset.js puts the
/// columns beside the left dataset's own, which never leave the core.
#[wasm_bindgen(js_name = joinRightColumns)]
pub fn join_right_columns(
    left: InputBuffer,
    left_names: Vec<String>,
    right: InputBuffer,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let error = js_error_in(lang_of(&options));
    let o: JoinOptions = parse_js(options, "options").map_err(error)?;
    let joined = prepare::join_right_columns(&decode(left)?, &left_names, &decode(right)?, &o).map_err(error)?;
    with_report(&joined, "columns")
}

/// `{ report, [name]: OutputBuffer }`: a join's report and its dataset's IPC bytes.
fn with_report(joined: &Joined, name: &str) -> Result<JsValue, JsValue> {
    let js = js_sys::Object::new().into();
    set_property(&js, "report", to_js(&joined.report)?);
    set_property(&js, name, encode(&joined.dataset)?.into());
    Ok(js)
}

/// Per-customer order features: `{ customer, order?, date, amount, normalizeKey?, where?, referenceDate?, lang? }`.
#[wasm_bindgen(js_name = customerFeatures)]
pub fn customer_features(input: InputBuffer, options: JsValue) -> Result<OutputBuffer, JsValue> {
    let error = js_error_in(lang_of(&options));
    let o: FeatureOptions = parse_js(options, "options").map_err(error)?;
    encode(&prepare::customer_features(&decode(input)?, &o).map_err(error)?)
}

/// The input columns `verb` (`aggregate`, `customerFeatures`, `calibrationAndHoldout`; for `join`, the left
/// key) reads with `options`, so js/dataset.js hands this module only those; `undefined` when every column goes
/// (another verb, or options the verb itself will refuse).
#[wasm_bindgen(js_name = columnsUsed)]
pub fn columns_used(verb: &str, options: JsValue) -> JsValue {
    let names = match verb {
        "aggregate" => parse_js(options, "options").ok().and_then(|o| input_columns::aggregate(&o)),
        "customerFeatures" => parse_js(options, "options").ok().and_then(|o| input_columns::customer_features(&o)),
        "join" => parse_js(options, "options").ok().map(|o| input_columns::join(&o)),
        "calibrationAndHoldout" => {
            parse_js(options, "options").ok().and_then(|o| input_columns::calibration_and_holdout(&o))
        }
        _ => None,
    };
    match names {
        Some(names) => names.into_iter().map(JsValue::from).collect::<js_sys::Array>().into(),
        None => JsValue::UNDEFINED,
    }
}

/// A derived dataset's recipe (`ds.recipe`, aggregate `values` as pairs) as one SQL query:
/// `{ dialect: 'duckdb' | 'spark' | 'postgres', tables: [name | { name, rowOrder }, …] }`. Aggregates without a
/// `referenceDate` count relative dates from today's UTC date, as `aggregate` does.
#[wasm_bindgen(js_name = recipeSql)]
pub fn recipe_sql(recipe: JsValue, options: JsValue) -> Result<String, JsValue> {
    let mut r: Recipe = from_js(recipe, "recipe")?;
    r.default_reference_date(&today_utc()?);
    let o: RecipeSqlOptions = from_js(options, "options")?;
    prepare::recipe_sql(&r, &o).map_err(to_js_error)
}
