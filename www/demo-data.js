// A synthetic but realistic customer table, generated locally with a fixed seed (no download, no personal data).
// Shared by the dashboard, the browser tests and the benchmark. `Arrow` is the apache-arrow namespace (ESM import
// or the UMD global), so this file runs in Node, in a worker and in a plain page.

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The date the demo's relative columns (last_order_days, signup ages) count to. */
export const demoReferenceDate = '2026-11-01';

const COUNTRIES = ['FI', 'SE', 'NO', 'DK', 'DE', 'US', 'GB', 'FR', 'EE', 'NL'];
const COUNTRY_WEIGHTS = [0.22, 0.16, 0.08, 0.06, 0.14, 0.12, 0.08, 0.06, 0.03, 0.05];
const CHANNELS = ['email', 'search', 'social', 'direct', 'referral'];

function pick(random, items, weights) {
  let u = random();
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u <= 0) return items[i];
  }
  return items[items.length - 1];
}

/** Plain column arrays for `rows` customers. */
export function demoColumns(rows = 50_000, seed = 42) {
  const random = prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const customerId = new Int32Array(rows);
  const country = new Array(rows);
  const channel = new Array(rows);
  const ordersCount = new Int32Array(rows);
  const totalSpent = new Float64Array(rows);
  const lastOrderDays = new Array(rows);
  const signupDate = new Array(rows);
  const newsletter = new Array(rows);
  const variant = new Array(rows);
  const converted = new Array(rows);
  const revenue = new Float64Array(rows);
  const preRevenue = new Float64Array(rows);
  const day = 86_400_000;
  const reference = Date.parse(`${demoReferenceDate}T00:00:00Z`);
  for (let i = 0; i < rows; i++) {
    customerId[i] = 100_000 + i;
    country[i] = random() < 0.02 ? null : pick(random, COUNTRIES, COUNTRY_WEIGHTS);
    channel[i] = CHANNELS[Math.floor(random() * CHANNELS.length)];
    const engagement = Math.exp(gauss() * 0.9);
    const orders = random() < 0.18 ? 0 : Math.max(1, Math.round(engagement * 2.2 + random() * 2));
    ordersCount[i] = orders;
    totalSpent[i] = orders === 0 ? 0 : Math.round(orders * (25 + 40 * Math.exp(gauss() * 0.6)) * 100) / 100;
    lastOrderDays[i] = orders === 0 ? null : Math.floor((random() * 400) / engagement) % 720;
    signupDate[i] = new Date(reference - Math.floor(30 + random() * 1500) * day);
    newsletter[i] = random() < 0.05 ? null : random() < 0.4;
    const v = random();
    variant[i] = v < 1 / 3 ? 'A' : v < 2 / 3 ? 'B' : 'C';
    const nordic = country[i] === 'FI' || country[i] === 'SE';
    const base = 0.04 + 0.015 * Math.min(orders, 6);
    const lift = variant[i] === 'B' ? (nordic ? 1.25 : 1.08) : variant[i] === 'C' ? 0.98 : 1;
    converted[i] = random() < base * lift;
    preRevenue[i] = Math.max(0, Math.round((totalSpent[i] / Math.max(orders, 1)) * (0.5 + random()) * 100) / 100);
    revenue[i] = converted[i]
      ? Math.round((0.6 * preRevenue[i] + 30 + 20 * Math.exp(gauss() * 0.5)) * lift * 100) / 100
      : 0;
  }
  return {
    customer_id: customerId,
    country,
    channel,
    orders_count: ordersCount,
    total_spent: totalSpent,
    last_order_days: lastOrderDays,
    signup_date: signupDate,
    newsletter,
    variant,
    converted,
    revenue,
    pre_revenue: preRevenue,
  };
}

/**
 * Build Arrow vectors straight from typed arrays with `makeData`. apache-arrow's builders (`vectorFromArray`)
 * compile code with `new Function`, which a page under a CSP without 'unsafe-eval' must not do.
 */
export function arrowVectors(Arrow) {
  const validity = (values) => {
    const bitmap = new Uint8Array(Math.ceil(values.length / 8));
    let nulls = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] === null || values[i] === undefined) nulls++;
      else bitmap[i >> 3] |= 1 << (i & 7);
    }
    return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bitmap, nullCount: nulls };
  };
  const vector = (data) => Arrow.makeVector(data);
  const numeric = (type, Typed) => (values) => {
    const data = values instanceof Typed ? values : Typed.from(values, (x) => x ?? 0);
    return vector(Arrow.makeData({ type, length: values.length, data, ...validity(values) }));
  };
  return {
    int32: numeric(new Arrow.Int32(), Int32Array),
    float64: numeric(new Arrow.Float64(), Float64Array),
    /** Dates as days since the epoch. */
    dateDay: (dates) =>
      numeric(
        new Arrow.DateDay(),
        Int32Array,
      )(dates.map((d) => (d === null ? null : Math.floor(d.getTime() / 86_400_000)))),
    bool: (values) => {
      const bits = new Uint8Array(Math.ceil(values.length / 8));
      values.forEach((v, i) => {
        if (v) bits[i >> 3] |= 1 << (i & 7);
      });
      return vector(Arrow.makeData({ type: new Arrow.Bool(), length: values.length, data: bits, ...validity(values) }));
    },
    /** Strings as Dictionary<Int32, Utf8>, the way apache-arrow writes JS strings. */
    dictionary: (values) => {
      const codes = new Map();
      const indices = new Int32Array(values.length);
      values.forEach((v, i) => {
        if (v === null) return;
        if (!codes.has(v)) codes.set(v, codes.size);
        indices[i] = codes.get(v);
      });
      const encoder = new TextEncoder();
      const encoded = [...codes.keys()].map((k) => encoder.encode(k));
      const offsets = new Int32Array(encoded.length + 1);
      encoded.forEach((bytes, i) => {
        offsets[i + 1] = offsets[i] + bytes.length;
      });
      const chars = new Uint8Array(offsets[encoded.length]);
      encoded.forEach((bytes, i) => chars.set(bytes, offsets[i]));
      const dictionary = vector(
        Arrow.makeData({ type: new Arrow.Utf8(), length: encoded.length, valueOffsets: offsets, data: chars }),
      );
      const type = new Arrow.Dictionary(new Arrow.Utf8(), new Arrow.Int32());
      return vector(Arrow.makeData({ type, length: values.length, data: indices, dictionary, ...validity(values) }));
    },
  };
}

/** The demo table as an apache-arrow Table (strings dictionary-encoded, as apache-arrow writes them). */
export function demoTable(Arrow, rows = 50_000, seed = 42) {
  const c = demoColumns(rows, seed);
  const v = arrowVectors(Arrow);
  return new Arrow.Table({
    customer_id: v.int32(c.customer_id),
    country: v.dictionary(c.country),
    channel: v.dictionary(c.channel),
    orders_count: v.int32(c.orders_count),
    total_spent: v.float64(c.total_spent),
    last_order_days: v.int32(c.last_order_days),
    signup_date: v.dateDay(c.signup_date),
    newsletter: v.bool(c.newsletter),
    variant: v.dictionary(c.variant),
    converted: v.bool(c.converted),
    revenue: v.float64(c.revenue),
    pre_revenue: v.float64(c.pre_revenue),
  });
}

/** Arrow IPC stream bytes of the demo table. */
export function demoBytes(Arrow, rows, seed) {
  return Arrow.tableToIPC(demoTable(Arrow, rows, seed), 'stream');
}
