//! Built-in segmentations: RFM, lifecycle, clusters, predicted spend tiers.
//!
//! Each built-in reads a few columns of a [`Dataset`] (one row = one customer) and returns ordinary segments —
//! [`BuiltinSegment`]s with a row [`Bitmap`] — usable in the analysis like rule segments.
//!
//! - [`rfm()`]: recency / frequency / monetary quintile scores (`NTILE(5)` semantics) and the 11 named RFM groups plus
//!   `Prospects`.
//! - [`lifecycle()`]: prospect / new / occasional / loyal / lapsed by documented, configurable thresholds, each with
//!   an equivalent SQL `WHERE` clause.
//! - [`clusters()`]: k-means++ on standardized numeric columns, k chosen by silhouette when not given, with an explicit
//!   seed (the core has no entropy source; the wasm facade supplies one).
//! - [`spend_tier()`]: High / Medium / Low predicted value and Likely lost, from the CLV models.
//!
//! Nothing here panics on user input: bad options give `INVALID_ARGUMENT` naming the option, unknown columns the
//! dataset's `UNKNOWN_COLUMN` (with a suggestion), and non-numeric columns `TYPE_MISMATCH`.
//! `docs/builtin-segments.md` documents every rule and choice.

pub mod clusters;
mod condition;
pub mod lifecycle;
pub mod ntile;
pub mod rfm;
pub mod spend_tier;
pub mod values;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::sql::SqlCondition;
use super::Bitmap;
#[allow(unused_imports)] // for rustdoc links
use crate::ingest::Dataset;
use crate::messages::{Labels, Lang, Message};

pub use clusters::{clusters, ClusterInfo, ClusterOptions, ClusterResult, SilhouetteScore};
pub use lifecycle::{lifecycle, LifecycleOptions, LifecycleThresholds, LIFECYCLE_STAGES};
pub use rfm::{rfm, RfmOptions, RfmResult, RfmScores, RFM_SEGMENT_NAMES};
pub use spend_tier::{spend_tier, SpendTierOptions, SPEND_TIERS};

/// One segment produced by a built-in segmentation.
///
/// Serializes (camelCase) as `{ name, labels, description, descriptions, sql, size }` (`labels`, `descriptions`:
/// the name and the description in each language; `description` is the English one): the member bitmap is not
/// serialized, its member count is.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinSegment {
    /// Display name (`Champions`, `Loyal`, `Cluster 1`, …).
    pub name: String,
    /// One sentence saying who is in it and by which rule, catalogued so it can be shown in each language.
    pub description: Message,
    /// Equivalent SQL (DuckDB dialect) where the segment is expressible: a full query selecting the members for
    /// RFM, a `WHERE` condition in rule-language style for lifecycle, `None` for clusters.
    pub sql: Option<String>,
    /// The segment as a condition on one row, where it is one (lifecycle): what `sql` prints for DuckDB, and what
    /// scale-out prints for the other dialects. Not serialized.
    pub condition: Option<SqlCondition>,
    /// The member rows.
    pub members: Bitmap,
}

impl BuiltinSegment {
    /// Number of member rows.
    pub fn size(&self) -> usize {
        self.members.count()
    }
}

impl Serialize for BuiltinSegment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("BuiltinSegment", 6)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("labels", &crate::messages::group_labels(&self.name))?;
        s.serialize_field("description", &self.description.render(Lang::En))?;
        s.serialize_field("descriptions", &Labels::of(&self.description))?;
        s.serialize_field("sql", &self.sql)?;
        s.serialize_field("size", &self.size())?;
        s.end()
    }
}

/// A number as SQL text: integers without a fraction (`180`), others in shortest round-trip form (`0.5`).
pub(crate) fn sql_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_text_helpers() {
        assert_eq!(sql_number(180.0), "180");
        assert_eq!(sql_number(-2.0), "-2");
        assert_eq!(sql_number(0.5), "0.5");
    }

    #[test]
    fn segment_serializes_size_not_bitmap() {
        let segment = BuiltinSegment {
            name: "Loyal".into(),
            description: Message::plain("desc_prospect"),
            sql: None,
            condition: None,
            members: Bitmap::from_fn(10, |i| i % 2 == 0),
        };
        let json = serde_json::to_value(&segment).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "name": "Loyal",
                "labels": {"en": "Loyal", "fi": "Uskollinen"},
                "description": "Customers with no orders yet.",
                "descriptions": {"en": "Customers with no orders yet.", "fi": "Asiakkaat, joilla ei vielä ole tilauksia."},
                "sql": null,
                "size": 5
            })
        );
    }
}
