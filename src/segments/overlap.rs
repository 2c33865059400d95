//! Pairwise overlap of segments.

use super::links::Link;
use super::{Bitmap, Rule, RuleOptions, SegmentCache};
use crate::error::Result;
use crate::ingest::Dataset;
use crate::metrics::{builtin_segments, SegmentSpec};

/// The bitmaps of overlap entries, in order: a rule gives one; a built-in segmentation (`{ builtin, options }`)
/// gives one per group, in the order the built-in lists its groups. Rules are evaluated together through `cache`;
/// built-ins count recency from `options`' reference date unless they set their own.
pub fn entry_bitmaps(
    dataset: &Dataset,
    cache: &mut SegmentCache,
    entries: &[SegmentSpec],
    options: &RuleOptions,
) -> Result<Vec<Bitmap>> {
    entry_bitmaps_linked(dataset, &[], cache, entries, options)
}

/// [`entry_bitmaps`] whose rules may aggregate over `links` (`COUNT(orders …) >= 2`).
pub fn entry_bitmaps_linked(
    dataset: &Dataset,
    links: &[Link],
    cache: &mut SegmentCache,
    entries: &[SegmentSpec],
    options: &RuleOptions,
) -> Result<Vec<Bitmap>> {
    let mut rules = Vec::new();
    for entry in entries {
        if let SegmentSpec::Rule(text) = entry {
            rules.push(Rule::parse_linked(text, dataset, links, options)?);
        }
    }
    let mut rule_bitmaps = cache.evaluate(dataset, &rules.iter().collect::<Vec<_>>())?.into_iter();
    let reference = options.reference_date_text();
    let mut out = Vec::new();
    for entry in entries {
        match entry {
            SegmentSpec::Rule(_) => out.extend(rule_bitmaps.next()),
            SegmentSpec::Builtin(spec) => {
                out.extend(builtin_segments(dataset, spec, Some(&reference))?.into_iter().map(|g| g.members))
            }
        }
    }
    Ok(out)
}

/// `result[i][j]` = members in both `bitmaps[i]` and `bitmaps[j]` (the diagonal holds the sizes).
pub fn overlap(bitmaps: &[Bitmap]) -> Vec<Vec<usize>> {
    let k = bitmaps.len();
    let mut out = vec![vec![0usize; k]; k];
    for i in 0..k {
        out[i][i] = bitmaps[i].count();
        for j in i + 1..k {
            let c = bitmaps[i].intersection_count(&bitmaps[j]);
            out[i][j] = c;
            out[j][i] = c;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_with_sizes_on_the_diagonal() {
        let a = Bitmap::from_fn(100, |i| i % 2 == 0);
        let b = Bitmap::from_fn(100, |i| i % 3 == 0);
        assert_eq!(overlap(&[a, b]), vec![vec![50, 17], vec![17, 34]]);
    }
}
