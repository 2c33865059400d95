// The metric picker and the report's "All metrics" overview in a real browser (Debian chromium via
// playwright-core): named metrics chosen in the experiment panel go to analyze, and every overview cell shows the
// estimate and the verdict of the synchronous API's report for the same options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Arrow from 'apache-arrow';
import { openBrowser } from './harness.mjs';
import { loadDataset } from '../../dist/index.js';
import { demoTable } from '../../www/demo-data.js';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** The verdict a cell must show: the interval above or below 0, read in the metric's good direction. */
function verdictOf(metric) {
  const c = metric.vsControl;
  if (!c) return 'control';
  const rise = c.lower > 0 ? 1 : c.upper < 0 ? -1 : 0;
  const good = rise * (metric.higherIsBetter ? 1 : -1);
  return good > 0 ? 'better' : good < 0 ? 'worse' : 'inconclusive';
}

test('named metrics from the picker: the overview matches the synchronous API, in both languages', async () => {
  const page = await env.newPage({ locale: 'en-US' });
  await page.goto(`${env.origin}/`);
  await page.waitForSelector('body[data-data="ready"]', { timeout: 60_000 });
  await page.click('#add-metric');
  await page.click('#add-metric');
  await page.fill('.metric-row[data-metric="0"] .metric-name', 'converted');
  await page.fill('.metric-row[data-metric="1"] .metric-name', 'spend');
  await page.selectOption('.metric-row[data-metric="1"] .metric-type', 'mean');
  await page.waitForSelector('.metric-row[data-metric="1"] .metric-column option[value="revenue"]', {
    state: 'attached',
  });
  await page.selectOption('.metric-row[data-metric="1"] .metric-column', 'revenue');
  await page.selectOption('.metric-row[data-metric="1"] .metric-role', 'guardrail');
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="ready"]', { timeout: 60_000 });
  const options = await page.evaluate(() => globalThis.segmetryDashboard.analysisOptions());
  assert.deepEqual(Object.keys(options.metrics), ['converted', 'spend']);

  const ds = await loadDataset(Arrow.tableToIPC(demoTable(Arrow, 50_000, 42)));
  const expected = ds.analyze(options);
  let cells = 0;
  for (const segment of expected.segments) {
    const selector = `#report section[data-segment="${segment.name.replaceAll('"', '\\"')}"] table[data-table="metrics"]`;
    const table = await page.$(selector);
    assert.ok(table, `the overview of ${segment.name}`);
    for (const v of segment.variants) {
      for (const [name, metric] of Object.entries(v.metrics)) {
        const cell = await table.$(`tr[data-metric="${name}"] td[data-variant="${v.variant}"]`);
        const [value, verdict] = await cell.evaluate((td) => [td.dataset.value, td.dataset.verdict]);
        const where = `${segment.name} · ${v.variant} · ${name}`;
        if (Number.isFinite(metric.estimate)) {
          assert.ok(Math.abs(Number(value) - metric.estimate) <= 1e-12 * Math.abs(metric.estimate || 1), where);
        } else assert.equal(value, '', where);
        assert.equal(verdict, verdictOf(metric), where);
        cells += 1;
      }
    }
  }
  assert.ok(cells >= 2 * 2 * expected.segments.length, `${cells} cells`);
  assert.equal(expected.segments[0].variants[0].metrics.spend.higherIsBetter, false, 'a guardrail: a rise is harm');

  await page.selectOption('#language', 'fi');
  await page.waitForSelector('#report h5:text("Kaikki mittarit")');
  ds.free();
  await page.close();
});
