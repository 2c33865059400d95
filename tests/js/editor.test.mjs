// The rule-editor API through the built package (npm run build first): tokenize, ds.complete, ds.profile and
// column kinds, synchronously and through the worker client. Positions are JS string (UTF-16) indices, so every
// check slices the rule with them; expected values come from the data written here, not from the engine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { loadDataset, tokenize, createClient, SegmetryError } from 'segmetry';

const table = arrow.tableFromArrays({
  'Default Address City': ['Oulu', 'Helsinki', 'Oulu', "O'Hare", null],
  is: Int32Array.from([1, 2, 3, 4, 5]),
  revenue: Float64Array.from([10.5, 0, 3, 99.25, 1]),
  newsletter: [true, false, true, true, null],
  signup: [new Date('2026-01-05'), new Date('2025-12-31'), null, new Date('2026-02-01'), new Date('2026-01-05')],
});
const bytes = arrow.tableToIPC(table);
const ds = await loadDataset(bytes);
after(() => ds.free());

test('tokenize: kinds and UTF-16 spans that slice the rule, errors as tokens', () => {
  const rule = `"Kävijä 😀" = 'x' AND is >= -90d OR q = 'open`;
  const tokens = tokenize(rule);
  assert.deepEqual(
    tokens.map((t) => [t.kind, rule.slice(t.start, t.end)]),
    [
      ['quoted-column', '"Kävijä 😀"'],
      ['operator', '='],
      ['string', "'x'"],
      ['keyword', 'AND'],
      ['keyword', 'is'],
      ['operator', '>='],
      ['relative-date', '-90d'],
      ['keyword', 'OR'],
      ['column', 'q'],
      ['operator', '='],
      ['error', "'open"],
    ],
  );
  assert.throws(
    () => tokenize(42),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT',
  );
});

test('columns carry their kind', () => {
  assert.deepEqual(
    ds.columns.map((c) => [c.name, c.kind]),
    [
      ['Default Address City', 'text'],
      ['is', 'number'],
      ['revenue', 'number'],
      ['newsletter', 'bool'],
      ['signup', 'timestamp'],
    ],
  );
});

test('profile: counts, ranking and ranges written as rule literals', () => {
  const city = ds.profile('Default Address City');
  assert.equal(city.kind, 'text');
  assert.equal(city.count, 4);
  assert.equal(city.distinct, 3);
  assert.equal(city.distinctExact, true);
  assert.deepEqual(city.top, [
    { value: 'Oulu', count: 2 },
    { value: 'Helsinki', count: 1 },
    { value: "O'Hare", count: 1 },
  ]);
  assert.equal(city.min, null);
  const revenue = ds.profile('revenue');
  assert.deepEqual([revenue.min, revenue.max], ['0', '99.25']);
  const signup = ds.profile('signup');
  assert.deepEqual([signup.min, signup.max], ['2025-12-31T00:00:00Z', '2026-02-01T00:00:00Z']);
  assert.throws(
    () => ds.profile('nope'),
    (e) => e.code === 'UNKNOWN_COLUMN',
  );
});

test('complete: names quoted as the parser needs, values after a quoted name, UTF-16 ranges', () => {
  const all = ds.complete('', 0);
  const insertOf = (name) => all.items.find((i) => i.label === name)?.insert;
  assert.equal(insertOf('Default Address City'), '"Default Address City" ');
  assert.equal(insertOf('is'), '"is" ');
  assert.equal(insertOf('revenue'), 'revenue ');
  // Every inserted column name parses.
  for (const item of all.items.filter((i) => i.kind === 'column')) ds.segment(`${item.insert} IS NULL`);

  const rule = '"Default Address City" = ';
  const values = ds.complete(rule, rule.length);
  assert.deepEqual(
    values.items.map((i) => i.insert),
    ["'Oulu' ", "'Helsinki' ", "'O''Hare' "],
  );
  for (const item of values.items) ds.segment(rule + item.insert);
  assert.equal(ds.segment(rule + values.items[2].insert).size, 1);

  // A multi-byte prefix: the range is in string positions.
  const typed = '"Kä" = 1 OR reve';
  const c = ds.complete(typed, typed.length);
  assert.equal(typed.slice(c.start, c.end), 'reve');
  assert.deepEqual(
    c.items.map((i) => i.insert),
    ['revenue '],
  );
  // Operators fit the type: no text tests on numbers.
  const ops = ds.complete('revenue ', 8).items.map((i) => i.label);
  assert.ok(ops.includes('>=') && !ops.includes('CONTAINS'), ops.join(' '));
  assert.throws(
    () => ds.complete('x', 5),
    (e) => e.code === 'INVALID_ARGUMENT' && e.subject === 'cursor',
  );
});

test('complete: values start with what was typed, case-insensitively', () => {
  const rule = '"Default Address City" = \'o';
  assert.deepEqual(
    ds.complete(rule, rule.length).items.map((i) => i.label),
    ['Oulu', "O'Hare"],
  );
  const h = "\"Default Address City\" IN ('Oulu', 'H";
  assert.deepEqual(
    ds.complete(h, h.length).items.map((i) => i.label),
    ['Helsinki'],
  );
});

test('rule errors in Finnish: same code, span and excerpt, the headline from the engine catalogue', () => {
  const catchIt = (rule, options) => {
    try {
      ds.segment(rule, options);
    } catch (e) {
      return e;
    }
    assert.fail(`${rule} parsed`);
  };
  for (const rule of ['revenu >= 1', 'revenue >=', '"Default Address City" = \'Oulu', "revenue = 'x'"]) {
    const en = catchIt(rule);
    const fi = catchIt(rule, { lang: 'fi' });
    assert.ok(fi instanceof SegmetryError);
    assert.deepEqual([fi.code, fi.start, fi.end], [en.code, en.start, en.end], rule);
    assert.notEqual(fi.message.split('\n')[0], en.message.split('\n')[0], rule);
    assert.deepEqual(fi.message.split('\n').slice(1), en.message.split('\n').slice(1), rule);
  }
  assert.match(
    catchIt('revenu >= 1', { lang: 'fi-FI' }).message,
    /^saraketta `revenu` ei ole; tarkoititko `revenue`\?/,
  );
  assert.match(catchIt('revenu >= 1', { lang: 'sv' }).message, /did you mean `revenue`/);
});

test('the worker client forwards tokenize, complete and profile', async () => {
  const client = await createClient();
  try {
    const remote = await client.load(bytes.slice());
    const rule = '"Default Address City" = \'h';
    assert.deepEqual(await remote.complete(rule, rule.length), ds.complete(rule, rule.length));
    assert.deepEqual(await remote.profile('is'), ds.profile('is'));
    assert.deepEqual(await client.tokenize(rule), tokenize(rule));
    assert.equal((await remote.columns())[3].kind, 'bool');
  } finally {
    client.terminate();
  }
});
