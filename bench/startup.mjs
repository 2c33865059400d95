// Module start-up, measured in a fresh browser context (so no compiled-module cache is warm):
//  segmetry  WebAssembly.compile of the fetched bytes, then instantiate + wasm-bindgen start (fetch excluded)
//  duckdb    AsyncDuckDB.instantiate in its worker (includes the local 127.0.0.1 fetch of duckdb-eh.wasm)
//  arquero / apache-arrow   evaluation of the fetched UMD bundle text (fetch excluded)
const now = () => performance.now();

window.measureStartup = async ({ segmetryBase, engines }) => {
  const out = {};
  if (engines.some((e) => e.startsWith('segmetry'))) {
    const bytes = await (await fetch(`${segmetryBase}/wasm/segmetry_bg.wasm`)).arrayBuffer();
    const runtime = await import(`${segmetryBase}/runtime.js`);
    const t0 = now();
    const module = await WebAssembly.compile(bytes);
    const t1 = now();
    await runtime.init({ wasm: module });
    const t2 = now();
    out.segmetry = { compileMs: t1 - t0, instantiateMs: t2 - t1, totalMs: t2 - t0 };
  }
  if (engines.includes('duckdb')) {
    const duckdb = await import('/vendor/duckdb/duckdb-browser.mjs');
    const worker = new Worker('/vendor/duckdb/duckdb-browser-eh.worker.js');
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    const t0 = now();
    await db.instantiate('/vendor/duckdb/duckdb-eh.wasm');
    out.duckdb = { totalMs: now() - t0, note: 'instantiate incl. local fetch' };
    await db.terminate();
  }
  const evalUmd = async (url) => {
    const text = await (await fetch(url)).text();
    const t0 = now();
    (0, eval)(text); // indirect eval: global scope, as a <script> would run it
    return { totalMs: now() - t0, note: 'parse + evaluate' };
  };
  if (engines.some((e) => e.startsWith('arquero'))) out.arquero = await evalUmd('/vendor/arquero/arquero.min.js');
  if (engines.includes('js-loop')) out['js-loop'] = await evalUmd('/vendor/arrow/Arrow.esnext.min.js');
  return out;
};
window.startupReady = true;
