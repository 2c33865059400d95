//! Record batches of a fixed number of rows, filled a chunk of records at a time by one [`ColumnBuilder`] per
//! column and written to the IPC stream as soon as they are full.

use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchOptions};
use arrow_schema::{Field, Schema, SchemaRef};

use super::build::{column, is_null, text_bytes, ColumnBuilder, ColumnPlan};
use super::infer::ColStats;
use super::scan::{Batch, Tokenizer};
use crate::error::FormatError;
use crate::{Conversion, IpcSink};

/// Typed columns of `plans` in record batches of `rows_per_batch` rows, written as they fill.
pub struct BatchWriter {
    pub plans: Vec<ColumnPlan>,
    schema: SchemaRef,
    builders: Vec<ColumnBuilder>,
    sink: IpcSink,
    rows: usize,
    rows_per_batch: usize,
    /// The stream's final size has been estimated and reserved (after the first record batch).
    reserved: bool,
}

impl BatchWriter {
    /// Builders start with room for `capacity` rows (at most `rows_per_batch`; more when a batch fills).
    pub fn new(plans: Vec<ColumnPlan>, rows_per_batch: usize, capacity: usize) -> Result<Self, FormatError> {
        Self::with_sink(plans, rows_per_batch, capacity, false)
    }

    /// A writer whose stream bytes are taken as they are written ([`BatchWriter::take_bytes`]), so they are
    /// never reserved for the whole file.
    pub fn streaming(plans: Vec<ColumnPlan>, rows_per_batch: usize, capacity: usize) -> Result<Self, FormatError> {
        Self::with_sink(plans, rows_per_batch, capacity, true)
    }

    fn with_sink(
        plans: Vec<ColumnPlan>,
        rows_per_batch: usize,
        capacity: usize,
        streaming: bool,
    ) -> Result<Self, FormatError> {
        let fields: Vec<Field> = plans.iter().map(|p| Field::new(&p.name, p.kind.data_type(), true)).collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let builders =
            plans.iter().map(|p| ColumnBuilder::new(p, capacity.min(rows_per_batch), rows_per_batch)).collect();
        let sink = IpcSink::new(&schema)?;
        Ok(BatchWriter { plans, schema, builders, sink, rows: 0, rows_per_batch, reserved: streaming })
    }

    /// The stream bytes written since the last call (the schema message first, then whole record batches).
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.sink.take()
    }

    /// The stream bytes written since they were last taken or cleared, left in place.
    pub fn ready_bytes(&self) -> &[u8] {
        self.sink.bytes()
    }

    /// Drop the [`BatchWriter::ready_bytes`] (the caller has copied them), keeping their room.
    pub fn clear_bytes(&mut self) {
        self.sink.clear();
    }

    /// Records in the current record batch, not yet written.
    pub fn unwritten_rows(&self) -> usize {
        self.rows
    }

    /// Records the current record batch still takes: a chunk of at most this many never straddles two batches.
    pub fn room(&self) -> usize {
        self.rows_per_batch - self.rows
    }

    /// Append the records of `chunk` (at most [`BatchWriter::room`]); true when that completed a record batch.
    /// With `stats` (indexed by field), every planned column's non-null values are also observed, all of them
    /// even when a value fails to build.
    pub fn append(
        &mut self,
        tok: &Tokenizer,
        chunk: &Batch,
        width: usize,
        nulls: &[String],
        mut stats: Option<&mut [ColStats]>,
    ) -> Result<bool, FormatError> {
        for (i, (builder, plan)) in self.builders.iter_mut().zip(&self.plans).enumerate() {
            let column_stats = stats.as_deref_mut().map(|s| &mut s[plan.index]);
            if let Err(err) = builder.append(tok, chunk, width, plan, nulls, column_stats) {
                if let Some(stats) = stats {
                    for plan in &self.plans[i + 1..] {
                        for raw in column(tok, chunk, width, plan.index) {
                            if !is_null(&raw, nulls) {
                                stats[plan.index].observe(&raw);
                            }
                        }
                    }
                }
                return Err(err);
            }
        }
        self.rows += chunk.rows();
        if self.rows < self.rows_per_batch {
            return Ok(false);
        }
        self.flush(true)?;
        if !self.reserved {
            self.reserved = true;
            // The rest of the text will take about as many stream bytes per text byte as the first batch did.
            let (read, total) = (tok.position().max(1) as f64, tok.data.len() as f64);
            let expected = (self.sink.len() as f64 * total / read * 1.05) as usize;
            self.sink.reserve(expected.saturating_sub(self.sink.len()));
        }
        Ok(true)
    }

    /// Write the record batch built so far; `again` when more records follow.
    fn flush(&mut self, again: bool) -> Result<(), FormatError> {
        let columns =
            self.builders.iter_mut().zip(&self.plans).map(|(b, p)| b.finish(p)).collect::<Result<Vec<_>, _>>()?;
        let text: Vec<usize> = columns.iter().map(text_bytes).collect();
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        let record = RecordBatch::try_new_with_options(self.schema.clone(), columns, &options)
            .map_err(|e| FormatError::internal(format!("could not assemble a record batch: {e}")))?;
        self.sink.write(&record)?;
        drop(record);
        self.rows = 0;
        if again {
            for ((builder, plan), bytes) in self.builders.iter_mut().zip(&self.plans).zip(text) {
                builder.restart(plan, bytes);
            }
        }
        Ok(())
    }

    /// Write the last, partial record batch and end the stream.
    pub fn finish(mut self) -> Result<Conversion, FormatError> {
        if self.rows > 0 {
            self.flush(false)?;
        }
        self.sink.finish(&self.schema)
    }
}
