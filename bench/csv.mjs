// The CSV rows of the benchmark, in the same page as the Arrow rows: CSV bytes → Arrow IPC with segmetry's
// reader (toArrowDetailed: sniffing, typed inference, import report) against DuckDB-WASM's read_csv into a
// table, on the same bytes (orders- and customers-like exports from scripts/gen_shop_exports.py, fetched once).
// Each engine gets its own copy per repetition; the first repetition is a checked warm-up (row counts agree).
// segmetry also runs on a Blob of the bytes, as a dropped File arrives: read whole, and streamed (what it does).

const now = () => performance.now();
const log = (...args) => console.log('[page]', ...args);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, samples: xs };
}

/** Time `run(copy)` `reps` times after one warm-up; `run` resolves to the row count. */
async function timed(bytes, reps, run) {
  const times = [];
  let rows = null;
  for (let rep = 0; rep <= reps; rep++) {
    const copy = bytes.slice();
    const t0 = now();
    rows = await run(copy);
    if (rep > 0) times.push(now() - t0);
  }
  return { rows, ms: stats(times) };
}

/** `cfg.csvFiles`: [{ name, url }]; resolves to one entry per file with both engines' times and MB/s. */
export async function runCsv(cfg) {
  const pkg = await import(`${cfg.segmetryBase}/index.js`);
  const { create } = await import('./engines/duckdb.mjs');
  const db = await create();
  const out = [];
  try {
    for (const file of cfg.csvFiles) {
      const bytes = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
      const entry = { name: file.name, bytes: bytes.byteLength, results: {} };
      const engines = {
        segmetry: async (copy) => (await pkg.toArrowDetailed(copy, { format: 'csv' })).numRows,
        // The same bytes as a Blob, as a dropped File arrives: read whole and converted (what a File cost before
        // streaming), and read in 8 MB pieces through the CSV module's CsvStream (bounded memory; what
        // toArrow/loadFile do with a File now). Both times include making the Blob and reading it.
        'segmetry (File, read whole)': async (copy) => {
          const whole = new Uint8Array(await new Blob([copy]).arrayBuffer());
          return (await pkg.toArrowDetailed(whole, { format: 'csv' })).numRows;
        },
        'segmetry (File, streamed)': async (copy) =>
          (await pkg.toArrowDetailed(new Blob([copy]), { format: 'csv' })).numRows,
        duckdb: (copy) => db.readCsv(copy),
      };
      for (const [name, run] of Object.entries(engines)) {
        try {
          const r = await timed(bytes, cfg.reps, run);
          entry.results[name] = { ...r, mbPerS: bytes.byteLength / 1e6 / (r.ms.median / 1e3) };
          log(`csv ${file.name} ${name}: median ${r.ms.median.toFixed(0)} ms, ${r.rows} rows`);
        } catch (err) {
          entry.results[name] = { error: String(err?.stack ?? err) };
          log(`csv ${file.name} ${name}: ERROR ${err}`);
        }
      }
      const { segmetry, duckdb } = entry.results;
      entry.rowsAgree = segmetry?.rows !== undefined && segmetry.rows === duckdb?.rows;
      out.push(entry);
    }
  } finally {
    await db.close();
  }
  return out;
}
