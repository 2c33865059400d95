//! Decoding Arrow IPC bytes (stream or file format, auto-detected) into record batches, zero-copy where the
//! input buffers are aligned.

use arrow_array::RecordBatch;
use arrow_buffer::Buffer;
use arrow_ipc::convert::try_fb_to_schema;
use arrow_ipc::reader::{read_footer_length, FileDecoder, StreamDecoder};
use arrow_ipc::root_as_footer;
use arrow_schema::{ArrowError, SchemaRef};

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
    let decompressed = validate::check_stream(&bytes)?;
    memory::ensure_headroom(decompressed)?;
    let mut buffer = Buffer::from_vec(bytes);
    let mut schema: Option<SchemaRef> = None;
    let mut batches = Vec::new();
    // Concatenated streams (several `tableToIPC` outputs back to back) are accepted when their schemas agree.
    while !buffer.is_empty() {
        if buffer.iter().all(|&b| b == 0) {
            break; // trailing padding
        }
        let mut decoder = StreamDecoder::new();
        loop {
            let offset = total - buffer.len();
            crate::cancel::checkpoint(crate::cancel::Phase::Decode, offset as u64, total as u64)?;
            match decoder.decode(&mut buffer) {
                Ok(Some(batch)) => batches.push(batch),
                Ok(None) => {
                    decoder.finish().map_err(|_| {
                        Message::new("arrow_stream_truncated", [total.to_string()]).into_error(ErrorCode::InvalidArrow)
                    })?;
                    break;
                }
                Err(ArrowError::IpcError(msg)) if msg == "Unexpected EOS" => break,
                Err(err) => return Err(from_arrow(err, offset)),
            }
        }
        match (&schema, decoder.schema()) {
            (None, Some(found)) => schema = Some(found),
            (Some(first), Some(found)) if first.fields() != found.fields() => {
                return Err(invalid("the input holds several concatenated Arrow streams with different schemas"));
            }
            _ => {}
        }
    }
    let schema =
        schema.ok_or_else(|| invalid("the Arrow stream has no schema message; it is not a complete stream"))?;
    Ok(Decoded { schema, batches })
}

fn decode_file(bytes: Vec<u8>) -> Result<Decoded> {
    let total = bytes.len();
    let truncated = || Message::new("arrow_file_truncated", [total.to_string()]).into_error(ErrorCode::InvalidArrow);
    if total < 18 || !bytes.ends_with(FILE_MAGIC) {
        return Err(truncated());
    }
    let buffer = Buffer::from_vec(bytes);
    let trailer_start = total - 10;
    let mut trailer = [0u8; 10];
    trailer.copy_from_slice(&buffer[trailer_start..]);
    let footer_len = read_footer_length(trailer).map_err(|_| truncated())?;
    if footer_len > trailer_start {
        return Err(truncated());
    }
    let footer = root_as_footer(&buffer[trailer_start - footer_len..trailer_start]).map_err(|_| truncated())?;
    let fb_schema = footer.schema().ok_or_else(truncated)?;
    let schema = SchemaRef::new(try_fb_to_schema(fb_schema).map_err(|e| from_arrow(e, trailer_start - footer_len))?);
    let layout = validate::Layout::new(&schema, fb_schema)?;
    let mut decoder = FileDecoder::new(schema.clone(), footer.version());

    // Check every block against the footer and the layout, and the memory decompression needs, before decoding.
    let block_data = |block: &arrow_ipc::Block| -> Result<(Buffer, u64)> {
        let (offset, meta, body) = (block.offset(), block.metaDataLength(), block.bodyLength());
        let (Ok(offset), Ok(meta), Ok(body)) = (usize::try_from(offset), usize::try_from(meta), usize::try_from(body))
        else {
            return Err(truncated());
        };
        let end = offset.checked_add(meta).and_then(|e| e.checked_add(body)).ok_or_else(truncated)?;
        if end > trailer_start {
            return Err(truncated());
        }
        let checked = validate::check_message(&buffer[..trailer_start], offset, Some(&layout))?;
        if checked.next != end {
            return Err(invalid(format!("the Arrow file's footer disagrees with the message at byte {offset}")));
        }
        Ok((buffer.slice_with_length(offset, meta + body), checked.decompressed))
    };
    let dictionaries: Vec<_> =
        footer.dictionaries().iter().flatten().map(|b| Ok((*b, block_data(b)?))).collect::<Result<_>>()?;
    let records: Vec<_> =
        footer.recordBatches().iter().flatten().map(|b| Ok((*b, block_data(b)?))).collect::<Result<_>>()?;
    let decompressed = dictionaries.iter().chain(&records).fold(0u64, |sum, (_, (_, d))| sum.saturating_add(*d));
    memory::ensure_headroom(decompressed)?;

    for (block, (data, _)) in &dictionaries {
        decoder.read_dictionary(block, data).map_err(|e| from_arrow(e, block.offset() as usize))?;
    }
    let mut batches = Vec::with_capacity(records.len());
    for (block, (data, _)) in &records {
        crate::cancel::checkpoint(crate::cancel::Phase::Decode, block.offset() as u64, total as u64)?;
        if let Some(batch) =
            decoder.read_record_batch(block, data).map_err(|e| from_arrow(e, block.offset() as usize))?
        {
            batches.push(batch);
        }
    }
    Ok(Decoded { schema, batches })
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
