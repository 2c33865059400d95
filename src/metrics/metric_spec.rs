//! The `metrics` option of `analyze`: several named metrics per analysis, each with a type and a role
//! (GrowthBook's metric model), parsed from `name: 'Column' | { column, type, role } | { type: 'ratio',
//! numerator, denominator }` and resolved against the dataset's columns.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{closest_name, ErrorCode, Result};
use crate::ingest::{type_name, value_kind, Dataset, ValueKind};
use crate::messages::{in_context, nested, Message};

/// Keys of a metric object, for unknown-key suggestions.
pub const METRIC_KEYS: &[&str] = &["column", "type", "role", "numerator", "denominator", "higherIsBetter", "covariate"];

/// What a metric measures per unit. Serialized `'proportion' | 'mean' | 'ratio' | 'nps'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    /// Share of units that converted: a bool column, numbers 0/1, or yes/no text.
    #[default]
    Proportion,
    /// Mean of a numeric column per unit.
    Mean,
    /// Σ numerator / Σ denominator over the units, with a delta-method variance.
    Ratio,
    /// Net promoter score from a 0–10 score: share of 9–10 minus share of 0–6.
    Nps,
}

impl MetricType {
    /// The type's name in the options and the report.
    pub fn name(self) -> &'static str {
        match self {
            MetricType::Proportion => "proportion",
            MetricType::Mean => "mean",
            MetricType::Ratio => "ratio",
            MetricType::Nps => "nps",
        }
    }
}

/// How a metric enters the decision. Serialized `'goal' | 'secondary' | 'guardrail'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricRole {
    /// Tested as asked and part of the correction family (default).
    #[default]
    Goal,
    /// Reported with its own test but outside the correction family.
    Secondary,
    /// Tested one-sided for harm only.
    Guardrail,
}

/// The metric type or role called `name` in the options (`'mean'`, `'guardrail'`, …), or the catalogued
/// `unknown` message (encoded, for serde) naming it.
fn named<T: serde::de::DeserializeOwned>(name: &str, unknown: &'static str) -> std::result::Result<T, String> {
    let value = serde::de::value::StrDeserializer::<de::value::Error>::new(name);
    T::deserialize(value).map_err(|_| nested(unknown, &[name]))
}

/// The next value of `map` (under `key`) as an optional metric type or role, with `unknown` for a name that is
/// neither; errors are tagged with the key as the other keys' are.
fn next_named<'de, A: MapAccess<'de>, T: serde::de::DeserializeOwned>(
    map: &mut A,
    key: &str,
    unknown: &'static str,
) -> std::result::Result<Option<T>, A::Error> {
    let tagged = |e: String| de::Error::custom(format!("`{key}`: {e}"));
    let name: Option<String> = map.next_value().map_err(|e: A::Error| tagged(e.to_string()))?;
    name.map(|n| named(&n, unknown)).transpose().map_err(tagged)
}

/// Where a metric's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricSource {
    /// One column (proportion, mean, nps).
    Column(String),
    /// Σ numerator / Σ denominator (ratio).
    Ratio {
        /// Numerator column.
        numerator: String,
        /// Denominator column.
        denominator: String,
    },
}

/// One entry of `metrics`, as given; [`resolve_metrics`] checks it against the data.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    /// The metric's name (its key in `metrics` and in the report).
    pub name: String,
    /// The type asked for; `None` infers it from the column (bool, 0/1 or yes/no text → proportion, else mean).
    pub metric_type: Option<MetricType>,
    /// The role (default goal).
    pub role: MetricRole,
    /// Its columns.
    pub source: MetricSource,
    /// Direction of improvement; `None` = higher is better, except for guardrails, whose harm is a rise
    /// (unsubscribes, complaints) unless `higherIsBetter: true`.
    pub higher_is_better: Option<bool>,
    /// A pre-experiment column for CUPED (means and proportions): each compared pair is adjusted with its own θ.
    pub covariate: Option<String>,
}

/// What the report needs to know of a metric (kept in the [`super::Summary`], so a summary a SQL engine made
/// can be analyzed too).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricInfo {
    /// The metric's name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub metric_type: MetricType,
    /// Its role.
    pub role: MetricRole,
    /// Direction of improvement, as given.
    pub higher_is_better: Option<bool>,
    /// Whether comparisons are CUPED-adjusted (the metric has a covariate; its cells carry the covariate sums).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cuped: bool,
}

impl MetricInfo {
    /// Whether a rise is the harmful direction (what a guardrail tests for).
    pub fn rise_is_harm(&self) -> bool {
        match self.role {
            MetricRole::Guardrail => self.higher_is_better != Some(true),
            _ => self.higher_is_better == Some(false),
        }
    }
}

/// A metric checked against the dataset: type known, columns as indices.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedMetric {
    /// The metric's name.
    pub name: String,
    /// Its type (given or inferred).
    pub metric_type: MetricType,
    /// Its role.
    pub role: MetricRole,
    /// Value column (the numerator for ratios).
    pub column: usize,
    /// Denominator column, for ratios only.
    pub denominator: Option<usize>,
    /// Direction of improvement, as given.
    pub higher_is_better: Option<bool>,
    /// CUPED covariate column.
    pub covariate: Option<usize>,
}

impl ResolvedMetric {
    /// The metric without its column indices.
    pub fn info(&self) -> MetricInfo {
        MetricInfo {
            name: self.name.clone(),
            metric_type: self.metric_type,
            role: self.role,
            higher_is_better: self.higher_is_better,
            cuped: self.covariate.is_some(),
        }
    }
}

/// Ordered `name → metric`, the JS object's key order kept.
pub struct Metrics(pub Vec<MetricSpec>);

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Metrics;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an object { name: 'Column' | { column, type, role } | { type: 'ratio', numerator, denominator } }",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Metrics, A::Error> {
                let mut out: Vec<MetricSpec> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let in_metric = |e: String| de::Error::custom(nested("in_metric", &[&name, &e]));
                    let body = map.next_value::<MetricBody>().map_err(|e| in_metric(e.to_string()))?;
                    let spec = body.into_spec(&name).map_err(in_metric)?;
                    out.push(spec);
                }
                Ok(Metrics(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The raw value of one metric entry, before its keys are checked against each other.
#[derive(Default)]
struct MetricBody {
    column: Option<String>,
    metric_type: Option<MetricType>,
    role: Option<MetricRole>,
    numerator: Option<String>,
    denominator: Option<String>,
    higher_is_better: Option<bool>,
    covariate: Option<String>,
}

impl MetricBody {
    fn into_spec(self, name: &str) -> std::result::Result<MetricSpec, String> {
        if name.trim().is_empty() {
            return Err(nested("metric_name_empty", &[]));
        }
        let role = self.role.unwrap_or_default();
        let ratio_keys = self.numerator.is_some() || self.denominator.is_some();
        let source = match (self.metric_type, self.column, self.numerator, self.denominator) {
            (Some(MetricType::Ratio), None, Some(numerator), Some(denominator)) => {
                MetricSource::Ratio { numerator, denominator }
            }
            (Some(MetricType::Ratio), _, _, _) => return Err(nested("ratio_shape", &[])),
            (_, Some(column), None, None) => MetricSource::Column(column),
            (_, _, _, _) if ratio_keys => return Err(nested("ratio_keys_need_type", &[])),
            _ => return Err(nested("metric_needs_column", &[])),
        };
        if self.covariate.is_some() && matches!(self.metric_type, Some(MetricType::Ratio | MetricType::Nps)) {
            return Err(nested("covariate_applies", &[]));
        }
        Ok(MetricSpec {
            name: name.to_string(),
            metric_type: self.metric_type,
            role,
            source,
            higher_is_better: self.higher_is_better,
            covariate: self.covariate,
        })
    }
}

impl<'de> Deserialize<'de> for MetricBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MetricBody;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a column name or { column, type, role }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<MetricBody, E> {
                Ok(MetricBody { column: Some(v.to_string()), ..Default::default() })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<MetricBody, A::Error> {
                let mut b = MetricBody::default();
                while let Some(key) = map.next_key::<String>()? {
                    let tagged = |e: A::Error| de::Error::custom(format!("`{key}`: {e}"));
                    match key.as_str() {
                        "column" => b.column = map.next_value().map_err(tagged)?,
                        "type" => b.metric_type = next_named(&mut map, &key, "unknown_metric_type")?,
                        "role" => b.role = next_named(&mut map, &key, "unknown_metric_role")?,
                        "numerator" => b.numerator = map.next_value().map_err(tagged)?,
                        "denominator" => b.denominator = map.next_value().map_err(tagged)?,
                        "higherIsBetter" => b.higher_is_better = map.next_value().map_err(tagged)?,
                        "covariate" => b.covariate = map.next_value().map_err(tagged)?,
                        other => {
                            let hint = match closest_name(other, METRIC_KEYS.iter().copied()) {
                                Some(close) => nested("unknown_metric_key_suggest", &[other, close]),
                                None => nested("unknown_metric_key_list", &[other, &METRIC_KEYS.join(", ")]),
                            };
                            return Err(de::Error::custom(hint));
                        }
                    }
                }
                Ok(b)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for MetricSpec {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match &self.source {
            MetricSource::Column(c) => m.serialize_entry("column", c)?,
            MetricSource::Ratio { numerator, denominator } => {
                m.serialize_entry("numerator", numerator)?;
                m.serialize_entry("denominator", denominator)?;
            }
        }
        if let Some(t) = self.metric_type {
            m.serialize_entry("type", &t)?;
        }
        m.serialize_entry("role", &self.role)?;
        if let Some(h) = self.higher_is_better {
            m.serialize_entry("higherIsBetter", &h)?;
        }
        if let Some(c) = &self.covariate {
            m.serialize_entry("covariate", c)?;
        }
        m.end()
    }
}

/// Echo of `metrics` in the report's options, in the given order.
pub struct OrderedMetrics<'a>(pub &'a [MetricSpec]);

impl Serialize for OrderedMetrics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for spec in self.0 {
            map.serialize_entry(&spec.name, spec)?;
        }
        map.end()
    }
}

/// Check every metric against the dataset: its columns exist (else `UNKNOWN_COLUMN` with a suggestion, naming the
/// metric), their types fit the metric type, and an untyped metric gets its type from the column.
pub fn resolve_metrics(dataset: &Dataset, specs: &[MetricSpec]) -> Result<Vec<ResolvedMetric>> {
    specs.iter().map(|spec| resolve(dataset, spec)).collect()
}

fn resolve(dataset: &Dataset, spec: &MetricSpec) -> Result<ResolvedMetric> {
    let index = |column: &str| dataset.column_index(column).map_err(|e| in_context(e, "in_metric", &[&spec.name]));
    match &spec.source {
        MetricSource::Ratio { numerator, denominator } => {
            let (num, den) = (index(numerator)?, index(denominator)?);
            for (c, name) in [(num, numerator), (den, denominator)] {
                check_type(dataset, spec, c, name, MetricType::Ratio)?;
            }
            Ok(resolved(spec, MetricType::Ratio, num, Some(den)))
        }
        MetricSource::Column(column) => {
            let c = index(column)?;
            let metric_type = match spec.metric_type {
                Some(t) => t,
                None => match value_kind(dataset.data_type(c)) {
                    Some(ValueKind::Boolean | ValueKind::Text) => MetricType::Proportion,
                    Some(ValueKind::Numeric) if all_zero_one(dataset, c) => MetricType::Proportion,
                    _ => MetricType::Mean,
                },
            };
            check_type(dataset, spec, c, column, metric_type)?;
            let mut metric = resolved(spec, metric_type, c, None);
            if let Some(cov) = &spec.covariate {
                let i = index(cov)?;
                super::accumulate::check_metric_type("covariate", cov, dataset.data_type(i))
                    .map_err(|e| in_context(e, "in_metric", &[&spec.name]))?;
                metric.covariate = Some(i);
            }
            Ok(metric)
        }
    }
}

fn resolved(spec: &MetricSpec, metric_type: MetricType, column: usize, denominator: Option<usize>) -> ResolvedMetric {
    ResolvedMetric {
        name: spec.name.clone(),
        metric_type,
        role: spec.role,
        column,
        denominator,
        higher_is_better: spec.higher_is_better,
        covariate: None,
    }
}

fn check_type(dataset: &Dataset, spec: &MetricSpec, c: usize, column: &str, metric_type: MetricType) -> Result<()> {
    let data_type = dataset.data_type(c);
    let kind = value_kind(data_type);
    let (ok, want) = match metric_type {
        MetricType::Proportion => {
            (matches!(kind, Some(ValueKind::Boolean | ValueKind::Numeric | ValueKind::Text)), "want_proportion")
        }
        MetricType::Ratio => (matches!(kind, Some(ValueKind::Boolean | ValueKind::Numeric)), "want_ratio"),
        MetricType::Mean | MetricType::Nps => (matches!(kind, Some(ValueKind::Numeric)), "want_numeric"),
    };
    if ok {
        return Ok(());
    }
    let message = Message::new(
        "metric_type_mismatch",
        [
            spec.name.clone(),
            column.to_string(),
            type_name(data_type),
            metric_type.name().to_string(),
            nested(want, &[]),
        ],
    );
    Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column))
}

/// Whether every non-null value of numeric column `c` is 0 or 1 (so an untyped metric on it is a proportion).
fn all_zero_one(dataset: &Dataset, c: usize) -> bool {
    super::accumulate::numeric_values_all(dataset, c, |x| x == 0.0 || x == 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> std::result::Result<Vec<MetricSpec>, String> {
        let english = |e: serde_json::Error| crate::messages::expand(&e.to_string(), crate::messages::Lang::En);
        serde_json::from_str::<Metrics>(json).map(|m| m.0).map_err(english)
    }

    #[test]
    fn parses_the_three_forms_in_order() {
        let m = parse(
            r#"{"opened": "Opened", "revenue": {"column": "Revenue", "type": "mean"},
                "cto": {"type": "ratio", "numerator": "Clicked", "denominator": "Opened"},
                "unsub": {"column": "Unsubscribed", "role": "guardrail"}}"#,
        )
        .unwrap();
        let names: Vec<&str> = m.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["opened", "revenue", "cto", "unsub"]);
        assert_eq!(m[0].source, MetricSource::Column("Opened".into()));
        assert_eq!(m[0].metric_type, None);
        assert_eq!(m[1].metric_type, Some(MetricType::Mean));
        assert_eq!(m[2].source, MetricSource::Ratio { numerator: "Clicked".into(), denominator: "Opened".into() });
        assert_eq!(m[3].role, MetricRole::Guardrail);
        assert_eq!(m[0].role, MetricRole::Goal);
    }

    #[test]
    fn refuses_bad_entries_with_the_metric_named() {
        let e = parse(r#"{"rev": {"colum": "Revenue"}}"#).unwrap_err();
        assert!(e.contains("metric `rev`") && e.contains("did you mean `column`?"), "{e}");
        let e = parse(r#"{"cto": {"type": "ratio", "numerator": "Clicked"}}"#).unwrap_err();
        assert!(e.contains("denominator"), "{e}");
        let e = parse(r#"{"x": {"numerator": "a", "denominator": "b"}}"#).unwrap_err();
        assert!(e.contains("type: 'ratio'"), "{e}");
        let e = parse(r#"{"x": {"column": "a", "type": "median"}}"#).unwrap_err();
        assert!(e.contains("`type`") && e.contains("median"), "{e}");
        let e = parse(r#"{"x": {"column": "a", "role": "primary"}}"#).unwrap_err();
        assert!(e.contains("`role`") && e.contains("primary"), "{e}");
        let e = parse(r#"{"x": {"type": "mean"}}"#).unwrap_err();
        assert!(e.contains("needs `column`"), "{e}");
    }

    fn dataset() -> Dataset {
        use arrow_array::{BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray};
        use arrow_schema::{DataType, Field, Schema};
        use std::sync::Arc;
        let schema = Arc::new(Schema::new(vec![
            Field::new("Opened", DataType::Boolean, true),
            Field::new("Clicked", DataType::Int32, true),
            Field::new("Revenue", DataType::Float64, true),
            Field::new("Answer", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
                Arc::new(Int32Array::from(vec![Some(1), None, Some(0)])),
                Arc::new(Float64Array::from(vec![1.0, 0.0, 2.5])),
                Arc::new(StringArray::from(vec!["yes", "no", "yes"])),
            ],
        )
        .unwrap();
        Dataset::from_batches(schema, vec![batch]).unwrap()
    }

    #[test]
    fn infers_types_and_checks_columns() {
        let ds = dataset();
        let specs = parse(
            r#"{"o": "Opened", "c": "Clicked", "r": "Revenue", "a": "Answer",
                "cto": {"type": "ratio", "numerator": "Clicked", "denominator": "Opened"}}"#,
        )
        .unwrap();
        let types: Vec<MetricType> = resolve_metrics(&ds, &specs).unwrap().iter().map(|m| m.metric_type).collect();
        use MetricType::*;
        assert_eq!(types, [Proportion, Proportion, Mean, Proportion, Ratio]);

        let e = resolve_metrics(&ds, &parse(r#"{"r": "Revenu"}"#).unwrap()).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownColumn);
        assert!(e.message.contains("metric `r`") && e.message.contains("Revenue"), "{}", e.message);
        let e = resolve_metrics(&ds, &parse(r#"{"s": {"column": "Answer", "type": "nps"}}"#).unwrap()).unwrap_err();
        assert_eq!(e.code, ErrorCode::TypeMismatch);
        assert!(e.message.contains("a nps metric needs a numeric column"), "{}", e.message);
    }
}
