//! Columnar evaluation of rule plans over record batches into row bitmaps.
//!
//! Every node yields a pair of word bitmaps for the batch: TRUE rows and UNKNOWN rows (SQL's three-valued
//! logic; FALSE is neither). UNKNOWN is only tracked where a `NOT` above needs it. Several rules evaluate in one
//! pass per batch, sharing the results of identical column tests.

pub mod bools;
pub mod logic;
pub mod nulls;
pub mod numeric;
pub mod tags;
pub mod text;

use std::collections::HashMap;

use arrow_array::{Array, RecordBatch};

use super::resolve::{Kernel, Leaf, LinkNode, Node};
use super::Bitmap;
use crate::error::{Error, ErrorCode, Result};

/// A three-valued result over one batch: TRUE bits and UNKNOWN bits (`None` = no UNKNOWN rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Tv {
    /// Rows where the expression is TRUE.
    pub t: Vec<u64>,
    /// Rows where it is UNKNOWN (NULL).
    pub u: Option<Vec<u64>>,
}

/// Clear bits at and past `n`.
pub fn mask_tail(words: &mut [u64], n: usize) {
    let full = n / 64;
    let rem = n % 64;
    if rem != 0 {
        if let Some(w) = words.get_mut(full) {
            *w &= (1u64 << rem) - 1;
        }
    }
    let start = full + usize::from(rem != 0);
    if start < words.len() {
        words[start..].iter_mut().for_each(|w| *w = 0);
    }
}

fn leaf(batch: &RecordBatch, leaf: &Leaf) -> Result<Tv> {
    let array: &dyn Array = batch.column(leaf.column).as_ref();
    let n = array.len();
    Ok(match &leaf.kernel {
        Kernel::IsNull => nulls::is_null(array),
        Kernel::Int(ranges) => numeric::finish(numeric::int_kernel(array, ranges)?, n),
        Kernel::Float(test) => numeric::finish(numeric::float_kernel(array, test)?, n),
        Kernel::Text(test) => text::text_kernel(array, &[], test)?,
        Kernel::MappedText(funcs, test) => text::text_kernel(array, funcs, test)?,
        Kernel::Tags(mode, tags) => tags::tags_kernel(array, *mode, tags)?,
        Kernel::Bool { accept_true, accept_false } => bools::bool_kernel(array, *accept_true, *accept_false),
    })
}

/// Link aggregate results over a whole dataset, by (rule index, [`LinkNode`] key): TRUE rows, UNKNOWN rows.
pub type LinkResults = HashMap<(usize, String), (Bitmap, Bitmap)>;

/// The link nodes of a plan.
pub fn link_nodes(node: &Node) -> Vec<&LinkNode> {
    fn walk<'a>(node: &'a Node, out: &mut Vec<&'a LinkNode>) {
        match node {
            Node::Link(l) => out.push(l),
            Node::Not(inner) => walk(inner, out),
            Node::And(items) | Node::Or(items) => items.iter().for_each(|i| walk(i, out)),
            Node::Leaf(_) => {}
        }
    }
    let mut out = Vec::new();
    walk(node, &mut out);
    out
}

/// Bits `[from, from + n)` of `bitmap` as words.
fn slice_words(bitmap: &Bitmap, from: usize, n: usize) -> Vec<u64> {
    let mut words = vec![0u64; n.div_ceil(64)];
    for i in 0..n {
        if bitmap.get(from + i) {
            words[i / 64] |= 1 << (i % 64);
        }
    }
    words
}

struct BatchEval<'a> {
    batch: &'a RecordBatch,
    shared: &'a HashMap<&'a str, usize>,
    memo: HashMap<&'a str, Tv>,
    links: &'a LinkResults,
    /// The rule being evaluated (its index in `links` keys).
    rule: usize,
    /// Dataset row of the batch's first row.
    offset: usize,
}

impl<'a> BatchEval<'a> {
    fn eval(&mut self, node: &'a Node, need_unknown: bool) -> Result<Tv> {
        let n = self.batch.num_rows();
        match node {
            Node::Leaf(l) => {
                if self.shared.get(l.key.as_str()).copied().unwrap_or(0) > 1 {
                    if let Some(tv) = self.memo.get(l.key.as_str()) {
                        return Ok(tv.clone());
                    }
                    let tv = leaf(self.batch, l)?;
                    self.memo.insert(l.key.as_str(), tv.clone());
                    return Ok(tv);
                }
                leaf(self.batch, l)
            }
            Node::Not(inner) => Ok(logic::not(self.eval(inner, true)?, n)),
            Node::Link(l) => {
                let (t, u) = self.links.get(&(self.rule, l.key.clone())).ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidArgument,
                        "the rule's linked tables were not evaluated; evaluate it through Rule::evaluate",
                    )
                })?;
                let u = slice_words(u, self.offset, n);
                Ok(Tv { t: slice_words(t, self.offset, n), u: u.iter().any(|w| *w != 0).then_some(u) })
            }
            Node::And(items) | Node::Or(items) => {
                let is_and = matches!(node, Node::And(_));
                let mut acc: Option<Tv> = None;
                for item in items {
                    let v = self.eval(item, need_unknown)?;
                    acc = Some(match acc {
                        None => v,
                        Some(a) if is_and => logic::and(a, &v, need_unknown),
                        Some(a) => logic::or(a, &v, need_unknown),
                    });
                }
                Ok(acc.unwrap_or(Tv { t: vec![0; n.div_ceil(64)], u: None }))
            }
        }
    }
}

fn count_leaves<'a>(node: &'a Node, counts: &mut HashMap<&'a str, usize>) {
    match node {
        Node::Leaf(l) => *counts.entry(l.key.as_str()).or_insert(0) += 1,
        Node::Not(inner) => count_leaves(inner, counts),
        Node::Link(_) => {}
        Node::And(items) | Node::Or(items) => items.iter().for_each(|i| count_leaves(i, counts)),
    }
}

/// Evaluate several plans over `batches` in one pass: one bitmap per plan, covering the rows of `batches`.
pub fn evaluate_plans(plans: &[&Node], batches: &[RecordBatch]) -> Result<Vec<Bitmap>> {
    evaluate_plans_linked(plans, batches, 0, &LinkResults::new())
}

/// [`evaluate_plans`] for plans with link nodes: `links` holds their results over the whole dataset, and
/// `batches` start at dataset row `first_row`.
pub fn evaluate_plans_linked(
    plans: &[&Node],
    batches: &[RecordBatch],
    first_row: usize,
    links: &LinkResults,
) -> Result<Vec<Bitmap>> {
    let mut counts = HashMap::new();
    for plan in plans {
        count_leaves(plan, &mut counts);
    }
    let mut out: Vec<Bitmap> = plans.iter().map(|_| Bitmap::zeros(0)).collect();
    let mut offset = first_row;
    let total = (first_row + batches.iter().map(RecordBatch::num_rows).sum::<usize>()) as u64;
    for batch in batches {
        crate::cancel::checkpoint(crate::cancel::Phase::Segments, offset as u64, total)?;
        let mut ev = BatchEval { batch, shared: &counts, memo: HashMap::new(), links, rule: 0, offset };
        for (rule, (plan, bitmap)) in plans.iter().zip(out.iter_mut()).enumerate() {
            ev.rule = rule;
            let tv = ev.eval(plan, false)?;
            bitmap.append_words(&tv.t, batch.num_rows());
        }
        offset += batch.num_rows();
    }
    Ok(out)
}
