// The TypeScript declarations against the real package (npm run build first):
// (a) a consumer program that calls every public function type-checks with `tsc --strict`, and each of its
//     `@ts-expect-error` lines (misspelt options, a forgotten call, a Table without tableToIPC) fails to compile;
// (b) what the functions really return (reports, segments, profiles, completions, tokens, CLV, import and join
//     reports, stats results, the worker client's answers) has exactly the keys and value types the d.ts declare,
//     checked through the TypeScript compiler API (tests/js/types/shape.mjs);
// (c) every export of each entry point is declared, and every declared value export exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import ts from 'typescript';
import * as pkg from 'segmetry';
import * as clientEntry from 'segmetry/client';
import { declaredShapes } from './types/shape.mjs';

const { createClient, loadDataset, loadDatasetSync, loadFile, reportToRows, stats, toArrowDetailed, tokenize } = pkg;
const fixture = (path) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

test('a consumer program type-checks under --strict; its @ts-expect-error lines are errors', () => {
  const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
  const config = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
  try {
    execFileSync(tsc, ['-p', config], { cwd: repo, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    assert.fail(`tsc -p tests/js/types/tsconfig.json:\n${err.stdout}${err.stderr}`);
  }
});

// name → the declared type a runtime value must fit (S = 'segmetry', C = 'segmetry/client', F = stats).
const shapes = {
  report: 'S.AnalysisReport',
  columns: 'S.ColumnInfo[]',
  segment: 'S.Segment',
  segmentJson: 'ReturnType<S.Segment["toJSON"]>',
  profile: 'S.ColumnProfile',
  completion: 'S.Completion',
  tokens: 'S.RuleToken[]',
  members: 'S.MemberTable',
  rfm: 'S.RfmResult',
  lifecycle: 'S.BuiltinSegment[]',
  clusters: 'S.ClusterResult',
  clv: 'S.ClvResult',
  dataset: 'S.Dataset',
  importReport: 'S.ImportReport',
  conversion: 'S.ConversionResult',
  joinReport: 'S.JoinReport',
  recipe: 'S.PrepareRecipe',
  rows: 'S.ReportRow[]',
  error: 'S.SegmetryError',
  info: 'C.DatasetInfo',
  remote: 'C.RemoteDataset',
  remoteSegment: 'Awaited<ReturnType<C.RemoteDataset["segment"]>>',
  client: 'C.Client',
  ...Object.fromEntries(Object.keys(stats).map((name) => [`stats.${name}`, `ReturnType<typeof F.${name}>`])),
};
const mismatches = declaredShapes(shapes);
let problems = [];
/** Collect drift instead of stopping at the first, so one run lists every fix the d.ts needs; `settle` asserts. */
const fits = (name, value) => problems.push(...mismatches(name, value));
function settle() {
  const found = problems;
  problems = [];
  assert.deepEqual(found, [], 'every value fits its declaration');
}

const experiment = await loadDataset(fixture('analysis/experiment.arrow'));
const base = { variant: 'variant', control: 'A', referenceDate: '2026-11-01' };
const segments = { fi: "country = 'FI'", loyal: 'orders_count >= 3', stages: { builtin: 'lifecycle' } };

test('analysis reports: frequentist with CUPED and named metrics, Bayesian, sequential, suppressed cells', () => {
  const metrics = {
    bought: 'converted',
    spend: { column: 'revenue', role: 'secondary' },
    per_order: { type: 'ratio', numerator: 'revenue', denominator: 'orders_count', role: 'guardrail' },
  };
  // Rule segments only: a ratio whose denominator sums to 0 (lifecycle's Prospects have no orders) throws
  // INVALID_ARGUMENT instead of a NaN result (reported to the lead; src/metrics/metric_report.rs).
  const rules = { fi: segments.fi, loyal: segments.loyal };
  fits('report', experiment.analyze({ ...base, segments: rules, covariate: 'pre_revenue', metrics }));
  fits('report', experiment.analyze({ ...base, segments, engine: 'bayesian', prior: { mean: 0, variance: 1 } }));
  fits('report', experiment.analyze({ ...base, sequential: true, expectedWeights: [1, 1, 1], difference: 'absolute' }));
  fits('report', experiment.analyze({ ...base, segments: { tiny: "country = 'NO'" }, minCellSize: 100000 }));
  fits('report', experiment.analyze());
  fits('rows', reportToRows(experiment.analyze({ ...base, segments: rules, metrics })));
  const survey = arrow.tableFromArrays({
    variant: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'B' : 'A')),
    score: Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 11),
  });
  const nps = loadDatasetSync(survey, { tableToIPC: arrow.tableToIPC });
  fits(
    'report',
    nps.analyze({ conversion: null, revenue: null, metrics: { score: { column: 'score', type: 'nps' } } }),
  );
  nps.free();
  settle();
});

test('dataset surface: columns, segments, editor helpers, members, built-in segments, clv', async () => {
  fits('dataset', experiment);
  fits('columns', experiment.columns);
  const segment = experiment.segment("country IN ('FI', 'SE') AND orders_count >= 3");
  fits('segment', segment);
  fits('segmentJson', segment.toJSON());
  for (const column of ['country', 'orders_count', 'variant', 'converted', 'revenue']) {
    fits('profile', experiment.profile(column));
  }
  fits('completion', experiment.complete("country = 'F", 12));
  fits('completion', experiment.complete('', 0));
  fits('tokens', tokenize(`"a b" >= -90d AND x IN ('y', 2) OR 'open`));
  fits('members', experiment.segmentMembers('orders_count >= 3', { columns: ['customer_id', 'country'] }));
  const customers = await loadDataset(fixture('builtin/customers.arrow'));
  fits('rfm', customers.rfm({ monetary: 'total_spent' }));
  fits('lifecycle', customers.lifecycle());
  fits('clusters', await customers.clusters({ columns: ['orders_count', 'total_spent'], k: 3, seed: 1 }));
  const cdnow = JSON.parse(fixture('clv/cdnow.json'));
  const rfmTable = arrow.tableFromArrays({
    frequency: Float64Array.from(cdnow.x),
    recency: Float64Array.from(cdnow.t_x),
    T: Float64Array.from(cdnow.T),
    monetary: Float64Array.from(cdnow.zbar),
  });
  const clvData = await loadDataset(rfmTable, { tableToIPC: arrow.tableToIPC });
  const clv = await clvData.clv({
    frequency: 'frequency',
    recency: 'recency',
    T: 'T',
    monetary: 'monetary',
    unit: 'weeks',
  });
  fits('clv', clv);
  fits('clv', await clvData.clv({ frequency: 'frequency', recency: 'recency', T: 'T' }));
  for (const ds of [clv.customers, clvData, customers]) ds.free();
  settle();
});

test('imports, prepare steps, errors', async () => {
  const csv = fixture('formats/customers.csv');
  fits('conversion', await toArrowDetailed(csv, { format: 'csv' }));
  fits('conversion', await toArrowDetailed(fixture('formats/customers.snappy.parquet')));
  fits('conversion', await toArrowDetailed(fixture('formats/customers.arrow')));
  const loaded = await loadFile(csv, { format: 'csv' });
  fits('importReport', loaded.importReport);
  fits('dataset', loaded);
  const orders = await loadDataset(fixture('prepare/orders.arrow'));
  const people = await loadDataset(fixture('prepare/customers.arrow'));
  const features = await orders.customerFeatures({
    customer: 'Email',
    date: 'Created at',
    amount: 'Total',
    order: 'Name',
  });
  const joined = await people.join(features, { on: 'Email', normalizeKey: 'email', rightName: 'orders' });
  fits('joinReport', joined.joinReport);
  fits('recipe', joined.recipe);
  fits('recipe', (await orders.aggregate({ by: 'Email', values: { n: 'count()' } })).recipe);
  fits('dataset', joined);
  try {
    experiment.segment('order_count >= 3');
    assert.fail('an unknown column must throw');
  } catch (err) {
    fits('error', err);
  }
  for (const ds of [loaded, orders, people, features, joined]) ds.free();
  settle();
});

test('stats results', () => {
  const p = (successes, trials) => ({ successes, trials });
  const calls = {
    proportionInterval: () => stats.proportionInterval(42, 1000, { method: 'wilson' }),
    twoProportionZTest: () => stats.twoProportionZTest(p(40, 1000), p(55, 1000)),
    proportionDifferenceInterval: () => stats.proportionDifferenceInterval(p(40, 1000), p(55, 1000)),
    chiSquareIndependence: () =>
      stats.chiSquareIndependence([
        [10, 20],
        [30, 25],
      ]),
    fisherExact: () =>
      stats.fisherExact([
        [3, 1],
        [1, 3],
      ]),
    tTest: () => stats.tTest({ mean: 1, variance: 2, n: 30 }, { mean: 1.5, variance: 2, n: 30 }),
    srm: () => stats.srm([500, 530], [1, 1]),
    adjustPValues: () => stats.adjustPValues([0.01, 0.04], 'holm'),
    bayesBinomial: () => stats.bayesBinomial(p(40, 1000), p(55, 1000)),
    compare: () => stats.compare(p(40, 1000), p(55, 1000), { engine: 'bayesian' }),
    sampleSize: () => stats.sampleSize({ baseline: 0.05, minimumEffect: 0.1 }),
    power: () => stats.power({ baseline: 0.05, minimumEffect: 0.1, control: 5000 }),
    minimumDetectableEffect: () => stats.minimumDetectableEffect({ baseline: 0.05, control: 5000 }),
    heterogeneity: () => stats.heterogeneity([0.1, 0.3, 0.2], [0.05, 0.06, 0.07]),
  };
  assert.deepEqual(Object.keys(calls).sort(), Object.keys(stats).sort(), 'one call per stats function');
  for (const [name, call] of Object.entries(calls)) fits(`stats.${name}`, call());
  fits('stats.compare', stats.compare(p(40, 1000), p(55, 1000), { sequential: true }));
  fits('stats.tTest', stats.tTest({ mean: 1, variance: 0, n: 1 }, { mean: 1, variance: 0, n: 1 }));
  settle();
});

test('the worker client: RemoteDataset, its info and answers', async () => {
  const client = await createClient();
  try {
    fits('client', client);
    const remote = await client.load(fixture('formats/customers.csv'), { format: 'csv' });
    fits('remote', remote);
    fits('info', await remote.info());
    fits('columns', await remote.columns());
    assert.equal(await remote.numRows(), (await remote.info()).numRows);
    fits('importReport', remote.importReport);
    fits('remoteSegment', await remote.segment('orders >= 1'));
    fits('profile', await remote.profile('orders'));
    fits('completion', await remote.complete('ord', 3));
    fits('report', await remote.analyze());
    fits('tokens', await client.tokenize('a = 1'));
    fits('stats.srm', await client.stats.srm([10, 12], [1, 1]));
    await remote.free();
  } finally {
    client.terminate();
  }
  settle();
});

test('every export is declared and every declared value export exists', () => {
  const program = ts.createProgram([`${repo}dist/index.d.ts`, `${repo}dist/client.d.ts`], {
    strict: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  const checker = program.getTypeChecker();
  const valueExports = (file) =>
    checker
      .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(`${repo}${file}`)))
      .filter((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value)
      .map((s) => s.getName())
      .sort();
  assert.deepEqual(valueExports('dist/index.d.ts'), Object.keys(pkg).sort());
  assert.deepEqual(valueExports('dist/client.d.ts'), Object.keys(clientEntry).sort());
});
