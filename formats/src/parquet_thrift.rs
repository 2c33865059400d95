//! A bounded walk over the Thrift page headers of a column chunk, run before the parquet crate reads them.
//!
//! The parquet crate (60.1) skips unknown Thrift fields without checking that their lengths fit the bytes left: a
//! damaged header declaring a list of 2^31 binaries on a few bytes makes it loop for hours (a fuzz timeout, and a
//! frozen tab in wasm). This walk reads the same compact-protocol bytes with every length and element count
//! checked against the bytes left and nesting bounded, so its work is linear in the chunk's size.

/// Deepest nesting of structs, lists and maps accepted in a page header (real headers nest 3 deep).
const MAX_DEPTH: usize = 32;

/// Check every page header of the column chunk at `bytes[start..start + len]`: each must be a well-formed Thrift
/// struct whose `compressed_page_size` (field 3) keeps the next header inside the chunk.
pub(crate) fn check_page_headers(bytes: &[u8], start: u64, len: u64) -> Result<(), String> {
    let end =
        start.checked_add(len).filter(|&e| e <= bytes.len() as u64).ok_or("the column chunk lies outside the file")?;
    let chunk = &bytes[start as usize..end as usize];
    let mut at = 0;
    let mut page = 0;
    while at < chunk.len() {
        let mut walk = Walk { buf: chunk, at, compressed_size: None };
        walk.skip_struct(0, true).map_err(|e| format!("page {page}: damaged page header ({e})"))?;
        let size = walk.compressed_size.ok_or_else(|| format!("page {page}: the page header has no page size"))?;
        let next = usize::try_from(size).ok().and_then(|s| walk.at.checked_add(s));
        at = next.filter(|&n| n <= chunk.len()).ok_or_else(|| format!("page {page}: its size runs past the chunk"))?;
        page += 1;
    }
    Ok(())
}

struct Walk<'a> {
    buf: &'a [u8],
    at: usize,
    /// Field 3 of the top-level struct (PageHeader.compressed_page_size).
    compressed_size: Option<i64>,
}

impl Walk<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.buf.get(self.at).ok_or("ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a varint longer than 10 bytes".into())
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        let left = (self.buf.len() - self.at) as u64;
        if n > left {
            return Err(format!("a length of {n} with {left} bytes left"));
        }
        self.at += n as usize;
        Ok(())
    }

    /// A count of elements, each at least one byte: more than the bytes left is a lie.
    fn count(&mut self, n: u64) -> Result<u64, String> {
        let left = (self.buf.len() - self.at) as u64;
        if n > left {
            return Err(format!("{n} elements with {left} bytes left"));
        }
        Ok(n)
    }

    fn skip_struct(&mut self, depth: usize, top: bool) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH}"));
        }
        let mut id: i64 = 0;
        loop {
            let header = self.byte()?;
            let ty = header & 0x0f;
            if ty == 0 {
                return Ok(());
            }
            let delta = header >> 4;
            id = if delta == 0 { zigzag(self.varint()?) } else { id + i64::from(delta) };
            if top && id == 3 && ty == 5 {
                self.compressed_size = Some(zigzag(self.varint()?));
            } else {
                self.skip_value(ty, depth)?;
            }
        }
    }

    fn skip_value(&mut self, ty: u8, depth: usize) -> Result<(), String> {
        match ty {
            1 | 2 => Ok(()), // a boolean field: the value is in the type
            3 => self.skip(1),
            4..=6 => self.varint().map(drop),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let header = self.byte()?;
                let size = match header >> 4 {
                    15 => self.varint()?,
                    small => u64::from(small),
                };
                let element = header & 0x0f;
                for _ in 0..self.count(size)? {
                    // Booleans in a collection take one byte each.
                    if matches!(element, 1 | 2) {
                        self.skip(1)?
                    } else {
                        self.skip_value(element, depth + 1)?
                    }
                }
                Ok(())
            }
            11 => {
                let size = self.varint()?;
                if size == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..self.count(size)? {
                    for ty in [kinds >> 4, kinds & 0x0f] {
                        if matches!(ty, 1 | 2) {
                            self.skip(1)?
                        } else {
                            self.skip_value(ty, depth + 1)?
                        }
                    }
                }
                Ok(())
            }
            12 => self.skip_struct(depth + 1, false),
            13 => self.skip(16), // UUID
            other => Err(format!("unknown Thrift type {other}")),
        }
    }
}

fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}
