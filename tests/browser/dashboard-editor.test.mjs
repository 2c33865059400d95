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

/** Drop a CSV file on the dashboard and wait until it is loaded. */
async function dropCsv(name, text) {
  const previous = Number(await page.getAttribute('body', 'data-loads'));
  await dropFile(page, '#dropzone', { name, bytes: Buffer.from(`${text}\n`) });
  await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, previous, { timeout: 60_000 });
}

/** Type `typed` into the rule box (emptied first) and wait until `value` is among the suggestions. */
async function typeUntilSuggested(typed, value) {
  await page.fill('#rule', '');
  await page.type('#rule', typed);
  // The list of the whole typed text: a list from an earlier keystroke may show the same item while the last
  // completion is still on its way, and accepting from it would be refused as stale.
  await page.waitForFunction(
    ([text, want]) => {
      const ul = document.querySelector('#rule-suggestions');
      const rule = document.querySelector('#rule').value;
      return (
        !ul.hidden &&
        ul.dataset.rule === rule &&
        rule.endsWith(text) &&
        [...ul.querySelectorAll('li')].some((li) => li.dataset.value === want)
      );
    },
    [typed, value],
  );
}

/** Wait until the rule box's rule is valid and selects `size` rows. */
const validWithSize = (size) => page.waitForSelector(`#rule-feedback[data-state="valid"][data-size="${size}"]`);

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
  await dropCsv('shop.csv', csv);
  assert.equal(await page.getAttribute('#status', 'data-rows'), '4');
  // Pickers on this file: the text column never appears among numbers.
  const revenue = await optionValues('#revenue');
  assert.ok(revenue.includes('Total Spent') && !revenue.includes('Default Address City'), revenue.join(', '));

  // A column named like a keyword is inserted quoted, and the rule it makes is valid.
  await typeUntilSuggested('is', 'is');
  await page.click('#rule-suggestions li[data-value="is"]');
  assert.equal(await page.inputValue('#rule'), '"is" ');
  await page.type('#rule', '>= 2');
  await validWithSize(3);

  // Values after a quoted name with spaces, quoted (with the apostrophe doubled) when inserted.
  await typeUntilSuggested('addr', 'Default Address City');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#rule'), '"Default Address City" ');
  await page.type('#rule', '= ');
  await page.waitForSelector('#rule-suggestions:not([hidden]) li[data-value="O\'Hare"]');
  const values = await page.$$eval('#rule-suggestions li', (lis) => lis.map((li) => li.dataset.value));
  assert.deepEqual(values, ['Oulu', 'Helsinki', "O'Hare"]);
  await page.click('#rule-suggestions li[data-value="O\'Hare"]');
  assert.equal((await page.inputValue('#rule')).trim(), `"Default Address City" = 'O''Hare'`);
  await validWithSize(1);
  assert.deepEqual(env.consoleErrors, []);
});

test('pickers offer exactly the columns of fitting kind by the engine, and quoted names complete', async () => {
  const csv = [
    'customer_id,order count,ship country,vip,signup,Total Spent',
    '1,5,Finland,true,2024-01-05,10.5',
    '2,1,Sweden,false,2024-02-11,0',
    '3,4,Finland,true,2024-03-17,99',
    '4,2,Norway,false,2024-04-23,1',
  ].join('\n');
  // The engine's own kinds for this file (the package in Node, the same CSV reader the dashboard's worker uses).
  const { loadFile } = await import('segmetry');
  const ds = await loadFile(new TextEncoder().encode(`${csv}\n`), { fileName: 'kinds.csv' });
  const ofKind = (...kinds) =>
    ds.columns
      .filter((c) => kinds.includes(c.kind))
      .map((c) => c.name)
      .sort();
  assert.deepEqual(ofKind('number'), ['Total Spent', 'customer_id', 'order count'], 'the file has the kinds meant');
  assert.deepEqual(ofKind('text'), ['ship country']);
  const numbers = ofKind('number');
  const numbersOrBools = ofKind('number', 'bool');
  ds.free();

  await dropCsv('kinds.csv', csv);
  for (const picker of ['#revenue', '#covariate']) {
    assert.deepEqual((await optionValues(picker)).sort(), numbers, `${picker} offers the number columns only`);
  }
  assert.deepEqual((await optionValues('#conversion')).sort(), numbersOrBools, '#conversion: numbers and bools');

  // A quoted prefix completes to the quoted name, and the rule it makes is valid.
  await typeUntilSuggested('"order c', 'order count');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#rule'), '"order count" ');
  await page.type('#rule', '> 3');
  await validWithSize(2);

  // Values after a quoted text column with a space.
  await typeUntilSuggested('"ship country" = ', 'Finland');
  await page.click('#rule-suggestions li[data-value="Finland"]');
  assert.equal((await page.inputValue('#rule')).trim(), `"ship country" = 'Finland'`);
  await validWithSize(2);
  assert.deepEqual(env.consoleErrors, []);
});
