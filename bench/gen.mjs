// The benchmark's customer table, generated in the page with a fixed seed (no download), and its Arrow IPC
// stream bytes in two string encodings: `dict` (Dictionary<Int32, Utf8>, what apache-arrow writes for JS strings)
// and `utf8` (plain Utf8). Built with makeData from typed arrays: apache-arrow's builders use `new Function`.
//
// Columns: customer_id int32, customer_id64 int64, country (2% null), orders_count int32, total_spent float64,
// last_order_days int32 (null when no orders), variant A/B/C, converted bool, revenue float64.

import { prng } from '../www/demo-data.js';

export const COUNTRIES = ['FI', 'SE', 'NO', 'DK', 'DE', 'US', 'GB', 'FR', 'EE', 'NL'];
const COUNTRY_WEIGHTS = [0.22, 0.16, 0.08, 0.06, 0.14, 0.12, 0.08, 0.06, 0.03, 0.05];
export const VARIANTS = ['A', 'B', 'C'];

/** Column values as typed arrays; strings as codes into COUNTRIES / VARIANTS (-1 = null). */
export function generateColumns(rows, seed = 20261122) {
  const random = prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const cum = [];
  COUNTRY_WEIGHTS.reduce((a, w, i) => (cum[i] = a + w), 0);
  const c = {
    rows,
    id32: new Int32Array(rows),
    id64: new BigInt64Array(rows),
    country: new Int8Array(rows),
    orders: new Int32Array(rows),
    spent: new Float64Array(rows),
    lastDays: new Int32Array(rows),
    lastValid: new Uint8Array(Math.ceil(rows / 8)),
    lastNulls: 0,
    countryNulls: 0,
    variant: new Int8Array(rows),
    converted: new Uint8Array(Math.ceil(rows / 8)),
    revenue: new Float64Array(rows),
  };
  const id64Words = new Uint32Array(c.id64.buffer);
  for (let i = 0; i < rows; i++) {
    c.id32[i] = 1_000_000 + i;
    id64Words[2 * i] = (i * 2654435761) >>> 0; // spread low word
    id64Words[2 * i + 1] = 0x2000 + (i >>> 20); // > 2^32: a real int64
    let country = -1;
    if (random() >= 0.02) {
      const u = random();
      country = COUNTRIES.length - 1;
      for (let k = 0; k < cum.length; k++)
        if (u < cum[k]) {
          country = k;
          break;
        }
    } else c.countryNulls++;
    c.country[i] = country;
    const engagement = Math.exp(gauss() * 0.9);
    const orders = random() < 0.18 ? 0 : Math.max(1, Math.round(engagement * 2.2 + random() * 2));
    c.orders[i] = orders;
    c.spent[i] = orders === 0 ? 0 : Math.round(orders * (25 + 40 * Math.exp(gauss() * 0.6)) * 100) / 100;
    if (orders === 0) c.lastNulls++;
    else {
      c.lastDays[i] = Math.floor((random() * 400) / engagement) % 720;
      c.lastValid[i >> 3] |= 1 << (i & 7);
    }
    const v = random();
    const variant = v < 1 / 3 ? 0 : v < 2 / 3 ? 1 : 2;
    c.variant[i] = variant;
    const nordic = country === 0 || country === 1;
    const lift = variant === 1 ? (nordic ? 1.25 : 1.08) : variant === 2 ? 0.98 : 1;
    const converted = random() < (0.04 + 0.015 * Math.min(orders, 6)) * lift;
    if (converted) {
      c.converted[i >> 3] |= 1 << (i & 7);
      const basket = orders === 0 ? 40 : c.spent[i] / orders;
      c.revenue[i] = Math.round((0.6 * basket + 30 + 20 * Math.exp(gauss() * 0.5)) * lift * 100) / 100;
    }
  }
  return c;
}

function validityOf(codes) {
  const bitmap = new Uint8Array(Math.ceil(codes.length / 8));
  let nulls = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < 0) nulls++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bitmap, nullCount: nulls };
}

function utf8Strings(Arrow, values) {
  const enc = new TextEncoder();
  const encoded = values.map((v) => enc.encode(v));
  const offsets = new Int32Array(encoded.length + 1);
  encoded.forEach((b, i) => {
    offsets[i + 1] = offsets[i] + b.length;
  });
  const data = new Uint8Array(offsets[encoded.length]);
  encoded.forEach((b, i) => data.set(b, offsets[i]));
  return Arrow.makeData({ type: new Arrow.Utf8(), length: values.length, valueOffsets: offsets, data });
}

/** A string column from codes into `values`, as Dictionary<Int32, Utf8> or plain Utf8. */
// One dictionary vector per column, shared by all batches, so the stream carries each dictionary once (no
// delta or replacement dictionary batches).
function stringColumn(Arrow, codes, values, encoding, dict) {
  const length = codes.length;
  const validity = validityOf(codes);
  if (encoding === 'dict') {
    const indices = new Int32Array(length);
    for (let i = 0; i < length; i++) indices[i] = codes[i] < 0 ? 0 : codes[i];
    return Arrow.makeData({ type: dict.type, length, data: indices, dictionary: dict.vector, ...validity });
  }
  const bytes = values.map((v) => new TextEncoder().encode(v));
  const offsets = new Int32Array(length + 1);
  let total = 0;
  for (let i = 0; i < length; i++) {
    if (codes[i] >= 0) total += bytes[codes[i]].length;
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < length; i++) if (codes[i] >= 0) data.set(bytes[codes[i]], offsets[i]);
  return Arrow.makeData({ type: new Arrow.Utf8(), length, valueOffsets: offsets, data, ...validity });
}

/** Slice of a bitmap starting at row `from` (re-based to bit 0). */
function sliceBits(bits, from, length) {
  if (from % 8 === 0) return bits.slice(from / 8, from / 8 + Math.ceil(length / 8));
  throw new Error('batch size must be a multiple of 8');
}

/** Arrow IPC stream bytes of the table, `batchRows` rows per record batch. */
export function ipcBytes(Arrow, c, encoding, batchRows = 1 << 20) {
  const batches = [];
  let schema;
  const dict = (values, id) => ({
    vector: Arrow.makeVector(utf8Strings(Arrow, values)),
    type: new Arrow.Dictionary(new Arrow.Utf8(), new Arrow.Int32(), id),
  });
  const countryDict = dict(COUNTRIES, 0);
  const variantDict = dict(VARIANTS, 1);
  for (let from = 0; from < c.rows; from += batchRows) {
    const to = Math.min(c.rows, from + batchRows);
    const length = to - from;
    const sub = (a) => a.subarray(from, to);
    const lastValid = sliceBits(c.lastValid, from, length);
    let lastNulls = 0;
    for (let i = 0; i < length; i++) if (!((lastValid[i >> 3] >> (i & 7)) & 1)) lastNulls++;
    const children = {
      customer_id: Arrow.makeData({ type: new Arrow.Int32(), length, data: sub(c.id32) }),
      customer_id64: Arrow.makeData({ type: new Arrow.Int64(), length, data: sub(c.id64) }),
      country: stringColumn(Arrow, sub(c.country), COUNTRIES, encoding, countryDict),
      orders_count: Arrow.makeData({ type: new Arrow.Int32(), length, data: sub(c.orders) }),
      total_spent: Arrow.makeData({ type: new Arrow.Float64(), length, data: sub(c.spent) }),
      last_order_days: Arrow.makeData({
        type: new Arrow.Int32(),
        length,
        data: sub(c.lastDays),
        ...(lastNulls ? { nullBitmap: lastValid, nullCount: lastNulls } : { nullCount: 0 }),
      }),
      variant: stringColumn(Arrow, sub(c.variant), VARIANTS, encoding, variantDict),
      converted: Arrow.makeData({ type: new Arrow.Bool(), length, data: sliceBits(c.converted, from, length) }),
      revenue: Arrow.makeData({ type: new Arrow.Float64(), length, data: sub(c.revenue) }),
    };
    const fields = Object.entries(children).map(
      ([name, d]) => new Arrow.Field(name, d.type, name === 'country' || name === 'last_order_days'),
    );
    schema ??= new Arrow.Schema(fields);
    const struct = Arrow.makeData({ type: new Arrow.Struct(schema.fields), length, children: Object.values(children) });
    batches.push(new Arrow.RecordBatch(schema, struct));
  }
  return Arrow.tableToIPC(new Arrow.Table(schema, batches), 'stream');
}
