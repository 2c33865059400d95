//! SQL `NTILE(n)` over an explicit row order.
//!
//! `NTILE(n) OVER (ORDER BY …)` numbers the rows of the ordered partition `1..=n` in contiguous runs: with `N`
//! rows, every bucket gets `N / n` rows and the first `N % n` buckets get one more (bucket sizes differ by at most
//! one and the larger buckets come first). When `N < n` only buckets `1..=N` are used, one row each. This is the
//! SQL standard definition, implemented identically by DuckDB, PostgreSQL and SQL Server.

use std::cmp::Ordering;

use super::values::IdColumn;

/// The bucket (`1..=buckets`) of the row at 0-based `position` among `total` ordered rows.
/// `buckets` must be ≥ 1 and `position < total`.
pub fn ntile_bucket(position: usize, total: usize, buckets: usize) -> usize {
    debug_assert!(buckets >= 1 && position < total);
    let buckets = buckets.min(total).max(1);
    let size = total / buckets;
    let large = total % buckets; // buckets 1..=large hold size + 1 rows
    let in_large = large * (size + 1);
    if position < in_large {
        1 + position / (size + 1)
    } else {
        1 + large + (position - in_large) / size
    }
}

/// Bucket sizes of `NTILE(buckets)` over `total` rows, bucket 1 first (always `buckets` entries; unused ones 0).
pub fn ntile_sizes(total: usize, buckets: usize) -> Vec<usize> {
    let mut sizes = vec![0; buckets];
    for p in 0..total {
        sizes[ntile_bucket(p, total, buckets) - 1] += 1;
    }
    sizes
}

/// Sort direction of the value in the `ORDER BY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `ORDER BY value ASC, id ASC`.
    Ascending,
    /// `ORDER BY value DESC, id ASC`.
    Descending,
}

/// The rows of `rows` (dataset row indices, each with a non-null `values[row]`) ordered as
/// `ORDER BY value <direction>, id ASC NULLS LAST`, and finally by row index (what SQL leaves unspecified for full
/// ties: row order here, so results are deterministic). `-0.0` equals `0.0`.
pub fn sql_order(rows: &[usize], values: &[Option<f64>], direction: Direction, id: Option<&IdColumn>) -> Vec<usize> {
    let key = |row: usize| values[row].unwrap_or(f64::NAN) + 0.0;
    let mut order = rows.to_vec();
    order.sort_unstable_by(|&a, &b| {
        let by_value = key(a).partial_cmp(&key(b)).unwrap_or(Ordering::Equal);
        let by_value = if direction == Direction::Descending { by_value.reverse() } else { by_value };
        by_value.then_with(|| id.map_or(Ordering::Equal, |id| id.cmp_rows(a, b))).then(a.cmp(&b))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_sizes_match_sql_for_small_n() {
        for n in 0..=20usize {
            let sizes = ntile_sizes(n, 5);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            // Contiguous, non-decreasing bucket numbers.
            let buckets: Vec<usize> = (0..n).map(|p| ntile_bucket(p, n, 5)).collect();
            assert!(buckets.windows(2).all(|w| w[0] <= w[1] && w[1] - w[0] <= 1));
            if n >= 5 {
                let (lo, hi) = (n / 5, n / 5 + 1);
                assert!(sizes.iter().all(|s| *s == lo || *s == hi), "n={n}: {sizes:?}");
                // Larger buckets first.
                assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "n={n}: {sizes:?}");
                assert_eq!(sizes.iter().filter(|s| **s == hi).count(), n % 5);
            } else {
                let expected: Vec<usize> = (0..5).map(|b| usize::from(b < n)).collect();
                assert_eq!(sizes, expected, "n={n}");
            }
        }
        assert_eq!(ntile_sizes(7, 5), vec![2, 2, 1, 1, 1]);
        assert_eq!(ntile_sizes(13, 5), vec![3, 3, 3, 2, 2]);
        assert_eq!(ntile_sizes(3, 5), vec![1, 1, 1, 0, 0]);
    }

    #[test]
    fn ties_are_ordered_by_id_then_row() {
        let values = vec![Some(1.0), Some(1.0), Some(0.0), Some(1.0), Some(-0.0)];
        let id = IdColumn::Text(vec![Some("b".into()), Some("a".into()), Some("z".into()), None, Some("y".into())]);
        let rows = [0, 1, 2, 3, 4];
        assert_eq!(sql_order(&rows, &values, Direction::Ascending, Some(&id)), vec![4, 2, 1, 0, 3]);
        assert_eq!(sql_order(&rows, &values, Direction::Descending, Some(&id)), vec![1, 0, 3, 4, 2]);
        assert_eq!(sql_order(&rows, &values, Direction::Ascending, None), vec![2, 4, 0, 1, 3]);
    }
}
