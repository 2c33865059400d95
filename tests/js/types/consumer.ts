// Compile-only consumer of every public function (tests/js/types.test.mjs runs `tsc -p` on it). Each
// `@ts-expect-error` line MUST fail to compile — tsc reports an unused directive otherwise — so a loosened type
// (an index signature, an optional made required, a promise-valued property) fails the test.
import {
  analyzeSummary,
  createClient,
  init,
  loadDataset,
  loadDatasetSync,
  loadFile,
  reportToArrow,
  reportToRows,
  sniffFormat,
  sqlForAnalysis,
  stats,
  toArrow,
  toArrowDetailed,
  toCsv,
  tokenize,
  SegmetryError,
  type AnalysisOptions,
  type AnalysisReport,
  type Dataset,
  type ImportReport,
} from 'segmetry';
import { createClient as createWorkerClient, type RemoteDataset } from 'segmetry/client';
import { mount, reportToCsv } from 'segmetry/report';

declare const table: { numRows: number; schema: { fields: unknown[] } };
declare function tableToIPC(t: typeof table): Uint8Array;

async function everything(bytes: Uint8Array, file: File): Promise<number> {
  await init({ wasm: new URL('https://cdn.example/segmetry_bg.wasm') });
  using ds = await loadDataset(bytes);
  const fromTable: Dataset = await loadDataset(table, { tableToIPC });
  const sync: Dataset = loadDatasetSync(bytes);
  ds.append(bytes).append(table, { tableToIPC });
  const rows: number = ds.numRows + ds.memorySize + ds.columns.length;
  const seg = ds.segment("country IN ('FI', 'SE') AND orders_count >= 3", { referenceDate: '2026-11-01' });
  const sql: string = seg.toSql({ dialect: 'postgres' });
  const tokens = tokenize(seg.rule).map((t) => t.kind);
  const completion = ds.complete('coun', 4).items.map((i) => i.insert);
  const top: string[] = ds.profile('country').top.map((t) => t.value);
  const ids = ds.segmentMembers('orders_count >= 3', { column: 'customer_id' });
  const csv: string = toCsv(ds.segmentMembers('orders_count >= 3', { columns: ['Email'] }));
  const overlap: number[][] = ds.segmentOverlap([seg.rule, { builtin: 'lifecycle' }]);
  const rfm = ds.rfm({ monetary: 'total_spent' }).segments.length;
  const stages = ds.lifecycle().length;
  const k: number = (await ds.clusters({ columns: ['orders_count'] })).k;
  using clv = (await ds.clv({ frequency: 'f', recency: 'r', T: 'T' })).customers;
  const options: AnalysisOptions = { segments: { fi: "country = 'FI'", stages: { builtin: 'lifecycle' } } };
  const report: AnalysisReport = ds.analyze(options);
  const defaults: number = ds.analyze().rows;
  const lift: number | null = report.segments[0].variants[1].conversionVsControl?.estimate ?? null;
  const query: string = ds.sqlForAnalysis({ variant: 'group' }, { table: 'events', dialect: 'spark' });
  const fromSql: string = sqlForAnalysis({ variant: 'group' }, { table: 'events', dataset: ds });
  const summary: AnalysisReport = analyzeSummary(reportToArrow(report), { dataset: ds });
  const flat = reportToRows(summary).map((r) => r.conversion_rate);
  // Named metrics as rows; errors in Finnish (lang on analyze, segment and load).
  const metricRows = reportToRows(ds.analyze({ ...options, lang: 'fi' }), { metrics: true }).map((r) => r.metric);
  const metricArrow: Uint8Array = reportToArrow(report, { metrics: true });
  const description: string | null = report.segments[0].descriptions?.fi ?? null;
  const linked = ds.link('orders', sync, { on: 'customer_id' });
  using per = await linked.aggregate({ by: 'customer_id', values: { n: 'count()' } });
  using features = await ds.customerFeatures({ customer: 'Email', date: 'Created at', amount: 'Total' });
  using joined = await per.join(features, { on: 'customer_id' });
  const matched: number = joined.joinReport?.matched ?? 0;
  const ipc: Uint8Array = await toArrow(file, { format: 'csv', delimiter: ';' });
  const detailed = await toArrowDetailed(ipc);
  using loaded = await loadFile(file);
  const imported: ImportReport | undefined = loaded.importReport;
  const format = sniffFormat(ipc, 'x.csv');
  const interval = stats.proportionInterval(42, 1000, { method: 'wilson' });
  const p: number = stats.compare({ successes: 1, trials: 10 }, { successes: 2, trials: 10 }).pValue ?? 1;

  await using client = await createClient({ wasm: bytes });
  await using remote: RemoteDataset = await client.load(file, { onProgress: (x) => x.loaded, format: 'csv' });
  const remoteRows: number = await remote.numRows();
  const remoteReport = await remote.analyze({ variant: 'group' }, { signal: AbortSignal.timeout(1000) });
  const worker = await createWorkerClient();
  const remoteP = (await worker.stats.srm([1, 2], [1, 1])).pValue;
  worker.terminate();
  const view = mount(document.body, { dataset: ds, options: { variant: 'group' } });
  const exported: string = reportToCsv(report) + view.toCsv();

  try {
    ds.segment('nope >');
  } catch (err) {
    if (err instanceof SegmetryError && err.code === 'RULE_SYNTAX') return err.start ?? 0;
  }
  fromTable.free();
  const mistakes = await expectedErrors(ds, bytes);
  return (
    rows +
    sql.length +
    tokens.length +
    completion.length +
    top.length +
    ids.length +
    csv.length +
    overlap.length +
    rfm +
    stages +
    k +
    clv.numRows +
    (lift ?? 0) +
    query.length +
    fromSql.length +
    flat.length +
    metricRows.length +
    metricArrow.length +
    (description ?? '').length +
    matched +
    detailed.skipped.length +
    (imported?.columns.length ?? 0) +
    (format ?? '').length +
    interval.lower +
    p +
    remoteRows +
    remoteReport.segments.length +
    remoteP +
    exported.length +
    mistakes
  );
}
void everything;

/** Mistakes the declarations must reject. */
async function expectedErrors(ds: Dataset, bytes: Uint8Array): Promise<number> {
  // @ts-expect-error referenceDat is not an option (referenceDate is)
  ds.segment('orders_count >= 1', { referenceDat: '2026-11-01' });
  // @ts-expect-error confidnce is not an option (confidence is)
  ds.analyze({ variant: 'group', control: 'A', confidnce: 0.9 });
  // @ts-expect-error engine is 'frequentist' or 'bayesian'
  ds.analyze({ engine: 'bayes' });
  // @ts-expect-error a Table needs the tableToIPC of its library
  await loadDataset(table);
  // @ts-expect-error a Response cannot be posted to the worker: pass its bytes
  await createClient({ wasm: new Response(bytes) });
  // @ts-expect-error horizonDay is not a clv option (horizonDays is)
  await ds.clv({ horizonDay: 30 });
  // @ts-expect-error the stats options reject unknown keys too
  stats.proportionInterval(1, 2, { methd: 'wilson' });
  const client = await createClient();
  const remote = await client.load(bytes);
  // @ts-expect-error numRows is a method on RemoteDataset: forgetting the call is a type error
  const wrong: number = await remote.numRows;
  client.terminate();
  return wrong;
}
