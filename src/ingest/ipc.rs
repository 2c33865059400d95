//! Decoding Arrow IPC bytes (stream or file format, auto-detected) into record batches, zero-copy where the
//! input buffers are aligned.

use arrow_array::RecordBatch;
use arrow_buffer::Buffer;
use arrow_schema::{ArrowError, SchemaRef};

use super::decode::{self, Dictionaries};
use super::meta::{self, IpcSchema, Kind};
use super::{memory, validate};
use crate::error::{Error, ErrorCode, Result};
use crate::messages::Message;

const FILE_MAGIC: &[u8; 6] = b"ARROW1";

/// Schema and batches decoded from one IPC payload.
#[derive(Debug)]
pub struct Decoded {
    /// The payload's schema.
    pub schema: SchemaRef,
    /// Its record batches, in order.
    pub batches: Vec<RecordBatch>,
}

/// Which of the two IPC formats a payload uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpcFormat {
    /// The streaming format (`.arrows`, `tableToIPC(t, 'stream')`).
    Stream,
    /// The random-access file format (`.arrow`, Feather v2).
    File,
}

/// Tell the format from the first bytes, or explain why these are not Arrow IPC bytes.
pub fn detect_format(bytes: &[u8]) -> Result<IpcFormat> {
    if bytes.is_empty() {
        return Err(invalid("the input is empty (0 bytes); pass the bytes of an Arrow IPC stream or file"));
    }
    if bytes.starts_with(FILE_MAGIC) {
        return Ok(IpcFormat::File);
    }
    // A stream starts with a continuation marker (0xFFFFFFFF) or, before Arrow 0.15, directly with the metadata
    // length; for that legacy form, a length that does not fit in the input means these are not IPC bytes.
    let word = |at: usize| bytes.get(at..at + 4).map(|w| i32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    let plausible = |len: Option<i32>, header: usize| {
        len.is_some_and(|len| len >= 0 && (len as usize) <= bytes.len().saturating_sub(header))
    };
    if word(0) == Some(-1) || (plausible(word(0), 4) && word(0) > Some(0)) {
        return Ok(IpcFormat::Stream);
    }
    Err(Message::new("not_arrow_ipc", [bytes.len().to_string(), hex_prefix(bytes)]).into_error(ErrorCode::InvalidArrow))
}

/// Decode a whole IPC payload (format auto-detected). Takes ownership so aligned buffers are used in place.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    match detect_format(&bytes)? {
        IpcFormat::Stream => decode_stream(bytes),
        IpcFormat::File => decode_file(bytes),
    }
}

fn decode_stream(bytes: Vec<u8>) -> Result<Decoded> {
    let total = bytes.len();
    let (messages, decompressed) = validate::check_stream(&bytes)?;
    memory::ensure_headroom(decompressed)?;
    let input = Buffer::from_vec(bytes);
    // Concatenated streams (several `tableToIPC` outputs back to back) are accepted when their schemas agree; each
    // starts afresh (schema, dictionaries) after the previous one's end-of-stream marker.
    let mut first: Option<SchemaRef> = None;
    let mut stream = Stream::default();
    let mut batches = Vec::new();
    let mut pos = 0;
    for checked in messages {
        crate::cancel::checkpoint(crate::cancel::Phase::Decode, pos as u64, total as u64)?;
        if checked.meta.is_empty() {
            stream.end(&mut first)?; // end-of-stream marker
        } else {
            stream.open = true;
            if let Some(batch) = stream.message(&input, &checked).map_err(|e| from_arrow(e, pos))? {
                batches.push(batch);
            }
        }
        pos = checked.next;
    }
    // The walk stops at trailing zeros; inside an open stream, fewer than 4 of them cut a message header short.
    if stream.open && total - pos < 4 && pos < total {
        return Err(Message::new("arrow_stream_truncated", [total.to_string()]).into_error(ErrorCode::InvalidArrow));
    }
    stream.end(&mut first)?;
    let schema = first.ok_or_else(|| invalid("the Arrow stream has no schema message; it is not a complete stream"))?;
    Ok(Decoded { schema, batches })
}

/// The state of one stream of a (possibly concatenated) stream payload.
#[derive(Default)]
struct Stream {
    schema: Option<IpcSchema>,
    dictionaries: Dictionaries,
    /// Whether a message was read since the last end-of-stream marker.
    open: bool,
}

impl Stream {
    /// Decode one checked message: a schema starts the stream, dictionaries update it, record batches come out.
    fn message(
        &mut self,
        input: &Buffer,
        checked: &validate::Checked,
    ) -> std::result::Result<Option<RecordBatch>, ArrowError> {
        let message = meta::Message::read(&input[checked.meta.clone()]).map_err(ArrowError::IpcError)?;
        let body = input.slice_with_length(checked.meta.end, checked.next - checked.meta.end);
        let missing = || ArrowError::IpcError("Missing schema".into());
        match message.kind {
            Kind::Schema if self.schema.is_some() => {
                Err(ArrowError::IpcError("Not expecting a schema when messages are read".into()))
            }
            Kind::Schema => {
                self.schema = checked.schema.clone();
                Ok(None)
            }
            Kind::Record => {
                let schema = self.schema.as_ref().ok_or_else(missing)?;
                let batch = message.record_batch().map_err(ArrowError::IpcError)?;
                decode::record_batch(&body, &batch, schema, &self.dictionaries).map(Some)
            }
            Kind::Dictionary => {
                let schema = self.schema.as_ref().ok_or_else(missing)?;
                let (id, delta, batch) = message.dictionary_batch().map_err(ArrowError::IpcError)?;
                decode::dictionary(&body, id, delta, &batch, schema, &mut self.dictionaries).map(|_| None)
            }
            Kind::None => Ok(None),
            Kind::Other(t) => Err(ArrowError::IpcError(format!("Message type unsupported by StreamDecoder: {t}"))),
        }
    }

    /// End the stream: its schema must agree with the first stream's.
    fn end(&mut self, first: &mut Option<SchemaRef>) -> Result<()> {
        let ended = std::mem::take(self);
        match (first.as_ref(), ended.schema) {
            (None, Some(found)) => *first = Some(found.schema),
            (Some(first), Some(found)) if first.fields() != found.schema.fields() => {
                return Err(invalid("the input holds several concatenated Arrow streams with different schemas"));
            }
            _ => {}
        }
        Ok(())
    }
}

fn decode_file(bytes: Vec<u8>) -> Result<Decoded> {
    let total = bytes.len();
    let truncated = || Message::new("arrow_file_truncated", [total.to_string()]).into_error(ErrorCode::InvalidArrow);
    if total < 18 || !bytes.ends_with(FILE_MAGIC) {
        return Err(truncated());
    }
    let trailer_start = total - 10;
    let footer_len =
        bytes.get(trailer_start..trailer_start + 4).and_then(|w| w.try_into().ok()).map(i32::from_le_bytes);
    let footer_len = footer_len.and_then(|len| usize::try_from(len).ok()).filter(|&len| len <= trailer_start);
    let footer_start = trailer_start - footer_len.ok_or_else(truncated)?;
    let footer = meta::Footer::read(&bytes[footer_start..trailer_start]).map_err(|_| truncated())?;
    let schema = meta::schema(footer.schema).map_err(|e| from_arrow(ArrowError::ParseError(e), footer_start))?;
    let layout = validate::Layout::new(&schema)?;

    // Check every block against the footer and the layout, and the memory decompression needs, before decoding.
    let check = |block: &meta::Block| -> Result<(usize, validate::Checked)> {
        let (offset, meta, body) = (block.offset, block.meta_length, block.body_length);
        let (Ok(offset), Ok(meta), Ok(body)) = (usize::try_from(offset), usize::try_from(meta), usize::try_from(body))
        else {
            return Err(truncated());
        };
        let end = offset.checked_add(meta).and_then(|e| e.checked_add(body)).ok_or_else(truncated)?;
        if end > trailer_start {
            return Err(truncated());
        }
        let checked = validate::check_message(&bytes[..trailer_start], offset, Some(&layout))?;
        if checked.next != end {
            return Err(invalid(format!("the Arrow file's footer disagrees with the message at byte {offset}")));
        }
        Ok((offset, checked))
    };
    let (dictionary_blocks, record_blocks) = footer.blocks();
    let dictionaries: Vec<_> = dictionary_blocks.iter().map(check).collect::<Result<_>>()?;
    let records: Vec<_> = record_blocks.iter().map(check).collect::<Result<_>>()?;
    let decompressed = dictionaries.iter().chain(&records).fold(0u64, |sum, (_, c)| sum.saturating_add(c.decompressed));
    memory::ensure_headroom(decompressed)?;
    let version = footer.version;

    let input = Buffer::from_vec(bytes);
    let read = |checked: &validate::Checked| -> std::result::Result<(meta::Message<'_>, Buffer), ArrowError> {
        let message = meta::Message::read(&input[checked.meta.clone()]).map_err(ArrowError::IpcError)?;
        // Some old files leave the footer's version unset (V1).
        if version != 0 && message.version != version {
            return Err(ArrowError::IpcError("Could not read IPC message as metadata versions mismatch".into()));
        }
        Ok((message, input.slice_with_length(checked.meta.end, checked.next - checked.meta.end)))
    };
    let mut dictionary_values = Dictionaries::new();
    for (offset, checked) in &dictionaries {
        let decoded = read(checked).and_then(|(message, body)| match message.kind {
            Kind::Dictionary => {
                let (id, delta, batch) = message.dictionary_batch().map_err(ArrowError::IpcError)?;
                decode::dictionary(&body, id, delta, &batch, &schema, &mut dictionary_values)
            }
            t => Err(ArrowError::ParseError(format!("Expecting DictionaryBatch in dictionary blocks, found {t:?}."))),
        });
        decoded.map_err(|e| from_arrow(e, *offset))?;
    }
    let mut batches = Vec::with_capacity(records.len());
    for (offset, checked) in &records {
        crate::cancel::checkpoint(crate::cancel::Phase::Decode, *offset as u64, total as u64)?;
        let decoded = read(checked).and_then(|(message, body)| match message.kind {
            Kind::Record => {
                let batch = message.record_batch().map_err(ArrowError::IpcError)?;
                decode::record_batch(&body, &batch, &schema, &dictionary_values).map(Some)
            }
            Kind::None => Ok(None),
            Kind::Schema => Err(ArrowError::IpcError("Not expecting a schema when messages are read".into())),
            t => Err(ArrowError::InvalidArgumentError(format!(
                "Reading types other than record batches not yet supported, unable to read {t:?}"
            ))),
        });
        if let Some(batch) = decoded.map_err(|e| from_arrow(e, *offset))? {
            batches.push(batch);
        }
    }
    Ok(Decoded { schema: schema.schema, batches })
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArrow, message)
}

fn from_arrow(err: ArrowError, offset: usize) -> Error {
    match err {
        ArrowError::MemoryError(msg) => Error::new(
            ErrorCode::OutOfMemory,
            format!("not enough memory to decode the Arrow data at byte {offset}: {msg}; load fewer rows or columns"),
        ),
        ArrowError::NotYetImplemented(msg) => Error::new(
            ErrorCode::UnsupportedType,
            format!("the Arrow data at byte {offset} uses a feature segmetry cannot read: {msg}"),
        ),
        other => invalid(format!("the Arrow data is damaged near byte {offset}: {other}")),
    }
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}
