//! Parquet → Arrow IPC.
//!
//! The file is checked before the parquet crate parses it: magic bytes at both ends, a footer length inside
//! the file, every column chunk's byte range inside the file, and a bound on the decoded size. Columns whose
//! types segmetry cannot analyse (lists, structs, maps, binary, time of day, intervals, …) are an
//! `UNSUPPORTED_TYPE` error naming them, unless `skip_unsupported` is set, in which case they are not even
//! decoded (projection) and the result lists them in `skipped`.

use std::sync::Arc;

use arrow_array::{new_null_array, Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;
use parquet::schema::types::SchemaDescriptor;

use crate::error::{ErrorCode, FormatError};
use crate::messages::Message;
use crate::{type_name, Conversion, IpcSink, Progress, Warning, PANDAS_INDEX};

/// Decoded data larger than this cannot fit next to its Arrow IPC copy in a 4 GiB wasm memory.
const MAX_UNCOMPRESSED: i64 = 1_500_000_000;

#[derive(Debug, Clone)]
pub struct ParquetOptions {
    /// Leave out columns of unsupported types (reported in `skipped` and `warnings`) instead of failing.
    pub skip_unsupported: bool,
    /// Rows per record batch.
    pub batch_size: usize,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        ParquetOptions { skip_unsupported: false, batch_size: 65_536 }
    }
}

/// What a column becomes in the output: kept, cast to a type the core reads, or unsupported.
enum Plan {
    Keep,
    Cast(DataType),
    Unsupported,
}

fn plan(dt: &DataType) -> Plan {
    use DataType::*;
    match dt {
        Boolean
        | Int8
        | Int16
        | Int32
        | Int64
        | UInt8
        | UInt16
        | UInt32
        | UInt64
        | Float32
        | Float64
        | Utf8
        | LargeUtf8
        | Utf8View
        | Date32
        | Date64
        | Timestamp(_, _)
        | Decimal128(_, _) => Plan::Keep,
        Dictionary(key, value) if key.is_integer() && matches!(value.as_ref(), Utf8) => Plan::Keep,
        Float16 => Plan::Cast(Float32),
        Decimal32(p, s) | Decimal64(p, s) => Plan::Cast(Decimal128(*p, *s)),
        Null => Plan::Cast(Utf8),
        _ => Plan::Unsupported,
    }
}

fn invalid(message: impl std::fmt::Display) -> FormatError {
    FormatError::parquet(Message::new("parquet_damaged", [message.to_string()]))
}

/// Check the framing before the parquet crate sees the bytes.
fn check_framing(bytes: &[u8]) -> Result<(), FormatError> {
    let n = bytes.len();
    if n < 12 {
        return Err(FormatError::parquet(Message::new("parquet_too_short", [n.to_string()])));
    }
    let head = &bytes[..4];
    let tail = &bytes[n - 4..];
    if head == b"PARE" || tail == b"PARE" {
        return Err(FormatError::new(ErrorCode::UnsupportedType, Message::plain("parquet_encrypted")));
    }
    if head != b"PAR1" {
        return Err(FormatError::parquet(Message::plain("parquet_no_magic")));
    }
    if tail != b"PAR1" {
        return Err(FormatError::parquet(Message::new("parquet_no_footer", [n.to_string()])));
    }
    let footer = u32::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5]]) as usize;
    if footer > n - 12 {
        return Err(FormatError::parquet(Message::new("parquet_footer_size", [footer, n].map(|x| x.to_string()))));
    }
    Ok(())
}

/// The few conversions `plan` asks for, written out so the module does not carry arrow-cast's whole kernel.
fn convert(array: &ArrayRef, to: &DataType) -> Result<ArrayRef, FormatError> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Decimal32Type, Decimal64Type, Float16Type};
    use arrow_array::{Decimal128Array, Float32Array};
    let out: ArrayRef = match (array.data_type(), to) {
        (DataType::Float16, DataType::Float32) => {
            let a = array.as_primitive::<Float16Type>();
            Arc::new(a.iter().map(|v| v.map(|h| h.to_f32())).collect::<Float32Array>())
        }
        (DataType::Decimal32(_, _), DataType::Decimal128(p, s)) => {
            let a = array.as_primitive::<Decimal32Type>();
            let b: Decimal128Array = a.iter().map(|v| v.map(i128::from)).collect();
            Arc::new(b.with_precision_and_scale(*p, *s).map_err(invalid)?)
        }
        (DataType::Decimal64(_, _), DataType::Decimal128(p, s)) => {
            let a = array.as_primitive::<Decimal64Type>();
            let b: Decimal128Array = a.iter().map(|v| v.map(i128::from)).collect();
            Arc::new(b.with_precision_and_scale(*p, *s).map_err(invalid)?)
        }
        (DataType::Null, DataType::Utf8) => new_null_array(&DataType::Utf8, array.len()),
        (from, to) => return Err(FormatError::internal(format!("no conversion from {from} to {to}"))),
    };
    Ok(out)
}

/// Convert Parquet bytes into an Arrow IPC stream.
///
/// The checks above catch damaged framing and metadata, and `parquet_pages` checks the page data the crate
/// would trust (level runs, dictionary pages, BYTE_STREAM_SPLIT lengths). Should a corruption still reach a panic
/// inside the parquet crate, native builds turn it into `INVALID_PARQUET` here; in wasm (panic = "abort") it
/// traps, and `js/formats.js` reports `INVALID_PARQUET` and instantiates a fresh module.
pub fn parquet_to_ipc(
    bytes: impl Into<Bytes>,
    options: &ParquetOptions,
    progress: Option<Progress>,
) -> Result<Conversion, FormatError> {
    let bytes: Bytes = bytes.into();
    #[cfg(panic = "unwind")]
    {
        let run = std::panic::AssertUnwindSafe(|| convert_parquet(bytes, options, progress));
        std::panic::catch_unwind(run).unwrap_or_else(|_| Err(invalid("the reader failed inside the page data")))
    }
    #[cfg(not(panic = "unwind"))]
    convert_parquet(bytes, options, progress)
}

fn convert_parquet(
    bytes: Bytes,
    options: &ParquetOptions,
    mut progress: Option<Progress>,
) -> Result<Conversion, FormatError> {
    check_framing(&bytes)?;
    let file_len = bytes.len() as u64;

    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes.clone()).map_err(invalid)?;
    let metadata = builder.metadata().clone();

    let total_rows = check_chunks(&metadata, file_len)?;

    let arrow_schema = builder.schema().clone();
    let Columns { keep, out_fields, casts, skipped, mut warnings } = columns(&arrow_schema, options)?;

    let schema_descr = builder.parquet_schema();
    let leaves = check_decoded_size(schema_descr, &metadata, &keep)?;

    crate::parquet_pages::check_pages(&bytes, &leaves).map_err(invalid)?;

    let mask = ProjectionMask::roots(schema_descr, keep.iter().copied());
    let reader = builder.with_projection(mask).with_batch_size(options.batch_size.max(1)).build().map_err(invalid)?;

    let out_schema: SchemaRef = Arc::new(Schema::new_with_metadata(out_fields, arrow_schema.metadata().clone()));
    let mut sink = IpcSink::new(&out_schema)?;
    let mut rows: u64 = 0;
    for batch in reader {
        let batch = batch.map_err(|e| invalid(format!("after {rows} rows: {e}")))?;
        if batch.num_columns() != casts.len() {
            return Err(invalid("the decoded columns do not match the file's schema"));
        }
        let mut columns = Vec::with_capacity(casts.len());
        for (array, cast) in batch.columns().iter().zip(&casts) {
            columns.push(match cast {
                None => array.clone(),
                Some(to) => convert(array, to)?,
            });
        }
        let batch = RecordBatch::try_new(out_schema.clone(), columns).map_err(invalid)?;
        rows += batch.num_rows() as u64;
        sink.write(&batch)?;
        crate::report(&mut progress, rows, total_rows as u64)?;
    }
    let mut conversion = sink.finish(&out_schema)?;
    warnings.extend(
        skipped
            .iter()
            .map(|(n, t)| Warning::new("SKIPPED_COLUMN", Some(n), Message::new("warn_skipped_column", [n, t]))),
    );
    conversion.warnings = warnings;
    conversion.skipped = skipped;
    Ok(conversion)
}

/// Every column chunk lies inside the file and the row count is plausible; returns the row count.
fn check_chunks(metadata: &ParquetMetaData, file_len: u64) -> Result<i64, FormatError> {
    let mut total_rows: i64 = 0;
    for (g, rg) in metadata.row_groups().iter().enumerate() {
        if rg.num_rows() < 0 {
            return Err(invalid(format!("row group {g} has a negative row count")));
        }
        total_rows = total_rows.saturating_add(rg.num_rows());
        for col in rg.columns() {
            let start = col.dictionary_page_offset().unwrap_or(col.data_page_offset());
            let len = col.compressed_size();
            if start < 0 || len < 0 {
                return Err(invalid(format!(
                    "column '{}' of row group {g} has a negative offset or size",
                    col.column_path()
                )));
            }
            let (start, len) = (start as u64, len as u64);
            if start.checked_add(len).is_none_or(|end| end > file_len) {
                let (path, end) = (col.column_path().to_string(), start.saturating_add(len));
                let params = [path, g.to_string(), start.to_string(), end.to_string(), file_len.to_string()];
                return Err(FormatError::parquet(Message::new("parquet_chunk_outside", params)));
            }
        }
    }
    if total_rows > u32::MAX as i64 {
        return Err(invalid(format!("it claims {total_rows} rows")));
    }
    Ok(total_rows)
}

/// Which top-level columns are read, and how each is converted.
struct Columns {
    /// Indices of the read columns in the file's Arrow schema.
    keep: Vec<usize>,
    /// Their output fields.
    out_fields: Vec<Field>,
    /// Per read column, the type it is cast to (`None`: kept as decoded).
    casts: Vec<Option<DataType>>,
    /// Left-out columns: name and type name.
    skipped: Vec<(String, String)>,
    warnings: Vec<Warning>,
}

/// Plan every top-level column; unsupported ones are an error unless `skipUnsupported`.
fn columns(arrow_schema: &Schema, options: &ParquetOptions) -> Result<Columns, FormatError> {
    let mut keep = Vec::new();
    let mut out_fields = Vec::new();
    let mut casts = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    for (i, field) in arrow_schema.fields().iter().enumerate() {
        if field.name() == PANDAS_INDEX {
            warnings.push(Warning::index_dropped());
            continue;
        }
        match plan(field.data_type()) {
            Plan::Keep => {
                keep.push(i);
                out_fields.push(field.as_ref().clone());
                casts.push(None);
            }
            Plan::Cast(to) => {
                keep.push(i);
                out_fields.push(Field::new(field.name(), to.clone(), true).with_metadata(field.metadata().clone()));
                casts.push(Some(to));
            }
            Plan::Unsupported => skipped.push((field.name().clone(), type_name(field.data_type()))),
        }
    }
    if !skipped.is_empty() && !options.skip_unsupported {
        let list = skipped.iter().map(|(n, t)| format!("'{n}' ({t})")).collect::<Vec<_>>().join(", ");
        let first = skipped[0].0.clone();
        let text = match skipped.len() {
            1 => Message::new("parquet_unsupported_one", [list]),
            n => Message::new("parquet_unsupported_many", [n.to_string(), list]),
        };
        return Err(FormatError::new(ErrorCode::UnsupportedType, text).with_subject(first));
    }
    Ok(Columns { keep, out_fields, casts, skipped, warnings })
}

/// The leaf columns of the read top-level columns, after checking that they decode to a size a tab can hold.
fn check_decoded_size(
    schema_descr: &SchemaDescriptor,
    metadata: &ParquetMetaData,
    keep: &[usize],
) -> Result<Vec<usize>, FormatError> {
    let mut uncompressed: i64 = 0;
    let leaves: Vec<usize> = (0..schema_descr.num_columns())
        .filter(|&leaf| keep.contains(&schema_descr.get_column_root_idx(leaf)))
        .collect();
    for rg in metadata.row_groups() {
        for &leaf in &leaves {
            if let Some(col) = rg.columns().get(leaf) {
                uncompressed = uncompressed.saturating_add(col.uncompressed_size().max(0));
            }
        }
    }
    if uncompressed > MAX_UNCOMPRESSED {
        let sizes = [uncompressed / 1_000_000, MAX_UNCOMPRESSED / 1_000_000].map(|x| x.to_string());
        return Err(FormatError::parquet(Message::new("parquet_too_large", sizes)));
    }
    Ok(leaves)
}
