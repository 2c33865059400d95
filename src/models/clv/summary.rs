//! Customer summaries as the likelihoods consume them: identical rows merged with a weight, and the distinct
//! frequencies with their total weights (the ln Γ / ψ terms depend on the frequency only).

use std::collections::HashMap;

use crate::prepare::key::FastBuild;

/// Per-customer (x, t_x, T) rows, merged when identical.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grouped {
    /// Repeat purchases of each distinct row.
    pub x: Vec<f64>,
    /// Recency (time of the last purchase after the first) of each distinct row.
    pub t_x: Vec<f64>,
    /// Age (time since the first purchase) of each distinct row.
    pub t: Vec<f64>,
    /// How many customers each distinct row stands for.
    pub weight: Vec<f64>,
    /// The distinct values of `x`.
    pub distinct_x: Vec<f64>,
    /// Total weight of each distinct `x`.
    pub x_weight: Vec<f64>,
    /// Σ weight (the number of customers).
    pub total_weight: f64,
}

impl Grouped {
    /// Group the customers (all three slices the same length; values already validated).
    pub fn new(x: &[f64], t_x: &[f64], t: &[f64]) -> Grouped {
        // A fast hasher: the default SipHash was most of the grouping time at a million rows.
        let mut rows: HashMap<[u64; 3], usize, FastBuild> = HashMap::default();
        let mut g = Grouped::default();
        for i in 0..x.len() {
            // +0.0 so that −0.0 and 0.0 merge.
            let key = [(x[i] + 0.0).to_bits(), (t_x[i] + 0.0).to_bits(), (t[i] + 0.0).to_bits()];
            let index = *rows.entry(key).or_insert_with(|| {
                g.x.push(x[i]);
                g.t_x.push(t_x[i]);
                g.t.push(t[i]);
                g.weight.push(0.0);
                g.x.len() - 1
            });
            g.weight[index] += 1.0;
        }
        g.summarise_x();
        g
    }

    /// Fill `distinct_x`, `x_weight` and `total_weight` from the rows.
    fn summarise_x(&mut self) {
        let mut xs: HashMap<u64, usize, FastBuild> = HashMap::default();
        (self.distinct_x, self.x_weight) = (Vec::new(), Vec::new());
        for (&x, &w) in self.x.iter().zip(&self.weight) {
            let k = *xs.entry((x + 0.0).to_bits()).or_insert_with(|| {
                self.distinct_x.push(x);
                self.x_weight.push(0.0);
                self.distinct_x.len() - 1
            });
            self.x_weight[k] += w;
        }
        self.total_weight = self.weight.iter().sum();
    }

    /// Every k-th distinct row (with its weight), at most about `max_rows` of them, for the optimiser's cheap
    /// first search ([`crate::models::optimize::coarse_to_fine`]); `None` when there are no more rows than that.
    /// Rows are in order of first appearance, so a stride takes a spread of customers, not one cohort.
    pub fn sample(&self, max_rows: usize) -> Option<Grouped> {
        if self.len() <= max_rows {
            return None;
        }
        let stride = self.len().div_ceil(max_rows.max(1));
        let pick = |v: &Vec<f64>| v.iter().step_by(stride).copied().collect::<Vec<f64>>();
        let mut g = Grouped {
            x: pick(&self.x),
            t_x: pick(&self.t_x),
            t: pick(&self.t),
            weight: pick(&self.weight),
            ..Grouped::default()
        };
        g.summarise_x();
        Some(g)
    }

    /// Number of distinct rows.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_identical_rows() {
        let g = Grouped::new(&[0.0, 1.0, 0.0, -0.0], &[0.0, 2.0, 0.0, 0.0], &[5.0, 5.0, 5.0, 5.0]);
        assert_eq!(g.len(), 2);
        assert_eq!(g.weight, vec![3.0, 1.0]);
        assert_eq!(g.distinct_x, vec![0.0, 1.0]);
        assert_eq!(g.x_weight, vec![3.0, 1.0]);
        assert_eq!(g.total_weight, 4.0);
    }

    #[test]
    fn sample_keeps_weights_and_recounts_x() {
        let g = Grouped::new(&[0.0, 1.0, 0.0, 2.0, 1.0], &[0.0, 2.0, 0.0, 3.0, 2.0], &[5.0, 5.0, 6.0, 7.0, 5.0]);
        assert!(g.sample(4).is_none());
        let s = g.sample(2).unwrap();
        assert_eq!((s.x.clone(), s.weight.clone()), (vec![0.0, 0.0], vec![1.0, 1.0]));
        assert_eq!((s.distinct_x.clone(), s.x_weight.clone(), s.total_weight), (vec![0.0], vec![2.0], 2.0));
    }
}
