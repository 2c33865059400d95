//! Record batches and dictionaries from checked IPC messages: arrays built over slices of the one input buffer
//! (zero-copy; arrow-data copies a buffer only when it is misaligned for its type), LZ4-frame buffers
//! decompressed, and every array fully validated as arrow-data validates it (offsets, UTF-8, dictionary keys, null
//! counts; [`super::checked`] makes the per-value checks of strings and dictionary keys faster) as arrow-ipc's
//! reader did.
//!
//! Only the types a dataset can hold reach this point: [`super::validate::Layout`] refuses the others before
//! any data is read, and has already checked every buffer range against the message body.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use arrow_array::builder::{GenericStringBuilder, StringViewBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{make_array, new_empty_array, Array, ArrayRef, OffsetSizeTrait, RecordBatch, RecordBatchOptions};
use arrow_buffer::Buffer;
use arrow_data::ArrayData;
use arrow_schema::{ArrowError, DataType, Field, Schema};

use super::meta::{Batch, IpcSchema, LZ4_FRAME};

/// Dictionaries by id, as the stream or file has defined them so far.
pub type Dictionaries = HashMap<i64, ArrayRef>;

/// Decode a record batch whose body is `body` under `schema`.
pub fn record_batch(
    body: &Buffer,
    batch: &Batch<'_>,
    schema: &IpcSchema,
    dictionaries: &Dictionaries,
) -> Result<RecordBatch, ArrowError> {
    let mut reader = Reader::new(body, batch)?;
    let fields = schema.schema.fields();
    let mut columns = Vec::with_capacity(fields.len());
    for (i, field) in fields.iter().enumerate() {
        let dictionary = schema.dictionary_ids.get(i).copied().flatten().and_then(|id| dictionaries.get(&id));
        columns.push(reader.array(field.data_type(), dictionary)?);
    }
    reader.finish()?;
    let options = RecordBatchOptions::new().with_row_count(Some(reader.rows));
    RecordBatch::try_new_with_options(schema.schema.clone(), columns, &options)
}

/// Decode a dictionary batch for the dictionary `id` of `schema` and add it to `dictionaries` (replacing the
/// previous values, or appending to them for a delta batch).
pub fn dictionary(
    body: &Buffer,
    id: i64,
    is_delta: bool,
    batch: &Batch<'_>,
    schema: &IpcSchema,
    dictionaries: &mut Dictionaries,
) -> Result<(), ArrowError> {
    let fields = schema.schema.fields().iter().zip(&schema.dictionary_ids);
    let Some(DataType::Dictionary(_, value_type)) =
        fields.filter(|(_, d)| **d == Some(id)).map(|(f, _)| f.data_type()).next()
    else {
        return Err(ArrowError::InvalidArgumentError(format!("dictionary id {id} not found in schema")));
    };
    let mut reader = Reader::new(body, batch)?;
    let values = reader.array(value_type, None)?;
    reader.finish()?;
    let one = Arc::new(Schema::new(vec![Field::new("", value_type.as_ref().clone(), true)]));
    let options = RecordBatchOptions::new().with_row_count(Some(reader.rows));
    let values = RecordBatch::try_new_with_options(one, vec![values], &options)?.column(0).clone();
    let values = match (is_delta, dictionaries.get(&id)) {
        (false, _) => values,
        (true, Some(existing)) => concat_text(existing, &values)?,
        (true, None) => {
            return Err(ArrowError::InvalidArgumentError(format!(
                "No existing dictionary for delta dictionary with id '{id}'"
            )))
        }
    };
    dictionaries.insert(id, values);
    Ok(())
}

/// A delta dictionary's values after the existing ones. Dictionary values are text (the layout refuses other
/// value types), so this is all the concatenation the reader needs.
fn concat_text(a: &ArrayRef, b: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    fn strings<O: OffsetSizeTrait>(a: &ArrayRef, b: &ArrayRef) -> ArrayRef {
        let (a, b) = (a.as_string::<O>(), b.as_string::<O>());
        let bytes = a.value_data().len() + b.value_data().len();
        let mut out = GenericStringBuilder::<O>::with_capacity(a.len() + b.len(), bytes);
        a.iter().chain(b.iter()).for_each(|v| out.append_option(v));
        Arc::new(out.finish())
    }
    match (a.data_type(), b.data_type()) {
        (DataType::Utf8, DataType::Utf8) => Ok(strings::<i32>(a, b)),
        (DataType::LargeUtf8, DataType::LargeUtf8) => Ok(strings::<i64>(a, b)),
        (DataType::Utf8View, DataType::Utf8View) => {
            let mut out = StringViewBuilder::with_capacity(a.len() + b.len());
            a.as_string_view().iter().chain(b.as_string_view().iter()).for_each(|v| out.append_option(v));
            Ok(Arc::new(out.finish()))
        }
        (x, y) => Err(ArrowError::InvalidArgumentError(format!("Failed to concat delta dictionary: {x} and {y}"))),
    }
}

/// Walks a batch's field nodes and buffers in schema order.
struct Reader<'a> {
    body: &'a Buffer,
    nodes: Box<dyn Iterator<Item = (i64, i64)> + 'a>,
    buffers: Vec<(i64, i64)>,
    next_buffer: usize,
    variadic: std::collections::VecDeque<i64>,
    lz4: bool,
    rows: usize,
}

fn damaged(message: impl Into<String>) -> ArrowError {
    ArrowError::IpcError(message.into())
}

fn size(value: i64, what: &str) -> Result<usize, ArrowError> {
    usize::try_from(value).map_err(|_| damaged(format!("{what} {value} does not fit in memory")))
}

impl<'a> Reader<'a> {
    fn new(body: &'a Buffer, batch: &Batch<'a>) -> Result<Self, ArrowError> {
        if batch.codec.is_some_and(|c| c != LZ4_FRAME) {
            return Err(ArrowError::NotYetImplemented("compression type ZSTD not supported".into()));
        }
        Ok(Reader {
            body,
            nodes: Box::new(batch.nodes()),
            buffers: batch.buffers().collect(),
            next_buffer: 0,
            variadic: batch.variadic_counts().collect(),
            lz4: batch.codec.is_some(),
            rows: size(batch.length, "row count")?,
        })
    }

    /// Leftover variadic counts mean the message and the schema disagree.
    fn finish(&self) -> Result<(), ArrowError> {
        if self.variadic.is_empty() {
            return Ok(());
        }
        Err(damaged(format!(
            "Mismatch between schema and data: the IPC message declares {} more variadic buffer count(s) than the \
             schema has BinaryView or Utf8View columns",
            self.variadic.len()
        )))
    }

    fn node(&mut self, data_type: &DataType) -> Result<(usize, usize), ArrowError> {
        let (length, nulls) = self
            .nodes
            .next()
            .ok_or_else(|| damaged(format!("Invalid data for schema. {data_type} refers to node not found")))?;
        Ok((size(length, "array length")?, size(nulls, "null count")?))
    }

    fn buffer(&mut self) -> Result<Buffer, ArrowError> {
        let (offset, length) =
            *self.buffers.get(self.next_buffer).ok_or_else(|| damaged("Buffer count mismatched with metadata"))?;
        self.next_buffer += 1;
        let (offset, length) = (size(offset, "buffer offset")?, size(length, "buffer length")?);
        if offset.checked_add(length).is_none_or(|end| end > self.body.len()) {
            return Err(damaged(format!("a buffer at {offset} of {length} bytes lies outside its message body")));
        }
        let data = self.body.slice_with_length(offset, length);
        if !self.lz4 || data.is_empty() {
            return Ok(data);
        }
        let prefix: [u8; 8] = data.get(..8).and_then(|p| p.try_into().ok()).ok_or_else(|| {
            damaged(format!("Compressed IPC buffer is too short: expected at least 8 bytes, got {}", data.len()))
        })?;
        match i64::from_le_bytes(prefix) {
            0 => Ok(Buffer::from_vec(Vec::<u8>::new())),
            -1 => Ok(data.slice(8)),
            n => decompress(&data[8..], size(n, "Invalid uncompressed length")?),
        }
    }

    /// The validity buffer and the array's nulls, as arrow-ipc passes them: only when there are nulls.
    fn nulls(validity: Buffer, null_count: usize) -> Option<Buffer> {
        (null_count > 0).then_some(validity)
    }

    fn array(&mut self, data_type: &DataType, dictionary: Option<&ArrayRef>) -> Result<ArrayRef, ArrowError> {
        let (len, null_count) = self.node(data_type)?;
        let validity = Self::nulls(self.buffer()?, null_count);
        let validity_bytes = validity.as_ref().map(Buffer::len);
        let builder = ArrayData::builder(data_type.clone())
            .len(len)
            .null_bit_buffer(validity)
            .null_count(null_count)
            .align_buffers(true);
        let builder = match data_type {
            DataType::Utf8 | DataType::LargeUtf8 => builder.add_buffer(self.buffer()?).add_buffer(self.buffer()?),
            DataType::Utf8View => {
                let count = self
                    .variadic
                    .pop_front()
                    .ok_or_else(|| damaged(format!("Missing variadic count for {data_type} column")))?;
                let remaining = self.buffers.len() - self.next_buffer;
                let count = usize::try_from(count).ok().filter(|c| c.checked_add(1).is_some_and(|n| n <= remaining));
                let count = count.ok_or_else(|| {
                    damaged(format!("Invalid variadic count for {data_type} column, with {remaining} buffer(s) left"))
                })?;
                let buffers = (0..=count).map(|_| self.buffer()).collect::<Result<Vec<_>, _>>()?;
                builder.buffers(buffers)
            }
            DataType::List(child) | DataType::LargeList(child) => {
                let offsets = self.buffer()?;
                let values = self.array(child.data_type(), None)?;
                builder.add_buffer(offsets).add_child_data(values.into_data())
            }
            DataType::Dictionary(_, value_type) => {
                let keys = self.buffer()?;
                // A dictionary batch may be left out when every value is null: its values are then empty.
                let values = dictionary.cloned().unwrap_or_else(|| new_empty_array(value_type));
                builder.add_buffer(keys).add_child_data(values.into_data())
            }
            t if t.is_primitive() || matches!(t, DataType::Boolean) => builder.add_buffer(self.buffer()?),
            t => return Err(ArrowError::NotYetImplemented(format!("reading {t} columns"))),
        };
        Ok(make_array(super::checked::build(builder, data_type, len, validity_bytes)?))
    }
}

/// One LZ4-frame buffer, which must expand to exactly `len` bytes (the caller has checked that `len` is
/// plausible for the compressed size and that memory for it exists).
fn decompress(input: &[u8], len: usize) -> Result<Buffer, ArrowError> {
    let mut output = Vec::new();
    output.try_reserve_exact(len).map_err(|e| ArrowError::MemoryError(e.to_string()))?;
    let mut decoder = lz4_flex::frame::FrameDecoder::new(input);
    decoder.by_ref().take(len as u64).read_to_end(&mut output).map_err(|e| damaged(format!("LZ4: {e}")))?;
    if output.len() != len {
        return Err(damaged(format!("Expected decompressed length of {len} got {}", output.len())));
    }
    // Probe without growing `output` to reject data exceeding the advertised size.
    if decoder.read(&mut [0]).map_err(|e| damaged(format!("LZ4: {e}")))? != 0 {
        return Err(damaged(format!("LZ4 decompressed buffer exceeds advertised size of {len}")));
    }
    Ok(Buffer::from_vec(output))
}
