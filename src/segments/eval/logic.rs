//! SQL three-valued logic on word bitmaps. Each value is a pair (TRUE bits, UNKNOWN bits); FALSE is neither.

use super::{mask_tail, Tv};

/// `a AND b`: TRUE if both TRUE; UNKNOWN if neither is FALSE and not both TRUE.
pub fn and(mut a: Tv, b: &Tv, need_unknown: bool) -> Tv {
    if need_unknown {
        let u = match (&a.u, &b.u) {
            (None, None) => None,
            (au, bu) => {
                let w = a.t.len();
                let au = au.as_deref();
                let bu = bu.as_deref();
                let mut u = vec![0u64; w];
                for i in 0..w {
                    let (ua, ub) = (au.map_or(0, |x| x[i]), bu.map_or(0, |x| x[i]));
                    u[i] = (ua | ub) & (a.t[i] | ua) & (b.t[i] | ub);
                }
                Some(u)
            }
        };
        a.u = u;
    } else {
        a.u = None;
    }
    a.t.iter_mut().zip(&b.t).for_each(|(x, y)| *x &= y);
    a
}

/// `a OR b`: TRUE if either TRUE; UNKNOWN if not TRUE and either UNKNOWN.
pub fn or(mut a: Tv, b: &Tv, need_unknown: bool) -> Tv {
    a.t.iter_mut().zip(&b.t).for_each(|(x, y)| *x |= y);
    if need_unknown {
        a.u = match (a.u.take(), &b.u) {
            (None, None) => None,
            (au, bu) => {
                let mut u = au.unwrap_or_else(|| vec![0; a.t.len()]);
                if let Some(bu) = bu {
                    u.iter_mut().zip(bu).for_each(|(x, y)| *x |= y);
                }
                u.iter_mut().zip(&a.t).for_each(|(x, t)| *x &= !t);
                Some(u)
            }
        };
    } else {
        a.u = None;
    }
    a
}

/// `NOT a`: TRUE ↔ FALSE, UNKNOWN stays.
pub fn not(mut a: Tv, n: usize) -> Tv {
    match &a.u {
        Some(u) => a.t.iter_mut().zip(u).for_each(|(t, u)| *t = !*t & !u),
        None => a.t.iter_mut().for_each(|t| *t = !*t),
    }
    mask_tail(&mut a.t, n);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    // Encode per-row values T/F/U in bit 0..3.
    fn tv(vals: &[char]) -> Tv {
        let mut t = 0u64;
        let mut u = 0u64;
        for (i, v) in vals.iter().enumerate() {
            match v {
                'T' => t |= 1 << i,
                'U' => u |= 1 << i,
                _ => {}
            }
        }
        Tv { t: vec![t], u: Some(vec![u]) }
    }

    fn show(x: &Tv, n: usize) -> String {
        (0..n)
            .map(|i| {
                if x.t[0] >> i & 1 == 1 {
                    'T'
                } else if x.u.as_ref().is_some_and(|u| u[0] >> i & 1 == 1) {
                    'U'
                } else {
                    'F'
                }
            })
            .collect()
    }

    #[test]
    fn truth_tables() {
        let a = tv(&['T', 'T', 'T', 'F', 'F', 'F', 'U', 'U', 'U']);
        let b = tv(&['T', 'F', 'U', 'T', 'F', 'U', 'T', 'F', 'U']);
        assert_eq!(show(&and(tv(&['T', 'T', 'T', 'F', 'F', 'F', 'U', 'U', 'U']), &b, true), 9), "TFUFFFUFU");
        assert_eq!(show(&or(a.clone(), &b, true), 9), "TTTTFUTUU");
        assert_eq!(show(&not(a, 9), 9), "TTTFFFUUU".replace('T', "x").replace('F', "T").replace('x', "F"));
    }
}
