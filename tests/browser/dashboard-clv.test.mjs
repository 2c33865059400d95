// The dashboard's "Predicted value" panel in a real browser (Debian chromium via playwright-core): spend tiers,
// parameters and the repeat-purchase chart on the demo data and on a Shopify-like orders export
// (scripts/gen_shop_exports.py), in English and Finnish, each checked against the synchronous API in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Arrow from 'apache-arrow';
import { openBrowser, dropFile, artifacts, repo } from './harness.mjs';
import { loadDataset, loadFile } from '../../dist/index.js';
import { demoTable, demoReferenceDate } from '../../www/demo-data.js';

let env;
let page;
let shopDir;
before(async () => {
  env = await openBrowser();
  shopDir = mkdtempSync(join(tmpdir(), 'segmetry-shop-'));
  execFileSync('python3', [join(repo, 'scripts/gen_shop_exports.py'), shopDir, '--customers', '600', '--seed', '3'], {
    stdio: 'ignore',
  });
});
after(async () => {
  await env?.close();
  if (shopDir) rmSync(shopDir, { recursive: true, force: true });
});

/** Click "Predict value" and wait for this run's result; returns the tier rows as { tier: customers }. */
async function predict() {
  const runs = Number((await page.getAttribute('#clv', 'data-runs')) ?? 0);
  await page.click('#run-clv');
  await page.waitForFunction((n) => Number(document.querySelector('#clv').dataset.runs ?? 0) > n, runs, {
    timeout: 60_000,
  });
  assert.equal(await page.getAttribute('#clv', 'data-state'), 'ready', await page.textContent('#clv-error'));
  return page.$$eval('#clv-tiers tbody tr', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.tier, Number(r.dataset.customers)])),
  );
}

const tiersOf = (result) => Object.fromEntries(result.tiers.map((t) => [t.name, t.customers]));

test('the demo data: spend tiers, parameters and the fit chart match the synchronous API', async () => {
  page = await env.newPage({ locale: 'en-US' });
  await page.goto(`${env.origin}/`);
  await page.waitForSelector('body[data-data="ready"]', { timeout: 60_000 });
  const shown = await predict();

  const ds = await loadDataset(Arrow.tableToIPC(demoTable(Arrow, 50_000, 42)));
  const want = await ds.clv({
    firstOrderDate: 'signup_date',
    lastOrderDays: 'last_order_days',
    referenceDate: demoReferenceDate,
  });
  assert.deepEqual(shown, tiersOf(want));
  assert.deepEqual(Object.keys(shown), ['High', 'Medium', 'Low', 'Likely lost', 'Unscored']);
  assert.ok(shown.High > 1000 && shown.Medium > shown.High, JSON.stringify(shown));
  const params = await page.$$eval('#clv-params tbody tr', (rows) => rows.map((r) => r.dataset.param));
  assert.deepEqual(params, ['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma']);
  assert.ok(await page.isVisible('#clv-histogram svg'));
  assert.match(await page.textContent('#clv-summary'), /Demo data/);
  // The demo table is not drawn from the models (nobody stops buying): the fit says so.
  assert.deepEqual(await page.$$eval('#clv-result .warnings li', (lis) => lis.length), want.checks.warnings.length);
  assert.ok(
    want.checks.warnings.some((w) => /no standard error/.test(w)),
    want.checks.warnings.join('\n'),
  );
  assert.equal(await page.textContent('#clv-tiers tbody tr[data-tier="High"] td'), 'High');

  // The tiers as a saved segmentation: its groups in the segment list are the spendTier built-in's, which
  // analyze evaluates on its own (the same sizes from a second path through the engine).
  await page.click('#clv-add-tiers');
  const item = await page.waitForSelector('#segment-list > li[data-segment="Predicted spend tier"] .groups');
  const groups = await item.$$eval('li', (lis) => lis.map((li) => li.dataset.group));
  const clvOptions = {
    firstOrderDate: 'signup_date',
    lastOrderDays: 'last_order_days',
    referenceDate: demoReferenceDate,
  };
  const report = ds.analyze({
    segments: { tier: { builtin: 'spendTier', options: { clv: clvOptions } } },
    referenceDate: demoReferenceDate,
  });
  const bySize = Object.fromEntries(report.segments.slice(1).map((s) => [s.name.replace(/^tier: /, ''), s.size]));
  assert.deepEqual(
    Object.fromEntries(groups.map((g) => [g, bySize[g]])),
    Object.fromEntries(Object.entries(tiersOf(want)).filter(([, n]) => n > 0)),
  );
  const saved = await page.evaluate(() => globalThis.segmetryDashboard.settings.segments.map((s) => s.builtin));
  assert.ok(saved.includes('spendTier'), JSON.stringify(saved));
  want.customers.free();
  ds.free();
  await page.screenshot({ path: join(artifacts, 'clv-demo.png'), fullPage: true });

  await page.selectOption('#language', 'fi');
  assert.equal(await page.textContent('#clv-title'), 'Ennustettu arvo');
  assert.equal(await page.textContent('#clv-tiers tbody tr[data-tier="High"] td'), 'Korkea');
  assert.equal(await page.textContent('#clv-tiers tbody tr[data-tier="Likely lost"] td'), 'Todennäköisesti menetetty');
  await page.selectOption('#language', 'en');
});

test('a Shopify orders export: customer features first, then the same tiers as the synchronous API', async () => {
  const bytes = readFileSync(join(shopDir, 'orders_export.csv'));
  const loads = Number(await page.getAttribute('body', 'data-loads'));
  await dropFile(page, '#dropzone', { name: 'orders_export.csv', bytes, type: 'text/csv' });
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, loads, { timeout: 60_000 });
  assert.equal(await page.$('#clv-tiers'), null, 'a new dataset clears the previous prediction');
  const shown = await predict();
  assert.match(await page.textContent('#clv-summary'), /Orders export/);

  const orders = await loadFile(bytes);
  const features = await orders.customerFeatures({
    customer: 'Email',
    order: 'Name',
    date: 'Created at',
    amount: 'Total',
    where: `"Financial Status" IN ('paid', 'partially_refunded')`,
  });
  const want = await features.clv({});
  assert.deepEqual(shown, tiersOf(want));
  assert.ok(shown.High > 0 && shown.Low > 0, JSON.stringify(shown));
  want.customers.free();
  features.free();
  orders.free();
  await page.screenshot({ path: join(artifacts, 'clv-orders.png'), fullPage: true });
});

test('data without order history says what the panel needs', async () => {
  const csv = 'customer_id,country\n1,FI\n2,SE\n';
  const loads = Number(await page.getAttribute('body', 'data-loads'));
  await dropFile(page, '#dropzone', { name: 'plain.csv', bytes: Buffer.from(csv) });
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, loads, { timeout: 60_000 });
  await page.click('#run-clv');
  await page.waitForSelector('#clv[data-state="error"]');
  assert.match(await page.textContent('#clv-error'), /first_order_date/);
  assert.deepEqual(env.consoleErrors ?? [], []);
});
