//! A CSV file read in pieces (`CsvStream`, what `loadFile` does with a File) converts exactly as the whole file
//! does with `csv_to_ipc`: the same Arrow IPC bytes, report, warnings and errors, whatever the piece size, with
//! records, quoted line breaks, `\r\n` pairs and UTF-8 characters cut at piece boundaries, and with the
//! re-reads (a late value that widens a type, a late byte that is not UTF-8).
mod common;

use common::{read_ipc, Rng};
use segmetry_formats::{csv_to_ipc, Conversion, CsvOptions, CsvStream, Encoding, FormatError, Next};

/// Passes over the file a stream may ask for: the first, a re-read with the final types, and for a late
/// non-UTF-8 byte one more (Windows-1252 from the start, then perhaps other types again).
const MAX_PASSES: usize = 3;

/// Convert `bytes` through a `CsvStream` fed `piece` bytes at a time, the way js/formats.js drives it.
fn streamed(bytes: &[u8], options: &CsvOptions, piece: usize) -> Result<(Conversion, usize), FormatError> {
    let mut s = CsvStream::new(options.clone(), bytes.len() as u64);
    'pass: for pass in 1..=MAX_PASSES {
        let mut out = Vec::new();
        for p in bytes.chunks(piece) {
            match s.push(p)? {
                Next::Continue => out.extend(s.take_bytes()),
                Next::Restart => continue 'pass,
                Next::WholeFile => return csv_to_ipc(bytes, options, None).map(|c| (c, 0)),
            }
        }
        match s.finish()? {
            Ok(mut c) => {
                out.extend(std::mem::take(&mut c.ipc));
                c.ipc = out;
                return Ok((c, pass));
            }
            Err(Next::WholeFile) => return csv_to_ipc(bytes, options, None).map(|c| (c, 0)),
            Err(_) => continue,
        }
    }
    panic!("the stream asked for more than {MAX_PASSES} passes");
}

/// The stream agrees with the whole-file conversion for every piece size; returns the passes it took (0 when
/// the file is an error).
fn agrees(bytes: &[u8], options: &CsvOptions, pieces: &[usize]) -> usize {
    let whole = csv_to_ipc(bytes, options, None);
    let mut passes = 0;
    for &piece in pieces {
        let got = streamed(bytes, options, piece);
        match (&whole, got) {
            (Ok(w), Ok((s, p))) => {
                passes = p;
                assert!(w.ipc == s.ipc, "piece {piece}: different IPC bytes");
                assert_eq!(w.num_rows, s.num_rows, "piece {piece}");
                assert_eq!(w.columns, s.columns, "piece {piece}");
                assert_eq!(w.reports, s.reports, "piece {piece}");
                assert_eq!(w.warnings, s.warnings, "piece {piece}");
                assert_eq!(w.delimiter, s.delimiter, "piece {piece}");
                read_ipc(&s.ipc); // readable by arrow-rs
            }
            (Err(w), Err(s)) => {
                assert_eq!((w.code, w.line, w.column), (s.code, s.line, s.column), "piece {piece}: {w} vs {s}");
                assert_eq!(w.message, s.message, "piece {piece}");
            }
            (w, s) => panic!("piece {piece}: whole {w:?} but streamed {:?}", s.map(|(c, _)| c.num_rows)),
        }
    }
    passes
}

const SMALL: [usize; 8] = [1, 2, 3, 5, 7, 64, 1000, usize::MAX];

#[test]
fn small_files_with_cuts_everywhere() {
    let texts: [&[u8]; 9] = [
        b"id,name,note\n1,\"Smith, John\",\"line one\nline two\"\n2,\"6\"\" pipe\",\"a\r\nb\"\n3,plain,\n",
        b"a;b\r\n1,5;x\r\n\r\n2,25;\"y\r\nz\"\r\n3;w",
        "k\tv\n\u{e4}\u{e4}kk\u{f6}nen\t12,50 \u{20ac}\n\u{1f600}\t7 \u{20ac}\n".as_bytes(),
        b"\xEF\xBB\xBFid,when\n1,16.9.2025\n2,1.10.2025 7:42\n",
        b"x,y\rx1,1\ry1,2\r",
        b"zip,phone,flag\n00100,+358401234567,yes\n00200,+358401234568,no\n",
        b"only\n",
        b"  \n \n",
        b"a,b\n1,\"unclosed\n2,3\n",
    ];
    for t in texts {
        agrees(t, &CsvOptions::default(), &SMALL);
    }
}

#[test]
fn errors_name_the_same_line() {
    let texts: [&[u8]; 4] =
        [b"a,b\n1,2\n3,4\n5\n6,7\n", b"a,b\n1,2\n\"x\",y\nz,\"open\n", b"a,b\n1,2\n3,\x004\n", b"a,b\n1,2\n3,4,5\n"];
    for t in texts {
        agrees(t, &CsvOptions::default(), &SMALL);
    }
    let forced = CsvOptions { types: vec![("b".into(), "int64".into())], ..Default::default() };
    agrees(b"a,b\n1,2\n3,4\n5,6x\n", &forced, &SMALL);
    let utf8 = CsvOptions { encoding: Encoding::Utf8, ..Default::default() };
    agrees(b"a,b\n1,2\n3,\xe44\n", &utf8, &SMALL);
}

/// A file large enough for several record batches and a sample that ends long before the file does.
fn big(rows: usize, late: Option<&str>) -> Vec<u8> {
    let mut rng = Rng(7);
    let mut s = String::from("id,amount,city,when,ok,note\n");
    for i in 0..rows {
        let amount = rng.below(100_000) as f64 / 100.0;
        let city = ["Helsinki", "Espoo", "Tampere", "Åbo"][rng.below(4)];
        let note = if rng.below(50) == 0 { "\"two\nlines, \"\"quoted\"\"\"" } else { "" };
        let ok = if rng.below(2) == 0 { "true" } else { "false" };
        let id = if i == rows - 3 { late.unwrap_or("17").to_string() } else { i.to_string() };
        s.push_str(&format!("{id},{amount},{city},2025-{:02}-{:02},{ok},{note}\r\n", 1 + i % 12, 1 + i % 28));
    }
    s.into_bytes()
}

#[test]
fn big_files_in_pieces_and_batches() {
    let options = CsvOptions { batch_size: 1000, ..Default::default() };
    let bytes = big(60_000, None);
    assert!(bytes.len() > 2 << 20, "the file must be larger than the first piece");
    assert_eq!(agrees(&bytes, &options, &[4093, 65_536, 1 << 20]), 1);
    assert_eq!(agrees(&bytes, &CsvOptions::default(), &[1 << 20]), 1);
}

#[test]
fn a_late_value_that_widens_a_type_reads_the_file_again() {
    // `id` looks like int64 in every record but one near the end: the guess fails, the whole file decides
    // utf8, and the second pass builds it: no value is damaged.
    let bytes = big(30_000, Some("A-17"));
    assert_eq!(agrees(&bytes, &CsvOptions::default(), &[4093, 1 << 20]), 2);
    let bytes = big(30_000, Some("17.5"));
    assert_eq!(agrees(&bytes, &CsvOptions::default(), &[1 << 20]), 2);
}

#[test]
fn a_late_byte_that_is_not_utf8_reads_the_file_as_windows_1252() {
    let mut bytes = big(30_000, None);
    let at = bytes.len() - 10;
    bytes[at] = 0xe4; // ä in Windows-1252, inside the last record's city
    let passes = agrees(&bytes, &CsvOptions::default(), &[4093, 1 << 20]);
    assert!(passes >= 2, "took {passes} passes");
}

#[test]
fn utf16_is_converted_whole() {
    let text: Vec<u8> = "a,b\n1,2\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(&text);
    let mut s = CsvStream::new(CsvOptions::default(), bytes.len() as u64);
    assert_eq!(s.push(&bytes).unwrap(), Next::Continue); // fewer than 1 KiB: undecided until the end
    assert!(matches!(s.finish(), Ok(Err(Next::WholeFile))));
    agrees(&bytes, &CsvOptions::default(), &SMALL);
}

/// Random files from the bytes that matter to the tokenizer and the decoder (delimiters, quotes, `\r`, `\n`, a
/// two-byte UTF-8 letter, a lone Windows-1252 byte) and typed-looking values: streamed and whole agree, valid
/// or not. NUL is left out: a file with a NUL and another error may name the other one first when streamed (the
/// whole-file check reads the whole text before the records; a stream meets the NUL only in its piece).
#[test]
fn random_files_agree() {
    const TOKENS: [&[u8]; 16] = [
        b",",
        b";",
        b"\"",
        b"\"\"",
        b"\n",
        b"\r\n",
        b"\r",
        b"12",
        b"-3.5",
        b"2025-01-02",
        b"true",
        b"x y",
        b"\xc3\xa4",
        b"00100",
        b"\xe4",
        b" ",
    ];
    let mut rng = Rng(2026);
    let mut converted = 0;
    for case in 0..300 {
        let mut bytes = b"a,b,c\n".to_vec();
        for _ in 0..rng.below(200) {
            bytes.extend_from_slice(TOKENS[rng.below(TOKENS.len())]);
        }
        if case % 3 == 0 {
            // Mostly well-formed records, so that some files convert.
            bytes = b"a,b,c\n".to_vec();
            for _ in 0..rng.below(60) {
                for f in 0..3 {
                    bytes.extend_from_slice(TOKENS[7 + rng.below(9)]);
                    bytes.push(if f == 2 { b'\n' } else { b',' });
                }
            }
        }
        let piece = 1 + rng.below(40);
        if agrees(&bytes, &CsvOptions::default(), &[piece, usize::MAX]) > 0 {
            converted += 1;
        }
    }
    // Errors agree too, but the test must also see files that convert (some of them twice or as Windows-1252).
    assert!(converted >= 60, "only {converted} of 300 files converted");
}

/// `written_rows` counts the records in the record batches written so far — whole batches of `batch_size` until
/// the end — which js/formats.js divides the bytes by to size its output buffer once.
#[test]
fn written_rows_are_the_rows_of_written_batches() {
    let options = CsvOptions { batch_size: 1000, ..Default::default() };
    let bytes = big(30_500, None);
    let mut s = CsvStream::new(options, bytes.len() as u64);
    for piece in bytes.chunks(100_003) {
        assert_eq!(s.push(piece).unwrap(), Next::Continue);
        let (rows, written) = (s.rows(), s.written_rows());
        assert!(written <= rows && rows - written < 1000, "{written} of {rows}");
        assert_eq!(written % 1000, 0, "whole batches only");
    }
    assert_eq!((s.rows(), s.written_rows()), (30_500, 30_000), "the last 500 are written at the end");
}
