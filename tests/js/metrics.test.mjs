// Named metrics through the built package: the gbstats/scipy references of tests/fixtures/metrics (written by
// scripts/gen_metrics_fixtures.py) and the option errors a user meets.
// Run: node --test tests/js/metrics.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Bool, Int32, Utf8, makeTable, tableToIPC, vectorFromArray } from 'apache-arrow';
import { loadDataset, SegmetryError } from 'segmetry';

const fx = JSON.parse(readFileSync(new URL('../fixtures/metrics/expected.json', import.meta.url), 'utf8'));

function emailTest() {
  const rows = { variant: [], Opened: [], Clicked: [], Score: [] };
  for (const v of ['A', 'B']) {
    const d = fx.data[v];
    rows.variant.push(...d.Opened.map(() => v));
    for (const k of ['Opened', 'Clicked', 'Score']) rows[k].push(...d[k]);
  }
  const table = makeTable({
    variant: vectorFromArray(rows.variant, new Utf8()),
    Opened: vectorFromArray(rows.Opened, new Int32()),
    Clicked: vectorFromArray(rows.Clicked, new Int32()),
    Score: vectorFromArray(rows.Score, new Int32()),
  });
  return loadDataset(tableToIPC(table, 'stream'));
}

function close(got, want, tol, what) {
  const err = Math.abs(got - want) / Math.abs(want);
  assert.ok(err <= tol, `${what}: got ${got}, want ${want} (rel err ${err})`);
}

const options = {
  variant: 'variant',
  control: 'A',
  conversion: null,
  revenue: null,
  difference: 'absolute',
  metrics: {
    click_to_open: { type: 'ratio', numerator: 'Clicked', denominator: 'Opened' },
    nps: { column: 'Score', type: 'nps', role: 'secondary' },
    opened: 'Opened',
  },
  referenceDate: '2026-11-01',
};

test('ratio and NPS metrics match gbstats and scipy', async () => {
  const ds = await emailTest();
  const report = ds.analyze(options);
  const [a, b] = report.segments[0].variants;
  assert.deepEqual(Object.keys(b.metrics), ['click_to_open', 'nps', 'opened']);
  for (const [cellReport, v] of [
    [a, 'A'],
    [b, 'B'],
  ]) {
    const want = fx.cells[v];
    close(cellReport.metrics.click_to_open.variance, want.click_to_open.gbstatsVariance, 1e-10, 'ratio variance');
    close(cellReport.metrics.nps.estimate, want.nps.mean, 1e-14, 'nps');
    assert.equal(cellReport.metrics.nps.promoters, want.nps.promoters);
    assert.equal(cellReport.metrics.opened.type, 'proportion');
  }
  for (const m of ['click_to_open', 'nps']) {
    close(b.metrics[m].vsControl.pValue, fx.bVsA[m].pValue, 1e-8, `${m} pValue`);
  }
  assert.equal(a.metrics.nps.vsControl, null);
  assert.equal(b.metrics.nps.vsControl.adjustedPValue, null); // secondary: outside the family
  assert.deepEqual(report.correction.goalMetrics, ['click_to_open', 'opened']);
  assert.equal(report.correction.family, 2);
  ds.free();
});

test('metric option errors name the metric and suggest a fix', async () => {
  const ds = await emailTest();
  const fails = (metrics, code, pattern) => {
    assert.throws(
      () => ds.analyze({ ...options, metrics }),
      (e) => e instanceof SegmetryError && e.code === code && pattern.test(e.message),
    );
  };
  fails({ cto: { colum: 'Clicked' } }, 'INVALID_ARGUMENT', /metric `cto`.*did you mean `column`/);
  fails({ cto: 'Clickd' }, 'UNKNOWN_COLUMN', /metric `cto`.*Clicked/);
  fails({ cto: { type: 'ratio', numerator: 'Clicked' } }, 'INVALID_ARGUMENT', /denominator/);
  fails({ s: { column: 'variant', type: 'nps' } }, 'TYPE_MISMATCH', /nps metric needs a numeric column/);
  ds.free();
});

test('named metrics scale out: the query DuckDB ran, and analyzeSummary of its rows = ds.analyze', async () => {
  // The units of tests/metrics_sql.rs (same columns, same options; keys in the order that test writes them).
  const { sqlForAnalysis, analyzeSummary } = await import('segmetry');
  const rows = { variant: [], Opened: [], Clicked: [], Score: [] };
  for (const v of ['A', 'B']) {
    rows.variant.push(...fx.data[v].Opened.map(() => v));
    for (const k of ['Opened', 'Clicked', 'Score']) rows[k].push(...fx.data[v][k]);
  }
  const table = makeTable({
    variant: vectorFromArray(rows.variant, new Utf8()),
    Opened: vectorFromArray(rows.Opened, new Int32()),
    Clicked: vectorFromArray(rows.Clicked, new Int32()),
    Score: vectorFromArray(rows.Score, new Int32()),
    'Opened text': vectorFromArray(
      rows.Opened.map((o) => (o === 1 ? 'yes' : 'no')),
      new Utf8(),
    ),
    'Clicked flag': vectorFromArray(
      rows.Clicked.map((c) => c === 1),
      new Bool(),
    ),
  });
  const ds = await loadDataset(tableToIPC(table, 'stream'));
  const o = {
    control: 'A',
    conversion: null,
    revenue: null,
    difference: 'absolute',
    correction: 'holm',
    referenceDate: '2026-11-01',
    segments: { answered: 'Score IS NOT NULL', openers: `"Opened text" = 'yes'` },
    metrics: {
      click_to_open: { type: 'ratio', numerator: 'Clicked', denominator: 'Opened' },
      clicked: { column: 'Clicked flag', role: 'secondary' },
      clicked_cuped: { column: 'Clicked', type: 'proportion', covariate: 'Score' },
      nps: { column: 'Score', type: 'nps' },
      opened: { column: 'Opened', type: 'proportion' },
      opened_text: 'Opened text',
      score: { column: 'Score', type: 'mean', role: 'guardrail', higherIsBetter: true },
    },
  };
  const dir = new URL('../fixtures/metrics/', import.meta.url);
  const sql = sqlForAnalysis(o, { dialect: 'duckdb', table: 'units', dataset: ds });
  assert.equal(sql, readFileSync(new URL('metrics.duckdb.sql', dir), 'utf8').trimEnd());
  const duckRows = JSON.parse(readFileSync(new URL('metrics_duckdb.json', dir), 'utf8'));
  const got = analyzeSummary(duckRows, { ...o, dataset: ds });
  const want = ds.analyze(o);
  for (const [s, seg] of want.segments.entries()) {
    for (const [i, v] of seg.variants.entries()) {
      for (const [name, m] of Object.entries(v.metrics)) {
        const g = got.segments[s].variants[i].metrics[name];
        assert.equal(g.n, m.n, `${seg.name} ${name} n`);
        close(g.estimate, m.estimate, 1e-12, `${seg.name} ${name} estimate`);
        const p = m.vsControl?.pValue;
        // Openers all opened: no variance, so no test, in both paths.
        if (Number.isNaN(p)) assert.ok(Number.isNaN(g.vsControl.pValue), `${seg.name} ${name} pValue NaN`);
        else if (p !== undefined) close(g.vsControl.pValue, p, 1e-9, `${seg.name} ${name} pValue`);
      }
    }
  }
  assert.ok(Number.isFinite(got.segments[0].variants[1].metrics.clicked_cuped.vsControl.cupedTheta));
  ds.free();
});
