//! CSV and Parquet → Arrow IPC stream conversion for segmetry.
//!
//! This crate is compiled to its own wasm module (`dist/formats/`) that `js/formats.js` loads only when a user
//! hands the package a CSV or Parquet file, so the core module stays small. The native API below is what the
//! wasm facade (`wasm.rs`) wraps and what the tests exercise.
//!
//! Nothing here panics on hostile input: every failure is a [`FormatError`] with a stable code
//! (`INVALID_CSV`, `INVALID_PARQUET`, `UNSUPPORTED_TYPE`, `INVALID_ARGUMENT`) and a message that says what is
//! wrong, where (CSV: line and column), and how to fix it.

mod csv;
mod error;
mod parquet_read;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use crate::csv::{csv_to_ipc, CsvOptions};
pub use crate::error::{ErrorCode, FormatError};
pub use crate::parquet_read::{parquet_to_ipc, ParquetOptions};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, SchemaRef, TimeUnit};

/// The result of a conversion: Arrow IPC stream bytes plus what a caller should know about them.
#[derive(Debug, Clone, Default)]
pub struct Conversion {
    /// An Arrow IPC stream (schema message, record batches, end-of-stream marker).
    pub ipc: Vec<u8>,
    pub num_rows: usize,
    /// `(name, type)` of the columns written, with segmetry's type names (`int64`, `utf8`, `date32`, …).
    pub columns: Vec<(String, String)>,
    /// Columns left out (`skipUnsupported`): `(name, type)`.
    pub skipped: Vec<(String, String)>,
    /// Things the caller may want to show: renamed headers, columns kept as text, skipped columns.
    pub warnings: Vec<String>,
    /// The CSV delimiter used (given or sniffed).
    pub delimiter: Option<u8>,
}

/// Progress callback: `(loaded, total)` in bytes (CSV) or rows (Parquet).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Writes record batches into an IPC stream.
pub(crate) struct IpcSink {
    writer: arrow_ipc::writer::StreamWriter<Vec<u8>>,
    rows: usize,
}

impl IpcSink {
    pub(crate) fn new(schema: &SchemaRef) -> Result<Self, FormatError> {
        let writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), schema)
            .map_err(|e| FormatError::internal(format!("could not start the Arrow stream: {e}")))?;
        Ok(IpcSink { writer, rows: 0 })
    }

    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        self.rows += batch.num_rows();
        self.writer
            .write(batch)
            .map_err(|e| FormatError::internal(format!("could not write an Arrow record batch: {e}")))
    }

    pub(crate) fn finish(self, schema: &SchemaRef) -> Result<Conversion, FormatError> {
        let rows = self.rows;
        let ipc = self
            .writer
            .into_inner()
            .map_err(|e| FormatError::internal(format!("could not finish the Arrow stream: {e}")))?;
        Ok(Conversion {
            ipc,
            num_rows: rows,
            columns: schema.fields().iter().map(|f| (f.name().clone(), type_name(f.data_type()))).collect(),
            ..Default::default()
        })
    }
}

/// Arrow type names as segmetry's core spells them.
pub fn type_name(data_type: &DataType) -> String {
    use DataType::*;
    let unit = |u: &TimeUnit| match u {
        TimeUnit::Second => "s",
        TimeUnit::Millisecond => "ms",
        TimeUnit::Microsecond => "us",
        TimeUnit::Nanosecond => "ns",
    };
    match data_type {
        Null => "null".into(),
        Boolean => "bool".into(),
        Int8 => "int8".into(),
        Int16 => "int16".into(),
        Int32 => "int32".into(),
        Int64 => "int64".into(),
        UInt8 => "uint8".into(),
        UInt16 => "uint16".into(),
        UInt32 => "uint32".into(),
        UInt64 => "uint64".into(),
        Float16 => "float16".into(),
        Float32 => "float32".into(),
        Float64 => "float64".into(),
        Utf8 => "utf8".into(),
        LargeUtf8 => "large_utf8".into(),
        Utf8View => "utf8_view".into(),
        Binary => "binary".into(),
        LargeBinary => "large_binary".into(),
        Date32 => "date32".into(),
        Date64 => "date64".into(),
        Timestamp(u, Some(tz)) => format!("timestamp[{}, {tz}]", unit(u)),
        Timestamp(u, None) => format!("timestamp[{}]", unit(u)),
        Decimal128(p, s) => format!("decimal128({p}, {s})"),
        Decimal256(p, s) => format!("decimal256({p}, {s})"),
        Dictionary(k, v) => format!("dictionary<{}, {}>", type_name(k), type_name(v)),
        List(f) => format!("list<{}>", type_name(f.data_type())),
        LargeList(f) => format!("large_list<{}>", type_name(f.data_type())),
        Struct(_) => "struct".into(),
        Map(_, _) => "map".into(),
        other => other.to_string().to_lowercase(),
    }
}
