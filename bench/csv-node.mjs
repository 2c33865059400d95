#!/usr/bin/env node
// CSV → Arrow with the built formats wasm module in Node (V8, as in Chromium), for profiling and for the memory
// figure: each file is converted by a fresh instance, so the wasm memory reported is that conversion's peak
// (wasm memory never shrinks). Times are medians of wall time and of this process's CPU time (user + system:
// on a busy shared machine, waiting for a core is not the reader's cost).
//   node bench/csv-node.mjs [--formats DIR] [--reps N] FILE.csv...
// DIR holds segmetry_formats.js and segmetry_formats_bg.wasm (default dist/formats). For a profile, run it under
// `node --cpu-prof` with a module built without `--remove-name-section` (see docs/benchmark.md).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let dir = 'dist/formats';
let reps = 3;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--formats') dir = args[++i];
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length || !(reps >= 0)) {
  console.error('usage: node bench/csv-node.mjs [--formats DIR] [--reps N] FILE.csv...');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const wasmBytes = readFileSync(`${dir}/segmetry_formats_bg.wasm`);
const glue = await import(pathToFileURL(resolve(dir, 'segmetry_formats.js')).href);
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
  const bytes = new Uint8Array(readFileSync(file));
  const wall = [];
  const cpu = [];
  let result;
  // One conversion first (V8 tiers the module up), then the timed ones; the memory is the first one's peak.
  result = mod.csvToArrow(bytes, {}, undefined);
  const peak = exports.memory.buffer.byteLength;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = mod.csvToArrow(bytes, {}, undefined);
    const d = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1e3);
  }
  const line = [`${file}: ${mb(bytes.length)} MB, ${result.numRows} rows → ${mb(result.bytes.length)} MB IPC`];
  if (reps > 0) {
    const [w, c] = [median(wall), median(cpu)];
    line.push(`wall ${w.toFixed(0)} ms (${mb((bytes.length / w) * 1e3)} MB/s)`);
    line.push(`CPU ${c.toFixed(0)} ms (${mb((bytes.length / c) * 1e3)} MB/s)`);
  }
  line.push(`peak wasm memory ${mb(peak)} MB (${(peak / result.bytes.length).toFixed(2)}× the output)`);
  console.log(line.join('; '));
}
