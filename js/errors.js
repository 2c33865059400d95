/**
 * The one error class of the package. Every failure of the wasm core arrives as a SegmetryError with a stable
 * `code` (INVALID_ARROW, SCHEMA_MISMATCH, UNSUPPORTED_TYPE, INVALID_ARGUMENT, RULE_SYNTAX, …; the full list is
 * `ErrorCode` in index.d.ts).
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

/** Longest error message kept whole; a longer one (it quotes a huge argument) is cut in the middle. */
const MAX_MESSAGE = 2_000;

function bounded(message) {
  if (typeof message !== 'string' || message.length <= MAX_MESSAGE) return message;
  const cut = message.length - MAX_MESSAGE;
  return `${message.slice(0, MAX_MESSAGE - 500)} … (${cut} characters cut) … ${message.slice(-500)}`;
}

/** Turn whatever the wasm layer threw into a SegmetryError (already-converted errors pass through). */
export function toSegmetryError(err) {
  if (err instanceof SegmetryError) return err;
  if (err && typeof err === 'object' && typeof err.code === 'string' && err.name === 'SegmetryError') {
    return new SegmetryError(err.code, bounded(err.message), err);
  }
  if (err instanceof WebAssembly.RuntimeError) {
    // runtime.js `call` replaces the trapped instance itself and says so; this is a trap seen elsewhere.
    return new SegmetryError('INTERNAL', `segmetry hit an internal error (${err.message}). Please report this.`);
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    // Thrown by the wasm-bindgen glue while converting arguments (a BigInt where a number belongs, a number
    // beyond the u32 range, …): the caller's argument was wrong.
    return new SegmetryError(
      'INVALID_ARGUMENT',
      `invalid argument: ${err.message}; check the argument types in the ` +
        'TypeScript declarations (dist/index.d.ts)',
    );
  }
  if (err instanceof Error) return new SegmetryError('INTERNAL', `${err.name}: ${err.message}`);
  return new SegmetryError('INTERNAL', String(err));
}
