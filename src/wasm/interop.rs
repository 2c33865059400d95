//! JS ⇄ core conversions, in one place.
//!
//! Errors cross the boundary as plain JS `Error` objects carrying `code`, `start`, `end` and `subject`;
//! the JS layer (`js/runtime.js`) turns them into `SegmetryError` instances.
//!
//! Invariant (issue 14): no caller code runs while a method holds `&self`/`&mut self`. wasm-bindgen borrows the
//! dataset for the whole method, and a JS exception unwinding through it would leave the borrow taken for good
//! (every later call, `free()` included: "recursive use of an object") and leak shadow-stack space. So every
//! `JsValue` argument reaching [`from_js`] is plain data (`js/input.js` `plain()`: no getters, no Proxies,
//! at most 32 levels deep), and the only other call into JS is `Date.now()` ([`today_utc`]), whose exceptions the JS glue catches.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode};
use crate::messages::Lang;

/// A core error as a JS `Error` with the stable `code` and location fields.
pub fn to_js_error(err: Error) -> JsValue {
    let js = js_sys::Error::new(&err.message);
    js.set_name("SegmetryError");
    let obj: &JsValue = js.as_ref();
    let set = |key: &str, value: JsValue| set_property(obj, key, value);
    set("code", JsValue::from_str(err.code.as_str()));
    if let Some((start, end)) = err.span {
        set("start", JsValue::from_f64(start as f64));
        set("end", JsValue::from_f64(end as f64));
    }
    if let Some(subject) = &err.subject {
        set("subject", JsValue::from_str(subject));
    }
    js.into()
}

/// The `lang` of an options object (`'fi'`, `'en'`, any BCP 47 tag; English without one), read before the
/// options are parsed so that their own errors are in that language too. A plain read of plain data (see the
/// module docs); a `lang` that is not text is left to the options parser to refuse.
pub fn lang_of(options: &JsValue) -> Lang {
    if !options.is_object() {
        return Lang::En;
    }
    let lang = js_sys::Reflect::get(options, &JsValue::from_str("lang")).ok().and_then(|v| v.as_string());
    lang.map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// [`to_js_error`] with the catalogued message in `lang` ([`Error::localized`]): what facades whose options
/// take `lang` map their errors with.
pub fn js_error_in(lang: Lang) -> impl Fn(Error) -> JsValue + Copy {
    move |err| to_js_error(err.localized(lang))
}

/// Set `object[key] = value` (used to attach typed arrays to serialized results).
pub fn set_property(object: &JsValue, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value);
}

/// Deserialize a JS value (options object, summary numbers) into a core type. `what` names the argument in
/// the error message. `undefined`/`null` become the type's default where serde allows it.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    parse_js(value, what).map_err(to_js_error)
}

/// [`from_js`] with the core error, for facades that localize it.
pub fn parse_js<T: DeserializeOwned>(value: JsValue, what: &str) -> crate::Result<T> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::invalid_argument(what, e.to_string()))
}

#[wasm_bindgen]
extern "C" {
    /// `Date.now()`, looked up when called. `catch`: whatever it throws (a page may have replaced `Date`, or
    /// made `now` a throwing getter) is caught in the JS glue and returned as `Err`, so it never unwinds through
    /// a method that holds a dataset borrow. The result stays a `JsValue`: an `f64` return would be coerced with
    /// `ToNumber` at the boundary, outside that catch, and could run a hostile `valueOf`.
    #[wasm_bindgen(catch, js_namespace = Date, js_name = now)]
    fn date_now() -> Result<JsValue, JsValue>;
}

/// Today's date in UTC as `YYYY-MM-DD`: the default reference date for relative dates. The core never reads a
/// clock on wasm (SystemTime panics there); the facade asks JS `Date.now()`. If that throws or returns
/// anything but a finite number, the call fails with `INVALID_ARGUMENT` asking for an explicit `referenceDate`.
pub fn today_utc() -> Result<String, JsValue> {
    let millis = date_now().ok().and_then(|v| v.as_f64()).filter(|v| v.is_finite());
    let Some(millis) = millis else {
        return Err(to_js_error(Error::invalid_argument(
            "referenceDate",
            "no date given and JS `Date.now()` did not return a time; pass `referenceDate: 'YYYY-MM-DD'`",
        )));
    };
    let days = (millis / 86_400_000.0).floor().clamp(i32::MIN as f64, i32::MAX as f64) as i32;
    Ok(crate::segments::calendar::format_date(days))
}

/// Serialize a core result for JS: maps become plain objects, `None` becomes `null`, NaN stays NaN.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    value
        .serialize(&serializer)
        .map_err(|e| to_js_error(Error::new(ErrorCode::Internal, format!("could not convert result: {e}"))))
}

/// Convert a core `Result` into the facade's `Result<JsValue, JsValue>`.
pub fn respond<T: Serialize>(result: crate::Result<T>) -> Result<JsValue, JsValue> {
    match result {
        Ok(value) => to_js(&value),
        Err(err) => Err(to_js_error(err)),
    }
}
