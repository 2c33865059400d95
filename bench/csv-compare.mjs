#!/usr/bin/env node
// Two builds of the CSV reader must give the same output: the Arrow bytes, the import report and the errors, for
// bytes converted whole and for a CsvStream fed random small pieces, on the CSV files given and on 500 random
// typed CSVs (numbers in every style, money, bools, dates, timestamps, codes, quoted text, empty fields). For a
// speed pass that must not change a value (docs/benchmark.md).
//   node bench/csv-compare.mjs BASE_FORMATS_DIR NEW_FORMATS_DIR [FILE.csv...]
// Each DIR holds segmetry_formats_csv.js and _bg.wasm as dist/formats does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [baseDir, newDir, ...paths] = process.argv.slice(2);
if (!newDir) {
  console.error('usage: node bench/csv-compare.mjs BASE_FORMATS_DIR NEW_FORMATS_DIR [FILE.csv...]');
  process.exit(2);
}

async function load(dir) {
  const url = pathToFileURL(resolve(dir, 'segmetry_formats_csv.js')).href;
  const glue = (await import(`${url}?${encodeURIComponent(dir)}`)).createGlue();
  const module = new WebAssembly.Module(readFileSync(`${dir}/segmetry_formats_csv_bg.wasm`));
  glue.finalize(new WebAssembly.Instance(module, glue.imports()), module);
  return glue;
}

function whole(m, bytes) {
  try {
    return m.csvToArrow(bytes, {});
  } catch (e) {
    return { err: `${e.code} ${e.message}` };
  }
}

function streamed(m, bytes, piece) {
  const s = new m.CsvStream({}, bytes.length);
  try {
    for (let pass = 0; pass < 3; pass++) {
      const parts = [];
      let next = 'continue';
      for (let at = 0; at < bytes.length && next === 'continue'; at += piece) {
        next = s.push(bytes.subarray(at, at + piece));
        parts.push(s.takeBytes());
      }
      if (next === 'continue') next = s.finish();
      if (typeof next === 'object') return { ...next, bytes: Buffer.concat([...parts, next.bytes]) };
      if (next === 'whole') return 'whole';
    }
    return 'too many passes';
  } catch (e) {
    return { err: `${e.code} ${e.message}` };
  } finally {
    s.free();
  }
}

const key = (r) =>
  typeof r === 'object' ? JSON.stringify({ ...r, bytes: r.bytes ? Buffer.from(r.bytes).toString('base64') : null }) : r;

let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const kinds = [
  () => String(Math.floor(rnd() * 1000) - 500),
  () => (rnd() * 1000).toFixed(pick([0, 1, 2, 3])),
  () => pick(['1.020', '-12.500', '1,020.50', '1 020,50', '12,5', '1.020,50', '0.500', '7.', '.5', '1e3']),
  () => pick(['true', 'FALSE', 'yes', 'No', 'y', 'n', 'kyllä', 'Ei', 'ja', 'nej', 'nein', '1', '0', ' true ']),
  () => pick(['2025-09-16', '16.9.2025', '1/2/2024', '13/2/2024', '2024-02-30']),
  () => pick(['2025-09-16 07:42:15 +0300', '2025-09-16T07:42:15.123Z', '16.9.2025 7:42', '16.9.2025 klo 7.42']),
  () => pick(['12,50 €', 'EUR 12.50', '$5', '-€5', '12.50', "'00100", '00100', '+358401234567', '12345678901234567']),
  () => pick(['"a,b"', '"say ""hi"""', 'plain', ' x ', '"multi\nline"', 'ä\u00a0', '\u00a012\u00a0', '']),
];
const quoted = (v) => (v.includes(',') && !v.startsWith('"') ? `"${v}"` : v);

const files = paths.map((f) => [f, readFileSync(f)]);
for (let i = 0; i < 500; i++) {
  const cols = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(kinds));
  const mixed = rnd() < 0.3;
  const lines = [cols.map((_, j) => `c${j}`).join(',')];
  for (let r = Math.floor(rnd() * 200); r > 0; r--) {
    const value = (kind) => (rnd() < 0.2 ? '' : mixed && rnd() < 0.05 ? pick(kinds)() : kind());
    lines.push(cols.map((kind) => quoted(value(kind))).join(','));
  }
  files.push([`random ${i}`, Buffer.from(lines.join(pick(['\n', '\r\n'])) + (rnd() < 0.5 ? '\n' : ''))]);
}

const [A, B] = [await load(baseDir), await load(newDir)];
let differ = 0;
let errors = 0;
for (const [name, bytes] of files) {
  const piece = 1 + Math.floor(rnd() * 300);
  const [a, b] = [key(whole(A, bytes)), key(whole(B, bytes))];
  const [sa, sb] = [key(streamed(A, bytes, piece)), key(streamed(B, bytes, piece))];
  if (a.startsWith('{"err"')) errors++;
  if (a !== b || sa !== sb) {
    differ++;
    console.log(`DIFFER ${name}: whole ${a === b ? 'same' : 'differs'}, streamed ${sa === sb ? 'same' : 'differs'}`);
  }
}
console.log(`${files.length} files (${errors} rejected by both), ${differ} differ`);
process.exit(differ ? 1 : 0);
