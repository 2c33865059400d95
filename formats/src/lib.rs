//! CSV and Parquet → Arrow IPC stream conversion for segmetry.
//!
//! This crate is compiled into two wasm modules of its own (`dist/formats/`), one per reader (features `csv` and
//! `parquet`; the thin crates `wasm-csv/` and `wasm-parquet/` build them), that `js/formats.js` loads only when a
//! user hands the package a file of that format: the core module stays small, and a CSV-only page never downloads
//! the Parquet codecs. The native API below is what the wasm facade (`wasm.rs`) wraps and what the tests exercise.
//!
//! Nothing here panics on hostile input: every failure is a [`FormatError`] with a stable code
//! (`INVALID_CSV`, `INVALID_PARQUET`, `UNSUPPORTED_TYPE`, `INVALID_ARGUMENT`) and a message that says what is
//! wrong, where (CSV: line and column), and how to fix it.

#[cfg(feature = "csv")]
mod csv;
mod error;
mod messages;
#[cfg(feature = "parquet")]
mod parquet_pages;
#[cfg(feature = "parquet")]
mod parquet_read;
#[cfg(feature = "parquet")]
mod parquet_thrift;
#[cfg(feature = "csv")]
mod tz;
// The core's type names, compiled here from the same file (see its module docs for why not a dependency).
#[path = "../../src/ingest/type_name.rs"]
#[allow(dead_code)] // `unit_name` serves the core only.
mod type_name;
pub use type_name::type_name;
#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(feature = "csv")]
pub use crate::csv::{csv_to_ipc, CsvOptions, CsvStream, Encoding, Locale, Next, CELLS_PER_BATCH};
pub use crate::error::{ErrorCode, FormatError};
pub use crate::messages::{Lang, Message};
#[cfg(feature = "parquet")]
pub use crate::parquet_read::{parquet_to_ipc, ParquetOptions};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

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
    /// Per column: the type written, the type inference chose, whether `types` overrode it.
    pub reports: Vec<ColumnReport>,
    /// Decisions the caller should know about: renamed headers, values kept as text, skipped columns.
    pub warnings: Vec<Warning>,
    /// The CSV delimiter used (given or sniffed).
    pub delimiter: Option<u8>,
}

/// The column pandas writes for a non-default index (Parquet metadata, `to_csv` of such frames); not data.
pub const PANDAS_INDEX: &str = "__index_level_0__";

/// One column of the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnReport {
    pub name: String,
    /// The type written (segmetry's type names).
    pub data_type: String,
    /// The type inference chose (equal to `data_type` unless overridden).
    pub inferred: String,
    /// The caller's `types` option set this column's type.
    pub overridden: bool,
}

/// A decision the import made that the caller should see, with a stable `code` (`LEADING_ZERO`,
/// `LEADING_PLUS`, `TOO_MANY_DIGITS`, `APOSTROPHE_REMOVED`, `AMBIGUOUS_NUMBER`, `AMBIGUOUS_DATE`,
/// `LOCALE_MISMATCH`, `MIXED_CURRENCY`, `CURRENCY_REMOVED`, `RENAMED_COLUMN`, `INDEX_COLUMN_DROPPED`, `SKIPPED_COLUMN`,
/// `DECODED_AS_WINDOWS_1252`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    /// The column concerned.
    pub column: Option<String>,
    /// `text` in English.
    pub message: String,
    /// The catalogued message, for [`Warning::localized`].
    pub text: Message,
    /// Up to three values that led to the decision.
    pub examples: Vec<String>,
}

impl Warning {
    #[inline(never)] // error-path code, as `FormatError::new`
    pub fn new(code: &'static str, column: Option<&str>, text: Message) -> Self {
        let message = text.render(Lang::En);
        Warning { code, column: column.map(str::to_string), message, text, examples: Vec::new() }
    }

    /// The warning with the values that led to it.
    #[cfg(feature = "csv")]
    pub(crate) fn with_examples(mut self, examples: &[String]) -> Self {
        self.examples = examples.to_vec();
        self
    }

    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        self.text.render(lang)
    }

    pub(crate) fn index_dropped() -> Self {
        Warning::new("INDEX_COLUMN_DROPPED", Some(PANDAS_INDEX), Message::new("warn_index_dropped", [PANDAS_INDEX]))
    }
}

/// Progress callback: `(loaded, total)` in bytes (CSV) or rows (Parquet), called once per record batch.
/// Returning `ControlFlow::Break` stops the conversion with a `CANCELLED` error (the caller's cancellation
/// check rides on the callback that already runs at every batch boundary).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> std::ops::ControlFlow<()>;

/// Report `(loaded, total)` to `progress`, if any, and stop with `CANCELLED` when it says so.
pub(crate) fn report(progress: &mut Option<Progress>, loaded: u64, total: u64) -> Result<(), FormatError> {
    match progress.as_deref_mut().map(|p| p(loaded, total)) {
        Some(std::ops::ControlFlow::Break(())) => {
            Err(FormatError::new(ErrorCode::Cancelled, Message::plain("cancelled")))
        }
        _ => Ok(()),
    }
}

/// Writes record batches into an IPC stream.
pub(crate) struct IpcSink {
    writer: arrow_ipc::writer::StreamWriter<Vec<u8>>,
    rows: usize,
    /// Stream bytes of the largest record batch written: after [`IpcSink::take`] the next one gets that much room
    /// at once instead of growing an empty buffer by doubling (a copy of what it holds at every step).
    #[cfg(feature = "csv")]
    batch_bytes: usize,
}

impl IpcSink {
    pub(crate) fn new(schema: &SchemaRef) -> Result<Self, FormatError> {
        let writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), schema)
            .map_err(|e| FormatError::internal(format!("could not start the Arrow stream: {e}")))?;
        Ok(IpcSink {
            writer,
            rows: 0,
            #[cfg(feature = "csv")]
            batch_bytes: 0,
        })
    }

    /// Bytes of the stream written so far.
    #[cfg(feature = "csv")]
    pub(crate) fn len(&self) -> usize {
        self.writer.get_ref().len()
    }

    /// Room for `additional` more bytes at once. Left to itself the stream grows by doubling, which copies what
    /// it holds at every step and ends holding up to twice the bytes it needs (wasm memory never shrinks).
    #[cfg(feature = "csv")]
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.writer.get_mut().reserve_exact(additional);
    }

    /// The bytes written since the last call, taken out of the stream (a streamed conversion hands them on).
    #[cfg(feature = "csv")]
    pub(crate) fn take(&mut self) -> Vec<u8> {
        std::mem::take(self.writer.get_mut())
    }

    /// The bytes written since the last [`IpcSink::take`] or [`IpcSink::clear`], left in place.
    #[cfg(feature = "csv")]
    pub(crate) fn bytes(&self) -> &[u8] {
        self.writer.get_ref()
    }

    /// Drop the bytes written so far, keeping their room for the next record batches.
    #[cfg(feature = "csv")]
    pub(crate) fn clear(&mut self) {
        self.writer.get_mut().clear();
    }

    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        self.rows += batch.num_rows();
        #[cfg(feature = "csv")]
        let before = {
            let out = self.writer.get_mut();
            if out.capacity() == 0 {
                out.reserve_exact(self.batch_bytes + self.batch_bytes / 16);
            }
            out.len()
        };
        self.writer
            .write(batch)
            .map_err(|e| FormatError::internal(format!("could not write an Arrow record batch: {e}")))?;
        #[cfg(feature = "csv")]
        {
            self.batch_bytes = self.batch_bytes.max(self.len() - before);
        }
        Ok(())
    }

    pub(crate) fn finish(self, schema: &SchemaRef) -> Result<Conversion, FormatError> {
        let rows = self.rows;
        let ipc = self
            .writer
            .into_inner()
            .map_err(|e| FormatError::internal(format!("could not finish the Arrow stream: {e}")))?;
        let columns: Vec<(String, String)> =
            schema.fields().iter().map(|f| (f.name().clone(), type_name(f.data_type()))).collect();
        let reports = columns
            .iter()
            .map(|(name, ty)| ColumnReport {
                name: name.clone(),
                data_type: ty.clone(),
                inferred: ty.clone(),
                overridden: false,
            })
            .collect();
        Ok(Conversion { ipc, num_rows: rows, columns, reports, ..Default::default() })
    }
}
