//! Variances computed from raw sums (`Σx² − (Σx)²/n` and its kin) carry rounding of about ε times the sums they
//! come from. A true variance of 0 (constant values, a numerator exactly proportional to its denominator) then
//! comes out as a tiny positive or negative number, which would give a p-value to a difference that does not
//! exist. This is the one place that says where that noise ends.

/// Relative rounding of a quantity cancelled out of raw sums: well above f64's ε (2.2e-16) times the few
/// operations involved, far below any real variance relative to its sums.
const SUMS_ROUNDING: f64 = 1e-12;

/// `value` (a variance or sum of squares from raw sums), or 0 when it is within the sums' rounding of 0; `scale`
/// is the magnitude of the terms it was cancelled from.
pub fn above_sums_rounding(value: f64, scale: f64) -> f64 {
    if value <= SUMS_ROUNDING * scale {
        0.0
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_zero_and_signal_stays() {
        assert_eq!(above_sums_rounding(3e-14, 100.0), 0.0);
        assert_eq!(above_sums_rounding(-1e-13, 100.0), 0.0);
        assert_eq!(above_sums_rounding(2.5, 100.0), 2.5);
    }
}
