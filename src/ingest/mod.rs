//! Ingest: Arrow IPC bytes in, a [`Dataset`] of record batches out.
//!
//! A dataset keeps the decoded batches as they came (zero-copy over the input where aligned). `append` adds
//! batches atomically: on any error the dataset is unchanged.

mod checked;
mod decode;
pub mod encode;
mod flatbuf;
mod ipc;
pub mod memory;
mod meta;
pub mod profile;
pub mod type_name;
pub mod types;
mod validate;

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Schema, SchemaRef};
use serde::Serialize;

use crate::error::{closest_name, Error, ErrorCode, Result};
use crate::messages::Message;
pub use ipc::{detect_format, IpcFormat};
pub use profile::{ColumnProfile, ProfileCache};
pub use types::{type_name, value_kind, ValueKind};

/// One column as reported to users.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// Arrow type name (`int32`, `dictionary<int32, utf8>`, `timestamp[ms, UTC]`, …).
    #[serde(rename = "type")]
    pub type_name: String,
    /// What the values are: `number`, `text`, `bool`, `date` or `timestamp`, the one answer to "which columns fit
    /// this picker".
    pub kind: ValueKind,
    /// Whether the schema allows nulls.
    pub nullable: bool,
    /// Nulls across all batches.
    pub null_count: usize,
}

/// Customer data loaded from Arrow IPC: a schema and its record batches.
#[derive(Debug, Clone)]
pub struct Dataset {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    num_rows: usize,
    /// Bumped on every append, so caches keyed on it (segment bitmaps) know when to re-evaluate.
    version: u64,
}

impl Dataset {
    /// Decode an Arrow IPC stream or file (auto-detected).
    pub fn from_ipc(bytes: Vec<u8>) -> Result<Self> {
        let decoded = ipc::decode(bytes)?;
        check_supported(&decoded.schema)?;
        let num_rows = decoded.batches.iter().map(RecordBatch::num_rows).sum();
        Ok(Dataset { schema: decoded.schema, batches: decoded.batches, num_rows, version: 0 })
    }

    /// Build a dataset from batches already in memory (tests, other readers).
    pub fn from_batches(schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<Self> {
        check_supported(&schema)?;
        for batch in &batches {
            check_same_schema(&schema, &batch.schema())?;
        }
        let num_rows = batches.iter().map(RecordBatch::num_rows).sum();
        Ok(Dataset { schema, batches, num_rows, version: 0 })
    }

    /// Append the batches of another IPC payload with the same schema. On error nothing changes.
    pub fn append_ipc(&mut self, bytes: Vec<u8>) -> Result<()> {
        let decoded = ipc::decode(bytes)?;
        check_same_schema(&self.schema, &decoded.schema)?;
        self.num_rows += decoded.batches.iter().map(RecordBatch::num_rows).sum::<usize>();
        self.batches.extend(decoded.batches);
        self.version += 1;
        Ok(())
    }

    /// A new dataset: this one's columns, then `other`'s, row by row (`other` has one batch per batch of this
    /// one, of the same length: a left join's new columns from the extras module). This dataset's buffers are
    /// shared, not copied.
    pub fn with_columns_of(&self, other: &Dataset) -> Result<Dataset> {
        let aligned = other.batches.len() == self.batches.len()
            && other.batches.iter().zip(&self.batches).all(|(o, s)| o.num_rows() == s.num_rows());
        if !aligned {
            return Err(Error::invalid_argument(
                "right",
                format!(
                    "this dataset changed while the join ran ({} rows now, {} joined); run the join again",
                    self.num_rows, other.num_rows
                ),
            ));
        }
        let mut fields: Vec<_> = self.schema.fields().iter().cloned().collect();
        fields.extend(other.schema.fields().iter().cloned());
        let schema = Arc::new(Schema::new_with_metadata(fields, self.schema.metadata().clone()));
        let batches = self
            .batches
            .iter()
            .zip(&other.batches)
            .map(|(mine, theirs)| {
                let columns = mine.columns().iter().chain(theirs.columns()).cloned().collect();
                let options = RecordBatchOptions::new().with_row_count(Some(mine.num_rows()));
                RecordBatch::try_new_with_options(schema.clone(), columns, &options)
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::new(ErrorCode::Internal, format!("could not put the joined columns beside: {e}")))?;
        Dataset::from_batches(schema, batches)
    }

    /// The schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The record batches, in load order.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Rows across all batches.
    pub fn num_rows(&self) -> usize {
        self.num_rows
    }

    /// Increases with every successful append.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Columns with their type names and null counts.
    pub fn columns(&self) -> Vec<ColumnInfo> {
        self.schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, field)| ColumnInfo {
                name: field.name().clone(),
                type_name: type_name(field.data_type()),
                // Every column of a dataset has a kind: `check_supported` refused the others at load.
                kind: value_kind(field.data_type()).unwrap_or(ValueKind::Text),
                nullable: field.is_nullable(),
                null_count: self.batches.iter().map(|b| b.column(i).logical_null_count()).sum(),
            })
            .collect()
    }

    /// Index of the column called `name`, or an `UNKNOWN_COLUMN` error with a suggestion.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.schema.index_of(name).map_err(|_| unknown_column(&self.schema, name))
    }

    /// The chunks of column `index`, one per batch.
    pub fn column_chunks(&self, index: usize) -> impl Iterator<Item = &ArrayRef> + '_ {
        self.batches.iter().map(move |b| b.column(index))
    }

    /// Data type of column `index`.
    pub fn data_type(&self, index: usize) -> &DataType {
        self.schema.field(index).data_type()
    }

    /// Bytes held by the batches' buffers (what the dataset costs in memory).
    pub fn memory_size(&self) -> usize {
        memory::distinct_buffer_bytes(self.batches.iter().flat_map(|b| b.columns().iter()))
    }
}

/// The `UNKNOWN_COLUMN` error for `name`, suggesting the closest real column.
pub fn unknown_column(schema: &SchemaRef, name: &str) -> Error {
    let names = schema.fields().iter().map(|f| f.name().as_str());
    let message = match closest_name(name, names) {
        Some(close) => Message::new("unknown_column_suggest", [name, close]),
        None => {
            let list = schema.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ");
            Message::new("unknown_column_list", [name.to_string(), list])
        }
    };
    message.into_error(ErrorCode::UnknownColumn).with_subject(name)
}

fn check_supported(schema: &arrow_schema::Schema) -> Result<()> {
    check_unique_names(schema)?;
    for field in schema.fields() {
        if value_kind(field.data_type()).is_none() {
            let (name, data_type) = (field.name().clone(), type_name(field.data_type()));
            let message = Message::new(
                "unsupported_column_type",
                [name, data_type, types::unsupported_hint(field.data_type()).into()],
            );
            return Err(message.into_error(ErrorCode::UnsupportedType).with_subject(field.name().as_str()));
        }
    }
    Ok(())
}

/// Rules name columns, so two columns of one name would make a rule silently read the first, and a column with an
/// empty name could never be named: no rule, and no SQL engine (`""` is a zero-length identifier), can refer to it
/// (issue 14).
fn check_unique_names(schema: &arrow_schema::Schema) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for (i, field) in schema.fields().iter().enumerate() {
        if field.name().trim().is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArrow,
                format!(
                    "column {} has an empty name (`{}`); rules and SQL name columns, so every column needs a name: \
                     give it a name before loading (e.g. with a SQL alias)",
                    i + 1,
                    field.name()
                ),
            ));
        }
        if let Some(first) = seen.insert(field.name().as_str(), i) {
            return Err(Error::new(
                ErrorCode::InvalidArrow,
                format!(
                    "columns {} and {} are both named `{}`; rules name columns, so names must be unique: rename one \
                     before loading (e.g. with a SQL alias)",
                    first + 1,
                    i + 1,
                    field.name()
                ),
            )
            .with_subject(field.name().as_str()));
        }
    }
    Ok(())
}

fn check_same_schema(expected: &SchemaRef, found: &SchemaRef) -> Result<()> {
    let mismatch = |message: String| Error::new(ErrorCode::SchemaMismatch, message);
    if expected.fields().len() != found.fields().len() {
        return Err(mismatch(format!(
            "the appended data has {} columns but the dataset has {}; append only batches with the dataset's columns \
             ({})",
            found.fields().len(),
            expected.fields().len(),
            expected.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    for (want, got) in expected.fields().iter().zip(found.fields()) {
        if want.name() != got.name() {
            return Err(mismatch(format!(
                "the appended data has column `{}` where the dataset has `{}`; columns must match in name and order",
                got.name(),
                want.name()
            ))
            .with_subject(want.name().as_str()));
        }
        if want.data_type() != got.data_type() {
            return Err(mismatch(format!(
                "column `{}` is {} in the appended data but {} in the dataset; write both with the same type",
                want.name(),
                type_name(got.data_type()),
                type_name(want.data_type())
            ))
            .with_subject(want.name().as_str()));
        }
    }
    Ok(())
}
