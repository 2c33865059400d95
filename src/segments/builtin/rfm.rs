//! RFM: recency, frequency and monetary quintile scores and the named RFM groups.
//!
//! # Who is scored
//!
//! One row is one customer. With `F` = frequency, `R` = recency, `M` = monetary:
//!
//! - **Prospects**: `F ≤ 0` (no orders). They are not ranked.
//! - **Scored**: `F > 0` and `R`, `M` not null. Only these rows are ranked, all three scores over the same rows.
//! - **Unscored**: the rest — `F` null, or `F > 0` with `R` or `M` null. Their scores are absent and they form the
//!   `Unscored` segment (emitted only when not empty). NaN and ±∞ floats count as null.
//!
//! # Scores
//!
//! Each score is `NTILE(5)` over the scored rows (see [`super::ntile`]), exactly as this DuckDB query computes it
//! (`id` being the `id` option; without it, ties are broken by row order, which SQL cannot express):
//!
//! ```sql
//! NTILE(5) OVER (ORDER BY "last_order_days" DESC, "customer_id" ASC NULLS LAST) AS r_score,
//! NTILE(5) OVER (ORDER BY "orders_count"    ASC,  "customer_id" ASC NULLS LAST) AS f_score,
//! NTILE(5) OVER (ORDER BY "total_spent"     ASC,  "customer_id" ASC NULLS LAST) AS m_score
//! ```
//!
//! so 5 is the best score everywhere: the most recent (fewest days since the last order), the most orders, the
//! most spent. Bucket sizes differ by at most one and the larger buckets come first — for recency that means the
//! lower R scores. Equal values are split between buckets by id (then row) order, as in SQL, so every bucket has
//! its NTILE size even with heavy ties. With fewer than 5 scored customers only scores `1..=N` occur.
//! When `recency` is a date or timestamp column (the date of the last order), recency is
//! `referenceDate − date` in days and the R order is `ORDER BY date ASC, id` (oldest first, identical to
//! descending recency).
//!
//! # Named groups
//!
//! `FM = (F + M + 1) div 2` (the mean of F and M, halves rounded up), then the R × FM grid of
//! [`RFM_SEGMENTS`] — the common 11-segment RFM map — assigns every (R, FM) cell to exactly one group.

use crate::cancel::{checkpoint, Phase};
use serde::{Deserialize, Serialize};

use super::condition::{and, condition, count, or, Col};
use super::ntile::{id_ranks, ntile_bucket, sql_order, Direction};
use super::values::{read_id, read_numeric, NumericColumn};
use super::BuiltinSegment;
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::Dataset;
use crate::messages::{nested, Message};
use crate::segments::calendar::{format_days, parse_reference_date};
use crate::segments::lexer::CmpOp;
use crate::segments::sql::Dialect;
use crate::segments::Bitmap;

/// Options of [`rfm`]. Deserializes from camelCase JSON; every field has a default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RfmOptions {
    /// Days since the last order (smaller = more recent), or a date/timestamp column holding the date of the last
    /// order. Default `last_order_days`.
    pub recency: String,
    /// Number of orders; `0` marks a prospect. Default `orders_count`.
    pub frequency: String,
    /// Money spent. Default `total_spent`.
    pub monetary: String,
    /// Tie-break column for the NTILE order (any type; ascending, nulls last). Default none: row order.
    pub id: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM:SSZ`) the recency is measured from when `recency` is a date column.
    /// Default: the latest date in that column. Ignored (but validated) for a days column.
    pub reference_date: Option<String>,
    /// Table name used in the generated SQL. Default `customers`.
    pub table: String,
    /// The language of errors (`'fi'`, …): read by the wasm facade before parsing; unused here.
    pub lang: Option<String>,
}

impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions {
            recency: "last_order_days".into(),
            frequency: "orders_count".into(),
            monetary: "total_spent".into(),
            id: None,
            reference_date: None,
            table: "customers".into(),
            lang: None,
        }
    }
}

/// One cell range of the named RFM map: R in `r.0..=r.1` and FM in `fm.0..=fm.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmSegmentRule {
    /// Segment name.
    pub name: &'static str,
    /// Who they are: the key of the description in [`crate::messages::CATALOGUE`].
    pub description: &'static str,
    /// Inclusive R score range.
    pub r: (u8, u8),
    /// Inclusive FM score range.
    pub fm: (u8, u8),
}

/// The named RFM map over R (1–5) × FM (1–5), `FM = (F + M + 1) div 2`. The ranges partition the 25 cells:
///
/// ```text
///  FM \ R |  1                2                3                4                    5
///  -------+---------------------------------------------------------------------------------------------
///    5    | Can't Lose Them  Can't Lose Them  Loyal Customers  Loyal Customers      Champions
///    4    | At Risk          At Risk          Loyal Customers  Loyal Customers      Champions
///    3    | At Risk          At Risk          Need Attention   Potential Loyalists  Potential Loyalists
///    2    | Lost             Hibernating      About to Sleep   Potential Loyalists  Potential Loyalists
///    1    | Lost             Hibernating      About to Sleep   Promising            New Customers
/// ```
pub const RFM_SEGMENTS: [RfmSegmentRule; 11] = [
    RfmSegmentRule { name: "Champions", description: "desc_champions", r: (5, 5), fm: (4, 5) },
    RfmSegmentRule { name: "Loyal Customers", description: "desc_loyal_customers", r: (3, 4), fm: (4, 5) },
    RfmSegmentRule { name: "Potential Loyalists", description: "desc_potential_loyalists", r: (4, 5), fm: (2, 3) },
    RfmSegmentRule { name: "New Customers", description: "desc_new_customers", r: (5, 5), fm: (1, 1) },
    RfmSegmentRule { name: "Promising", description: "desc_promising", r: (4, 4), fm: (1, 1) },
    RfmSegmentRule { name: "Need Attention", description: "desc_need_attention", r: (3, 3), fm: (3, 3) },
    RfmSegmentRule { name: "About to Sleep", description: "desc_about_to_sleep", r: (3, 3), fm: (1, 2) },
    RfmSegmentRule { name: "At Risk", description: "desc_at_risk", r: (1, 2), fm: (3, 4) },
    RfmSegmentRule { name: "Can't Lose Them", description: "desc_cant_lose_them", r: (1, 2), fm: (5, 5) },
    RfmSegmentRule { name: "Hibernating", description: "desc_hibernating", r: (2, 2), fm: (1, 2) },
    RfmSegmentRule { name: "Lost", description: "desc_lost", r: (1, 1), fm: (1, 2) },
];

/// Names of the segments [`rfm`] returns, in order: the 11 groups of [`RFM_SEGMENTS`], then `Prospects`, then
/// `Unscored` (present only when some customer is unscored).
pub const RFM_SEGMENT_NAMES: [&str; 13] = [
    "Champions",
    "Loyal Customers",
    "Potential Loyalists",
    "New Customers",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
    "Prospects",
    "Unscored",
];

const PROSPECTS: usize = 11;
const UNSCORED: usize = 12;

/// The FM score: the mean of F and M, halves rounded up.
pub fn fm_score(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

/// Index into [`RFM_SEGMENTS`] of the group of scores `(r, f, m)`, each `1..=5`.
pub fn rfm_segment_index(r: u8, f: u8, m: u8) -> usize {
    let fm = fm_score(f, m);
    RFM_SEGMENTS
        .iter()
        .position(|s| (s.r.0..=s.r.1).contains(&r) && (s.fm.0..=s.fm.1).contains(&fm))
        .unwrap_or(RFM_SEGMENTS.len() - 1) // unreachable for scores in 1..=5 (the map is a partition; tested)
}

/// Per-row scores, for export. `0` means "no score" (prospects and unscored customers).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmScores {
    /// R score per row, `1..=5` (5 = most recent), or 0.
    pub recency: Vec<u8>,
    /// F score per row, `1..=5` (5 = most orders), or 0.
    pub frequency: Vec<u8>,
    /// M score per row, `1..=5` (5 = most spent), or 0.
    pub monetary: Vec<u8>,
    /// Index into [`RfmResult::segments`] of the row's segment (every row is in exactly one).
    pub segment: Vec<u8>,
}

/// The values one score bucket covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRange {
    /// The score, `1..=5`.
    pub score: u8,
    /// Customers with that score.
    pub count: usize,
    /// Smallest value in the bucket (for recency: days since the last order).
    pub min: f64,
    /// Largest value in the bucket.
    pub max: f64,
}

/// Per score, the value ranges of its buckets (score 1 first; buckets with no customers left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmQuintiles {
    /// Recency in days since the last order.
    pub recency: Vec<ScoreRange>,
    /// Orders.
    pub frequency: Vec<ScoreRange>,
    /// Money spent.
    pub monetary: Vec<ScoreRange>,
}

/// What [`rfm`] returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmResult {
    /// The 11 named groups in [`RFM_SEGMENTS`] order (always, even when empty), `Prospects`, and `Unscored` when
    /// some customer is unscored. Together they partition the rows.
    pub segments: Vec<BuiltinSegment>,
    /// Per-row scores.
    pub scores: RfmScores,
    /// Customers ranked (orders > 0 and no null value).
    pub scored: usize,
    /// Customers with no orders.
    pub prospects: usize,
    /// Customers with a null value (or null frequency).
    pub unscored: usize,
    /// Value range of each score bucket.
    pub quintiles: RfmQuintiles,
    /// The date recency was measured from (`YYYY-MM-DD`), when `recency` is a date/timestamp column.
    pub reference_date: Option<String>,
    /// DuckDB query computing `r_score`, `f_score`, `m_score`, `fm_score` and `segment` for every scored customer.
    pub sql: String,
}

/// Score customers by recency, frequency and monetary value and put them into the named RFM groups.
/// See the [module docs](self) for the exact rules.
pub fn rfm(dataset: &Dataset, options: &RfmOptions) -> Result<RfmResult> {
    for (option, value) in [
        ("recency", &options.recency),
        ("frequency", &options.frequency),
        ("monetary", &options.monetary),
        ("table", &options.table),
    ] {
        if value.trim().is_empty() {
            return Err(Error::invalid_argument(option, nested("option_column_empty", &[])));
        }
    }
    if options.id.as_deref().is_some_and(|id| id.trim().is_empty()) {
        return Err(Error::invalid_argument("id", nested("rfm_id_empty", &[])));
    }
    let recency = read_numeric(dataset, &options.recency, "recency", "purpose_days_last")?;
    let frequency = read_numeric(dataset, &options.frequency, "frequency", "purpose_orders")?;
    let monetary = read_numeric(dataset, &options.monetary, "monetary", "purpose_money")?;
    not_temporal(&frequency, "frequency", "purpose_orders")?;
    not_temporal(&monetary, "monetary", "purpose_money")?;
    let reference = match &options.reference_date {
        Some(text) => Some(parse_reference_date(text, "referenceDate")?),
        None => None,
    };
    let reference = if recency.is_temporal() { reference.or_else(|| recency.max()) } else { None };
    let n = dataset.num_rows();
    let id = options.id.as_deref().map(|name| read_id(dataset, name)).transpose()?;
    let ranks = id.map(|id| id_ranks(&id, n));
    let mut class = vec![UNSCORED as u8; n];
    let mut scored_rows = Vec::new();
    for (row, class) in class.iter_mut().enumerate() {
        crate::cancel::row_checkpoint(Phase::Segments, row, n)?;
        match (frequency.values[row], recency.values[row], monetary.values[row]) {
            (Some(f), _, _) if f <= 0.0 => *class = PROSPECTS as u8,
            (Some(_), Some(_), Some(_)) => scored_rows.push(row),
            _ => {}
        }
    }

    // Recency days per row (for ranges); the R order itself uses the raw column so dates compare exactly.
    let recency_days: Vec<Option<f64>> = match reference {
        Some(reference) => recency.values.iter().map(|v| v.map(|d| reference - d)).collect(),
        None => recency.values.clone(),
    };
    let r_direction = if recency.is_temporal() { Direction::Ascending } else { Direction::Descending };
    // A checkpoint after each score (each sorts the scored rows: the bulk of the work), then per 64 Ki rows.
    let (r_scores, r_ranges) = score(&scored_rows, &recency.values, r_direction, ranks.as_deref(), &recency_days, n);
    checkpoint(Phase::Segments, 1, 4)?;
    let (f_scores, f_ranges) =
        score(&scored_rows, &frequency.values, Direction::Ascending, ranks.as_deref(), &frequency.values, n);
    checkpoint(Phase::Segments, 2, 4)?;
    let (m_scores, m_ranges) =
        score(&scored_rows, &monetary.values, Direction::Ascending, ranks.as_deref(), &monetary.values, n);
    checkpoint(Phase::Segments, 3, 4)?;
    for &row in &scored_rows {
        class[row] = rfm_segment_index(r_scores[row], f_scores[row], m_scores[row]) as u8;
    }

    let mut bitmaps = vec![Bitmap::zeros(n); RFM_SEGMENT_NAMES.len()];
    for (row, &c) in class.iter().enumerate() {
        crate::cancel::row_checkpoint(Phase::Segments, row, n)?;
        bitmaps[usize::from(c)].set(row);
    }
    let unscored = bitmaps[UNSCORED].count();
    let sql = RfmSql::new(dataset, options, [&recency, &frequency, &monetary], reference)?;
    let mut segments = Vec::with_capacity(RFM_SEGMENT_NAMES.len());
    for (index, members) in bitmaps.into_iter().enumerate() {
        if index == UNSCORED && unscored == 0 {
            continue;
        }
        let (description, sql_text) = match index {
            PROSPECTS => (Message::new("desc_prospects", [Dialect::DuckDb.ident(&options.frequency)]), sql.prospects()),
            UNSCORED => (Message::plain("desc_rfm_unscored"), sql.unscored()),
            _ => (Message::plain(RFM_SEGMENTS[index].description), sql.segment(&RFM_SEGMENTS[index])),
        };
        segments.push(BuiltinSegment {
            name: RFM_SEGMENT_NAMES[index].to_string(),
            description,
            sql: Some(sql_text),
            condition: None,
            members,
        });
    }
    let prospects = class_count(&class, PROSPECTS);
    Ok(RfmResult {
        segments,
        scores: RfmScores { recency: r_scores, frequency: f_scores, monetary: m_scores, segment: class },
        scored: scored_rows.len(),
        prospects,
        unscored,
        quintiles: RfmQuintiles { recency: r_ranges, frequency: f_ranges, monetary: m_ranges },
        reference_date: reference.map(format_days),
        sql: sql.scores_query(),
    })
}

fn class_count(class: &[u8], index: usize) -> usize {
    class.iter().filter(|&&c| usize::from(c) == index).count()
}

/// `purpose`: the catalogue key of what the column must hold (see [`read_numeric`]).
fn not_temporal(column: &NumericColumn, option: &str, purpose: &str) -> Result<()> {
    if column.is_temporal() {
        let message = Message::new("holds_dates_number", [option, &column.name, &nested(purpose, &[])]);
        return Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column.name.as_str()));
    }
    Ok(())
}

/// NTILE(5) scores of `rows` ordered by `order_values` (then id, then row), and each bucket's range of
/// `range_values`.
fn score(
    rows: &[usize],
    order_values: &[Option<f64>],
    direction: Direction,
    id_ranks: Option<&[u32]>,
    range_values: &[Option<f64>],
    n: usize,
) -> (Vec<u8>, Vec<ScoreRange>) {
    let order = sql_order(rows, order_values, direction, id_ranks);
    let mut scores = vec![0u8; n];
    let mut ranges: Vec<ScoreRange> = Vec::new();
    for (position, &row) in order.iter().enumerate() {
        let bucket = ntile_bucket(position, order.len(), 5) as u8;
        scores[row] = bucket;
        let value = range_values[row].unwrap_or(f64::NAN);
        match ranges.iter_mut().find(|r| r.score == bucket) {
            Some(range) => {
                range.count += 1;
                range.min = range.min.min(value);
                range.max = range.max.max(value);
            }
            None => ranges.push(ScoreRange { score: bucket, count: 1, min: value, max: value }),
        }
    }
    ranges.sort_by_key(|r| r.score);
    (scores, ranges)
}

/// Builds the DuckDB SQL of the RFM segments.
struct RfmSql {
    table: String,
    select: String,
    scored_where: String,
    prospects_where: String,
    unscored_where: String,
    r_order: String,
    f_order: String,
    m_order: String,
    recency_comment: Option<String>,
}

impl RfmSql {
    fn new(
        dataset: &Dataset,
        options: &RfmOptions,
        columns: [&NumericColumn; 3],
        reference: Option<f64>,
    ) -> Result<Self> {
        let [recency, frequency, monetary] = columns;
        let (r, f, m) = (
            Dialect::DuckDb.ident(&recency.name),
            Dialect::DuckDb.ident(&frequency.name),
            Dialect::DuckDb.ident(&monetary.name),
        );
        // The row conditions through the rule SQL writer; the window query around them is DuckDB's.
        let (rc, fc, mc) =
            (Col::of(dataset, &recency.name)?, Col::of(dataset, &frequency.name)?, Col::of(dataset, &monetary.name)?);
        let where_sql = |expr| condition(dataset, expr).to_sql(Dialect::DuckDb);
        let scored = and(vec![fc.cmp(CmpOp::Gt, count(0)), rc.is_not_null(), mc.is_not_null()]);
        let unscored =
            or(vec![fc.is_null(), and(vec![fc.cmp(CmpOp::Gt, count(0)), or(vec![rc.is_null(), mc.is_null()])])]);
        let tie = options
            .id
            .as_deref()
            .map(|id| format!(", {} ASC NULLS LAST", Dialect::DuckDb.ident(id)))
            .unwrap_or_default();
        let r_order = if recency.is_temporal() { format!("{r} ASC{tie}") } else { format!("{r} DESC{tie}") };
        Ok(RfmSql {
            table: Dialect::DuckDb.ident(&options.table),
            select: options.id.as_deref().map(|id| Dialect::DuckDb.ident(id)).unwrap_or_else(|| "*".into()),
            scored_where: where_sql(scored),
            prospects_where: where_sql(fc.cmp(CmpOp::Le, count(0))),
            unscored_where: where_sql(unscored),
            r_order,
            f_order: format!("{f} ASC{tie}"),
            m_order: format!("{m} ASC{tie}"),
            recency_comment: reference.map(|reference| {
                format!("-- recency = DATE '{}' - {r}; oldest last order first = R score 1\n", format_days(reference))
            }),
        })
    }

    fn scored_cte(&self) -> String {
        format!(
            "WITH scored AS (\n  SELECT *,\n{}    NTILE(5) OVER (ORDER BY {}) AS r_score,\n    NTILE(5) OVER (ORDER BY \
             {}) AS f_score,\n    NTILE(5) OVER (ORDER BY {}) AS m_score\n  FROM {}\n  WHERE {}\n),\ngraded AS (\n  \
             SELECT *, (f_score + m_score + 1) // 2 AS fm_score FROM scored\n)\n",
            self.recency_comment.as_deref().map(|c| format!("    {c}")).unwrap_or_default(),
            self.r_order,
            self.f_order,
            self.m_order,
            self.table,
            self.scored_where
        )
    }

    fn segment(&self, rule: &RfmSegmentRule) -> String {
        format!("{}SELECT {} FROM graded WHERE {}", self.scored_cte(), self.select, cell_condition(rule))
    }

    fn prospects(&self) -> String {
        format!("SELECT {} FROM {} WHERE {}", self.select, self.table, self.prospects_where)
    }

    fn unscored(&self) -> String {
        format!("SELECT {} FROM {} WHERE {}", self.select, self.table, self.unscored_where)
    }

    fn scores_query(&self) -> String {
        let cases: Vec<String> = RFM_SEGMENTS
            .iter()
            .map(|rule| format!("    WHEN {} THEN {}", cell_condition(rule), Dialect::DuckDb.string(rule.name)))
            .collect();
        format!("{}SELECT *,\n  CASE\n{}\n  END AS segment\nFROM graded", self.scored_cte(), cases.join("\n"))
    }
}

fn range_condition(column: &str, (lo, hi): (u8, u8)) -> String {
    match (lo, hi) {
        (lo, hi) if lo == hi => format!("{column} = {lo}"),
        (1, hi) => format!("{column} <= {hi}"),
        (lo, 5) => format!("{column} >= {lo}"),
        (lo, hi) if hi - lo == 1 => format!("{column} IN ({lo}, {hi})"),
        (lo, hi) => format!("({column} BETWEEN {lo} AND {hi})"),
    }
}

fn cell_condition(rule: &RfmSegmentRule) -> String {
    format!("{} AND {}", range_condition("r_score", rule.r), range_condition("fm_score", rule.fm))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_map_partitions_the_grid() {
        for r in 1..=5u8 {
            for fm in 1..=5u8 {
                let matches = RFM_SEGMENTS
                    .iter()
                    .filter(|s| (s.r.0..=s.r.1).contains(&r) && (s.fm.0..=s.fm.1).contains(&fm))
                    .count();
                assert_eq!(matches, 1, "cell R={r} FM={fm}");
            }
        }
        for (i, rule) in RFM_SEGMENTS.iter().enumerate() {
            assert_eq!(rule.name, RFM_SEGMENT_NAMES[i]);
        }
    }

    #[test]
    fn named_map_spot_checks() {
        let name = |r, f, m| RFM_SEGMENTS[rfm_segment_index(r, f, m)].name;
        assert_eq!(name(5, 5, 5), "Champions");
        assert_eq!(name(5, 4, 3), "Champions"); // FM = 3.5 → 4
        assert_eq!(name(5, 1, 1), "New Customers");
        assert_eq!(name(5, 1, 2), "Potential Loyalists"); // FM = 1.5 → 2
        assert_eq!(name(4, 1, 1), "Promising");
        assert_eq!(name(3, 3, 3), "Need Attention");
        assert_eq!(name(3, 5, 4), "Loyal Customers");
        assert_eq!(name(3, 2, 1), "About to Sleep");
        assert_eq!(name(2, 5, 5), "Can't Lose Them");
        assert_eq!(name(1, 4, 3), "At Risk");
        assert_eq!(name(2, 1, 2), "Hibernating");
        assert_eq!(name(1, 1, 1), "Lost");
        assert_eq!(fm_score(4, 5), 5);
        assert_eq!(fm_score(1, 2), 2);
    }

    #[test]
    fn conditions_read_well() {
        assert_eq!(cell_condition(&RFM_SEGMENTS[0]), "r_score = 5 AND fm_score >= 4");
        assert_eq!(cell_condition(&RFM_SEGMENTS[1]), "r_score IN (3, 4) AND fm_score >= 4");
        assert_eq!(cell_condition(&RFM_SEGMENTS[10]), "r_score = 1 AND fm_score <= 2");
    }
}
