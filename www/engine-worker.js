// The dashboard's engine: a module worker that owns the segmetry Dataset, so decoding, segment evaluation,
// built-in segmentations and the analysis never block the page. Messages: { id, method, args } → { id, result }
// or { id, error: { name, code, message, start, end, subject } }. Everything stays in this browser tab.
import * as segmetry from 'segmetry';
import * as Arrow from 'apache-arrow';
import { demoTable, arrowVectors } from './demo-data.js';

let ds = null; // segmetry Dataset
let table = null; // apache-arrow Table of the same data (samples and autocompletion values)
let meta = null;

const SAMPLE_ROWS = 100_000;

function fail(code, message, details = {}) {
  return new segmetry.SegmetryError(code, message, details);
}

/** 'arrow-file' | 'arrow-stream' | 'parquet' | 'csv' from magic bytes, then the file name. */
export function sniffFormat(bytes, fileName = '') {
  const ascii = (from, to) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 6 && ascii(0, 6) === 'ARROW1') return 'arrow-file';
  if (bytes.length >= 4 && ascii(0, 4) === 'PAR1') return 'parquet';
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) return 'arrow-stream';
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  if (ext === 'arrow' || ext === 'feather' || ext === 'ipc') return 'arrow-file';
  if (ext === 'arrows') return 'arrow-stream';
  return 'csv';
}

// --- A small CSV reader, used only while the package has no CSV support of its own (js/formats.js). ---------
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const delimiter = (() => {
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length]);
    return counts.sort((a, b) => b[1] - a[1])[0][0];
  })();
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw fail('INVALID_ARGUMENT', 'the CSV file ends inside a quoted field (a " without its closing ")', { subject: 'csv' });
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function csvToArrow(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    throw fail('INVALID_ARGUMENT', 'this file is neither Arrow, Parquet nor UTF-8 CSV text', { subject: 'file' });
  }
  const rows = parseCsv(text);
  if (rows.length < 2) throw fail('INVALID_ARGUMENT', 'the CSV file needs a header row and at least one data row', { subject: 'csv' });
  const [header, ...data] = rows;
  if (new Set(header).size !== header.length || header.some((h) => h.trim() === '')) {
    throw fail('INVALID_ARGUMENT', 'the CSV header must name every column once', { subject: 'csv' });
  }
  const bad = data.findIndex((r) => r.length !== header.length);
  if (bad >= 0) {
    throw fail('INVALID_ARGUMENT', `CSV row ${bad + 2} has ${data[bad].length} fields, the header has ${header.length}`, { subject: 'csv' });
  }
  const v = arrowVectors(Arrow);
  const columns = {};
  header.forEach((name, c) => {
    const raw = data.map((r) => (r[c] === '' ? null : r[c]));
    const present = raw.filter((x) => x !== null);
    const all = (re) => present.length > 0 && present.every((x) => re.test(x));
    if (all(/^-?\d{1,9}$/)) columns[name] = v.int32(raw.map((x) => (x === null ? null : Number(x))));
    else if (all(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/)) columns[name] = v.float64(raw.map((x) => (x === null ? null : Number(x))));
    else if (all(/^(true|false)$/i)) columns[name] = v.bool(raw.map((x) => (x === null ? null : x.toLowerCase() === 'true')));
    else if (all(/^\d{4}-\d{2}-\d{2}$/)) columns[name] = v.dateDay(raw.map((x) => (x === null ? null : new Date(`${x}T00:00:00Z`))));
    else columns[name] = v.dictionary(raw);
  });
  return Arrow.tableToIPC(new Arrow.Table(columns), 'stream');
}

/** Arrow IPC bytes from a dropped file: Arrow as is, CSV/Parquet through the package's converter when present. */
async function toArrowBytes(bytes, fileName) {
  const format = sniffFormat(bytes, fileName);
  if (format === 'arrow-file' || format === 'arrow-stream') return { format, ipc: bytes };
  if (typeof segmetry.toArrow === 'function') {
    const out = await segmetry.toArrow(bytes, { format, fileName });
    return { format, ipc: out instanceof Uint8Array ? out : new Uint8Array(out) };
  }
  if (format === 'csv') return { format, ipc: csvToArrow(bytes) };
  throw fail('UNSUPPORTED_FORMAT', 'Parquet files need the package\'s Parquet reader, which this build does not include; ' +
    'convert the file to Arrow (.arrow) or CSV', { subject: 'file' });
}

// --- Column summaries for the schema view and the rule editor's autocompletion. -----------------------------
function valueText(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 16 : 10);
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
    out.values = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([value, count]) => ({ value, count }));
    out.distinct = counts.size;
  }
  if (ordered && min) { out.min = min.text; out.max = max.text; }
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
  meta = { label, format, numRows: ds.numRows, columns, bytes: ipc.length, memorySize: ds.memorySize,
    ms: Math.round(performance.now() - started) };
  return meta;
}

function need() {
  if (!ds) throw fail('NO_DATA', 'no dataset is loaded yet');
  return ds;
}

const plainBuiltin = (segments) => segments.map(({ name, description, sql, size }) => ({ name, description, sql, size }));

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
  return JSON.parse(JSON.stringify(value, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : typeof v === 'bigint' ? String(v) : v)));
}

function serialize(err) {
  return { name: err?.name ?? 'Error', code: err?.code ?? 'INTERNAL', message: String(err?.message ?? err),
    start: err?.start, end: err?.end, subject: err?.subject };
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
