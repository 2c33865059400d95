// ds.link() and link rules through the built package (npm run build first), against the DuckDB counts of
// scripts/gen_link_fixtures.py (tests/fixtures/links): sizes, SQL text, appends to the linked table, errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { loadDataset, SegmetryError } from 'segmetry';

const dir = new URL('../fixtures/links/', import.meta.url);
const customers = await loadDataset(readFileSync(new URL('customers.arrow', dir)));
const ordersBytes = readFileSync(new URL('orders.arrow', dir));
const orders = await loadDataset(ordersBytes);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8'));
after(() => {
  customers.free();
  orders.free();
});
const referenceDate = '2026-11-01';

test('link rules count what DuckDB counts, and their SQL is what DuckDB ran', () => {
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    customers.link('orders', orders, { on: ['Email', 'Email'], normalizeKey: c.mode });
    const segment = customers.segment(c.rule, { referenceDate });
    assert.equal(segment.size, c.count, c.rule);
    // toSql names the customer table "customers" and each linked table by its link name.
    assert.equal(segment.toSql(), c.sql.replaceAll('"c"."Email"', '"customers"."Email"'), c.rule);
    assert.equal(customers.segment(segment.rule, { referenceDate }).size, c.count, `canonical of ${c.rule}`);
  }
});

test('analyze: segment rules over a link get the sizes DuckDB counts, split by variant', async () => {
  // The customers with a variant column (A, B alternating), linked to the same orders.
  const t = arrow.tableFromIPC(readFileSync(new URL('customers.arrow', dir)));
  const email = t.getChild('Email').toArray();
  const variant = Array.from(email, (_, i) => (i % 2 ? 'B' : 'A'));
  const ds = await loadDataset(arrow.tableToIPC(arrow.tableFromArrays({ Email: email, variant })));
  ds.link('orders', orders, { on: 'Email', normalizeKey: 'email' });
  const picked = cases.filter((c) => c.mode === 'email').slice(0, 6);
  const segments = Object.fromEntries(picked.map((c, i) => [`s${i}`, c.rule]));
  const report = ds.analyze({ segments, control: 'A', conversion: null, revenue: null, referenceDate });
  picked.forEach((c, i) => {
    const seg = report.segments[i + 1];
    assert.equal(seg.size, c.count, c.rule);
    assert.equal(seg.variants[0].n + seg.variants[1].n, c.count, c.rule);
  });
  ds.free();
});

test('rows appended to the linked table are seen by later calls', async () => {
  const fresh = customers.link('orders', orders, { on: 'Email', normalizeKey: 'email' });
  assert.equal(fresh, customers);
  const exists = cases.find((c) => c.rule === 'EXISTS(orders)' && c.mode === 'email').count;
  const twice = cases.find((c) => c.rule === 'COUNT(orders) >= 2' && c.mode === 'email').count;
  assert.equal(customers.segment('COUNT(orders) >= 2').size, twice);
  // A second dataset that linked `orders` and was freed must not break appends to `orders`.
  const parent = await loadDataset(readFileSync(new URL('customers.arrow', dir)));
  parent.link('orders', orders, { on: 'Email' });
  parent.free();
  // Every order twice: each customer with an order now has at least two.
  orders.append(ordersBytes);
  assert.equal(customers.segment('COUNT(orders) >= 2').size, exists);
  assert.equal(customers.segment('EXISTS(orders)').size, exists);
});

test('link errors are SegmetryErrors with stable codes', () => {
  assert.throws(
    () => customers.link('orders', {}, { on: 'Email' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT',
  );
  assert.throws(
    () => customers.link('orders', orders, { on: 'E-mail' }),
    (e) => e instanceof SegmetryError && e.code === 'UNKNOWN_COLUMN',
  );
  assert.throws(
    () => customers.link('orders', orders, { on: 'Email', normalizeKey: 'EMAIL' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT',
  );
  assert.throws(
    () => customers.segment('COUNT(refunds) >= 1'),
    (e) => e instanceof SegmetryError && e.code === 'UNKNOWN_COLUMN' && /linked tables are orders/.test(e.message),
  );
});
