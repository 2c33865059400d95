// The prepare verbs (aggregate, join, customerFeatures), k-means clusters and the CLV models, in a third wasm
// module (dist/extras/) that is fetched and instantiated only the first time one of them is called, so pages that
// load Arrow and analyze it never download them (docs/sizes.md). Datasets cross as Arrow IPC streams: the core
// writes one (`toIpc`), the extras module reads it and returns its results the same way.
import { SegmetryError, toSegmetryError } from './errors.js';
import { lazyModule } from './wasm-source.js';
import { createGlue } from './extras/segmetry_extras.js';

const extras = lazyModule(
  new URL('./extras/segmetry_extras_bg.wasm', import.meta.url),
  createGlue,
  'the segmetry extras wasm (prepare, clusters, CLV)',
);

let interrupt = null; // the worker client's shared interrupt buffer (js/interrupt.js), else null
const armed = new WeakSet(); // instances that have it installed (a dropped instance's successor needs it again)

/** @internal Worker client only: the shared interrupt buffer the module's long loops check. */
export function setExtrasInterrupt(buffer) {
  interrupt = buffer;
}

/**
 * Run export `name` of the extras module with `args` (plain values and Uint8Arrays of IPC bytes). Loads the
 * module on the first call. Anything it throws becomes a SegmetryError; a trap (most likely an allocation that
 * failed: the inputs are copied into this module's own memory) drops the instance, so the next call gets a
 * fresh one, and the core's datasets stay usable.
 */
export async function callExtras(name, ...args) {
  const mod = await extras.get();
  if (interrupt !== null && !armed.has(mod)) {
    mod.setInterruptBuffer(interrupt);
    armed.add(mod);
  }
  try {
    return mod[name](...args);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      extras.drop();
      throw new SegmetryError(
        'INTERNAL',
        `${name} failed inside the extras module (${err.message}); the data may be too large for this browser ` +
          'tab. Your datasets are unaffected. Please report this if it persists.',
      );
    }
    throw toSegmetryError(err);
  }
}
