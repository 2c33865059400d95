// The dashboard's engine: a module worker that owns the segmetry Dataset, so decoding, segment evaluation,
// built-in segmentations and the analysis never block the page. Messages: { id, method, args } → { id, result }
// or { id, error: { name, code, message, start, end, subject } }. Everything stays in this browser tab.
import * as segmetry from 'segmetry';
import * as Arrow from 'apache-arrow';
import { demoTable } from './demo-data.js';

let ds = null; // segmetry Dataset
let table = null; // apache-arrow Table of the same data (samples and autocompletion values)
let meta = null;

const SAMPLE_ROWS = 100_000;

function fail(code, message, details = {}) {
  return new segmetry.SegmetryError(code, message, details);
}

/** Arrow IPC bytes from a dropped file: Arrow as is, CSV and Parquet through the package's lazily loaded readers. */
async function toArrowBytes(bytes, fileName) {
  const format = segmetry.sniffFormat(bytes, fileName);
  if (format === 'arrow') return { format, ipc: bytes };
  const out = await segmetry.toArrow(bytes, { format: format ?? 'auto', fileName });
  return { format, ipc: out instanceof Uint8Array ? out : new Uint8Array(out) };
}

// --- Column summaries for the schema view and the rule editor's autocompletion. -----------------------------
function valueText(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? null
      : value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 16 : 10);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  return String(value);
}

function summarize(info, column) {
  const out = { ...info, samples: [] };
  if (!column) return out;
  const n = Math.min(column.length, SAMPLE_ROWS);
  const counts = new Map();
  let min = null;
  let max = null;
  const textual = /utf8|dictionary|bool/.test(info.type);
  const ordered = /int|float|decimal|date|timestamp/.test(info.type) && !/dictionary/.test(info.type);
  for (let i = 0; i < n; i++) {
    let raw = column.get(i);
    if (raw === null || raw === undefined) continue;
    if (/^date|^timestamp/.test(info.type) && !(raw instanceof Date)) raw = new Date(Number(raw)); // apache-arrow gives epoch ms
    const text = valueText(raw);
    if (out.samples.length < 3 && !out.samples.includes(text)) out.samples.push(text);
    if (textual && (counts.size < 1000 || counts.has(text))) counts.set(text, (counts.get(text) ?? 0) + 1);
    if (ordered) {
      const key = raw instanceof Date ? raw.getTime() : Number(raw);
      if (min === null || key < min.key) min = { key, text };
      if (max === null || key > max.key) max = { key, text };
    }
  }
  if (textual) {
    out.values = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([value, count]) => ({ value, count }));
    out.distinct = counts.size;
  }
  if (ordered && min) {
    out.min = min.text;
    out.max = max.text;
  }
  return out;
}

async function load(source) {
  const started = performance.now();
  let ipc;
  let label;
  let format = 'arrow-stream';
  if (source.demo) {
    const t = demoTable(Arrow, source.demo.rows ?? 50_000, source.demo.seed ?? 42);
    ipc = Arrow.tableToIPC(t, 'stream');
    label = 'demo';
  } else {
    const bytes = source.bytes instanceof Uint8Array ? source.bytes : new Uint8Array(source.bytes);
    if (bytes.length === 0) throw fail('INVALID_ARROW', 'the file is empty', { subject: 'file' });
    ({ ipc, format } = await toArrowBytes(bytes, source.fileName ?? ''));
    label = source.fileName ?? 'file';
  }
  // Decode into wasm first: on any error the previous dataset stays loaded.
  await segmetry.init(); // a no-op after the first load
  const next = segmetry.loadDatasetSync(ipc);
  let nextTable = null;
  try {
    nextTable = Arrow.tableFromIPC(ipc);
  } catch {
    nextTable = null; // samples are a nicety; segmetry has already accepted the data
  }
  ds?.free();
  ds = next;
  table = nextTable;
  const columns = ds.columns.map((c) => summarize(c, table?.getChild(c.name)));
  meta = {
    label,
    format,
    numRows: ds.numRows,
    columns,
    bytes: ipc.length,
    memorySize: ds.memorySize,
    ms: Math.round(performance.now() - started),
  };
  return meta;
}

function need() {
  if (!ds) throw fail('NO_DATA', 'no dataset is loaded yet');
  return ds;
}

const plainBuiltin = (segments) =>
  segments.map(({ name, description, sql, size }) => ({ name, description, sql, size }));

const methods = {
  load,
  info: () => meta,
  segment(rule, options) {
    const s = need().segment(rule, options);
    return { rule: s.rule, size: s.size, sql: s.toSql() };
  },
  sizes(rules, options) {
    return rules.map((rule) => {
      try {
        const s = need().segment(rule, options);
        return { rule: s.rule, size: s.size };
      } catch (err) {
        return { error: serialize(err) };
      }
    });
  },
  overlap: (rules, options) => need().segmentOverlap(rules, options),
  members: (rule, options) => {
    const ids = need().segmentMembers(rule, options);
    return Array.isArray(ids) ? ids : Array.from(ids, (x) => (typeof x === 'bigint' ? x.toString() : x));
  },
  rfm: (options) => plainBuiltin(need().rfm(options).segments),
  lifecycle: (options) => plainBuiltin(need().lifecycle(options)),
  clusters: (options) => {
    const r = need().clusters(options);
    return plainBuiltin(r.segments).map((s, i) => ({ ...s, centroid: r.clusters[i]?.centroid, columns: r.columns }));
  },
  analyze: (options) => {
    const d = need();
    if (typeof d.analyze !== 'function') throw fail('NOT_AVAILABLE', 'this build of segmetry has no analyze()');
    return structuredCloneable(d.analyze(options));
  },
};

function structuredCloneable(value) {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : typeof v === 'bigint' ? String(v) : v)),
  );
}

function serialize(err) {
  return {
    name: err?.name ?? 'Error',
    code: err?.code ?? 'INTERNAL',
    message: String(err?.message ?? err),
    start: err?.start,
    end: err?.end,
    subject: err?.subject,
  };
}

self.onmessage = async (event) => {
  const { id, method, args = [] } = event.data;
  try {
    if (!(method in methods)) throw fail('INVALID_ARGUMENT', `unknown engine method ${method}`);
    const result = await methods[method](...args);
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: serialize(err) });
  }
};
self.postMessage({ ready: true });
