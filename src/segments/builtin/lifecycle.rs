//! Lifecycle stages: prospect, new, occasional, loyal, lapsed.
//!
//! With `F` = orders (frequency), `R` = days since the last order (recency), `T` = days since the first order
//! (tenure, optional) and the [`LifecycleThresholds`] (defaults: newMaxOrders 1, newMaxTenureDays 30,
//! loyalMinOrders 5, lapsedAfterDays 180), each customer is in the first stage
//! whose rule holds — the stages are mutually exclusive by construction:
//!
//! | precedence | stage | rule |
//! | --- | --- | --- |
//! | 1 | Prospect | `F ≤ 0` |
//! | 2 | Lapsed | `F > 0 AND R > lapsedAfterDays` |
//! | 3 | New | `F > 0 AND F ≤ newMaxOrders AND R ≤ lapsedAfterDays`, and, when `tenure` is set, `T ≤ newMaxTenureDays` |
//! | 4 | Loyal | `F ≥ loyalMinOrders AND R ≤ lapsedAfterDays` |
//! | 5 | Occasional | every other customer with orders and a known recency: `F > 0 AND F < loyalMinOrders AND R ≤ lapsedAfterDays AND (F > newMaxOrders OR T > newMaxTenureDays)` (the `T` alternative only when `tenure` is set) |
//!
//! Since `loyalMinOrders > newMaxOrders` is required, the rules as written are already disjoint, so each stage's
//! SQL condition (rule-language style, DuckDB dialect) selects exactly its members. Nulls follow SQL: a comparison
//! with null is not true. Customers no rule selects (null orders; orders but null recency; a would-be new customer
//! with a null tenure) form an extra `Unclassified` segment, returned only when not empty.
//!
//! Recency and tenure may be day counts or date/timestamp columns (the date of the last/first order). For a date
//! column `R = referenceDate − date` in days, and the conditions become date comparisons against a cutoff
//! (`R > 180` ⇔ `"last_order_date" < DATE '2024-01-02'` for a reference date of 2024-06-30). The reference date
//! defaults to the latest date in the recency column (or, if only tenure is a date column, in the tenure column).

use serde::Deserialize;

use super::condition::{and, condition, count, day_point, number, or, Col};
use super::values::{read_numeric, NumericColumn};
use super::{sql_number, BuiltinSegment};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::Dataset;
use crate::messages::{nested, Message};
use crate::segments::calendar::{format_days, parse_reference_date};
use crate::segments::lexer::CmpOp;
use crate::segments::parser::Expr;
use crate::segments::sql::Dialect;
use crate::segments::Bitmap;

/// Thresholds of [`lifecycle`]. Deserializes from camelCase JSON; missing fields keep their defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LifecycleThresholds {
    /// At most this many orders can make a customer New. Default 1; must be ≥ 1.
    pub new_max_orders: u32,
    /// When `tenure` is set, New also needs a first order at most this many days ago. Default 30; `null` turns
    /// the tenure condition off. Ignored without a `tenure` column.
    pub new_max_tenure_days: Option<f64>,
    /// At least this many orders make a (non-lapsed) customer Loyal. Default 5; must exceed `newMaxOrders`.
    pub loyal_min_orders: u32,
    /// A customer whose last order is more than this many days ago is Lapsed. Default 180; must be ≥ 0.
    pub lapsed_after_days: f64,
}

impl Default for LifecycleThresholds {
    fn default() -> Self {
        LifecycleThresholds {
            new_max_orders: 1,
            new_max_tenure_days: Some(30.0),
            loyal_min_orders: 5,
            lapsed_after_days: 180.0,
        }
    }
}

/// Options of [`lifecycle`]. Deserializes from camelCase JSON; every field has a default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LifecycleOptions {
    /// Number of orders. Default `orders_count`.
    pub frequency: String,
    /// Days since the last order, or the date of the last order. Default `last_order_days`.
    pub recency: String,
    /// Days since the first order, or the date of the first order. Default none (no tenure condition).
    pub tenure: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM:SSZ`) that date columns are measured from. Default: the latest date in the
    /// recency column (else the tenure column). Ignored (but validated) when no column is a date.
    pub reference_date: Option<String>,
    /// Stage thresholds.
    pub thresholds: LifecycleThresholds,
    /// The language of errors (`'fi'`, …): read by the wasm facade before parsing; unused here.
    pub lang: Option<String>,
}

impl Default for LifecycleOptions {
    fn default() -> Self {
        LifecycleOptions {
            frequency: "orders_count".into(),
            recency: "last_order_days".into(),
            tenure: None,
            reference_date: None,
            thresholds: LifecycleThresholds::default(),
            lang: None,
        }
    }
}

/// Names of the stages, in the order [`lifecycle`] returns them (`Unclassified` only when not empty).
pub const LIFECYCLE_STAGES: [&str; 6] = ["Prospect", "New", "Occasional", "Loyal", "Lapsed", "Unclassified"];

/// A "days ago" measure: a day-count column, or a date column measured from a reference date.
struct DaysAgo<'a> {
    column: &'a NumericColumn,
    reference: Option<f64>,
    col: Col,
}

impl DaysAgo<'_> {
    /// Whether the value of `row` is more than `days` ago (`None` when null). For date columns this is
    /// `date < reference − days`, the same comparison the SQL makes.
    fn more_than(&self, row: usize, days: f64) -> Option<bool> {
        let v = self.column.values[row]?;
        Some(match self.reference {
            Some(reference) => v < reference - days,
            None => v > days,
        })
    }

    /// The condition "more than `days` ago" (`more = true`) or "at most `days` ago": a day count compared with
    /// `days`, a date compared with the cutoff `reference − days`.
    fn condition(&self, days: f64, more: bool) -> Expr {
        match self.reference {
            None => self.col.cmp(if more { CmpOp::Gt } else { CmpOp::Le }, number(days)),
            Some(reference) => self.col.cmp(if more { CmpOp::Lt } else { CmpOp::Ge }, day_point(reference - days)),
        }
    }
}

/// Assign every customer to one lifecycle stage. Returns Prospect, New, Occasional, Loyal, Lapsed (always, even
/// when empty) and Unclassified (only when not empty); see the [module docs](self) for the rules.
pub fn lifecycle(dataset: &Dataset, options: &LifecycleOptions) -> Result<Vec<BuiltinSegment>> {
    validate(options)?;
    let t = &options.thresholds;
    let frequency = read_numeric(dataset, &options.frequency, "frequency", "purpose_orders")?;
    if frequency.is_temporal() {
        let message = Message::new("holds_dates", ["frequency", &frequency.name, &nested("purpose_orders", &[])]);
        return Err(message.into_error(ErrorCode::TypeMismatch).with_subject(frequency.name.as_str()));
    }
    let recency = read_numeric(dataset, &options.recency, "recency", "purpose_days_last")?;
    let tenure = options
        .tenure
        .as_deref()
        .map(|name| read_numeric(dataset, name, "tenure", "purpose_days_first"))
        .transpose()?;
    let parsed_reference =
        options.reference_date.as_deref().map(|d| parse_reference_date(d, "referenceDate")).transpose()?;
    let default_reference = if recency.is_temporal() {
        recency.max()
    } else {
        tenure.as_ref().filter(|c| c.is_temporal()).and_then(NumericColumn::max)
    };
    let reference = parsed_reference.or(default_reference);
    fn days_ago<'c>(dataset: &Dataset, column: &'c NumericColumn, reference: Option<f64>) -> Result<DaysAgo<'c>> {
        Ok(DaysAgo {
            column,
            // A temporal column with no non-null value and no reference date: no row can be compared anyway.
            reference: if column.is_temporal() { Some(reference.unwrap_or(0.0)) } else { None },
            col: Col::of(dataset, &column.name)?,
        })
    }
    let r = days_ago(dataset, &recency, reference)?;
    let tenure_rule = match (&tenure, t.new_max_tenure_days) {
        (Some(column), Some(days)) => Some((days_ago(dataset, column, reference)?, days)),
        _ => None,
    };

    let bitmaps = assign_stages(dataset.num_rows(), &frequency, &r, tenure_rule.as_ref(), t)?;
    let conditions = stage_conditions(&Col::of(dataset, &frequency.name)?, &r, tenure_rule.as_ref(), t);
    let descriptions = stage_descriptions(&r, tenure_rule.as_ref(), t);
    let mut segments = Vec::with_capacity(LIFECYCLE_STAGES.len());
    let stages = LIFECYCLE_STAGES.iter().zip(bitmaps).zip(descriptions).zip(conditions);
    for (((stage, members), description), expr) in stages {
        if *stage == "Unclassified" && members.count() == 0 {
            continue;
        }
        let condition = condition(dataset, expr);
        let sql = Some(condition.to_sql(Dialect::DuckDb));
        segments.push(BuiltinSegment {
            name: stage.to_string(),
            description,
            sql,
            condition: Some(condition),
            members,
        });
    }
    Ok(segments)
}

/// Each stage's condition (see the table in the [module docs](self)), in [`LIFECYCLE_STAGES`] order.
fn stage_conditions(
    f: &Col,
    r: &DaysAgo<'_>,
    tenure: Option<&(DaysAgo<'_>, f64)>,
    t: &LifecycleThresholds,
) -> [Expr; 6] {
    let (new_max, loyal_min) = (count(t.new_max_orders), count(t.loyal_min_orders));
    let ordered = || f.cmp(CmpOp::Gt, count(0));
    let active = || r.condition(t.lapsed_after_days, false);
    let new_parts = || vec![ordered(), f.cmp(CmpOp::Le, new_max.clone()), active()];
    let (new, occasional, unclassified) = match tenure {
        Some((tenure, days)) => (
            and([new_parts(), vec![tenure.condition(*days, false)]].concat()),
            and(vec![
                ordered(),
                f.cmp(CmpOp::Lt, loyal_min.clone()),
                active(),
                or(vec![f.cmp(CmpOp::Gt, new_max.clone()), tenure.condition(*days, true)]),
            ]),
            Some(and([new_parts(), vec![tenure.col.is_null()]].concat())),
        ),
        None => (
            and(new_parts()),
            and(vec![f.cmp(CmpOp::Gt, new_max.clone()), f.cmp(CmpOp::Lt, loyal_min.clone()), active()]),
            None,
        ),
    };
    let unclassified =
        or([vec![f.is_null(), and(vec![ordered(), r.col.is_null()])], unclassified.into_iter().collect()].concat());
    [
        f.cmp(CmpOp::Le, count(0)),
        new,
        occasional,
        and(vec![f.cmp(CmpOp::Ge, loyal_min), active()]),
        and(vec![ordered(), r.condition(t.lapsed_after_days, true)]),
        unclassified,
    ]
}

/// Each stage's one-sentence description, in [`LIFECYCLE_STAGES`] order.
fn stage_descriptions(r: &DaysAgo<'_>, tenure: Option<&(DaysAgo<'_>, f64)>, t: &LifecycleThresholds) -> [Message; 6] {
    let lapsed = sql_number(t.lapsed_after_days);
    let recent = nested("recent_within", &[&lapsed]);
    let reference = match (r.reference, tenure.and_then(|(c, _)| c.reference)) {
        (Some(d), _) | (None, Some(d)) => nested("counted_from", &[&format_days(d)]),
        _ => String::new(),
    };
    let orders = |k: u32| if k == 1 { nested("orders_one", &[]) } else { nested("orders_many", &[&k.to_string()]) };
    let (new_orders, loyal_orders) = (orders(t.new_max_orders), orders(t.loyal_min_orders));
    let new_description = match tenure {
        Some((_, days)) => {
            Message::new("desc_new_tenure", [new_orders, recent.clone(), sql_number(*days), reference.clone()])
        }
        None => Message::new("desc_new", [new_orders, recent.clone(), reference.clone()]),
    };
    [
        Message::plain("desc_prospect"),
        new_description,
        Message::new("desc_occasional", [loyal_orders.clone(), recent.clone(), reference.clone()]),
        Message::new("desc_loyal", [loyal_orders, recent, reference.clone()]),
        Message::new("desc_lapsed", [lapsed, reference]),
        Message::plain("desc_unclassified"),
    ]
}

/// Option checks that need no data.
fn validate(options: &LifecycleOptions) -> Result<()> {
    let t = &options.thresholds;
    for (option, value) in [("frequency", &options.frequency), ("recency", &options.recency)] {
        if value.trim().is_empty() {
            return Err(Error::invalid_argument(option, nested("option_column_empty", &[])));
        }
    }
    if options.tenure.as_deref().is_some_and(|c| c.trim().is_empty()) {
        return Err(Error::invalid_argument("tenure", nested("option_column_or_none", &[])));
    }
    if t.new_max_orders < 1 {
        return Err(Error::invalid_argument("thresholds.newMaxOrders", nested("lifecycle_new_max", &[])));
    }
    if t.loyal_min_orders <= t.new_max_orders {
        let message = nested("lifecycle_loyal_min", &[&t.new_max_orders.to_string()]);
        return Err(Error::invalid_argument("thresholds.loyalMinOrders", message));
    }
    if !(t.lapsed_after_days.is_finite() && t.lapsed_after_days >= 0.0) {
        return Err(Error::invalid_argument("thresholds.lapsedAfterDays", nested("days_at_least_0", &[])));
    }
    if let Some(days) = t.new_max_tenure_days {
        if !(days.is_finite() && days >= 0.0) {
            return Err(Error::invalid_argument("thresholds.newMaxTenureDays", nested("days_or_null", &[])));
        }
    }
    Ok(())
}

/// Each row's stage (the first rule that holds, as in the [module docs](self)), one bitmap per stage in
/// [`LIFECYCLE_STAGES`] order.
fn assign_stages(
    n: usize,
    frequency: &NumericColumn,
    r: &DaysAgo<'_>,
    tenure_rule: Option<&(DaysAgo<'_>, f64)>,
    t: &LifecycleThresholds,
) -> Result<Vec<Bitmap>> {
    let (new_max, loyal_min, lapsed) =
        (f64::from(t.new_max_orders), f64::from(t.loyal_min_orders), t.lapsed_after_days);
    let mut bitmaps = vec![Bitmap::zeros(n); LIFECYCLE_STAGES.len()];
    for row in 0..n {
        crate::cancel::row_checkpoint(crate::cancel::Phase::Segments, row, n)?;
        let stage = match frequency.values[row] {
            None => 5,
            Some(f) if f <= 0.0 => 0,
            Some(f) => match r.more_than(row, lapsed) {
                None => 5,
                Some(true) => 4,
                Some(false) if f <= new_max => match tenure_rule {
                    None => 1,
                    Some((tenure, days)) => match tenure.more_than(row, *days) {
                        Some(false) => 1,
                        Some(true) => 2,
                        None => 5,
                    },
                },
                Some(false) if f >= loyal_min => 3,
                Some(false) => 2,
            },
        };
        bitmaps[stage].set(row);
    }
    Ok(bitmaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;

    /// Threshold errors are catalogued: the Finnish text written out, the subject the same.
    #[test]
    fn threshold_errors_in_finnish() {
        let thresholds = LifecycleThresholds { loyal_min_orders: 1, ..Default::default() };
        let e = validate(&LifecycleOptions { thresholds, ..Default::default() }).unwrap_err();
        assert_eq!(e.subject.as_deref(), Some("thresholds.loyalMinOrders"));
        assert_eq!(
            e.localized(Lang::Fi).message,
            "virheellinen argumentti `thresholds.loyalMinOrders`: pitää olla suurempi kuin thresholds.newMaxOrders \
             (1), muuten vaiheet New ja Loyal menisivät päällekkäin"
        );
    }
}
