//! The sufficient-statistics table: per segment × variant counts and sums, everything the report needs.
//!
//! It is computed by [`crate::metrics::summarize`] in one pass over a [`crate::ingest::Dataset`], but can as
//! well come from a SQL engine (see `docs/analysis.md` for the DuckDB query) and be analyzed with
//! [`crate::metrics::analyze_summary`]. Summaries of disjoint row sets merge by adding counts and sums
//! ([`Summary::merge`]).
//!
//! Per cell (`y` = revenue, `x` = covariate, over rows whose revenue is not null, a null `x` counting as 0):
//!
//! | field | SQL |
//! |---|---|
//! | `n` | `COUNT(*)` |
//! | `conversions` | `SUM(conv::INT)` |
//! | `conversionNulls` | `COUNT(*) − COUNT(conv)` |
//! | `revenueSum`, `revenueSumSquares` | `SUM(y)`, `SUM(y*y)` |
//! | `revenueNulls` | `COUNT(*) − COUNT(y)` |
//! | `covariateSum`, `covariateSumSquares`, `revenueCovariateSum` | `SUM(COALESCE(x,0)) FILTER (WHERE y IS NOT NULL)`, … of `x*x`, … of `y*x` |
//! | `covariateNulls` | `COUNT(*) FILTER (WHERE y IS NOT NULL AND x IS NULL)` |

use super::metric_accumulate::MetricCell;
use super::metric_spec::MetricInfo;
use super::options::ALL_CUSTOMERS;
use crate::messages::{group_labels, Labels, Lang};
use crate::segments::builtin::BuiltinSegment;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Sufficient statistics of one segment × variant cell.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CellSummary {
    /// Rows (units) in the cell.
    pub n: u64,
    /// Rows whose conversion is true / 1.
    pub conversions: u64,
    /// Rows whose conversion is null (left out of the conversion test).
    pub conversion_nulls: u64,
    /// Σ revenue over non-null revenue rows.
    pub revenue_sum: f64,
    /// Σ revenue².
    pub revenue_sum_squares: f64,
    /// Rows whose revenue is null (left out of the revenue test).
    pub revenue_nulls: u64,
    /// Σ covariate over non-null revenue rows (null covariate = 0).
    pub covariate_sum: f64,
    /// Σ covariate².
    pub covariate_sum_squares: f64,
    /// Σ revenue·covariate.
    pub revenue_covariate_sum: f64,
    /// Non-null-revenue rows whose covariate is null (counted as 0).
    pub covariate_nulls: u64,
}

impl CellSummary {
    /// Units in the conversion test: `n − conversionNulls`.
    pub fn conversion_trials(&self) -> u64 {
        self.n.saturating_sub(self.conversion_nulls)
    }

    /// Units in the revenue test: `n − revenueNulls`.
    pub fn revenue_n(&self) -> u64 {
        self.n.saturating_sub(self.revenue_nulls)
    }

    /// Add another cell's counts and sums.
    pub fn add(&mut self, o: &CellSummary) {
        self.n += o.n;
        self.conversions += o.conversions;
        self.conversion_nulls += o.conversion_nulls;
        self.revenue_sum += o.revenue_sum;
        self.revenue_sum_squares += o.revenue_sum_squares;
        self.revenue_nulls += o.revenue_nulls;
        self.covariate_sum += o.covariate_sum;
        self.covariate_sum_squares += o.covariate_sum_squares;
        self.revenue_covariate_sum += o.revenue_covariate_sum;
        self.covariate_nulls += o.covariate_nulls;
    }
}

/// One segment's cells.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SegmentSummary {
    /// Display name.
    pub name: String,
    /// Canonical rule text for rule segments; `null` for "All customers" and built-ins.
    pub rule: Option<String>,
    /// `'all' | 'rule' | 'builtin'`.
    pub kind: String,
    /// Equivalent SQL condition or query, when there is one.
    pub sql: Option<String>,
    /// For built-in groups: what the group is.
    pub description: Option<String>,
    /// A built-in group's (or `All customers`') name in each language, made where the name is made; `null` for
    /// rule segments, whose name is the user's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
    /// For built-in groups: `description` in each language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptions: Option<Labels>,
    /// Member rows (with or without a variant).
    pub size: u64,
    /// Members whose variant is null.
    pub unassigned: u64,
    /// One cell per variant, in [`Summary::variants`] order.
    pub cells: Vec<CellSummary>,
    /// Per variant (in [`Summary::variants`] order), one cell per named metric (in `metrics` order); empty
    /// without named metrics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metric_cells: Vec<Vec<MetricCell>>,
}

impl SegmentSummary {
    /// The `All customers` segment (no cells yet).
    pub fn all_customers() -> SegmentSummary {
        SegmentSummary {
            name: ALL_CUSTOMERS.into(),
            kind: "all".into(),
            labels: group_labels(ALL_CUSTOMERS),
            ..Default::default()
        }
    }

    /// The built-in `group` of the segmentation the options call `key`: named `<key>: <group>`, the key kept as
    /// the user wrote it in every language (no cells yet).
    pub fn builtin_group(key: &str, group: &BuiltinSegment) -> SegmentSummary {
        SegmentSummary {
            name: format!("{key}: {}", group.name),
            kind: "builtin".into(),
            sql: group.sql.clone(),
            description: Some(group.description.render(Lang::En)),
            labels: group_labels(&group.name).map(|l| l.prefixed(key)),
            descriptions: Some(Labels::of(&group.description)),
            ..Default::default()
        }
    }

    /// The labels: those the summary carries, else the ones [`SegmentSummary::all_customers`] and
    /// [`SegmentSummary::builtin_group`] give the same name, so a summary written by hand (or by an older
    /// version) is labelled as the engine's own. `None` for rule segments, whose name is the user's own.
    pub fn labels_or_default(&self) -> Option<Labels> {
        if self.labels.is_some() {
            return self.labels.clone();
        }
        match self.kind.as_str() {
            "all" => group_labels(&self.name),
            "builtin" => match self.name.rsplit_once(": ") {
                Some((key, group)) => group_labels(group).map(|l| l.prefixed(key)),
                None => group_labels(&self.name),
            },
            _ => None,
        }
    }
}

/// The table of all segments × variants, plus what the metrics were read from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Summary {
    /// Variant keys in sorted order (text by bytes, integers numerically).
    pub variants: Vec<String>,
    /// Segments in report order.
    pub segments: Vec<SegmentSummary>,
    /// Rows in the data.
    pub rows: u64,
    /// Rows whose variant is null.
    pub unassigned: u64,
    /// Whether a conversion metric was read.
    pub has_conversion: bool,
    /// Whether a revenue metric was read.
    pub has_revenue: bool,
    /// Whether a covariate was read (CUPED).
    pub has_covariate: bool,
    /// Rows that belong to more than one of the user's segments ("All customers" excluded), when known.
    pub overlapping_rows: Option<u64>,
    /// The named metrics read, in the order of each segment's `metricCells`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricInfo>,
}

impl Summary {
    /// Combine the summaries of two disjoint row sets (e.g. two data partitions, or old rows and appended ones):
    /// counts and sums are added, cell by cell, matching segments by name and variants by key (a variant missing
    /// on one side counts as empty there). Both must have the same segments and metrics.
    pub fn merge(&self, other: &Summary) -> Result<Summary> {
        if self.segments.len() != other.segments.len()
            || self.segments.iter().zip(&other.segments).any(|(a, b)| a.name != b.name)
        {
            return Err(Error::invalid_argument(
                "summary",
                "the summaries have different segments; merge only summaries of the same analysis",
            ));
        }
        if (self.has_conversion, self.has_revenue, self.has_covariate)
            != (other.has_conversion, other.has_revenue, other.has_covariate)
        {
            return Err(Error::invalid_argument("summary", "the summaries have different metrics"));
        }
        if self.metrics != other.metrics {
            return Err(Error::invalid_argument("summary", "the summaries have different named metrics"));
        }
        let mut variants: Vec<String> = self.variants.clone();
        for v in &other.variants {
            if !variants.contains(v) {
                variants.push(v.clone());
            }
        }
        variants.sort_by(|a, b| variant_order(a, b));
        let pick = |s: &SegmentSummary, keys: &[String], v: &str| -> CellSummary {
            keys.iter().position(|k| k == v).and_then(|i| s.cells.get(i)).copied().unwrap_or_default()
        };
        let segments = self
            .segments
            .iter()
            .zip(&other.segments)
            .map(|(a, b)| {
                let cells = variants
                    .iter()
                    .map(|v| {
                        let mut c = pick(a, &self.variants, v);
                        c.add(&pick(b, &other.variants, v));
                        c
                    })
                    .collect();
                let metric_cells = variants
                    .iter()
                    .filter(|_| !self.metrics.is_empty())
                    .map(|v| {
                        let side = |s: &SegmentSummary, keys: &[String]| {
                            keys.iter().position(|k| k == v).and_then(|i| s.metric_cells.get(i)).cloned()
                        };
                        let empty = vec![MetricCell::default(); self.metrics.len()];
                        let mut c = side(a, &self.variants).unwrap_or_else(|| empty.clone());
                        c.resize(self.metrics.len(), MetricCell::default());
                        for (x, y) in c.iter_mut().zip(side(b, &other.variants).unwrap_or(empty)) {
                            x.add(&y);
                        }
                        c
                    })
                    .collect();
                SegmentSummary {
                    size: a.size + b.size,
                    unassigned: a.unassigned + b.unassigned,
                    cells,
                    metric_cells,
                    ..a.clone()
                }
            })
            .collect();
        Ok(Summary {
            variants,
            segments,
            rows: self.rows + other.rows,
            unassigned: self.unassigned + other.unassigned,
            overlapping_rows: match (self.overlapping_rows, other.overlapping_rows) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            },
            ..self.clone()
        })
    }
}

/// Sorted order of variant labels: integers (all-digit labels) numerically, otherwise by bytes. Matches the order
/// [`crate::metrics::summarize`] produces for any one column type.
pub fn variant_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Message;

    /// A built-in group's labels come from the group where its name is made: the options' key stays as written,
    /// the group is translated; `All customers` is translated whole.
    #[test]
    fn builtin_groups_keep_the_key_and_translate_the_group() {
        let group = |name: &str| BuiltinSegment {
            name: name.into(),
            description: Message::plain("desc_prospect"),
            sql: None,
            condition: None,
            members: crate::segments::Bitmap::ones(0),
        };
        let s = SegmentSummary::builtin_group("Lifecycle", &group("Loyal"));
        assert_eq!(s.name, "Lifecycle: Loyal");
        let l = s.labels.unwrap();
        assert_eq!((l.en.as_str(), l.fi.as_str()), ("Lifecycle: Loyal", "Lifecycle: Uskollinen"));
        let l = SegmentSummary::builtin_group("k: m", &group("Cluster 2")).labels.unwrap();
        assert_eq!(l.fi, "k: m: Klusteri 2");
        assert_eq!(s.descriptions.unwrap().fi, "Asiakkaat, joilla ei vielä ole tilauksia.");
        assert_eq!(SegmentSummary::all_customers().labels.unwrap().fi, "Kaikki asiakkaat");
        assert_eq!(SegmentSummary::builtin_group("x", &group("Something else")).labels, None);
    }

    /// A summary without labels gets the engine's: the same texts as the groups it names would carry.
    #[test]
    fn summaries_without_labels_get_the_engines() {
        let bare =
            |name: &str, kind: &str| SegmentSummary { name: name.into(), kind: kind.into(), ..Default::default() };
        let labels = |s: SegmentSummary| s.labels_or_default().map(|l| (l.en, l.fi));
        let pair = |en: &str, fi: &str| Some((en.to_string(), fi.to_string()));
        assert_eq!(labels(bare("All customers", "all")), pair("All customers", "Kaikki asiakkaat"));
        assert_eq!(
            labels(bare("rfm: Can't Lose Them", "builtin")),
            pair("rfm: Can't Lose Them", "rfm: Ei saa menettää")
        );
        assert_eq!(labels(bare("k: m: Cluster 2", "builtin")), pair("k: m: Cluster 2", "k: m: Klusteri 2"));
        assert_eq!(labels(bare("Hibernating", "builtin")), pair("Hibernating", "Horroksessa"));
        // A rule segment named like a group is the user's own name.
        assert_eq!(labels(bare("Champions", "rule")), None);
        assert_eq!(labels(bare("x: Something else", "builtin")), None);
        // Labels the summary carries win.
        let own = Labels { en: "A".into(), fi: "B".into() };
        assert_eq!(labels(SegmentSummary { labels: Some(own), ..bare("All customers", "all") }), pair("A", "B"));
    }
}
