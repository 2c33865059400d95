// A minimal Arrow IPC stream writer for flat tables of utf8, float64 and bool columns (all nullable), so that
// reportToArrow needs no Arrow library. Format: https://arrow.apache.org/docs/format/Columnar.html#ipc-streaming-format
// The flatbuffers are laid out front to back (parent before children, so every offset points forward) with the
// alignment flatbuffers verifiers check (arrow-rs verifies; tests/js/report-export.test.mjs reads the output
// with both apache-arrow and segmetry's own loader).

const TYPE = { utf8: 5, float64: 3, bool: 6 }; // the Type union's ids in Schema.fbs
const V5 = 4; // MetadataVersion.V5
const encoder = new TextEncoder();

/** Bytes with little-endian writes, growing as needed. */
class Bytes {
  buf = new Uint8Array(256);
  len = 0;
  view = new DataView(this.buf.buffer);

  take(size) {
    if (this.len + size > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + size));
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.len;
    this.len += size;
    return at;
  }

  pad(align) {
    while (this.len % align !== 0) this.take(1);
  }

  bytes(data) {
    const at = this.take(data.length); // may replace this.buf
    this.buf.set(data, at);
  }

  /** Write `value` as `kind` (u8 | bool | i16 | u32 | i64) at the end; returns its position. */
  scalar(kind, value) {
    const size = SIZE[kind];
    this.pad(size);
    const at = this.take(size);
    if (kind === 'i64') this.view.setBigInt64(at, BigInt(value), true);
    else if (kind === 'u32') this.view.setUint32(at, value, true);
    else if (kind === 'i16') this.view.setInt16(at, value, true);
    else this.view.setUint8(at, Number(value));
    return at;
  }
}
const SIZE = { u8: 1, bool: 1, i16: 2, u32: 4, i64: 8 };

// Flatbuffer nodes: { table: [field, …] } with fields indexed by id (undefined = absent, [kind, value] = scalar,
// a node = offset to it), { string }, { tables: [node, …] }, { structs: Uint8Array } (8-byte aligned structs).
function writeNode(out, node) {
  if (node.table) return writeTable(out, node.table);
  if (node.string !== undefined) {
    const data = encoder.encode(node.string);
    const at = out.scalar('u32', data.length);
    out.bytes(data);
    out.take(1); // NUL terminator
    return at;
  }
  if (node.structs) {
    out.pad(8);
    out.take(4); // so that the elements after the u32 length are 8-byte aligned
    const at = out.scalar('u32', node.structs.length / 16);
    out.bytes(node.structs);
    return at;
  }
  const at = out.scalar('u32', node.tables.length);
  const slots = node.tables.map(() => out.scalar('u32', 0));
  node.tables.forEach((child, i) => link(out, slots[i], child));
  return at;
}

function writeTable(out, fields) {
  out.pad(2);
  const vtable = out.take(4 + 2 * fields.length);
  out.pad(8);
  const start = out.take(4); // soffset to the vtable
  const children = [];
  const slots = fields.map((field) => {
    if (field === undefined) return 0;
    const at = Array.isArray(field) ? out.scalar(field[0], field[1]) : out.scalar('u32', 0);
    if (!Array.isArray(field)) children.push([at, field]);
    return at - start;
  });
  out.view.setUint16(vtable, 4 + 2 * fields.length, true);
  out.view.setUint16(vtable + 2, out.len - start, true);
  slots.forEach((slot, i) => out.view.setUint16(vtable + 4 + 2 * i, slot, true));
  out.view.setInt32(start, start - vtable, true);
  for (const [at, child] of children) link(out, at, child);
  return start;
}

/** Write `child` and point the offset slot at `at` to it. */
function link(out, at, child) {
  const pos = writeNode(out, child); // first: writing may grow the buffer and replace out.view
  out.view.setUint32(at, pos - at, true);
}

/** One encapsulated message: continuation marker, metadata size, the Message flatbuffer, then the body. */
function message(stream, headerType, header, body) {
  const fb = new Bytes();
  const root = fb.take(4);
  const msg = { table: [['i16', V5], ['u8', headerType], header, ['i64', body.length]] };
  link(fb, root, msg);
  fb.pad(8);
  stream.scalar('u32', 0xffffffff);
  stream.scalar('u32', fb.len);
  stream.bytes(fb.buf.subarray(0, fb.len));
  stream.bytes(body);
}

/** Validity bitmap and the data buffers of one column. */
function columnBuffers(type, values) {
  const n = values.length;
  const validity = new Uint8Array(Math.ceil(n / 8));
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) validity[i >> 3] |= 1 << (i & 7);
  });
  if (type === 'float64') return [validity, new Uint8Array(Float64Array.from(values, (v) => v ?? 0).buffer)];
  if (type === 'bool') {
    const bits = new Uint8Array(Math.ceil(n / 8));
    values.forEach((v, i) => {
      if (v === true) bits[i >> 3] |= 1 << (i & 7);
    });
    return [validity, bits];
  }
  const encoded = values.map((v) => encoder.encode(v ?? ''));
  const offsets = new Int32Array(n + 1);
  encoded.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
  const data = new Uint8Array(offsets[n]);
  encoded.forEach((b, i) => data.set(b, offsets[i]));
  return [validity, new Uint8Array(offsets.buffer), data];
}

/**
 * An Arrow IPC stream (schema, one record batch, end marker) of `columns`: [{ name, type, values }] with type
 * 'utf8' | 'float64' | 'bool' and values of equal length (null/undefined = null).
 */
export function writeArrowStream(columns) {
  const rows = columns[0]?.values.length ?? 0;
  const stream = new Bytes();
  const field = ({ name, type }) => ({
    table: [
      { string: name },
      ['bool', 1],
      ['u8', TYPE[type]],
      { table: type === 'float64' ? [['i16', 2]] : [] },
      undefined,
      { tables: [] },
    ],
  });
  message(stream, 1, { table: [['i16', 0], { tables: columns.map(field) }] }, new Uint8Array(0));

  const body = new Bytes();
  const nodes = new DataView(new ArrayBuffer(16 * columns.length));
  const buffers = [];
  columns.forEach(({ type, values }, i) => {
    nodes.setBigInt64(16 * i, BigInt(rows), true);
    nodes.setBigInt64(16 * i + 8, BigInt(values.filter((v) => v === null || v === undefined).length), true);
    for (const data of columnBuffers(type, values)) {
      body.pad(8);
      buffers.push([body.len, data.length]);
      body.bytes(data);
    }
  });
  body.pad(8);
  const spans = new DataView(new ArrayBuffer(16 * buffers.length));
  buffers.forEach(([offset, length], i) => {
    spans.setBigInt64(16 * i, BigInt(offset), true);
    spans.setBigInt64(16 * i + 8, BigInt(length), true);
  });
  const batch = {
    table: [['i64', rows], { structs: new Uint8Array(nodes.buffer) }, { structs: new Uint8Array(spans.buffer) }],
  };
  message(stream, 3, batch, body.buf.subarray(0, body.len));
  stream.scalar('u32', 0xffffffff);
  stream.scalar('u32', 0);
  return stream.buf.slice(0, stream.len);
}
