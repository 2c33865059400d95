// Embedding hooks through the built package (npm run build first): createClient({ wasm }) forwards the override
// to the worker's init, and loaders take an apache-arrow Table together with the caller's tableToIPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { createClient, loadDataset, loadDatasetSync, SegmetryError } from 'segmetry';

const wasmUrl = new URL('./wasm/segmetry_bg.wasm', import.meta.resolve('segmetry'));
const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), spend: Float64Array.from([10, 20, 30]) });

async function rejectsWith(promise, code, pattern) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof SegmetryError, `expected SegmetryError, got ${err?.stack ?? err}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

test('createClient({ wasm }) loads the worker from the given bytes, URL or Module', async () => {
  const bytes = new Uint8Array(readFileSync(wasmUrl));
  for (const wasm of [bytes, bytes.buffer, wasmUrl, wasmUrl.href, await WebAssembly.compile(bytes)]) {
    const client = await createClient({ wasm });
    try {
      const ds = await client.load(tableToIPC(table));
      assert.equal((await ds.info()).numRows, 3);
      // The stats lane is a second worker: it must get the same override.
      assert.equal((await client.stats.proportionInterval(5, 10)).estimate, 0.5);
    } finally {
      client.terminate();
    }
  }
});

test('createClient({ wasm }) really uses the override: a bad one fails the start', async () => {
  await assert.rejects(createClient({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9]) }));
  await rejectsWith(createClient({ wasm: new URL('./missing.wasm', wasmUrl) }), 'NOT_READY', /missing\.wasm/);
  await rejectsWith(createClient({ wasm: new Response(new Uint8Array(8)) }), 'INVALID_ARGUMENT', /bytes, a URL/);
});

test('an Arrow Table loads with the caller’s tableToIPC, and without it the error says how', async () => {
  const ds = await loadDataset(table, { tableToIPC });
  assert.equal(ds.numRows, 3);
  ds.append(table, { tableToIPC });
  assert.equal(ds.numRows, 6);
  assert.equal(loadDatasetSync(table, { tableToIPC }).numRows, 3);
  await rejectsWith(loadDataset(table), 'INVALID_ARGUMENT', /\{ tableToIPC \}/);
  await rejectsWith(loadDataset(table, { tableToIPC: 'yes' }), 'INVALID_ARGUMENT', /tableToIPC must be/);

  const client = await createClient();
  try {
    const remote = await client.load(table, { tableToIPC });
    assert.equal((await remote.info()).numRows, 3);
    assert.equal((await remote.append(table, { tableToIPC })).numRows, 6);
    await rejectsWith(client.load(table), 'INVALID_ARGUMENT', /\{ tableToIPC \}/);
  } finally {
    client.terminate();
  }
});
