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
    let estimate = dataset.memory_size().saturating_add(HEADER_ALLOWANCE);
    let mut out = Vec::new();
    out.try_reserve(estimate).map_err(|_| out_of_memory(estimate as u64, "to copy the dataset"))?;
    let failed = |e: arrow_schema::ArrowError| {
        Error::new(ErrorCode::Internal, format!("could not write the dataset as Arrow IPC: {e}"))
    };
    let mut writer = StreamWriter::try_new(&mut out, dataset.schema()).map_err(failed)?;
    for batch in dataset.batches() {
        writer.write(batch).map_err(failed)?;
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
}
