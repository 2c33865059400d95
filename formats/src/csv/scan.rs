//! Splitting CSV text into records and fields, with exactly csv_core's quoting rules (RFC 4180: quotes open
//! only at the start of a field, `""` is a quote inside a quoted field, `\n`, `\r\n` and `\r` end records,
//! blank lines are skipped), sniffing the delimiter, and the errors of a malformed file with the physical line
//! a record starts on, so errors can say "line 7, field 4" even when quoted values contain line breaks.

use std::borrow::Cow;

use super::swar::find3;
use crate::error::FormatError;
use crate::messages::Message;

/// Delimiters tried when none is given, in order of preference on ties.
pub const SNIFF_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A delimiter or quote as a reader would name it in a message (the usual ones as catalogued messages, so the
/// words come out in the message's language).
pub(crate) fn show_byte(b: u8) -> String {
    match b {
        b'\t' => crate::messages::nested("delim_tab", &[]),
        b',' => crate::messages::nested("delim_comma", &[]),
        b';' => crate::messages::nested("delim_semicolon", &[]),
        b'|' => crate::messages::nested("delim_pipe", &[]),
        b if b.is_ascii_graphic() || b == b' ' => format!("'{}'", b as char),
        b => format!("byte 0x{b:02x}"),
    }
}

/// Line (1-based) and character column (1-based) of a byte offset.
pub(crate) fn line_col(data: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(data.len());
    let mut line = 1;
    let mut line_start = 0;
    for i in 0..offset {
        if data[i] == b'\n' || (data[i] == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = String::from_utf8_lossy(&data[line_start..offset]).chars().count() + 1;
    (line, col)
}

/// One batch of records: `width` field ranges per record, row-major, and the line each record starts on.
#[derive(Default)]
pub struct Batch {
    /// `(start, end)` byte ranges; a quoted field's range includes its quotes.
    pub fields: Vec<(usize, usize)>,
    pub lines: Vec<usize>,
}

impl Batch {
    pub fn rows(&self) -> usize {
        self.lines.len()
    }
}

/// Reads records one batch at a time, checking field counts and quotes as it goes.
#[derive(Clone)]
pub struct Tokenizer<'a> {
    pub data: &'a str,
    pos: usize,
    line: usize,
    delim: u8,
    quote: u8,
    /// Fields per record, from the first record.
    pub width: Option<usize>,
    first_line: usize,
    delim_note: String,
    /// The physical line of `data`'s first byte (1 unless `data` is a later piece of a streamed file).
    base_line: usize,
    /// `data` may end inside a record (a piece of a streamed file): a record that reaches its end without a line
    /// break is left unread, for the next piece, instead of being read whole or failing on an open quote.
    cut: bool,
}

/// Where a streamed file's tokenizer stands between two pieces of text: the line the next record starts on,
/// the record width and the line of the first record (for messages).
#[derive(Clone, Copy, Debug)]
pub struct Resume {
    pub line: usize,
    pub width: Option<usize>,
    pub first_line: usize,
}

impl<'a> Tokenizer<'a> {
    pub fn new(data: &'a str, delim: u8, quote: u8, delim_note: String) -> Self {
        Tokenizer {
            data,
            pos: 0,
            line: 1,
            delim,
            quote,
            width: None,
            first_line: 1,
            delim_note,
            base_line: 1,
            cut: false,
        }
    }

    /// A tokenizer of the next piece of a streamed file, which starts at a record boundary: `data` starts on
    /// line `at.line`, and when `cut` it may end inside a record (see [`Tokenizer::next_batch`]).
    pub fn resume(data: &'a str, delim: u8, quote: u8, delim_note: String, at: Resume, cut: bool) -> Self {
        let mut t = Tokenizer::new(data, delim, quote, delim_note);
        (t.line, t.base_line, t.width, t.first_line, t.cut) = (at.line, at.line, at.width, at.first_line, cut);
        t
    }

    /// Where the next piece of a streamed file resumes after this one.
    pub fn stand(&self) -> Resume {
        Resume { line: self.line, width: self.width, first_line: self.first_line }
    }

    /// Byte offset reached.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// A field's value: a quoted field without its quotes, `""` read as `"`.
    // Inlined: every column builder calls this once per value, and an unquoted field (nearly all of them) is
    // only a slice; in wasm a call returning the `Cow` goes through the stack in linear memory.
    #[inline(always)]
    pub fn value(&self, (start, end): (usize, usize)) -> Cow<'a, str> {
        let raw = &self.data[start..end];
        // Byte comparisons: `str::starts_with(char)` encodes the char and calls memcmp, once per field.
        if raw.as_bytes().first() != Some(&self.quote) {
            return Cow::Borrowed(raw);
        }
        self.quoted_value(raw)
    }

    /// The value of a quoted field `raw` (from its opening quote on).
    #[cold]
    #[inline(never)]
    fn quoted_value(&self, raw: &'a str) -> Cow<'a, str> {
        let quote = self.quote;
        let q = quote as char;
        let inner = &raw[1..];
        if inner.as_bytes().last() == Some(&quote) {
            let body = &inner[..inner.len() - 1];
            if !body.as_bytes().contains(&quote) {
                return Cow::Borrowed(body);
            }
        }
        // Quotes inside, or text after the closing quote (`"ab"cd` is `abcd`, as csv_core reads it).
        let mut out = String::with_capacity(raw.len());
        let mut in_quotes = true;
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if in_quotes && c == q {
                if chars.peek() == Some(&q) {
                    out.push(q);
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else if !in_quotes && c == q {
                in_quotes = true;
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }

    /// Read up to `max_rows` records into `batch` (cleared first). Fewer rows means the end of the file, or
    /// of the piece when it is `cut` (the record it ends inside is left for the next piece).
    pub fn next_batch(&mut self, max_rows: usize, batch: &mut Batch) -> Result<(), FormatError> {
        batch.fields.clear();
        batch.lines.clear();
        while batch.rows() < max_rows {
            let before = batch.fields.len();
            let (pos, line) = (self.pos, self.line);
            let read = self.record(&mut batch.fields);
            // Cut inside the record: it ran into the end of the piece (an open quote fails only there), or ended
            // on a `\r` whose `\n` may start the next piece.
            let b = self.data.as_bytes();
            if self.cut && (read.is_err() || (self.pos == b.len() && b.last() != Some(&b'\n'))) {
                (self.pos, self.line) = (pos, line);
                batch.fields.truncate(before);
                break;
            }
            let Some(line) = read? else {
                break;
            };
            let count = batch.fields.len() - before;
            match self.width {
                None => {
                    self.width = Some(count);
                    self.first_line = line;
                }
                Some(want) if want != count => return Err(self.count_error(count, want, line)),
                Some(_) => {}
            }
            batch.lines.push(line);
        }
        Ok(())
    }

    /// One record's fields appended to `out`; returns the line it starts on, or `None` at the end.
    fn record(&mut self, out: &mut Vec<(usize, usize)>) -> Result<Option<usize>, FormatError> {
        let b = self.data.as_bytes();
        let n = b.len();
        while self.pos < n && (b[self.pos] == b'\n' || b[self.pos] == b'\r') {
            self.newline(b);
        }
        if self.pos >= n {
            return Ok(None);
        }
        let record_line = self.line;
        loop {
            let start = self.pos;
            // An empty field (`,,`), common in sparse exports, without a word search.
            if b.get(self.pos) == Some(&self.delim) && self.delim != self.quote {
                out.push((start, start));
                self.pos += 1;
                continue;
            }
            if self.pos < n && b[self.pos] == self.quote {
                self.quoted(b)?;
            }
            self.pos = find3(b, self.pos, self.delim, b'\n', b'\r');
            out.push((start, self.pos));
            if self.pos < n && b[self.pos] == self.delim {
                self.pos += 1;
                continue;
            }
            if self.pos < n {
                self.newline(b);
            }
            return Ok(Some(record_line));
        }
    }

    /// Step over one line ending (`\n`, `\r\n` or `\r`) at `pos`.
    fn newline(&mut self, b: &[u8]) {
        if b[self.pos] == b'\r' && b.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
    }

    /// Step over a quoted section starting at `pos` (on the opening quote).
    fn quoted(&mut self, b: &[u8]) -> Result<(), FormatError> {
        let open = self.pos;
        let open_line = self.line;
        self.pos += 1;
        while self.pos < b.len() {
            self.pos = find3(b, self.pos, self.quote, b'\n', b'\r');
            let Some(&c) = b.get(self.pos) else {
                break;
            };
            if c == self.quote {
                if b.get(self.pos + 1) == Some(&self.quote) {
                    self.pos += 2;
                    continue;
                }
                self.pos += 1;
                return Ok(());
            }
            self.newline(b); // `c` is a line break: counted, so errors name physical lines
        }
        let (l, c) = line_col(b, open);
        let l = l + self.base_line - 1;
        let more = self.line.saturating_sub(open_line);
        Err(FormatError::csv(Message::new("csv_unclosed_quote", [l, c, more].map(|n| n.to_string())), l, Some(c)))
    }

    fn count_error(&self, fields: usize, want: usize, record_line: usize) -> FormatError {
        let counts = [record_line, fields, self.first_line, want].map(|n| n.to_string());
        let [line, fields_, first, want_] = counts;
        let note = self.delim_note.clone();
        let (text, column) = if fields > want {
            let extra = (want + 1).to_string();
            (Message::new("csv_extra_fields", [line, fields_, first, want_, note, extra]), want + 1)
        } else {
            (Message::new("csv_missing_fields", [line, fields_, first, want_, note]), fields.max(1))
        };
        FormatError::csv(text, record_line, Some(column))
    }
}

/// Pick the delimiter that splits the first records into the same number (> 1) of fields most consistently.
pub fn sniff(data: &str, quote: u8) -> u8 {
    let mut end = data.len().min(1 << 20);
    while !data.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &data[..end];
    let mut best: Option<(usize, usize, u8)> = None; // (consistent records, fields, delimiter)
    for &d in &SNIFF_DELIMITERS {
        let mut tok = Tokenizer::new(sample, d, quote, String::new());
        let mut counts = Vec::new();
        let mut fields = Vec::new();
        while counts.len() < 200 {
            fields.clear();
            // An unclosed quote in the sample (it may be cut) ends the sample.
            match tok.record(&mut fields) {
                Ok(Some(_)) => counts.push(fields.len()),
                _ => break,
            }
        }
        let Some(&first) = counts.first() else {
            continue;
        };
        if first < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        if best.is_none_or(|(bc, bf, _)| (consistent, first) > (bc, bf)) {
            best = Some((consistent, first, d));
        }
    }
    best.map(|b| b.2).unwrap_or(b',')
}
