// A host dashboard built with Vite that embeds segmetry as an npm dependency: `segmetry` (wasm core),
// `segmetry/report` (the report view) and Observable Plot for its charts.
import * as Arrow from 'apache-arrow';
import * as Plot from '@observablehq/plot';
import { loadDataset } from 'segmetry';
import { mount } from 'segmetry/report';
import './theme.css';

// Columns built with makeData (apache-arrow's builders use new Function, which a strict CSP forbids).
const rows = 6000;
let seed = 11;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const group = Int32Array.from({ length: rows }, (_, i) => i % 2); // 0 = control, 1 = treatment
const converted = Int32Array.from(group, (g) => (random() < (g ? 0.12 : 0.1) ? 1 : 0));
const orders = Int32Array.from({ length: rows }, () => Math.floor(random() * 8));
const table = new Arrow.Table({
  group: Arrow.makeVector(group),
  converted: Arrow.makeVector(converted),
  orders_count: Arrow.makeVector(orders),
});

const dataset = await loadDataset(Arrow.tableToIPC(table, 'stream'));
document.getElementById('status').textContent = `${dataset.numRows} customers`;

const view = mount(document.getElementById('report'), {
  dataset,
  options: {
    variant: 'group',
    control: '0',
    conversion: 'converted',
    revenue: null,
    segments: { Repeat: 'orders_count >= 2' },
  },
  locale: navigator.language,
  Plot,
});
await view.ready;
