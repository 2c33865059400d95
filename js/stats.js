// The `stats` namespace: synchronous A/B statistics on summary numbers. Every function forwards to the wasm
// core, which validates its input (SegmetryError with code INVALID_ARGUMENT naming the argument) and returns
// NaN fields plus a `warning` string for undefined results. Formulas and references: docs/statistics.md.
import { call, wasm } from './runtime.js';

export function proportionInterval(successes, trials, options) {
  return call(wasm.statsProportionInterval, successes, trials, options);
}

export function twoProportionZTest(control, treatment, options) {
  return call(wasm.statsTwoProportionZTest, control, treatment, options);
}

export function proportionDifferenceInterval(control, treatment, options) {
  return call(wasm.statsProportionDifferenceInterval, control, treatment, options);
}

export function chiSquareIndependence(table, options) {
  return call(wasm.statsChiSquareIndependence, table, options);
}

export function fisherExact(table2x2, options) {
  return call(wasm.statsFisherExact, table2x2, options);
}

export function tTest(control, treatment, options) {
  return call(wasm.statsTTest, control, treatment, options);
}

export function srm(observedCounts, expectedWeights, options) {
  return call(wasm.statsSrm, observedCounts, expectedWeights, options);
}

export function adjustPValues(pValues, method) {
  return call(wasm.statsAdjustPValues, pValues, method);
}

export function bayesBinomial(control, treatment, options) {
  return call(wasm.statsBayesBinomial, control, treatment, options);
}

export function compare(control, treatment, options) {
  return call(wasm.statsCompare, control, treatment, options);
}

export function sampleSize(options) {
  return call(wasm.statsSampleSize, options);
}

export function power(options) {
  return call(wasm.statsPower, options);
}

export function minimumDetectableEffect(options) {
  return call(wasm.statsMinimumDetectableEffect, options);
}

export function heterogeneity(estimates, standardErrors) {
  return call(wasm.statsHeterogeneity, estimates, standardErrors);
}
