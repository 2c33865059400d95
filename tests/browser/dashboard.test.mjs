// The README's run command serves a page that loads the demo dataset through the wasm module, under a strict CSP,
// with every request staying on the page's own origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { openBrowser } from './harness.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

test('the dashboard loads the demo dataset through wasm under a strict CSP', async () => {
  const page = await env.newPage();
  const response = await page.goto(`${env.origin}/`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.match(csp, /connect-src 'self'/);

  await page.waitForSelector('#status[data-rows]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#status', 'data-rows'), '50000');
  const types = await page.$$eval('#schema tbody tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]));
  assert.deepEqual(types.find(([name]) => name === 'country'), ['country', 'dictionary<int32, utf8>']);
  assert.deepEqual(types.find(([name]) => name === 'signup_date'), ['signup_date', 'date32']);

  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/dashboard-start.png', fullPage: true });
  assert.deepEqual(env.consoleErrors, []);
  const foreign = env.requests.filter((url) => !url.startsWith(env.origin));
  assert.deepEqual(foreign, [], 'no request leaves the page origin');
});

test('the package imports in a plain <script type="module"> page', async () => {
  const page = await env.newPage();
  await page.goto(`${env.origin}/`);
  const result = await page.evaluate(async () => {
    const { loadDataset, SegmetryError } = await import('/segmetry/index.js');
    try {
      await loadDataset(new Uint8Array([1, 2, 3]));
      return 'no error';
    } catch (err) {
      return `${err instanceof SegmetryError}:${err.code}`;
    }
  });
  assert.equal(result, 'true:INVALID_ARROW');
});
