// Validation of what JS callers hand the package, before it reaches wasm.
import { SegmetryError } from './errors.js';

/** How deeply arguments (options objects, arrays) may nest; deeper ones are refused before reaching wasm. */
export const MAX_DEPTH = 32;
/** Array elements and object keys read from one argument at most (a sparse array of length 2^32 − 1 …). */
const MAX_ITEMS = 1 << 24;

/** Objects marked with this symbol (the package's own classes, e.g. Dataset) pass through `plain` unchanged. */
export const PASS_THROUGH = Symbol('segmetry.passThrough');

/** Whether `buffer` (an ArrayBuffer or SharedArrayBuffer) was detached (transferred or resized away). */
export function isDetached(buffer) {
  if (typeof buffer?.detached === 'boolean') return buffer.detached;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

export function detachedError(what) {
  return new SegmetryError(
    'INVALID_ARGUMENT',
    `${what} is backed by a detached ArrayBuffer (it was transferred, e.g. to a worker); pass the bytes again or ` +
      'a copy (bytes.slice())',
    { subject: what },
  );
}

/** `String(value)` that never throws (a Symbol, an object whose toString throws, a revoked Proxy …). */
export function safeString(value) {
  try {
    return String(value);
  } catch {
    return 'an unprintable value';
  }
}

/**
 * A copy of `value` made of plain data only: arrays and own enumerable properties are copied, typed arrays,
 * ArrayBuffers, Blobs and the package's own objects pass through, primitives stay as they are. Getters and
 * Proxy traps run here, in JS, where their exceptions become INVALID_ARGUMENT naming `what` — never inside a
 * wasm call (where an exception would leave the dataset borrowed for good). Deeper than MAX_DEPTH levels or
 * more than MAX_ITEMS entries is INVALID_ARGUMENT too (the wasm side would recurse into it).
 */
export function plain(value, what) {
  let budget = MAX_ITEMS;
  const walk = (v, depth) => {
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) {
      if (isDetached(v.buffer)) throw detachedError(what);
      return v;
    }
    if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
      if (isDetached(v)) throw detachedError(what);
      return v;
    }
    if (
      (typeof Blob !== 'undefined' && v instanceof Blob) ||
      (typeof AbortSignal !== 'undefined' && v instanceof AbortSignal) ||
      v[PASS_THROUGH] === true
    ) {
      return v;
    }
    if (depth >= MAX_DEPTH) {
      throw new SegmetryError('INVALID_ARGUMENT', `${what} is nested deeper than ${MAX_DEPTH} levels`, {
        subject: what,
      });
    }
    const tooLarge = () =>
      new SegmetryError('INVALID_ARGUMENT', `${what} has more than ${MAX_ITEMS} entries in all`, { subject: what });
    if (Array.isArray(v)) {
      const n = v.length;
      budget -= n;
      if (budget < 0) throw tooLarge();
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = walk(v[i], depth + 1);
      return out;
    }
    const out = {};
    for (const key of Object.keys(v)) {
      if (--budget < 0) throw tooLarge();
      // defineProperty, not assignment: a key named "__proto__" stays a key.
      Object.defineProperty(out, key, { value: walk(v[key], depth + 1), enumerable: true, writable: true });
    }
    return out;
  };
  try {
    return walk(value, 0);
  } catch (err) {
    if (err instanceof SegmetryError) throw err;
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `${what} could not be read: reading it threw ${safeString(err?.message ?? err)}; pass plain data`,
      { subject: what },
    );
  }
}

/**
 * What kind of binary input `value` is: 'bytes' (a Uint8Array, an ArrayBuffer, a SharedArrayBuffer or another
 * view), 'detached', 'blob' or 'other'. Never throws (a revoked Proxy answers 'other').
 */
export function bytesKind(value) {
  try {
    const isBuffer =
      value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer);
    if (isBuffer || ArrayBuffer.isView(value))
      return isDetached(isBuffer ? value : value.buffer) ? 'detached' : 'bytes';
    if (typeof Blob !== 'undefined' && value instanceof Blob) return 'blob';
  } catch {
    /* a revoked Proxy, a throwing getPrototypeOf trap */
  }
  return 'other';
}

/** Bytes (see `bytesKind`) as a Uint8Array view, without copying. */
export function byteView(value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(value);
}

/** Bytes as a Uint8Array view, without copying; anything else is an INVALID_ARGUMENT naming `what`. */
export function asBytes(input, what) {
  const kind = bytesKind(input);
  if (kind === 'detached') throw detachedError(what);
  if (kind === 'bytes') return byteView(input);
  if (isArrowTable(input)) throw tableError(what);
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `${what} must be a Uint8Array or ArrayBuffer holding Arrow IPC bytes, got ${describe(input)}; ` +
      `with apache-arrow use tableToIPC(table), with fetch use new Uint8Array(await response.arrayBuffer())`,
    { subject: what },
  );
}

/** The error for an Arrow Table passed without `{ tableToIPC }`: says both ways to pass it. */
export function tableError(what) {
  return new SegmetryError(
    'INVALID_ARGUMENT',
    `${what} is an Arrow Table object; segmetry takes its IPC bytes: pass tableToIPC(table), or the table with ` +
      '{ tableToIPC } in the options (apache-arrow and @uwdata/flechette both export tableToIPC)',
    { subject: what },
  );
}

/**
 * `input`, or its Arrow IPC bytes when it is an apache-arrow / flechette Table and the caller passed that
 * library's `tableToIPC` (segmetry bundles neither library, so it cannot serialize a Table itself).
 */
export function fromTable(input, tableToIPC) {
  if (tableToIPC === undefined || !isArrowTable(input)) return input;
  if (typeof tableToIPC !== 'function') {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `tableToIPC must be the tableToIPC function of apache-arrow or @uwdata/flechette, got ${describe(tableToIPC)}`,
      { subject: 'tableToIPC' },
    );
  }
  return tableToIPC(input);
}

/** An apache-arrow or flechette Table (both have a schema with fields, and numRows). Never throws. */
export function isArrowTable(value) {
  try {
    return (
      value !== null &&
      typeof value === 'object' &&
      Array.isArray(value.schema?.fields) &&
      typeof value.numRows === 'number'
    );
  } catch {
    return false;
  }
}

/** A short description of a value for error messages (never throws, whatever the value). */
export function describe(value) {
  try {
    if (value === null) return 'null';
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (typeof value === 'object') return `an object (${safeString(value.constructor?.name ?? 'Object')})`;
    if (typeof value === 'string') return `a string of length ${value.length}`;
    if (typeof value === 'function') return 'a function';
    return `${typeof value} ${safeString(value).slice(0, 40)}`;
  } catch {
    return `a ${typeof value} that cannot be inspected`;
  }
}

/** Options must be an object (or omitted); returns a plain copy (see `plain`). */
export function asOptions(options, what) {
  if (options === undefined || options === null) return {};
  let isArray;
  try {
    isArray = Array.isArray(options); // throws for a revoked Proxy
  } catch {
    isArray = true;
  }
  if (typeof options !== 'object' || isArray) {
    throw new SegmetryError('INVALID_ARGUMENT', `${what} must be an options object, got ${describe(options)}`, {
      subject: what,
    });
  }
  return plain(options, what);
}
