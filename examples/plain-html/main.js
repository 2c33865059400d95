// A plain page (no bundler) that uses segmetry the way an npm consumer's static site would: the package's dist/
// copied next to the page (served here at /segmetry/), imported by relative URL. No import map is needed, so the
// page runs under a CSP without 'unsafe-inline'.
import { loadDataset } from '/segmetry/index.js';
import { defineReportElement } from '/segmetry/report/index.js';

const Arrow = globalThis.Arrow;

// A small table built with apache-arrow's makeData (its builders compile code with new Function, which a strict CSP
// forbids). In a real page the bytes come from a file input or fetch().
function dictionary(values) {
  const keys = [...new Set(values)];
  const encoded = keys.map((k) => new TextEncoder().encode(k));
  const offsets = new Int32Array(keys.length + 1);
  encoded.forEach((b, i) => {
    offsets[i + 1] = offsets[i] + b.length;
  });
  const chars = new Uint8Array(offsets[keys.length]);
  encoded.forEach((b, i) => chars.set(b, offsets[i]));
  const dict = Arrow.makeVector(
    Arrow.makeData({ type: new Arrow.Utf8(), length: keys.length, valueOffsets: offsets, data: chars }),
  );
  const type = new Arrow.Dictionary(new Arrow.Utf8(), new Arrow.Int32());
  return Arrow.makeVector(
    Arrow.makeData({
      type,
      length: values.length,
      data: Int32Array.from(values, (v) => keys.indexOf(v)),
      dictionary: dict,
    }),
  );
}
const rows = 4000;
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const variant = Array.from({ length: rows }, (_, i) => (i % 2 ? 'treatment' : 'control'));
const country = Array.from({ length: rows }, () => (random() < 0.4 ? 'FI' : random() < 0.5 ? 'SE' : 'DE'));
const converted = Int32Array.from({ length: rows }, (_, i) =>
  random() < (variant[i] === 'treatment' ? 0.14 : 0.1) ? 1 : 0,
);
const revenue = Float64Array.from(converted, (c) => (c ? 20 + random() * 60 : 0));
const table = new Arrow.Table({
  variant: dictionary(variant),
  country: dictionary(country),
  converted: Arrow.makeVector(converted),
  revenue: Arrow.makeVector(revenue),
});

const dataset = await loadDataset(Arrow.tableToIPC(table, 'stream'));
document.getElementById('status').textContent = `${dataset.numRows} customers loaded.`;

defineReportElement();
const report = document.querySelector('segmetry-report');
report.Plot = globalThis.Plot; // optional: without it the tables render alone
report.source = dataset;
report.options = {
  variant: 'variant',
  control: 'control',
  conversion: 'converted',
  revenue: 'revenue',
  segments: { Finland: "country = 'FI'", Sweden: "country = 'SE'" },
};
