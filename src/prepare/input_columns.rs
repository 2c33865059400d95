//! The input columns a verb that runs in the extras module reads, so that the core hands that module only those
//! (js/dataset.js): an orders export has dozens of columns and `customerFeatures` reads four, so the copy between
//! the two wasm memories and the extras module's share of it shrink by an order of magnitude. Names are as
//! written in the options. `None` when the options cannot tell (the verb then gets every column and reports
//! any error itself, with the same suggestions as always).

use super::agg_parse;
use super::{AggregateOptions, FeatureOptions, JoinOptions};
use crate::models::clv::holdout::HoldoutSplitOptions;
use crate::segments::parser::{self, Expr};

/// The columns [`aggregate`](super::aggregate) reads: the key, each value's column and rule, the `where` rule.
pub fn aggregate(options: &AggregateOptions) -> Option<Vec<String>> {
    let mut out = vec![options.by.clone()];
    for (_, text) in &options.values {
        let expr = agg_parse::parse(text).ok()?;
        out.extend(expr.column.map(|c| c.name));
        if let Some((start, end)) = expr.rule {
            rule(text.get(start..end)?, &mut out)?;
        }
    }
    where_rule(options.where_rule.as_deref(), out)
}

/// The columns [`customer_features`](super::customer_features) reads.
pub fn customer_features(options: &FeatureOptions) -> Option<Vec<String>> {
    let mut out = vec![options.customer.clone(), options.date.clone(), options.amount.clone()];
    out.extend(options.order.clone());
    where_rule(options.where_rule.as_deref(), out)
}

/// The left columns [`join_right_columns`](super::join_right_columns) reads: the left key.
pub fn join(options: &JoinOptions) -> Vec<String> {
    vec![options.on.columns().0.to_string()]
}

/// The columns [`calibration_and_holdout`](crate::models::clv::holdout::calibration_and_holdout) reads.
pub fn calibration_and_holdout(options: &HoldoutSplitOptions) -> Option<Vec<String>> {
    let mut out = vec![options.customer.clone(), options.date.clone()];
    out.extend(options.amount.clone());
    where_rule(options.where_rule.as_deref(), out)
}

fn where_rule(text: Option<&str>, mut out: Vec<String>) -> Option<Vec<String>> {
    if let Some(text) = text {
        rule(text, &mut out)?;
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The columns a rule's predicates test; `None` for text that does not parse or aggregates a linked table.
fn rule(text: &str, out: &mut Vec<String>) -> Option<()> {
    fn walk(expr: &Expr, out: &mut Vec<String>) -> Option<()> {
        match expr {
            Expr::And(all) | Expr::Or(all) => all.iter().try_for_each(|e| walk(e, out)),
            Expr::Not(inner) => walk(inner, out),
            Expr::Pred(p) => {
                out.push(p.column.clone());
                Some(())
            }
            Expr::Link(_) => None,
        }
    }
    walk(&parser::parse(text).ok()?, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_reads_key_value_columns_and_rules() {
        let options = AggregateOptions {
            by: "Email".into(),
            where_rule: Some(r#""Financial Status" = 'paid'"#.into()),
            values: vec![
                ("n".into(), "count()".into()),
                ("spent".into(), "sum(Total)".into()),
                ("fi".into(), "sum_if(Total, \"Billing Country\" = 'FI' AND NOT Refunded)".into()),
            ],
            ..Default::default()
        };
        let want = ["Billing Country", "Email", "Financial Status", "Refunded", "Total"];
        assert_eq!(aggregate(&options).unwrap(), want);
    }

    #[test]
    fn unreadable_options_mean_every_column() {
        let bad_value =
            AggregateOptions { by: "Email".into(), values: vec![("x".into(), "median(".into())], ..Default::default() };
        assert_eq!(aggregate(&bad_value), None);
        let bad_rule = FeatureOptions { where_rule: Some("Total >".into()), ..Default::default() };
        assert_eq!(customer_features(&bad_rule), None);
    }

    #[test]
    fn features_and_holdout_read_their_named_columns() {
        let options = FeatureOptions {
            customer: "Email".into(),
            order: Some("Name".into()),
            date: "Created at".into(),
            amount: "Total".into(),
            ..Default::default()
        };
        assert_eq!(customer_features(&options).unwrap(), ["Created at", "Email", "Name", "Total"]);
        let holdout = HoldoutSplitOptions {
            customer: "Email".into(),
            date: "Created at".into(),
            where_rule: Some("lower(Tags) CONTAINS 'vip'".into()),
            ..Default::default()
        };
        assert_eq!(calibration_and_holdout(&holdout).unwrap(), ["Created at", "Email", "Tags"]);
    }
}
