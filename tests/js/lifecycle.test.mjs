// The package's lifecycle: nothing loads at import, NOT_READY before init, init({ wasm }) in each accepted form,
// reinstantiate() after which old handles are dead, and Symbol.dispose on Dataset and Client.
// Run: node --test tests/js/lifecycle.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { init, loadDataset, loadDatasetSync, createClient, stats, SegmetryError } from 'segmetry';
import * as runtime from '../../dist/runtime.js';

const wasmPath = new URL('../../dist/wasm/segmetry_bg.wasm', import.meta.url);
const ipc = arrow.tableToIPC(arrow.tableFromArrays({ x: Int32Array.from([1, 2, 3, 4]) }));

test('before init the synchronous API throws NOT_READY and says what to do', () => {
  assert.equal(runtime.isReady(), false);
  for (const use of [() => stats.proportionInterval(1, 2), () => loadDatasetSync(ipc)]) {
    assert.throws(
      use,
      (err) => err instanceof SegmetryError && err.code === 'NOT_READY' && /await init\(\)/.test(err.message),
    );
  }
});

test('init rejects what is not wasm, and a failed init can be retried', async () => {
  await assert.rejects(init({ wasm: 42 }), (err) => err.code === 'INVALID_ARGUMENT' && err.subject === 'wasm');
  await assert.rejects(init({ wasm: new URL('./missing.wasm', wasmPath) }), (err) => err.code === 'NOT_READY');
  assert.equal(runtime.isReady(), false);
});

test('init({ wasm }) with bytes, then every later init resolves to the same instance', async () => {
  await init({ wasm: readFileSync(wasmPath) });
  assert.equal(runtime.generation, 1);
  await init();
  await init({ wasm: new WebAssembly.Module(readFileSync(wasmPath)) }); // ignored: already initialized
  assert.equal(runtime.generation, 1);
  assert.equal(stats.proportionInterval(42, 1000, { method: 'wilson' }).lower.toFixed(4), '0.0312');
});

test('reinstantiate() swaps in a fresh, isolated instance from the compiled module', async () => {
  const old = await loadDataset(ipc);
  const oldMemory = runtime.memory;
  runtime.reinstantiate();
  assert.equal(runtime.generation, 2);
  assert.notEqual(runtime.memory, oldMemory, 'a new linear memory');
  const fresh = loadDatasetSync(ipc);
  // The old handle belongs to the old instance (callers drop such handles; see runtime.js): freeing it there
  // must not touch the new instance's memory.
  old.free();
  assert.equal(fresh.segment('x > 2').size, 2);
  assert.equal(stats.proportionInterval(42, 1000, { method: 'wilson' }).lower.toFixed(4), '0.0312');
  fresh.free();
});

test('Symbol.dispose frees a Dataset and terminates a Client', async () => {
  const ds = await loadDataset(ipc);
  ds[Symbol.dispose]();
  assert.throws(
    () => ds.numRows,
    (err) => err.code === 'FREED',
  );
  const client = await createClient();
  const remote = await client.load(ipc.slice());
  await remote[Symbol.asyncDispose]();
  await assert.rejects(remote.info(), (err) => err.code === 'FREED');
  client[Symbol.dispose]();
  await assert.rejects(client.load(ipc.slice()), (err) => err.code === 'TERMINATED');
});

test('an apache-arrow Table passed instead of bytes says how to pass it', async () => {
  const table = arrow.tableFromArrays({ x: Int32Array.from([1]) });
  await assert.rejects(
    loadDataset(table),
    (err) => err.code === 'INVALID_ARGUMENT' && /tableToIPC\(table\)/.test(err.message),
  );
});
