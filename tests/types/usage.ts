// Compile-only check that the published declarations describe the README's usage.
import { loadDataset, SegmetryError, stats, toCsv, type ColumnInfo, type MemberTable } from 'segmetry';

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
