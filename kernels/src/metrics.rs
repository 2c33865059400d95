//! The per-row loop of the named `metrics` (segmetry's `metrics::metric_accumulate` decodes each metric column
//! per chunk and drives it): every member row adds its value to its segment × variant cell.

use crate::accumulate::CompensatedSum;

/// One named metric's sums in one segment × variant cell: units with a value (`n`) and without (`nulls`), and
/// compensated sums of the value `x`, the denominator `y` (ratios) and the CUPED covariate `c`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricSums {
    /// Units with a value.
    pub n: u64,
    /// Units whose value is null.
    pub nulls: u64,
    /// Σx.
    pub x: CompensatedSum,
    /// Σx².
    pub xx: CompensatedSum,
    /// Σy.
    pub y: CompensatedSum,
    /// Σy².
    pub yy: CompensatedSum,
    /// Σxy.
    pub xy: CompensatedSum,
    /// Σc.
    pub c: CompensatedSum,
    /// Σc².
    pub cc: CompensatedSum,
    /// Σxc.
    pub xc: CompensatedSum,
}

/// One chunk of rows of one metric, decoded: row `i` of the chunk is dataset row `global + i`.
pub struct MetricChunk<'a> {
    /// Dataset row of the chunk's first row.
    pub global: usize,
    /// Variant code per row.
    pub codes: &'a [u8],
    /// Whether the row has a value (both values, for ratios).
    pub valid: &'a [bool],
    /// The value per row.
    pub x: &'a [f64],
    /// The denominator per row (ratios; else unused).
    pub y: &'a [f64],
    /// The covariate per row (CUPED; else unused).
    pub c: &'a [f64],
    /// Whether `y` is summed.
    pub ratio: bool,
    /// Whether `c` is summed.
    pub cuped: bool,
}

impl MetricChunk<'_> {
    /// Add the member rows of the segment whose dataset-wide bitmap is `words` to `cells[code][metric]`.
    #[inline(never)]
    pub fn add(&self, words: &[u64], cells: &mut [Vec<MetricSums>], metric: usize) {
        let (ratio, cuped) = (self.ratio, self.cuped);
        for (i, &code) in self.codes.iter().enumerate() {
            let row = self.global + i;
            if words[row / 64] >> (row % 64) & 1 == 0 {
                continue;
            }
            let sums = &mut cells[code as usize][metric];
            if !self.valid[i] {
                sums.nulls += 1;
                continue;
            }
            let x = self.x[i];
            sums.n += 1;
            sums.x.add(x);
            sums.xx.add(x * x);
            if ratio {
                let y = self.y[i];
                sums.y.add(y);
                sums.yy.add(y * y);
                sums.xy.add(x * y);
            }
            if cuped {
                let c = self.c[i];
                sums.c.add(c);
                sums.cc.add(c * c);
                sums.xc.add(x * c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_rows_add_to_their_cell() {
        let codes = [0u8, 1, 0, 1, 0];
        let valid = [true, true, false, true, true];
        let x = [1.0, 2.0, 99.0, 4.0, 5.0];
        let y = [10.0, 20.0, 0.0, 40.0, 50.0];
        // Rows 2..7 of the dataset; the segment holds dataset rows 2, 4, 5 and 6 (chunk rows 0, 2, 3, 4).
        let chunk =
            MetricChunk { global: 2, codes: &codes, valid: &valid, x: &x, y: &y, c: &[], ratio: true, cuped: false };
        let mut cells = vec![vec![MetricSums::default()]; 2];
        chunk.add(&[0b111_0100], &mut cells, 0);
        let (a, b) = (&cells[0][0], &cells[1][0]);
        assert_eq!((a.n, a.nulls, a.x.value(), a.xx.value(), a.xy.value()), (2, 1, 6.0, 26.0, 260.0));
        assert_eq!((b.n, b.nulls, b.x.value(), b.y.value(), b.yy.value()), (1, 0, 4.0, 40.0, 1600.0));
    }
}
