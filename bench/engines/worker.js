// One engine per dedicated worker (a classic worker, so apache-arrow's and arquero's UMD bundles load with
// importScripts; ES modules come in with dynamic import). The page creates a fresh worker per engine and data
// configuration, so each wasm instance's memory high-water mark belongs to that configuration alone.
//
// page → worker  { op: 'init', engine, segmetryBase }      → { ok, initMs, ... }
//                { op: 'run', bytes }  (bytes transferred)  → { ingestMs, queryMs, totalMs, aggregates, report, ... }
'use strict';

let engine = null;
let segmetryRaw = null; // raw wasm exports of segmetry's core (for memory.buffer.byteLength)

const now = () => performance.now();

async function init({ engine: name, segmetryBase }) {
  const t0 = now();
  if (name === 'js-loop' || name === 'limit' || name.startsWith('segmetry')) {
    importScripts('/vendor/arrow/Arrow.esnext.min.js');
  }
  if (name === 'js-loop') {
    const { create } = await import('./jsloop.mjs');
    engine = create(self.Arrow);
  } else if (name.startsWith('arquero')) {
    importScripts('/vendor/arquero/arquero.min.js');
    const { create } = await import('./arquero.mjs');
    engine = create(self.aq, name.split(':')[1] ?? 'flags');
  } else if (name === 'limit') {
    const { create } = await import('./limit.mjs');
    engine = create(self.Arrow);
  } else if (name === 'segmetry') {
    const { create } = await import('./segmetry.mjs');
    engine = await create(segmetryBase);
    segmetryRaw = engine.raw;
  } else {
    throw new Error(`unknown worker engine ${name}`);
  }
  return { initMs: now() - t0 };
}

function run({ bytes }) {
  if (engine.name === 'limit') {
    const ranges = engine.prepare(bytes);
    const t0 = now();
    const memory = engine.copy(bytes);
    const t1 = now();
    const out = engine.read(memory, ranges);
    const t2 = now();
    const readBytes = ranges.reduce((a, [, n]) => a + n, 0);
    return { ingestMs: t1 - t0, queryMs: t2 - t1, totalMs: t2 - t0, aggregates: null, checksum: String(out.checksum), readBytes };
  }
  const t0 = now();
  const state = engine.ingest(bytes);
  const t1 = now();
  const { aggregates, report, info } = engine.query(state);
  const t2 = now();
  engine.release(state);
  const memoryBytes = segmetryRaw ? segmetryRaw.memory.buffer.byteLength : null;
  return { ingestMs: t1 - t0, queryMs: t2 - t1, totalMs: t2 - t0, aggregates, report: summarize(report), info, memoryBytes };
}

/** A small, structured-clone-friendly excerpt of the report (p-values per treatment cell) for cross-checks. */
function summarize(report) {
  if (!report) return null;
  return report.segments.map((s) => ({
    name: s.name,
    variants: s.variants.map((v) => ({
      variant: v.variant,
      conv: v.conversionVsControl?.pValue ?? null,
      rev: v.revenueVsControl?.pValue ?? null,
      lo: v.conversionInterval ? (v.conversionInterval.lower ?? v.conversionInterval[0]) : null,
      hi: v.conversionInterval ? (v.conversionInterval.upper ?? v.conversionInterval[1]) : null,
    })),
  }));
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const result = msg.op === 'init' ? await init(msg) : run(msg);
    self.postMessage({ ok: true, ...result });
  } catch (err) {
    self.postMessage({ ok: false, error: `${err?.name ?? 'Error'}: ${err?.message ?? err}\n${err?.stack ?? ''}` });
  }
};
