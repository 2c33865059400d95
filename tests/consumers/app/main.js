// The browser app every bundler in the consumer matrix builds, written as an npm consumer would: bare imports of
// 'segmetry' and 'segmetry/report', no set-up. It runs loadFile → segment → analyze on the UI thread, the same
// analysis in the worker client, renders the report component, and publishes what it saw (plus the answers
// counted here in plain JS, independently of the wasm) on window.__consumer for the test to check.
import { loadFile, createClient, reportToRows, SegmetryError, stats } from 'segmetry';
import { mount } from 'segmetry/report';

const variants = ['control', 'treatment'];
const countries = ['FI', 'SE', 'DE'];
const rows = [];
for (let i = 0; i < 400; i++) {
  rows.push({ variant: variants[i % 2], country: countries[i % 3], converted: i % 7 === 0 || i % 5 === 1 ? 1 : 0 });
}
const csv = 'variant,country,converted\n' + rows.map((r) => `${r.variant},${r.country},${r.converted}`).join('\n');
const expected = {
  rows: rows.length,
  finland: rows.filter((r) => r.country === 'FI').length,
  conversions: variants.map((v) => rows.filter((r) => r.variant === v && r.converted === 1).length),
};
const options = { segments: { Finland: "country = 'FI'" }, variant: 'variant', control: 'control', revenue: null };

async function main() {
  const seen = { expected };
  try {
    stats.proportionInterval(1, 2);
  } catch (err) {
    seen.beforeInit = err instanceof SegmetryError ? err.code : String(err);
  }
  const ds = await loadFile(new TextEncoder().encode(csv), { format: 'csv' });
  seen.rows = ds.numRows;
  seen.finland = ds.segment("country = 'FI'").size;
  const report = ds.analyze(options);
  seen.conversions = report.segments[0].variants.map((v) => v.conversions);
  seen.tableRows = reportToRows(report).length;
  ds.free();

  const client = await createClient();
  const remote = await client.load(new TextEncoder().encode(csv), { format: 'csv' });
  const remoteReport = await remote.analyze(options);
  seen.workerConversions = remoteReport.segments[0].variants.map((v) => v.conversions);
  seen.workerFinland = (await remote.segment("country = 'FI'")).size;

  // The report component, running the analysis on the worker's dataset.
  const host = document.getElementById('report');
  await mount(host, { dataset: remote, options, charts: false }).ready;
  seen.reportState = host.dataset.state;
  seen.reportRows = host.querySelectorAll('tr[data-variant]').length;
  client.terminate();
  return seen;
}

main().then(
  (seen) => {
    window.__consumer = seen;
  },
  (err) => {
    window.__consumer = { error: `${err?.code ?? ''} ${err?.message ?? err}` };
  },
);
