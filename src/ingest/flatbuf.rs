//! A small bounds-checked reader of FlatBuffers tables: what the Arrow IPC metadata (messages, schemas, the file
//! footer) needs, and nothing more.
//!
//! Instead of verifying a whole buffer up front (the `flatbuffers` crate's verifier), every read checks its own
//! offsets and lengths against the bytes and fails with a reason: a hostile offset is an error, never a panic or
//! an out-of-bounds read. The checks are the verifier's (in bounds, scalars aligned to their size, vtables of
//! even length, strings UTF-8 and NUL-terminated), so metadata the verifier refused is refused here too as far as
//! it is read; [`super::meta`] reads every field of the tables segmetry accepts.

/// A reason the metadata is unreadable; callers wrap it into an `INVALID_ARROW` error with the position.
pub type Result<T> = std::result::Result<T, String>;

/// The `N`-byte scalar at `at`, which must lie in `buf` and be aligned to `N`.
fn bytes<const N: usize>(buf: &[u8], at: usize) -> Result<[u8; N]> {
    if !at.is_multiple_of(N) {
        return Err(format!("a {N}-byte metadata value at offset {at} is not aligned"));
    }
    at.checked_add(N)
        .and_then(|end| buf.get(at..end))
        .and_then(|slice| slice.try_into().ok())
        .ok_or_else(|| format!("a metadata offset ({at}) points outside the {}-byte metadata", buf.len()))
}

fn u32_at(buf: &[u8], at: usize) -> Result<usize> {
    Ok(u32::from_le_bytes(bytes(buf, at)?) as usize)
}

/// One table: its position and its vtable (which fields are present, where).
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    buf: &'a [u8],
    pos: usize,
    vtable: usize,
    vtable_len: usize,
}

impl<'a> Table<'a> {
    /// The root table of a buffer.
    pub fn root(buf: &'a [u8]) -> Result<Self> {
        Table::at(buf, u32_at(buf, 0)?)
    }

    fn at(buf: &'a [u8], pos: usize) -> Result<Self> {
        let soffset = i64::from(i32::from_le_bytes(bytes(buf, pos)?));
        let vtable = usize::try_from(pos as i64 - soffset).map_err(|_| "a table's vtable lies before the metadata")?;
        let vtable_len = usize::from(u16::from_le_bytes(bytes(buf, vtable)?));
        if !vtable_len.is_multiple_of(2) || vtable.checked_add(vtable_len).is_none_or(|end| end > buf.len()) {
            return Err(format!("a table at metadata offset {pos} has a damaged vtable"));
        }
        Ok(Table { buf, pos, vtable, vtable_len })
    }

    /// Where field `id` is stored, or `None` when the table leaves it out (its default applies).
    fn field(&self, id: usize) -> Result<Option<usize>> {
        let entry = 4 + 2 * id;
        if entry + 2 > self.vtable_len {
            return Ok(None);
        }
        let offset = usize::from(u16::from_le_bytes(bytes(self.buf, self.vtable + entry)?));
        // `pos + offset` cannot overflow: `pos` lies inside `buf` and `offset` is at most 65,535.
        Ok((offset != 0).then_some(self.pos + offset))
    }

    fn scalar<const N: usize>(&self, id: usize) -> Result<Option<[u8; N]>> {
        self.field(id)?.map(|at| bytes(self.buf, at)).transpose()
    }

    /// An `i64` field.
    pub fn i64(&self, id: usize, default: i64) -> Result<i64> {
        Ok(self.scalar(id)?.map_or(default, i64::from_le_bytes))
    }

    /// An `i32` field.
    pub fn i32(&self, id: usize, default: i32) -> Result<i32> {
        Ok(self.scalar(id)?.map_or(default, i32::from_le_bytes))
    }

    /// An `i16` field (also the enums of the Arrow schema, which are shorts).
    pub fn i16(&self, id: usize, default: i16) -> Result<i16> {
        Ok(self.scalar(id)?.map_or(default, i16::from_le_bytes))
    }

    /// A `u8` field (union type tags, byte enums).
    pub fn u8(&self, id: usize, default: u8) -> Result<u8> {
        Ok(self.scalar::<1>(id)?.map_or(default, |b| b[0]))
    }

    /// A `bool` field.
    pub fn bool(&self, id: usize) -> Result<bool> {
        Ok(self.u8(id, 0)? != 0)
    }

    /// The position an offset field points at.
    fn target(&self, id: usize) -> Result<Option<usize>> {
        let Some(at) = self.field(id)? else { return Ok(None) };
        let target = at.checked_add(u32_at(self.buf, at)?).filter(|&t| t < self.buf.len());
        target.map(Some).ok_or_else(|| format!("a metadata offset at {at} points outside the metadata"))
    }

    /// A sub-table field (also a union's value).
    pub fn table(&self, id: usize) -> Result<Option<Table<'a>>> {
        self.target(id)?.map(|at| Table::at(self.buf, at)).transpose()
    }

    /// A vector field whose elements are `width` bytes each: scalars or offsets to tables (aligned to their
    /// width), or structs (wider than 8 bytes; the Arrow metadata's are byte arrays, so unaligned).
    pub fn vector(&self, id: usize, width: usize) -> Result<Option<Vector<'a>>> {
        let Some(at) = self.target(id)? else { return Ok(None) };
        let len = u32_at(self.buf, at)?;
        let data = at + 4;
        if width <= 8 && !data.is_multiple_of(width) {
            return Err(format!("a vector at metadata offset {at} is not aligned"));
        }
        let end = len.checked_mul(width).and_then(|n| n.checked_add(data));
        if end.is_none_or(|end| end > self.buf.len()) {
            return Err(format!("a vector of {len} elements at metadata offset {at} runs past the metadata"));
        }
        Ok(Some(Vector { buf: self.buf, data, len, width }))
    }

    /// A string field (UTF-8 and the terminating NUL checked).
    pub fn str(&self, id: usize) -> Result<Option<&'a str>> {
        let Some(v) = self.vector(id, 1)? else { return Ok(None) };
        if v.buf.get(v.data + v.len) != Some(&0) {
            return Err("a name or text in the metadata is not NUL-terminated".into());
        }
        let text = std::str::from_utf8(&v.buf[v.data..v.data + v.len]);
        text.map(Some).map_err(|_| "a name or text in the metadata is not valid UTF-8".into())
    }
}

/// A vector whose bounds were checked when it was read.
#[derive(Debug, Clone, Copy)]
pub struct Vector<'a> {
    buf: &'a [u8],
    data: usize,
    len: usize,
    width: usize,
}

impl<'a> Vector<'a> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The bytes of element `i` (`None` past the end).
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        (i < self.len).then(|| &self.buf[self.data + i * self.width..self.data + (i + 1) * self.width])
    }

    /// `i64` element `i` of a vector of 8-byte values (or the `n`-th `i64` of a struct element).
    pub fn i64(&self, i: usize, n: usize) -> Option<i64> {
        let bytes = self.get(i)?.get(n * 8..n * 8 + 8)?;
        bytes.try_into().ok().map(i64::from_le_bytes)
    }

    /// Element `i` of a vector of tables.
    pub fn table(&self, i: usize) -> Result<Table<'a>> {
        if i >= self.len {
            return Err(format!("element {i} of a {}-element vector", self.len));
        }
        let at = self.data + i * 4;
        let target = at.checked_add(u32_at(self.buf, at)?).filter(|&t| t < self.buf.len());
        Table::at(self.buf, target.ok_or_else(|| format!("a metadata offset at {at} points outside the metadata"))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-built buffer: root offset, vtable (6 bytes: len, object size, one field at +4), table (soffset,
    /// then an i32 field).
    fn one_field(value: i32) -> Vec<u8> {
        let mut buf = vec![];
        buf.extend(12u32.to_le_bytes()); // root table at 12
        buf.extend([0, 0]); // padding
        buf.extend(6u16.to_le_bytes()); // vtable at 6: 6 bytes long
        buf.extend(8u16.to_le_bytes()); // object: 8 bytes
        buf.extend(4u16.to_le_bytes()); // field 0 at +4
        buf.extend(6i32.to_le_bytes()); // table at 12: vtable at 12 - 6
        buf.extend(value.to_le_bytes());
        buf
    }

    #[test]
    fn reads_present_and_absent_fields() {
        let buf = one_field(-7);
        let table = Table::root(&buf).unwrap();
        assert_eq!(table.i32(0, 1).unwrap(), -7);
        assert_eq!(table.i32(1, 42).unwrap(), 42, "a field past the vtable has its default");
        assert_eq!(table.table(1).unwrap().map(|t| t.pos), None);
    }

    #[test]
    fn hostile_offsets_are_errors() {
        let buf = one_field(5);
        for cut in 0..buf.len() - 4 {
            // Truncated: the field or the table itself lies past the end.
            let _ = Table::root(&buf[..cut]).and_then(|t| t.i32(0, 0));
        }
        let mut bad = buf.clone();
        bad[12..16].copy_from_slice(&1000i32.to_le_bytes()); // vtable before the buffer
        assert!(Table::root(&bad).is_err());
        let mut bad = buf.clone();
        bad[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Table::root(&bad).is_err());
        // A field read as an offset to a table/vector points far outside.
        let table = Table::root(&buf).unwrap();
        let mut big = one_field(i32::MAX);
        big.truncate(buf.len());
        assert!(Table::root(&big).unwrap().table(0).is_err());
        assert!(Table::root(&big).unwrap().vector(0, 8).is_err());
        assert!(table.str(0).is_err());
    }
}
