// The worker client in Chromium under the package's strict CSP (script-src 'self' 'wasm-unsafe-eval';
// worker-src 'self' blob:): the module worker is spawned from dist/worker.js, a dropped CSV File is read and
// converted in the worker (lazy formats wasm), results equal the synchronous API on the page, errors keep their
// codes. On that page (not cross-origin isolated: no shared memory) cancelling a wasm call restarts the worker
// and onRestart names the lost datasets; on a cross-origin isolated page (COOP + COEP) a long analysis is
// cancelled in place, reports progress, and cheap calls answer while it runs. No request leaves the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { openBrowser } from './harness.mjs';
import { contentSecurityPolicy } from '../../scripts/serve.mjs';

const fixtures = new URL('../fixtures/formats/', import.meta.url);
let env;
let page;
before(async () => {
  env = await openBrowser({ dashboard: false });
  page = await env.newPage();
  // The page and its script are same-origin files (no inline script: the CSP forbids it).
  await page.route(`${env.origin}/client-test.html`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy },
      body: '<!doctype html><meta charset="utf-8"><title>client</title><script type="module" src="/client-test.js"></script><body>x</body>',
    }),
  );
  await page.route(`${env.origin}/client-test.js`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': contentSecurityPolicy },
      body: 'import * as segmetry from "/segmetry/index.js"; window.segmetry = segmetry; document.body.dataset.ready = "1";',
    }),
  );
  await page.goto(`${env.origin}/client-test.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000, state: 'attached' }).catch((err) => {
    throw new Error(`${err.message}\nconsole: ${env.consoleErrors.join('\n')}`);
  });
});
after(async () => env?.close());

test('createClient in a module Web Worker under the strict CSP: CSV File → analyze equals the sync API', async () => {
  const csv = [...readFileSync(new URL('customers.csv', fixtures))];
  const parquet = [...readFileSync(new URL('customers.zstd.parquet', fixtures))];
  const result = await page.evaluate(
    async ({ csv, parquet }) => {
      const { createClient, loadFile } = window.segmetry;
      const client = await createClient();
      const phases = [];
      const file = new File([new Uint8Array(csv)], 'customers.csv', { type: 'text/csv' });
      const ds = await client.load(file, { onProgress: (p) => phases.push(p.phase) });
      const sync = await loadFile(new Uint8Array(parquet));
      const rule = "country IN ('FI', 'SE') AND orders >= 3";
      const options = {
        variant: 'variant',
        control: 'control',
        conversion: 'converted',
        revenue: 'revenue',
        segments: { nordic: rule },
      };
      let remoteReport;
      let syncReport;
      try {
        syncReport = JSON.stringify(sync.analyze(options));
      } catch (e) {
        syncReport = `${e.code}: ${e.message}`;
      }
      try {
        remoteReport = JSON.stringify(await ds.analyze(options));
      } catch (e) {
        remoteReport = `${e.code}: ${e.message}`;
      }
      const seg = await ds.segment(rule);
      let error = null;
      try {
        await ds.segment('order_count >= 3');
      } catch (e) {
        error = {
          name: e.name,
          code: e.code,
          start: e.start,
          end: e.end,
          isError: e instanceof window.segmetry.SegmetryError,
        };
      }
      const out = {
        phases: [...new Set(phases)],
        rows: await ds.numRows(),
        seg,
        syncSize: sync.segment(rule).size,
        same: remoteReport === syncReport,
        remoteReport: remoteReport.slice(0, 200),
        error,
      };
      client.terminate();
      return out;
    },
    { csv, parquet },
  );
  // A CSV File is streamed through the reader in the worker: read and convert are one phase.
  assert.deepEqual(result.phases, ['convert', 'decode']);
  assert.equal(result.rows, 200);
  assert.equal(result.seg.size, result.syncSize);
  assert.ok(result.same, `worker and sync analyze differ: ${result.remoteReport}`);
  assert.deepEqual(result.error, { name: 'SegmetryError', code: 'UNKNOWN_COLUMN', start: 0, end: 11, isError: true });
  assert.deepEqual(env.foreignRequests(), []);
  assert.ok(
    env.requests.some((u) => u.endsWith('/segmetry/worker.js')),
    'the worker script came from the origin',
  );
  // The worker converted CSV, the page Parquet: each loaded its reader's module, lazily.
  for (const reader of ['csv', 'parquet']) {
    assert.ok(
      env.requests.some((u) => u.endsWith(`/segmetry/formats/segmetry_formats_${reader}_bg.wasm`)),
      `${reader} reader wasm loaded lazily`,
    );
  }
  assert.deepEqual(env.consoleErrors, []);
});

test('cancelling a wasm call in the browser restarts the worker; old datasets reject WORKER_RESTARTED', async () => {
  const result = await page.evaluate(async () => {
    const { createClient } = window.segmetry;
    const restarts = [];
    const client = await createClient({ onRestart: (e) => restarts.push(e) });
    const lines = ['id,country,orders'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i},${['FI', 'SE'][i % 2]},${i % 17}`);
    const big = new Blob([lines.join('\n')], { type: 'text/csv' });
    const old = await client.load(new Blob(['a,b\n1,2\n']), { format: 'csv' });
    const sharedMemory = client.sharedMemory;
    const controller = new AbortController();
    let code = null;
    try {
      await client.load(big, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'convert') controller.abort();
        },
      });
    } catch (e) {
      code = e.code;
    }
    let oldCode = null;
    try {
      await old.segment('a > 1');
    } catch (e) {
      oldCode = e.code;
    }
    const fresh = await client.load(new Blob(['a,b\n1,2\n3,4\n']), { format: 'csv' });
    const out = {
      sharedMemory,
      code,
      oldCode,
      generation: client.generation,
      freshRows: await fresh.numRows(),
      lostOld: restarts.length === 1 && restarts[0].lost.length === 1 && restarts[0].lost[0] === old && old.lost,
    };
    client.terminate();
    return out;
  });
  assert.deepEqual(result, {
    sharedMemory: false,
    code: 'CANCELLED',
    oldCode: 'WORKER_RESTARTED',
    generation: 1,
    freshRows: 2,
    lostOld: true,
  });
});

test('cross-origin isolated page: a long analyze reports progress, cheap calls answer meanwhile, cancel keeps the worker', async () => {
  // COOP + COEP on every response of this page's context make it cross-origin isolated, so the client can share
  // a SharedArrayBuffer with its worker (the project's server sends COOP only).
  const isolated = await env.newPage();
  const context = isolated.context();
  await context.route(`${env.origin}/**`, async (route) => {
    const url = route.request().url();
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'content-security-policy': contentSecurityPolicy,
    };
    if (url.endsWith('/isolated-test.html')) {
      return route.fulfill({
        status: 200,
        headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
        body: '<!doctype html><meta charset="utf-8"><script type="module" src="/isolated-test.js"></script><body>x</body>',
      });
    }
    if (url.endsWith('/isolated-test.js')) {
      return route.fulfill({
        status: 200,
        headers: { ...headers, 'content-type': 'text/javascript; charset=utf-8' },
        body: 'import * as segmetry from "/segmetry/index.js"; window.segmetry = segmetry; document.body.dataset.ready = "1";',
      });
    }
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), ...headers } });
  });
  await isolated.goto(`${env.origin}/isolated-test.html`);
  await isolated.waitForSelector('body[data-ready="1"]', { timeout: 20_000, state: 'attached' });

  // One IPC stream of 100,000 rows, repeated 40 times in the page (concatenated streams load as one dataset).
  const n = 100_000;
  const orders = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 23);
  const revenue = Float64Array.from({ length: n }, (_, i) => (i % 1000) / 10);
  const table = arrow.tableFromArrays({
    variant: Int32Array.from({ length: n }, (_, i) => i % 2),
    converted: Array.from({ length: n }, (_, i) => i % 5 === 0),
    orders,
    revenue,
  });
  let known = 0; // the known query by apache-arrow, on this side
  for (let i = 0; i < n; i++)
    if (table.getChild('orders').get(i) >= 10 && table.getChild('revenue').get(i) > 50) known++;
  const chunk = Buffer.from(arrow.tableToIPC(table)).toString('base64');
  const copies = 40;
  const tiny = Buffer.from(arrow.tableToIPC(arrow.tableFromArrays({ a: Int32Array.of(1, 2) }))).toString('base64');

  const result = await isolated.evaluate(
    async ({ chunk, copies, tiny }) => {
      const { createClient } = window.segmetry;
      const raw = atob(chunk);
      const one = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      const bytes = new Uint8Array(one.length * copies);
      for (let i = 0; i < copies; i++) bytes.set(one, i * one.length);
      const client = await createClient();
      const ds = await client.load(bytes);
      const segments = Object.fromEntries(
        Array.from({ length: 48 }, (_, k) => [`s${k}`, `orders >= ${k % 23} OR revenue < ${k}`]),
      );
      const options = { variant: 'variant', segments };
      const progress = [];
      let done = false;
      const t = performance.now();
      let midAt = 0;
      const running = ds
        .analyze(options, {
          onProgress: (p) => {
            progress.push(p);
            if (p.phase === 'metrics' && p.loaded > 0 && midAt === 0) midAt = performance.now();
          },
        })
        .finally(() => {
          done = true;
        });
      const cheap = {
        numRows: await ds.numRows(),
        tokens: (await client.tokenize('orders >= 3')).length,
        lower: (await client.stats.proportionInterval(42, 1000)).lower > 0,
        beforeLong: !done,
      };
      const report = await running;
      const full = performance.now() - t;
      const remaining = performance.now() - midAt;
      const controller = new AbortController();
      let abortedAt = 0;
      let code = null;
      try {
        await ds.analyze(options, {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'metrics' && p.loaded > 0 && abortedAt === 0) {
              abortedAt = performance.now();
              controller.abort();
            }
          },
        });
      } catch (e) {
        code = e.code;
      }
      // Runs once the analysis stopped (Arrow: no formats module to load first).
      const probe = await client.load(Uint8Array.from(atob(tiny), (c) => c.charCodeAt(0)));
      const stopped = performance.now() - abortedAt;
      await probe.free();
      const size = (await ds.segment('orders >= 10 AND revenue > 50')).size;
      const again = JSON.stringify(await ds.analyze(options)) === JSON.stringify(report);
      const out = {
        isolated: crossOriginIsolated,
        sharedMemory: client.sharedMemory,
        cheap,
        phases: [...new Set(progress.map((p) => p.phase))].sort(),
        midMetrics: progress.some((p) => p.phase === 'metrics' && p.loaded > 0 && p.loaded < p.total),
        full,
        remaining,
        code,
        aborted: abortedAt > 0,
        stopped,
        size,
        again,
        generation: client.generation,
      };
      client.terminate();
      return out;
    },
    { chunk, copies, tiny },
  );
  console.log(
    `# browser: analyze ${n * copies} rows × 49 segments ${result.full.toFixed(0)} ms; stopped in ${result.stopped.toFixed(0)} ms`,
  );
  assert.equal(result.isolated, true, 'the page is cross-origin isolated');
  assert.equal(result.sharedMemory, true);
  assert.deepEqual(result.cheap, { numRows: n * copies, tokens: 3, lower: true, beforeLong: true });
  assert.deepEqual(result.phases, ['analyze', 'metrics', 'segments']);
  assert.ok(result.midMetrics, 'progress from inside the metrics pass');
  // As in the Node test: the bound tells a working cancel from none whenever more than 200 ms were left.
  assert.ok(result.remaining > 200, `the metrics pass took ${result.remaining} ms: too short to cancel mid-way`);
  assert.equal(result.code, 'CANCELLED');
  assert.ok(result.aborted);
  assert.ok(
    result.stopped < Math.max(150, result.remaining / 3),
    `stopped ${result.stopped} ms after the abort; uncancelled, ${result.remaining} ms were left`,
  );
  assert.equal(result.size, known * copies, 'the dataset answers the known query after the cancel');
  assert.ok(result.again, 'a whole analysis after the cancel equals the first');
  assert.equal(result.generation, 0, 'no restart');
  await isolated.close();
});
