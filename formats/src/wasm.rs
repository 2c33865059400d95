//! The wasm facade: one conversion function per reader (`csvToArrow` with feature `csv`, `parquetToArrow` with
//! feature `parquet`, so each wasm module exports only its own), plain JS objects in and out. Errors are JS
//! `Error`s named `SegmetryError` with `code`, `line`, `column` and `subject`; `js/formats.js` turns them into
//! `SegmetryError` instances.

use std::ops::ControlFlow;

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[cfg(feature = "csv")]
use crate::{csv_to_ipc, CsvOptions, Encoding, Locale};
#[cfg(feature = "parquet")]
use crate::{parquet_to_ipc, ParquetOptions};
use crate::{Conversion, ErrorCode, FormatError, Lang, Message};

fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn to_js_error(err: FormatError, lang: Lang) -> JsValue {
    let js = js_sys::Error::new(&err.localized(lang));
    js.set_name("SegmetryError");
    let obj: &JsValue = js.as_ref();
    set(obj, "code", err.code.as_str());
    if let Some(line) = err.line {
        set(obj, "line", line as f64);
    }
    if let Some(column) = err.column {
        set(obj, "column", column as f64);
    }
    if let Some(subject) = err.subject {
        set(obj, "subject", subject);
    }
    js.into()
}

/// The language of `options.lang` (a BCP 47 tag such as `'fi'`; English when absent or not a string).
fn lang_of(options: &JsValue) -> Lang {
    get(options, "lang").as_string().map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

fn bad(subject: &str, text: Message) -> FormatError {
    FormatError::argument(subject, text)
}

fn opt_bool(options: &JsValue, key: &str, default: bool) -> Result<bool, FormatError> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(default);
    }
    v.as_bool().ok_or_else(|| bad(key, Message::new("opt_bool", [key])))
}

#[cfg(feature = "csv")]
fn opt_char(options: &JsValue, key: &str) -> Result<Option<u8>, FormatError> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_string() {
        Some(s) if s.len() == 1 && s.is_ascii() => Ok(Some(s.as_bytes()[0])),
        _ => Err(bad(key, Message::new("opt_char", [key]))),
    }
}

fn opt_batch(options: &JsValue) -> Result<Option<usize>, FormatError> {
    let v = get(options, "batchSize");
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if (1.0..=1e7).contains(&n) && n.fract() == 0.0 => Ok(Some(n as usize)),
        _ => Err(bad("batchSize", Message::plain("opt_batch_size"))),
    }
}

#[cfg(feature = "csv")]
fn opt_string(options: &JsValue, key: &str) -> Result<Option<String>, FormatError> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| bad(key, Message::new("opt_string", [key])))
}

/// `types: { column: 'float64', … }` as (name, type) pairs; the JS layer has made it a plain object.
#[cfg(feature = "csv")]
fn opt_types(options: &JsValue) -> Result<Vec<(String, String)>, FormatError> {
    let v = get(options, "types");
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    let help = || bad("types", Message::plain("opt_types_shape"));
    if !v.is_object() || Array::is_array(&v) {
        return Err(help());
    }
    let mut out = Vec::new();
    for entry in Object::entries(&Object::from(v)).iter() {
        let pair = Array::from(&entry);
        match (pair.get(0).as_string(), pair.get(1).as_string()) {
            (Some(k), Some(t)) => out.push((k, t)),
            _ => return Err(help()),
        }
    }
    Ok(out)
}

/// The conversion as JS, its warnings in `lang`.
fn result(conversion: Conversion, lang: Lang) -> JsValue {
    let obj: JsValue = Object::new().into();
    set(&obj, "bytes", Uint8Array::from(conversion.ipc.as_slice()));
    set(&obj, "numRows", conversion.num_rows as f64);
    let pair = |(name, ty): &(String, String)| {
        let o: JsValue = Object::new().into();
        set(&o, "name", name.as_str());
        set(&o, "type", ty.as_str());
        o
    };
    set(&obj, "columns", conversion.columns.iter().map(pair).collect::<Array>());
    set(&obj, "skipped", conversion.skipped.iter().map(pair).collect::<Array>());
    let messages: Vec<String> = conversion.warnings.iter().map(|w| w.localized(lang)).collect();
    set(&obj, "warnings", messages.iter().map(|m| JsValue::from_str(m)).collect::<Array>());
    let report: JsValue = Object::new().into();
    let columns: Array = conversion
        .reports
        .iter()
        .map(|c| {
            let o: JsValue = Object::new().into();
            set(&o, "name", c.name.as_str());
            set(&o, "type", c.data_type.as_str());
            set(&o, "inferred", c.inferred.as_str());
            set(&o, "overridden", c.overridden);
            o
        })
        .collect();
    set(&report, "columns", columns);
    let warnings: Array = conversion
        .warnings
        .iter()
        .zip(&messages)
        .map(|(w, message)| {
            let o: JsValue = Object::new().into();
            set(&o, "code", w.code);
            set(&o, "column", w.column.as_deref().map_or(JsValue::NULL, JsValue::from_str));
            set(&o, "message", message.as_str());
            set(&o, "examples", w.examples.iter().map(|e| JsValue::from_str(e)).collect::<Array>());
            o
        })
        .collect();
    set(&report, "warnings", warnings);
    set(&obj, "importReport", report);
    if let Some(d) = conversion.delimiter {
        set(&obj, "delimiter", String::from(d as char));
    }
    obj
}

/// The progress callback as the converters see it. `js/formats.js` passes its own wrapper (never the caller's
/// function, whose exceptions it catches); a wrapper that returns `true` stops the conversion (`CANCELLED`).
fn progress_fn(progress: &Option<Function>) -> impl FnMut(u64, u64) -> ControlFlow<()> + '_ {
    move |loaded, total| {
        let stop = progress.as_ref().is_some_and(|f| {
            f.call2(&JsValue::NULL, &JsValue::from_f64(loaded as f64), &JsValue::from_f64(total as f64))
                .is_ok_and(|v| v.as_bool() == Some(true))
        });
        if stop {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

/// The CSV options of a JS options object: `delimiter`, `header`, `quote`, `nullValues`, `batchSize`, `types`,
/// `locale`, `timeZone`, `encoding` (`lang` is read by the callers: see [`lang_of`]).
#[cfg(feature = "csv")]
fn csv_options(options: &JsValue) -> Result<CsvOptions, FormatError> {
    let mut opts = CsvOptions { delimiter: opt_char(options, "delimiter")?, ..Default::default() };
    opts.header = opt_bool(options, "header", true)?;
    if let Some(q) = opt_char(options, "quote")? {
        opts.quote = q;
    }
    if let Some(b) = opt_batch(options)? {
        opts.batch_size = b;
    }
    let nulls = get(options, "nullValues");
    if !nulls.is_undefined() && !nulls.is_null() {
        if !Array::is_array(&nulls) {
            return Err(bad("nullValues", Message::plain("opt_null_values")));
        }
        for v in Array::from(&nulls).iter() {
            match v.as_string() {
                Some(s) => opts.null_values.push(s),
                None => return Err(bad("nullValues", Message::plain("opt_null_strings"))),
            }
        }
    }
    opts.types = opt_types(options)?;
    opts.locale = match opt_string(options, "locale")? {
        Some(l) => Locale::parse(&l)?,
        None => Locale::Auto,
    };
    opts.time_zone = opt_string(options, "timeZone")?;
    if let Some(e) = opt_string(options, "encoding")? {
        opts.encoding = Encoding::parse(&e)?;
    }
    Ok(opts)
}

/// CSV bytes → `{ bytes, numRows, columns, skipped, warnings, importReport, delimiter }`, with the options of
/// [`csv_options`]; errors and warnings in the language of `options.lang`.
#[cfg(feature = "csv")]
#[wasm_bindgen(js_name = csvToArrow)]
pub fn csv_to_arrow(bytes: &[u8], options: JsValue, progress: Option<Function>) -> Result<JsValue, JsValue> {
    let lang = lang_of(&options);
    let opts = csv_options(&options).map_err(|e| to_js_error(e, lang))?;
    let mut report = progress_fn(&progress);
    csv_to_ipc(bytes, &opts, Some(&mut report)).map(|c| result(c, lang)).map_err(|e| to_js_error(e, lang))
}

/// A CSV file converted piece by piece (`js/formats.js` reads a File a few MB at a time): `push(piece)` each
/// piece in order and `takeBytes()` the Arrow IPC bytes ready, then `finish()`. `push` and `finish` answer
/// `'restart'` when the file must be pushed again from its first byte (the bytes taken so far are dropped), and
/// `'whole'` for a file that is only read whole (UTF-16: use `csvToArrow`); `finish` otherwise returns what
/// `csvToArrow` does, with `bytes` holding the stream's last bytes only.
#[cfg(feature = "csv")]
#[wasm_bindgen(js_name = CsvStream)]
pub struct JsCsvStream(crate::CsvStream, Lang);

#[cfg(feature = "csv")]
fn next_name(next: crate::Next) -> &'static str {
    match next {
        crate::Next::Continue => "continue",
        crate::Next::Restart => "restart",
        crate::Next::WholeFile => "whole",
    }
}

#[cfg(feature = "csv")]
#[wasm_bindgen(js_class = CsvStream)]
impl JsCsvStream {
    /// A conversion of a file of `totalBytes` bytes with the options of `csvToArrow`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, total_bytes: f64) -> Result<JsCsvStream, JsValue> {
        let total = if total_bytes.is_finite() && total_bytes > 0.0 { total_bytes as u64 } else { 0 };
        let lang = lang_of(&options);
        let opts = csv_options(&options).map_err(|e| to_js_error(e, lang))?;
        Ok(JsCsvStream(crate::CsvStream::new(opts, total), lang))
    }

    /// Read the next piece: `'continue'`, `'restart'` or `'whole'`.
    pub fn push(&mut self, piece: &[u8]) -> Result<String, JsValue> {
        self.0.push(piece).map(|n| next_name(n).to_string()).map_err(|e| to_js_error(e, self.1))
    }

    /// The Arrow IPC stream bytes written since the last call.
    #[wasm_bindgen(js_name = takeBytes)]
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.0.take_bytes()
    }

    /// Copy the bytes `takeBytes` would return to the start of `target` and drop them here; returns how many.
    /// When `target` is shorter, nothing is copied or dropped and the answer is minus the length needed. One
    /// copy, straight into the caller's output buffer, instead of a fresh array per piece.
    #[wasm_bindgen(js_name = takeBytesInto)]
    pub fn take_bytes_into(&mut self, target: &Uint8Array) -> f64 {
        let ready = self.0.ready_bytes();
        let n = ready.len();
        if n > target.length() as usize {
            return -(n as f64);
        }
        target.subarray(0, n as u32).copy_from(ready);
        self.0.clear_bytes();
        n as f64
    }

    /// Records read in this pass so far.
    pub fn rows(&self) -> f64 {
        self.0.rows() as f64
    }

    /// Records of this pass in the bytes written so far (the rest wait in the record batch being filled).
    #[wasm_bindgen(js_name = writtenRows)]
    pub fn written_rows(&self) -> f64 {
        self.0.written_rows() as f64
    }

    /// The end of the file: the conversion (as `csvToArrow` returns it, `bytes` = the last bytes), or
    /// `'restart'` / `'whole'`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        match self.0.finish().map_err(|e| to_js_error(e, self.1))? {
            Ok(conversion) => Ok(result(conversion, self.1)),
            Err(next) => Ok(JsValue::from_str(next_name(next))),
        }
    }
}

/// The Parquet options of a JS options object: `skipUnsupported`, `batchSize`.
#[cfg(feature = "parquet")]
fn parquet_options(options: &JsValue) -> Result<ParquetOptions, FormatError> {
    let mut opts =
        ParquetOptions { skip_unsupported: opt_bool(options, "skipUnsupported", false)?, ..Default::default() };
    if let Some(b) = opt_batch(options)? {
        opts.batch_size = b;
    }
    Ok(opts)
}

/// Parquet bytes → `{ bytes, numRows, columns, skipped, warnings }`, with the options of [`parquet_options`];
/// errors and warnings in the language of `options.lang`.
#[cfg(feature = "parquet")]
#[wasm_bindgen(js_name = parquetToArrow)]
pub fn parquet_to_arrow(bytes: Vec<u8>, options: JsValue, progress: Option<Function>) -> Result<JsValue, JsValue> {
    let lang = lang_of(&options);
    let opts = parquet_options(&options).map_err(|e| to_js_error(e, lang))?;
    let mut report = progress_fn(&progress);
    parquet_to_ipc(bytes, &opts, Some(&mut report)).map(|c| result(c, lang)).map_err(|e| to_js_error(e, lang))
}

/// A reader text of the catalogue (`src/messages/import.rs`) in `lang`: for the few errors js/formats.js finds
/// before a reader runs (an unknown format, a CSV option on another format, a cancelled stream), so that they
/// are worded where every other import text is.
#[wasm_bindgen]
pub fn message(key: &str, params: Vec<String>, lang: Option<String>) -> String {
    match crate::messages::known_key(key) {
        Some(key) => Message::new(key, params).render(Lang::from_tag(lang.as_deref().unwrap_or("en"))),
        None => format!("{key} {}", params.join(" ")),
    }
}

/// The error codes this module produces (for the JS layer's documentation and tests).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Array {
    [ErrorCode::InvalidCsv, ErrorCode::InvalidParquet, ErrorCode::UnsupportedType, ErrorCode::InvalidArgument]
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}
