//! Arrow IPC ingestion: every supported type, nulls, batches, both formats, LZ4, and every error path.

use std::sync::Arc;

use arrow_array::types::{Int16Type, Int32Type, Int8Type, UInt32Type};
use arrow_array::*;
use arrow_ipc::writer::{FileWriter, IpcWriteOptions, StreamWriter};
use arrow_ipc::CompressionType;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use segmetry::ingest::Dataset;
use segmetry::ErrorCode;

fn every_type_batch(offset: i64) -> RecordBatch {
    let n = 5;
    let ts = |unit: TimeUnit, tz: Option<&str>| -> ArrayRef {
        let values = [Some(1_700_000_000 + offset), None, Some(0), Some(-5), Some(42)];
        let array: ArrayRef = match unit {
            TimeUnit::Second => Arc::new(TimestampSecondArray::from(values.to_vec())),
            TimeUnit::Millisecond => Arc::new(TimestampMillisecondArray::from(values.to_vec())),
            TimeUnit::Microsecond => Arc::new(TimestampMicrosecondArray::from(values.to_vec())),
            TimeUnit::Nanosecond => Arc::new(TimestampNanosecondArray::from(values.to_vec())),
        };
        match tz {
            Some(tz) => arrow_array::cast::AsArray::as_primitive_opt::<arrow_array::types::TimestampSecondType>(&array)
                .map(|a| Arc::new(a.clone().with_timezone(tz)) as ArrayRef)
                .unwrap_or_else(|| with_tz(&array, tz)),
            None => array,
        }
    };
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("i8", Arc::new(Int8Array::from(vec![Some(1), None, Some(-128), Some(127), Some(0)]))),
        ("i16", Arc::new(Int16Array::from(vec![Some(1), None, Some(-300), Some(300), Some(0)]))),
        ("i32", Arc::new(Int32Array::from(vec![Some(1), None, Some(i32::MIN), Some(i32::MAX), Some(0)]))),
        ("i64", Arc::new(Int64Array::from(vec![Some(1), None, Some(i64::MIN), Some(i64::MAX), Some(offset)]))),
        ("u8", Arc::new(UInt8Array::from(vec![Some(1), None, Some(255), Some(0), Some(7)]))),
        ("u16", Arc::new(UInt16Array::from(vec![Some(1), None, Some(65535), Some(0), Some(7)]))),
        ("u32", Arc::new(UInt32Array::from(vec![Some(1), None, Some(u32::MAX), Some(0), Some(7)]))),
        ("u64", Arc::new(UInt64Array::from(vec![Some(1), None, Some(u64::MAX), Some(0), Some(7)]))),
        ("f32", Arc::new(Float32Array::from(vec![Some(1.5), None, Some(f32::NAN), Some(-0.0), Some(7.0)]))),
        ("f64", Arc::new(Float64Array::from(vec![Some(1.5), None, Some(f64::INFINITY), Some(-0.0), Some(7.0)]))),
        ("bool", Arc::new(BooleanArray::from(vec![Some(true), None, Some(false), Some(true), Some(false)]))),
        ("utf8", Arc::new(StringArray::from(vec![Some("FI"), None, Some(""), Some("Åland"), Some("SE")]))),
        ("large_utf8", Arc::new(LargeStringArray::from(vec![Some("a"), None, Some("b"), Some("c"), Some("d")]))),
        (
            "utf8_view",
            Arc::new(StringViewArray::from(vec![
                Some("a much longer string than twelve"),
                None,
                Some("x"),
                Some(""),
                Some("y"),
            ])),
        ),
        (
            "dict8",
            Arc::new(DictionaryArray::<Int8Type>::from_iter([Some("FI"), None, Some("SE"), Some("FI"), Some("NO")])),
        ),
        (
            "dict16",
            Arc::new(DictionaryArray::<Int16Type>::from_iter([Some("FI"), None, Some("SE"), Some("FI"), Some("NO")])),
        ),
        (
            "dict32",
            Arc::new(DictionaryArray::<Int32Type>::from_iter([Some("FI"), None, Some("SE"), Some("FI"), Some("NO")])),
        ),
        (
            "dictu32",
            Arc::new(DictionaryArray::<UInt32Type>::from_iter([Some("FI"), None, Some("SE"), Some("FI"), Some("NO")])),
        ),
        ("date32", Arc::new(Date32Array::from(vec![Some(20000), None, Some(0), Some(-1), Some(19000)]))),
        (
            "date64",
            Arc::new(Date64Array::from(vec![Some(1_700_000_000_000), None, Some(0), Some(-86_400_000), Some(1)])),
        ),
        ("ts_s", ts(TimeUnit::Second, None)),
        ("ts_ms", ts(TimeUnit::Millisecond, None)),
        ("ts_us_utc", ts(TimeUnit::Microsecond, Some("UTC"))),
        ("ts_ns_helsinki", ts(TimeUnit::Nanosecond, Some("Europe/Helsinki"))),
        (
            "dec",
            Arc::new(
                Decimal128Array::from(vec![Some(12345), None, Some(-1), Some(i128::from(i64::MAX) * 10), Some(0)])
                    .with_precision_and_scale(38, 2)
                    .unwrap(),
            ),
        ),
    ];
    assert!(columns.iter().all(|(_, a)| a.len() == n));
    RecordBatch::try_from_iter(columns).unwrap()
}

fn with_tz(array: &ArrayRef, tz: &str) -> ArrayRef {
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            Arc::new(array.as_primitive::<TimestampMillisecondType>().clone().with_timezone(tz))
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Arc::new(array.as_primitive::<TimestampMicrosecondType>().clone().with_timezone(tz))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Arc::new(array.as_primitive::<TimestampNanosecondType>().clone().with_timezone(tz))
        }
        _ => unreachable!(),
    }
}

fn stream_bytes(batches: &[RecordBatch], compression: Option<CompressionType>) -> Vec<u8> {
    let options = IpcWriteOptions::default().try_with_compression(compression).unwrap();
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new_with_options(&mut out, &batches[0].schema(), options).unwrap();
    for b in batches {
        writer.write(b).unwrap();
    }
    writer.finish().unwrap();
    drop(writer);
    out
}

fn file_bytes(batches: &[RecordBatch], compression: Option<CompressionType>) -> Vec<u8> {
    let options = IpcWriteOptions::default().try_with_compression(compression).unwrap();
    let mut out = Vec::new();
    let mut writer = FileWriter::try_new_with_options(&mut out, &batches[0].schema(), options).unwrap();
    for b in batches {
        writer.write(b).unwrap();
    }
    writer.finish().unwrap();
    drop(writer);
    out
}

fn type_of(ds: &Dataset, name: &str) -> String {
    ds.columns().into_iter().find(|c| c.name == name).unwrap().type_name
}

#[test]
fn reads_every_supported_type_in_both_formats_and_lz4() {
    let batches = [every_type_batch(0), every_type_batch(1), every_type_batch(2)];
    for bytes in [
        stream_bytes(&batches, None),
        file_bytes(&batches, None),
        stream_bytes(&batches, Some(CompressionType::LZ4_FRAME)),
        file_bytes(&batches, Some(CompressionType::LZ4_FRAME)),
    ] {
        let ds = Dataset::from_ipc(bytes).unwrap();
        assert_eq!(ds.num_rows(), 15);
        assert_eq!(ds.batches().len(), 3);
        let columns = ds.columns();
        assert_eq!(columns.len(), 25);
        assert!(columns.iter().all(|c| c.null_count == 3), "one null per batch in every column");
        assert_eq!(type_of(&ds, "dict8"), "dictionary<int8, utf8>");
        assert_eq!(type_of(&ds, "dictu32"), "dictionary<uint32, utf8>");
        assert_eq!(type_of(&ds, "ts_us_utc"), "timestamp[us, UTC]");
        assert_eq!(type_of(&ds, "ts_ns_helsinki"), "timestamp[ns, Europe/Helsinki]");
        assert_eq!(type_of(&ds, "ts_s"), "timestamp[s]");
        assert_eq!(type_of(&ds, "dec"), "decimal128(38, 2)");
        assert_eq!(type_of(&ds, "utf8_view"), "utf8_view");
        assert_eq!(type_of(&ds, "large_utf8"), "large_utf8");
        assert_eq!(type_of(&ds, "bool"), "bool");
        assert_eq!(type_of(&ds, "date64"), "date64");
        // Values survive the round trip.
        assert_eq!(ds.batches()[2], batches[2]);
    }
}

#[test]
fn append_adds_rows_and_rejects_other_schemas_without_change() {
    let mut ds = Dataset::from_ipc(stream_bytes(&[every_type_batch(0)], None)).unwrap();
    ds.append_ipc(file_bytes(&[every_type_batch(1), every_type_batch(2)], None)).unwrap();
    assert_eq!((ds.num_rows(), ds.version()), (15, 1));

    let other = RecordBatch::try_from_iter([("i8", Arc::new(Int32Array::from(vec![1])) as ArrayRef)]).unwrap();
    let err = ds.append_ipc(stream_bytes(&[other], None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::SchemaMismatch);
    assert!(err.message.contains("25"), "{}", err.message);

    let mut renamed = every_type_batch(3);
    let mut fields: Vec<Field> = renamed.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    fields[3] = fields[3].clone().with_data_type(DataType::Int32);
    let mut cols = renamed.columns().to_vec();
    cols[3] = Arc::new(Int32Array::from(vec![1, 2, 3, 4, 5]));
    renamed = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap();
    let err = ds.append_ipc(stream_bytes(&[renamed], None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::SchemaMismatch);
    assert!(err.message.contains("`i64` is int32 in the appended data but int64"), "{}", err.message);
    assert_eq!((ds.num_rows(), ds.version()), (15, 1), "failed appends change nothing");
}

#[test]
fn garbage_empty_and_other_formats_are_invalid_arrow() {
    for (bytes, needle) in [
        (vec![], "empty"),
        (b"customer_id,country\n1,FI\n".to_vec(), "neither"),
        (b"PAR1\x15\x04\x15\x10\x15\x14".to_vec(), "neither"),
        (vec![1, 2, 3, 4, 5, 6, 7, 8, 9], "neither"),
        (b"ARROW1\0\0garbage".to_vec(), "truncated or damaged"),
    ] {
        let err = Dataset::from_ipc(bytes).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArrow);
        assert!(err.message.contains(needle), "{needle}: {}", err.message);
    }
}

#[test]
fn every_truncation_of_a_stream_or_file_is_an_error_not_a_panic() {
    let batches = [every_type_batch(0), every_type_batch(1)];
    for bytes in [stream_bytes(&batches, None), file_bytes(&batches, None)] {
        for len in (0..bytes.len() - 1).step_by(7) {
            // Stream prefixes that end exactly between messages are valid shorter streams.
            if let Err(err) = Dataset::from_ipc(bytes[..len].to_vec()) {
                assert!(matches!(err.code, ErrorCode::InvalidArrow | ErrorCode::UnsupportedType), "{err}");
            }
        }
    }
}

/// `bytes` with `edits` bytes overwritten at places and values drawn from the xorshift `state`.
fn damage(bytes: &[u8], edits: usize, state: &mut u64) -> Vec<u8> {
    let mut damaged = bytes.to_vec();
    for _ in 0..edits {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let at = (*state % damaged.len() as u64) as usize;
        damaged[at] = (*state >> 32) as u8;
    }
    damaged
}

/// Two batches of every type as a stream and as a file, plain and LZ4-compressed: what the damage tests start from.
fn every_type_encodings() -> [Vec<u8>; 4] {
    let batches = [every_type_batch(0), every_type_batch(1)];
    [
        stream_bytes(&batches, None),
        file_bytes(&batches, None),
        stream_bytes(&batches, Some(CompressionType::LZ4_FRAME)),
        file_bytes(&batches, Some(CompressionType::LZ4_FRAME)),
    ]
}

#[test]
fn corrupted_bytes_are_errors_not_panics() {
    let inputs = every_type_encodings();
    let mut state = 0x2545F4914F6CDD1Du64;
    let rounds = std::env::var("SEGMETRY_CORRUPTION_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(4000);
    for round in 0..rounds {
        let damaged = damage(&inputs[round % inputs.len()], 1 + round % 4, &mut state);
        let _ = Dataset::from_ipc(damaged);
    }
}

#[test]
fn unsupported_types_name_the_column_and_the_fix() {
    let list = arrow_array::ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1)])]);
    let batch = RecordBatch::try_from_iter([("tags", Arc::new(list) as ArrayRef)]).unwrap();
    let err = Dataset::from_ipc(stream_bytes(&[batch], None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedType);
    assert!(err.message.contains("`tags` has type list<int32>"), "{}", err.message);
    assert_eq!(err.subject.as_deref(), Some("tags"));
}

#[test]
fn concatenated_streams_and_empty_streams_load() {
    let mut bytes = stream_bytes(&[every_type_batch(0)], None);
    bytes.extend(stream_bytes(&[every_type_batch(1)], None));
    assert_eq!(Dataset::from_ipc(bytes).unwrap().num_rows(), 10);

    let schema = every_type_batch(0).schema();
    let mut out = Vec::new();
    StreamWriter::try_new(&mut out, &schema).unwrap().finish().unwrap();
    let ds = Dataset::from_ipc(out).unwrap();
    assert_eq!((ds.num_rows(), ds.columns().len()), (0, 25));
}

#[test]
fn unknown_columns_suggest_the_closest_name() {
    let ds = Dataset::from_ipc(stream_bytes(&[every_type_batch(0)], None)).unwrap();
    let err = ds.column_index("utf_8").unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownColumn);
    assert!(err.message.contains("did you mean `utf8`?"), "{}", err.message);
}

#[test]
fn duplicate_column_names_are_refused() {
    let a: ArrayRef = Arc::new(Int32Array::from(vec![1, 2]));
    let schema = Arc::new(Schema::new(vec![
        Field::new("x", DataType::Int32, true),
        Field::new("y", DataType::Int32, true),
        Field::new("x", DataType::Int32, true),
    ]));
    let batch = RecordBatch::try_new(schema, vec![a.clone(), a.clone(), a]).unwrap();
    let err = Dataset::from_ipc(stream_bytes(&[batch], None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidArrow);
    assert!(err.message.contains("columns 1 and 3 are both named `x`"), "{}", err.message);
}

#[test]
fn memory_size_counts_each_shared_buffer_once() {
    // Decoded zero-copy, every column slices the one IPC message body: the real footprint is about the input's
    // size. Summing each array's own report counted that body once per column (issue 14, defect 4).
    let batches: Vec<RecordBatch> = (0..3).map(|i| every_type_batch(i * 100)).collect();
    let bytes = stream_bytes(&batches, None);
    let mut ds = Dataset::from_ipc(bytes.clone()).unwrap();
    let naive: usize = batches.iter().map(RecordBatch::get_array_memory_size).sum();
    assert!(ds.memory_size() <= bytes.len() * 3 / 2, "{} bytes for {} bytes of IPC", ds.memory_size(), bytes.len());
    assert!(ds.memory_size() >= bytes.len() / 2, "{} bytes for {} bytes of IPC", ds.memory_size(), bytes.len());
    ds.append_ipc(bytes.clone()).unwrap();
    assert!(ds.memory_size() <= bytes.len() * 3, "after an append: {}", ds.memory_size());
    // In-memory batches (not decoded from one input) are counted by their own buffers.
    let built = Dataset::from_batches(batches[0].schema(), batches.clone()).unwrap();
    assert!(built.memory_size() <= naive && built.memory_size() > 0);
}

/// Stream bytes with the given dictionary handling (delta or resent dictionaries between batches).
fn stream_with_dictionaries(batches: &[RecordBatch], handling: arrow_ipc::writer::DictionaryHandling) -> Vec<u8> {
    let options = IpcWriteOptions::default().with_dictionary_handling(handling);
    let mut writer = StreamWriter::try_new_with_options(Vec::new(), &batches[0].schema(), options).unwrap();
    for b in batches {
        writer.write(b).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn delta_and_replaced_dictionaries_keep_their_values() {
    use arrow_array::cast::AsArray;
    use arrow_ipc::writer::DictionaryHandling;
    let text = |values: Vec<Option<&str>>| -> RecordBatch {
        let dict: DictionaryArray<Int32Type> = values.iter().copied().collect();
        let view: StringViewArray = values.iter().copied().collect();
        let large = DictionaryArray::<Int8Type>::new(
            Int8Array::from_iter_values(0..values.len() as i8),
            Arc::new(LargeStringArray::from(values.clone())),
        );
        let view_dict = DictionaryArray::<Int16Type>::new(
            Int16Array::from_iter_values(0..values.len() as i16),
            Arc::new(view.clone()),
        );
        RecordBatch::try_from_iter([
            ("dict", Arc::new(dict) as ArrayRef),
            ("large", Arc::new(large) as ArrayRef),
            ("view", Arc::new(view_dict) as ArrayRef),
        ])
        .unwrap()
    };
    // The second batch's dictionaries extend the first's (a delta); the third's differ (a replacement, or a delta
    // of the new values).
    let batches = [
        text(vec![Some("FI"), Some("SE"), None]),
        text(vec![Some("FI"), Some("SE"), None, Some("a value longer than twelve bytes")]),
        text(vec![Some("NO"), Some("DK")]),
    ];
    for handling in [DictionaryHandling::Delta, DictionaryHandling::Resend] {
        let ds = Dataset::from_ipc(stream_with_dictionaries(&batches, handling)).unwrap();
        assert_eq!(ds.num_rows(), 9);
        for (got, want) in ds.batches().iter().zip(&batches) {
            for column in 0..3 {
                let strings = |b: &RecordBatch| -> Vec<Option<String>> {
                    let d = b.column(column).as_any_dictionary();
                    let values = arrow_cast_text(d.values());
                    d.normalized_keys()
                        .iter()
                        .enumerate()
                        .map(|(row, &k)| d.keys().is_valid(row).then(|| values[k].clone()).flatten())
                        .collect()
                };
                assert_eq!(strings(got), strings(want), "{handling:?}, column {column}");
            }
        }
    }
}

/// The texts of a utf8, large_utf8 or utf8_view array.
fn arrow_cast_text(array: &ArrayRef) -> Vec<Option<String>> {
    use arrow_array::cast::AsArray;
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().map(|s| s.map(str::to_string)).collect(),
        DataType::Utf8View => array.as_string_view().iter().map(|s| s.map(str::to_string)).collect(),
        other => panic!("{other}"),
    }
}

/// What the decoding that segmetry's own replaced read from `bytes`: arrow-ipc's `StreamDecoder` (concatenated
/// streams restarted after each end-of-stream marker) or `FileDecoder`, as `src/ingest/ipc.rs` drove them; `None`
/// when it fails or panics (it trusts offsets that segmetry checks first).
fn arrow_ipc_reads(bytes: &[u8]) -> Option<Vec<RecordBatch>> {
    use arrow_buffer::Buffer;
    use arrow_ipc::reader::{read_footer_length, FileDecoder, StreamDecoder};
    let bytes = bytes.to_vec();
    let read = move || -> Option<Vec<RecordBatch>> {
        let total = bytes.len();
        let mut batches = Vec::new();
        if bytes.starts_with(b"ARROW1") {
            let buffer = Buffer::from_vec(bytes);
            let trailer = total - 10;
            let footer_len = read_footer_length(buffer[trailer..].try_into().ok()?).ok()?;
            let footer = arrow_ipc::root_as_footer(&buffer[trailer.checked_sub(footer_len)?..trailer]).ok()?;
            let schema = Arc::new(arrow_ipc::convert::try_fb_to_schema(footer.schema()?).ok()?);
            let mut decoder = FileDecoder::new(schema, footer.version());
            let data = |b: &arrow_ipc::Block| {
                buffer.slice_with_length(b.offset() as usize, b.metaDataLength() as usize + b.bodyLength() as usize)
            };
            for block in footer.dictionaries().iter().flatten() {
                decoder.read_dictionary(block, &data(block)).ok()?;
            }
            for block in footer.recordBatches().iter().flatten() {
                batches.extend(decoder.read_record_batch(block, &data(block)).ok()?);
            }
            return Some(batches);
        }
        let mut buffer = Buffer::from_vec(bytes);
        while !buffer.is_empty() && !buffer.iter().all(|&b| b == 0) {
            let mut decoder = StreamDecoder::new();
            loop {
                match decoder.decode(&mut buffer) {
                    Ok(Some(batch)) => batches.push(batch),
                    Ok(None) => {
                        decoder.finish().ok()?;
                        break;
                    }
                    Err(arrow_schema::ArrowError::IpcError(msg)) if msg == "Unexpected EOS" => break,
                    Err(_) => return None,
                }
            }
        }
        Some(batches)
    };
    std::panic::catch_unwind(read).ok().flatten()
}

#[test]
fn what_segmetry_reads_from_damaged_bytes_arrow_ipc_reads_the_same() {
    // Differential: the decoder replaced arrow-ipc's reader, so whatever it accepts from damaged input must be
    // what arrow-ipc reads from the same bytes, value for value.
    let inputs = every_type_encodings();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // arrow-ipc's panics on hostile offsets are expected here
    let mut state = 0x9E3779B97F4A7C15u64;
    let (mut accepted, mut disagreements) = (0, Vec::new());
    for round in 0..3000 {
        let damaged = damage(&inputs[round % inputs.len()], 1 + round % 3, &mut state);
        if let Ok(ds) = Dataset::from_ipc(damaged.clone()) {
            accepted += 1;
            match arrow_ipc_reads(&damaged) {
                None => disagreements.push(format!("round {round}: segmetry reads bytes arrow-ipc refused")),
                Some(reference) if ds.batches() != reference.as_slice() => {
                    disagreements.push(format!("round {round}: other values"))
                }
                Some(_) => {}
            }
        }
    }
    std::panic::set_hook(previous);
    assert!(accepted > 100, "only {accepted} damaged inputs decoded: the test lost its power");
    assert!(disagreements.is_empty(), "{} of {accepted}: {disagreements:?}", disagreements.len());
}
