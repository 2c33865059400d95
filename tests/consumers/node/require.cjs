// CommonJS consumer: require() of the ES module package (require(esm), Node ≥ 20.19 / 22.12).
const { init, loadFile, stats, SegmetryError } = require('segmetry');
const { createClient } = require('segmetry/client');
const { mount } = require('segmetry/report');

(async () => {
  const out = { mount: typeof mount };
  try {
    stats.srm([1, 2]);
  } catch (err) {
    out.beforeInit = err instanceof SegmetryError ? err.code : String(err);
  }
  await init();
  out.interval = stats.proportionInterval(42, 1000, { method: 'wilson' }).lower.toFixed(4);
  const ds = await loadFile(new TextEncoder().encode('variant,converted\nA,1\nB,0\nA,0\nB,1\nB,1\n'), {
    format: 'csv',
  });
  out.rows = ds.numRows;
  out.b = ds.segment("variant = 'B'").size;
  ds.free();
  const client = await createClient();
  out.client = typeof client.load;
  client.terminate();
  console.log(JSON.stringify(out));
})();
