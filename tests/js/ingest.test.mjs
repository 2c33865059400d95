// Loads tables written by the apache-arrow npm package through the built package: every supported type,
// nulls, several batches, dictionary strings, stream and file format; then every error case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { init, loadDataset, loadDatasetSync, SegmetryError } from 'segmetry';

await init(); // the synchronous API below needs the core instantiated

const { vectorFromArray: vec } = arrow;

function everyTypeTable(seed) {
  const n = 6;
  const ints = [1, null, -3, 4, 0, seed];
  const columns = {
    int8: vec(ints, new arrow.Int8()),
    int16: vec(ints, new arrow.Int16()),
    int32: vec(ints, new arrow.Int32()),
    int64: vec([1n, null, -(2n ** 62n), 2n ** 62n, 0n, BigInt(seed)], new arrow.Int64()),
    uint8: vec([1, null, 255, 4, 0, seed], new arrow.Uint8()),
    uint16: vec([1, null, 65535, 4, 0, seed], new arrow.Uint16()),
    uint32: vec([1, null, 2 ** 32 - 1, 4, 0, seed], new arrow.Uint32()),
    uint64: vec([1n, null, 2n ** 64n - 1n, 4n, 0n, BigInt(seed)], new arrow.Uint64()),
    float32: vec([1.5, null, NaN, -0, Infinity, seed], new arrow.Float32()),
    float64: vec([1.5, null, NaN, -0, -Infinity, seed + 0.25], new arrow.Float64()),
    bool: vec([true, null, false, true, false, seed % 2 === 0], new arrow.Bool()),
    utf8: vec(['FI', null, '', 'Åland ✓', 'SE', `s${seed}`], new arrow.Utf8()),
    large_utf8: vec(['a', null, 'b', 'c', 'd', 'e'], new arrow.LargeUtf8()),
    dict8: vec(['FI', null, 'SE', 'FI', 'NO', 'DK'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8())),
    dict16: vec(['FI', null, 'SE', 'FI', 'NO', 'DK'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int16())),
    dict32: vec(['FI', null, 'SE', 'FI', 'NO', 'DK'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    date_day: vec(
      [
        new Date(Date.UTC(2026, 7, 3)),
        null,
        new Date(0),
        new Date(Date.UTC(1969, 11, 31)),
        new Date(Date.UTC(2026, 0, 31)),
        new Date(Date.UTC(2000, 1, 29)),
      ],
      new arrow.DateDay(),
    ),
    date_ms: vec(
      [
        new Date(Date.UTC(2026, 7, 3)),
        null,
        new Date(0),
        new Date(Date.UTC(1969, 11, 31)),
        new Date(Date.UTC(2026, 0, 31)),
        new Date(Date.UTC(2000, 1, 29)),
      ],
      new arrow.DateMillisecond(),
    ),
    ts_s: vec([1000, null, 2000, 3000, 4000, 5000], new arrow.TimestampSecond()),
    ts_ms_utc: vec([1000, null, 2000, 3000, 4000, 5000], new arrow.TimestampMillisecond('UTC')),
    ts_us: vec([1000, null, 2000, 3000, 4000, 5000], new arrow.TimestampMicrosecond()),
    ts_ns_tz: vec([1000, null, 2000, 3000, 4000, 5000], new arrow.TimestampNanosecond('Europe/Helsinki')),
  };
  for (const v of Object.values(columns)) assert.equal(v.length, n);
  return new arrow.Table(columns);
}

const expectedTypes = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  float32: 'float32',
  float64: 'float64',
  bool: 'bool',
  utf8: 'utf8',
  large_utf8: 'large_utf8',
  dict8: 'dictionary<int8, utf8>',
  dict16: 'dictionary<int16, utf8>',
  dict32: 'dictionary<int32, utf8>',
  date_day: 'date32',
  date_ms: 'date64',
  ts_s: 'timestamp[s]',
  ts_ms_utc: 'timestamp[ms, UTC]',
  ts_us: 'timestamp[us]',
  ts_ns_tz: 'timestamp[ns, Europe/Helsinki]',
};

function manyBatches(format) {
  // The file format cannot carry replacement dictionaries, so its batches share one table's dictionaries.
  if (format === 'file') {
    const t = everyTypeTable(1);
    return new arrow.Table([...t.batches, ...t.batches, ...t.batches]);
  }
  const tables = [everyTypeTable(1), everyTypeTable(2), everyTypeTable(3)];
  return tables.reduce((a, b) => a.concat(b));
}

for (const format of ['stream', 'file']) {
  test(`every supported type loads from the ${format} format with nulls and several batches`, async () => {
    const table = manyBatches(format);
    assert.equal(table.batches.length, 3);
    const ds = await loadDataset(arrow.tableToIPC(table, format));
    assert.equal(ds.numRows, 18);
    const byName = Object.fromEntries(ds.columns.map((c) => [c.name, c]));
    for (const [name, type] of Object.entries(expectedTypes)) {
      assert.equal(byName[name]?.type, type, name);
      assert.equal(byName[name].nullCount, 3, `${name} has one null per batch`);
      assert.equal(typeof byName[name].nullable, 'boolean');
    }
    assert.deepEqual(
      ds.columns.map((c) => c.name),
      Object.keys(expectedTypes),
    );
    ds.free();
  });
}

test('accepts ArrayBuffer, Uint8Array views at an offset, and Node Buffers', async () => {
  const bytes = arrow.tableToIPC(everyTypeTable(1));
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  const inputs = [bytes.slice().buffer, padded.subarray(3), Buffer.from(bytes)];
  for (const input of inputs) assert.equal((await loadDataset(input)).numRows, 6);
});

test('append adds batches; a mismatched schema fails and changes nothing', async () => {
  const ds = await loadDataset(arrow.tableToIPC(everyTypeTable(1), 'file'));
  assert.equal(ds.append(arrow.tableToIPC(everyTypeTable(2))), ds);
  assert.equal(ds.numRows, 12);
  const other = arrow.tableFromArrays({ id: new Int32Array([1, 2]) });
  assert.throws(
    () => ds.append(arrow.tableToIPC(other)),
    (err) => {
      assert.ok(err instanceof SegmetryError);
      assert.ok(err instanceof Error);
      assert.equal(err.code, 'SCHEMA_MISMATCH');
      assert.match(err.message, /1 columns but the dataset has 22/);
      return true;
    },
  );
  assert.equal(ds.numRows, 12);
});

test('bad input throws SegmetryError with a stable code, and the module keeps working', async () => {
  const good = arrow.tableToIPC(everyTypeTable(1));
  const cases = [
    [new Uint8Array(0), 'INVALID_ARROW', /empty/],
    [new TextEncoder().encode('customer_id,country\n1,FI\n'), 'INVALID_ARROW', /neither an Arrow IPC stream nor/],
    [good.subarray(0, good.length - 40), 'INVALID_ARROW', /truncated/],
    [arrow.tableToIPC(everyTypeTable(1), 'file').subarray(0, 300), 'INVALID_ARROW', /truncated|damaged/],
    ['not bytes', 'INVALID_ARGUMENT', /Uint8Array or ArrayBuffer/],
    [undefined, 'INVALID_ARGUMENT', /got undefined/],
    [[1, 2, 3], 'INVALID_ARGUMENT', /array of length 3/],
  ];
  for (const [input, code, message] of cases) {
    await assert.rejects(loadDataset(input), (err) => {
      assert.ok(err instanceof SegmetryError, `${code}: ${err}`);
      assert.equal(err.name, 'SegmetryError');
      assert.equal(err.code, code);
      assert.match(err.message, message);
      return true;
    });
    // The same instance still loads a valid file after every error.
    assert.equal(loadDatasetSync(good).numRows, 6);
  }
});

test('an unsupported column type names the column, its type and the fix', async () => {
  const table = new arrow.Table({
    id: vec([1, 2], new arrow.Int32()),
    tags: vec([[1], [2, 3]], new arrow.List(new arrow.Field('item', new arrow.Int32()))),
  });
  await assert.rejects(loadDataset(arrow.tableToIPC(table)), (err) => {
    assert.equal(err.code, 'UNSUPPORTED_TYPE');
    assert.match(err.message, /column `tags` has type list<int32>/);
    assert.equal(err.subject, 'tags');
    return true;
  });
});

test('a freed dataset throws FREED instead of touching freed memory', async () => {
  const ds = await loadDataset(arrow.tableToIPC(everyTypeTable(1)));
  ds.free();
  ds.free(); // idempotent
  assert.throws(() => ds.numRows, { code: 'FREED' });
  assert.throws(() => ds.append(arrow.tableToIPC(everyTypeTable(1))), { code: 'FREED' });
});

test('loadDataset returns a Promise', () => {
  const pending = loadDataset(arrow.tableToIPC(everyTypeTable(1)));
  assert.ok(pending instanceof Promise);
  return pending;
});

test('an input larger than a wasm32 instance can hold is OUT_OF_MEMORY, and the instance keeps working', async () => {
  // Never-written pages cost no RAM: this is a real 4.3 GB input without using 4.3 GB.
  const huge = new Uint8Array(2 ** 32); // the largest typed array V8 makes
  for (const attempt of [
    () => loadDataset(huge),
    async () => (await loadDataset(arrow.tableToIPC(everyTypeTable(1)))).append(huge),
  ]) {
    await assert.rejects(attempt(), (err) => {
      assert.equal(err.code, 'OUT_OF_MEMORY');
      assert.match(err.message, /needs 4\.3 GB to hold the input, more than this WebAssembly instance can hold/);
      return true;
    });
    assert.equal(loadDatasetSync(arrow.tableToIPC(everyTypeTable(1))).numRows, 6);
  }
});
