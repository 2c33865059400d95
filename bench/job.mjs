// The benchmark job, shared by every engine: 4 segments × 3 variants → n, conversions, revenue sum and sum of
// squares, then the statistics (Wilson intervals, two-proportion z-tests and Welch t-tests against control A,
// Holm correction). Engines other than segmetry compute the statistics with `reportFromAggregates` below, inside
// their timed region, so everyone delivers the same report.

export const SEGMENTS = [
  { name: 'nordic_repeat', rule: "country IN ('FI', 'SE') AND orders_count >= 3" },
  { name: 'mid_spend', rule: 'total_spent BETWEEN 100 AND 500' },
  { name: 'lapsed', rule: 'last_order_days > 90' },
  { name: 'everyone', rule: null },
];
export const VARIANT_KEYS = ['A', 'B', 'C'];
export const CONTROL = 'A';
export const FIELDS = 4; // n, conversions, revenue sum, revenue sum of squares
export const CELLS = SEGMENTS.length * VARIANT_KEYS.length;

/** Index of (segment, variant, field) in a flat aggregate array. */
export const at = (s, v, f) => (s * VARIANT_KEYS.length + v) * FIELDS + f;

/** The options segmetry's analyze gets. */
export function analyzeOptions() {
  const segments = {};
  for (const s of SEGMENTS) if (s.rule) segments[s.name] = s.rule;
  return {
    segments,
    includeAll: true,
    variant: 'variant',
    control: CONTROL,
    conversion: 'converted',
    revenue: 'revenue',
    confidence: 0.95,
    correction: 'holm',
    difference: 'absolute',
  };
}

// ---- statistics from aggregates (double precision, no dependencies) ----

const SQRT2 = Math.SQRT2;
function erfc(x) {
  // W. J. Cody's rational approximations via the complementary error function (|rel err| < 1.2e-7 is not enough
  // for small p-values), so use the continued fraction / series split with full double precision instead.
  const z = Math.abs(x);
  let r;
  if (z < 2) {
    // series of erf
    let sum = z,
      term = z,
      n = 0;
    const z2 = z * z;
    do {
      n++;
      term *= -z2 / n;
      sum += term / (2 * n + 1);
    } while (Math.abs(term / (2 * n + 1)) > 1e-17 * Math.abs(sum));
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // continued fraction (Lentz)
    let f = z,
      c = z,
      d = 0;
    for (let i = 1; i < 300; i++) {
      const a = i / 2;
      d = z + a * d;
      d = 1 / d;
      c = z + a / c;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}
export const normalSf = (x) => 0.5 * erfc(x / SQRT2);

function lgamma(x) {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
function betacf(a, b, x) {
  const tiny = 1e-300;
  let c = 1,
    d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}
/** Regularized incomplete beta I_x(a, b). */
function ibeta(x, a, b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (bt * betacf(a, b, x)) / a : 1 - (bt * betacf(b, a, 1 - x)) / b;
}
/** Two-sided p-value of Student's t with df degrees of freedom. */
export const studentTwoSided = (t, df) => (Number.isFinite(t) ? ibeta(df / (df + t * t), df / 2, 0.5) : NaN);

export function wilson(x, n, z = 1.959963984540054) {
  if (n === 0) return [NaN, NaN];
  const p = x / n,
    z2 = z * z,
    den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return [centre - half, centre + half];
}

export function holm(pValues) {
  const order = pValues.map((p, i) => [p, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(pValues.length);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (pValues.length - k) * p));
    out[i] = running;
  });
  return out;
}

/** The report (plain objects) from flat aggregates. */
export function reportFromAggregates(agg) {
  const segments = [];
  const family = [];
  SEGMENTS.forEach((seg, s) => {
    const variants = VARIANT_KEYS.map((key, v) => {
      const n = agg[at(s, v, 0)],
        conversions = agg[at(s, v, 1)],
        sum = agg[at(s, v, 2)],
        sumSq = agg[at(s, v, 3)];
      const mean = n ? sum / n : NaN;
      const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : NaN;
      return {
        variant: key,
        n,
        conversions,
        revenueSum: sum,
        revenueSumSq: sumSq,
        revenueMean: mean,
        revenueVariance: variance,
        conversionInterval: wilson(conversions, n),
      };
    });
    const c = variants[0];
    for (const t of variants.slice(1)) {
      const pc = c.conversions / c.n,
        pt = t.conversions / t.n;
      const pool = (c.conversions + t.conversions) / (c.n + t.n);
      const zc = (pt - pc) / Math.sqrt(pool * (1 - pool) * (1 / c.n + 1 / t.n));
      t.conversionVsControl = { difference: pt - pc, z: zc, pValue: 2 * normalSf(Math.abs(zc)) };
      const vc = c.revenueVariance / c.n,
        vt = t.revenueVariance / t.n;
      const tt = (t.revenueMean - c.revenueMean) / Math.sqrt(vc + vt);
      const df = (vc + vt) ** 2 / (vc ** 2 / (c.n - 1) + vt ** 2 / (t.n - 1));
      t.revenueVsControl = {
        difference: t.revenueMean - c.revenueMean,
        t: tt,
        df,
        pValue: studentTwoSided(Math.abs(tt), df),
      };
      family.push(t.conversionVsControl, t.revenueVsControl);
    }
    segments.push({ name: seg.name, variants });
  });
  holm(family.map((x) => x.pValue)).forEach((p, i) => {
    family[i].adjustedPValue = p;
  });
  return { segments };
}

/** Compare two engines' aggregates: counts exactly, sums to a relative 1e-9. Returns a list of differences. */
export function compareAggregates(a, b, limit = 5) {
  const diffs = [];
  for (let s = 0; s < SEGMENTS.length; s++) {
    for (let v = 0; v < VARIANT_KEYS.length; v++) {
      for (let f = 0; f < FIELDS; f++) {
        const x = a[at(s, v, f)],
          y = b[at(s, v, f)];
        const ok = f < 2 ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
        if (!ok && diffs.length < limit) {
          diffs.push(
            `${SEGMENTS[s].name}/${VARIANT_KEYS[v]}/${['n', 'conversions', 'revenueSum', 'revenueSumSq'][f]}: ${x} vs ${y}`,
          );
        }
      }
    }
  }
  return diffs;
}
