//! CSV → Arrow IPC.
//!
//! Before arrow-csv sees the bytes, a small scanner with exactly csv_core's quoting rules (RFC 4180: quotes
//! open only at the start of a field, `""` is a quote inside a quoted field, `\n`, `\r\n` and `\r` end records,
//! blank lines are skipped) walks the whole file once. It sniffs the delimiter, checks that every record has
//! the header's number of fields and that every quoted field is closed, and remembers on which physical line
//! each record starts, so errors can say "line 7, field 4" even when quoted values contain line breaks.

use std::sync::Arc;

use arrow_csv::reader::Format;
use arrow_csv::ReaderBuilder;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::error::FormatError;
use crate::{type_name, Conversion, IpcSink, Progress};

/// Delimiters tried when none is given, in order of preference on ties.
pub const SNIFF_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Field delimiter; `None` sniffs among `, ; \t |`.
    pub delimiter: Option<u8>,
    /// The first record holds column names (default true). Without it, columns are `column_1`, `column_2`, …
    pub header: bool,
    /// Quote character (default `"`).
    pub quote: u8,
    /// Values read as null besides the empty field (e.g. `NA`, `null`, `-`).
    pub null_values: Vec<String>,
    /// Rows per record batch.
    pub batch_size: usize,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { delimiter: None, header: true, quote: b'"', null_values: Vec::new(), batch_size: 65_536 }
    }
}

fn show_byte(b: u8) -> String {
    match b {
        b'\t' => "\\t (tab)".into(),
        b',' => "',' (comma)".into(),
        b';' => "';' (semicolon)".into(),
        b'|' => "'|' (pipe)".into(),
        b if b.is_ascii_graphic() || b == b' ' => format!("'{}'", b as char),
        b => format!("byte 0x{b:02x}"),
    }
}

/// Line (1-based) and character column (1-based) of a byte offset.
fn line_col(data: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(data.len());
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < offset {
        match data[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if data.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let col = String::from_utf8_lossy(&data[line_start..offset]).chars().count() + 1;
    (line, col)
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// What the scanner learned about the file.
struct Scan {
    /// Physical line on which each record (header included) starts.
    record_lines: Vec<u32>,
    /// Fields per record for the first records (sniffing) — only filled in lenient mode.
    counts: Vec<usize>,
}

/// Walk the records. In strict mode every record must have as many fields as the first one and quotes must
/// be closed; in lenient mode (sniffing) the first `limit` records' field counts are collected.
fn scan(data: &[u8], delim: u8, quote: u8, strict: bool, limit: usize, delim_note: &str) -> Result<Scan, FormatError> {
    let mut out = Scan { record_lines: Vec::new(), counts: Vec::new() };
    let mut state = State::StartRecord;
    let mut line: usize = 1;
    let mut fields = 0usize;
    let mut expected: Option<usize> = None;
    let mut record_line = 1usize;
    let mut quote_at = 0usize;

    let mut end_record = |fields: usize, record_line: usize, out: &mut Scan| -> Result<bool, FormatError> {
        if strict {
            out.record_lines.push(record_line.min(u32::MAX as usize) as u32);
            match expected {
                None => expected = Some(fields),
                Some(want) if want != fields => {
                    let first = out.record_lines[0];
                    let (what, column) = if fields > want {
                        (
                            format!(
                                "has {fields} fields but the first line (line {first}) has {want}. A value probably \
                                 contains the delimiter {delim_note} without being quoted: put such values in double \
                                 quotes (\"Smith, John\"), or fix the extra field (field {})",
                                want + 1
                            ),
                            want + 1,
                        )
                    } else {
                        (
                            format!(
                                "has {fields} fields but the first line (line {first}) has {want} (delimiter \
                                 {delim_note}). A field is missing, or a line break inside an unquoted value split \
                                 the row in two: add the missing field (empty is fine: two delimiters in a row), or \
                                 quote values that contain line breaks"
                            ),
                            fields.max(1),
                        )
                    };
                    return Err(FormatError::csv(format!("CSV line {record_line} {what}"), record_line, Some(column)));
                }
                Some(_) => {}
            }
        } else {
            out.counts.push(fields);
            if out.counts.len() >= limit {
                return Ok(true);
            }
        }
        Ok(false)
    };

    let mut i = 0;
    let n = data.len();
    while i < n {
        let b = data[i];
        let newline = b == b'\n' || b == b'\r';
        if newline && (b == b'\n' || data.get(i + 1) != Some(&b'\n')) {
            // Counted once per line ending (\r\n counts at its \n).
            line += 1;
        }
        match state {
            State::StartRecord => {
                if !newline {
                    record_line = line;
                    fields = 0;
                    state = State::StartField;
                    continue; // re-read this byte as the start of a field
                }
            }
            State::StartField => {
                if b == quote {
                    state = State::InQuoted;
                    quote_at = i;
                } else if b == delim {
                    fields += 1;
                } else if newline {
                    fields += 1;
                    state = State::StartRecord;
                    if end_record(fields, record_line, &mut out)? {
                        return Ok(out);
                    }
                } else {
                    state = State::InField;
                }
            }
            State::InField | State::QuoteInQuoted => {
                if state == State::QuoteInQuoted && b == quote {
                    state = State::InQuoted;
                } else if b == delim {
                    fields += 1;
                    state = State::StartField;
                } else if newline {
                    fields += 1;
                    state = State::StartRecord;
                    if end_record(fields, record_line, &mut out)? {
                        return Ok(out);
                    }
                } else {
                    state = State::InField;
                }
            }
            State::InQuoted => {
                if b == quote {
                    state = State::QuoteInQuoted;
                }
            }
        }
        i += 1;
    }
    match state {
        State::StartRecord => {}
        State::InQuoted => {
            if strict {
                let (l, c) = line_col(data, quote_at);
                return Err(FormatError::csv(
                    format!(
                        "CSV line {l}, column {c}: a quoted field starts here but its closing quote is missing, so \
                         everything after it ({} more lines) would be one value. Close the quote; inside quoted \
                         values write a quote as two quotes (\"\"), e.g. \"6\"\" pipe\"",
                        line.saturating_sub(l)
                    ),
                    l,
                    Some(c),
                ));
            }
            end_record(fields + 1, record_line, &mut out)?;
        }
        _ => {
            end_record(fields + 1, record_line, &mut out)?;
        }
    }
    Ok(out)
}

/// Pick the delimiter that splits the first records into the same number (> 1) of fields most consistently.
fn sniff(data: &[u8], quote: u8) -> u8 {
    let sample = &data[..data.len().min(1 << 20)];
    let mut best: Option<(usize, usize, u8)> = None; // (consistent records, fields, delimiter)
    for &d in &SNIFF_DELIMITERS {
        let Ok(scan) = scan(sample, d, quote, false, 200, "") else {
            continue;
        };
        let Some(&first) = scan.counts.first() else {
            continue;
        };
        if first < 2 {
            continue;
        }
        let consistent = scan.counts.iter().filter(|&&c| c == first).count();
        let candidate = (consistent, first, d);
        if best.is_none_or(|(bc, bf, _)| (consistent, first) > (bc, bf)) {
            best = Some(candidate);
        }
    }
    best.map(|b| b.2).unwrap_or(b',')
}

fn escape_regex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\.+*?()|[]{}^$#&-~ ".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Convert CSV bytes into an Arrow IPC stream.
pub fn csv_to_ipc(bytes: &[u8], options: &CsvOptions, progress: Option<Progress>) -> Result<Conversion, FormatError> {
    let mut progress = progress;
    let data = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FormatError::csv(
            "the CSV file is empty: it needs a header line with column names and at least one data line",
            1,
            None,
        ));
    }
    if let Err(e) = std::str::from_utf8(data) {
        let at = e.valid_up_to();
        let (l, c) = line_col(data, at);
        return Err(FormatError::csv(
            format!(
                "CSV line {l}, column {c}: byte 0x{:02x} is not valid UTF-8 text. Save the file as UTF-8 (in Excel: \
                 \"CSV UTF-8\"), or convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv`",
                data[at]
            ),
            l,
            Some(c),
        ));
    }
    if data.contains(&0) {
        let at = data.iter().position(|&b| b == 0).unwrap_or(0);
        let (l, c) = line_col(data, at);
        return Err(FormatError::csv(
            format!("CSV line {l}, column {c}: a NUL byte; this looks like a binary file, not CSV text"),
            l,
            Some(c),
        ));
    }
    let quote = options.quote;
    if !quote.is_ascii() || quote == b'\n' || quote == b'\r' {
        return Err(FormatError::argument("quote", "quote must be one ASCII character such as '\"'"));
    }
    let delimiter = match options.delimiter {
        Some(d) => {
            if !d.is_ascii() || d == b'\n' || d == b'\r' || d == quote {
                return Err(FormatError::argument(
                    "delimiter",
                    format!(
                        "delimiter must be one ASCII character other than a line break or the quote, got {}",
                        show_byte(d)
                    ),
                ));
            }
            d
        }
        None => sniff(data, quote),
    };
    let delim_note = if options.delimiter.is_some() {
        show_byte(delimiter)
    } else {
        format!("{} (detected; pass the `delimiter` option if that is wrong)", show_byte(delimiter))
    };
    let scanned = scan(data, delimiter, quote, true, usize::MAX, &delim_note)?;
    let record_lines = scanned.record_lines;

    let mut null_pattern = String::from("^(?:");
    for v in &options.null_values {
        null_pattern.push_str(&escape_regex(v));
        null_pattern.push('|');
    }
    null_pattern.push_str(")$");
    let null_regex = regex::Regex::new(&null_pattern)
        .map_err(|e| FormatError::argument("nullValues", format!("nullValues could not be used: {e}")))?;

    let format = Format::default()
        .with_header(options.header)
        .with_delimiter(delimiter)
        .with_quote(quote)
        .with_null_regex(null_regex);
    let (inferred, _) = format
        .infer_schema(data, None)
        .map_err(|e| FormatError::csv(format!("the CSV could not be read: {e}"), 1, None))?;

    // Column names: empty → column_N, duplicates → name_2, name_3, …; all-empty columns → text.
    let mut warnings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut fields: Vec<Field> = Vec::with_capacity(inferred.fields().len());
    for (i, f) in inferred.fields().iter().enumerate() {
        let mut name = f.name().trim().to_string();
        if name.is_empty() {
            name = format!("column_{}", i + 1);
            warnings.push(format!("column {} has no name in the header; it was named '{name}'", i + 1));
        }
        if !seen.insert(name.clone()) {
            let base = name.clone();
            let mut k = 2;
            while !seen.insert(format!("{base}_{k}")) {
                k += 1;
            }
            name = format!("{base}_{k}");
            warnings.push(format!("column {} repeats the name '{base}'; it was renamed '{name}'", i + 1));
        }
        let dt = match f.data_type() {
            DataType::Null => DataType::Utf8,
            other => other.clone(),
        };
        fields.push(Field::new(name, dt, true));
    }

    // Decode; a column whose inferred type fails on some value (e.g. a timestamp-looking text) is read as text.
    let total = data.len() as u64;
    let max_attempts = fields.len() + 1;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let schema: SchemaRef = Arc::new(Schema::new(fields.clone()));
        match decode(data, &schema, &format, options, &mut progress, total) {
            Ok(mut conversion) => {
                conversion.warnings = warnings;
                conversion.delimiter = Some(delimiter);
                return Ok(conversion);
            }
            Err(DecodeError::Column(index, message))
                if attempts < max_attempts && index < fields.len() && fields[index].data_type() != &DataType::Utf8 =>
            {
                let f = &fields[index];
                warnings.push(format!(
                    "column '{}' looked like {} but not every value is ({}); it was read as text",
                    f.name(),
                    type_name(f.data_type()),
                    message
                ));
                fields[index] = Field::new(f.name(), DataType::Utf8, true);
            }
            Err(DecodeError::Column(_, message)) | Err(DecodeError::Other(message)) => {
                let line = arrow_line(&message).and_then(|r| record_lines.get(r).map(|&l| l as usize)).unwrap_or(1);
                return Err(FormatError::csv(
                    format!("the CSV could not be read near line {line}: {message}"),
                    line,
                    None,
                ));
            }
            Err(DecodeError::Fatal(e)) => return Err(e),
        }
    }
}

enum DecodeError {
    Column(usize, String),
    Other(String),
    Fatal(FormatError),
}

/// `… at line N …` in arrow-csv's messages (record number, 0-based with the header as record 0).
fn arrow_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("line ")? + 5..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn arrow_column(message: &str) -> Option<usize> {
    let rest = &message[message.find("column ")? + 7..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn decode(
    data: &[u8],
    schema: &SchemaRef,
    format: &Format,
    options: &CsvOptions,
    progress: &mut Option<Progress>,
    total: u64,
) -> Result<Conversion, DecodeError> {
    let mut decoder = ReaderBuilder::new(schema.clone())
        .with_format(format.clone())
        .with_batch_size(options.batch_size.max(1))
        .build_decoder();
    let mut sink = IpcSink::new(schema).map_err(DecodeError::Fatal)?;
    let classify = |e: arrow_schema::ArrowError| {
        let message = e.to_string();
        match arrow_column(&message) {
            Some(c) if message.contains("parsing") => DecodeError::Column(c, message),
            _ => DecodeError::Other(message),
        }
    };
    let mut pos = 0;
    loop {
        let consumed = decoder.decode(&data[pos..]).map_err(classify)?;
        pos += consumed;
        if consumed == 0 || decoder.capacity() == 0 {
            match decoder.flush().map_err(classify)? {
                Some(batch) => {
                    sink.write(&batch).map_err(DecodeError::Fatal)?;
                    if let Some(p) = progress.as_mut() {
                        p(pos as u64, total);
                    }
                }
                None if consumed == 0 => break,
                None => {}
            }
        }
    }
    sink.finish(schema).map_err(DecodeError::Fatal)
}
