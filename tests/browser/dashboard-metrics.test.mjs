// The metric picker and the report's "All metrics" overview in a real browser (Debian chromium via
// playwright-core): named metrics chosen in the experiment panel go to analyze, and every overview cell shows the
// estimate and the verdict of the synchronous API's report for the same options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Arrow from 'apache-arrow';
import { readFileSync } from 'node:fs';
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

/**
 * Per variant, straight from the demo rows (no segmetry code): units with a value, conversions or the sum, and the
 * estimate (rate or mean) of a proportion on a bool column or a mean on a number column.
 */
function byVariant(table, column, type) {
  const variants = table.getChild('variant');
  const values = table.getChild(column);
  const out = new Map();
  for (let i = 0; i < table.numRows; i++) {
    const v = variants.get(i);
    const x = values.get(i);
    if (v === null || x === null) continue;
    const cell = out.get(v) ?? { n: 0, total: 0 };
    cell.n += 1;
    cell.total += type === 'proportion' ? (x ? 1 : 0) : x;
    out.set(v, cell);
  }
  for (const cell of out.values()) cell.estimate = cell.total / cell.n;
  return out;
}

test('the metric picker: one results table per metric, numbers from the rows themselves', async () => {
  const page = await env.newPage({ locale: 'en-US' });
  await page.goto(`${env.origin}/`);
  await page.waitForSelector('body[data-data="ready"]', { timeout: 60_000 });
  await page.click('#add-metric');
  await page.click('#add-metric');
  await page.fill('.metric-row[data-metric="0"] .metric-name', 'ordered');
  await page.selectOption('.metric-row[data-metric="0"] .metric-column', 'converted');
  await page.fill('.metric-row[data-metric="1"] .metric-name', 'spend');
  await page.selectOption('.metric-row[data-metric="1"] .metric-type', 'mean');
  await page.waitForSelector('.metric-row[data-metric="1"] .metric-column option[value="revenue"]', {
    state: 'attached',
  });
  await page.selectOption('.metric-row[data-metric="1"] .metric-column', 'revenue');
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="ready"]', { timeout: 60_000 });
  const options = await page.evaluate(() => globalThis.segmetryDashboard.analysisOptions());
  const picker = await page.$('#report select[data-control="metric"]');
  assert.deepEqual(await picker.evaluate((s) => [...s.options].map((o) => o.value)), ['ordered', 'spend']);

  const table = demoTable(Arrow, 50_000, 42);
  const all = '#report section[data-segment="All customers"]';
  const relative = (options.difference ?? 'relative') === 'relative';
  for (const [name, column, type] of [
    ['ordered', 'converted', 'proportion'],
    ['spend', 'revenue', 'mean'],
  ]) {
    await page.selectOption('#report select[data-control="metric"]', name);
    await page.waitForSelector(`${all} table[data-table="metric"][data-metric="${name}"]`);
    // One table per segment, only for the picked metric.
    const tables = await page.$$eval('#report table[data-table="metric"]', (ts) => ts.map((t) => t.dataset.metric));
    assert.ok(tables.length >= 2 && tables.every((m) => m === name), `${name}: ${tables}`);
    const want = byVariant(table, column, type);
    const control = want.get(options.control);
    for (const [variant, cell] of want) {
      const row = `${all} table[data-metric="${name}"] tr[data-variant="${variant}"]`;
      const value = (field) => page.$eval(`${row} td[data-field="${field}"]`, (td) => td.dataset.value);
      const where = `${name} · ${variant}`;
      assert.equal(Number(await value('n')), cell.n, `${where}: n`);
      const count = type === 'proportion' ? 'conversions' : 'sum';
      const total = Number(await value(count));
      assert.ok(Math.abs(total - cell.total) <= 1e-9 * Math.max(1, Math.abs(cell.total)), `${where}: ${count}`);
      const estimate = Number(await value('estimate'));
      assert.ok(Math.abs(estimate - cell.estimate) <= 1e-12 * Math.abs(cell.estimate), `${where}: estimate`);
      const lift = await value('lift');
      if (variant === options.control) assert.equal(lift, '', `${where}: the control has no lift`);
      else {
        const expected = relative ? cell.estimate / control.estimate - 1 : cell.estimate - control.estimate;
        assert.ok(Math.abs(Number(lift) - expected) <= 1e-9 * Math.abs(expected), `${where}: lift`);
      }
    }
  }

  // The metrics CSV export: one row per segment × variant × metric, its counts those of the rows themselves.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-metrics')]);
  const lines = readFileSync(await download.path(), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const header = lines[0].split(',');
  const col = (row, name) => row.split(',')[header.indexOf(name)];
  for (const [name, column, type] of [
    ['ordered', 'converted', 'proportion'],
    ['spend', 'revenue', 'mean'],
  ]) {
    for (const [variant, cell] of byVariant(table, column, type)) {
      const row = lines.find((l) => l.startsWith(`All customers,${variant},`) && col(l, 'metric') === name);
      assert.ok(row, `CSV row ${name} · ${variant}`);
      assert.equal(Number(col(row, 'n')), cell.n);
      const total = Number(col(row, type === 'proportion' ? 'conversions' : 'sum'));
      assert.ok(Math.abs(total - cell.total) <= 1e-9 * Math.max(1, Math.abs(cell.total)), `CSV ${name} · ${variant}`);
    }
  }

  // The picked metric survives a language switch; the table speaks Finnish.
  await page.selectOption('#language', 'fi');
  await page.waitForSelector(`${all} table[data-metric="spend"] th:text("Arvo (luottamusväli)")`);
  await page.close();
});
