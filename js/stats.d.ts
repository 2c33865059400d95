// Types of the `stats` namespace (see docs/statistics.md). Control first, treatment second; differences are
// treatment − control. Invalid input throws SegmetryError (code 'INVALID_ARGUMENT', `subject` = argument);
// undefined results carry NaN fields and a `warning`. Counts are whole numbers in [0, 2^53 − 1]; numbers must be
// finite JS numbers (null, '', true, dates are rejected); an option set to `undefined` takes its default and an
// unknown option key is INVALID_ARGUMENT with a "did you mean".

export type Alternative = 'two-sided' | 'greater' | 'less';
export interface Proportion {
  successes: number;
  trials: number;
}
export type MeanSummary =
  { mean: number; variance: number; n: number } | { sum: number; sumSquares: number; n: number };
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  warning?: string;
}

export function proportionInterval(
  successes: number,
  trials: number,
  options?: {
    method?: 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'wald' | 'jeffreys';
    confidence?: number;
  },
): Interval;

export function twoProportionZTest(
  control: Proportion,
  treatment: Proportion,
  options?: { alternative?: Alternative },
): { statistic: number; pValue: number; difference: number; warning?: string };

export function proportionDifferenceInterval(
  control: Proportion,
  treatment: Proportion,
  options?: {
    method?: 'wald' | 'newcomb';
    confidence?: number;
  },
): Interval;

export function chiSquareIndependence(
  table: number[][],
  options?: { yates?: boolean },
): { statistic: number; df: number; pValue: number; warning?: string };

export function fisherExact(
  table2x2: [[number, number], [number, number]],
  options?: { alternative?: Alternative },
): { oddsRatio: number; pValue: number; warning?: string };

export function tTest(
  control: MeanSummary,
  treatment: MeanSummary,
  options?: { equalVariance?: boolean; alternative?: Alternative },
): { statistic: number; df: number; pValue: number; difference: number; standardError: number; warning?: string };

export function srm(
  observedCounts: number[],
  expectedWeights: number[],
  options?: { threshold?: number },
): { statistic: number; df: number; pValue: number; mismatch: boolean; warning?: string };

export function adjustPValues(pValues: number[], method?: 'bonferroni' | 'holm' | 'bh'): number[];

export interface BayesBinomialResult {
  probabilityToBeat: number;
  expectedLossControl: number;
  expectedLossTreatment: number;
  controlInterval: Interval;
  treatmentInterval: Interval;
  warning?: string;
}
export function bayesBinomial(
  control: Proportion,
  treatment: Proportion,
  options?: {
    prior?: { alpha?: number; beta?: number };
    confidence?: number;
  },
): BayesBinomialResult;

export interface CompareOptions {
  metric?: 'proportion' | 'mean';
  difference?: 'absolute' | 'relative';
  alternative?: Alternative;
  confidence?: number;
  /** GrowthBook's confidence sequences, two- or one-sided: `true` or `{ tuning }` (default 5000). */
  sequential?: boolean | { tuning?: number } | null;
  engine?: 'frequentist' | 'bayesian';
  prior?: { mean: number; variance: number } | null;
}
export interface CompareResult {
  estimate: number;
  lower: number;
  upper: number;
  standardError: number;
  /** null for the Bayesian engine. The test of "no difference": the same for `difference` 'absolute' and
   * 'relative' — also when a relative lift is undefined (control mean 0: estimate, bounds and standardError are
   * then NaN with a `warning`); Fisher's exact test for proportions when an expected 2×2 count is below 5. */
  pValue: number | null;
  /** null for the frequentist engine */
  chanceToWin: number | null;
  /** [expected loss of shipping control, of shipping treatment]; null for the frequentist engine */
  risk: [number, number] | null;
  /**
   * Why the result is NaN, why it is unreliable (starts with `unreliable:`: small counts, an exact test decided), or
   * why a relative interval is unbounded (means and sequential tests: Fieller, control mean ≈ 0).
   */
  warning?: string;
}
export function compare(
  control: Proportion | MeanSummary,
  treatment: Proportion | MeanSummary,
  options?: CompareOptions,
): CompareResult;

export interface SampleSizeOptions {
  baseline: number;
  minimumEffect: number;
  relative?: boolean;
  alpha?: number;
  power?: number;
  ratio?: number;
  alternative?: Alternative;
}
export function sampleSize(options: SampleSizeOptions): { control: number; treatment: number; total: number };
export function power(options: Omit<SampleSizeOptions, 'power'> & { control: number }): { power: number };
export function minimumDetectableEffect(options: Omit<SampleSizeOptions, 'minimumEffect'> & { control: number }): {
  minimumEffect: number;
  warning?: string;
};

export function heterogeneity(
  estimates: number[],
  standardErrors: number[],
): { q: number; df: number; pValue: number; iSquared: number };
