//! Parquet → Arrow IPC (segmetry-formats `parquet_to_ipc`) on arbitrary bytes. libfuzzer-sys aborts on any
//! panic, including ones the crate's native `catch_unwind` would hide (wasm builds abort on panic). A successful
//! conversion must be an IPC stream the core ingests with the same row count.
#![no_main]
use libfuzzer_sys::fuzz_target;
use segmetry_formats::{parquet_to_ipc, ParquetOptions};

fuzz_target!(|data: &[u8]| {
    let options = ParquetOptions { skip_unsupported: data.len() % 2 == 0, batch_size: 1024 };
    let Ok(conversion) = parquet_to_ipc(data.to_vec(), &options, None) else { return };
    let ds = segmetry::ingest::Dataset::from_ipc(conversion.ipc.clone())
        .unwrap_or_else(|e| panic!("the core rejects the converted Parquet: {e:?}"));
    assert_eq!(ds.num_rows(), conversion.num_rows);
});
