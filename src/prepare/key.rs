//! Join and group keys: how a key value is normalized (`email`, `text`, `none`), read from a column of any text
//! or integer type, hashed once, and interned into a table that hands out dense group ids. The same keys serve
//! `prepare` (aggregate, join, customer features) and linked tables in rules (`segments::links`), so both
//! match the same customers, here and in the SQL they write.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use std::borrow::Cow;

use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::messages::{nested, Message};
use crate::segments::textfn::{lower, trim, TextFn};

/// How key values are made comparable before grouping or matching. Each mode is exactly a SQL expression
/// ([`NormalizeKey::sql`]) built from the rule language's own `trim`, `lower` and `upper` ([`TextFn`]), which
/// behave as DuckDB's, Spark's and PostgreSQL's: `trim` removes spaces (not tabs), and a letter whose case
/// mapping is several characters stays as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormalizeKey {
    /// `NULLIF(lower(trim(k)), '')`: `' Anna@Example.FI '` and `anna@example.fi` are one customer, and a blank
    /// e-mail is no e-mail (a missing key, which matches nothing).
    Email,
    /// `NULLIF(lower(upper(trim(k))), '')`: like `email`, and letters with several lower-case forms meet
    /// (`ς`/`σ`, `ſ`/`s`): names, cities, product titles.
    Text,
    /// `k`: compared exactly as stored (a blank value is a key like any other).
    #[default]
    None,
}

impl NormalizeKey {
    /// Parse `'email'`, `'text'` or `'none'`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "email" => Ok(NormalizeKey::Email),
            "text" => Ok(NormalizeKey::Text),
            "none" => Ok(NormalizeKey::None),
            other => Err(Error::invalid_argument("normalizeKey", nested("unknown_normalize_key", &[other]))),
        }
    }

    /// The option's name as users write it.
    pub fn as_str(self) -> &'static str {
        match self {
            NormalizeKey::Email => "email",
            NormalizeKey::Text => "text",
            NormalizeKey::None => "none",
        }
    }

    /// Normalize `raw` into `scratch` and return the normalized text, or `None` for a key that is missing
    /// (blank after trimming, for `email` and `text`). Borrows `raw` when it is already normal, so the common
    /// case allocates nothing.
    #[inline]
    pub fn apply<'a>(self, raw: &'a str, scratch: &'a mut String) -> Option<&'a str> {
        if self == NormalizeKey::None {
            return Some(raw);
        }
        let trimmed = trim(raw);
        if trimmed.is_empty() {
            return None;
        }
        // Lower-case ASCII is its own lower(upper()): the common case needs no case mapping at all.
        if !trimmed.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            return Some(trimmed);
        }
        let folded = match self {
            NormalizeKey::Text => Cow::Owned(lower(&TextFn::Upper.apply(trimmed)).into_owned()),
            _ => lower(trimmed),
        };
        scratch.clear();
        scratch.push_str(&folded);
        Some(scratch.as_str())
    }

    /// The SQL expression that normalizes `column` (already quoted and qualified) as [`NormalizeKey::apply`]
    /// does; DuckDB, Spark and PostgreSQL spell these functions alike.
    pub fn sql(self, column: &str) -> String {
        match self {
            NormalizeKey::Email => format!("NULLIF(lower(trim({column})), '')"),
            NormalizeKey::Text => format!("NULLIF(lower(upper(trim({column}))), '')"),
            NormalizeKey::None => column.to_string(),
        }
    }
}

/// Whether a column can be a key: text (plain, large, view, dictionary) or integers.
pub fn check_key_type(name: &str, data_type: &DataType) -> Result<()> {
    if key_kind(data_type).is_some() {
        return Ok(());
    }
    let message = Message::new("key_type", [name.to_string(), crate::ingest::type_name(data_type)]);
    Err(message.into_error(ErrorCode::TypeMismatch).with_subject(name))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Text,
    Int,
}

fn key_kind(data_type: &DataType) -> Option<KeyKind> {
    use DataType::*;
    match data_type {
        Utf8 | LargeUtf8 | Utf8View => Some(KeyKind::Text),
        Dictionary(_, v) if matches!(v.as_ref(), Utf8 | LargeUtf8 | Utf8View) => Some(KeyKind::Text),
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => Some(KeyKind::Int),
        _ => None,
    }
}

/// Call `f(row, value)` for every row of a text chunk (any text encoding) with `None` for nulls.
pub fn for_each_text<'a>(array: &'a ArrayRef, mut f: impl FnMut(usize, Option<&'a str>)) {
    macro_rules! plain {
        ($a:expr) => {{
            let a = $a;
            for i in 0..a.len() {
                f(i, a.is_valid(i).then(|| a.value(i)));
            }
        }};
    }
    match array.data_type() {
        DataType::Utf8 => plain!(array.as_string::<i32>()),
        DataType::LargeUtf8 => plain!(array.as_string::<i64>()),
        DataType::Utf8View => plain!(array.as_string_view()),
        DataType::Dictionary(_, _) => {
            let d = array.as_any_dictionary();
            let values = d.values();
            let mut texts: Vec<Option<&str>> = Vec::with_capacity(values.len());
            for_each_text_collect(values, &mut texts);
            let known = for_each_int(d.keys(), |i, key| {
                let text = key.and_then(|k| usize::try_from(k).ok()).and_then(|k| texts.get(k).copied().flatten());
                f(i, text)
            });
            if !known {
                (0..array.len()).for_each(|i| f(i, None));
            }
        }
        _ => (0..array.len()).for_each(|i| f(i, None)),
    }
}

fn for_each_text_collect<'a>(values: &'a ArrayRef, out: &mut Vec<Option<&'a str>>) {
    match values.data_type() {
        DataType::Utf8 => out.extend(values.as_string::<i32>().iter()),
        DataType::LargeUtf8 => out.extend(values.as_string::<i64>().iter()),
        DataType::Utf8View => out.extend(values.as_string_view().iter()),
        _ => out.extend(std::iter::repeat_n(None, values.len())),
    }
}

/// Call `f(row, value)` for every row of an integer array of any width (`None` for nulls), widened to `i128` so
/// every `i64` and `u64` fits; `false`, calling nothing, when the array holds no integers. Serves integer keys
/// and the keys of dictionary-encoded text alike.
fn for_each_int(array: &dyn Array, mut f: impl FnMut(usize, Option<i128>)) -> bool {
    macro_rules! ints {
        ($t:ty) => {
            array.as_primitive::<$t>().iter().enumerate().for_each(|(i, v)| f(i, v.map(i128::from)))
        };
    }
    match array.data_type() {
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => ints!(UInt64Type),
        _ => return false,
    }
    true
}

/// Call `f(row, normalized key)` for every row of a key chunk; integers are keyed by their decimal text so an
/// integer id matches the same id stored as text.
pub fn for_each_key(array: &ArrayRef, normalize: NormalizeKey, mut f: impl FnMut(usize, Option<&str>)) {
    let mut scratch = String::new();
    match key_kind(array.data_type()) {
        Some(KeyKind::Int) => {
            use std::fmt::Write;
            for_each_int(array.as_ref(), |i, v| match v {
                Some(v) => {
                    scratch.clear();
                    let _ = write!(scratch, "{v}");
                    f(i, Some(scratch.as_str()))
                }
                None => f(i, None),
            });
        }
        _ => for_each_text(array, |i, v| {
            let key = v.and_then(|v| normalize.apply(v, &mut scratch));
            f(i, key)
        }),
    }
}

/// A fast non-cryptographic hash of key bytes (keys come from the user's own files, so flooding is no threat).
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    }
    // Final avalanche so the low bits (the slot index) depend on every input bit.
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

/// A `std::hash::Hasher` with the same multiply-rotate mixing, for hash sets of small fixed-size values.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^ (h >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(5) ^ hash_bytes(bytes);
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(v)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
}

/// Builds [`FastHasher`]s for `HashMap`/`HashSet`.
pub type FastBuild = std::hash::BuildHasherDefault<FastHasher>;

/// Distinct keys interned in insertion order: an open-addressing table over one byte arena, so a million keys
/// cost three allocations, not a million.
///
/// With a million keys the slots and the arena are far larger than the cache, and each array a probe reads is a
/// cache miss per row (aggregating 5M orders spent 80 % of its time on them). So a slot holds 32 bits of the
/// key's hash (a different key is rejected without leaving the slot) and the key's place in the arena, where
/// its id and length sit right before its bytes: a probe that finds its key reads two places, not four.
#[derive(Debug, Default)]
pub struct KeyTable {
    /// Per key: its id and byte length (little-endian `u32`s), then its bytes.
    arena: Vec<u8>,
    /// Arena position of each key's entry, by id (for reading keys back in id order).
    starts: Vec<u32>,
    /// `tag << 32 | arena position` per slot (the tag: the hash's low 32 bits, which also place the slot), or
    /// [`EMPTY`].
    slots: Vec<u64>,
}

const EMPTY: u64 = u64::MAX;
/// Bytes before a key's text in the arena: its id and its length.
const HEADER: usize = 8;

impl KeyTable {
    /// An empty table sized for about `capacity` keys.
    pub fn with_capacity(capacity: usize) -> Self {
        let slots = vec![EMPTY; (capacity.max(8) * 2).next_power_of_two()];
        KeyTable { slots, ..Default::default() }
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether no key was interned.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Key number `id`.
    pub fn key(&self, id: u32) -> &str {
        // The arena only ever receives whole `&str`s.
        std::str::from_utf8(self.entry(self.starts[id as usize] as usize).1).unwrap_or_default()
    }

    /// The id and bytes of the arena entry at `at`.
    #[inline]
    fn entry(&self, at: usize) -> (u32, &[u8]) {
        let word =
            |i: usize| u32::from_le_bytes([self.arena[i], self.arena[i + 1], self.arena[i + 2], self.arena[i + 3]]);
        let (id, len) = (word(at), word(at + 4) as usize);
        (id, &self.arena[at + HEADER..at + HEADER + len])
    }

    /// The id of `key` (`Ok`), or the empty slot where it belongs and its tag (`Err`).
    #[inline]
    fn find(&self, key: &[u8]) -> std::result::Result<u32, (usize, u32)> {
        let tag = hash_bytes(key) as u32;
        let mask = self.slots.len() - 1;
        let mut slot = tag as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == EMPTY {
                return Err((slot, tag));
            }
            if (entry >> 32) as u32 == tag {
                let (id, bytes) = self.entry(entry as u32 as usize);
                if bytes == key {
                    return Ok(id);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The id of `key` if present.
    pub fn get(&self, key: &str) -> Option<u32> {
        self.find(key.as_bytes()).ok()
    }

    /// The id of `key`, interning it if new; `Err` when the arena would pass 4 GiB.
    pub fn intern(&mut self, key: &str) -> Result<u32> {
        if (self.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (slot, tag) = match self.find(key.as_bytes()) {
            Ok(id) => return Ok(id),
            Err(place) => place,
        };
        let (id, at) = (self.len() as u32, self.arena.len());
        if at + HEADER + key.len() > u32::MAX as usize {
            return Err(Error::new(ErrorCode::OutOfMemory, "too many distinct keys (over 4 GiB of key text)"));
        }
        self.arena.extend_from_slice(&id.to_le_bytes());
        self.arena.extend_from_slice(&(key.len() as u32).to_le_bytes());
        self.arena.extend_from_slice(key.as_bytes());
        self.starts.push(at as u32);
        self.slots[slot] = u64::from(tag) << 32 | at as u64;
        Ok(id)
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mask = size - 1;
        let mut slots = vec![EMPTY; size];
        for &entry in self.slots.iter().filter(|&&e| e != EMPTY) {
            let mut slot = (entry >> 32) as usize & mask;
            while slots[slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            slots[slot] = entry;
        }
        self.slots = slots;
    }

    /// The keys as a Utf8 array (in id order), with `null_at` as an extra null entry when given.
    pub fn to_array(&self, null_at: Option<u32>) -> arrow_array::StringArray {
        let mut b =
            arrow_array::builder::StringBuilder::with_capacity(self.len() + 1, self.arena.len() - HEADER * self.len());
        let mut id = 0u32;
        let total = self.len() as u32 + u32::from(null_at.is_some());
        for out in 0..total {
            if Some(out) == null_at {
                b.append_null();
            } else {
                b.append_value(self.key(id));
                id += 1;
            }
        }
        b.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_emails_and_text() {
        let mut s = String::new();
        assert_eq!(NormalizeKey::Email.apply("  Anna@Example.FI ", &mut s), Some("anna@example.fi"));
        assert_eq!(NormalizeKey::Text.apply("ÄÖ Oy", &mut s), Some("äö oy"));
        assert_eq!(NormalizeKey::Email.apply("   ", &mut s), None);
        assert_eq!(NormalizeKey::None.apply(" A ", &mut s), Some(" A "));
        assert_eq!(NormalizeKey::None.apply("", &mut s), Some(""));
        // trim() is SQL's: spaces only.
        assert_eq!(NormalizeKey::Email.apply("\ta@b.fi ", &mut s), Some("\ta@b.fi"));
        // text folds through upper case, so final sigma and sigma meet; email only lower-cases.
        assert_eq!(NormalizeKey::Text.apply(" ΟΔΟΣ ", &mut s), Some("οδοσ"));
        assert_eq!(NormalizeKey::Text.apply("οδος", &mut s), Some("οδοσ"));
        assert_eq!(NormalizeKey::Email.apply("οδος", &mut s), Some("οδος"));
        assert_eq!(NormalizeKey::Text.sql("o.\"Email\""), "NULLIF(lower(upper(trim(o.\"Email\"))), '')");
        assert_eq!(NormalizeKey::None.sql("x"), "x");
    }

    #[test]
    fn interns_keys_densely() {
        let mut t = KeyTable::with_capacity(1);
        let names: Vec<String> = (0..1000).map(|i| format!("k{i}")).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.intern(n).unwrap(), i as u32);
        }
        assert_eq!(t.intern("k7").unwrap(), 7);
        assert_eq!(t.get("k999"), Some(999));
        assert_eq!(t.get("nope"), None);
        assert_eq!(t.key(42), "k42");
    }
}
