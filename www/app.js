// The dashboard's entry point. Everything runs locally: the demo data is generated in the page and analysed
// by the segmetry wasm module.
import { loadDataset } from './segmetry/index.js';
import { demoTable } from './demo-data.js';

const Arrow = globalThis.Arrow;
const status = document.getElementById('status');
const schema = document.getElementById('schema');
const numberFormat = new Intl.NumberFormat(navigator.language);

function sampleValues(table, name) {
  const column = table.getChild(name);
  const seen = [];
  for (let i = 0; i < column.length && seen.length < 3; i++) {
    const value = column.get(i);
    if (value === null) continue;
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    if (!seen.includes(text)) seen.push(text);
  }
  return seen.join(', ');
}

async function main() {
  const started = performance.now();
  const table = demoTable(Arrow, 50_000, 42);
  const bytes = Arrow.tableToIPC(table, 'stream');
  const ds = await loadDataset(bytes);
  const elapsed = performance.now() - started;
  status.textContent = `Demo dataset: ${numberFormat.format(ds.numRows)} customers, ${ds.columns.length} columns ` +
    `(${numberFormat.format(Math.round(bytes.length / 1024))} KB of Arrow), generated and loaded in ${Math.round(elapsed)} ms.`;
  status.dataset.rows = String(ds.numRows);
  const body = schema.querySelector('tbody');
  for (const column of ds.columns) {
    const row = body.insertRow();
    row.insertCell().textContent = column.name;
    row.insertCell().innerHTML = `<code></code>`;
    row.cells[1].firstChild.textContent = column.type;
    const nulls = row.insertCell();
    nulls.className = 'num';
    nulls.textContent = numberFormat.format(column.nullCount);
    row.insertCell().textContent = sampleValues(table, column.name);
  }
  schema.hidden = false;
}

main().catch((err) => {
  status.className = 'error';
  status.textContent = `Could not load the demo dataset: ${err.message}`;
  console.error(err);
});
