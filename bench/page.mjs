// The benchmark page: generates the table (fixed seed) in the page, writes its Arrow IPC bytes per string
// encoding, and hands every engine its own copy of the same bytes. Every engine's aggregates are checked against
// the ground truth computed from the generator's columns before its times count.
import { generateColumns, ipcBytes } from './gen.mjs';
import {
  SEGMENTS,
  FIELDS,
  CELLS,
  at,
  compareAggregates,
  reportFromAggregates,
  analyzeOptions,
} from './job.mjs';

const Arrow = window.Arrow;
const log = (...args) => console.log('[page]', ...args);
const now = () => performance.now();

/** Ground truth straight from the generated columns (no Arrow involved). */
function groundTruth(c) {
  const agg = new Float64Array(CELLS * FIELDS);
  for (let i = 0; i < c.rows; i++) {
    const v = c.variant[i];
    const conv = (c.converted[i >> 3] >> (i & 7)) & 1;
    const r = c.revenue[i];
    const lastValid = (c.lastValid[i >> 3] >> (i & 7)) & 1;
    const member = [
      (c.country[i] === 0 || c.country[i] === 1) && c.orders[i] >= 3,
      c.spent[i] >= 100 && c.spent[i] <= 500,
      lastValid === 1 && c.lastDays[i] > 90,
      true,
    ];
    for (let s = 0; s < SEGMENTS.length; s++) {
      if (!member[s]) continue;
      agg[at(s, v, 0)]++;
      agg[at(s, v, 1)] += conv;
      agg[at(s, v, 2)] += r;
      agg[at(s, v, 3)] += r * r;
    }
  }
  return agg;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, runs: xs };
};

/** Max |Δ| between two report views' p-values and interval bounds. */
function statsDelta(view, ref) {
  let maxP = 0,
    maxCi = 0;
  view.forEach((seg, s) =>
    seg.variants.forEach((cell, v) => {
      const want = ref.segments[s].variants[v];
      if (cell.conv !== null && want.conversionVsControl)
        maxP = Math.max(maxP, Math.abs(cell.conv - want.conversionVsControl.pValue));
      if (cell.rev !== null && want.revenueVsControl)
        maxP = Math.max(maxP, Math.abs(cell.rev - want.revenueVsControl.pValue));
      if (cell.lo !== null)
        maxCi = Math.max(
          maxCi,
          Math.abs(cell.lo - want.conversionInterval[0]),
          Math.abs(cell.hi - want.conversionInterval[1]),
        );
    }),
  );
  return { maxPValueDelta: maxP, maxIntervalDelta: maxCi };
}

function workerCall(worker, msg, transfer = []) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.ok ? resolve(e.data) : reject(new Error(e.data.error)));
    worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
    worker.postMessage(msg, transfer);
  });
}

// ---- engines as the page sees them: init() once per configuration, run(bytes) per repetition ----

function workerEngine(name, cfg) {
  let worker;
  return {
    name,
    async init() {
      worker = new Worker('/bench/engines/worker.js');
      // 'segmetry@NAME' is the build in bench/.variants/NAME (size/speed experiments, same run, same bytes).
      const segmetryBase = name.includes('@') ? `/variants/${name.split('@')[1]}` : cfg.segmetryBase;
      const r = await workerCall(worker, { op: 'init', engine: name.split('@')[0], segmetryBase });
      return { initMs: r.initMs };
    },
    async run(bytes) {
      const t0 = now();
      const r = await workerCall(worker, { op: 'run', bytes }, [bytes.buffer]);
      r.e2eMs = now() - t0;
      return r;
    },
    async close() {
      worker?.terminate();
    },
  };
}

function segmetryClientEngine(cfg) {
  let client, mod, seg;
  return {
    name: 'segmetry-client',
    async init() {
      const t0 = now();
      mod = await import(`${cfg.segmetryBase}/client.js`);
      seg = await import('./engines/segmetry.mjs');
      client = await mod.createClient();
      return { initMs: now() - t0 };
    },
    async run(bytes) {
      const t0 = now();
      const ds = await client.load(bytes);
      const t1 = now();
      const report = await ds.analyze(analyzeOptions());
      const t2 = now();
      await ds.free();
      const view = seg.reportView(report);
      return {
        ingestMs: t1 - t0,
        queryMs: t2 - t1,
        totalMs: t2 - t0,
        e2eMs: t2 - t0,
        aggregates: seg.aggregatesOf(report),
        report: summarizeView(view),
      };
    },
    async close() {
      client?.terminate();
    },
  };
}

function summarizeView(view) {
  return view.segments.map((s) => ({
    name: s.name,
    variants: s.variants.map((v) => ({
      variant: v.variant,
      conv: v.conversionVsControl?.pValue ?? null,
      rev: v.revenueVsControl?.pValue ?? null,
      lo: v.conversionInterval?.lower ?? null,
      hi: v.conversionInterval?.upper ?? null,
    })),
  }));
}

function duckdbEngine() {
  let db;
  const shapeTimes = { filter: [], flags: [] };
  return {
    name: 'duckdb',
    shapeTimes,
    async init() {
      const { create } = await import('./engines/duckdb.mjs');
      const t0 = now();
      db = await create();
      return { initMs: now() - t0, instantiateMs: db.instantiateMs };
    },
    async run(bytes) {
      const t0 = now();
      await db.ingest(bytes);
      const t1 = now();
      const out = {};
      for (const shape of db.shapes) {
        const q0 = now();
        out[shape] = await db.query(shape);
        out[shape].ms = now() - q0;
        shapeTimes[shape].push(out[shape].ms);
      }
      const memoryBytes = await db.memoryBytes();
      await db.release();
      const best = out.filter.ms <= out.flags.ms ? 'filter' : 'flags';
      const bad = compareAggregates(out.filter.aggregates, out.flags.aggregates);
      if (bad.length) throw new Error(`duckdb shapes disagree: ${bad.join('; ')}`);
      const queryMs = out[best].ms;
      return {
        ingestMs: t1 - t0,
        queryMs,
        totalMs: t1 - t0 + queryMs,
        e2eMs: t1 - t0 + queryMs,
        aggregates: out[best].aggregates,
        report: null,
        memoryBytes,
        info: { shape: best },
      };
    },
    async close() {
      await db?.close();
    },
  };
}

function makeEngine(name, cfg) {
  if (name === 'duckdb') return duckdbEngine();
  if (name === 'segmetry-client') return segmetryClientEngine(cfg);
  return workerEngine(name, cfg);
}

// ---- the run ----

async function runConfig(cfg, rows, encoding, c, truth, bytes) {
  const results = {};
  const refReport = reportFromAggregates(truth);
  for (const name of cfg.engines) {
    const engine = makeEngine(name, cfg);
    const entry = { engine: name, valid: true, diffs: [], ingest: null, query: null, e2e: null };
    results[name] = entry;
    try {
      Object.assign(entry, await engine.init());
      const runs = { ingest: [], query: [], e2e: [] };
      let memoryBytes = null;
      let reps = cfg.reps;
      for (let rep = 0; rep <= reps; rep++) {
        const copy = bytes.slice(); // every run gets its own copy (engines may take ownership / transfer it)
        const w0 = now();
        const r = await engine.run(copy);
        // Slow engines get fewer timed repetitions (at least one), so a run stays within a few minutes.
        if (rep === 0) reps = Math.max(1, Math.min(cfg.reps, Math.floor((cfg.engineBudgetMs ?? 30000) / (now() - w0))));
        if (r.aggregates) {
          const diffs = compareAggregates(r.aggregates, truth);
          if (diffs.length) {
            entry.valid = false;
            entry.diffs = diffs;
          }
        } else if (name !== 'limit') {
          entry.valid = false;
          entry.diffs = ['no aggregates'];
        }
        if (r.report && rep === 0) entry.statsCheck = statsDelta(r.report, refReport);
        if (r.info) entry.info = r.info;
        if (r.readBytes !== undefined) entry.readBytes = r.readBytes;
        if (r.memoryBytes !== null && r.memoryBytes !== undefined)
          memoryBytes = Math.max(memoryBytes ?? 0, r.memoryBytes);
        if (rep === 0) continue; // warm-up: checked, not timed
        runs.ingest.push(r.ingestMs);
        runs.query.push(r.queryMs);
        runs.e2e.push(r.e2eMs);
      }
      entry.reps = runs.e2e.length;
      entry.ingest = stats(runs.ingest);
      entry.query = stats(runs.query);
      entry.e2e = stats(runs.e2e);
      entry.memoryBytes = memoryBytes;
      if (engine.shapeTimes)
        entry.shapes = Object.fromEntries(Object.entries(engine.shapeTimes).map(([k, v]) => [k, stats(v.slice(1))]));
      log(
        `${rows} ${encoding} ${name}: e2e median ${entry.e2e.median.toFixed(1)} ms (ingest ${entry.ingest.median.toFixed(1)}, query ${entry.query.median.toFixed(1)})${entry.valid ? '' : ' INVALID: ' + entry.diffs.join('; ')}`,
      );
    } catch (err) {
      entry.valid = false;
      entry.error = String(err?.stack ?? err);
      log(`${rows} ${encoding} ${name}: ERROR ${entry.error}`);
    } finally {
      await engine.close();
    }
  }
  return results;
}

window.bench = {
  async run(cfg) {
    const out = { userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, configs: [] };
    for (const rows of cfg.rows) {
      let t0 = now();
      const c = generateColumns(rows, cfg.seed);
      const truth = groundTruth(c);
      log(`generated ${rows} rows in ${(now() - t0).toFixed(0)} ms`);
      for (const encoding of cfg.encodings) {
        t0 = now();
        const bytes = ipcBytes(Arrow, c, encoding, cfg.batchRows);
        log(
          `${rows} rows ${encoding}: ${(bytes.byteLength / 1048576).toFixed(1)} MiB IPC stream in ${(now() - t0).toFixed(0)} ms`,
        );
        const results = await runConfig(cfg, rows, encoding, c, truth, bytes);
        out.configs.push({ rows, encoding, ipcBytes: bytes.byteLength, results });
      }
    }
    return out;
  },
};
window.bench.runCsv = async (cfg) => (await import('./csv.mjs')).runCsv(cfg);
window.benchReady = true;
