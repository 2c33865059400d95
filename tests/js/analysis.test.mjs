// ds.analyze() through the built package: the DuckDB/scipy fixtures (tests/fixtures/analysis), the report's
// shape, key order, append, suppression and SegmetryError cases.
// Run: node --test tests/js/analysis.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadDataset, SegmetryError } from 'segmetry';

const dir = new URL('../fixtures/analysis/', import.meta.url);
const bytes = (name) => readFileSync(new URL(name, dir));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
const rules = Object.fromEntries(expected.segments.filter((s) => s.rule).map((s) => [s.name, s.rule]));

const base = {
  segments: rules,
  variant: 'variant',
  control: 'A',
  conversion: 'converted',
  revenue: 'revenue',
  covariate: null,
  confidence: 0.95,
  alternative: 'two-sided',
  correction: 'holm',
  sequential: null,
  engine: 'frequentist',
  difference: 'absolute',
  referenceDate: '2026-11-01',
};

function close(got, want, tol, what) {
  const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
  assert.ok(err <= tol, `${what}: got ${got}, want ${want} (rel err ${err})`);
}

const segment = (report, name) => report.segments.find((s) => s.name === name);
const cell = (report, name, variant) => segment(report, name).variants.find((v) => v.variant === variant);

test('counts, sums and reference statistics match the fixtures', async () => {
  const ds = await loadDataset(bytes('experiment.arrow'));
  const report = ds.analyze(base);
  assert.deepEqual(report.variants, ['A', 'B', 'C']);
  assert.equal(report.control, 'A');
  assert.equal(report.rows, 20000);
  assert.equal(report.unassigned, expected.unassigned);
  for (const want of expected.segments) {
    const seg = segment(report, want.name);
    assert.equal(seg.size, want.size, `${want.name} size`);
    close(seg.srm.pValue, want.srm.pValue, 1e-9, `${want.name} srm`);
    for (const v of expected.variants) {
      const c = cell(report, want.name, v);
      const d = want.duckdb[v];
      assert.equal(c.n, d.n);
      assert.equal(c.conversions, d.conversions);
      assert.equal(c.conversionNulls, d.conversion_nulls);
      assert.equal(c.revenueNulls, d.revenue_nulls);
      close(c.revenueSum, want.exact[v].revenue_sum, 1e-12, `${want.name}/${v} revenueSum`);
      close(c.revenueSum, d.revenue_sum, 1e-12, `${want.name}/${v} revenueSum vs DuckDB`);
      close(c.conversionInterval.lower, want.variants[v].conversionInterval.lower, 1e-9, 'wilson lower');
      close(c.conversionInterval.upper, want.variants[v].conversionInterval.upper, 1e-9, 'wilson upper');
      if (v !== 'A') {
        close(c.revenueVsControl.pValue, want.variants[v].revenueVsControl.pValue, 1e-9, 'Welch p');
        close(c.conversionVsControl.estimate, want.variants[v].conversionVsControl.estimate, 1e-9, 'conversion lift');
      }
    }
  }
  for (const h of expected.holm) {
    const c = cell(report, h.segment, h.variant)[`${h.metric}VsControl`];
    close(c.adjustedPValue, h.adjustedPValue, 1e-9, `holm ${h.segment}/${h.variant}/${h.metric}`);
  }
  ds.free();
});

test('report shape: segment order, cells, warnings, heterogeneity, options echo', async () => {
  const ds = await loadDataset(bytes('experiment.arrow'));
  const report = ds.analyze({ ...base, covariate: 'pre_revenue', difference: 'relative' });
  // "All customers" first, then the segments in the object's key order.
  assert.deepEqual(
    report.segments.map((s) => s.name),
    ['All customers', ...Object.keys(rules)],
  );
  const s = segment(report, 'nordic_loyal');
  assert.equal(s.rule, "country IN ('FI', 'SE') AND orders_count >= 3");
  assert.equal(s.kind, 'rule');
  assert.equal(typeof s.sql, 'string');
  assert.equal(typeof s.cuped.theta, 'number');
  const [control, b] = s.variants;
  assert.equal(control.variant, 'A');
  assert.equal(control.conversionVsControl, null);
  for (const key of [
    'n',
    'conversions',
    'conversionRate',
    'revenueSum',
    'revenueMean',
    'revenueVariance',
    'conversionNulls',
    'revenueNulls',
    'revenueMeanAdjusted',
  ]) {
    assert.equal(typeof b[key], 'number', key);
  }
  assert.deepEqual(Object.keys(b.conversionInterval).sort(), ['estimate', 'lower', 'upper']);
  for (const key of ['estimate', 'lower', 'upper', 'standardError', 'pValue', 'adjustedPValue']) {
    assert.equal(typeof b.revenueVsControl[key], 'number', key);
  }
  assert.ok(report.warnings.some((w) => w.code === 'SRM' && w.segment === 'norway'));
  assert.ok(report.warnings.some((w) => w.code === 'NULL_OUTCOMES'));
  assert.ok(report.warnings.every((w) => typeof w.message === 'string' && w.message.length > 20));
  assert.equal(typeof report.heterogeneity.caveat, 'string');
  assert.ok(report.heterogeneity.tests.length >= 2);
  const q = report.heterogeneity.tests[0];
  assert.ok(q.segments.length >= 2 && !q.segments.includes('All customers'));
  for (const key of ['q', 'df', 'pValue', 'iSquared']) assert.equal(typeof q[key], 'number', key);
  assert.equal(report.options.correction, 'holm');
  assert.equal(report.options.covariate, 'pre_revenue');
  assert.deepEqual(Object.keys(report.options.segments), Object.keys(rules));
  ds.free();
});

test('empty segments give NaN statistics, not errors; minCellSize nulls small cells', async () => {
  const ds = await loadDataset(bytes('experiment.arrow'));
  const empty = ds.analyze({ ...base, segments: { none: 'orders_count < 0' } });
  const none = cell(empty, 'none', 'B');
  assert.equal(none.n, 0);
  assert.ok(Number.isNaN(none.conversionRate));
  assert.ok(empty.warnings.some((w) => w.code === 'EMPTY_SEGMENT' && w.segment === 'none'));
  const report = ds.analyze({ ...base, segments: { tiny: rules.tiny }, minCellSize: 65 });
  const tinyB = cell(report, 'tiny', 'B');
  assert.equal(tinyB.suppressed, true);
  assert.equal(tinyB.n, null);
  assert.equal(tinyB.revenueSum, null);
  assert.equal(segment(report, 'tiny').size, null);
  assert.ok(report.warnings.some((w) => w.code === 'SUPPRESSED_CELL' && w.segment === 'tiny' && w.variant === 'B'));
  ds.free();
});

test('after append the report covers the new rows', async () => {
  const ds = await loadDataset(bytes('experiment.arrow'));
  const before = ds.analyze(base);
  const other = await loadDataset(bytes('append.arrow'));
  const extra = other.analyze(base);
  ds.append(bytes('append.arrow'));
  const after = ds.analyze(base);
  assert.equal(after.rows, 23000);
  for (const name of ['All customers', ...Object.keys(rules)]) {
    assert.equal(segment(after, name).size, segment(before, name).size + segment(extra, name).size, name);
    for (const v of ['A', 'B', 'C']) {
      assert.equal(cell(after, name, v).n, cell(before, name, v).n + cell(extra, name, v).n, `${name}/${v}`);
      assert.equal(
        cell(after, name, v).conversions,
        cell(before, name, v).conversions + cell(extra, name, v).conversions,
      );
    }
  }
  ds.free();
  other.free();
});

test('bad input throws SegmetryError with a stable code and subject', async () => {
  const ds = await loadDataset(bytes('experiment.arrow'));
  const throws = (options, code, subject) =>
    assert.throws(
      () => ds.analyze(options),
      (err) => {
        assert.ok(err instanceof SegmetryError, `${err}`);
        assert.equal(err.code, code, err.message);
        if (subject !== undefined) assert.equal(err.subject, subject, err.message);
        return true;
      },
    );
  throws({ ...base, control: 'Z' }, 'INVALID_ARGUMENT', 'control');
  throws({ ...base, correction: 'hom' }, 'INVALID_ARGUMENT', 'correction');
  throws({ ...base, confidance: 0.9 }, 'INVALID_ARGUMENT', 'confidance');
  throws({ ...base, confidence: 2 }, 'INVALID_ARGUMENT', 'confidence');
  throws({ ...base, variant: 'varaint' }, 'UNKNOWN_COLUMN', 'varaint');
  throws({ ...base, conversion: 'country' }, 'TYPE_MISMATCH');
  throws({ ...base, segments: { bad: 'orders_count >=' } }, 'RULE_SYNTAX');
  const err = (() => {
    try {
      ds.analyze({ ...base, control: 'Z' });
    } catch (e) {
      return e;
    }
  })();
  assert.match(err.message, /`A`, `B`, `C`/);
  ds.free();
});
