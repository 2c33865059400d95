// The worker client in Chromium under the package's strict CSP (script-src 'self' 'wasm-unsafe-eval';
// worker-src 'self' blob:): the module worker is spawned from dist/worker.js, a dropped CSV File is read and
// converted in the worker (lazy formats wasm), results equal the synchronous API on the page, errors keep their
// codes, cancelling a wasm call restarts the worker. No request leaves the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  assert.deepEqual(result.phases, ['read', 'convert', 'decode']);
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
    const client = await createClient();
    const lines = ['id,country,orders'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i},${['FI', 'SE'][i % 2]},${i % 17}`);
    const big = new Blob([lines.join('\n')], { type: 'text/csv' });
    const old = await client.load(new Blob(['a,b\n1,2\n']), { format: 'csv' });
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
      await old.info();
    } catch (e) {
      oldCode = e.code;
    }
    const fresh = await client.load(new Blob(['a,b\n1,2\n3,4\n']), { format: 'csv' });
    const out = { code, oldCode, generation: client.generation, freshRows: await fresh.numRows() };
    client.terminate();
    return out;
  });
  assert.deepEqual(result, { code: 'CANCELLED', oldCode: 'WORKER_RESTARTED', generation: 1, freshRows: 2 });
});
