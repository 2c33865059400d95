//! Text encodings of CSV files. Exports from web tools are UTF-8, but a file saved from Excel on a Finnish or other
//! Western Windows is Windows-1252 ("CSV (semicolon delimited)") or UTF-16 ("Unicode text"), and refusing those
//! sends the user to a converter. `auto` reads a byte-order mark, then UTF-8 when the bytes are valid UTF-8, and
//! otherwise Windows-1252 with a warning saying so.

use std::borrow::Cow;

use super::scan::line_col;
use crate::error::FormatError;
use crate::messages::Message;
use crate::Warning;

/// How the bytes of a CSV file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// A byte-order mark decides; without one, UTF-8 if valid, else Windows-1252 (with a warning).
    #[default]
    Auto,
    /// UTF-8 only: other bytes are an error with their line and column.
    Utf8,
    /// Windows-1252, which WHATWG (and so every browser) also uses for the labels `latin1` and `iso-8859-1`.
    Windows1252,
    /// UTF-16, little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// Parse an encoding label, case-insensitively: `auto`, `utf-8`, `windows-1252` (`cp1252`, `latin1`,
    /// `iso-8859-1`), `utf-16le`, `utf-16be`.
    pub fn parse(label: &str) -> Result<Encoding, FormatError> {
        Ok(match label.trim().to_ascii_lowercase().as_str() {
            "auto" => Encoding::Auto,
            "utf-8" | "utf8" => Encoding::Utf8,
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => Encoding::Windows1252,
            "utf-16le" | "utf-16" => Encoding::Utf16Le,
            "utf-16be" => Encoding::Utf16Be,
            _ => return Err(FormatError::argument("encoding", Message::new("opt_encoding", [label]))),
        })
    }
}

/// The encoding a byte-order mark at the start of `bytes` names, and the mark's length.
fn bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Some((Encoding::Utf8, 3)),
        [0xFF, 0xFE, ..] => Some((Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Encoding::Utf16Be, 2)),
        _ => None,
    }
}

/// How a streamed file is decoded, piece by piece, from its first bytes (at least 1 KiB of them unless the
/// file is shorter): the decoding and the bytes of a byte-order mark to skip, or `None` for UTF-16, which is
/// only read whole. `Encoding::Auto` here means UTF-8 until a byte is not, then Windows-1252 from the start.
pub(crate) fn stream_encoding(head: &[u8], encoding: Encoding) -> Option<(Encoding, usize)> {
    let (encoding, skip) = match (encoding, bom(head)) {
        (Encoding::Auto, Some((found, skip))) => (found, skip),
        (Encoding::Auto, None) if utf16_without_bom(head).is_some() => return None,
        (given, Some((found, skip))) if given == found => (given, skip),
        (given, _) => (given, 0),
    };
    match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => None,
        _ => Some((encoding, skip)),
    }
}

/// The warning of a file read as Windows-1252 because it is not UTF-8.
pub(crate) fn windows_1252_warning() -> Warning {
    Warning::new("DECODED_AS_WINDOWS_1252", None, Message::plain("warn_windows_1252"))
}

/// Windows-1252 bytes appended to `out` as text.
pub(crate) fn push_windows_1252(out: &mut String, bytes: &[u8]) {
    out.extend(bytes.iter().map(|&b| windows_1252(b)));
}

/// The file's text, decoded; a UTF-8 file without a BOM is borrowed as is.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    encoding: Encoding,
    warnings: &mut Vec<Warning>,
) -> Result<Cow<'a, str>, FormatError> {
    let (encoding, body) = match (encoding, bom(bytes)) {
        (Encoding::Auto, Some((found, skip))) => (found, &bytes[skip..]),
        (Encoding::Auto, None) if utf16_without_bom(bytes).is_some() => {
            (utf16_without_bom(bytes).unwrap_or(Encoding::Utf16Le), bytes)
        }
        (Encoding::Auto, None) => match std::str::from_utf8(bytes) {
            Ok(text) => return Ok(Cow::Borrowed(text)),
            Err(_) => {
                warnings.push(windows_1252_warning());
                (Encoding::Windows1252, bytes)
            }
        },
        (given, Some((found, skip))) if given == found => (given, &bytes[skip..]),
        (given, _) => (given, bytes),
    };
    match encoding {
        Encoding::Auto | Encoding::Utf8 => utf8(body).map(Cow::Borrowed),
        Encoding::Windows1252 => {
            let mut text = String::with_capacity(body.len());
            push_windows_1252(&mut text, body);
            Ok(Cow::Owned(text))
        }
        Encoding::Utf16Le => utf16(body, u16::from_le_bytes).map(Cow::Owned),
        Encoding::Utf16Be => utf16(body, u16::from_be_bytes).map(Cow::Owned),
    }
}

/// UTF-16 text without a byte-order mark: mostly ASCII, so in its first KiB every other byte is 0 (odd bytes for
/// little-endian, even ones for big-endian) and the others never are.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let head = &bytes[..bytes.len().min(1024) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if even == 0 && odd * 10 >= pairs * 8 {
        Some(Encoding::Utf16Le)
    } else if odd == 0 && even * 10 >= pairs * 8 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

fn utf8(data: &[u8]) -> Result<&str, FormatError> {
    utf8_from(data, 1)
}

/// `data` as UTF-8 text; `data` starts on line `base_line` of the file (for the error's line).
pub(crate) fn utf8_from(data: &[u8], base_line: usize) -> Result<&str, FormatError> {
    std::str::from_utf8(data).map_err(|e| {
        let at = e.valid_up_to();
        let (l, c) = line_col(data, at);
        let l = l + base_line - 1;
        let params = [l.to_string(), c.to_string(), format!("{:02x}", data[at])];
        FormatError::csv(Message::new("csv_not_utf8", params), l, Some(c))
    })
}

fn utf16(data: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, FormatError> {
    if data.len() % 2 == 1 {
        return Err(FormatError::csv(Message::plain("csv_odd_utf16"), 1, None));
    }
    let units = data.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, c)| {
            c.map_err(|_| FormatError::csv(Message::new("csv_half_surrogate", [(2 * i).to_string()]), 1, None))
        })
        .collect()
}

/// Windows-1252: Latin-1, except 0x80–0x9F, which hold €, typographic quotes, dashes, Š, Ž, Œ, Ÿ and others.
/// The five bytes the code page leaves undefined map to the C1 controls of the same value, as WHATWG does.
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_table_matches_whatwg_for_the_special_range() {
        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0x8A), 'Š');
        assert_eq!(windows_1252(0x96), '–');
        assert_eq!(windows_1252(0x9F), 'Ÿ');
        assert_eq!(windows_1252(0xE4), 'ä');
        assert_eq!(windows_1252(0x81), '\u{81}');
    }
}
