// The wasm core's lifecycle, and the one way the rest of the JS layer calls into it.
//
// No top-level await: importing the package loads nothing. `init()` compiles and instantiates the core once (the
// async entry points such as loadDataset await it themselves); until it has resolved, any use of `wasm` throws
// SegmetryError NOT_READY. Keeping the compiled WebAssembly.Module lets `reinstantiate()` replace an instance that
// trapped (panic = "abort") with a fresh one, synchronously, without fetching anything again.
//
// A trap (stack overflow, `unreachable` after a panic, out-of-bounds access) leaves an instance unusable: its
// memory and stack pointer are wherever the trap left them. `call` detects one, replaces the instance and bumps
// `generation`; handles created by the dead instance (datasets) must never reach the new one, so their owners
// compare generations first and answer ENGINE_RESTARTED.
import { createGlue } from './wasm/segmetry.js';
import { SegmetryError, toSegmetryError } from './errors.js';
import { compileWasm } from './wasm-source.js';
import { plain } from './input.js';

const notReady = () =>
  new SegmetryError(
    'NOT_READY',
    'segmetry is not initialized yet: `await init()` once before the synchronous API (loadDatasetSync, stats.*, …); ' +
      'the async functions (loadDataset, loadFile, createClient, …) initialize it themselves',
  );

/** Stands in for the glue before init: touching any export throws NOT_READY instead of a TypeError. */
const NOT_READY = new Proxy(
  {},
  {
    get() {
      throw notReady();
    },
  },
);

/** The current instance's wasm-bindgen exports (a live binding: it changes when the instance is replaced). */
export let wasm = NOT_READY;

/** The current instance's linear memory (its `buffer` changes identity whenever the memory grows). */
export let memory = null;

/** Counts instances: 1 after init, +1 per reinstantiate(); handles from an older generation are dead. */
export let generation = 0;

let compiled = null; // Promise<WebAssembly.Module> of the first successful init
let module = null; // the compiled WebAssembly.Module, once known

/**
 * Load the wasm core (once; later calls return the same promise). `options.wasm` overrides where it comes from:
 * bytes, a URL (or string), a Response (or promise of one) or a WebAssembly.Module; by default the package's
 * `wasm/segmetry_bg.wasm`, located with a `new URL(…, import.meta.url)` literal that bundlers rewrite.
 */
export function init(options) {
  if (compiled === null) {
    const source = options?.wasm;
    compiled = compileWasm(source, new URL('./wasm/segmetry_bg.wasm', import.meta.url), 'the segmetry core wasm');
    compiled = compiled.then(async (mod) => {
      const glue = createGlue();
      // Asynchronous instantiation: browsers may refuse synchronous instantiation of large modules on the main thread.
      use(glue, await WebAssembly.instantiate(mod, glue.imports()), mod);
      return mod;
    });
    compiled.catch(() => {
      compiled = null; // a failed load (offline, 404) may be retried
    });
  }
  return compiled.then(() => undefined);
}

/** Whether init() has completed, i.e. the synchronous API may be used. */
export function isReady() {
  return module !== null;
}

/**
 * Replace the current instance with a fresh one from the same compiled module (after a trap, or to drop all
 * wasm memory at once). Synchronous. Every Dataset/handle of the old instance is dead afterwards: the caller
 * must stop using them (compare `generation`). Throws NOT_READY before init.
 */
export function reinstantiate() {
  if (module === null) throw notReady();
  const glue = createGlue();
  use(glue, new WebAssembly.Instance(module, glue.imports()), module);
}

function use(glue, instance, mod) {
  glue.finalize(instance, mod);
  wasm = glue;
  memory = instance.exports.memory;
  module = mod;
  generation += 1;
}

/**
 * Copy `bytes` into wasm memory through a fallibly reserved InputBuffer: a too-large input becomes a
 * SegmetryError OUT_OF_MEMORY instead of aborting the instance.
 */
export function copyIn(bytes) {
  const input = call(() => new wasm.InputBuffer(bytes.length));
  new Uint8Array(memory.buffer, input.ptr(), bytes.length).set(bytes);
  return input;
}

/** The error for a handle created by an instance that has since been replaced. */
export function restartedError() {
  return new SegmetryError(
    'ENGINE_RESTARTED',
    'this dataset lived in a segmetry engine that hit an internal error and was restarted; load the data again',
  );
}

/** Replace a trapped instance with a fresh one; the error to throw in place of the trap. */
function restart(err) {
  try {
    reinstantiate();
  } catch (resetErr) {
    return new SegmetryError(
      'INTERNAL',
      `segmetry hit an internal error (${err.message}) and could not restart its engine (${resetErr.message}); ` +
        'reload the page. Please report this.',
    );
  }
  return new SegmetryError(
    'INTERNAL',
    `segmetry hit an internal error (${err.message}) and restarted its engine; datasets loaded before this ` +
      'point must be loaded again (they answer ENGINE_RESTARTED). Please report this.',
  );
}

/** Whether `err` means the instance can no longer be trusted. */
function trapped(err) {
  if (err instanceof WebAssembly.RuntimeError) return true;
  // A JS exception that unwound through wasm frames left a RefCell borrowed (and the shadow stack pointer where
  // it was): every later call on that object fails. Arguments are plain values, so this should never happen.
  return err instanceof Error && /recursive use of an object detected/.test(err.message);
}

/**
 * Call a wasm export with `args` converted to plain, depth-limited values (so no caller code — getters,
 * Proxies — runs while wasm holds a borrow), converting anything it throws into a SegmetryError.
 */
export function call(fn, ...args) {
  const values = args.map((arg, i) => plain(arg, `argument ${i + 1}`));
  try {
    return fn(...values);
  } catch (err) {
    if (trapped(err)) throw restart(err);
    throw toSegmetryError(err);
  }
}
