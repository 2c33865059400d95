//! CSV → Arrow IPC for a file read in pieces (a `File` of any size, read by `js/formats.js` a few MB at a time),
//! in memory bounded by a piece and a record batch rather than by the file. The same decisions as
//! [`super::csv_to_ipc`], piece by piece: the first piece gives the delimiter, the header and the first guess of
//! the types; the pass builds with the guess while it observes every value; at the end the whole file's
//! statistics decide. When they decide otherwise than the guess (a later value widens a type, a warning keeps a
//! column text), or a byte late in the file is not UTF-8 (so the whole file is Windows-1252), the caller reads
//! the file again from its start and the second pass builds with the final types: a value is never damaged by
//! an early guess, at the price of a second read of the file in those cases.

use super::build::ColumnPlan;
use super::encoding::{push_windows_1252, stream_encoding, utf8_from, windows_1252_warning};
use super::infer::ColStats;
use super::scan::{Batch, Resume};
use super::write::BatchWriter;
use super::{empty_error, nul_check, CsvOptions, Encoding, Prepared};
use crate::error::FormatError;
use crate::{ColumnReport, Conversion, Warning};

/// Text the first piece holds at least (unless the file is shorter) before the delimiter is sniffed and the
/// types guessed: the sniffer reads 1 MiB, so a streamed file sniffs exactly as a whole one.
const FIRST_PIECE: usize = 1 << 20;

/// Bytes the encoding is decided from (the UTF-16 check reads the first KiB).
const HEAD_BYTES: usize = 1024;

/// What the caller does after [`CsvStream::push`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Push the next piece (and take the stream bytes ready).
    Continue,
    /// Drop every stream byte taken so far and push the file again from its first byte.
    Restart,
    /// This file is only read whole (UTF-16 text): convert it with [`super::csv_to_ipc`].
    WholeFile,
}

/// The final types of a second pass, with the report and warnings the first pass decided.
struct Final {
    reports: Vec<ColumnReport>,
    warnings: Vec<Warning>,
}

/// A CSV file converted piece by piece: [`CsvStream::push`] each piece in order, [`CsvStream::take_bytes`] the
/// Arrow IPC stream bytes as they are ready, then [`CsvStream::finish`].
pub struct CsvStream {
    options: CsvOptions,
    /// The file's size, when known, for the builders' first capacity.
    total_bytes: usize,
    /// Raw bytes before the encoding is decided, then an incomplete UTF-8 character cut at a piece's end.
    raw: Vec<u8>,
    /// The decoding; `None` until the first bytes decide it.
    encoding: Option<Encoding>,
    /// Decoded text not yet read: it starts at a record boundary, on line `at.line`.
    pending: String,
    /// Decoded bytes still to drop at the start of a second pass (the header, read in the first).
    skip: usize,
    at: Resume,
    /// Some character other than white space was seen (an empty file is an error).
    seen_text: bool,
    prep: Option<Prepared>,
    stats: Vec<ColStats>,
    writer: Option<BatchWriter>,
    /// Set in the second pass.
    second: Option<Final>,
    warnings: Vec<Warning>,
    rows: usize,
    batch: Batch,
}

impl CsvStream {
    /// A conversion of a file of `total_bytes` bytes (0 when unknown) with `options`.
    pub fn new(options: CsvOptions, total_bytes: u64) -> Self {
        CsvStream {
            options,
            total_bytes: usize::try_from(total_bytes).unwrap_or(usize::MAX),
            raw: Vec::new(),
            encoding: None,
            pending: String::new(),
            skip: 0,
            at: Resume { line: 1, width: None, first_line: 1 },
            seen_text: false,
            prep: None,
            stats: Vec::new(),
            writer: None,
            second: None,
            warnings: Vec::new(),
            rows: 0,
            batch: Batch::default(),
        }
    }

    /// Records read in this pass so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Records of this pass already in written record batches: with the bytes written, what a record costs in
    /// the output, so a caller can size its output buffer for the whole file once.
    pub fn written_rows(&self) -> usize {
        self.rows - self.writer.as_ref().map_or(0, |w| w.unwritten_rows().min(self.rows))
    }

    /// The Arrow IPC stream bytes written since the last call (empty while the pass does not build).
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.writer.as_mut().map(BatchWriter::take_bytes).unwrap_or_default()
    }

    /// The bytes [`CsvStream::take_bytes`] would take, left in place: a caller that copies them where they go
    /// (the JS output buffer) then [`CsvStream::clear_bytes`], without a `Vec` per piece.
    pub fn ready_bytes(&self) -> &[u8] {
        self.writer.as_ref().map_or(&[], BatchWriter::ready_bytes)
    }

    /// Drop the [`CsvStream::ready_bytes`], keeping their room for the next record batches.
    pub fn clear_bytes(&mut self) {
        if let Some(w) = self.writer.as_mut() {
            w.clear_bytes();
        }
    }

    /// Read the next piece of the file: every whole record in it is observed and built.
    pub fn push(&mut self, piece: &[u8]) -> Result<Next, FormatError> {
        match self.decode(piece, false)? {
            Next::Continue => {}
            other => return Ok(other),
        }
        self.read(true)?;
        Ok(Next::Continue)
    }

    /// The end of the file: the last record is read and the stream ends, with the conversion, whose `ipc` holds
    /// the stream's last bytes. `Ok(Err(Next::Restart))` asks the caller to drop the bytes taken and push the
    /// file again from its start (the whole file decided other types than the guess), then finish again;
    /// `Ok(Err(Next::WholeFile))`: a short UTF-16 file, to convert whole. Errors are the file's errors.
    pub fn finish(&mut self) -> Result<Result<Conversion, Next>, FormatError> {
        match self.decode(&[], true)? {
            Next::Continue => {}
            other => return Ok(Err(other)),
        }
        if !self.seen_text {
            return Err(empty_error());
        }
        self.read(false)?;
        if let Some(done) = self.second.take() {
            let writer = self.writer.take().ok_or_else(|| FormatError::internal("the second pass has no writer"))?;
            return Ok(Ok(self.conclude(writer.finish()?, done)));
        }
        let prep = self.prep.as_ref().ok_or_else(|| FormatError::internal("no header after the whole file"))?;
        let decision = prep.columns().decide(&self.stats)?;
        let (rows_per_batch, capacity, start, start_at) =
            (prep.rows_per_batch, prep.capacity, prep.start, prep.start_at);
        let kinds = |plans: &[ColumnPlan]| plans.iter().map(|p| p.kind.clone()).collect::<Vec<_>>();
        let done = Final { reports: decision.reports, warnings: decision.warnings };
        match self.writer.take() {
            Some(w) if kinds(&w.plans) == kinds(&decision.plans) => Ok(Ok(self.conclude(w.finish()?, done))),
            _ => {
                // Build again with the final types, from the file's first byte; the header is not read again.
                self.writer = Some(BatchWriter::streaming(decision.plans, rows_per_batch, capacity)?);
                (self.skip, self.at) = (start, start_at);
                self.second = Some(done);
                self.raw.clear();
                self.pending.clear();
                self.encoding = None; // decided again from the first bytes, which skips a byte-order mark again
                self.rows = 0;
                Ok(Err(Next::Restart))
            }
        }
    }

    /// The conversion with the report and the warnings.
    fn conclude(&mut self, mut conversion: Conversion, done: Final) -> Conversion {
        conversion.reports = done.reports;
        conversion.warnings = std::mem::take(&mut self.warnings);
        conversion.warnings.extend(done.warnings);
        conversion.delimiter = self.prep.as_ref().map(|p| p.delim);
        conversion
    }

    /// Decode `piece` (after what is left of earlier ones) onto `pending`; `last` at the end of the file.
    fn decode(&mut self, piece: &[u8], last: bool) -> Result<Next, FormatError> {
        let before = self.pending.len();
        let encoding = match self.encoding {
            Some(e) => e,
            None => {
                self.raw.extend_from_slice(piece);
                if self.raw.len() < HEAD_BYTES && !last {
                    return Ok(Next::Continue);
                }
                let Some((encoding, bom)) = stream_encoding(&self.raw, self.options.encoding) else {
                    return Ok(Next::WholeFile);
                };
                self.encoding = Some(encoding);
                let head = std::mem::take(&mut self.raw);
                return self.decode_into(encoding, &head[bom..], last, before);
            }
        };
        self.decode_into(encoding, piece, last, before)
    }

    /// Decode `piece` in `encoding` onto `pending`, which held `before` bytes: a UTF-8 character cut at the end
    /// is kept in `raw` for the next piece; new text is checked for NUL characters and white space only.
    fn decode_into(
        &mut self,
        encoding: Encoding,
        mut piece: &[u8],
        last: bool,
        before: usize,
    ) -> Result<Next, FormatError> {
        if encoding == Encoding::Windows1252 {
            push_windows_1252(&mut self.pending, piece);
        } else {
            if !self.raw.is_empty() {
                // A character cut at the end of the last piece, completed from this one (at most 3 more bytes).
                while let Err(e) = std::str::from_utf8(&self.raw) {
                    let Some((&b, rest)) = piece.split_first().filter(|_| e.error_len().is_none()) else {
                        break;
                    };
                    self.raw.push(b);
                    piece = rest;
                }
                match std::str::from_utf8(&self.raw) {
                    Ok(c) => self.pending.push_str(c),
                    Err(e) if e.error_len().is_none() && !last => {}
                    Err(_) => return self.not_utf8(encoding, before, piece),
                }
                if std::str::from_utf8(&self.raw).is_ok() {
                    self.raw.clear();
                }
            }
            match std::str::from_utf8(piece) {
                Ok(text) => self.pending.push_str(text),
                Err(e) if e.error_len().is_none() && !last => {
                    let (text, cut) = piece.split_at(e.valid_up_to());
                    self.pending.push_str(std::str::from_utf8(text).unwrap_or_default());
                    self.raw.extend_from_slice(cut);
                }
                Err(_) => return self.not_utf8(encoding, before, piece),
            }
        }
        let added = &self.pending.as_bytes()[before..];
        if nul_check(added, 1).is_err() {
            // Pending text starts on line `at.line`: the error names the file's line.
            nul_check(self.pending.as_bytes(), self.at.line)?;
        }
        if !self.seen_text {
            self.seen_text = !self.pending[before..].chars().all(char::is_whitespace);
        }
        let n = self.skip.min(self.pending.len());
        if n > 0 {
            self.pending.drain(..n);
            self.skip -= n;
        }
        Ok(Next::Continue)
    }

    /// A byte that is not UTF-8: with `auto`, the whole file is Windows-1252 (read again from its start);
    /// with `utf-8`, the error with its line.
    fn not_utf8(&mut self, encoding: Encoding, before: usize, piece: &[u8]) -> Result<Next, FormatError> {
        if encoding == Encoding::Auto {
            let options = CsvOptions { encoding: Encoding::Windows1252, ..self.options.clone() };
            *self = CsvStream::new(options, self.total_bytes as u64);
            self.warnings.push(windows_1252_warning());
            return Ok(Next::Restart);
        }
        let mut text = self.pending.as_bytes()[..before].to_vec();
        text.extend_from_slice(&self.raw);
        text.extend_from_slice(piece);
        utf8_from(&text, self.at.line)?;
        Err(FormatError::internal("a piece failed UTF-8 decoding but reads as UTF-8"))
    }

    /// Read the whole records of `pending` (all of it unless `cut`): observed in the first pass, built while the
    /// guess holds and in the second pass.
    fn read(&mut self, cut: bool) -> Result<(), FormatError> {
        if self.prep.is_none() {
            if cut && self.pending.len() < FIRST_PIECE {
                return Ok(());
            }
            let total = self.total_bytes.max(self.pending.len());
            let Some(prep) = Prepared::new(&self.pending, total, cut, &self.options, &mut self.warnings)? else {
                return Ok(());
            };
            self.pending.drain(..prep.start);
            self.at = prep.start_at;
            self.stats = vec![ColStats::default(); prep.width];
            if let Some(plans) = prep.guess.clone() {
                self.writer = Some(BatchWriter::streaming(plans, prep.rows_per_batch, prep.capacity)?);
            }
            self.prep = Some(prep);
        }
        let Some(prep) = self.prep.as_ref() else {
            return Ok(());
        };
        let text = std::mem::take(&mut self.pending);
        let mut tok = prep.tokenizer(&text, self.at, cut);
        let input = prep.input(&self.options.null_values);
        let first_pass = self.second.is_none();
        let batch = &mut self.batch;
        loop {
            let want = self.writer.as_ref().map_or(prep.chunk_rows, |w| prep.chunk_rows.min(w.room()));
            tok.next_batch(want, batch)?;
            match self.writer.as_mut() {
                Some(w) if first_pass => {
                    if w.append(&tok, batch, prep.width, input.nulls, Some(&mut self.stats)).is_err() {
                        self.writer = None; // the guess does not hold: the whole file decides, then a second pass
                    }
                }
                Some(w) => {
                    w.append(&tok, batch, prep.width, input.nulls, None)?;
                }
                None => input.observe_chunk(&tok, batch, &mut self.stats),
            }
            self.rows += batch.rows();
            if batch.rows() < want {
                break;
            }
        }
        self.at = tok.stand();
        let read = tok.position();
        drop(tok);
        self.pending = text;
        self.pending.drain(..read);
        Ok(())
    }
}
