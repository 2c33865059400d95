// Limits in a real browser: an input larger than a wasm32 instance can hold is a SegmetryError, and the same
// instance keeps working afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { openBrowser } from './harness.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

test('an oversized input is OUT_OF_MEMORY in Chromium and a smaller file still loads', async () => {
  const page = await env.newPage();
  await page.goto(`${env.origin}/`);
  const small = Array.from(
    arrow.tableToIPC(arrow.tableFromArrays({ id: Int32Array.from({ length: 1000 }, (_, i) => i) })),
  );
  const result = await page.evaluate(async (smallBytes) => {
    const { loadDataset } = await import('/segmetry/index.js');
    const huge = new Uint8Array(2 ** 32); // 4.3 GB of never-written (free) pages
    let code;
    let message;
    try {
      await loadDataset(huge);
    } catch (err) {
      code = err.code;
      message = err.message;
    }
    const ds = await loadDataset(new Uint8Array(smallBytes));
    return { code, message, rows: ds.numRows };
  }, small);
  assert.equal(result.code, 'OUT_OF_MEMORY');
  assert.match(result.message, /4\.3 GB/);
  assert.equal(result.rows, 1000);
});
