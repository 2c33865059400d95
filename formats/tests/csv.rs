//! CSV → Arrow IPC: inference, quoting, delimiters, nulls, errors with line/column, hostile input.
mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::Array;
use common::{concat, read_ipc, Rng};
use segmetry_formats::{csv_to_ipc, CsvOptions, Encoding, ErrorCode};
use std::ops::ControlFlow;

fn convert(text: &str) -> (arrow_array::RecordBatch, segmetry_formats::Conversion) {
    convert_with(text.as_bytes(), &CsvOptions::default())
}

fn convert_with(bytes: &[u8], options: &CsvOptions) -> (arrow_array::RecordBatch, segmetry_formats::Conversion) {
    let conversion = csv_to_ipc(bytes, options, None).unwrap_or_else(|e| panic!("conversion failed: {e}"));
    let (schema, batches) = read_ipc(&conversion.ipc);
    (concat(&schema, &batches), conversion)
}

fn types(c: &segmetry_formats::Conversion) -> Vec<String> {
    c.columns.iter().map(|(n, t)| format!("{n}:{t}")).collect()
}

#[test]
fn infers_types() {
    let (batch, c) = convert(
        "id,price,active,name,signup,last_seen\n\
         1,9.5,true,Ann,2024-01-05,2024-01-05T10:00:00\n\
         2,10,false,Bob,2024-02-29,2024-03-01 23:59:59\n\
         -3,1e3,TRUE,Cy,2023-12-31,2024-03-01T00:00:00\n",
    );
    assert_eq!(
        types(&c),
        ["id:int64", "price:float64", "active:bool", "name:utf8", "signup:date32", "last_seen:timestamp[s]"]
    );
    assert_eq!(c.num_rows, 3);
    assert_eq!(c.delimiter, Some(b','));
    assert_eq!(batch.column(0).as_primitive::<Int64Type>().values(), &[1, 2, -3]);
    assert_eq!(batch.column(1).as_primitive::<Float64Type>().values(), &[9.5, 10.0, 1000.0]);
    // 2024-02-29 is day 19782 since the epoch.
    assert_eq!(batch.column(4).as_primitive::<Date32Type>().value(1), 19782);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn fractional_timestamps_pick_the_finest_unit() {
    let (_, c) = convert("t\n2024-01-05T10:00:00.123\n2024-01-05T10:00:00.123456\n");
    assert_eq!(types(&c), ["t:timestamp[us]"]);
}

#[test]
fn quoted_fields_with_delimiters_quotes_and_newlines() {
    let text = "id,name,note\n1,\"Smith, John\",\"line one\nline two\"\n2,\"6\"\" pipe\",\"a\r\nb\"\n3,plain,\n";
    let (batch, c) = convert(text);
    assert_eq!(c.num_rows, 3);
    let names = batch.column(1).as_string::<i32>();
    assert_eq!(names.value(0), "Smith, John");
    assert_eq!(names.value(1), "6\" pipe");
    let notes = batch.column(2).as_string::<i32>();
    assert_eq!(notes.value(0), "line one\nline two");
    assert_eq!(notes.value(1), "a\r\nb");
    assert!(notes.is_null(2));
}

#[test]
fn quoted_numbers_are_still_numbers() {
    let (_, c) = convert("a,b\n\"1\",\"x\"\n\"2\",\"y\"\n");
    assert_eq!(types(&c), ["a:int64", "b:utf8"]);
}

#[test]
fn sniffs_semicolon_with_decimal_commas() {
    let (batch, c) = convert("name;amount;city\nAnn;1,5;Oulu\nBob;2,75;\"Turku; FI\"\n");
    assert_eq!(c.delimiter, Some(b';'));
    assert_eq!(types(&c), ["name:utf8", "amount:float64", "city:utf8"]);
    assert_eq!(batch.column(1).as_primitive::<Float64Type>().values(), &[1.5, 2.75]);
    assert_eq!(batch.column(2).as_string::<i32>().value(1), "Turku; FI");
}

#[test]
fn sniffs_tab_and_pipe() {
    let (_, c) = convert("a\tb\tc\n1\t2\t3\n4\t5\t6\n");
    assert_eq!(c.delimiter, Some(b'\t'));
    assert_eq!(c.columns.len(), 3);
    let (_, c) = convert("a|b\n1|x,y\n2|z\n");
    assert_eq!(c.delimiter, Some(b'|'));
    assert_eq!(types(&c), ["a:int64", "b:utf8"]);
}

#[test]
fn explicit_delimiter_wins() {
    let opts = CsvOptions { delimiter: Some(b';'), ..Default::default() };
    let (_, c) = convert_with(b"a,b;c\n1,2;3\n", &opts);
    assert_eq!(types(&c), ["a,b:float64", "c:int64"]); // "1,2" is a decimal comma
}

#[test]
fn single_column_file() {
    let (_, c) = convert("email\na@x.fi\nb@y.se\n");
    assert_eq!(types(&c), ["email:utf8"]);
    assert_eq!(c.num_rows, 2);
}

#[test]
fn nulls_and_empty_fields() {
    let (batch, c) = convert("a,b,c\n1,,x\n,2.5,\n3,4,z\n");
    assert_eq!(types(&c), ["a:int64", "b:float64", "c:utf8"]);
    assert_eq!(batch.column(0).null_count(), 1);
    assert_eq!(batch.column(1).null_count(), 1);
    assert_eq!(batch.column(2).null_count(), 1);
    // An all-empty column is text of nulls, not Arrow's Null type.
    let (batch, c) = convert("a,empty\n1,\n2,\n");
    assert_eq!(types(&c), ["a:int64", "empty:utf8"]);
    assert_eq!(batch.column(1).null_count(), 2);
}

#[test]
fn custom_null_values() {
    let opts = CsvOptions { null_values: vec!["NA".into(), "n/a".into()], ..Default::default() };
    let (batch, c) = convert_with(b"a,b\n1,NA\nNA,2\nn/a,\n", &opts);
    assert_eq!(types(&c), ["a:int64", "b:int64"]);
    assert_eq!(batch.column(0).null_count(), 2);
    assert_eq!(batch.column(1).null_count(), 2);
}

#[test]
fn crlf_bom_and_blank_lines() {
    let (batch, c) = convert("\u{feff}id,name\r\n1,a\r\n\r\n2,b\r\n\r\n");
    assert_eq!(types(&c), ["id:int64", "name:utf8"]);
    assert_eq!(batch.num_rows(), 2);
    assert_eq!(batch.column(1).as_string::<i32>().value(1), "b");
}

#[test]
fn no_trailing_newline_and_trailing_empty_field() {
    let (batch, _) = convert("a,b\n1,2\n3,");
    assert_eq!(batch.num_rows(), 2);
    assert!(batch.column(1).is_null(1));
}

#[test]
fn header_only_and_no_header() {
    let (batch, c) = convert("a,b\n");
    assert_eq!(batch.num_rows(), 0);
    assert_eq!(c.columns.len(), 2);
    let opts = CsvOptions { header: false, ..Default::default() };
    let (batch, c) = convert_with(b"1,x\n2,y\n", &opts);
    assert_eq!(types(&c), ["column_1:int64", "column_2:utf8"]);
    assert_eq!(batch.num_rows(), 2);
}

#[test]
fn empty_and_duplicate_header_names_are_renamed() {
    let (_, c) = convert("id,,id,name\n1,2,3,x\n");
    let names: Vec<_> = c.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["id", "column_2", "id_2", "name"]);
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
}

#[test]
fn values_that_only_look_typed_become_text() {
    let (batch, c) = convert("t,n\n2024-01-01 10:00:00 garbage,1\n2024-01-02 10:00:00,2\n");
    assert_eq!(types(&c), ["t:utf8", "n:int64"]);
    assert_eq!(batch.column(0).as_string::<i32>().value(0), "2024-01-01 10:00:00 garbage");
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn integers_beyond_15_digits_stay_text_with_a_warning() {
    let (_, c) = convert("a\n999999999999999\n");
    assert_eq!(types(&c), ["a:int64"]);
    for big in ["9223372036854775807", "99999999999999999999", "1234567890123456"] {
        let (batch, c) = convert(&format!("a\n{big}\n"));
        assert_eq!(types(&c), ["a:utf8"]);
        assert_eq!(batch.column(0).as_string::<i32>().value(0), big);
        assert_eq!(c.warnings[0].code, "TOO_MANY_DIGITS");
    }
}

#[test]
fn many_batches() {
    let mut text = String::from("id,group,value\n");
    for i in 0..10_000 {
        text.push_str(&format!("{i},g{},{}.5\n", i % 7, i));
    }
    let opts = CsvOptions { batch_size: 999, ..Default::default() };
    let conversion = csv_to_ipc(text.as_bytes(), &opts, None).unwrap();
    let (schema, batches) = read_ipc(&conversion.ipc);
    assert!(batches.len() >= 10);
    let all = concat(&schema, &batches);
    assert_eq!(all.num_rows(), 10_000);
    assert_eq!(all.column(0).as_primitive::<Int64Type>().value(9_999), 9_999);
}

#[test]
fn progress_reaches_the_total() {
    let mut text = String::from("a\n");
    for i in 0..1000 {
        text.push_str(&format!("{i}\n"));
    }
    let mut seen = Vec::new();
    let mut cb = |loaded: u64, total: u64| {
        seen.push((loaded, total));
        ControlFlow::Continue(())
    };
    let opts = CsvOptions { batch_size: 100, ..Default::default() };
    csv_to_ipc(text.as_bytes(), &opts, Some(&mut cb)).unwrap();
    assert!(seen.len() >= 10);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(seen.last().unwrap(), &(text.len() as u64, text.len() as u64));
}

// ---- errors ----

fn error(bytes: &[u8], options: &CsvOptions) -> segmetry_formats::FormatError {
    match csv_to_ipc(bytes, options, None) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn ragged_row_reports_its_physical_line_and_field() {
    // The record "2,x,extra" starts on line 4 because a quoted value spans two lines.
    let e = error(b"id,name\n1,\"multi\nline\"\n2,x,extra\n3,y\n", &CsvOptions::default());
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert_eq!(e.line, Some(4), "{}", e.message);
    assert_eq!(e.column, Some(3));
    assert!(e.message.contains("line 4") && e.message.contains("has 3 fields"), "{}", e.message);
    assert!(e.message.contains("quote"), "says how to fix: {}", e.message);

    let e = error(b"a,b,c\n1,2,3\n4,5\n", &CsvOptions::default());
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("has 2 fields") && e.message.contains("missing"), "{}", e.message);
}

#[test]
fn unterminated_quote_reports_where_it_opens() {
    let e = error(b"id,name\n1,ok\n2,\"never closed\n3,x\n", &CsvOptions::default());
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert_eq!((e.line, e.column), (Some(3), Some(3)), "{}", e.message);
    assert!(e.message.contains("closing quote"), "{}", e.message);
}

#[test]
fn invalid_utf8_reports_line_and_column() {
    let utf8 = CsvOptions { encoding: Encoding::Utf8, ..Default::default() };
    let e = error(b"name\nok\ncaf\xe9\n", &utf8);
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert_eq!((e.line, e.column), (Some(3), Some(4)), "{}", e.message);
    assert!(e.message.contains("UTF-8"), "{}", e.message);
}

fn texts(batch: &arrow_array::RecordBatch, column: usize) -> Vec<String> {
    let a = batch.column(column).as_any().downcast_ref::<arrow_array::StringArray>().expect("utf8");
    a.iter().map(|v| v.unwrap_or("∅").to_string()).collect()
}

/// Excel on a Finnish Windows saves "CSV (semicolon delimited)" in Windows-1252: read it, and say so.
#[test]
fn windows_1252_is_read_with_a_warning() {
    let bytes = b"nimi;kaupunki;summa\nP\xe4ivi;H\xe4meenlinna;12,50\n\xc5sa;\x80uro \x96 \x93lainen\x94;3\n";
    let (batch, c) = convert_with(bytes, &CsvOptions::default());
    assert_eq!(texts(&batch, 0), ["Päivi", "Åsa"]);
    assert_eq!(texts(&batch, 1), ["Hämeenlinna", "€uro – “lainen”"]);
    assert!(c.warnings.iter().any(|w| w.code == "DECODED_AS_WINDOWS_1252"), "{:?}", c.warnings);
    let given = CsvOptions { encoding: Encoding::Windows1252, ..Default::default() };
    let (batch, c) = convert_with(bytes, &given);
    assert_eq!(texts(&batch, 0), ["Päivi", "Åsa"]);
    assert!(c.warnings.iter().all(|w| w.code != "DECODED_AS_WINDOWS_1252"));
    // Valid UTF-8 is never reinterpreted.
    let (batch, c) = convert_with("nimi\nPäivi\n".as_bytes(), &CsvOptions::default());
    assert_eq!(texts(&batch, 0), ["Päivi"]);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

/// Excel's "Unicode text" is UTF-16 little-endian with a byte-order mark (and tab-delimited).
#[test]
fn utf16_with_and_without_bom() {
    let text = "email\tmaa\naino@example.fi\tFI\nöljy@example.fi\tSE\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [[&[0xFF, 0xFE][..], &le].concat(), [&[0xFE, 0xFF][..], &be].concat(), le.clone(), be.clone()] {
        let (batch, c) = convert_with(&bytes, &CsvOptions::default());
        assert_eq!(texts(&batch, 0), ["aino@example.fi", "öljy@example.fi"]);
        assert_eq!(texts(&batch, 1), ["FI", "SE"]);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }
    let given = CsvOptions { encoding: Encoding::Utf16Le, ..Default::default() };
    assert_eq!(texts(&convert_with(&le, &given).0, 0), ["aino@example.fi", "öljy@example.fi"]);
    assert_eq!(error(&le[1..], &given).code, ErrorCode::InvalidCsv);
    assert_eq!(Encoding::parse("Latin1").unwrap(), Encoding::Windows1252);
    assert_eq!(Encoding::parse("ebcdic").unwrap_err().code, ErrorCode::InvalidArgument);
}

#[test]
fn empty_and_binary_inputs() {
    assert_eq!(error(b"", &CsvOptions::default()).code, ErrorCode::InvalidCsv);
    assert_eq!(error(b"\n\n  \n", &CsvOptions::default()).code, ErrorCode::InvalidCsv);
    assert_eq!(error(b"a,b\n\0\0\0,1\n", &CsvOptions::default()).code, ErrorCode::InvalidCsv);
}

#[test]
fn bad_options_are_argument_errors() {
    let e = error(b"a\n1\n", &CsvOptions { delimiter: Some(b'\n'), ..Default::default() });
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(e.subject.as_deref(), Some("delimiter"));
    let e = error(b"a\n1\n", &CsvOptions { delimiter: Some(b'"'), ..Default::default() });
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

// ---- hostile input ----

#[test]
fn random_csvish_input_never_panics_and_never_fails_internally() {
    let alphabet = b"ab1,;\"\n\r\t|.-: 2024-01-01";
    let mut rng = Rng(0x5EED_CAFE);
    let mut ok = 0;
    for _ in 0..10_000 {
        let len = rng.below(60);
        let bytes: Vec<u8> = (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect();
        match csv_to_ipc(&bytes, &CsvOptions::default(), None) {
            Ok(c) => {
                read_ipc(&c.ipc);
                ok += 1;
            }
            // Only the scanner's own errors: an arrow-csv failure would mean the scanner and arrow-csv
            // disagree about the records.
            Err(e) => assert!(
                matches!(e.code, ErrorCode::InvalidCsv) && !e.message.contains("could not be read"),
                "input {:?} gave {e}",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    assert!(ok > 1000, "only {ok} inputs converted");
}

#[test]
fn corrupted_and_truncated_csv_never_panics() {
    let base = b"id,name,amount,day\n1,\"Smith, J\",9.5,2024-01-01\n2,\"a\"\"b\",10,2024-01-02\n3,,,\n".to_vec();
    for cut in 0..base.len() {
        let _ = csv_to_ipc(&base[..cut], &CsvOptions::default(), None);
    }
    let mut rng = Rng(42);
    for _ in 0..3_000 {
        let mut bytes = base.clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next_u64() as u8;
        }
        if let Ok(c) = csv_to_ipc(&bytes, &CsvOptions::default(), None) {
            read_ipc(&c.ipc);
        }
    }
}

// ---- the fast paths: word-at-a-time field search, chunked building ----

/// A field as a CSV writer writes it: quoted when it holds the delimiter, a quote or a line break.
fn written(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[test]
fn random_text_fields_read_back_at_every_alignment() {
    // Multi-byte characters (2, 3 and 4 bytes) land on every offset of the 8-byte words the tokenizer reads,
    // next to delimiters, quotes and line breaks inside and outside quoted fields.
    const PIECES: [&str; 11] = ["a", "ä", "€", "😀", ",", "\"", "\n", "\r\n", " ", "xyz", "Ωmega"];
    let mut rng = Rng(16);
    for case in 0..60 {
        let rows = 1 + rng.below(40);
        let mut expected: Vec<[String; 3]> = Vec::new();
        let line_end = if case % 2 == 0 { "\n" } else { "\r\n" };
        let mut text = String::from(if case % 3 == 0 { "\u{feff}a,b,c" } else { "a,b,c" });
        text.push_str(line_end);
        for _ in 0..rows {
            let row: [String; 3] =
                std::array::from_fn(|_| (0..rng.below(6)).map(|_| PIECES[rng.below(PIECES.len())]).collect());
            let line: Vec<String> = row.iter().map(|f| written(f)).collect();
            text.push_str(&line.join(","));
            text.push_str(line_end);
            expected.push(row);
        }
        let types = ["a", "b", "c"].map(|c| (c.to_string(), "utf8".to_string())).to_vec();
        let opts = CsvOptions { delimiter: Some(b','), types, ..Default::default() };
        let (batch, _) = convert_with(text.as_bytes(), &opts);
        // Three columns: every record has two delimiters, so no record is a blank line that would be skipped.
        assert_eq!(batch.num_rows(), rows, "case {case}: {text:?}");
        for (r, row) in expected.iter().enumerate() {
            for (c, want) in row.iter().enumerate() {
                let col = batch.column(c).as_string::<i32>();
                if want.is_empty() {
                    assert!(col.is_null(r), "case {case}, row {r}, column {c}: empty field is null");
                } else {
                    assert_eq!(col.value(r), want, "case {case}, row {r}, column {c}");
                }
            }
        }
    }
}

#[test]
fn record_batches_keep_their_size_across_chunks() {
    // 7 columns: the tokenizer's chunks (8192 fields = 1170 records) do not divide the batch of 1000 or 5000.
    let mut text = String::from("a,b,c,d,e,f,g\n");
    for i in 0..12_345 {
        text.push_str(&format!("{i},x{i},{}.5,,true,2025-01-0{},\n", i % 7, 1 + i % 9));
    }
    for batch_size in [1000, 5000] {
        let opts = CsvOptions { batch_size, ..Default::default() };
        let conversion = csv_to_ipc(text.as_bytes(), &opts, None).unwrap();
        let (schema, batches) = read_ipc(&conversion.ipc);
        let sizes: Vec<usize> = batches.iter().map(|b| b.num_rows()).collect();
        let (last, full) = sizes.split_last().unwrap();
        assert!(full.iter().all(|&n| n == batch_size) && *last <= batch_size, "{sizes:?}");
        let all = concat(&schema, &batches);
        assert_eq!(all.num_rows(), 12_345);
        assert_eq!(all.column(0).as_primitive::<Int64Type>().value(12_344), 12_344);
        assert_eq!(all.column(1).as_string::<i32>().value(9_999), "x9999");
        assert_eq!(all.column(2).as_primitive::<Float64Type>().value(8), 1.5);
        assert_eq!(all.column(5).as_primitive::<Date32Type>().value(0), 20_089);
        // 2025-01-01
    }
}

#[test]
fn a_bad_value_in_a_later_chunk_names_its_own_line() {
    // Inference reads every value, so a bad value only reaches the builder through a forced type.
    let mut text = String::from("id,amount\n");
    for i in 0..5_000 {
        text.push_str(&format!("{i},{}\n", if i == 4_321 { "\"12,x\"" } else { "7" }));
    }
    let opts = CsvOptions { types: vec![("amount".into(), "int64".into())], ..Default::default() };
    let e = error(text.as_bytes(), &opts);
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert_eq!(e.line, Some(4_323), "{}", e.message);
    assert!(e.message.contains("'12,x'"), "{}", e.message);
}

#[test]
fn invalid_utf8_after_the_first_word_is_still_rejected() {
    for at in 0..20 {
        let mut bytes = b"name,city\nAino,Helsinki\nEino,Tampere-Pirkkala\n".to_vec();
        let pos = 10 + at;
        bytes[pos] = 0xe4; // Latin-1 "ä"
        let e = error(&bytes, &CsvOptions { encoding: Encoding::Utf8, ..Default::default() });
        assert_eq!(e.code, ErrorCode::InvalidCsv, "at {pos}");
        assert!(e.message.contains("is not UTF-8"), "at {pos}: {}", e.message);
    }
}

// ---- one pass: the first records guess the types, the whole file decides ----

/// `rows` records of `id,x` where x is `early` before `switch_at` and `late` from there on.
fn switching(rows: usize, switch_at: usize, early: &str, late: &str) -> String {
    let mut text = String::from("id,x\n");
    for i in 0..rows {
        text.push_str(&format!("{i},{}\n", if i < switch_at { early } else { late }));
    }
    text
}

#[test]
fn a_type_widened_after_the_first_records_is_built_with_the_final_type() {
    // 2 columns: the guess reads the first 32k records; the value that changes the type comes much later.
    let rows = 60_000;
    let (batch, c) = convert(&switching(rows, 50_000, "7", "1.5"));
    assert_eq!(types(&c), ["id:int64", "x:float64"]);
    let x = batch.column(1).as_primitive::<Float64Type>();
    assert_eq!((x.value(0), x.value(49_999), x.value(50_000), x.value(rows - 1)), (7.0, 7.0, 1.5, 1.5));

    // Leading zeros later: the guess (int64) would build, but the whole file keeps the column text.
    let (batch, c) = convert(&switching(rows, 55_000, "7", "007"));
    assert_eq!(types(&c), ["id:int64", "x:utf8"]);
    assert!(c.warnings.iter().any(|w| w.code == "LEADING_ZERO"));
    let x = batch.column(1).as_string::<i32>();
    assert_eq!((x.value(0), x.value(rows - 1)), ("7", "007"));

    // Empty in the first records, dates later.
    let (batch, c) = convert(&switching(rows, 40_000, "", "2025-01-01"));
    assert_eq!(types(&c), ["id:int64", "x:date32"]);
    assert_eq!(batch.column(1).null_count(), 40_000);

    // Fine-grained timestamps later: the unit follows the whole file.
    let (_, c) = convert(&switching(rows, 45_000, "2025-01-01 07:00:00", "2025-01-01 07:00:00.123"));
    assert_eq!(types(&c), ["id:int64", "x:timestamp[ms]"]);
}

#[test]
fn values_after_the_one_that_drops_the_guess_still_decide_the_types() {
    // Building observes too: when `x` = 1.5 fails the guessed int64, the rest of `x` in that chunk (a date) and
    // the columns after it (`y` = 05) must still be seen, or the file would get float64 and int64.
    let mut text = String::from("id,x,y\n");
    for i in 0..60_000 {
        let (x, y) = match i {
            50_000 => ("1.5", "5"),
            50_001 => ("2025-01-01", "05"),
            _ => ("7", "5"),
        };
        text.push_str(&format!("{i},{x},{y}\n"));
    }
    let (batch, c) = convert(&text);
    assert_eq!(types(&c), ["id:int64", "x:utf8", "y:utf8"]);
    assert!(c.warnings.iter().any(|w| w.code == "LEADING_ZERO" && w.column.as_deref() == Some("y")));
    assert_eq!(batch.column(1).as_string::<i32>().value(50_001), "2025-01-01");
}

#[test]
fn progress_stays_monotonic_when_the_guess_is_dropped() {
    let text = switching(60_000, 50_000, "7", "x");
    let mut seen = Vec::new();
    let mut cb = |loaded: u64, total: u64| {
        seen.push((loaded, total));
        ControlFlow::Continue(())
    };
    let conversion = csv_to_ipc(text.as_bytes(), &CsvOptions::default(), Some(&mut cb)).unwrap();
    assert_eq!(conversion.columns[1].1, "utf8");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert_eq!(seen.last().unwrap(), &(text.len() as u64, text.len() as u64));
}

#[test]
fn a_progress_callback_that_breaks_cancels_the_conversion() {
    let mut text = String::from("a\n");
    for i in 0..1000 {
        text.push_str(&format!("{i}\n"));
    }
    let mut calls = 0;
    let mut cb = |_: u64, _: u64| {
        calls += 1;
        if calls == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let opts = CsvOptions { batch_size: 100, ..Default::default() };
    let err = csv_to_ipc(text.as_bytes(), &opts, Some(&mut cb)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(calls, 3, "the conversion must stop at the batch whose report asked it to");
}
