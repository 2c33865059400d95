// The report's charts, drawn with Observable Plot. Plot is passed in by the host (`mount(el, { Plot })`), so the
// package has no chart dependency and hosts keep one copy of Plot/d3 in their bundle.

import { segmentName } from './i18n.js';

const finite = (x) => typeof x === 'number' && Number.isFinite(x);

const DEFAULT_SERIES = ['#0b6bcb', '#d9480f', '#2b8a3e', '#7048e8', '#c2255c'];

/**
 * Concrete colours from the host's CSS variables (--segmetry-series-1…5, --segmetry-fg, --segmetry-border):
 * SVG presentation attributes cannot hold var(), so they are resolved once per render.
 */
export function themeOf(element) {
  const style = typeof getComputedStyle === 'function' && element ? getComputedStyle(element) : null;
  const read = (name, fallback) => style?.getPropertyValue(name).trim() || fallback;
  return {
    series: DEFAULT_SERIES.map((c, i) => read(`--segmetry-series-${i + 1}`, c)),
    fg: read('--segmetry-fg', '#1b1f24'),
    border: read('--segmetry-border', '#d1d9e0'),
  };
}

function colors(variants, theme) {
  return { domain: variants, range: variants.map((_, i) => theme.series[i % theme.series.length]) };
}

function segmentLabel(segment, locale, max = 28) {
  const name = segmentName(segment, locale);
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** Conversion rate per segment × variant with interval bars. */
export function conversionChart(Plot, report, { t, fmt, width, theme, locale }) {
  const data = [];
  for (const s of report.segments) {
    for (const v of s.variants) {
      if (!finite(v.conversionRate)) continue;
      data.push({
        segment: segmentLabel(s, locale),
        variant: v.variant,
        rate: v.conversionRate,
        lower: v.conversionInterval?.lower,
        upper: v.conversionInterval?.upper,
      });
    }
  }
  if (!data.length) return null;
  const variants = [...new Set(data.map((d) => d.variant))];
  return Plot.plot({
    width,
    marginLeft: 170,
    marginRight: 40,
    height: 30 + data.length * 16 + report.segments.length * 8,
    x: { label: t('conversionRate'), tickFormat: (x) => fmt.percent(x), grid: true, nice: true },
    y: { axis: null, domain: variants },
    fy: { label: null, axis: 'left', domain: [...new Set(data.map((d) => d.segment))], padding: 0.25 },
    color: { legend: true, ...colors(variants, theme) },
    marks: [
      Plot.frame({ stroke: theme.border, anchor: 'bottom' }),
      Plot.ruleY(data, { fy: 'segment', y: 'variant', x1: 'lower', x2: 'upper', stroke: 'variant', strokeWidth: 2 }),
      Plot.dot(data, {
        fy: 'segment',
        y: 'variant',
        x: 'rate',
        fill: 'variant',
        r: 3.5,
        title: (d) => `${d.segment} · ${d.variant}: ${fmt.percent(d.rate)} (${fmt.interval(d.lower, d.upper)})`,
      }),
    ],
  });
}

function liftRows(report, locale, metric = 'conversionVsControl') {
  const rows = [];
  for (const s of report.segments) {
    for (const v of s.variants) {
      const c = v[metric];
      if (!c || !finite(c.estimate)) continue;
      rows.push({
        segment: segmentLabel(s, locale),
        variant: v.variant,
        estimate: c.estimate,
        lower: c.lower,
        upper: c.upper,
        se: c.standardError,
        chanceToWin: c.chanceToWin,
        significant: finite(c.lower) && finite(c.upper) && (c.lower > 0 || c.upper < 0),
      });
    }
  }
  return rows;
}

/** Forest plot of the relative lift over control across segments. */
export function forestChart(Plot, report, { t, fmt, width, theme, locale }) {
  const data = liftRows(report, locale);
  if (!data.length) return null;
  const variants = [...new Set(data.map((d) => d.variant))];
  return Plot.plot({
    width,
    marginLeft: 170,
    marginRight: 40,
    height: 30 + data.length * 18 + report.segments.length * 8,
    x: { label: t('lift'), tickFormat: (x) => fmt.signedPercent(x), grid: true, nice: true },
    y: { axis: null, domain: variants },
    fy: { label: null, axis: 'left', domain: [...new Set(data.map((d) => d.segment))], padding: 0.25 },
    color: { legend: variants.length > 1, ...colors(variants, theme) },
    marks: [
      Plot.ruleX([0], { stroke: theme.fg, strokeOpacity: 0.6 }),
      Plot.ruleY(data, { fy: 'segment', y: 'variant', x1: 'lower', x2: 'upper', stroke: 'variant', strokeWidth: 2 }),
      Plot.dot(data, {
        fy: 'segment',
        y: 'variant',
        x: 'estimate',
        fill: (d) => (d.significant ? d.variant : 'white'),
        stroke: 'variant',
        symbol: 'square',
        r: 4,
        title: (d) =>
          `${d.segment} · ${d.variant}: ${fmt.signedPercent(d.estimate)} (${fmt.interval(d.lower, d.upper, fmt.signedPercent)})`,
      }),
    ],
  });
}

/** Posterior densities of the relative lift (normal approximation N(estimate, standardError²)). */
export function posteriorChart(Plot, report, { t, fmt, width, theme, locale }) {
  const rows = liftRows(report, locale).filter((d) => finite(d.se) && d.se > 0);
  if (!rows.length) return null;
  const lo = Math.min(...rows.map((d) => d.estimate - 4 * d.se));
  const hi = Math.max(...rows.map((d) => d.estimate + 4 * d.se));
  const steps = 160;
  const curves = [];
  const facet = rows.some((o) => o.variant !== rows[0].variant);
  for (const d of rows) {
    const key = d.segment;
    for (let i = 0; i <= steps; i++) {
      const x = lo + ((hi - lo) * i) / steps;
      const z = (x - d.estimate) / d.se;
      curves.push({
        key,
        variant: d.variant,
        x,
        density: Math.exp(-0.5 * z * z) / (d.se * Math.sqrt(2 * Math.PI)),
        win: x >= 0,
      });
    }
  }
  const keys = [...new Set(curves.map((c) => c.key))];
  return Plot.plot({
    width,
    marginLeft: 20,
    height: facet ? 200 * new Set(rows.map((d) => d.variant)).size : 260,
    fy: facet ? { label: null } : undefined,
    x: { label: t('lift'), tickFormat: (x) => fmt.signedPercent(x), grid: true },
    y: { axis: null },
    color: {
      legend: true,
      type: 'ordinal',
      domain: keys,
      ...(keys.length <= theme.series.length
        ? { range: keys.map((_, i) => theme.series[i]) }
        : { scheme: 'tableau10' }),
    },
    marks: [
      Plot.areaY(
        curves.filter((c) => c.win),
        { x: 'x', y: 'density', fill: 'key', fillOpacity: 0.06, z: 'key', fy: facet ? 'variant' : undefined },
      ),
      Plot.lineY(curves, {
        x: 'x',
        y: 'density',
        stroke: 'key',
        z: 'key',
        strokeWidth: 1.5,
        fy: facet ? 'variant' : undefined,
      }),
      Plot.ruleX([0], { stroke: theme.fg, strokeOpacity: 0.6 }),
      Plot.ruleY([0]),
    ],
  });
}
