//! Dataset → Arrow IPC stream bytes: how a dataset crosses from the core wasm module to the extras module
//! (prepare verbs, clusters, CLV; extras/) and how the extras module hands its results back. Each side decodes
//! with [`Dataset::from_ipc`](super::Dataset::from_ipc), so the bytes get the same hostile-input checks as a
//! caller's.

use arrow_ipc::writer::StreamWriter;

use super::memory::out_of_memory;
use super::Dataset;
use crate::error::{Error, ErrorCode, Result};

/// Room for the messages' flatbuffer headers and padding on top of the buffers themselves.
const HEADER_ALLOWANCE: usize = 64 * 1024;

/// The dataset as one Arrow IPC stream (schema, every batch, end-of-stream marker), uncompressed. The copy's
/// size is checked first, so a dataset too large to copy is `OUT_OF_MEMORY`, not an aborted instance.
pub fn to_ipc(dataset: &Dataset) -> Result<Vec<u8>> {
    write(dataset, None)
}

/// [`to_ipc`] of the named columns only, in the schema's order: what a verb in the extras module reads
/// (`prepare::input_columns`), so that neither the copy nor the other module's memory holds the rest. A name
/// the schema does not have gives every column, so the verb reports it with its usual suggestions.
pub fn to_ipc_columns(dataset: &Dataset, names: &[String]) -> Result<Vec<u8>> {
    let schema = dataset.schema();
    let found: Option<Vec<usize>> = names.iter().map(|n| schema.index_of(n).ok()).collect();
    let mut indices = match found {
        Some(indices) => indices,
        None => return write(dataset, None),
    };
    indices.sort_unstable();
    indices.dedup();
    write(dataset, Some(&indices))
}

fn write(dataset: &Dataset, columns: Option<&[usize]>) -> Result<Vec<u8>> {
    let failed = |e: arrow_schema::ArrowError| {
        Error::new(ErrorCode::Internal, format!("could not write the dataset as Arrow IPC: {e}"))
    };
    let size = match columns {
        None => dataset.memory_size(),
        Some(columns) => dataset
            .batches()
            .iter()
            // The bytes the columns' slices span: the arrays of a decoded stream are slices of its one input
            // buffer, whose whole size `get_array_memory_size` would count for each of them.
            .flat_map(|b| columns.iter().map(move |&c| b.column(c).to_data().get_slice_memory_size().unwrap_or(0)))
            .sum::<usize>()
            .min(dataset.memory_size()), // a dictionary shared by the batches counts once there
    };
    let estimate = size.saturating_add(HEADER_ALLOWANCE);
    let mut out = Vec::new();
    out.try_reserve(estimate).map_err(|_| out_of_memory(estimate as u64, "to copy the dataset"))?;
    let schema = match columns {
        None => dataset.schema().clone(),
        Some(columns) => std::sync::Arc::new(dataset.schema().project(columns).map_err(failed)?),
    };
    let mut writer = StreamWriter::try_new(&mut out, &schema).map_err(failed)?;
    for batch in dataset.batches() {
        match columns {
            None => writer.write(batch),
            Some(columns) => writer.write(&batch.project(columns).map_err(failed)?),
        }
        .map_err(failed)?;
    }
    writer.finish().map_err(failed)?;
    drop(writer);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{DictionaryArray, Float64Array, Int32Array, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    #[test]
    fn round_trips_through_from_ipc() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int32, false),
            Field::new("country", DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)), true),
            Field::new("spent", DataType::Float64, true),
        ]));
        let country: DictionaryArray<arrow_array::types::Int32Type> =
            vec![Some("FI"), None, Some("SE")].into_iter().collect();
        let batch = |ids: Vec<i32>| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int32Array::from(ids)),
                    Arc::new(country.clone()),
                    Arc::new(Float64Array::from(vec![Some(1.5), Some(2.0), None])),
                ],
            )
            .unwrap()
        };
        let ds = Dataset::from_batches(schema.clone(), vec![batch(vec![1, 2, 3]), batch(vec![4, 5, 6])]).unwrap();
        let back = Dataset::from_ipc(to_ipc(&ds).unwrap()).unwrap();
        assert_eq!(back.schema(), ds.schema());
        assert_eq!(back.num_rows(), 6);
        assert_eq!(back.batches(), ds.batches());
    }

    #[test]
    fn named_columns_only_in_schema_order_or_all_for_an_unknown_name() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int32, false),
            Field::new("spent", DataType::Float64, true),
            Field::new("note", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int32Array::from(vec![1, 2])),
                Arc::new(Float64Array::from(vec![Some(1.5), None])),
                Arc::new(arrow_array::StringArray::from(vec![Some("a"), None])),
            ],
        )
        .unwrap();
        let ds = Dataset::from_batches(schema, vec![batch.clone(), batch]).unwrap();
        let names = |ds: &Dataset| ds.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>();
        let wanted = ["spent".to_string(), "id".to_string(), "spent".to_string()];
        let back = Dataset::from_ipc(to_ipc_columns(&ds, &wanted).unwrap()).unwrap();
        assert_eq!(names(&back), ["id", "spent"]);
        assert_eq!(back.num_rows(), 4);
        assert_eq!(back.batches()[1].column(1).as_ref(), ds.batches()[1].column(1).as_ref());
        let unknown = ["id".to_string(), "Spent".to_string()];
        let back = Dataset::from_ipc(to_ipc_columns(&ds, &unknown).unwrap()).unwrap();
        assert_eq!(names(&back), ["id", "spent", "note"]);
    }
}
