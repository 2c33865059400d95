// Node ESM consumer: import, NOT_READY before init, then loadFile → segment → analyze and the worker client.
import { init, loadFile, loadDatasetSync, createClient, stats, SegmetryError } from 'segmetry';

const out = {};
try {
  stats.proportionInterval(1, 2);
} catch (err) {
  out.beforeInit = err instanceof SegmetryError ? err.code : String(err);
}
await init();
out.interval = stats.proportionInterval(42, 1000, { method: 'wilson' }).lower.toFixed(4);
const csv = new TextEncoder().encode('variant,converted\nA,1\nB,0\nA,0\nB,1\nB,1\n');
const ds = await loadFile(csv, { format: 'csv' });
out.rows = ds.numRows;
out.b = ds.segment("variant = 'B'").size;
out.conversions = ds.analyze({ variant: 'variant', revenue: null }).segments[0].variants.map((v) => v.conversions);
out.syncLoad = typeof loadDatasetSync;
ds.free();
const client = await createClient();
const remote = await client.load(csv, { format: 'csv' });
out.worker = (await remote.segment("variant = 'B'")).size;
client.terminate();
console.log(JSON.stringify(out));
