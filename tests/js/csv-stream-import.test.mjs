// A CSV File/Blob is read in pieces (js/formats.js streamCsv → the formats module's CsvStream): the result must
// equal the conversion of the same bytes in memory, byte for byte, including a file that needs a second pass (a
// late value widens a type) and with progress and cancellation between pieces. Needs dist/ (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { toArrowDetailed, loadFile, SegmetryError } from 'segmetry';

const PIECE = 8 << 20; // js/formats.js PIECE_BYTES: the files below span several pieces

/** An orders-like CSV of about `mb` MB: quoted line breaks and commas, UTF-8 letters, nulls, dates, booleans. */
function ordersCsv(mb, lastId = null) {
  const lines = ['Name,Email,Total,Paid at,Accepts Marketing,Note,Zip'];
  let size = 0;
  let i = 0;
  let seed = 42;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  while (size < mb * 1e6) {
    const note = rand(20) === 0 ? '"Jätä ovelle,\nkiitos ""heti"""' : rand(3) === 0 ? '' : 'ok';
    const paid =
      rand(10) === 0 ? '' : `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const line = `#${1000 + i},user${rand(5000)}@example.fi,${rand(100000) / 100},${paid},${rand(2) ? 'yes' : 'no'},${note},0${rand(9000) + 1000}`;
    lines.push(line);
    size += line.length + 1;
    i++;
  }
  if (lastId !== null) lines[lines.length - 1] = lines[lines.length - 1].replace(/,[0-9.]+,/, `,${lastId},`);
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

function sameConversion(streamed, whole) {
  assert.equal(streamed.format, 'csv');
  assert.equal(streamed.numRows, whole.numRows);
  assert.deepEqual(streamed.importReport, whole.importReport);
  assert.deepEqual(streamed.columns, whole.columns);
  assert.equal(streamed.delimiter, whole.delimiter);
  assert.equal(streamed.bytes.length, whole.bytes.length);
  assert.ok(Buffer.from(streamed.bytes).equals(Buffer.from(whole.bytes)), 'the same Arrow IPC bytes');
}

test('a CSV File is read in pieces into exactly the bytes of an in-memory conversion, with progress', async () => {
  const bytes = ordersCsv(20);
  assert.ok(bytes.length > 2 * PIECE);
  const progress = [];
  const streamed = await toArrowDetailed(new File([bytes], 'orders.csv'), { onProgress: (p) => progress.push(p) });
  const whole = await toArrowDetailed(bytes);
  sameConversion(streamed, whole);
  assert.ok(progress.length >= 3, `${progress.length} progress calls`);
  assert.ok(progress.every((p) => p.phase === 'convert' && p.total === bytes.length && p.rows >= 0));
  assert.equal(progress.at(-1).loaded, bytes.length);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].loaded > progress[i - 1].loaded);
  const table = arrow.tableFromIPC(streamed.bytes);
  assert.equal(table.numRows, whole.numRows);
  assert.equal(String(table.schema.fields.find((f) => f.name === 'Zip').type), 'Utf8'); // leading zeros stay text
});

test('a late value that widens a type makes a second pass over the File; no value is damaged', async () => {
  const bytes = ordersCsv(18, '"n/a 12,50"');
  const progress = [];
  const streamed = await toArrowDetailed(new Blob([bytes]), { onProgress: (p) => progress.push(p) });
  sameConversion(streamed, await toArrowDetailed(bytes));
  const total = streamed.importReport.columns.find((c) => c.name === 'Total');
  assert.equal(total.type, 'utf8');
  const table = arrow.tableFromIPC(streamed.bytes);
  assert.equal(table.getChild('Total').get(table.numRows - 1), 'n/a 12,50');
  // The second pass counts from the start again.
  assert.ok(
    progress.some((p, i) => i > 0 && p.loaded < progress[i - 1].loaded),
    'a second pass',
  );
});

test('streamed types that apache-arrow reads back: nulls, utf8, dates, decimals, booleans, an empty file', async () => {
  const text = 'id,name,day,price,ok\n1,Ann,2025-01-05,12.50,true\n2,,,,\n3,"Zoë, ""Z""",2024-02-29,-0.01,false\n';
  const r = await toArrowDetailed(new Blob([text]), { types: { price: 'decimal128(12, 2)' } });
  const t = arrow.tableFromIPC(r.bytes);
  assert.deepEqual(
    t.schema.fields.map((f) => String(f.type)),
    ['Int64', 'Utf8', 'Date32<DAY>', 'Decimal[12e+2]', 'Bool'], // apache-arrow writes scale 2 as 12e+2
  );
  assert.equal(t.getChild('name').get(1), null);
  assert.equal(t.getChild('name').get(2), 'Zoë, "Z"');
  assert.equal(t.getChild('ok').get(1), null);
  assert.equal(t.getChild('ok').get(2), false);
  assert.equal(t.getChild('price').type.scale, 2);
  assert.equal(t.getChild('day').get(2).getTime?.() ?? t.getChild('day').get(2), Date.UTC(2024, 1, 29));
  const empty = await toArrowDetailed(new Blob(['a,b\n']));
  assert.equal(empty.numRows, 0);
  assert.equal(arrow.tableFromIPC(empty.bytes).numRows, 0);
  const ds = await loadFile(new Blob([text]));
  assert.equal(ds.numRows, 3);
  ds.free();
});

test('errors of a streamed file name the same line; an AbortSignal stops between pieces', async () => {
  const bytes = ordersCsv(10);
  const broken = new Uint8Array(bytes.length + 20);
  broken.set(bytes);
  broken.set(new TextEncoder().encode('#1,a@b.fi,1\r\n'), bytes.length);
  const errorOf = (p) =>
    p.then(
      () => assert.fail('no error'),
      (e) => e,
    );
  const [s, w] = [await errorOf(toArrowDetailed(new Blob([broken]))), await errorOf(toArrowDetailed(broken))];
  assert.ok(s instanceof SegmetryError);
  assert.equal(s.code, 'INVALID_CSV');
  assert.deepEqual([s.line, s.column, s.message], [w.line, w.column, w.message]);
  const ac = new AbortController();
  const e = await errorOf(toArrowDetailed(new Blob([bytes]), { signal: ac.signal, onProgress: () => ac.abort() }));
  assert.equal(e.code, 'CANCELLED');
});

test("the CSV reader's wasm memory does not grow with the file when it is streamed", async () => {
  const { readFileSync } = await import('node:fs');
  const dist = new URL('../../dist/formats/', import.meta.url);
  const { createGlue } = await import(new URL('segmetry_formats_csv.js', dist).href);
  const module = new WebAssembly.Module(readFileSync(new URL('segmetry_formats_csv_bg.wasm', dist)));
  /** Peak wasm memory of streaming `bytes` in a fresh instance, as js/formats.js does a File. */
  const peak = (bytes) => {
    const glue = createGlue();
    const exports = glue.finalize(new WebAssembly.Instance(module, glue.imports()), module);
    const s = new glue.CsvStream({}, bytes.length);
    for (let at = 0; at < bytes.length; at += PIECE) {
      assert.equal(s.push(bytes.subarray(at, at + PIECE)), 'continue');
      s.takeBytes();
    }
    const rows = s.finish().numRows;
    s.free();
    return { rows, memory: exports.memory.buffer.byteLength };
  };
  const small = peak(ordersCsv(16));
  const large = peak(ordersCsv(64));
  assert.ok(large.rows > 3.5 * small.rows);
  // Converting whole would hold the 64 MB file and its Arrow output in wasm memory at once.
  assert.ok(large.memory <= small.memory + (16 << 20), `${small.memory} → ${large.memory} bytes`);
  assert.ok(large.memory < 64e6, `${large.memory} bytes`);
});
