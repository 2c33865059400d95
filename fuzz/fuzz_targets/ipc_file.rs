//! Arrow IPC *file* ingestion (`Dataset::from_ipc` on bytes that start with the `ARROW1` magic: footer, blocks,
//! dictionaries).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "ingest_common.rs"]
mod ingest_common;

fuzz_target!(|data: &[u8]| {
    if !data.starts_with(b"ARROW1") {
        return; // the ipc_stream target's input
    }
    ingest_common::exercise(data);
});
