//! Parquet → Arrow IPC: every codec, nullable columns, several row groups, unsupported types, hostile input.
mod common;

use std::ops::ControlFlow;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::types::Int32Type;
use arrow_array::Array;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema};
use common::{concat, read_ipc, Rng};
use parquet::arrow::ArrowWriter;
use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::WriterProperties;
use segmetry_formats::{parquet_to_ipc, ErrorCode, ParquetOptions};

const ROWS: usize = 1_000;

fn sample() -> RecordBatch {
    let ids: Int64Array = (0..ROWS as i64).map(Some).collect();
    let countries = ["FI", "SE", "NO", "DK"];
    let country: StringArray = (0..ROWS).map(|i| (i % 9 != 0).then(|| countries[i % 4])).collect();
    let orders: Int32Array = (0..ROWS).map(|i| (i % 5 != 0).then_some((i % 13) as i32)).collect();
    let revenue: Float64Array = (0..ROWS).map(|i| (i % 7 != 0).then_some(i as f64 * 1.25)).collect();
    let active: BooleanArray = (0..ROWS).map(|i| (i % 11 != 0).then_some(i % 2 == 0)).collect();
    let day: Date32Array = (0..ROWS).map(|i| (i % 3 != 0).then_some(19_000 + i as i32)).collect();
    let seen: TimestampMillisecondArray = (0..ROWS)
        .map(|i| Some(1_700_000_000_000 + i as i64 * 1000))
        .collect::<TimestampMillisecondArray>()
        .with_timezone("UTC");
    let price: Decimal128Array = (0..ROWS)
        .map(|i| (i % 4 != 0).then_some(i as i128 * 101))
        .collect::<Decimal128Array>()
        .with_precision_and_scale(12, 2)
        .unwrap();
    let variant: DictionaryArray<Int32Type> =
        (0..ROWS).map(|i| if i % 2 == 0 { "control" } else { "treatment" }).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("customer_id", Arc::new(ids)),
        ("country", Arc::new(country)),
        ("orders", Arc::new(orders)),
        ("revenue", Arc::new(revenue)),
        ("active", Arc::new(active)),
        ("first_order", Arc::new(day)),
        ("last_seen", Arc::new(seen)),
        ("price", Arc::new(price)),
        ("variant", Arc::new(variant)),
    ];
    let fields: Vec<Field> =
        columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), *n != "customer_id")).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns.into_iter().map(|(_, a)| a).collect()).unwrap()
}

fn write(batch: &RecordBatch, compression: Compression, row_group: usize) -> Vec<u8> {
    let props =
        WriterProperties::builder().set_compression(compression).set_max_row_group_row_count(Some(row_group)).build();
    let mut writer = ArrowWriter::try_new(Vec::new(), batch.schema(), Some(props)).unwrap();
    writer.write(batch).unwrap();
    writer.into_inner().unwrap()
}

fn codecs() -> Vec<(&'static str, Compression)> {
    vec![
        ("uncompressed", Compression::UNCOMPRESSED),
        ("snappy", Compression::SNAPPY),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("lz4 (hadoop)", Compression::LZ4),
        ("lz4_raw", Compression::LZ4_RAW),
        ("zstd", Compression::ZSTD(ZstdLevel::default())),
        ("brotli", Compression::BROTLI(BrotliLevel::default())),
    ]
}

#[test]
fn every_codec_round_trips_with_nulls_and_row_groups() {
    let batch = sample();
    for (name, codec) in codecs() {
        let bytes = write(&batch, codec, 300); // 4 row groups
        let mut progress = Vec::new();
        let mut cb = |loaded: u64, total: u64| {
            progress.push((loaded, total));
            ControlFlow::Continue(())
        };
        let opts = ParquetOptions { batch_size: 256, ..Default::default() };
        let c = parquet_to_ipc(bytes, &opts, Some(&mut cb)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(c.num_rows, ROWS, "{name}");
        assert!(c.skipped.is_empty() && c.warnings.is_empty(), "{name}");
        let (schema, batches) = read_ipc(&c.ipc);
        let back = concat(&schema, &batches);
        assert_eq!(back.num_rows(), ROWS);
        for (i, field) in batch.schema().fields().iter().enumerate() {
            assert_eq!(back.schema().field(i).name(), field.name(), "{name}");
            assert_eq!(back.schema().field(i).data_type(), field.data_type(), "{name}: {}", field.name());
            assert_eq!(back.column(i).as_ref(), batch.column(i).as_ref(), "{name}: {}", field.name());
        }
        assert_eq!(progress.last(), Some(&(ROWS as u64, ROWS as u64)), "{name}");
        assert!(progress.len() >= 4, "{name}: progress per batch");
    }
}

#[test]
fn column_types_use_segmetry_names() {
    let c = parquet_to_ipc(write(&sample(), Compression::SNAPPY, 10_000), &ParquetOptions::default(), None).unwrap();
    let types: Vec<String> = c.columns.iter().map(|(n, t)| format!("{n}:{t}")).collect();
    assert_eq!(
        types,
        [
            "customer_id:int64",
            "country:utf8",
            "orders:int32",
            "revenue:float64",
            "active:bool",
            "first_order:date32",
            "last_seen:timestamp[ms, UTC]",
            "price:decimal128(12, 2)",
            "variant:dictionary<int32, utf8>",
        ]
    );
}

#[test]
fn empty_table() {
    let batch = sample().slice(0, 0);
    let c = parquet_to_ipc(write(&batch, Compression::SNAPPY, 100), &ParquetOptions::default(), None).unwrap();
    assert_eq!(c.num_rows, 0);
    assert_eq!(c.columns.len(), 9);
    read_ipc(&c.ipc);
}

fn with_list() -> RecordBatch {
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in 0..10 {
        tags.values().append_value(format!("t{i}"));
        tags.append(i % 3 != 0);
    }
    let ids: Int64Array = (0..10).map(Some).collect();
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("tags", tags.finish().data_type().clone(), true),
    ]);
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in 0..10 {
        tags.values().append_value(format!("t{i}"));
        tags.append(i % 3 != 0);
    }
    RecordBatch::try_new(Arc::new(schema), vec![Arc::new(ids), Arc::new(tags.finish())]).unwrap()
}

#[test]
fn unsupported_columns_are_an_error_naming_them() {
    let bytes = write(&with_list(), Compression::SNAPPY, 100);
    let e = parquet_to_ipc(bytes, &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedType);
    assert_eq!(e.subject.as_deref(), Some("tags"));
    assert!(e.message.contains("'tags' (list<utf8>)") && e.message.contains("skipUnsupported"), "{}", e.message);
}

#[test]
fn skip_unsupported_drops_and_reports_them() {
    let bytes = write(&with_list(), Compression::SNAPPY, 100);
    let opts = ParquetOptions { skip_unsupported: true, ..Default::default() };
    let c = parquet_to_ipc(bytes, &opts, None).unwrap();
    assert_eq!(c.columns, [("id".to_string(), "int64".to_string())]);
    assert_eq!(c.skipped, [("tags".to_string(), "list<utf8>".to_string())]);
    assert_eq!(c.warnings.len(), 1);
    let (schema, batches) = read_ipc(&c.ipc);
    assert_eq!(concat(&schema, &batches).num_rows(), 10);
}

#[test]
fn not_parquet_and_truncated_inputs_have_clear_errors() {
    let e = parquet_to_ipc(b"id,name\n1,a\n".to_vec(), &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet);
    assert!(e.message.contains("PAR1"), "{}", e.message);
    let e = parquet_to_ipc(b"PAR1".to_vec(), &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet);
    let bytes = write(&sample(), Compression::SNAPPY, 300);
    let e = parquet_to_ipc(bytes[..bytes.len() / 2].to_vec(), &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet);
    assert!(e.message.contains("truncated"), "{}", e.message);
    let mut enc = bytes.clone();
    let n = enc.len();
    enc[n - 4..].copy_from_slice(b"PARE");
    assert_eq!(parquet_to_ipc(enc, &ParquetOptions::default(), None).unwrap_err().code, ErrorCode::UnsupportedType);
}

/// Run a conversion and insist it returns (Ok or a typed error) instead of panicking.
fn no_panic(bytes: Vec<u8>, what: &str) {
    let bytes_copy = bytes.clone();
    let result = std::panic::catch_unwind(|| parquet_to_ipc(bytes, &ParquetOptions::default(), None));
    match result {
        Err(_) => panic!("the Parquet reader panicked on {what}"),
        Ok(Ok(c)) => {
            read_ipc(&c.ipc);
        }
        Ok(Err(e)) if e.message.contains("inside the page data") => {
            // A panic inside the parquet crate, caught natively (see parquet_to_ipc) but a trap in wasm: the page
            // checks (src/parquet_pages.rs) must stop every known corruption before it. Keep the input.
            if let Ok(dir) = std::env::var("SAVE_CRASH") {
                let _ = std::fs::write(format!("{dir}/crash.parquet"), &bytes_copy);
            }
            panic!("{what} reached a panic inside the parquet crate (a trap in wasm); SAVE_CRASH=dir keeps it");
        }
        Ok(Err(e)) => {
            assert!(matches!(e.code, ErrorCode::InvalidParquet | ErrorCode::UnsupportedType), "{what}: unexpected {e}")
        }
    }
}

#[test]
fn truncated_parquet_never_panics() {
    for (name, codec) in codecs() {
        let bytes = write(&sample().slice(0, 200), codec, 64);
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            no_panic(bytes[..cut].to_vec(), &format!("{name} cut at {cut}"));
            // Cut in the middle but keep a valid-looking tail, so the footer parser runs on garbage.
            let mut spliced = bytes[..cut].to_vec();
            spliced.extend_from_slice(&bytes[bytes.len() - 8.min(bytes.len())..]);
            no_panic(spliced, &format!("{name} spliced at {cut}"));
        }
    }
}

#[test]
fn corrupted_parquet_never_panics() {
    let mut rng = Rng(0xBAD_F00D);
    // 400 rounds per codec in `npm test`; campaigns raise it (PARQUET_CORRUPTION_ROUNDS=20000).
    let rounds = std::env::var("PARQUET_CORRUPTION_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(400);
    for (name, codec) in codecs() {
        let bytes = write(&sample().slice(0, 200), codec, 64);
        for round in 0..rounds {
            let mut corrupt = bytes.clone();
            for _ in 0..1 + rng.below(3) {
                // Half the flips hit the footer, where the metadata lives.
                let i = if round % 2 == 0 {
                    bytes.len() - 1 - rng.below(bytes.len().min(600))
                } else {
                    rng.below(bytes.len())
                };
                corrupt[i] = rng.next_u64() as u8;
            }
            no_panic(corrupt, &format!("{name} round {round}"));
        }
    }
}

/// A page header whose skipped Thrift field declares a list far longer than the bytes left (found by the
/// `parquet` fuzz target: the parquet crate's skip loops for hours on it). The header walk refuses it at once.
#[test]
fn a_lying_thrift_length_in_a_page_header_is_refused_quickly() {
    let bytes = include_bytes!("fixtures/thrift-huge-list.parquet").to_vec();
    let started = std::time::Instant::now();
    let e = parquet_to_ipc(bytes, &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet, "{e}");
    assert!(e.message.contains("page header"), "{}", e.message);
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
}

/// Found by the `parquet` fuzz target (docs/hardening.md, defect 6): a dictionary-encoded data page in a column
/// chunk without a dictionary page panicked inside parquet 60.1.0 ("Decoder for dict should have been set"), a
/// trap in wasm. The page-header walk (src/parquet_thrift.rs) and the page checks (src/parquet_pages.rs: a
/// dictionary-encoded page needs a dictionary page before it) refuse it before the crate decodes it.
#[test]
fn dictionary_encoded_data_without_a_dictionary_page_is_refused() {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/regressions/parquet/dict-decoder-not-set.parquet");
    let bytes = std::fs::read(path).unwrap();
    no_panic(bytes.clone(), "dict-decoder-not-set.parquet");
    let e = parquet_to_ipc(bytes, &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet, "{e}");
    assert!(e.message.contains("page 1"), "names the page: {}", e.message);
}

/// Real files pass the header walk: every codec, several row groups, nulls.
#[test]
fn valid_files_pass_the_page_header_walk() {
    for (name, compression) in codecs() {
        let bytes = write(&sample(), compression, 7);
        assert!(parquet_to_ipc(bytes, &ParquetOptions::default(), None).is_ok(), "{name}");
    }
}

/// Found by the fuzz smoke (CI of stop 22): in a `FIXED_LEN_BYTE_ARRAY` column (here a decimal of 30 digits), a dictionary
/// index past the dictionary's end panicked inside parquet 60.1.0 (`fixed_len_byte_array.rs`, the dictionary is
/// sliced by the index unchecked), a trap in wasm. The page checks read the indices first.
#[test]
fn a_fixed_length_dictionary_index_past_the_dictionary_is_refused() {
    let price: Decimal128Array = (0..16)
        .map(|i| Some(101 + 101 * (i % 2)))
        .collect::<Decimal128Array>()
        .with_precision_and_scale(30, 2)
        .unwrap();
    let schema = Schema::new(vec![Field::new("price", price.data_type().clone(), false)]);
    let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(price)]).unwrap();
    let good = write(&batch, Compression::UNCOMPRESSED, 16);
    assert_eq!(parquet_to_ipc(good.clone(), &ParquetOptions::default(), None).unwrap().num_rows, 16);
    // The values 0, 1, 0, 1, … are one bit-packed run: bit width 1, header 2 groups (5), 0b1010_1010 twice.
    // Rewritten as width 2, one group (3) of index 3 eight times: past the dictionary's two entries.
    let (from, to) = ([1u8, 5, 0xAA, 0xAA], [2u8, 3, 0xFF, 0xFF]);
    let at = good.windows(4).position(|w| w == from).expect("the index run as the writer writes it");
    let mut bad = good;
    bad[at..at + 4].copy_from_slice(&to);
    no_panic(bad.clone(), "an index past a fixed-length dictionary");
    let e = parquet_to_ipc(bad, &ParquetOptions::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidParquet, "{e}");
    assert!(e.message.contains("dictionary entry 3") && e.message.contains("'price'"), "{}", e.message);
}
