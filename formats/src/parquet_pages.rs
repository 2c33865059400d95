//! A check of every data page the reader will decode, run before the arrow reader sees the file.
//!
//! The parquet crate trusts a page's own framing in a few decoders and panics when it lies (in wasm a panic
//! traps the module): a bit-packed definition-level run longer than the level bytes (`PackedDecoder`,
//! arrow-buffer's `offset + len out of bounds`), a dictionary-encoded page in a column chunk without a dictionary
//! page (`Decoder for dict should have been set`), a `BYTE_STREAM_SPLIT` page declaring more values than its
//! bytes hold (apache/arrow-rs#11121), and a dictionary index past the end of a `FIXED_LEN_BYTE_ARRAY`
//! column's dictionary (the fixed-length reader slices the dictionary by the index unchecked; the other
//! readers check it). Each is checked here on the decompressed page, so a damaged file is
//! `INVALID_PARQUET` with the column and page named. The pages are decompressed twice (here and in the reader);
//! that is the price of never trapping on a damaged file.

use bytes::Bytes;
use parquet::basic::{Encoding, Type as PhysicalType};
use parquet::column::page::{Page, PageReader};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;

/// Check the pages of the given leaf columns in every row group. `Err` is a sentence naming the column and page.
pub(crate) fn check_pages(bytes: &Bytes, leaves: &[usize]) -> Result<(), String> {
    let file = SerializedFileReader::new(bytes.clone()).map_err(|e| e.to_string())?;
    let schema = file.metadata().file_metadata().schema_descr_ptr();
    for g in 0..file.num_row_groups() {
        let group = file.get_row_group(g).map_err(|e| e.to_string())?;
        for &leaf in leaves {
            let column = schema.column(leaf);
            let (start, len) = group.metadata().column(leaf).byte_range();
            crate::parquet_thrift::check_page_headers(bytes, start, len)
                .map_err(|e| format!("column '{}' of row group {g}: {e}", column.path().string()))?;
            let pages = group.get_column_page_reader(leaf).map_err(|e| e.to_string())?;
            check_chunk(pages, &column)
                .map_err(|e| format!("column '{}' of row group {g}: {e}", column.path().string()))?;
        }
    }
    Ok(())
}

fn check_chunk(mut pages: Box<dyn PageReader>, column: &ColumnDescriptor) -> Result<(), String> {
    // The number of values in the last dictionary page, once one was seen.
    let mut dictionary: Option<usize> = None;
    let mut index = 0;
    while let Some(page) = pages.get_next_page().map_err(|e| e.to_string())? {
        let checked = match &page {
            Page::DictionaryPage { num_values, .. } => {
                dictionary = Some(*num_values as usize);
                Ok(())
            }
            Page::DataPage { buf, num_values, encoding, def_level_encoding, rep_level_encoding, .. } => {
                let levels = Levels::v1(buf, *num_values, column, *rep_level_encoding, *def_level_encoding)?;
                check_values(*encoding, dictionary, &buf[levels.values_start..], levels.non_null, column)
            }
            Page::DataPageV2 { buf, num_values, encoding, def_levels_byte_len, rep_levels_byte_len, .. } => {
                let levels = Levels::v2(buf, *num_values, column, *rep_levels_byte_len, *def_levels_byte_len)?;
                check_values(*encoding, dictionary, &buf[levels.values_start..], levels.non_null, column)
            }
        };
        checked.map_err(|e| format!("page {index}: {e}"))?;
        index += 1;
    }
    Ok(())
}

/// Where a data page's values begin, and how many of its values are not null.
struct Levels {
    values_start: usize,
    non_null: usize,
}

impl Levels {
    /// Format v1: each level stream (repetition, then definition) is RLE with a 4-byte length prefix, or the
    /// deprecated BIT_PACKED of exactly `num_values × width` bits.
    fn v1(
        buf: &[u8],
        num_values: u32,
        column: &ColumnDescriptor,
        rep: Encoding,
        def: Encoding,
    ) -> Result<Self, String> {
        let n = num_values as usize;
        let mut at = 0;
        let mut non_null = n;
        for (max, encoding, what) in
            [(column.max_rep_level(), rep, "repetition"), (column.max_def_level(), def, "definition")]
        {
            if max == 0 {
                continue;
            }
            let width = bit_width(max);
            let stream = match encoding {
                Encoding::RLE => {
                    let prefix = buf.get(at..at + 4).ok_or(format!("the {what} levels are cut off"))?;
                    let len = u32::from_le_bytes(prefix.try_into().expect("4 bytes")) as usize;
                    at += 4;
                    let stream = buf.get(at..at.saturating_add(len)).ok_or(format!(
                        "the {what} levels claim {len} bytes but the page has {} left",
                        buf.len() - at
                    ))?;
                    at += len;
                    rle_hybrid(stream, width, n, max).map_err(|e| format!("{what} levels: {e}"))?
                }
                #[allow(deprecated)]
                Encoding::BIT_PACKED => {
                    let len = (n * width as usize).div_ceil(8);
                    let stream = buf.get(at..at + len).ok_or(format!("the {what} levels are cut off"))?;
                    at += len;
                    count_packed(stream, width, n, max)
                }
                other => return Err(format!("{what} levels use {other}, which Parquet does not allow for levels")),
            };
            if what == "definition" {
                non_null = stream;
            }
        }
        Ok(Levels { values_start: at, non_null })
    }

    /// Format v2: both level streams are RLE without a prefix; their lengths are in the page header.
    fn v2(buf: &[u8], num_values: u32, column: &ColumnDescriptor, rep_len: u32, def_len: u32) -> Result<Self, String> {
        let (rep_len, def_len) = (rep_len as usize, def_len as usize);
        let values_start = rep_len.checked_add(def_len).filter(|&end| end <= buf.len()).ok_or(format!(
            "the levels claim {} bytes but the page has {}",
            rep_len as u64 + def_len as u64,
            buf.len()
        ))?;
        let n = num_values as usize;
        let max_rep = column.max_rep_level();
        if max_rep > 0 {
            rle_hybrid(&buf[..rep_len], bit_width(max_rep), n, max_rep)
                .map_err(|e| format!("repetition levels: {e}"))?;
        }
        let max_def = column.max_def_level();
        let non_null = if max_def > 0 {
            rle_hybrid(&buf[rep_len..values_start], bit_width(max_def), n, max_def)
                .map_err(|e| format!("definition levels: {e}"))?
        } else {
            n
        };
        Ok(Levels { values_start, non_null })
    }
}

fn bit_width(max_level: i16) -> u32 {
    16 - (max_level as u16).leading_zeros()
}

/// Walk an RLE/bit-packed hybrid stream of `n` levels of `width` bits; every run must lie inside the stream.
/// Returns how many of the first `n` levels equal `max` (the values that are present).
fn rle_hybrid(stream: &[u8], width: u32, n: usize, max: i16) -> Result<usize, String> {
    let mut present = 0;
    hybrid_runs(stream, width, n, |level, times| {
        if level == max as u64 {
            present += times;
        }
    })?;
    Ok(present)
}

/// Walk the first `n` values of an RLE/bit-packed hybrid stream of `width`-bit values (`width` ≤ 32), calling
/// `visit(value, times)` for each run or packed value; every run must lie inside the stream. A stream that ends
/// early is not an error here: the crate stops there too.
fn hybrid_runs(stream: &[u8], width: u32, n: usize, mut visit: impl FnMut(u64, usize)) -> Result<(), String> {
    let value_bytes = width.div_ceil(8) as usize;
    let (mut at, mut seen) = (0usize, 0usize);
    while seen < n && at < stream.len() {
        let (header, used) = varint(&stream[at..]).ok_or("a run header is cut off or too long")?;
        at += used;
        if header & 1 == 1 {
            let values = (header >> 1).saturating_mul(8);
            let bytes = (header >> 1).saturating_mul(u64::from(width));
            let end = (at as u64).saturating_add(bytes);
            if end > stream.len() as u64 {
                return Err(format!(
                    "a bit-packed run of {values} values needs {bytes} bytes but {} are left",
                    stream.len() - at
                ));
            }
            let take = (values as usize).min(n - seen);
            for_packed(&stream[at..end as usize], width, take, |v| visit(v, 1));
            seen += take;
            at = end as usize;
        } else {
            let run = usize::try_from(header >> 1).unwrap_or(usize::MAX);
            let value = stream.get(at..at + value_bytes).ok_or("a repeated-value run is cut off")?;
            at += value_bytes;
            let value = value.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
            let take = run.min(n - seen);
            visit(value, take);
            seen += take;
        }
    }
    Ok(())
}

/// How many of the first `n` `width`-bit little-endian values in `bytes` equal `max`.
fn count_packed(bytes: &[u8], width: u32, n: usize, max: i16) -> usize {
    let mut count = 0;
    for_packed(bytes, width, n, |v| count += usize::from(v == max as u64));
    count
}

/// Call `visit` with each of the first `n` `width`-bit little-endian values in `bytes` (missing bytes read 0).
fn for_packed(bytes: &[u8], width: u32, n: usize, mut visit: impl FnMut(u64)) {
    for i in 0..n {
        let bit = i * width as usize;
        let mut v = 0u64;
        for k in 0..width as usize {
            let b = bit + k;
            if bytes.get(b / 8).is_some_and(|byte| byte >> (b % 8) & 1 == 1) {
                v |= 1 << k;
            }
        }
        visit(v);
    }
}

fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &b) in bytes.iter().take(10).enumerate() {
        v |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// The value section: a dictionary-encoded page needs a dictionary page before it (`dictionary`: its number of
/// values) and, in a fixed-length column, indices inside it; a BYTE_STREAM_SPLIT page needs `width` bytes for
/// each value that is present.
fn check_values(
    encoding: Encoding,
    dictionary: Option<usize>,
    values: &[u8],
    present: usize,
    column: &ColumnDescriptor,
) -> Result<(), String> {
    #[allow(deprecated)]
    let dictionary_encoded = matches!(encoding, Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY);
    if dictionary_encoded {
        let Some(entries) = dictionary else {
            return Err("it is dictionary-encoded but the column has no dictionary page before it".into());
        };
        if column.physical_type() == PhysicalType::FIXED_LEN_BYTE_ARRAY {
            check_indices(values, present, entries)?;
        }
    }
    if encoding == Encoding::BYTE_STREAM_SPLIT {
        let width = match column.physical_type() {
            PhysicalType::INT32 | PhysicalType::FLOAT => 4,
            PhysicalType::INT64 | PhysicalType::DOUBLE => 8,
            PhysicalType::FIXED_LEN_BYTE_ARRAY => column.type_length().max(0) as usize,
            other => return Err(format!("BYTE_STREAM_SPLIT is not defined for {other}")),
        };
        let needed = present.saturating_mul(width);
        if width == 0 || !values.len().is_multiple_of(width) || values.len() < needed {
            return Err(format!(
                "BYTE_STREAM_SPLIT values need {needed} bytes ({present} values × {width}) but the page has {}",
                values.len()
            ));
        }
    }
    Ok(())
}

/// A dictionary-encoded value section: a bit-width byte, then the hybrid stream of `present` indices, each of
/// which must name one of the dictionary's `entries` (the crate refuses widths over 32 itself).
fn check_indices(values: &[u8], present: usize, entries: usize) -> Result<(), String> {
    let Some((&width, stream)) = values.split_first() else { return Ok(()) };
    if width > 32 || entries == 0 {
        return Ok(());
    }
    let mut largest = None::<u64>;
    hybrid_runs(stream, u32::from(width), present, |index, times| {
        if times > 0 {
            largest = largest.max(Some(index));
        }
    })
    .map_err(|e| format!("dictionary indices: {e}"))?;
    match largest {
        Some(index) if index >= entries as u64 => {
            Err(format!("a value points at dictionary entry {index} but the dictionary has {entries} entries"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rle_hybrid_counts_present_values_and_bounds_runs() {
        // RLE run: 5 × level 1 (header 5 << 1 = 10), then bit-packed 1 group (header 0b11) of 8 levels 0b1010_1010.
        assert_eq!(rle_hybrid(&[10, 1, 3, 0b1010_1010], 1, 13, 1), Ok(9));
        // Only the first 7 levels count: the five of the run, then the packed bits 0 and 1 (lowest first).
        assert_eq!(rle_hybrid(&[10, 1, 3, 0b1010_1010], 1, 7, 1), Ok(6));
        // A bit-packed run of 2 groups with 1 byte left.
        assert!(rle_hybrid(&[5, 0xFF], 1, 16, 1).unwrap_err().contains("needs 2 bytes but 1 are left"));
        assert!(rle_hybrid(&[0x80], 1, 4, 1).is_err());
        assert_eq!(bit_width(1), 1);
        assert_eq!(bit_width(3), 2);
        assert_eq!(bit_width(4), 3);
    }
}
