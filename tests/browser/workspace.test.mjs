// The dashboard's workspace in a real browser (Debian chromium via playwright-core): a Finnish shop's three exports
// (scripts/gen_shop_exports.py, 300 customers, seed 11) are dropped at once, the customer table is built in the
// "Customers" step, and the issue's questions are answered in the UI — FI customers who accept e-mail and spent over
// 200 €, lifecycle and RFM groups, the subject-line test by lifecycle stage, a segment's e-mail list. Every number
// shown is compared with DuckDB's answer on the same files (tests/fixtures/prepare/workspace.json, written by
// scripts/gen_prepare_fixtures.py), never with numbers segmetry produced. Then the page is reloaded and the same
// files dropped again: the saved recipe rebuilds the customer table by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, dropFiles, artifacts, repo } from './harness.mjs';

const truth = JSON.parse(readFileSync(join(repo, 'tests/fixtures/prepare/workspace.json'), 'utf8'));
const FILES = ['customers_export.csv', 'orders_export.csv', 'campaign_export.csv'];

let env;
let page;
let dir;
let files;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmetry-shop-'));
  // The same generator call as gen_prepare_fixtures.py's (300 customers, seed 11): the same bytes DuckDB read.
  execFileSync('python3', [join(repo, 'scripts/gen_shop_exports.py'), dir, '--customers', '300', '--seed', '11']);
  files = FILES.map((name) => ({ name, bytes: readFileSync(join(dir, name)), type: 'text/csv' }));
  env = await openBrowser();
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const loads = async () => Number(await page.getAttribute('body', 'data-loads'));
async function waitLoaded(previous) {
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, previous, { timeout: 120_000 });
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 120_000 });
}
async function dropExports() {
  const before = await loads();
  await dropFiles(page, '#dropzone', files);
  await page.waitForSelector('#workspace[data-tables]:not([data-tables="0"])');
  await page.waitForSelector('body[data-workspace="ready"]', { timeout: 120_000 });
  await waitLoaded(before);
}
async function useTable(name) {
  const before = await loads();
  await page.selectOption('#active-table', name);
  await waitLoaded(before);
}
/** Group sizes of a built-in segment as the list shows them: { group: size }. */
async function groupSizes(segment) {
  return page.$$eval(`#segment-list > li[data-segment="${segment}"] li[data-group]`, (lis) =>
    Object.fromEntries(
      lis.map((li) => [li.dataset.group, Number(li.textContent.split(': ').pop().replace(/\D/g, ''))]),
    ),
  );
}
const nonEmpty = (sizes) => Object.fromEntries(Object.entries(sizes).filter(([, n]) => n > 0));

test('three exports dropped at once become tables with import reports, types and previews', async () => {
  page = await env.newPage({ locale: 'en-US', timezoneId: 'Europe/Helsinki' });
  await page.goto(`${env.origin}/`);
  await page.waitForSelector('#status[data-rows]', { timeout: 60_000 });
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
  await page.fill('#reference-date', truth.referenceDate);
  await page.dispatchEvent('#reference-date', 'change');
  await dropExports();

  const rows = await page.$$eval('#tables details[data-table]', (ds) =>
    Object.fromEntries(ds.map((d) => [d.dataset.table, Number(d.dataset.rows)])),
  );
  assert.deepEqual(rows, {
    customers_export: truth.rows.customers,
    orders_export: truth.rows.orders,
    campaign_export: truth.rows.campaign,
  });
  // The last dropped file is the loaded table.
  assert.equal(await page.getAttribute('#status', 'data-rows'), String(truth.rows.campaign));
  // The customers export: Shopify's protective apostrophes are removed and the ids stay text, with a warning.
  const customers = '#tables details[data-table="customers_export"]';
  await page.click(`${customers} > summary`);
  assert.equal(
    await page.locator(`${customers} li[data-code="APOSTROPHE_REMOVED"][data-column="Customer ID"]`).count(),
    1,
  );
  assert.equal(await page.getAttribute(`${customers} tr[data-column="Customer ID"]`, 'data-kind'), 'text');
  assert.equal(await page.getAttribute(`${customers} tr[data-column="Accepts Email Marketing"]`, 'data-kind'), 'bool');
  assert.equal(await page.locator(`${customers} table[data-preview] tbody tr`).count(), 5);
  const firstZip = await page.textContent(
    `${customers} table[data-preview] tbody tr:first-child td:nth-child(${
      (await page.$$eval(`${customers} table[data-preview] th`, (ths) => ths.map((th) => th.textContent))).indexOf(
        'Default Address Zip',
      ) + 1
    })`,
  );
  assert.match(firstZip, /^\d{3} ?\d{2}$/, 'zip codes keep their leading zeros');
  // The campaign export's Finnish formats: kyllä/ei → bool, "12,50 €" → number, "16.9.2025 7:42" → timestamp.
  const campaign = '#tables details[data-table="campaign_export"]';
  for (const [column, kind] of [
    ['Opened', 'bool'],
    ['Revenue', 'number'],
    ['Sent Time', 'timestamp'],
  ]) {
    assert.equal(await page.getAttribute(`${campaign} tr[data-column="${column}"]`, 'data-kind'), kind, column);
  }
  await shot('workspace-tables');
  assert.deepEqual(env.consoleErrors, []);
});

test('a type picker re-imports the file with the forced type', async () => {
  const customers = '#tables details[data-table="customers_export"]';
  const before = await loads();
  await page.selectOption(`${customers} select[data-type-picker="Total Orders"]`, 'float64');
  await waitLoaded(before);
  await page.waitForSelector(`${customers} tr[data-column="Total Orders"] code:text("float64")`);
  const back = await loads();
  await page.selectOption(`${customers} select[data-type-picker="Total Orders"]`, '');
  await waitLoaded(back);
  await page.waitForSelector(`${customers} tr[data-column="Total Orders"] code:text("int64")`);
});

test("a forced type the values do not fit is the reader's error, and the table stays as it was", async () => {
  const customers = '#tables details[data-table="customers_export"]';
  const before = await loads();
  await page.selectOption(`${customers} select[data-type-picker="Email"]`, 'int64');
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  assert.equal(await page.getAttribute('#file-error', 'data-code'), 'INVALID_CSV');
  assert.match(await page.textContent(`${customers} .error-box`), /line \d+/);
  assert.equal(await page.inputValue(`${customers} select[data-type-picker="Email"]`), '');
  assert.equal(await page.getAttribute(`${customers} tr[data-column="Email"]`, 'data-kind'), 'text');
});

test('the Customers step is pre-filled, builds the customer table and shows the match rates', async () => {
  const form = (name) => page.inputValue(`#customers-form [name="${name}"]`);
  assert.deepEqual(
    {
      orders: await form('orders'),
      customer: await form('customer'),
      order: await form('order'),
      date: await form('date'),
      amount: await form('amount'),
      base: await form('base'),
      baseKey: await form('baseKey'),
      attach: await form('attach'),
      attachKey: await form('attachKey'),
    },
    {
      orders: 'orders_export',
      customer: 'Email',
      order: 'Name',
      date: 'Created at',
      amount: 'Total',
      base: 'customers_export',
      baseKey: 'Email',
      attach: 'campaign_export',
      attachKey: 'Email Address',
    },
  );
  // A rule with a typo: the engine's error (with its suggestion), and nothing is built.
  await page.fill('#cs-where', truth.where.replace('Financial Status', 'Financial Statu'));
  await page.click('#cs-build');
  await page.waitForSelector('#cs-error:not([hidden])');
  assert.equal(await page.getAttribute('#cs-error', 'data-code'), 'UNKNOWN_COLUMN');
  assert.match(await page.textContent('#cs-error'), /Financial Status/);
  assert.equal(await page.locator('#tables details[data-table="customers+orders"]').count(), 0);

  await page.fill('#cs-where', truth.where);
  const before = await loads();
  await page.click('#cs-build');
  await page.waitForSelector('#cs-result [data-match="recipients"]', { timeout: 120_000 });
  await waitLoaded(before);
  const match = (kind, attr) => page.getAttribute(`#cs-result [data-match="${kind}"]`, attr);
  assert.equal(Number(await match('features', 'data-matched')), truth.features);
  assert.equal(Number(await match('customers', 'data-matched')), truth.customersMatched);
  assert.equal(Number(await match('customers', 'data-left')), truth.rows.customers);
  assert.equal(Number(await match('recipients', 'data-matched')), truth.recipientsMatched);
  assert.equal(Number(await match('recipients', 'data-left')), truth.rows.campaign);
  assert.equal(
    await page.textContent('#cs-result [data-match="recipients"]'),
    `${truth.recipientsMatched} of ${truth.rows.campaign} recipients in campaign_export matched a customer.`,
  );
  const derived = await page.$$eval('#cs-result .derived-columns li', (lis) => lis.map((li) => li.dataset.column));
  for (const c of ['orders_count', 'total_spent', 'average_order_value', 'last_order_days', 'tenure_days']) {
    assert.ok(derived.includes(c), c);
  }
  // The recipients table is the analysis table now; the customer table is one pick away.
  assert.equal(await page.inputValue('#active-table'), 'campaign_export+customers');
  assert.equal(await page.getAttribute('#status', 'data-rows'), String(truth.rows.campaign));
  await useTable('customers+orders');
  assert.equal(await page.getAttribute('#status', 'data-rows'), String(truth.rows.customers));
  await shot('workspace-customers');
});

test('FI customers who accept e-mail and spent over 200 €, and their e-mail list', async () => {
  await page.fill('#segment-name', 'FI e-mail 200+');
  await page.fill('#rule', truth.q1Rule);
  await page.click('#save-segment');
  await page.waitForSelector('#segment-list > li[data-segment="FI e-mail 200+"][data-size]', { timeout: 60_000 });
  assert.equal(
    Number(await page.getAttribute('#segment-list > li[data-segment="FI e-mail 200+"]', 'data-size')),
    truth.q1Size,
  );
  assert.equal(await page.inputValue('#member-column'), 'Email', 'the export column is pre-filled with the e-mails');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#segment-list > li[data-segment="FI e-mail 200+"] [data-action="members"]'),
  ]);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  const lines = text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'Email');
  assert.deepEqual(
    lines.slice(1).map((l) => l.replace(/^"|"$/g, '')),
    truth.q1Emails,
  );
});

test('lifecycle and RFM groups from the orders export', async () => {
  for (const kind of ['lifecycle', 'rfm']) {
    await page.click(`[data-builtin="${kind}"]`);
    await page.waitForSelector(
      `#segment-list > li[data-segment="${kind === 'rfm' ? 'RFM' : 'Lifecycle'}"] li[data-group]`,
    );
  }
  await page.waitForSelector('#segment-list[data-state="ready"]');
  assert.deepEqual(nonEmpty(await groupSizes('Lifecycle')), truth.lifecycle);
  assert.deepEqual(nonEmpty(await groupSizes('RFM')), truth.rfm);
  // The built-ins ask for their columns, pre-filled with the customer step's.
  assert.equal(
    await page.inputValue('#segment-list > li[data-segment="RFM"] select[data-option="monetary"]'),
    'total_spent',
  );
});

test('the subject-line test by lifecycle stage, with segments that do not fit marked but not blocking', async () => {
  await useTable('campaign_export+customers');
  // The default segments on `country` and `newsletter` do not fit the campaign table: marked, left out.
  for (const name of ['Nordic', 'Newsletter']) {
    assert.equal(await page.getAttribute(`#segment-list > li[data-segment="${name}"]`, 'data-fit'), 'no', name);
  }
  await page.selectOption('#variant', 'Variant');
  await page.selectOption('#control', 'A');
  await page.selectOption('#conversion', 'Opened');
  await page.selectOption('#revenue', '');
  await page.click('#run-analysis');
  await page.waitForSelector('#report section.sr-segment', { timeout: 120_000 });
  const shown = await page.$$eval('#report section.sr-segment', (sections) =>
    sections.map((s) => ({
      name: s.dataset.segment,
      variants: Object.fromEntries(
        [...s.querySelectorAll('tr[data-variant]')].map((tr) => [
          tr.dataset.variant,
          {
            n: Number(tr.querySelector('[data-field="n"]').dataset.value),
            conversions: Number(tr.querySelector('[data-field="conversions"]').dataset.value),
          },
        ]),
      ),
    })),
  );
  for (const [stage, variants] of Object.entries(truth.subjectTest)) {
    const section = shown.find((s) => s.name === `Lifecycle: ${stage}` || s.name === `Lifecycle · ${stage}`);
    assert.ok(section, `a report section for ${stage}: ${shown.map((s) => s.name).join(', ')}`);
    assert.deepEqual(section.variants, variants, stage);
  }
  assert.ok(!shown.some((s) => s.name === 'Nordic'));
  await shot('workspace-subject-test');
  assert.deepEqual(env.consoleErrors, []);
});

test('the recipe is saved with the settings and replays when the same files are dropped again', async () => {
  const { workspace } = await page.evaluate(() => globalThis.segmetryDashboard.settings);
  assert.equal(workspace.customers.orders, 'orders_export');
  assert.equal(workspace.active, 'campaign_export+customers');
  assert.ok(!JSON.stringify(workspace).includes('@'), 'no data in the settings');
  await page.reload();
  await page.waitForSelector('#status[data-rows]', { timeout: 60_000 });
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
  await dropExports();
  await page.waitForSelector('#cs-result [data-match="recipients"]');
  assert.equal(
    Number(await page.getAttribute('#cs-result [data-match="recipients"]', 'data-matched')),
    truth.recipientsMatched,
  );
  assert.equal(await page.inputValue('#active-table'), 'campaign_export+customers');
  assert.equal(await page.getAttribute('#status', 'data-rows'), String(truth.rows.campaign));
  await useTable('customers+orders');
  assert.equal(
    Number(await page.getAttribute('#segment-list > li[data-segment="FI e-mail 200+"]', 'data-size')),
    truth.q1Size,
  );
});

test('Finnish: the workspace speaks Finnish', async () => {
  await page.selectOption('#language', 'fi');
  assert.match(await page.textContent('#cs-result [data-match="recipients"]'), /vastaanottajasta löytyi asiakkaista/);
  assert.equal(await page.textContent('#workspace-title'), 'Työtila');
  // A dropped file the CSV reader refuses: the reader's own error, in Finnish, naming the line and column.
  const before = await loads();
  await dropFiles(page, '#dropzone', [
    { name: 'rikki.csv', bytes: Buffer.from('id,name\n1,"auki\n'), type: 'text/csv' },
  ]);
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, before, { timeout: 60_000 });
  assert.equal(await page.getAttribute('#file-error', 'data-code'), 'INVALID_CSV');
  assert.match(
    await page.textContent('#file-error'),
    /CSV-rivi 2, sarake 3: tästä alkaa lainausmerkeissä oleva kenttä, mutta sen loppulainausmerkki puuttuu/,
  );
  await page.selectOption('#language', 'en');
});

test('files dropped one after another join the workspace one by one', async () => {
  const fresh = await env.newPage({ locale: 'en-US', timezoneId: 'Europe/Helsinki' });
  await fresh.goto(`${env.origin}/`);
  await fresh.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
  for (const [i, file] of [files[1], files[0], files[2]].entries()) {
    const before = Number(await fresh.getAttribute('body', 'data-loads'));
    await dropFiles(fresh, '#dropzone', [file]);
    await fresh.waitForSelector(`#workspace[data-tables="${i + 1}"]`, { timeout: 120_000 });
    await fresh.waitForFunction((n) => Number(document.body.dataset.loads) > n, before, { timeout: 120_000 });
    assert.equal(await fresh.inputValue('#active-table'), file.name.replace('.csv', ''));
  }
  assert.equal(await fresh.inputValue('#cs-orders'), 'orders_export');
  assert.equal(await fresh.inputValue('#cs-base'), 'customers_export');
  assert.equal(await fresh.inputValue('#cs-attach'), 'campaign_export');
  await fresh.close();
});

test('no request left the page origin and nothing was logged as an error', () => {
  assert.deepEqual(env.foreignRequests(), []);
  assert.deepEqual(env.consoleErrors, []);
});
