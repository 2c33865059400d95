//! Arrow IPC *stream* ingestion (`Dataset::from_ipc` on bytes that do not start with the file magic).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "ingest_common.rs"]
mod ingest_common;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"ARROW1") {
        return; // the ipc_file target's input
    }
    ingest_common::exercise(data);
});
