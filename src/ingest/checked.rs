//! Building a decoded array with arrow-data's full validation, in less time for the two checks that run per
//! value: the offsets of a string array (monotonic, in bounds, each on a UTF-8 character boundary) and the keys of
//! a dictionary array (inside the dictionary). arrow-data walks them value by value through closures and
//! per-value conversions (~60 and ~30 instructions per row in the benchmark's profile); here each is one tight
//! loop over the slice. The result is exactly arrow-data's: an array that passes here passes
//! [`ArrayData::validate_data`], and one that does not is handed to arrow-data, whose error (message included) is
//! returned. So nothing is accepted that arrow would refuse, and refusals read as before.
//!
//! ```text
//! offsets [0, 2, 2, 5] over "héllo"  → "hé"? no: 2 is inside 'é' (0xC3 0xA9) → arrow's error
//! dictionary keys [0, null→7, 1] over 2 values → a null key's value is not checked (arrow: same)
//! ```

use arrow_buffer::ArrowNativeType;
use arrow_data::{ArrayData, ArrayDataBuilder};
use arrow_schema::{ArrowError, DataType};

/// `builder.build()`: the array validated as [`ArrayData::validate_data`] does, with the fast checks below for
/// `Utf8`, `LargeUtf8` and dictionary arrays. `nulls` is the validity buffer handed to the builder.
pub fn build(
    builder: ArrayDataBuilder,
    data_type: &DataType,
    len: usize,
    nulls: Option<usize>,
) -> Result<ArrayData, ArrowError> {
    if !matches!(data_type, DataType::Utf8 | DataType::LargeUtf8 | DataType::Dictionary(..)) || len == 0 {
        return builder.build();
    }
    // `build` checks the validity buffer's size before it wraps it (which would panic); do the same.
    if let Some(bytes) = nulls.filter(|&bytes| bytes < len.div_ceil(8)) {
        return Err(ArrowError::InvalidArgumentError(format!(
            "null_bit_buffer size too small. got {bytes} needed {}",
            len.div_ceil(8)
        )));
    }
    // SAFETY: the data is not used before the same checks `build` would make (layout, null count, values) pass.
    let data = unsafe { builder.skip_validation(true) }.build()?;
    data.validate()?;
    data.validate_nulls()?;
    let fast = match data_type {
        DataType::Utf8 => strings_ok::<i32>(&data),
        DataType::LargeUtf8 => strings_ok::<i64>(&data),
        DataType::Dictionary(key, _) => keys_ok(&data, key),
        _ => false,
    };
    if !fast {
        data.validate_values()?;
    }
    Ok(data)
}

/// Whether every offset is at most the values' length, not below the one before, and on a character boundary,
/// and the bytes between the first and the last offset are UTF-8: then each value is a valid `str`.
fn strings_ok<O: ArrowNativeType>(data: &ArrayData) -> bool {
    let offsets = &data.buffer::<O>(0)[..data.len() + 1];
    let values = data.buffers()[1].as_slice();
    let Some(first) = offsets[0].to_usize() else { return false };
    let mut previous = first;
    for offset in &offsets[1..] {
        let Some(at) = offset.to_usize() else { return false };
        // A UTF-8 continuation byte is 0b10xx_xxxx: as i8, below -64.
        let boundary = values.get(at).is_none_or(|&b| (b as i8) >= -0x40);
        if at < previous || at > values.len() || !boundary {
            return false;
        }
        previous = at;
    }
    utf8_ok(&values[first..previous])
}

/// `std::str::from_utf8(bytes).is_ok()`, with an ASCII fast path 32 bytes at a time: std's reads one
/// pointer-sized word pair per step, 8 bytes in wasm32, and was the largest part of decoding a text column.
/// Non-ASCII stretches go to std a window at a time, resuming at the last character boundary it accepted.
pub fn utf8_ok(mut bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const WINDOW: usize = 256;
    let word = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
    loop {
        let mut i = 0;
        while i + 32 <= bytes.len() {
            let w = word(bytes, i) | word(bytes, i + 8) | word(bytes, i + 16) | word(bytes, i + 24);
            if w & HIGH != 0 {
                break;
            }
            i += 32;
        }
        bytes = &bytes[i..];
        if bytes.len() <= WINDOW {
            return std::str::from_utf8(bytes).is_ok();
        }
        match std::str::from_utf8(&bytes[..WINDOW]) {
            Ok(_) => bytes = &bytes[WINDOW..],
            // A character cut by the window's end: go on from its first byte.
            Err(e) if e.error_len().is_none() => bytes = &bytes[e.valid_up_to()..],
            Err(_) => return false,
        }
    }
}

/// Whether every key, null or not, lies inside the dictionary (arrow skips null keys: a stream whose null keys
/// hold garbage takes arrow's path and is judged as before).
fn keys_ok(data: &ArrayData, key: &DataType) -> bool {
    let entries = data.child_data()[0].len();
    fn all_below<K: ArrowNativeType>(data: &ArrayData, entries: usize) -> bool {
        let keys = &data.buffer::<K>(0)[..data.len()];
        keys.iter().all(|k| k.to_usize().is_some_and(|k| k < entries))
    }
    match key {
        DataType::Int8 => all_below::<i8>(data, entries),
        DataType::Int16 => all_below::<i16>(data, entries),
        DataType::Int32 => all_below::<i32>(data, entries),
        DataType::Int64 => all_below::<i64>(data, entries),
        DataType::UInt8 => all_below::<u8>(data, entries),
        DataType::UInt16 => all_below::<u16>(data, entries),
        DataType::UInt32 => all_below::<u32>(data, entries),
        DataType::UInt64 => all_below::<u64>(data, entries),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use arrow_buffer::Buffer;

    use super::*;

    #[test]
    fn utf8_check_agrees_with_std() {
        // Reference: std::str::from_utf8. Inputs: ASCII runs around the 32-byte steps and 256-byte windows, with
        // multi-byte characters, stray continuation bytes, and cuts at every position near the ends.
        let mut state = 0x9E37_79B9u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let pieces: [&[u8]; 7] = [
            b"a",
            b"customer@example.fi ",
            "\u{e4}".as_bytes(),
            "\u{20ac}".as_bytes(),
            "\u{1f600}".as_bytes(),
            &[0x80],
            &[0xF0, 0x9F],
        ];
        let (mut cases, mut invalid) = (0, 0);
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            let len = next() as usize % 700;
            while bytes.len() < len {
                let p = next() as usize % 100;
                let piece = match p {
                    0 => pieces[5],
                    1 => pieces[6],
                    2..=4 => pieces[2],
                    5..=6 => pieces[3],
                    7 => pieces[4],
                    8..=40 => pieces[1],
                    _ => pieces[0],
                };
                bytes.extend_from_slice(piece);
            }
            for cut in [0, 1, 2, 3] {
                let b = &bytes[..bytes.len().saturating_sub(cut)];
                let want = std::str::from_utf8(b).is_ok();
                assert_eq!(utf8_ok(b), want, "{b:?}");
                cases += 1;
                invalid += usize::from(!want);
            }
        }
        assert!(invalid > 1000 && cases - invalid > 1000, "{invalid} invalid of {cases}");
    }

    fn strings(
        offsets: &[i32],
        values: &[u8],
        validity: Option<u8>,
    ) -> (Result<ArrayData, ArrowError>, Result<ArrayData, ArrowError>) {
        let len = offsets.len().saturating_sub(1);
        let builder = || {
            ArrayData::builder(DataType::Utf8)
                .len(len)
                .null_bit_buffer(validity.map(|v| Buffer::from(vec![v])))
                .add_buffer(Buffer::from_slice_ref(offsets))
                .add_buffer(Buffer::from_slice_ref(values))
        };
        (build(builder(), &DataType::Utf8, len, validity.map(|_| 1)), builder().build())
    }

    fn same(ours: Result<ArrayData, ArrowError>, arrow: Result<ArrayData, ArrowError>) {
        match (ours, arrow) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("ours {a:?}, arrow {b:?}"),
        }
    }

    #[test]
    fn strings_judged_as_arrow_judges_them() {
        let text = "héllo wörld".as_bytes();
        for offsets in [
            &[0, 1, 3, 6][..], // h, é, llo
            &[0, 2, 3],        // cuts 'é'
            &[0, 5, 3],        // not monotonic
            &[0, 3, 40],       // past the values
            &[-1, 3],          // negative
            &[2, 3],           // starts inside 'é'
            &[0, 13],          // all of it
            &[0, 0, 0],        // empty strings
        ] {
            let (ours, arrow) = strings(offsets, text, None);
            same(ours, arrow);
        }
        let (ours, arrow) = strings(&[0, 1, 2], &[b'a', 0xFF], None);
        same(ours, arrow); // not UTF-8
        let (ours, arrow) = strings(&[0, 1, 3], text, Some(0b01));
        same(ours, arrow); // a null slot: still checked, by both
    }

    #[test]
    fn dictionary_keys_judged_as_arrow_judges_them() {
        let values = ArrayData::builder(DataType::Utf8)
            .len(2)
            .add_buffer(Buffer::from_slice_ref([0i32, 2, 4]))
            .add_buffer(Buffer::from_slice_ref(b"FISE"))
            .build()
            .unwrap();
        let dt = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        for (keys, validity) in
            [(&[0i32, 1, 1][..], None), (&[0, 2, 1], None), (&[0, -1, 1], None), (&[0, 7, 1], Some(0b101u8))]
        {
            let builder = || {
                ArrayData::builder(dt.clone())
                    .len(3)
                    .null_bit_buffer(validity.map(|v| Buffer::from(vec![v])))
                    .add_buffer(Buffer::from_slice_ref(keys))
                    .add_child_data(values.clone())
            };
            same(build(builder(), &dt, 3, validity.map(|_| 1)), builder().build());
        }
    }
}
