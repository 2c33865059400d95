//! [`AnalysisOptions`]: what to analyze and how, deserialized from camelCase JS/JSON with defaults.
//!
//! Deserialization is hand-written so every error names the option at fault (`` `correction`: unknown variant
//! `hom`, … ``) and unknown keys are refused with a suggestion (a typo such as `confidance` must not silently
//! fall back to the default). `undefined`/`null` for an option means its default, except for `conversion`,
//! `revenue` and `covariate`, where `null` means "no such metric".

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::metric_spec::{MetricSpec, Metrics, OrderedMetrics};
use crate::error::{closest_name, Error, Result};
use crate::messages::nested;
use crate::segments::builtin::{ClusterOptions, LifecycleOptions, RfmOptions, SpendTierOptions};
use crate::stats::{AdjustMethod, Alternative, Difference, Engine, GaussianPrior, IntervalMethod, Sequential};

/// Name of the segment holding every row, listed first unless `includeAll: false`.
pub const ALL_CUSTOMERS: &str = "All customers";

/// Option keys, for unknown-key suggestions and the docs.
pub const OPTION_NAMES: &[&str] = &[
    "segments",
    "includeAll",
    "variant",
    "control",
    "conversion",
    "revenue",
    "covariate",
    "metrics",
    "confidence",
    "alternative",
    "difference",
    "correction",
    "sequential",
    "engine",
    "prior",
    "intervalMethod",
    "expectedWeights",
    "srmThreshold",
    "minSampleSize",
    "minCellSize",
    "referenceDate",
    "lang",
];

/// Multiple-comparison correction over the report's family of tests. Serialized `'none' | 'bonferroni' |
/// 'holm' | 'bh'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correction {
    /// No adjustment: `adjustedPValue` = `pValue`.
    None,
    /// Bonferroni.
    Bonferroni,
    /// Holm step-down (default).
    #[default]
    Holm,
    /// Benjamini–Hochberg (false discovery rate).
    Bh,
}

impl Correction {
    /// The stats method, `None` for no correction.
    pub fn method(self) -> Option<AdjustMethod> {
        match self {
            Correction::None => None,
            Correction::Bonferroni => Some(AdjustMethod::Bonferroni),
            Correction::Holm => Some(AdjustMethod::Holm),
            Correction::Bh => Some(AdjustMethod::Bh),
        }
    }
}

/// A built-in segmentation used as segments: `{ builtin: 'rfm' | 'lifecycle' | 'clusters' | 'spendTier', options?: {...} }`.
/// Each of its groups becomes one segment named `"<key>: <group>"`.
#[derive(Debug, Clone, PartialEq)]
pub enum BuiltinSpec {
    /// RFM groups ([`crate::segments::builtin::rfm()`]).
    Rfm(RfmOptions),
    /// Lifecycle stages ([`crate::segments::builtin::lifecycle()`]).
    Lifecycle(LifecycleOptions),
    /// k-means clusters ([`crate::segments::builtin::clusters()`]).
    Clusters(ClusterOptions),
    /// Predicted spend tiers ([`crate::segments::builtin::spend_tier()`]).
    SpendTier(Box<SpendTierOptions>),
}

impl BuiltinSpec {
    /// `rfm`, `lifecycle`, `clusters` or `spendTier`.
    pub fn kind(&self) -> &'static str {
        match self {
            BuiltinSpec::Rfm(_) => "rfm",
            BuiltinSpec::Lifecycle(_) => "lifecycle",
            BuiltinSpec::Clusters(_) => "clusters",
            BuiltinSpec::SpendTier(_) => "spendTier",
        }
    }
}

/// One entry of `segments`: a rule string or a built-in segmentation.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentSpec {
    /// A rule in the segment language (`docs/segments.md`).
    Rule(String),
    /// A built-in segmentation, expanded into its groups.
    Builtin(BuiltinSpec),
}

/// Expected traffic split for the SRM check: a list in variant order or a map variant → weight.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpectedWeights {
    /// One weight per variant, in the report's variant order (control first, then the others sorted).
    List(Vec<f64>),
    /// Weight per variant key; every variant found must be listed.
    Map(Vec<(String, f64)>),
}

/// Options of [`crate::metrics::analyze`] (JS: `ds.analyze(options)`); see `docs/analysis.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    /// Ordered name → segment; the JS object's key order is kept. Empty: only "All customers".
    pub segments: Vec<(String, SegmentSpec)>,
    /// Put an "All customers" segment first (default true).
    pub include_all: bool,
    /// Variant (assignment) column. Default `variant`.
    pub variant: String,
    /// Control variant key. Default: the first variant in sorted order.
    pub control: Option<String>,
    /// Conversion column (bool or 0/1 numeric). Default `converted`; `null` = no conversion metric.
    pub conversion: Option<String>,
    /// Revenue column (numeric). Default `revenue`; `null` = no revenue metric.
    pub revenue: Option<String>,
    /// Pre-period numeric column for CUPED on revenue. Default none.
    pub covariate: Option<String>,
    /// Named metrics, in the given order (`docs/analysis.md`). Default none.
    pub metrics: Vec<MetricSpec>,
    /// Confidence level in (0, 1), default 0.95.
    pub confidence: f64,
    /// Alternative hypothesis, default two-sided.
    pub alternative: Alternative,
    /// Relative (default) or absolute effects.
    pub difference: Difference,
    /// p-value correction over the family (default holm).
    pub correction: Correction,
    /// Sequential testing settings, `null` for fixed horizon.
    pub sequential: Option<Sequential>,
    /// Frequentist (default) or Bayesian.
    pub engine: Engine,
    /// Gaussian prior for the Bayesian engine.
    pub prior: Option<GaussianPrior>,
    /// Interval method for conversion rates (default wilson).
    pub interval_method: IntervalMethod,
    /// Expected traffic split (default equal).
    pub expected_weights: Option<ExpectedWeights>,
    /// SRM p-value threshold (default 0.001).
    pub srm_threshold: f64,
    /// A segment whose variants have fewer units than this gets a SMALL_SEGMENT warning (default 30).
    pub min_sample_size: u64,
    /// Cells with fewer units than this are suppressed (numbers nulled) for privacy (default 0 = off).
    pub min_cell_size: u64,
    /// `YYYY-MM-DD` that relative dates in rules count from. Default: today (UTC).
    pub reference_date: Option<String>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            segments: Vec::new(),
            include_all: true,
            variant: "variant".into(),
            control: None,
            conversion: Some("converted".into()),
            revenue: Some("revenue".into()),
            covariate: None,
            metrics: Vec::new(),
            confidence: 0.95,
            alternative: Alternative::TwoSided,
            difference: Difference::Relative,
            correction: Correction::Holm,
            sequential: None,
            engine: Engine::Frequentist,
            prior: None,
            interval_method: IntervalMethod::Wilson,
            expected_weights: None,
            srm_threshold: 0.001,
            min_sample_size: 30,
            min_cell_size: 0,
            reference_date: None,
        }
    }
}

impl AnalysisOptions {
    /// Check the options that do not need the data; errors are `INVALID_ARGUMENT` naming the option.
    pub fn validate(&self) -> Result<()> {
        if !(self.confidence.is_finite() && self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(Error::invalid_argument(
                "confidence",
                nested("between_0_and_1", &["0.95", &self.confidence.to_string()]),
            ));
        }
        if !(self.srm_threshold.is_finite() && self.srm_threshold > 0.0 && self.srm_threshold < 1.0) {
            return Err(Error::invalid_argument(
                "srmThreshold",
                nested("between_0_and_1", &["0.001", &self.srm_threshold.to_string()]),
            ));
        }
        if self.variant.is_empty() {
            return Err(Error::invalid_argument("variant", nested("variant_option_empty", &[])));
        }
        let mut seen = HashSet::new();
        if self.include_all {
            seen.insert(ALL_CUSTOMERS.to_string());
        }
        for (name, spec) in &self.segments {
            if name.trim().is_empty() {
                return Err(Error::invalid_argument("segments", "segment names must not be empty"));
            }
            if !seen.insert(name.clone()) {
                return Err(Error::invalid_argument(
                    "segments",
                    format!("the segment name `{name}` is used twice (\"{ALL_CUSTOMERS}\" is reserved unless includeAll: false)"),
                ));
            }
            if let SegmentSpec::Rule(rule) = spec {
                if rule.trim().is_empty() {
                    return Err(Error::invalid_argument(
                        &format!("segments.{name}"),
                        "is an empty rule; write a rule such as \"orders_count >= 3\"",
                    ));
                }
            }
        }
        let mut metric_names = HashSet::new();
        for spec in &self.metrics {
            if !metric_names.insert(spec.name.as_str()) {
                return Err(Error::invalid_argument(
                    "metrics",
                    format!("the metric name `{}` is used twice", spec.name),
                ));
            }
            let shorthand = match spec.name.as_str() {
                "conversion" => self.conversion.is_some(),
                "revenue" => self.revenue.is_some(),
                _ => false,
            };
            if shorthand {
                return Err(Error::invalid_argument(
                    &format!("metrics.{}", spec.name),
                    format!(
                        "`{0}` is also the metric made by the `{0}` option; pass `{0}: null` to define it in `metrics`, \
                         or rename it",
                        spec.name
                    ),
                ));
            }
        }
        if !self.include_all && self.segments.is_empty() {
            return Err(Error::invalid_argument(
                "includeAll",
                "is false and no segments are given, so there is nothing to analyze",
            ));
        }
        if let Some(weights) = &self.expected_weights {
            let values: Vec<f64> = match weights {
                ExpectedWeights::List(v) => v.clone(),
                ExpectedWeights::Map(m) => m.iter().map(|(_, w)| *w).collect(),
            };
            if values.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
                return Err(Error::invalid_argument("expectedWeights", "every weight must be a finite number > 0"));
            }
        }
        Ok(())
    }
}

/// Turn a deserialization message (`` `name`: reason ``, as this module writes them) into an `INVALID_ARGUMENT`
/// error whose subject is the option. Used by the wasm facade. The parsers write their catalogued reasons encoded
/// ([`crate::messages::nested`]), so a serde error's raw text is not for people: this renders it (English in
/// `message`, other languages with [`Error::localized`]).
pub fn options_error(message: &str) -> Error {
    // serde-wasm-bindgen wraps nested messages as JS errors, which print with an "Error: " prefix.
    let cleaned = message.replace("Error: ", "");
    let message = cleaned.as_str();
    if let Some(rest) = message.strip_prefix('`') {
        if let Some(end) = rest.find("`: ") {
            let name = &rest[..end];
            return Error::invalid_argument(name, &rest[end + 3..]);
        }
    }
    Error::invalid_argument("options", message)
}

fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, key: &str) -> Result<T, A::Error> {
    map.next_value::<T>().map_err(|e| de::Error::custom(format!("`{key}`: {e}")))
}

impl<'de> Deserialize<'de> for AnalysisOptions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnalysisOptions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an options object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnalysisOptions, E> {
                Ok(AnalysisOptions::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<AnalysisOptions, E> {
                Ok(AnalysisOptions::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnalysisOptions, A::Error> {
                let mut o = AnalysisOptions::default();
                while let Some(key) = map.next_key::<String>()? {
                    let k = key.as_str();
                    macro_rules! opt {
                        ($t:ty) => {
                            field::<A, Option<$t>>(&mut map, k)?
                        };
                    }
                    match k {
                        "segments" => o.segments = opt!(Segments).map(|s| s.0).unwrap_or_default(),
                        "includeAll" => o.include_all = opt!(bool).unwrap_or(true),
                        "variant" => o.variant = opt!(String).unwrap_or_else(|| "variant".into()),
                        "control" => o.control = opt!(Text).map(|t| t.0),
                        "conversion" => o.conversion = opt!(String),
                        "revenue" => o.revenue = opt!(String),
                        "covariate" => o.covariate = opt!(String),
                        "metrics" => o.metrics = opt!(Metrics).map(|m| m.0).unwrap_or_default(),
                        "confidence" => o.confidence = opt!(f64).unwrap_or(0.95),
                        "alternative" => o.alternative = opt!(Alternative).unwrap_or_default(),
                        "difference" => o.difference = opt!(Difference).unwrap_or_default(),
                        "correction" => o.correction = opt!(Correction).unwrap_or_default(),
                        "sequential" => o.sequential = opt!(SequentialOption).and_then(|s| s.0),
                        "engine" => o.engine = opt!(Engine).unwrap_or_default(),
                        "prior" => o.prior = opt!(GaussianPrior),
                        "intervalMethod" => o.interval_method = opt!(IntervalMethod).unwrap_or_default(),
                        "expectedWeights" => o.expected_weights = opt!(ExpectedWeights),
                        "srmThreshold" => o.srm_threshold = opt!(f64).unwrap_or(0.001),
                        "minSampleSize" => o.min_sample_size = opt!(Count).map_or(30, |c| c.0),
                        "minCellSize" => o.min_cell_size = opt!(Count).map_or(0, |c| c.0),
                        "referenceDate" => o.reference_date = opt!(String),
                        // The language of error messages: read by the facade before parsing (so option errors are
                        // localized too); checked to be text here.
                        "lang" => drop(opt!(String)),
                        other => {
                            let hint = match closest_name(other, OPTION_NAMES.iter().copied()) {
                                Some(close) => nested("unknown_option_suggest", &[close]),
                                None => nested("unknown_option_list", &[&OPTION_NAMES.join(", ")]),
                            };
                            return Err(de::Error::custom(format!("`{other}`: {hint}")));
                        }
                    }
                }
                Ok(o)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A whole number ≥ 0 given as a JS number.
struct Count(u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9.007_199_254_740_992e15 {
            Ok(Count(x as u64))
        } else {
            Err(de::Error::custom(format!("must be a whole number ≥ 0, got {x}")))
        }
    }
}

/// A variant key given as a string, number or bool (compared as its text).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a variant key (string, number or bool)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                if v.fract() == 0.0 && v.abs() < 9e15 {
                    Ok(Text(format!("{}", v as i64)))
                } else {
                    Err(E::custom(format!("a variant key must be text, a whole number or a bool, got {v}")))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `sequential`: `true` (default tuning), `false`, or `{ tuning }`.
struct SequentialOption(Option<Sequential>);

impl<'de> Deserialize<'de> for SequentialOption {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SequentialOption;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false or { tuning }")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SequentialOption, E> {
                Ok(SequentialOption(v.then(Sequential::default)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SequentialOption, A::Error> {
                Sequential::deserialize(de::value::MapAccessDeserializer::new(map)).map(|s| SequentialOption(Some(s)))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for ExpectedWeights {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ExpectedWeights;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of weights in variant order, or an object { variant: weight }")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ExpectedWeights, A::Error> {
                let mut out = Vec::new();
                while let Some(w) = seq.next_element::<f64>()? {
                    out.push(w);
                }
                Ok(ExpectedWeights::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExpectedWeights, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let w = map.next_value::<f64>()?;
                    out.push((k, w));
                }
                Ok(ExpectedWeights::Map(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Ordered `name → rule | { builtin, options }`.
struct Segments(Vec<(String, SegmentSpec)>);

impl<'de> Deserialize<'de> for Segments {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Segments;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object { name: rule | { builtin, options } }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Segments, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let spec = map
                        .next_value::<SegmentSpec>()
                        .map_err(|e| de::Error::custom(nested("in_segment", &[&name, &e.to_string()])))?;
                    out.push((name, spec));
                }
                Ok(Segments(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for SegmentSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SegmentSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rule string or { builtin: 'rfm' | 'lifecycle' | 'clusters', options }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SegmentSpec, E> {
                Ok(SegmentSpec::Rule(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SegmentSpec, A::Error> {
                let mut kind: Option<String> = None;
                let mut spec: Option<BuiltinSpec> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "builtin" => kind = Some(map.next_value()?),
                        "options" => {
                            let k = kind.as_deref().ok_or_else(|| {
                                de::Error::custom("write `builtin` before `options`: { builtin: 'rfm', options: {...} }")
                            })?;
                            spec = Some(builtin_with::<A>(k, &mut map)?);
                        }
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown key `{other}`; a built-in segment is {{ builtin: 'rfm' | 'lifecycle' | 'clusters', options?: {{...}} }}"
                            )))
                        }
                    }
                }
                match (kind, spec) {
                    (_, Some(spec)) => Ok(SegmentSpec::Builtin(spec)),
                    (Some(k), None) => builtin_default(&k).map(SegmentSpec::Builtin).map_err(de::Error::custom),
                    (None, None) => Err(de::Error::custom("needs `builtin`: 'rfm' | 'lifecycle' | 'clusters'")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn unknown_builtin(kind: &str) -> String {
    nested("unknown_builtin", &[kind])
}

fn builtin_default(kind: &str) -> std::result::Result<BuiltinSpec, String> {
    match kind {
        "rfm" => Ok(BuiltinSpec::Rfm(RfmOptions::default())),
        "lifecycle" => Ok(BuiltinSpec::Lifecycle(LifecycleOptions::default())),
        "clusters" => Ok(BuiltinSpec::Clusters(ClusterOptions::default())),
        "spendTier" => Ok(BuiltinSpec::SpendTier(Box::default())),
        other => Err(unknown_builtin(other)),
    }
}

fn builtin_with<'de, A: MapAccess<'de>>(kind: &str, map: &mut A) -> Result<BuiltinSpec, A::Error> {
    fn opts<'de, A: MapAccess<'de>, T: DeserializeOwned + Default>(map: &mut A) -> Result<T, A::Error> {
        Ok(map.next_value::<Option<T>>().map_err(|e| de::Error::custom(format!("options: {e}")))?.unwrap_or_default())
    }
    match kind {
        "rfm" => Ok(BuiltinSpec::Rfm(opts(map)?)),
        "lifecycle" => Ok(BuiltinSpec::Lifecycle(opts(map)?)),
        "clusters" => Ok(BuiltinSpec::Clusters(opts(map)?)),
        "spendTier" => Ok(BuiltinSpec::SpendTier(Box::new(opts(map)?))),
        other => Err(de::Error::custom(unknown_builtin(other))),
    }
}

// ---- echo: the options as the report shows them (camelCase, builtin options summarized by kind) ----

impl Serialize for SegmentSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SegmentSpec::Rule(r) => s.serialize_str(r),
            SegmentSpec::Builtin(b) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("builtin", b.kind())?;
                m.end()
            }
        }
    }
}

impl Serialize for ExpectedWeights {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ExpectedWeights::List(v) => v.serialize(s),
            ExpectedWeights::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct OrderedSegments<'a>(&'a [(String, SegmentSpec)]);

impl Serialize for OrderedSegments<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for AnalysisOptions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("AnalysisOptions", 21)?;
        st.serialize_field("segments", &OrderedSegments(&self.segments))?;
        st.serialize_field("includeAll", &self.include_all)?;
        st.serialize_field("variant", &self.variant)?;
        st.serialize_field("control", &self.control)?;
        st.serialize_field("conversion", &self.conversion)?;
        st.serialize_field("revenue", &self.revenue)?;
        st.serialize_field("covariate", &self.covariate)?;
        st.serialize_field("metrics", &OrderedMetrics(&self.metrics))?;
        st.serialize_field("confidence", &self.confidence)?;
        st.serialize_field("alternative", &self.alternative)?;
        st.serialize_field("difference", &self.difference)?;
        st.serialize_field("correction", &self.correction)?;
        st.serialize_field("sequential", &self.sequential)?;
        st.serialize_field("engine", &self.engine)?;
        st.serialize_field("prior", &self.prior)?;
        st.serialize_field("intervalMethod", &self.interval_method)?;
        st.serialize_field("expectedWeights", &self.expected_weights)?;
        st.serialize_field("srmThreshold", &self.srm_threshold)?;
        st.serialize_field("minSampleSize", &(self.min_sample_size as f64))?;
        st.serialize_field("minCellSize", &(self.min_cell_size as f64))?;
        st.serialize_field("referenceDate", &self.reference_date)?;
        st.end()
    }
}
