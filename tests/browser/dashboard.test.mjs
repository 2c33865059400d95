// The dashboard in a real browser (Debian chromium via playwright-core), served by the README's server under the
// strict CSP: demo data, every file format, segments, inline rule errors, the analysis checked against the
// synchronous API, exports, a malformed file, and no request leaving the page's origin. Screenshots of the main
// screens go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Arrow from 'apache-arrow';
import { openBrowser, dropFile, artifacts, repo } from './harness.mjs';
import { loadDataset } from '../../dist/index.js';
import { demoTable } from '../../www/demo-data.js';

let env;
let page;
let ds; // the same demo data, through the synchronous API in Node
before(async () => {
  env = await openBrowser();
  ds = await loadDataset(Arrow.tableToIPC(demoTable(Arrow, 50_000, 42)));
});
after(async () => {
  ds?.free();
  await env?.close();
});

const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const loads = async () => Number(await page.getAttribute('body', 'data-loads'));
async function waitLoaded(previous) {
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, previous, { timeout: 60_000 });
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
}
async function readDownload(trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  return { name: download.suggestedFilename(), text };
}

test('the dashboard loads the demo dataset through wasm under a strict CSP', async () => {
  page = await env.newPage({ locale: 'en-US' });
  const response = await page.goto(`${env.origin}/`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.match(csp, /connect-src 'self'/);

  await page.waitForSelector('#status[data-rows]', { timeout: 60_000 });
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#status', 'data-rows'), '50000');
  const types = await page.$$eval('#schema tbody tr', (rows) =>
    rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]),
  );
  assert.deepEqual(
    types.find(([name]) => name === 'country'),
    ['country', 'dictionary<int32, utf8>'],
  );
  assert.deepEqual(
    types.find(([name]) => name === 'signup_date'),
    ['signup_date', 'date32'],
  );
  const nulls = await page.textContent('#schema tr[data-column="country"] td:nth-child(3)');
  assert.equal(nulls, ds.columns.find((c) => c.name === 'country').nullCount.toLocaleString('en-US'));
  assert.match(
    await page.textContent('#schema tr[data-column="country"] td:nth-child(4)'),
    /^[A-Z]{2}, [A-Z]{2}, [A-Z]{2}$/,
  );
  // The default saved segments show the sizes the synchronous API computes.
  const sizes = await page.$$eval('#segment-list > li[data-size]', (lis) =>
    lis.map((li) => [li.dataset.segment, Number(li.dataset.size)]),
  );
  assert.deepEqual(
    sizes.find(([n]) => n === 'Nordic'),
    ['Nordic', ds.segment("country IN ('FI', 'SE')").size],
  );
  await page.waitForSelector('#overlap svg');
  await shot('dashboard-start');
  assert.deepEqual(env.consoleErrors, []);
});

test('a segment defined in the builder is saved with its size', async () => {
  const rule = "country = 'FI' AND orders_count >= 3";
  await page.fill('#segment-name', 'Finnish regulars');
  await page.fill('#rule', rule);
  await page.waitForSelector('#rule-feedback[data-state="valid"]');
  assert.equal(Number(await page.getAttribute('#rule-feedback', 'data-size')), ds.segment(rule).size);
  await page.click('#save-segment');
  const item = await page.waitForSelector('#segment-list > li[data-segment="Finnish regulars"][data-size]');
  assert.equal(Number(await item.getAttribute('data-size')), ds.segment(rule).size);
  // Editing the rule updates the size in the list.
  await item.$eval('button[data-action="edit"]', (b) => b.click());
  await page.fill('#rule', "country = 'FI' AND orders_count >= 5");
  await page.waitForSelector('#rule-feedback[data-state="valid"]');
  await page.click('#save-segment');
  await page.waitForSelector(
    `#segment-list > li[data-segment="Finnish regulars"][data-size="${ds.segment("country = 'FI' AND orders_count >= 5").size}"]`,
  );
});

test("autocompletion offers columns and the column's values", async () => {
  await page.fill('#rule', '');
  await page.type('#rule', 'chan');
  await page.waitForSelector('#rule-suggestions:not([hidden]) li[data-value="channel"]');
  await page.keyboard.press('Enter');
  await page.type('#rule', "= '");
  // Known flake (about 1 full run in 3 on a loaded machine, never alone): the list sometimes stays closed after the
  // last keystroke. Ctrl+Space is the editor's own "suggest now", so the test still checks the values offered.
  const values = '#rule-suggestions:not([hidden]) li[data-value="email"]';
  await page.waitForSelector(values, { timeout: 5000 }).catch(async () => {
    await page.keyboard.press('Control+Space');
    await page.waitForSelector(values);
  });
  await page.click('#rule-suggestions li[data-value="email"]');
  assert.equal((await page.inputValue('#rule')).trim(), "channel = 'email'");
  await page.waitForSelector('#rule-feedback[data-state="valid"]');
});

test('an invalid rule is underlined at its offset with the message and a suggestion', async () => {
  await page.fill('#rule', "order_count >= 3 AND country = 'FI'");
  await page.waitForSelector('#rule-feedback[data-state="invalid"]');
  assert.equal(await page.getAttribute('#rule-feedback', 'data-code'), 'UNKNOWN_COLUMN');
  assert.equal(await page.getAttribute('#rule', 'aria-invalid'), 'true');
  const mark = await page.$('.rule-highlights mark');
  assert.equal(await mark.getAttribute('data-start'), '0');
  assert.equal(await mark.getAttribute('data-end'), '11');
  assert.equal(await mark.textContent(), 'order_count');
  assert.match(await page.textContent('#rule-feedback'), /did you mean `orders_count`/);
  await page.screenshot({
    path: join(artifacts, 'dashboard-rule-error.png'),
    clip: await (await page.$('#segments')).boundingBox(),
  });
  await page.click('#rule-feedback button[data-action="apply-suggestion"]');
  await page.waitForSelector('#rule-feedback[data-state="valid"]');
  assert.equal(await page.inputValue('#rule'), "orders_count >= 3 AND country = 'FI'");
  // A syntax error at the end of the rule is marked there too.
  await page.fill('#rule', "country = 'FI' AND");
  await page.waitForSelector('#rule-feedback[data-code="RULE_SYNTAX"]');
  assert.equal(await page.getAttribute('.rule-highlights mark', 'data-start'), String("country = 'FI' AND".length));
  await page.fill('#rule', '');
});

test('a built-in segmentation is added with one click', async () => {
  await page.click('button[data-builtin="lifecycle"]');
  const item = await page.waitForSelector('#segment-list > li[data-segment="Lifecycle"] .groups');
  const groups = await item.$$eval('li', (lis) => lis.map((li) => li.dataset.group));
  assert.deepEqual(
    groups,
    ds.lifecycle().map((s) => s.name),
  );
});

function assertClose(actual, expected, what) {
  if (expected === null || expected === undefined || Number.isNaN(expected)) {
    assert.equal(actual, '', what);
    return;
  }
  assert.ok(
    Math.abs(Number(actual) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );
}

test('the analysis table matches the synchronous API, and the report exports as CSV and JSON', async () => {
  await page.selectOption('#correction', 'bh');
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="ready"]', { timeout: 60_000 });
  const options = await page.evaluate(() => globalThis.segmetryDashboard.analysisOptions());
  assert.equal(options.correction, 'bh');
  const expected = ds.analyze(options);
  assert.ok(expected.segments.length >= 5, 'All customers, the rule segments and the lifecycle stages');
  for (const segment of expected.segments) {
    const section = await page.$(`#report section[data-segment="${segment.name.replaceAll('"', '\\"')}"]`);
    assert.ok(section, `segment ${segment.name} is shown`);
    for (const v of segment.variants) {
      const row = await section.$(`tr[data-variant="${v.variant}"]`);
      const value = (field) => row.$eval(`td[data-field="${field}"]`, (td) => td.dataset.value);
      const where = `${segment.name} · ${v.variant}`;
      assertClose(await value('n'), v.n, `${where} n`);
      assertClose(await value('conversions'), v.conversions, `${where} conversions`);
      assertClose(await value('conversionRate'), v.conversionRate, `${where} rate`);
      assertClose(await value('lift'), v.conversionVsControl?.estimate, `${where} lift`);
      assertClose(await value('pValue'), v.conversionVsControl?.pValue, `${where} p`);
      assertClose(await value('adjustedPValue'), v.conversionVsControl?.adjustedPValue, `${where} adjusted p`);
    }
  }
  // What a person reads: the formatted rate of Nordic · B with its interval.
  const nordicB = expected.segments.find((s) => s.name === 'Nordic').variants.find((v) => v.variant === 'B');
  const cell = await page.textContent(
    'section[data-segment="Nordic"] tr[data-variant="B"] td[data-field="conversionRate"]',
  );
  assert.ok(cell.startsWith(`${(nordicB.conversionRate * 100).toFixed(2)}%`), cell);
  for (const chart of ['conversion', 'forest']) await page.waitForSelector(`#report figure[data-chart="${chart}"] svg`);
  await shot('dashboard-results-en');
  await (await page.$('#report .sr-charts')).screenshot({ path: join(artifacts, 'dashboard-charts-en.png') });

  const csv = await readDownload(() => page.click('#export-csv'));
  assert.match(csv.name, /^segmetry-report-\d{4}-\d\d-\d\d\.csv$/);
  const lines = csv.text.trim().split('\r\n');
  const header = lines[0].split(',');
  assert.equal(header[0], 'segment');
  assert.equal(
    lines.length - 1,
    expected.segments.reduce((n, s) => n + s.variants.length, 0),
  );
  const nordicLine = lines.find(
    (l) =>
      (l.startsWith('Nordic,') && l.split(',')[header.indexOf('variant') + 2] === 'B') ||
      (l.startsWith('Nordic,') && l.includes(',B,')),
  );
  const fields = nordicLine.replace(/"[^"]*"/g, (q) => q.replaceAll(',', ';')).split(',');
  assert.equal(Number(fields[header.indexOf('n')]), nordicB.n);
  assert.equal(Number(fields[header.indexOf('conversion_rate')]), nordicB.conversionRate);
  assert.equal(
    Number(fields[header.indexOf('conversion_adjusted_p_value')]),
    nordicB.conversionVsControl.adjustedPValue,
  );

  const json = await readDownload(() => page.click('#export-json'));
  const report = JSON.parse(json.text);
  assert.equal(report.segments.length, expected.segments.length);
  assert.equal(report.segments[1].variants[1].conversionRate, expected.segments[1].variants[1].conversionRate);

  const members = await readDownload(() =>
    page.click('#segment-list > li[data-segment="Nordic"] button[data-action="members"]'),
  );
  const ids = members.text.trim().split('\r\n');
  assert.equal(ids[0], 'customer_id');
  assert.deepEqual(
    ids.slice(1).map(Number),
    Array.from(ds.segmentMembers("country IN ('FI', 'SE')", { column: 'customer_id' })),
  );
});

test('Finnish: the interface, numbers and the Bayesian posterior', async () => {
  await page.selectOption('#language', 'fi');
  assert.equal(await page.getAttribute('html', 'lang'), 'fi');
  assert.equal(await page.textContent('#segments-title'), 'Segmentit');
  assert.equal(await page.textContent('label[for="file-input"]'), 'Lataa tiedosto');
  assert.equal(await page.textContent('#export-csv'), 'Vie CSV');
  assert.match(await page.textContent('#report'), /Konversioaste/);
  const rate = await page.textContent(
    'section[data-segment="Nordic"] tr[data-variant="B"] td[data-field="conversionRate"]',
  );
  assert.match(rate, /^\d+,\d\d\s%/, 'fi-FI percentages: 11,16 %');
  // Built-in group names come from the engine's catalogue in the interface's language (the Finnish names are
  // written out here, not read from the engine). The data attributes keep the names the options use.
  const finnish = {
    Prospect: 'Ostamaton',
    New: 'Uusi',
    Occasional: 'Satunnainen',
    Loyal: 'Uskollinen',
    Lapsed: 'Hiipunut',
    Unclassified: 'Luokittelematon',
  };
  const groups = await page.$$eval('#segment-list > li[data-segment="Lifecycle"] .groups li', (lis) =>
    lis.map((li) => [li.dataset.group, li.textContent.split(':')[0]]),
  );
  assert.ok(groups.length >= 5, 'the lifecycle stages are listed');
  for (const [name, shown] of groups) assert.equal(shown, finnish[name], name);
  // Their descriptions too (each group's tooltip), from the engine's catalogue.
  assert.equal(
    await page.getAttribute('#segment-list > li[data-segment="Lifecycle"] .groups li[data-group="Prospect"]', 'title'),
    'Asiakkaat, joilla ei vielä ole tilauksia.',
  );
  assert.equal(
    await page.textContent('section[data-segment="Lifecycle: Loyal"] h4 span'),
    'Lifecycle: Uskollinen',
    "the options' key stays as the user wrote it",
  );
  assert.equal(
    await page.textContent('section[data-segment="Loyal"] h4 span'),
    'Loyal',
    'a rule segment keeps its name',
  );
  assert.equal(await page.textContent('section[data-segment="All customers"] h4 span'), 'Kaikki asiakkaat');
  assert.match(
    await page.textContent('#schema tr[data-column="signup_date"] td:nth-child(4)'),
    /^\d{1,2}\.\d{1,2}\.\d{4}/,
  );
  await page.check('input[name="engine"][value="bayesian"]');
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="ready"] figure[data-chart="posterior"] svg', { timeout: 60_000 });
  assert.match(await page.textContent('#report'), /Todennäköisyys voittaa/);
  const options = await page.evaluate(() => globalThis.segmetryDashboard.analysisOptions());
  const expected = ds
    .analyze(options)
    .segments.find((s) => s.name === 'Nordic')
    .variants.find((v) => v.variant === 'B');
  assertClose(
    await page.getAttribute(
      'section[data-segment="Nordic"] tr[data-variant="B"] td[data-field="chanceToWin"]',
      'data-value',
    ),
    expected.conversionVsControl.chanceToWin,
    'chance to win',
  );
  await shot('dashboard-results-fi-bayesian');
  await (await page.$('#report .sr-charts')).screenshot({ path: join(artifacts, 'dashboard-charts-fi-bayesian.png') });
  // An analysis error is worded by the engine in the interface's language (written out here): a numeric
  // conversion column that holds more than 0 and 1.
  await page.check('input[name="engine"][value="frequentist"]');
  const conversion = await page.inputValue('#conversion');
  await page.selectOption('#conversion', 'orders_count');
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="error"]', { timeout: 60_000 });
  assert.match(
    await page.textContent('#report .sr-error'),
    /^Analyysi epäonnistui: konversiosarakkeessa `orders_count` on arvo \d+ rivillä \d+; numeerisessa konversiosarakkeessa saa olla vain 0 ja 1 \(tai tyhjä\)$/,
  );
  assert.equal(await page.getAttribute('#report .sr-error', 'data-code'), 'TYPE_MISMATCH');
  await page.selectOption('#conversion', conversion);
  await page.click('#run-analysis');
  await page.waitForSelector('#report[data-state="ready"]', { timeout: 60_000 });
  await page.selectOption('#language', 'en');
});

test('settings persist across reloads and round-trip through export/import', async () => {
  const before = await page.evaluate(() => globalThis.segmetryDashboard.settings);
  assert.ok(before.segments.some((s) => s.name === 'Finnish regulars'));
  assert.equal(JSON.stringify(before).includes('100000'), false, 'no data in the settings');
  const exported = await readDownload(() => page.click('#export-settings'));
  assert.deepEqual(JSON.parse(exported.text).segments, before.segments);
  const previous = await loads();
  await page.reload();
  await waitLoaded(previous - 1);
  const after = await page.evaluate(() => globalThis.segmetryDashboard.settings);
  assert.deepEqual(after, before);
  // Import a modified copy.
  const modified = { ...JSON.parse(exported.text), segments: [{ name: 'Only Sweden', rule: "country = 'SE'" }] };
  await page.setInputFiles('#import-settings', {
    name: 'settings.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(modified)),
  });
  await page.waitForSelector(
    `#segment-list > li[data-segment="Only Sweden"][data-size="${ds.segment("country = 'SE'").size}"]`,
  );
  assert.equal(await page.$$eval('#segment-list > li', (lis) => lis.length), 1);
});

test('each file format can be dropped; a malformed file shows a message and the app keeps working', async () => {
  const table = demoTable(Arrow, 2_000, 7);
  const files = [
    { name: 'customers.arrow', bytes: Arrow.tableToIPC(table, 'file'), rows: 2000, source: 'arrow' },
    { name: 'customers.arrows', bytes: Arrow.tableToIPC(table, 'stream'), rows: 2000, source: 'arrow' },
    {
      name: 'customers.csv',
      rows: 3,
      source: 'csv',
      bytes: Buffer.from(
        'customer_id,country,orders_count,signup_date,converted,revenue,variant\n1,FI,3,2026-01-05,true,12.5,A\n2,SE,0,2026-02-01,false,0,B\n3,"Ruotsi, Tukholma",7,,true,99.9,A\n',
      ),
    },
  ];
  for (const file of files) {
    const previous = await loads();
    await dropFile(page, '#dropzone', file);
    await waitLoaded(previous);
    assert.equal(await page.isHidden('#file-error'), true, `${file.name}: ${await page.textContent('#file-error')}`);
    assert.equal(await page.getAttribute('#status', 'data-rows'), String(file.rows), file.name);
  }
  assert.equal(await page.textContent('#schema tr[data-column="country"] td:nth-child(4)'), 'FI, SE, Ruotsi, Tukholma');

  // Parquet: loaded when the package's Parquet reader is built in, otherwise a clear message; never a broken page.
  const parquet = await readFile(join(repo, 'tests/browser/fixtures/customers.parquet'));
  let previous = await loads();
  await dropFile(page, '#dropzone', { name: 'customers.parquet', bytes: parquet });
  await waitLoaded(previous);
  if (await page.isHidden('#file-error')) {
    assert.equal(await page.getAttribute('#status', 'data-rows'), '200');
  } else {
    assert.match(await page.textContent('#file-error'), /customers\.parquet.*Parquet/s);
    assert.equal(await page.getAttribute('#status', 'data-rows'), '3', 'the previous dataset stays');
  }

  const rowsBefore = await page.getAttribute('#status', 'data-rows');
  previous = await loads();
  await dropFile(page, '#dropzone', { name: 'broken.arrow', bytes: Buffer.from('ARROW1\0\0this is not really arrow') });
  await waitLoaded(previous);
  assert.equal(await page.isVisible('#file-error'), true);
  assert.equal(await page.getAttribute('#file-error', 'data-code'), 'INVALID_ARROW');
  assert.match(await page.textContent('#file-error'), /broken\.arrow/);
  assert.match(await page.textContent('#file-error'), /previous dataset is still loaded/);
  assert.equal(await page.getAttribute('#status', 'data-rows'), rowsBefore);
  await shot('dashboard-malformed-file');
  // Still working: validate a rule against the kept dataset, then go back to the demo.
  await page.fill('#rule', 'orders_count >= 1');
  await page.waitForSelector('#rule-feedback[data-state="valid"]');
  previous = await loads();
  await page.click('#use-demo');
  await waitLoaded(previous);
  assert.equal(await page.getAttribute('#status', 'data-rows'), '50000');
  assert.equal(await page.isHidden('#file-error'), true);
});

test('the page is usable on a phone-sized screen', async () => {
  await page.setViewportSize({ width: 420, height: 900 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `no horizontal page scroll (${overflow}px)`);
  await page.screenshot({ path: join(artifacts, 'dashboard-mobile.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });
});

test('the package imports in a plain <script type="module"> page', async () => {
  const result = await page.evaluate(async () => {
    const { loadDataset, SegmetryError } = await import('/segmetry/index.js');
    try {
      await loadDataset(new Uint8Array([1, 2, 3]));
      return 'no error';
    } catch (err) {
      return `${err instanceof SegmetryError}:${err.code}`;
    }
  });
  assert.equal(result, 'true:INVALID_ARROW');
});

test('no request left the page origin and nothing was logged as an error', () => {
  assert.ok(env.requests.length > 5, 'requests were recorded');
  assert.deepEqual(env.foreignRequests(), [], 'no request leaves the page origin');
  assert.deepEqual(env.consoleErrors, []);
});
