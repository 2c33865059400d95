// The prepare verbs (aggregate, join, customerFeatures), k-means clusters and the CLV models, in a third wasm
// module (dist/extras/) that is fetched and instantiated only the first time one of them is called, so pages that
// load Arrow and analyze it never download them (docs/sizes.md). Datasets cross as Arrow IPC streams: the core
// writes one (`toIpc`), the extras module reads it and returns its results the same way.
import { SegmetryError, toSegmetryError } from './errors.js';
import { compileWasm } from './wasm-source.js';
import { createGlue } from './extras/segmetry_extras.js';

let compiled = null; // Promise<WebAssembly.Module>: fetched and compiled once
let extrasModule = null; // Promise of an instantiated glue; reset after a trap, re-instantiated from `compiled`

/** The extras wasm, instantiated on first use (again after a trap, from the module compiled the first time). */
function extrasWasm() {
  if (compiled === null) {
    compiled = compileWasm(
      undefined,
      new URL('./extras/segmetry_extras_bg.wasm', import.meta.url),
      'the segmetry extras wasm (prepare, clusters, CLV)',
    );
    compiled.catch(() => {
      compiled = null;
    });
  }
  if (extrasModule === null) {
    extrasModule = compiled.then(async (mod) => {
      const glue = createGlue();
      glue.finalize(await WebAssembly.instantiate(mod, glue.imports()), mod);
      return glue;
    });
    extrasModule.catch(() => {
      extrasModule = null;
    });
  }
  return extrasModule;
}

/**
 * Run export `name` of the extras module with `args` (plain values and Uint8Arrays of IPC bytes). Loads the
 * module on the first call. Anything it throws becomes a SegmetryError; a trap (most likely an allocation that
 * failed: the inputs are copied into this module's own memory) drops the instance, so the next call gets a
 * fresh one, and the core's datasets stay usable.
 */
export async function callExtras(name, ...args) {
  const mod = await extrasWasm();
  try {
    return mod[name](...args);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      extrasModule = null;
      throw new SegmetryError(
        'INTERNAL',
        `${name} failed inside the extras module (${err.message}); the data may be too large for this browser ` +
          'tab. Your datasets are unaffected. Please report this if it persists.',
      );
    }
    throw toSegmetryError(err);
  }
}
