// reportToRows / reportToArrow against the report they flatten: every row and field, read back through
// apache-arrow and through segmetry's own Arrow reader (arrow-rs, which verifies the flatbuffers).
// Run: node --test tests/js/report-export.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { loadDataset, reportToRows, reportToArrow } from 'segmetry';

const data = readFileSync(new URL('../fixtures/analysis/experiment.arrow', import.meta.url));
const ds = await loadDataset(data);
const report = ds.analyze({
  segments: { Repeat: 'orders_count >= 2' },
  variant: 'variant',
  control: 'A',
  difference: 'absolute',
  referenceDate: '2026-11-01',
});

test('reportToRows: one row per segment × variant with the report values', () => {
  const rows = reportToRows(report);
  const cells = report.segments.flatMap((s) => s.variants.map((v) => [s, v]));
  assert.equal(rows.length, cells.length);
  cells.forEach(([s, v], i) => {
    const row = rows[i];
    assert.equal(row.segment, s.name);
    assert.equal(row.variant, v.variant);
    assert.equal(row.is_control, v.variant === report.control);
    assert.equal(row.n, v.n);
    assert.equal(row.conversions, v.conversions);
    assert.equal(row.conversion_p_value, v.conversionVsControl?.pValue ?? null);
    assert.equal(row.revenue_mean, v.revenueMean ?? null);
  });
});

test('reportToArrow: the same rows as an Arrow IPC stream', async () => {
  const rows = reportToRows(report);
  const bytes = reportToArrow(report);
  const table = arrow.tableFromIPC(bytes);
  assert.equal(table.numRows, rows.length);
  assert.deepEqual(
    table.schema.fields.map((f) => [f.name, String(f.type)]),
    Object.keys(rows[0]).map((name) => [
      name,
      ['segment', 'rule', 'variant'].includes(name)
        ? 'Utf8'
        : /^(is_control|srm_mismatch)$/.test(name)
          ? 'Bool'
          : 'Float64',
    ]),
  );
  table.toArray().forEach((got, i) => {
    for (const [name, want] of Object.entries(rows[i])) {
      const value = got[name];
      if (typeof want === 'number' && Number.isNaN(want)) assert.ok(Number.isNaN(value), name);
      else assert.equal(value, want, `${name} of row ${i}`);
    }
  });
  const back = await loadDataset(bytes);
  assert.equal(back.numRows, rows.length);
  assert.equal(back.segment("variant = 'A'").size, rows.filter((r) => r.variant === 'A').length);
  back.free();
});
