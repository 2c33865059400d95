//! Segment methods of the JS `Dataset` class. No logic: options in, core calls, results out.
//!
//! `options` is `{ referenceDate?: 'YYYY-MM-DD', column?: string, columns?: string[], dialect?: 'duckdb' | 'spark' |
//! 'postgres', lang?: 'en' | 'fi' }` (`lang`: the language of errors, from the engine's message catalogue);
//! without `referenceDate`, today's UTC date from `js_sys::Date` is used (the core never reads a clock on wasm).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{js_error_in, lang_of, parse_js, to_js, today_utc};
use crate::ingest::Dataset;
use crate::messages::Lang;
use crate::prepare::NormalizeKey;
use crate::segments::links::Link;
use crate::segments::{self, Dialect, Members, Rule, RuleOptions};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct SegmentOptions {
    reference_date: Option<String>,
    column: Option<String>,
    columns: Option<Vec<String>>,
    dialect: Option<String>,
    /// The language of error messages (`'fi'`, `'en'`, any BCP 47 tag; default English).
    lang: Option<String>,
}

impl SegmentOptions {
    /// The language of errors.
    fn lang(&self) -> Lang {
        Lang::from_tag(self.lang.as_deref().unwrap_or("en"))
    }

    /// Errors in [`SegmentOptions::lang`].
    fn error(&self) -> impl Fn(crate::Error) -> JsValue + Copy {
        js_error_in(self.lang())
    }
}

#[derive(Serialize)]
struct SegmentInfo {
    size: f64,
    rule: String,
    sql: String,
}

fn options(value: JsValue) -> Result<SegmentOptions, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(SegmentOptions::default());
    }
    let lang = lang_of(&value);
    parse_js(value, "options").map_err(js_error_in(lang))
}

fn rule_options(o: &SegmentOptions) -> Result<RuleOptions, JsValue> {
    let date = match &o.reference_date {
        Some(date) => date.clone(),
        None => today_utc()?,
    };
    RuleOptions::with_reference_date(&date).map_err(o.error())
}

/// `link()` options: `{ on: 'Email' | ['Email', 'E-mail'], normalizeKey?: 'email' | 'text' | 'none', lang? }`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LinkOptions {
    on: LinkOn,
    #[serde(default)]
    normalize_key: Option<String>,
    /// The language of errors (read before parsing, see [`lang_of`]).
    #[serde(default)]
    #[allow(dead_code)]
    lang: Option<String>,
}

/// The key columns: one name for both tables, or `[this table's, the linked table's]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LinkOn {
    Same(String),
    Pair(String, String),
}

/// The link of `linked` to `customers` as `name` for the `link()` options `{ on, normalizeKey }`.
fn new_link(name: &str, customers: &Dataset, linked: &Dataset, options: JsValue) -> Result<Link, JsValue> {
    let error = js_error_in(lang_of(&options));
    let o: LinkOptions = parse_js(options, "options").map_err(error)?;
    let (local, other) = match &o.on {
        LinkOn::Same(c) => (c.as_str(), c.as_str()),
        LinkOn::Pair(a, b) => (a.as_str(), b.as_str()),
    };
    let mode = NormalizeKey::parse(o.normalize_key.as_deref().unwrap_or("none")).map_err(error)?;
    Link::new(name, customers, linked, (local, other), mode).map_err(error)
}

impl WasmDataset {
    /// Add `link`, replacing a link of the same name.
    fn replace_link(&mut self, link: Link) {
        self.links.retain(|l| l.name != link.name);
        self.links.push(link);
    }

    fn rule(&self, rule: &str, o: &SegmentOptions) -> Result<Rule, JsValue> {
        Rule::parse_linked(rule, &self.inner, &self.links, &rule_options(o)?).map_err(o.error())
    }
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// Link `other` as `name` for `COUNT(name …)` and friends (replacing a link of that name). The linked rows
    /// are cloned by reference (Arrow batches are shared), so no borrow of `other` outlives this call. `other`
    /// must not be this dataset: wasm-bindgen would have to borrow it twice (`&mut` and `&`), which fails with
    /// "recursive use of an object"; JS links a dataset to itself with [`WasmDataset::link_self`].
    pub fn link(&mut self, name: &str, other: &WasmDataset, options: JsValue) -> Result<(), JsValue> {
        let link = new_link(name, &self.inner, &other.inner, options)?;
        self.replace_link(link);
        Ok(())
    }

    /// Link this dataset to itself as `name` (e.g. customers who referred customers): [`WasmDataset::link`]
    /// with one borrow.
    #[wasm_bindgen(js_name = linkSelf)]
    pub fn link_self(&mut self, name: &str, options: JsValue) -> Result<(), JsValue> {
        let link = new_link(name, &self.inner, &self.inner, options)?;
        self.replace_link(link);
        Ok(())
    }

    /// Define a segment: `{ size, rule, sql }`: member count, canonical rule text, DuckDB WHERE condition.
    pub fn segment(&mut self, rule: &str, options: JsValue) -> Result<JsValue, JsValue> {
        let o = self::options(options)?;
        let rule = self.rule(rule, &o)?;
        let size = self.segments.size(&self.inner, &rule).map_err(o.error())?;
        to_js(&SegmentInfo { size: size as f64, rule: rule.canonical().to_string(), sql: rule.to_sql(Dialect::DuckDb) })
    }

    /// Member count of a rule (cached; re-evaluates only appended batches).
    #[wasm_bindgen(js_name = segmentSize)]
    pub fn segment_size(&mut self, rule: &str, options: JsValue) -> Result<f64, JsValue> {
        let o = self::options(options)?;
        let rule = self.rule(rule, &o)?;
        Ok(self.segments.size(&self.inner, &rule).map_err(o.error())? as f64)
    }

    /// The rule as a SQL condition in `options.dialect` (default `duckdb`).
    #[wasm_bindgen(js_name = segmentSql)]
    pub fn segment_sql(&self, rule: &str, options: JsValue) -> Result<String, JsValue> {
        let o = self::options(options)?;
        let dialect = match &o.dialect {
            Some(d) => Dialect::parse(d).map_err(o.error())?,
            None => Dialect::DuckDb,
        };
        Ok(self.rule(rule, &o)?.to_sql(dialect))
    }

    /// Canonical text of a rule (validates it; errors carry code, start, end).
    #[wasm_bindgen(js_name = segmentCanonical)]
    pub fn segment_canonical(&self, rule: &str, options: JsValue) -> Result<String, JsValue> {
        let o = self::options(options)?;
        Ok(self.rule(rule, &o)?.canonical().to_string())
    }

    /// Members: a `Uint32Array` of row indices without `options.column`; with it, the id column's values as
    /// `Int32Array` / `Uint32Array` / `BigInt64Array` / `BigUint64Array` / `Float64Array`, or an array of
    /// strings for text and decimal ids. Rows whose id is null are left out. With `options.columns`:
    /// `{ columns, values, dropped }` (see `segments::export::MemberTable`).
    #[wasm_bindgen(js_name = segmentMembers)]
    pub fn segment_members(&mut self, rule: &str, options: JsValue) -> Result<JsValue, JsValue> {
        let o = self::options(options)?;
        let rule = self.rule(rule, &o)?;
        let bitmap = self.segments.bitmap(&self.inner, &rule).map_err(o.error())?;
        if let Some(columns) = &o.columns {
            return to_js(&segments::export::member_table(&self.inner, &bitmap, columns).map_err(o.error())?);
        }
        let members = segments::members(&self.inner, &bitmap, o.column.as_deref()).map_err(o.error())?;
        Ok(match members {
            Members::Rows(v) | Members::U32(v) => js_sys::Uint32Array::from(&v[..]).into(),
            Members::I32(v) => js_sys::Int32Array::from(&v[..]).into(),
            Members::I64(v) => js_sys::BigInt64Array::from(&v[..]).into(),
            Members::U64(v) => js_sys::BigUint64Array::from(&v[..]).into(),
            Members::F64(v) => js_sys::Float64Array::from(&v[..]).into(),
            Members::Text(v) => v.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>().into(),
        })
    }

    /// Pairwise intersection counts (`result[i][j]`; sizes on the diagonal) of rules and built-in segmentations
    /// (`{ builtin, options }`, one row per group), rules in one pass.
    #[wasm_bindgen(js_name = segmentOverlap)]
    pub fn segment_overlap(&mut self, rules: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let o = self::options(options)?;
        let entries: Vec<crate::metrics::SegmentSpec> = parse_js(rules, "rules").map_err(o.error())?;
        let (ds, links) = (&self.inner, &self.links);
        let bitmaps =
            segments::overlap::entry_bitmaps_linked(ds, links, &mut self.segments, &entries, &rule_options(&o)?)
                .map_err(o.error())?;
        let counts: Vec<Vec<f64>> =
            segments::overlap(&bitmaps).into_iter().map(|row| row.into_iter().map(|c| c as f64).collect()).collect();
        to_js(&counts)
    }
}
