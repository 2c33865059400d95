// segmetry's synchronous API in a worker: loadDatasetSync(bytes) (ingest: the copy into wasm memory and the
// zero-copy decode), then ds.analyze(options) (segments, one-pass sufficient statistics, the statistics, the
// report as JS objects). Also the report → flat aggregates mapping used to check segmetry against the others.
import { SEGMENTS, VARIANT_KEYS, FIELDS, CELLS, at, analyzeOptions } from '../job.mjs';

const ALL = 'All customers';

export async function create(base) {
  const pkg = await import(`${base}/index.js`);
  const runtime = await import(`${base}/runtime.js`);
  await runtime.init();
  const raw = { get memory() { return runtime.memory; } }; // the current instance's memory, for its byteLength
  const options = analyzeOptions();
  return {
    name: 'segmetry',
    raw,
    ingest(bytes) {
      return pkg.loadDatasetSync(bytes);
    },
    query(ds) {
      const report = ds.analyze(options);
      return { aggregates: aggregatesOf(report), report: reportView(report) };
    },
    release(ds) {
      ds.free();
    },
  };
}

/** segmetry's report in the bench's segment order (its "All customers" is the bench's "everyone"). */
export function reportView(report) {
  const byName = new Map(report.segments.map((s) => [s.name, s]));
  return {
    segments: SEGMENTS.map((seg) => {
      const s = byName.get(seg.rule ? seg.name : ALL);
      if (!s) throw new Error(`segmetry's report has no segment ${seg.name}`);
      return { name: seg.name, variants: s.variants };
    }),
  };
}

export function aggregatesOf(report) {
  const view = reportView(report);
  const agg = new Float64Array(CELLS * FIELDS);
  view.segments.forEach((seg, s) => {
    for (const cell of seg.variants) {
      const v = VARIANT_KEYS.indexOf(cell.variant);
      if (v < 0) continue;
      const n = cell.n ?? NaN;
      agg[at(s, v, 0)] = n;
      agg[at(s, v, 1)] = cell.conversions ?? NaN;
      agg[at(s, v, 2)] = cell.revenueSum ?? NaN;
      agg[at(s, v, 3)] = cell.revenueSumSq ?? cell.revenueSumOfSquares
        ?? (n > 1 ? cell.revenueVariance * (n - 1) + n * cell.revenueMean * cell.revenueMean : NaN);
    }
  });
  return agg;
}
