// Compile-only check that the published declarations describe the README's usage.
import { loadDataset, SegmetryError, stats, toCsv, type ColumnInfo, type MemberTable } from 'segmetry';
import { createClient } from 'segmetry/client';

async function usage(bytes: Uint8Array): Promise<number> {
  const ds = await loadDataset(bytes);
  const columns: ColumnInfo[] = ds.columns;
  ds.append(bytes.buffer as ArrayBuffer);
  const seg = ds.segment("country IN ('FI', 'SE') AND orders_count >= 3", { referenceDate: '2026-11-01' });
  const sql: string = seg.toSql({ dialect: 'spark' });
  const overlap: number[][] = ds.segmentOverlap([seg.rule, 'orders_count >= 1', { builtin: 'lifecycle' }]);
  const members: MemberTable = ds.segmentMembers("Tags HAS 'vip'", { columns: ['Email'] });
  const csv: string = toCsv(members);
  try {
    ds.segment('nope >');
  } catch (err) {
    if (err instanceof SegmetryError && err.code === 'RULE_SYNTAX') return err.start ?? 0;
  }
  ds.free();
  void stats;
  return columns.length + sql.length + overlap.length + seg.size + csv.length + members.dropped;
}
void usage;

async function emailTest(bytes: Uint8Array): Promise<number> {
  const ds = await loadDataset(bytes);
  const report = ds.analyze({
    variant: 'Variant',
    control: 'A',
    conversion: 'Ordered',
    revenue: 'Revenue',
    metrics: {
      opened: 'Opened',
      clicked: { column: 'Clicked', role: 'secondary' },
      click_to_open: { type: 'ratio', numerator: 'Clicked', denominator: 'Opened' },
      unsubscribed: { column: 'Unsubscribed', role: 'guardrail' },
    },
  });
  const cto = report.segments[0].variants[1].metrics['click_to_open'];
  return report.correction.family + cto.estimate + (cto.vsControl?.pValue ?? 0) + (cto.denominatorSum ?? 0);
}
void emailTest;

// Predicted value: ds.clv, its tiers, the date split, and the worker client's forms.
async function clvUsage(bytes: Uint8Array): Promise<number> {
  const orders = await loadDataset(bytes);
  const split = await orders.calibrationAndHoldout({
    customer: 'Email',
    date: 'Created at',
    amount: 'Total',
    calibrationEnd: '2025-03-31',
  });
  const result = await split.clv({
    frequency: 'frequency_cal',
    recency: 'recency_cal',
    T: 'T_cal',
    monetary: 'monetary_value_cal',
    holdout: { frequency: 'frequency_holdout', days: 91 },
    tiers: { highShare: 0.1 },
  });
  const high: number = result.tiers.find((t) => t.name === 'High')?.customers ?? 0;
  result.customers.free();
  const client = await createClient();
  const remote = await client.load(bytes);
  const remoteResult = await remote.clv({ lastOrderDays: 'last_order_days', referenceDate: '2026-11-01' });
  const size = (await remoteResult.customers.segment('p_alive < 0.3')).size;
  const remoteSplit = await remote.calibrationAndHoldout({
    customer: 'Email',
    date: 'd',
    calibrationEnd: '2025-01-01',
  });
  await remoteSplit.free();
  return high + size + (result.checks.holdout?.actual.length ?? 0);
}
void clvUsage;
