//! Bounds checks on IPC message metadata before any data is decoded.
//!
//! Decoding trusts buffer offsets, buffer lengths and declared decompressed sizes; hostile ones would panic (or
//! abort on allocation), and in wasm a panic kills the instance. Walking the framing and checking every declared
//! range against the schema's buffer layout and the bytes actually present turns those cases into
//! `INVALID_ARROW` errors. The walk reads metadata only, never column data, so it costs microseconds.

use std::collections::HashMap;

use arrow_schema::DataType;

use super::meta::{self, IpcSchema, Kind, Message, LZ4_FRAME};
use crate::error::{Error, ErrorCode, Result};

/// LZ4 frames cannot expand by more than ~255×; a larger declared size is a lie that would exhaust memory.
const MAX_EXPANSION: u64 = 256;

/// What one IPC buffer holds, as far as its length must be a whole number of elements.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Buf {
    /// Validity or boolean bits: any length.
    Bits,
    /// Fixed-width elements of this many bytes (values, offsets, dictionary keys, string views).
    Fixed(usize),
    /// Raw bytes (string data).
    Bytes,
    /// A string-view column's variable number of data buffers.
    ViewData,
}

/// The expected buffer layout of record batches and dictionary batches under one schema.
#[derive(Debug, Default)]
pub struct Layout {
    record: Vec<Buf>,
    dictionaries: HashMap<i64, Vec<Buf>>,
}

impl Layout {
    /// Layout of `schema`. Fails with `UNSUPPORTED_TYPE` for types segmetry does not read, before any of their
    /// data is decoded.
    pub fn new(schema: &IpcSchema) -> Result<Self> {
        let (ids, schema) = (&schema.dictionary_ids, &schema.schema);
        super::check_supported(schema)?;
        let mut layout = Layout::default();
        for (i, field) in schema.fields().iter().enumerate() {
            match field.data_type() {
                DataType::Dictionary(key, value) => {
                    layout.record.extend(buffers(key));
                    if let Some(Some(id)) = ids.get(i) {
                        layout.dictionaries.insert(*id, buffers(value));
                    }
                }
                other => layout.record.extend(buffers(other)),
            }
        }
        Ok(layout)
    }
}

fn buffers(data_type: &DataType) -> Vec<Buf> {
    match data_type {
        DataType::Boolean => vec![Buf::Bits, Buf::Bits],
        DataType::Utf8 => vec![Buf::Bits, Buf::Fixed(4), Buf::Bytes],
        DataType::LargeUtf8 => vec![Buf::Bits, Buf::Fixed(8), Buf::Bytes],
        DataType::Utf8View => vec![Buf::Bits, Buf::Fixed(16), Buf::ViewData],
        // Validity and offsets, then the child's buffers (IPC lays nested buffers out depth-first).
        DataType::List(child) => [vec![Buf::Bits, Buf::Fixed(4)], buffers(child.data_type())].concat(),
        DataType::LargeList(child) => [vec![Buf::Bits, Buf::Fixed(8)], buffers(child.data_type())].concat(),
        other => vec![Buf::Bits, Buf::Fixed(other.primitive_width().unwrap_or(1))],
    }
}

/// What checking a message found: where its metadata lies and the next message starts, the schema and its
/// layout if it was a schema, and how many bytes decompressing its buffers will allocate.
#[derive(Debug, Default)]
pub struct Checked {
    /// Where the message's flatbuffer metadata lies (empty for an end-of-stream marker); its body follows it.
    pub meta: std::ops::Range<usize>,
    /// Offset just past the message.
    pub next: usize,
    /// The schema, for a schema message.
    pub schema: Option<IpcSchema>,
    /// Its layout, for a schema message.
    pub layout: Option<Layout>,
    /// Bytes its LZ4 buffers expand to.
    pub decompressed: u64,
}

/// Walk a stream (several concatenated streams allowed): find each schema, then check every message under it.
/// Returns the messages in order (a schema message carries its schema) and the bytes decompression will
/// allocate.
pub fn check_stream(bytes: &[u8]) -> Result<(Vec<Checked>, u64)> {
    let mut pos = 0;
    let mut layout: Option<Layout> = None;
    let mut decompressed = 0u64;
    let mut messages = Vec::new();
    while pos < bytes.len() {
        if bytes[pos..].iter().all(|&b| b == 0) {
            break; // end-of-stream padding
        }
        let mut checked = check_message(bytes, pos, layout.as_ref())?;
        if let Some(found) = checked.layout.take() {
            layout = Some(found);
        }
        decompressed = decompressed.saturating_add(checked.decompressed);
        let next = checked.next;
        messages.push(checked);
        if next == pos {
            break;
        }
        pos = next;
    }
    Ok((messages, decompressed))
}

/// Check one framed message (continuation marker, metadata length, metadata, body) starting at `pos`.
pub fn check_message(bytes: &[u8], pos: usize, layout: Option<&Layout>) -> Result<Checked> {
    let damaged = |reason: String| invalid(format!("the Arrow data is damaged at byte {pos}: {reason}"));
    let truncated = |reason: &str| {
        invalid(format!(
            "the Arrow data is truncated: {reason} (message at byte {pos}); make sure the whole file or buffer was passed"
        ))
    };
    let word = |at: usize| bytes.get(at..at.checked_add(4)?).map(|w| i32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    let (meta_len, meta_start) = match word(pos) {
        None => return Err(truncated("the input ends inside a message header")),
        Some(-1) => match word(pos + 4) {
            Some(len) => (len, pos + 8),
            None => return Err(truncated("the input ends inside a message header")),
        },
        Some(len) => (len, pos + 4),
    };
    if meta_len == 0 {
        return Ok(Checked { meta: meta_start..meta_start, next: meta_start, ..Checked::default() });
        // end of stream
    }
    let meta_len = usize::try_from(meta_len).map_err(|_| damaged(format!("negative metadata length {meta_len}")))?;
    let meta_end = meta_start
        .checked_add(meta_len)
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| truncated("a message's metadata runs past the end of the input"))?;
    // Writers pad metadata so bodies start on 8-byte boundaries; decoding assumes it and panics otherwise.
    if meta_end % 8 != 0 {
        return Err(damaged(format!("a message body starts at byte {meta_end}, not on an 8-byte boundary")));
    }
    let message =
        Message::read(&bytes[meta_start..meta_end]).map_err(|e| damaged(format!("invalid message metadata: {e}")))?;
    let body_len = u64::try_from(message.body_length)
        .map_err(|_| damaged(format!("negative body length {}", message.body_length)))?;
    let body_end = (meta_end as u64)
        .checked_add(body_len)
        .filter(|&end| end <= bytes.len() as u64)
        .ok_or_else(|| truncated("a message's body runs past the end of the input"))? as usize;

    let meta = meta_start..meta_end;
    let (batch, expected) = match message.kind {
        Kind::Schema => {
            let fb = message.schema().map_err(damaged)?;
            let schema = meta::schema(fb).map_err(damaged)?;
            let layout = Layout::new(&schema)?;
            return Ok(Checked { meta, next: body_end, schema: Some(schema), layout: Some(layout), decompressed: 0 });
        }
        Kind::Record => (Some(message.record_batch().map_err(damaged)?), layout.map(|l| l.record.as_slice())),
        Kind::Dictionary => {
            let (id, _, data) = message.dictionary_batch().map_err(damaged)?;
            (Some(data), layout.and_then(|l| l.dictionaries.get(&id)).map(Vec::as_slice))
        }
        _ => (None, None),
    };
    let Some(batch) = batch else {
        return Ok(Checked { meta, next: body_end, ..Checked::default() });
    };
    let Some(expected) = expected else {
        return Err(damaged("a data message refers to no known schema or dictionary".into()));
    };
    if batch.length < 0 {
        return Err(damaged(format!("negative row count {}", batch.length)));
    }
    for (length, null_count) in batch.nodes() {
        if length < 0 || null_count < 0 || null_count > length {
            return Err(damaged("a column declares a negative length or more nulls than rows".into()));
        }
    }
    let compressed = batch.codec;
    if compressed.is_some_and(|codec| codec != LZ4_FRAME) {
        return Err(Error::new(
            ErrorCode::UnsupportedType,
            "the Arrow data is compressed with ZSTD, which segmetry cannot read; write it uncompressed or with LZ4",
        ));
    }
    let mut decompressed = 0u64;
    let mut variadic = batch.variadic_counts();
    let mut kinds = expected.iter().copied().flat_map(|kind| {
        let repeat = if kind == Buf::ViewData { variadic.next().unwrap_or(0).max(0) as usize } else { 1 };
        std::iter::repeat_n(if kind == Buf::ViewData { Buf::Bytes } else { kind }, repeat)
    });
    for (offset, length) in batch.buffers() {
        let kind = kinds.next().ok_or_else(|| damaged("more buffers than the schema has room for".into()))?;
        let (Ok(offset), Ok(length)) = (u64::try_from(offset), u64::try_from(length)) else {
            return Err(damaged("a buffer declares a negative offset or length".into()));
        };
        if offset % 8 != 0 {
            return Err(damaged(format!("a buffer starts at body offset {offset}, not on an 8-byte boundary")));
        }
        if offset.checked_add(length).is_none_or(|end| end > body_len) {
            return Err(damaged(format!(
                "a buffer at offset {offset} of length {length} lies outside its {body_len}-byte message body"
            )));
        }
        if compressed.is_some() && length > 0 {
            let start = meta_end + offset as usize;
            let prefix = bytes.get(start..start + 8).filter(|_| length >= 8);
            let declared = prefix.map(|p| i64::from_le_bytes([p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]]));
            match declared {
                None => return Err(damaged("a compressed buffer is shorter than its 8-byte length prefix".into())),
                Some(-1) => check_width(kind, length - 8).map_err(damaged)?,
                Some(n) if n < 0 || n as u64 > length.saturating_mul(MAX_EXPANSION) + 1024 => {
                    return Err(damaged(format!(
                        "a compressed buffer of {length} bytes claims to expand to {n} bytes"
                    )));
                }
                Some(n) => {
                    check_width(kind, n as u64).map_err(damaged)?;
                    decompressed = decompressed.saturating_add(n as u64);
                }
            }
        } else {
            check_width(kind, length).map_err(damaged)?;
        }
    }
    Ok(Checked { meta, next: body_end, schema: None, layout: None, decompressed })
}

/// arrow-data reinterprets whole buffers as typed slices and panics on a partial element.
fn check_width(kind: Buf, length: u64) -> std::result::Result<(), String> {
    match kind {
        Buf::Fixed(width) if !length.is_multiple_of(width as u64) => {
            Err(format!("a buffer of {width}-byte values has {length} bytes, not a whole number of values"))
        }
        _ => Ok(()),
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidArrow, message)
}
