// Compile-only check of the CSV/Parquet and worker-client declarations (docs/formats-and-worker.md).
import { createClient, loadFile, toArrow, toArrowDetailed, SegmetryError, type Progress } from 'segmetry';

async function usage(file: File): Promise<number> {
  const ipc: Uint8Array = await toArrow(file, { format: 'auto', delimiter: ';', nullValues: ['NA'] });
  const detailed = await toArrowDetailed(ipc, { skipUnsupported: true });
  const skipped: string[] = detailed.skipped.map((c) => c.name);
  const local = await loadFile(file);
  local.free();

  const client = await createClient({ cancelGraceMs: 100 });
  const controller = new AbortController();
  const seen: Progress[] = [];
  const ds = await client.load(file, { signal: controller.signal, onProgress: (p) => seen.push(p), format: 'csv' });
  const rows: number = await ds.numRows();
  const seg: { size: number; rule: string; sql: string } = await ds.segment('orders >= 3');
  const report = await ds.analyze({ variant: 'variant', control: 'control' }, { signal: controller.signal });
  const interval = await client.stats.proportionInterval(42, 1000, { method: 'wilson' });
  try {
    await ds.segment('nope >');
  } catch (err) {
    if (err instanceof SegmetryError && err.code === 'WORKER_RESTARTED') return 0;
    if (err instanceof SegmetryError && err.code === 'INVALID_CSV') return (err.line ?? 0) + (err.column ?? 0);
  }
  await ds.free();
  client.terminate();
  void interval;
  return rows + seg.size + report.segments.length + skipped.length + seen.length;
}
void usage;
