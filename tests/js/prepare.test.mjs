// aggregate / join / customerFeatures through the built package, on the generated shop exports
// (tests/fixtures/prepare, truths by DuckDB in scripts/gen_prepare_fixtures.py), up to the built-in segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createClient, loadDataset, SegmetryError } from 'segmetry';

const dir = new URL('../fixtures/prepare/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
const load = (name) => loadDataset(readFileSync(new URL(`${name}.arrow`, dir)));

test('aggregate: one row per key, key first, values in the given order', async () => {
  const orders = await load('orders');
  const { options, columns } = expected.aggregate_paid;
  const values = Object.fromEntries(options.values);
  const per = await orders.aggregate({ ...options, values });
  assert.equal(per.numRows, columns.key.length);
  assert.deepEqual(
    per.columns.map((c) => c.name),
    ['Email', ...options.values.map(([n]) => n)],
  );
  const bigSpenders = columns.total_spent.filter((t) => t !== null && t > 200).length;
  assert.equal(per.segment('total_spent > 200').size, bigSpenders);
  const gift = columns.bought_gift_card.filter(Boolean).length;
  assert.equal(per.segment('bought_gift_card').size, gift);
  assert.equal(per.recipe.op, 'aggregate');
  assert.equal(per.recipe.options.by, 'Email');
});

test('customers ⟕ customerFeatures: counts 0 for customers without orders, lifecycle sees Prospects', async () => {
  const [orders, customers] = await Promise.all([load('orders'), load('customers')]);
  const features = await orders.customerFeatures(expected.features_paid.options);
  const want = expected.join_customers.columns;
  const enriched = await customers.join(features, expected.join_customers.options);
  const matched = want.matched.filter(Boolean).length;
  assert.deepEqual(enriched.joinReport, {
    left: 300,
    right: features.numRows,
    matched,
    unmatchedLeft: 300 - matched,
    duplicateRightKeys: 0,
  });
  assert.equal(enriched.segment('orders_count = 0').size, want.orders_count.filter((n) => n === 0).length);
  assert.equal(enriched.segment('orders_count IS NULL').size, 0);
  const stages = enriched.lifecycle({ referenceDate: '2025-12-01' });
  const prospects = stages.find((s) => s.name === 'Prospect');
  assert.equal(prospects.size, want.orders_count.filter((n) => n === 0).length);
  assert.equal(enriched.recipe.op, 'join');
  assert.equal(enriched.recipe.right.op, 'customerFeatures');
});

test('FI customers who accept e-mail and spent over 200 €', async () => {
  const [orders, customers] = await Promise.all([load('orders'), load('customers')]);
  const enriched = await customers.join(
    await orders.customerFeatures(expected.features_paid.options),
    expected.join_customers.options,
  );
  const rule = `"Default Address Country Code" = 'FI' AND "Accepts Email Marketing" AND total_spent > 200`;
  const members = enriched.segmentMembers(rule, { column: 'Customer ID' });
  assert.ok(members.length > 0 && members.length < 300, `${members.length}`);
});

test('errors are SegmetryErrors with codes, spans and subjects', async () => {
  const [orders, customers] = await Promise.all([load('orders'), load('customers')]);
  await assert.rejects(
    orders.aggregate({ by: 'Email', values: { t: 'sum(Totl)' } }),
    (e) => e instanceof SegmetryError && e.code === 'UNKNOWN_COLUMN' && e.start === 4 && e.end === 8,
  );
  await assert.rejects(
    customers.join(orders, { on: 'Email', normalizeKey: 'email' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT' && /aggregate/.test(e.message),
  );
  await assert.rejects(
    orders.aggregate({ by: 'Email', values: ['count()'] }),
    (e) => e instanceof SegmetryError && e.subject === 'values',
  );
  await assert.rejects(customers.join({}, { on: 'Email' }), (e) => e.subject === 'right');
  await assert.rejects(
    orders.customerFeatures({ customer: 'Email', date: 'Total', amount: 'Total' }),
    (e) => e.code === 'TYPE_MISMATCH' && e.subject === 'date',
  );
});

// The recipes of tests/fixtures/prepare/recipes.json, made through the package: their SQL must be the committed
// text whose DuckDB results tests/prepare_sql.rs checks against segmetry's own tables.
const recipes = JSON.parse(readFileSync(new URL('recipes.json', dir), 'utf8'));
const committedSql = (name, dialect) => readFileSync(new URL(`sql/${name}.${dialect}.sql`, dir), 'utf8');

test('toSql: the recipe made in JS gives the committed SQL, per dialect', async () => {
  const [orders, customers, campaign] = await Promise.all([load('orders'), load('customers'), load('campaign')]);
  const pairsToObject = (o) => (o.values ? { ...o, values: Object.fromEntries(o.values) } : o);
  const features = await orders.customerFeatures(recipes.features_paid.recipe.options);
  const table = await customers.join(features, recipes.customers_features.recipe.options);
  const cases = {
    aggregate_lines: [await orders.aggregate(pairsToObject(recipes.aggregate_lines.recipe.options)), ['orders']],
    customers_features: [table, ['customers', 'orders']],
    workspace: [await campaign.join(table, recipes.workspace.recipe.options), ['campaign', 'customers', 'orders']],
  };
  for (const [name, [ds, tables]] of Object.entries(cases)) {
    for (const dialect of ['duckdb', 'spark', 'postgres']) {
      const sql = await ds.toSql({ dialect, tables: tables.map((t) => ({ name: t, rowOrder: 'rn' })) });
      assert.equal(sql + '\n', committedSql(name, dialect), `${name}.${dialect}`);
    }
  }
  assert.deepEqual(table.recipe.left, {
    op: 'source',
    columns: customers.columns.map(({ name, type }) => ({ name, type })),
  });
});

test('toSql: clear errors for loaded data, missing row order and the wrong number of tables', async () => {
  const orders = await load('orders');
  await assert.rejects(
    orders.toSql({ dialect: 'duckdb', tables: ['orders'] }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT' && e.subject === 'recipe',
  );
  const per = await orders.aggregate({ by: 'Email', values: { first_status: 'first("Financial Status")' } });
  await assert.rejects(
    per.toSql({ dialect: 'duckdb', tables: ['orders'] }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.subject === 'tables' && /rowOrder/.test(e.message),
  );
  await assert.rejects(
    per.toSql({ dialect: 'duckdb', tables: [] }),
    (e) => e.subject === 'tables' && /starts from 1 loaded dataset/.test(e.message),
  );
  await assert.rejects(per.toSql({ dialect: 'oracle', tables: ['orders'] }), (e) => /duckdb/.test(e.message));
  const sql = await per.toSql({ dialect: 'postgres', tables: [{ name: 'shop.orders', rowOrder: 'line' }] });
  assert.match(sql, /FROM "shop"\."orders"/);
});

test('worker client: prepare steps return RemoteDatasets that stay in the worker', async () => {
  const client = await createClient();
  try {
    const bytes = (name) => readFileSync(new URL(`${name}.arrow`, dir));
    const [orders, customers] = await Promise.all([client.load(bytes('orders')), client.load(bytes('customers'))]);
    const features = await orders.customerFeatures(expected.features_paid.options);
    assert.equal(features.recipe.op, 'customerFeatures');
    const enriched = await customers.join(features, expected.join_customers.options);
    const want = expected.join_customers.columns;
    assert.equal(enriched.joinReport.matched, want.matched.filter(Boolean).length);
    const zero = await enriched.segment('orders_count = 0');
    assert.equal(zero.size, want.orders_count.filter((n) => n === 0).length);
    const per = await orders.aggregate({ by: 'Email', normalizeKey: 'email', values: { n: 'count()' } });
    assert.equal(await per.numRows(), expected.aggregate_lines.columns.key.length);
    const ordered = (name) => ({ name, rowOrder: 'rn' });
    const sql = await enriched.toSql({ dialect: 'duckdb', tables: [ordered('customers'), ordered('orders')] });
    assert.equal(sql + '\n', committedSql('customers_features', 'duckdb'));
    await assert.rejects(customers.join({}, { on: 'Email' }), (e) => e.subject === 'right');
  } finally {
    client.terminate();
  }
});

test('left join: the left columns stay as they are, over several batches, with keys named differently', async () => {
  const { tableFromArrays, tableToIPC } = await import('apache-arrow');
  const ipc = (columns) => tableToIPC(tableFromArrays(columns), 'stream');
  const customers = await loadDataset(ipc({ email: ['a@x.fi', 'b@x.fi'], city: ['Oulu', 'Turku'] }));
  customers.append(ipc({ email: ['c@x.fi', null, 'a@x.fi'], city: ['Espoo', 'Vantaa', 'Pori'] }));
  const orders = await loadDataset(
    ipc({ who: ['a@x.fi', 'c@x.fi', 'c@x.fi', 'z@x.fi'], total: Float64Array.from([10, 2.5, 4, 99]) }),
  );
  const per = await orders.aggregate({ by: 'who', values: { orders: 'count()', spent: 'sum(total)' } });
  const joined = await customers.join(per, { on: ['email', 'who'] });
  assert.deepEqual(
    joined.columns.map((c) => c.name),
    ['email', 'city', 'orders', 'spent'],
  );
  assert.deepEqual(joined.joinReport, { left: 5, right: 3, matched: 3, unmatchedLeft: 2, duplicateRightKeys: 0 });
  // Row by row through segments: a@x.fi twice with 1 order and 10 €, c@x.fi with 2 and 6.5, the rest 0 orders.
  assert.equal(joined.segment('orders = 1 AND spent = 10').size, 2);
  assert.equal(joined.segment("orders = 2 AND spent = 6.5 AND city = 'Espoo'").size, 1);
  assert.equal(joined.segment('orders = 0 AND spent IS NULL').size, 2);
  assert.equal(joined.segment("city = 'Vantaa' AND email IS NULL").size, 1);
  // A right table with nothing but its key adds no column; the left ones are unchanged.
  const keysOnly = await loadDataset(ipc({ who: ['a@x.fi', 'c@x.fi', 'z@x.fi'] }));
  const same = await customers.join(keysOnly, { on: ['email', 'who'] });
  assert.deepEqual(
    same.columns.map((c) => c.name),
    ['email', 'city'],
  );
  assert.equal(same.numRows, 5);
  assert.equal(same.joinReport.matched, 3);
  // A clashing name gets the suffix, as in every join.
  const again = await per.join(per, { on: 'who', suffix: '_again' });
  assert.deepEqual(
    again.columns.map((c) => c.name),
    ['who', 'orders', 'spent', 'orders_again', 'spent_again'],
  );
  // Errors name the option as before: the left key is not a column.
  await assert.rejects(
    customers.join(per, { on: ['mail', 'who'] }),
    (e) => e instanceof SegmetryError && e.subject === 'on',
  );
});
