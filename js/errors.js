/**
 * The one error class of the package. Every failure of the wasm core arrives as a SegmetryError with a stable
 * `code` (INVALID_ARROW, SCHEMA_MISMATCH, UNSUPPORTED_TYPE, INVALID_ARGUMENT, RULE_SYNTAX, …).
 */
export class SegmetryError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'SegmetryError';
    this.code = code;
    for (const key of ['start', 'end', 'subject']) {
      if (details[key] !== undefined) this[key] = details[key];
    }
  }
}

/** Turn whatever the wasm layer threw into a SegmetryError (already-converted errors pass through). */
export function toSegmetryError(err) {
  if (err instanceof SegmetryError) return err;
  if (err && typeof err === 'object' && typeof err.code === 'string' && err.name === 'SegmetryError') {
    return new SegmetryError(err.code, err.message, err);
  }
  if (err instanceof WebAssembly.RuntimeError) {
    return new SegmetryError(
      'INTERNAL',
      `segmetry hit an internal error and restarted its engine; ` +
        `datasets loaded before this point must be loaded again. Please report this. (${err.message})`,
    );
  }
  const fromGlue = /\/wasm\/segmetry\.js:/.test(String(err?.stack).split('\n')[1] ?? '');
  if ((err instanceof TypeError || err instanceof RangeError) && fromGlue) {
    // Thrown by the wasm-bindgen glue while converting arguments (a BigInt where a number belongs, …).
    return new SegmetryError(
      'INVALID_ARGUMENT',
      `invalid argument: ${err.message}; check the argument types in the ` +
        'TypeScript declarations (dist/index.d.ts)',
    );
  }
  if (err instanceof Error) return err;
  return new SegmetryError('INTERNAL', String(err));
}
