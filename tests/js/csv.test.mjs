// toCsv: RFC 4180 quoting, null as empty field, header row; pure JS (no wasm needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from '../../js/csv.js';

test('toCsv quotes what RFC 4180 requires and writes nulls as empty fields', () => {
  const csv = toCsv({
    columns: ['Email', 'Name "nick"', 'Tags'],
    values: [
      ['a@x.fi', null, 'b@y.se'],
      ['Ann', 'Bo', 'Zoë, "Z"'],
      ['vip, gold', null, ''],
    ],
  });
  assert.equal(
    csv,
    'Email,"Name ""nick""",Tags\r\n' + 'a@x.fi,Ann,"vip, gold"\r\n' + ',Bo,\r\n' + 'b@y.se,"Zoë, ""Z""",\r\n',
  );
  assert.equal(toCsv({ columns: ['x'], values: [[]] }), 'x\r\n');
  assert.throws(() => toCsv([1, 2]), { code: 'INVALID_ARGUMENT' });
});
