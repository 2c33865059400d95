#!/usr/bin/env node
// CSV → Arrow with the built formats wasm module in Node (V8, as in Chromium), for profiling and for the memory
// figure: each file is converted by a fresh instance, so the wasm memory reported is that conversion's peak
// (wasm memory never shrinks). Times are medians of wall time and of this process's CPU time (user + system:
// on a busy shared machine, waiting for a core is not the reader's cost).
//   node bench/csv-node.mjs [--formats DIR] [--reps N] [--stream] FILE.csv...
// --stream converts as loadFile does a File: 8 MB pieces through CsvStream (the file is read from disk piece by
// piece, never whole), so the peak is the streamed conversion's. DIR holds the CSV reader's glue and wasm
// (segmetry_formats_csv.js and _bg.wasm as in dist/formats, or segmetry_formats.js of a plain wasm-bindgen build). For a profile, run it under
// `node --cpu-prof` with a module built without `--remove-name-section` (see docs/benchmark.md).
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let dir = 'dist/formats';
let reps = 3;
let stream = false;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--formats') dir = args[++i];
  else if (args[i] === '--stream') stream = true;
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length || !(reps >= 0)) {
  console.error('usage: node bench/csv-node.mjs [--formats DIR] [--reps N] FILE.csv...');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = existsSync(`${dir}/segmetry_formats_csv_bg.wasm`) ? 'segmetry_formats_csv' : 'segmetry_formats';
const wasmBytes = readFileSync(`${dir}/${base}_bg.wasm`);
const glue = await import(pathToFileURL(resolve(dir, `${base}.js`)).href);
const PIECE = 8 << 20; // js/formats.js PIECE_BYTES

/** The file converted as js/formats.js streamCsv does a File: read and pushed 8 MB at a time. */
function streamed(mod, file) {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const s = new mod.CsvStream({}, size);
  try {
    for (;;) {
      const parts = [];
      let next = 'continue';
      for (let at = 0; at < size && next === 'continue'; at += PIECE) {
        const piece = new Uint8Array(Math.min(PIECE, size - at));
        readSync(fd, piece, 0, piece.length, at);
        next = s.push(piece);
        parts.push(s.takeBytes());
      }
      if (next === 'continue') next = s.finish();
      if (typeof next === 'object') {
        parts.push(next.bytes);
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
        return { ...next, bytes };
      }
      if (next === 'whole') throw new Error('a UTF-16 file: not streamed');
    }
  } finally {
    s.free();
    closeSync(fd);
  }
}
const mb = (n) => (n / 1e6).toFixed(1);

for (const file of files) {
  // wrap-glue.mjs makes the glue a factory (createGlue) in dist/; a plain wasm-bindgen output exports initSync.
  let mod = glue;
  let exports;
  if (glue.createGlue) {
    mod = glue.createGlue();
    const module = new WebAssembly.Module(wasmBytes);
    exports = mod.finalize(new WebAssembly.Instance(module, mod.imports()), module);
  } else {
    exports = mod.initSync({ module: wasmBytes });
  }
  const size = statSync(file).size;
  const bytes = stream ? null : new Uint8Array(readFileSync(file));
  const convert = () => (stream ? streamed(mod, file) : mod.csvToArrow(bytes, {}, undefined));
  const wall = [];
  const cpu = [];
  let result;
  // One conversion first (V8 tiers the module up), then the timed ones; the memory is the first one's peak.
  result = convert();
  const peak = exports.memory.buffer.byteLength;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = convert();
    const d = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1e3);
  }
  const line = [
    `${file}${stream ? ' (streamed)' : ''}: ${mb(size)} MB, ${result.numRows} rows → ${mb(result.bytes.length)} MB IPC`,
  ];
  if (reps > 0) {
    const [w, c] = [median(wall), median(cpu)];
    line.push(`wall ${w.toFixed(0)} ms (${mb((size / w) * 1e3)} MB/s)`);
    line.push(`CPU ${c.toFixed(0)} ms (${mb((size / c) * 1e3)} MB/s)`);
  }
  line.push(`peak wasm memory ${mb(peak)} MB (${(peak / result.bytes.length).toFixed(2)}× the output)`);
  console.log(line.join('; '));
}
