// Limits in a real browser: an input larger than a wasm32 instance can hold is a SegmetryError, and the same
// instance keeps working afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

test('an oversized input is OUT_OF_MEMORY in Chromium and a smaller file still loads', async () => {
  const page = await env.newPage();
  await page.goto(`${env.origin}/`);
  const result = await page.evaluate(async () => {
    const { loadDataset } = await import('/segmetry/index.js');
    const { demoBytes } = await import('/demo-data.js');
    const huge = new Uint8Array(2 ** 32); // 4.3 GB of never-written (free) pages
    let code;
    let message;
    try {
      await loadDataset(huge);
    } catch (err) {
      code = err.code;
      message = err.message;
    }
    const ds = await loadDataset(demoBytes(globalThis.Arrow, 1000, 7));
    return { code, message, rows: ds.numRows };
  });
  assert.equal(result.code, 'OUT_OF_MEMORY');
  assert.match(result.message, /4\.3 GB/);
  assert.equal(result.rows, 1000);
});
