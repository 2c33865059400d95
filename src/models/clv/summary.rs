//! Customer summaries as the likelihoods consume them: identical rows merged with a weight, and the distinct
//! frequencies with their total weights (the ln Γ / ψ terms depend on the frequency only).

use std::collections::HashMap;

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
        let mut rows: HashMap<[u64; 3], usize> = HashMap::new();
        let mut xs: HashMap<u64, usize> = HashMap::new();
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
            let xi = *xs.entry((x[i] + 0.0).to_bits()).or_insert_with(|| {
                g.distinct_x.push(x[i]);
                g.x_weight.push(0.0);
                g.distinct_x.len() - 1
            });
            g.x_weight[xi] += 1.0;
        }
        g.total_weight = x.len() as f64;
        g
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
}
