//! Pairwise overlap of segments.

use super::Bitmap;

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
