// TypeScript CommonJS consumer (strict): `import … = require()` of the ES-module package, i.e. require(esm) on
// Node ≥ 20.19, which TypeScript models under `module: nodenext` since 5.8 (`node16` refuses it: TS1471).
import segmetry = require('segmetry');
import client = require('segmetry/client');
import report = require('segmetry/report');

export async function run(bytes: Uint8Array): Promise<number> {
  await segmetry.init();
  const ds: segmetry.Dataset = segmetry.loadDatasetSync(bytes);
  const c = await client.createClient();
  const remote = await c.load(bytes);
  const rows: number = (await remote.numRows()) + ds.numRows;
  c.terminate();
  void report.mount;
  return rows + segmetry.stats.proportionInterval(1, 2).lower;
}
