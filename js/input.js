// Validation of what JS callers hand the package, before it reaches wasm.
import { SegmetryError } from './errors.js';

/** Bytes as a Uint8Array view, without copying; anything else is an INVALID_ARGUMENT naming `what`. */
export function asBytes(input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (isArrowTable(input)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `${what} is an Arrow Table object; segmetry takes its IPC bytes: pass tableToIPC(table) (apache-arrow and ` +
        '@uwdata/flechette both export tableToIPC), which copies nothing the wasm would not copy anyway',
      { subject: what },
    );
  }
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `${what} must be a Uint8Array or ArrayBuffer holding Arrow IPC bytes, got ${describe(input)}; ` +
      `with apache-arrow use tableToIPC(table), with fetch use new Uint8Array(await response.arrayBuffer())`,
    { subject: what },
  );
}

/** An apache-arrow or flechette Table (both have a schema with fields, and numRows). */
function isArrowTable(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray(value.schema?.fields) &&
    typeof value.numRows === 'number'
  );
}

/** A short description of a value for error messages. */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `a string of length ${value.length}`;
  return `${typeof value} ${String(value)}`;
}

/** Options must be a plain object (or omitted). */
export function asOptions(options, what) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new SegmetryError('INVALID_ARGUMENT', `${what} must be an options object, got ${describe(options)}`, {
      subject: what,
    });
  }
  return options;
}
