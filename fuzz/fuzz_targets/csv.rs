//! CSV → Arrow IPC (segmetry-formats `csv_to_ipc`). The first byte picks the options (delimiter given or
//! sniffed, header or not, small batches); the rest is the CSV. Errors must be `FormatError`s; a successful
//! conversion must be an IPC stream the core ingests with the same row count.
#![no_main]
use libfuzzer_sys::fuzz_target;
use segmetry_formats::{csv_to_ipc, CsvOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, csv)) = data.split_first() else { return };
    let options = CsvOptions {
        delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(flags & 3)],
        header: flags & 4 == 0,
        batch_size: if flags & 8 == 0 { 65_536 } else { 3 },
        null_values: if flags & 16 == 0 { Vec::new() } else { vec!["NA".into(), String::new()] },
        ..CsvOptions::default()
    };
    let Ok(conversion) = csv_to_ipc(csv, &options, None) else { return };
    let ds = segmetry::ingest::Dataset::from_ipc(conversion.ipc.clone())
        .unwrap_or_else(|e| panic!("the core rejects the converted CSV: {e:?}"));
    assert_eq!(ds.num_rows(), conversion.num_rows);
});
