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

/// Dense ranks of the rows under `ORDER BY id ASC NULLS LAST` (equal ids share a rank): computed once, then
/// each `ORDER BY value, id` sort compares plain integers.
pub fn id_ranks(id: &IdColumn, rows: usize) -> Vec<u32> {
    let mut order: Vec<usize> = (0..rows).collect();
    order.sort_by(|&a, &b| id.cmp_rows(a, b));
    let mut ranks = vec![0u32; rows];
    let mut rank = 0u32;
    for (i, &row) in order.iter().enumerate() {
        if i > 0 && id.cmp_rows(order[i - 1], row) != Ordering::Equal {
            rank += 1;
        }
        ranks[row] = rank;
    }
    ranks
}

/// `f64` bits that sort as the numbers do (for non-NaN values; `-0.0` must be normalized first).
fn ordered_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The rows of `rows` (dataset row indices, each with a non-null `values[row]`) ordered as
/// `ORDER BY value <direction>, id ASC NULLS LAST` (`id_ranks` from [`id_ranks`]), and finally by row index (what
/// SQL leaves unspecified for full ties: row order here, so results are deterministic). `-0.0` equals `0.0`.
pub fn sql_order(rows: &[usize], values: &[Option<f64>], direction: Direction, id_ranks: Option<&[u32]>) -> Vec<usize> {
    let value_key = |row: usize| {
        let bits = ordered_bits(values[row].unwrap_or(0.0) + 0.0);
        if direction == Direction::Descending {
            !bits
        } else {
            bits
        }
    };
    let rank = |row: usize| id_ranks.map_or(0, |r| r[row]);
    match rows.iter().map(|&r| u32::try_from(r)).collect::<Result<Vec<u32>, _>>() {
        // One u128 key per row (value bits, id rank, row): a fast integer sort over contiguous memory.
        Ok(small) => {
            let mut keys: Vec<u128> = small
                .iter()
                .map(|&r| {
                    let row = r as usize;
                    (u128::from(value_key(row)) << 64) | (u128::from(rank(row)) << 32) | u128::from(r)
                })
                .collect();
            keys.sort_unstable();
            keys.into_iter().map(|k| (k as u32) as usize).collect()
        }
        // More than 2^32 rows: compare through the slices.
        Err(_) => {
            let mut order = rows.to_vec();
            order.sort_unstable_by_key(|&row| (value_key(row), rank(row), row));
            order
        }
    }
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
        let ranks = id_ranks(&id, 5);
        assert_eq!(ranks, vec![1, 0, 3, 4, 2]);
        let rows = [0, 1, 2, 3, 4];
        assert_eq!(sql_order(&rows, &values, Direction::Ascending, Some(&ranks)), vec![4, 2, 1, 0, 3]);
        assert_eq!(sql_order(&rows, &values, Direction::Descending, Some(&ranks)), vec![1, 0, 3, 4, 2]);
        let negatives = vec![Some(-2.0), Some(3.5), Some(-0.5), Some(f64::MIN), Some(f64::MAX), Some(0.0)];
        assert_eq!(sql_order(&[0, 1, 2, 3, 4, 5], &negatives, Direction::Ascending, None), vec![3, 0, 2, 5, 1, 4]);
        let duplicate_ids = IdColumn::Int(vec![Some(7), None, Some(7), Some(-1)]);
        assert_eq!(id_ranks(&duplicate_ids, 4), vec![1, 2, 1, 0]);
        assert_eq!(sql_order(&rows, &values, Direction::Ascending, None), vec![2, 4, 0, 1, 3]);
    }
}
