#!/usr/bin/env node
// Code size of a wasm module by crate, segmetry's code by module, and the largest functions, from its name section. Use a build that keeps
// names:  KEEP_NAMES=1 bash bench/build-variant.sh prof && node bench/wasm-sizes.mjs bench/.variants/prof/wasm/segmetry_bg.wasm
// Sizes are raw function-body bytes; each crate's gzip share is estimated by compressing its bodies together.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const buf = readFileSync(file);
let pos = 8;
const u32 = () => {
  let result = 0,
    shift = 0,
    b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return result >>> 0;
};
const str = () => {
  const n = u32();
  const s = buf.subarray(pos, pos + n).toString('utf8');
  pos += n;
  return s;
};

let importedFuncs = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  let label = [
    'custom',
    'type',
    'import',
    'function',
    'table',
    'memory',
    'global',
    'export',
    'start',
    'element',
    'code',
    'data',
    'datacount',
  ][id];
  if (id === 0) {
    const name = str();
    label = `custom:${name}`;
    if (name === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const count = u32();
          for (let i = 0; i < count; i++) {
            const idx = u32();
            names.set(idx, str());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      str();
      str();
      const kind = buf[pos++];
      if (kind === 0) {
        u32();
        importedFuncs++;
      } else if (kind === 1) {
        pos++;
        const f = u32();
        u32();
        if (f & 1) u32();
      } else if (kind === 2) {
        const f = u32();
        u32();
        if (f & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      }
    }
  } else if (id === 10) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      const n = u32();
      bodies.push({ index: importedFuncs + i, start: pos, size: n });
      pos += n;
    }
  }
  sections.push({ label, size });
  pos = end;
}

const crateOf = (name) => {
  if (!name) return '(unnamed)';
  let s = name.replace(/^<+/, '').replace(/^(impl |dyn )/, '');
  const m = s.match(/^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::/);
  if (m) return m[1];
  // `<i32 as some_crate::Trait>::method`: a primitive's impl, compiled in the trait's crate.
  const impl = s.match(/^[a-z0-9_]+ as ([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::/);
  if (impl) return impl[1];
  return name.startsWith('__') || name.includes('wbg') ? 'wasm-bindgen glue' : '(other)';
};
const byCrate = new Map();
for (const b of bodies) {
  const crate = crateOf(names.get(b.index));
  const e = byCrate.get(crate) ?? { raw: 0, parts: [] };
  e.raw += b.size;
  e.parts.push(buf.subarray(b.start, b.start + b.size));
  byCrate.set(crate, e);
}
const total = buf.length;
console.log(`${file}: ${total} bytes raw, ${gzipSync(buf, { level: 9 }).length} gzip -9, ${bodies.length} functions`);
console.log('\nsections:');
for (const s of sections.sort((a, b) => b.size - a.size)) console.log(`${String(s.size).padStart(9)}  ${s.label}`);
console.log("\ncode by crate (raw body bytes, gzip of the crate's bodies alone):");
for (const [crate, e] of [...byCrate].sort((a, b) => b[1].raw - a[1].raw).slice(0, top)) {
  const gz = gzipSync(Buffer.concat(e.parts), { level: 9 }).length;
  console.log(`${String(e.raw).padStart(9)} ${String(gz).padStart(8)}  ${crate}`);
}
// segmetry's own code by module (two levels, e.g. segments::eval), to see what a feature costs.
const byModule = new Map();
for (const b of bodies) {
  const m = (names.get(b.index) ?? '').replace(/^<+/, '').match(/^segmetry::([a-z_]+)(::[a-z_]+)?/);
  if (!m) continue;
  const key = `${m[1]}${m[2] ?? ''}`;
  const e = byModule.get(key) ?? { raw: 0, parts: [] };
  e.raw += b.size;
  e.parts.push(buf.subarray(b.start, b.start + b.size));
  byModule.set(key, e);
}
console.log("\nsegmetry by module (raw body bytes, gzip of the module's bodies alone):");
for (const [key, e] of [...byModule].sort((a, b) => b[1].raw - a[1].raw).slice(0, top)) {
  const gz = gzipSync(Buffer.concat(e.parts), { level: 9 }).length;
  console.log(`${String(e.raw).padStart(9)} ${String(gz).padStart(8)}  ${key}`);
}
// wasm-bindgen's export shims, into which wasm-opt inlines the facade (and often the core function it calls).
const shims = bodies.filter((b) => / shim/.test(names.get(b.index) ?? ''));
const shimGz = gzipSync(Buffer.concat(shims.map((b) => buf.subarray(b.start, b.start + b.size))), { level: 9 });
console.log(
  `\nexport shims (facade + inlined callees): ${shims.reduce((n, b) => n + b.size, 0)} raw, ${shimGz.length} gzip`,
);
console.log('\nlargest functions:');
for (const b of [...bodies].sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(`${String(b.size).padStart(9)}  ${(names.get(b.index) ?? `#${b.index}`).slice(0, 140)}`);
}
