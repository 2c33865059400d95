//! CSV → Arrow IPC, usually in one pass over the text. The first records give each column a first guess of
//! its type (`infer.rs`); the pass then observes every value of the file, for the decisions and the import
//! report, while it builds typed arrays with the guess (`build.rs`, `write.rs`). When the whole file decides
//! the same types, which is the common case, that output stands; otherwise (a later value widens a type, a
//! warning keeps a column text) a second pass builds with the final types. Both use the same tokenizer
//! (`scan.rs`) and the same value parsers (`values.rs`), so what inference accepts always builds.
//! Work per record batch is bounded by columns × rows, so a very wide file gets short batches.

mod build;
mod encoding;
mod infer;
mod scan;
mod stream;
mod swar;
mod types;
pub(crate) mod values;
mod write;

use std::collections::HashSet;

use self::build::{is_null, ColumnPlan};
pub use self::encoding::Encoding;
use self::infer::{ColStats, Context};
use self::scan::{line_col, show_byte, sniff, Batch, Resume, Tokenizer};
pub use self::stream::{CsvStream, Next};
pub use self::types::{Forced, Locale};
use self::write::BatchWriter;
use crate::error::FormatError;
use crate::messages::{nested, Message};
use crate::{type_name, ColumnReport, Conversion, Progress, Warning, PANDAS_INDEX};

/// Fields (columns × rows) per record batch at most; the row count shrinks for wide files.
pub const CELLS_PER_BATCH: usize = 1 << 20;

/// Fields the first guess of the types reads (the first records); the pass confirms it on every value.
const SAMPLE_CELLS: usize = 1 << 16;

/// Fields tokenized at a time: few enough that a chunk's field ranges and text stay in cache while each column
/// builder walks them (with a whole record batch at once, every column re-read it from memory).
const CELLS_PER_CHUNK: usize = 1 << 13;

/// Options of [`csv_to_ipc`].
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
    /// Rows per record batch (fewer for files with many columns, see [`CELLS_PER_BATCH`]).
    pub batch_size: usize,
    /// Per-column types by (final) column name, as Arrow type names: `utf8`, `int64`, `float64`, `bool`,
    /// `date32`, `timestamp`, `timestamp[ms, Europe/Helsinki]`, `decimal128(12, 2)`.
    pub types: Vec<(String, String)>,
    /// Number and date conventions.
    pub locale: Locale,
    /// IANA zone in which timestamps without an offset are read (default: UTC, and the column has no zone).
    pub time_zone: Option<String>,
    /// How the bytes are decoded (default: a byte-order mark, else UTF-8, else Windows-1252 with a warning).
    pub encoding: Encoding,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: None,
            header: true,
            quote: b'"',
            null_values: Vec::new(),
            batch_size: 65_536,
            types: Vec::new(),
            locale: Locale::Auto,
            time_zone: None,
            encoding: Encoding::Auto,
        }
    }
}

/// The decoded text after the checks every CSV must pass: not empty, no NUL characters.
fn checked_text<'a>(
    bytes: &'a [u8],
    options: &CsvOptions,
    warnings: &mut Vec<Warning>,
) -> Result<std::borrow::Cow<'a, str>, FormatError> {
    let text = encoding::decode(bytes, options.encoding, warnings)?;
    if text.chars().all(char::is_whitespace) {
        return Err(empty_error());
    }
    nul_check(text.as_bytes(), 1)?;
    Ok(text)
}

/// The text must hold no NUL character; `text` starts on line `base_line` of the file (for the error's line).
fn nul_check(text: &[u8], base_line: usize) -> Result<(), FormatError> {
    // A word at a time: a byte loop over the whole file costs as much as tokenizing it in wasm.
    let at = swar::find_nul(text);
    if at < text.len() {
        let (l, c) = line_col(text, at);
        let l = l + base_line - 1;
        return Err(FormatError::csv(Message::new("csv_nul", [l.to_string(), c.to_string()]), l, Some(c)));
    }
    Ok(())
}

/// The error of a file with nothing but white space.
fn empty_error() -> FormatError {
    FormatError::csv(Message::plain("csv_empty"), 1, None)
}

/// The delimiter (given or sniffed) and how messages name it.
fn delimiter(text: &str, options: &CsvOptions) -> Result<(u8, String), FormatError> {
    let quote = options.quote;
    if !quote.is_ascii() || quote == b'\n' || quote == b'\r' {
        return Err(FormatError::argument("quote", Message::plain("opt_quote")));
    }
    match options.delimiter {
        Some(d) => {
            if !d.is_ascii() || d == b'\n' || d == b'\r' || d == quote {
                return Err(FormatError::argument("delimiter", Message::new("opt_delimiter", [show_byte(d)])));
            }
            Ok((d, show_byte(d)))
        }
        None => {
            let d = sniff(text, quote);
            Ok((d, nested("csv_delimiter_detected", &[&show_byte(d)])))
        }
    }
}

/// Column names from the header record: trimmed, empty → `column_N`, duplicates → `name_2`, …
fn column_names(raw: Vec<String>, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::with_capacity(raw.len());
    for (i, name) in raw.into_iter().enumerate() {
        let mut name = name.trim().to_string();
        if name.is_empty() {
            name = format!("column_{}", i + 1);
            let text = Message::new("warn_unnamed_column", [(i + 1).to_string(), name.clone()]);
            warnings.push(Warning::new("RENAMED_COLUMN", Some(&name), text));
        }
        if !seen.insert(name.clone()) {
            let base = name.clone();
            let mut k = 2;
            while !seen.insert(format!("{base}_{k}")) {
                k += 1;
            }
            name = format!("{base}_{k}");
            let text = Message::new("warn_repeated_name", [(i + 1).to_string(), base, name.clone()]);
            warnings.push(Warning::new("RENAMED_COLUMN", Some(&name), text));
        }
        names.push(name);
    }
    names
}

/// What the start of a file decides before the pass over its records: the delimiter, the columns, the batch
/// sizes and the first guess of the types (from the first records).
struct Prepared {
    delim: u8,
    quote: u8,
    delim_note: String,
    ctx: Context,
    names: Vec<String>,
    keep: Vec<usize>,
    forced: Vec<(usize, Forced)>,
    width: usize,
    rows_per_batch: usize,
    chunk_rows: usize,
    /// Byte offset of the first data record, and the tokenizer's state there.
    start: usize,
    start_at: Resume,
    /// The first guess of each kept column's plan; `None` when the sample cannot settle a forced type.
    guess: Option<Vec<ColumnPlan>>,
    /// Rows the builders first make room for.
    capacity: usize,
}

impl Prepared {
    /// Read the header (or the first record's width) and a sample of `text`, which is the whole file's text
    /// (`cut` false) or its first piece (`cut` true: `None` until the piece holds the whole first record).
    /// `total_len` is the size of the whole text, for the builders' first capacity.
    fn new(
        text: &str,
        total_len: usize,
        cut: bool,
        options: &CsvOptions,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Prepared>, FormatError> {
        let (delim, delim_note) = delimiter(text, options)?;
        let zone = match &options.time_zone {
            Some(z) => types::known_zone("timeZone", z)?,
            None => crate::tz::zone("UTC").ok_or_else(|| FormatError::internal("no UTC zone"))?,
        };
        let ctx = Context { locale: options.locale, zone, zone_given: options.time_zone.is_some() };

        // The header (or the first record, for its width).
        let first = Resume { line: 1, width: None, first_line: 1 };
        let mut tok = Tokenizer::resume(text, delim, options.quote, delim_note.clone(), first, cut);
        let mut batch = Batch::default();
        tok.next_batch(1, &mut batch)?;
        if cut && batch.rows() == 0 {
            return Ok(None);
        }
        let width = tok.width.unwrap_or(0);
        let mut warns = Vec::new();
        let raw_names: Vec<String> = if options.header {
            batch.fields.iter().map(|&f| tok.value(f).into_owned()).collect()
        } else {
            (1..=width).map(|i| format!("column_{i}")).collect()
        };
        let names = column_names(raw_names, &mut warns);
        // Where the data records start: after the header, or the first record again.
        let (start, start_at) =
            if options.header { (tok.position(), tok.stand()) } else { (0, Resume { width: Some(width), ..first }) };
        let keep: Vec<usize> = (0..width).filter(|&i| names[i] != PANDAS_INDEX).collect();
        if keep.len() < width {
            warns.push(Warning::index_dropped());
        }
        let forced = forced_types(options, &names, &keep)?;
        let rows_per_batch = options.batch_size.max(1).min((CELLS_PER_BATCH / width.max(1)).max(1));
        let chunk_rows = (CELLS_PER_CHUNK / width.max(1)).clamp(1, rows_per_batch);
        let mut p = Prepared {
            delim,
            quote: options.quote,
            delim_note,
            ctx,
            names,
            keep,
            forced,
            width,
            rows_per_batch,
            chunk_rows,
            start,
            start_at,
            guess: None,
            capacity: 0,
        };

        // A first guess from the first records; the pass builds with it while it observes every value.
        let mut sample = vec![ColStats::default(); width];
        let mut sampled = p.tokenizer(&text[start..], start_at, cut);
        let input = p.input(&options.null_values);
        let sample_rows = input.observe(&mut sampled, (SAMPLE_CELLS / width.max(1)).max(1), &mut sample, &mut batch)?;
        // Builders get room for the records the file holds (estimated from the sample's bytes per record) when
        // that is less than a record batch: a small file should not reserve a full batch per column.
        let sample_bytes = sampled.position().max(1) as f64;
        let expected_rows = total_len.saturating_sub(start) as f64 / sample_bytes * sample_rows as f64 * 1.1;
        p.capacity = rows_per_batch.min(expected_rows as usize + 16);
        // A guess that fails (a forced type the sample cannot settle) leaves the whole file to decide.
        p.guess = p.columns().decide(&sample).ok().map(|d| d.plans);
        warnings.extend(warns);
        Ok(Some(p))
    }

    /// A tokenizer of `data`, which starts at a record boundary in state `at`.
    fn tokenizer<'t>(&self, data: &'t str, at: Resume, cut: bool) -> Tokenizer<'t> {
        Tokenizer::resume(data, self.delim, self.quote, self.delim_note.clone(), at, cut)
    }

    fn input<'s>(&'s self, nulls: &'s [String]) -> Input<'s> {
        Input { width: self.width, keep: &self.keep, nulls, chunk_rows: self.chunk_rows }
    }

    fn columns(&self) -> Columns<'_> {
        Columns { names: &self.names, keep: &self.keep, forced: &self.forced, ctx: &self.ctx }
    }
}

/// Convert CSV bytes into an Arrow IPC stream, with a report of the types chosen and why.
pub fn csv_to_ipc(bytes: &[u8], options: &CsvOptions, progress: Option<Progress>) -> Result<Conversion, FormatError> {
    let mut progress = progress;
    let mut warnings = Vec::new();
    let text = checked_text(bytes, options, &mut warnings)?;
    let text: &str = &text;
    let p = Prepared::new(text, text.len(), false, options, &mut warnings)?
        .ok_or_else(|| FormatError::internal("a whole text always has its first record"))?;
    let start = p.tokenizer(&text[p.start..], p.start_at, false);
    let input = p.input(&options.null_values);
    let columns = p.columns();
    let (width, rows_per_batch, chunk_rows) = (p.width, p.rows_per_batch, p.chunk_rows);
    let total = text.len() as u64;
    let mut batch = Batch::default();
    let writer = match p.guess.clone() {
        Some(plans) => Some(BatchWriter::new(plans, rows_per_batch, p.capacity)?),
        None => None,
    };
    let capacity = p.capacity;

    // The pass: every value of every kept column observed (the decisions and the report are the whole file's)
    // and, while the guess holds, built. A value the guessed type cannot read drops the guess.
    let (stats, writer) = first_pass(&input, &start, writer, &mut batch, &mut progress, (total, rows_per_batch))?;
    let decision = columns.decide(&stats)?;
    warnings.extend(decision.warnings);
    let kinds = |plans: &[ColumnPlan]| plans.iter().map(|p| p.kind.clone()).collect::<Vec<_>>();
    let mut conversion = match writer {
        Some(w) if kinds(&w.plans) == kinds(&decision.plans) => w.finish()?,
        // The whole file decided otherwise (a later value widened a type, or a warning kept a column text):
        // build again with the final types. Its errors are the file's errors.
        _ => {
            let mut w = BatchWriter::new(decision.plans, rows_per_batch, capacity)?;
            let mut tok = start;
            loop {
                let want = chunk_rows.min(w.room());
                tok.next_batch(want, &mut batch)?;
                w.append(&tok, &batch, width, &options.null_values, None)?;
                if batch.rows() < want {
                    break;
                }
            }
            w.finish()?
        }
    };
    crate::report(&mut progress, total, total)?;
    conversion.reports = decision.reports;
    conversion.warnings = warnings;
    conversion.delimiter = Some(p.delim);
    Ok(conversion)
}

/// The `types` overrides as (column index, type); a name the file does not have is an argument error listing its
/// columns.
fn forced_types(options: &CsvOptions, names: &[String], keep: &[usize]) -> Result<Vec<(usize, Forced)>, FormatError> {
    let mut forced = Vec::with_capacity(options.types.len());
    for (name, ty) in &options.types {
        let Some(index) = keep.iter().copied().find(|&i| &names[i] == name) else {
            let shown: Vec<_> = keep.iter().map(|&i| format!("'{}'", names[i])).collect();
            let text = Message::new("opt_types_no_column", [name.clone(), shown.join(", ")]);
            return Err(FormatError::argument("types", text));
        };
        forced.push((index, Forced::parse(name, ty)?));
    }
    Ok(forced)
}

/// The pass over the data records from `start`: every kept column's statistics, and the batches built with the
/// guessed types while they hold (`None` once a value does not read as its guess). Reports progress (bytes read
/// of `total`) every `rows_per_batch` rows.
fn first_pass(
    input: &Input<'_>,
    start: &Tokenizer<'_>,
    mut writer: Option<BatchWriter>,
    batch: &mut Batch,
    progress: &mut Option<Progress>,
    (total, rows_per_batch): (u64, usize),
) -> Result<(Vec<ColStats>, Option<BatchWriter>), FormatError> {
    let (width, chunk_rows) = (input.width, input.chunk_rows);
    let mut stats = vec![ColStats::default(); width];
    let mut tok = start.clone();
    let mut since_progress = 0;
    loop {
        let want = writer.as_ref().map_or(chunk_rows, |w| chunk_rows.min(w.room()));
        tok.next_batch(want, batch)?;
        match writer.as_mut() {
            // Building observes too: one walk over each column.
            Some(w) => {
                if w.append(&tok, batch, width, input.nulls, Some(&mut stats)).is_err() {
                    writer = None;
                }
            }
            None => input.observe_chunk(&tok, batch, &mut stats),
        }
        since_progress += batch.rows();
        let done = batch.rows() < want;
        if since_progress >= rows_per_batch || done {
            since_progress = 0;
            crate::report(progress, tok.position() as u64, total)?;
        }
        if done {
            break;
        }
    }
    Ok((stats, writer))
}

/// Where the data records are and which of their fields are read.
struct Input<'a> {
    width: usize,
    keep: &'a [usize],
    nulls: &'a [String],
    chunk_rows: usize,
}

impl Input<'_> {
    /// Take every kept non-null value of `chunk` into `stats`.
    fn observe_chunk(&self, tok: &Tokenizer, chunk: &Batch, stats: &mut [ColStats]) {
        for record in chunk.fields.chunks_exact(self.width.max(1)) {
            for &c in self.keep {
                let raw = tok.value(record[c]);
                if !is_null(&raw, self.nulls) {
                    stats[c].observe(&raw);
                }
            }
        }
    }

    /// Observe up to `max_rows` records from `tok`; returns how many there were.
    fn observe(
        &self,
        tok: &mut Tokenizer,
        max_rows: usize,
        stats: &mut [ColStats],
        batch: &mut Batch,
    ) -> Result<usize, FormatError> {
        let mut rows = 0;
        while rows < max_rows {
            let want = self.chunk_rows.min(max_rows - rows);
            tok.next_batch(want, batch)?;
            self.observe_chunk(tok, batch, stats);
            rows += batch.rows();
            if batch.rows() < want {
                break;
            }
        }
        Ok(rows)
    }
}

/// What decides the columns' types besides their values.
struct Columns<'a> {
    names: &'a [String],
    keep: &'a [usize],
    forced: &'a [(usize, Forced)],
    ctx: &'a Context,
}

/// Each kept column's plan and report, and the warnings that explain the types.
struct Decision {
    plans: Vec<ColumnPlan>,
    reports: Vec<ColumnReport>,
    warnings: Vec<Warning>,
}

impl Columns<'_> {
    /// The type of every column with statistics in `stats` (kept columns only), forced types applied.
    fn decide(&self, stats: &[ColStats]) -> Result<Decision, FormatError> {
        let mut d = Decision { plans: Vec::new(), reports: Vec::new(), warnings: Vec::new() };
        for &c in self.keep {
            let name = &self.names[c];
            let (inferred, mut column_warnings) = stats[c].decide(name, self.ctx);
            let overridden = self.forced.iter().find(|(i, _)| *i == c);
            let kind = match overridden {
                Some((_, f)) => {
                    column_warnings.retain(|w| w.code == "APOSTROPHE_REMOVED");
                    stats[c].forced_kind(name, f, self.ctx)?
                }
                None => inferred.clone(),
            };
            d.warnings.extend(column_warnings);
            d.reports.push(ColumnReport {
                name: name.clone(),
                data_type: type_name(&kind.data_type()),
                inferred: type_name(&inferred.data_type()),
                overridden: overridden.is_some(),
            });
            d.plans.push(ColumnPlan { index: c, name: name.clone(), kind });
        }
        Ok(d)
    }
}
