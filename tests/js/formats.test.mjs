// CSV / Parquet → Arrow through the built package (npm run build first): every Parquet codec and the CSV with
// tricky quoting equal the reference Arrow table; sniffing; errors with codes (and CSV line/column).
// Fixtures: scripts/gen_format_fixtures.py (pyarrow) → tests/fixtures/formats/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as arrow from 'apache-arrow';
import { loadDataset, loadFile, toArrow, toArrowDetailed, sniffFormat, SegmetryError } from 'segmetry';

const dir = new URL('../fixtures/formats/', import.meta.url);
const fixture = (name) => new Uint8Array(readFileSync(new URL(name, dir)));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
const CODECS = ['uncompressed', 'snappy', 'gzip', 'lz4', 'zstd', 'brotli'];

/** Rows of an Arrow table as comparable plain values. */
function rows(table) {
  const names = table.schema.fields.map((f) => f.name);
  const out = [];
  for (let i = 0; i < table.numRows; i++) {
    const row = {};
    for (const name of names) {
      let v = table.getChild(name).get(i);
      if (typeof v === 'bigint') v = Number(v);
      if (v instanceof Date) v = v.getTime();
      row[name] = v;
    }
    out.push(row);
  }
  return out;
}

const reference = arrow.tableFromIPC(fixture('customers.arrow'));

async function rejectsWith(promise, code, check) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof SegmetryError, `expected SegmetryError, got ${err}`);
    assert.equal(err.code, code, err.message);
    check?.(err);
    return true;
  });
}

for (const codec of CODECS) {
  test(`Parquet (${codec}) converts to the reference table`, async () => {
    const progress = [];
    const result = await toArrowDetailed(fixture(`customers.${codec}.parquet`), {
      onProgress: (p) => progress.push(p),
    });
    assert.equal(result.format, 'parquet');
    assert.equal(result.numRows, expected.rows);
    assert.deepEqual(result.skipped, []);
    const table = arrow.tableFromIPC(result.bytes);
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      reference.schema.fields.map((f) => f.name),
    );
    assert.deepEqual(rows(table), rows(reference));
    assert.ok(progress.length >= 1 && progress.every((p) => p.phase === 'convert'));
    assert.equal(progress.at(-1).loaded, expected.rows);
  });
}

test('CSV with quoted delimiters, quotes and newlines converts to the reference table', async () => {
  const result = await toArrowDetailed(fixture('customers.csv'));
  assert.equal(result.format, 'csv');
  assert.equal(result.delimiter, ',');
  assert.deepEqual(Object.fromEntries(result.columns.map((c) => [c.name, c.type])), expected.csvTypes);
  assert.deepEqual(rows(arrow.tableFromIPC(result.bytes)), rows(reference));
  assert.deepEqual(result.warnings, []);
});

test('every format loads into a dataset with the same segments', async () => {
  const ref = await loadDataset(fixture('customers.arrow'));
  const rule = "country IN ('FI', 'SE') AND orders >= 3 AND active";
  const want = ref.segment(rule).size;
  assert.ok(want > 0);
  for (const name of ['customers.csv', ...CODECS.map((c) => `customers.${c}.parquet`)]) {
    const ds = await loadFile(fixture(name));
    assert.equal(ds.numRows, expected.rows, name);
    assert.equal(ds.segment(rule).size, want, name);
    assert.equal(ds.segment("name = 'Smith, John'").size, ref.segment("name = 'Smith, John'").size, name);
    ds.free();
  }
  ref.free();
});

test('semicolon CSV: delimiter sniffed, decimal commas read as numbers, dates inferred', async () => {
  const result = await toArrowDetailed(fixture('semicolon.csv'));
  assert.equal(result.delimiter, expected.semicolon.delimiter);
  assert.equal(result.numRows, expected.semicolon.rows);
  assert.deepEqual(Object.fromEntries(result.columns.map((c) => [c.name, c.type])), expected.semicolon.types);
  const t = arrow.tableFromIPC(result.bytes);
  assert.equal(t.getChild('city').get(1), 'Turku; FI');
  assert.deepEqual([...t.getChild('amount')], [1.5, 2.75, null]);
  assert.equal(t.getChild('joined').get(2), null);
});

test('CSV options: explicit delimiter, no header, null values, tsv file name', async () => {
  const text = new TextEncoder().encode('a|b\n1|NA\n2|x\n');
  let t = arrow.tableFromIPC(await toArrow(text, { delimiter: '|', nullValues: ['NA'] }));
  assert.equal(t.getChild('b').get(0), null);
  t = arrow.tableFromIPC(await toArrow(new TextEncoder().encode('1,2\n3,4\n'), { header: false }));
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ['column_1', 'column_2'],
  );
  t = arrow.tableFromIPC(await toArrow(new TextEncoder().encode('a\tb c\n1\t2\n'), { fileName: 'x.tsv' }));
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ['a', 'b c'],
  );
});

test('a malformed CSV names the line and field and says how to fix it', async () => {
  await rejectsWith(toArrow(fixture('malformed.csv')), expected.malformedCsv.code, (err) => {
    assert.equal(err.line, expected.malformedCsv.line);
    assert.equal(err.column, expected.malformedCsv.column);
    assert.match(err.message, /line 5 has 4 fields/);
    assert.match(err.message, /quote/);
  });
  await rejectsWith(toArrow(new TextEncoder().encode('a,b\n1,"open\n')), 'INVALID_CSV', (err) => {
    assert.equal(err.line, 2);
    assert.match(err.message, /closing quote/);
  });
  await rejectsWith(
    toArrow(new Uint8Array([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]), { format: 'csv', encoding: 'utf-8' }),
    'INVALID_CSV',
    (err) => assert.match(err.message, /UTF-8/),
  );
});

test('a truncated or non-Parquet file is INVALID_PARQUET', async () => {
  await rejectsWith(toArrow(fixture('malformed.parquet')), 'INVALID_PARQUET', (err) =>
    assert.match(err.message, /truncated/),
  );
  await rejectsWith(toArrow(fixture('customers.csv'), { format: 'parquet' }), 'INVALID_PARQUET');
  const bytes = fixture('customers.snappy.parquet');
  for (let i = 0; i < 200; i++) {
    const corrupt = bytes.slice();
    corrupt[bytes.length - 9 - ((i * 7919) % 2000)] ^= 0x5a;
    try {
      await toArrow(corrupt);
    } catch (err) {
      assert.ok(
        err instanceof SegmetryError && ['INVALID_PARQUET', 'UNSUPPORTED_TYPE'].includes(err.code),
        String(err),
      );
    }
  }
  // The module still works afterwards.
  assert.equal((await toArrowDetailed(fixture('customers.zstd.parquet'))).numRows, expected.rows);
});

test('a file that crashes the Parquet reader in wasm is INVALID_PARQUET, and the next conversion works', async () => {
  await rejectsWith(toArrow(fixture('page-data-crash.parquet')), 'INVALID_PARQUET');
  assert.equal((await toArrowDetailed(fixture('customers.snappy.parquet'))).numRows, expected.rows);
  assert.equal((await toArrowDetailed(fixture('customers.csv'))).numRows, expected.rows);
});

test('unsupported Parquet columns: an error naming them, or skipped with skipUnsupported', async () => {
  await rejectsWith(toArrow(fixture('nested.parquet')), 'UNSUPPORTED_TYPE', (err) => {
    assert.equal(err.subject, expected.nested.unsupported[0]);
    for (const name of expected.nested.unsupported) assert.match(err.message, new RegExp(`'${name}'`));
    assert.match(err.message, /skipUnsupported/);
  });
  const result = await toArrowDetailed(fixture('nested.parquet'), { skipUnsupported: true });
  assert.deepEqual(
    result.columns.map((c) => c.name),
    expected.nested.kept,
  );
  assert.deepEqual(
    result.skipped.map((c) => c.name),
    expected.nested.unsupported,
  );
  assert.equal(result.warnings.length, 2);
  const ds = await loadFile(fixture('nested.parquet'), { skipUnsupported: true });
  assert.equal(ds.numRows, 3);
  ds.free();
});

test('format sniffing: magic bytes, file name, text', async () => {
  const stream = arrow.tableToIPC(reference, 'stream');
  const file = arrow.tableToIPC(reference, 'file');
  assert.equal(sniffFormat(fixture('customers.snappy.parquet')), 'parquet');
  assert.equal(sniffFormat(stream), 'arrow');
  assert.equal(sniffFormat(file), 'arrow');
  assert.equal(sniffFormat(fixture('customers.csv')), 'csv');
  assert.equal(sniffFormat(new Uint8Array([1, 0, 2, 0]), 'x.parquet'), 'parquet');
  assert.equal(sniffFormat(new Uint8Array([1, 0, 2, 0])), null);
  // Arrow passes through untouched (same bytes).
  assert.equal(await toArrow(stream), stream);
  const ds = await loadFile(new Blob([file]));
  assert.equal(ds.numRows, expected.rows);
  ds.free();
  // A File's own name is used.
  const f = new File([fixture('customers.csv')], 'people.csv');
  assert.equal((await toArrowDetailed(f)).format, 'csv');
});

test('argument errors are INVALID_ARGUMENT with a subject', async () => {
  await rejectsWith(toArrow(new Uint8Array([0, 1, 2, 3, 0, 0])), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'format'),
  );
  await rejectsWith(toArrow(fixture('customers.csv'), { format: 'xlsx' }), 'INVALID_ARGUMENT');
  await rejectsWith(toArrow('a,b\n1,2'), 'INVALID_ARGUMENT');
  await rejectsWith(toArrow(fixture('customers.csv'), { delimiter: ';;' }), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'delimiter'),
  );
  await rejectsWith(toArrow(fixture('customers.csv'), { nullValues: 'NA' }), 'INVALID_ARGUMENT');
  await rejectsWith(toArrow(fixture('customers.csv'), { batchSize: 0 }), 'INVALID_ARGUMENT');
});

// ---- typed import (issue 11 §1); expected values from scripts/gen_import_fixtures.py (Python decimal,
// datetime, zoneinfo) ----

const importCases = JSON.parse(readFileSync(new URL('import_cases.json', dir), 'utf8'));

/** A column's values in the fixture's conventions (timestamps as integers in their unit, decimals as strings). */
function fixtureValues(vector) {
  const out = [];
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    if (v === null) out.push(null);
    else if (arrow.DataType.isDecimal(vector.type))
      out.push(
        arrow.util
          .bigNumToString(v, vector.type.scale)
          .replace('.', '')
          .replace(/^(-?)0+(?=\d)/, '$1'),
      );
    else if (typeof v === 'bigint') out.push(Number(v));
    else if (arrow.DataType.isDate(vector.type)) out.push(Math.round((v instanceof Date ? v.getTime() : v) / 86400000));
    else if (arrow.DataType.isTimestamp(vector.type)) {
      // apache-arrow hands timestamps out as milliseconds; the fixture has the column's own unit.
      const unit = vector.type.unit;
      const ms = v instanceof Date ? v.getTime() : v;
      out.push(unit === arrow.TimeUnit.SECOND ? Math.round(ms / 1000) : ms);
    } else out.push(v);
  }
  return out;
}

test('typed import: every generated case matches Python', async () => {
  assert.ok(importCases.length >= 20);
  for (const c of importCases) {
    const result = await toArrowDetailed(new TextEncoder().encode(c.csv), c.options);
    const table = arrow.tableFromIPC(result.bytes);
    const types = Object.fromEntries(result.importReport.columns.map((col) => [col.name, col.type]));
    for (const [name, want] of Object.entries(c.columns)) {
      assert.equal(types[name], want.type, `${c.name}: type of ${name}`);
      assert.deepEqual(fixtureValues(table.getChild(name)), want.values, `${c.name}: ${name}`);
    }
    assert.deepEqual(
      result.importReport.warnings.map((w) => [w.code, w.column]),
      c.warnings,
      `${c.name}: warnings`,
    );
    assert.deepEqual(
      result.warnings,
      result.importReport.warnings.map((w) => w.message),
    );
  }
});

test('loadFile attaches the import report to the dataset', async () => {
  const csv = new TextEncoder().encode('Zip;Total;Accepts Marketing\n00100;12,50 €;yes\n33100;1 020,00 €;no\n');
  const ds = await loadFile(csv, { types: { Zip: 'utf8' }, locale: 'fi' });
  assert.deepEqual(ds.importReport.columns, [
    { name: 'Zip', type: 'utf8', inferred: 'utf8', overridden: true },
    { name: 'Total', type: 'float64', inferred: 'float64', overridden: false },
    { name: 'Accepts Marketing', type: 'bool', inferred: 'bool', overridden: false },
  ]);
  assert.equal(ds.segment('Total > 200 AND "Accepts Marketing"').size, 0);
  assert.equal(ds.segment('Total > 1000 AND NOT "Accepts Marketing"').size, 1);
  ds.free();
  const arrowDs = await loadFile(fixture('customers.arrow'));
  assert.equal(arrowDs.importReport.columns.length, reference.schema.fields.length);
  assert.deepEqual(arrowDs.importReport.warnings, []);
  arrowDs.free();
});

test('a value a forced type cannot read is INVALID_CSV with line, column and the value', async () => {
  const csv = new TextEncoder().encode('id,amount\n1,"12,50"\n2,n/a\n');
  await rejectsWith(toArrow(csv, { types: { amount: 'float64' }, locale: 'fi' }), 'INVALID_CSV', (err) => {
    assert.equal(err.line, 3);
    assert.equal(err.column, 2);
    assert.equal(err.subject, 'amount');
    assert.match(err.message, /'n\/a'/);
  });
  // nullValues makes it a null instead.
  const t = arrow.tableFromIPC(await toArrow(csv, { types: { amount: 'float64' }, locale: 'fi', nullValues: ['n/a'] }));
  assert.deepEqual(fixtureValues(t.getChild('amount')), [12.5, null]);
});

test('typing options: argument errors, and CSV only', async () => {
  const csv = new TextEncoder().encode('a\n1\n');
  await rejectsWith(toArrow(csv, { types: { b: 'int64' } }), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'types'),
  );
  await rejectsWith(toArrow(csv, { types: { a: 'int99' } }), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'types'),
  );
  await rejectsWith(toArrow(csv, { types: ['int64'] }), 'INVALID_ARGUMENT', (e) => assert.equal(e.subject, 'types'));
  await rejectsWith(toArrow(csv, { types: { a: 5 } }), 'INVALID_ARGUMENT', (e) => assert.equal(e.subject, 'types'));
  const throwing = {
    get a() {
      throw new Error('boom');
    },
  };
  await rejectsWith(toArrow(csv, { types: throwing }), 'INVALID_ARGUMENT', (e) => assert.equal(e.subject, 'types'));
  await rejectsWith(toArrow(csv, { locale: 'xx' }), 'INVALID_ARGUMENT', (e) => assert.equal(e.subject, 'locale'));
  await rejectsWith(toArrow(csv, { timeZone: 'Mars/Base' }), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'timeZone'),
  );
  await rejectsWith(toArrow(fixture('customers.snappy.parquet'), { locale: 'fi' }), 'INVALID_ARGUMENT', (e) =>
    assert.equal(e.subject, 'locale'),
  );
});

test('a CSV with 5,000 columns and one data row converts (issue 14, defect 3)', async () => {
  for (const width of [5000, 20000]) {
    const header = Array.from({ length: width }, (_, i) => `column ${i}`).join(',');
    const row = Array.from({ length: width }, (_, i) => String(i % 7)).join(',');
    const result = await toArrowDetailed(new TextEncoder().encode(`${header}\n${row}\n`));
    assert.equal(result.numRows, 1);
    assert.equal(result.columns.length, width);
    const t = arrow.tableFromIPC(result.bytes);
    assert.equal(t.getChild('column 4999').get(0), BigInt(4999 % 7));
  }
  // The module still works afterwards.
  assert.equal((await toArrowDetailed(fixture('customers.csv'))).numRows, expected.rows);
});

// Reference for Windows-1252: Python's cp1252 codec (Node's TextDecoder reads 'windows-1252' as Latin-1). The
// five bytes cp1252 leaves undefined are the C1 controls of the same value, as WHATWG (and so browsers) decode them.
const PY_CP1252 =
  "import json,sys; print(json.dumps(''.join(bytes([b]).decode('cp1252', errors='ignore') or chr(b) for b in range(128, 256))))";

test('encodings: every Windows-1252 byte as Python decodes it, and UTF-16', async () => {
  const high = Uint8Array.from({ length: 128 }, (_, i) => 128 + i);
  const cell = JSON.parse(execFileSync('python3', ['-c', PY_CP1252], { encoding: 'utf8' }));
  const header = new TextEncoder().encode('id,text\n1,"');
  const bytes = new Uint8Array([...header, ...high, 0x22, 0x0a]); // not UTF-8, so 'auto' reads Windows-1252
  for (const encoding of [undefined, 'windows-1252', 'latin1']) {
    const out = await toArrowDetailed(bytes, { format: 'csv', encoding });
    const text = arrow.tableFromIPC(out.bytes).getChild('text').get(0);
    assert.equal(text, cell);
    const warned = out.importReport.warnings.some((w) => w.code === 'DECODED_AS_WINDOWS_1252');
    assert.equal(warned, encoding === undefined, `encoding ${encoding}: ${JSON.stringify(out.warnings)}`);
  }
  const source = 'email;maa\naino@example.fi;FI\nöljy@example.fi;SE\n';
  const le = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(source, (c) => c.charCodeAt(0)).buffer)]);
  assert.equal(new TextDecoder('utf-16le').decode(le), source);
  const table = arrow.tableFromIPC((await toArrowDetailed(le, { format: 'csv' })).bytes);
  assert.deepEqual(table.getChild('email').toArray(), ['aino@example.fi', 'öljy@example.fi']);
  await assert.rejects(
    () => toArrow(bytes, { format: 'csv', encoding: 'utf-8' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_CSV' && e.line === 2,
  );
  await assert.rejects(
    () => toArrow(bytes, { format: 'csv', encoding: 'ebcdic' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT' && e.subject === 'encoding',
  );
});

test('sniffing: Windows-1252 and UTF-16 text are CSV, binary is not', () => {
  const latin = new Uint8Array([
    ...new TextEncoder().encode('nimi;kaupunki\nP'),
    0xe4,
    ...new TextEncoder().encode('ivi;Turku\n'),
  ]);
  assert.equal(sniffFormat(latin), 'csv');
  assert.equal(sniffFormat(new Uint8Array([0xff, 0xfe, 0x61, 0x00])), 'csv');
  assert.equal(sniffFormat(Uint8Array.from({ length: 200 }, (_, i) => 128 + (i % 100))), null);
});
