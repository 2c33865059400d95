// Compiles a wasm module from whatever the host can provide: the package's own file (default), or what the caller
// passes to init({ wasm }): bytes, a URL or URL string, a fetch Response (or a promise of one), or an already
// compiled WebAssembly.Module. Shared by the core (runtime.js) and the lazily loaded modules (formats.js, extras.js),
// which also share `lazyModule`.
//
// No `node:` import appears anywhere in the package: in Node the file is read through process.getBuiltinModule
// (Node ≥ 20.16), which bundlers neither see nor try to polyfill, so browser bundles never contain Node modules.
import { SegmetryError } from './errors.js';
import { describe } from './input.js';

const notReady = (message) => new SegmetryError('NOT_READY', message);

/** Node's fs module when running in Node, else null. */
function nodeFs() {
  const proc = globalThis.process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:fs') : null;
}

/** Compile `source` (see above); `defaultUrl` is the package's file, `what` names it in errors. */
export async function compileWasm(source, defaultUrl, what) {
  let input = await (source ?? defaultUrl);
  if (input instanceof WebAssembly.Module) return input;
  if (typeof input === 'string' || input instanceof URL) {
    input = await fetchUrl(new URL(input, globalThis.location?.href ?? defaultUrl), what);
  }
  if (typeof Response === 'function' && input instanceof Response) return compileResponse(input, what);
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return WebAssembly.compile(input);
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `init({ wasm }) takes bytes, a URL, a Response or a WebAssembly.Module, got ${describe(input)}`,
    { subject: 'wasm' },
  );
}

/** The bytes of a file: URL (Node), or the fetch Response for any other URL. */
async function fetchUrl(url, what) {
  if (url.protocol === 'file:') {
    const fs = nodeFs();
    if (fs === null) throw notReady(`cannot read ${url} in this runtime; pass the bytes with init({ wasm })`);
    try {
      return await fs.promises.readFile(url);
    } catch (err) {
      throw notReady(`could not read ${what} from ${url} (${err.message}); pass it with init({ wasm })`);
    }
  }
  try {
    return await fetch(url);
  } catch (err) {
    throw notReady(
      `could not fetch ${what} from ${url} (${err.message}); check the connect-src Content-Security-Policy, or ` +
        'pass the bytes with init({ wasm })',
    );
  }
}

/** Streaming compilation when the server sends application/wasm, a plain compile otherwise. */
async function compileResponse(response, what) {
  if (!response.ok) {
    throw notReady(
      `could not fetch ${what} from ${response.url} (HTTP ${response.status}); serve it next to the bundle ` +
        '(see "Install" in the README for your bundler) or pass init({ wasm })',
    );
  }
  if (
    typeof WebAssembly.compileStreaming === 'function' &&
    response.headers.get('Content-Type') === 'application/wasm'
  ) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * A wasm module of this package loaded on first use: `get()` fetches and compiles `url` once and instantiates it
 * with `createGlue` (the wrapped wasm-bindgen glue, plus the instance's `memory`); `drop()` forgets the instance
 * after a trap, so the next `get()` instantiates a fresh one from the module compiled the first time. A failed
 * fetch or compile is retried next time.
 */
export function lazyModule(url, createGlue, what) {
  let compiled = null;
  let instance = null;
  return {
    get() {
      if (compiled === null) {
        compiled = compileWasm(undefined, url, what);
        compiled.catch(() => {
          compiled = null;
        });
      }
      if (instance === null) {
        instance = compiled.then(async (mod) => {
          const glue = createGlue();
          const inst = await WebAssembly.instantiate(mod, glue.imports());
          glue.finalize(inst, mod);
          glue.memory = inst.exports.memory; // for copies straight between two modules' memories (js/extras.js)
          return glue;
        });
        instance.catch(() => {
          instance = null;
        });
      }
      return instance;
    },
    drop() {
      instance = null;
    },
  };
}
