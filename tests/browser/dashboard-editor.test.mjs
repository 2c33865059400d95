// The dashboard as a client of the engine's vocabularies: pickers offer only columns whose kind fits (checked
// against the Arrow types apache-arrow reports, not the engine's own answer), and rule completion quotes names the
// parser needs quoted and completes values after a quoted name with spaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Arrow from 'apache-arrow';
import { openBrowser, dropFile } from './harness.mjs';
import { demoTable } from '../../www/demo-data.js';

let env;
let page;
before(async () => {
  env = await openBrowser();
  page = await env.newPage({ locale: 'en-US' });
  await page.goto(`${env.origin}/`);
  await page.waitForSelector('#segment-list[data-state="ready"]', { timeout: 60_000 });
});
after(async () => {
  await env?.close();
});

const optionValues = (select) =>
  page.$$eval(`${select} option`, (options) => options.map((o) => o.value).filter((v) => v !== ''));

/** Column names by what apache-arrow says their type is. */
function arrowKinds(table) {
  const numeric = (type) =>
    Arrow.DataType.isInt(type) || Arrow.DataType.isFloat(type) || Arrow.DataType.isDecimal(type);
  return {
    numeric: table.schema.fields.filter((f) => numeric(f.type)).map((f) => f.name),
    bool: table.schema.fields.filter((f) => Arrow.DataType.isBool(f.type)).map((f) => f.name),
  };
}

test('revenue and covariate pickers offer numbers only; conversion numbers and bools', async () => {
  const kinds = arrowKinds(demoTable(Arrow, 100, 42));
  for (const picker of ['#revenue', '#covariate']) {
    const offered = await optionValues(picker);
    assert.ok(offered.length > 0, `${picker} offers something`);
    for (const name of offered) assert.ok(kinds.numeric.includes(name), `${picker} offers ${name}, not a number`);
    assert.ok(!offered.includes('country') && !offered.includes('variant'), `${picker}: ${offered}`);
  }
  for (const name of await optionValues('#conversion')) {
    assert.ok(kinds.numeric.includes(name) || kinds.bool.includes(name), `#conversion offers ${name}`);
  }
  assert.ok((await optionValues('#variant')).includes('variant'));
});

test('completion quotes keyword and spaced names, and completes values after a quoted name', async () => {
  const csv = [
    'customer_id,Default Address City,is,with,Total Spent',
    '1,Oulu,3,a,10.5',
    '2,Helsinki,1,b,0',
    '3,Oulu,2,c,99',
    "4,O'Hare,5,d,1",
  ].join('\n');
  const previous = Number(await page.getAttribute('body', 'data-loads'));
  await dropFile(page, '#dropzone', { name: 'shop.csv', bytes: Buffer.from(`${csv}\n`) });
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, previous, { timeout: 60_000 });
  assert.equal(await page.getAttribute('#status', 'data-rows'), '4');
  // Pickers on this file: the text column never appears among numbers.
  const revenue = await optionValues('#revenue');
  assert.ok(revenue.includes('Total Spent') && !revenue.includes('Default Address City'), revenue.join(', '));

  // A column named like a keyword is inserted quoted, and the rule it makes is valid.
  await page.fill('#rule', '');
  await page.type('#rule', 'is');
  await page.waitForSelector('#rule-suggestions:not([hidden]) li[data-value="is"]');
  await page.click('#rule-suggestions li[data-value="is"]');
  assert.equal(await page.inputValue('#rule'), '"is" ');
  await page.type('#rule', '>= 2');
  await page.waitForSelector('#rule-feedback[data-state="valid"][data-size="3"]');

  // Values after a quoted name with spaces, quoted (with the apostrophe doubled) when inserted.
  await page.fill('#rule', '');
  await page.type('#rule', 'addr');
  await page.waitForSelector('#rule-suggestions:not([hidden]) li[data-value="Default Address City"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#rule'), '"Default Address City" ');
  await page.type('#rule', '= ');
  await page.waitForSelector('#rule-suggestions:not([hidden]) li[data-value="O\'Hare"]');
  const values = await page.$$eval('#rule-suggestions li', (lis) => lis.map((li) => li.dataset.value));
  assert.deepEqual(values, ['Oulu', 'Helsinki', "O'Hare"]);
  await page.click('#rule-suggestions li[data-value="O\'Hare"]');
  assert.equal((await page.inputValue('#rule')).trim(), `"Default Address City" = 'O''Hare'`);
  await page.waitForSelector('#rule-feedback[data-state="valid"][data-size="1"]');
  assert.deepEqual(env.consoleErrors, []);
});
