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
    #[inline(always)]
    pub fn apply<'a>(self, raw: &'a str, scratch: &'a mut String) -> Option<&'a str> {
        if self == NormalizeKey::None {
            return Some(raw);
        }
        self.apply_slow(raw, scratch)
    }

    // Out of line: `apply` runs once per row, and in wasm a call that is not inlined costs a stack frame in
    // linear memory per row (measured: a fifth of `group`'s time with `none`).
    #[inline(never)]
    fn apply_slow<'a>(self, raw: &'a str, scratch: &'a mut String) -> Option<&'a str> {
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
#[inline(always)]
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
#[inline(always)]
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
#[inline(always)]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = word64(c, 0);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    // The last 1–7 bytes as one word from two overlapping 4-byte reads (or three bytes below 4), not copied
    // into a buffer and read back: that store-to-load round trip stalled and was most of `group`'s time. The
    // length, mixed in first, tells apart tails these reads would confuse.
    let rest = chunks.remainder();
    let n = rest.len();
    if n > 0 {
        let w = if n >= 4 {
            u64::from(word(rest, 0)) | u64::from(word(rest, n - 4)) << 32
        } else {
            u64::from(rest[0]) | u64::from(rest[n / 2]) << 8 | u64::from(rest[n - 1]) << 16
        };
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
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

/// Distinct keys interned in insertion order: open-addressing tables over byte arenas, so a million keys cost a
/// few allocations, not a million.
///
/// With a million keys the slots and the arena are far larger than the cache, and each array a probe reads is a
/// cache miss per row (aggregating 5M orders spent 80 % of its time on them). So a slot holds 32 bits of the
/// key's hash (a different key is rejected without leaving the slot) and the key's place in the arena, where
/// its id and length sit right before its bytes: a probe that finds its key reads two places, not four. A table
/// made by [`KeyTable::partitioned`] also splits its keys by the hash's top bits into parts small enough for the
/// cache, and [`KeyBatch`] feeds it many rows part by part (radix partitioning), so a part's slots and arena
/// stay in cache while its rows are looked up.
#[derive(Debug)]
pub struct KeyTable {
    /// The parts (one unless partitioned); a key's part is its hash's top `part_bits` bits.
    parts: Vec<Part>,
    part_bits: u32,
    /// `part << 32 | arena position` of each key's entry, by id (for reading keys back in id order).
    starts: Vec<u64>,
    /// Total key bytes, for sizing [`KeyTable::to_array`].
    key_bytes: usize,
}

/// One part of a [`KeyTable`]: its own slots and arena.
#[derive(Debug, Default)]
struct Part {
    /// Per key: its id and byte length (little-endian `u32`s), then its bytes.
    arena: Vec<u8>,
    /// `tag << 32 | arena position` per slot (the tag: the hash's low 32 bits, which also place the slot), or
    /// [`EMPTY`].
    slots: Vec<u64>,
    /// Keys in this part.
    len: usize,
}

const EMPTY: u64 = u64::MAX;
/// Bytes before a key's text in the arena (its id and length) and in a [`KeyBatch`] buffer (its length and tag).
const HEADER: usize = 8;
/// Marks an id handed out inside [`KeyTable::intern_batch`] before the batch's new keys are numbered.
const PENDING: u32 = 1 << 31;

impl Default for KeyTable {
    fn default() -> Self {
        KeyTable::with_capacity(8)
    }
}

// One bounds check and one load: four indexed bytes were four checks and four byte loads in wasm.
#[inline(always)]
fn word(bytes: &[u8], i: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[i..i + 4]);
    u32::from_le_bytes(w)
}

#[inline(always)]
fn word64(bytes: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[i..i + 8]);
    u64::from_le_bytes(w)
}

/// A key's length rounded up to whole 8-byte words: how much room it takes in an arena or a [`KeyBatch`].
#[inline]
fn padded(len: usize) -> usize {
    (len + 7) & !7
}

/// Write `key` into `out` (`padded(key.len())` bytes) as whole little-endian words, its last word zero-filled
/// past the key. Keys stored so compare a word at a time ([`same_words`]); in wasm a slice copy or compare of
/// a few bytes is a call to a byte loop.
#[inline(always)]
fn write_words(out: &mut [u8], key: &[u8]) {
    let mut chunks = key.chunks_exact(8);
    let mut words = out.chunks_exact_mut(8);
    for (c, w) in (&mut chunks).zip(&mut words) {
        w.copy_from_slice(c);
    }
    let r = chunks.remainder().len();
    if r == 0 {
        return;
    }
    let n = key.len();
    // The last r bytes in the word's low bytes, zeros above: from the key's last 8 bytes when it has them, else
    // from two overlapping 4-byte reads (equal bytes where they overlap, so OR joins them) or single bytes.
    let tail = if n >= 8 {
        word64(key, n - 8) >> (8 * (8 - r))
    } else if r >= 4 {
        u64::from(word(key, 0)) | u64::from(word(key, r - 4)) << (8 * (r - 4))
    } else {
        key.iter().enumerate().fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i))
    };
    if let Some(w) = words.next() {
        w.copy_from_slice(&tail.to_le_bytes());
    }
}

/// Append `key` to `out` as [`write_words`] writes it.
fn push_words(out: &mut Vec<u8>, key: &[u8]) {
    let at = out.len();
    out.resize(at + padded(key.len()), 0);
    write_words(&mut out[at..], key);
}

/// The entries of a [`KeyBatch`] part buffer in order: each key's words, its length and its tag.
#[inline(always)]
fn entries(buffer: &[u8]) -> impl Iterator<Item = (&[u8], usize, u32)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= buffer.len() {
            return None;
        }
        let header = word64(buffer, at);
        let (len, tag) = (header as u32 as usize, (header >> 32) as u32);
        let words = &buffer[at + HEADER..at + HEADER + padded(len)];
        at += HEADER + words.len();
        Some((words, len, tag))
    })
}

/// Whether two keys stored by [`write_words`] with the same length `len` are equal.
#[inline(always)]
fn same_words(a: &[u8], b: &[u8], len: usize) -> bool {
    let n = padded(len);
    let (a, b) = (&a[..n], &b[..n]);
    (0..n).step_by(8).all(|i| word64(a, i) == word64(b, i))
}

impl Part {
    /// The id and bytes of the arena entry at `at`.
    #[inline]
    fn entry(&self, at: usize) -> (u32, &[u8]) {
        let (id, len) = (word(&self.arena, at), word(&self.arena, at + 4) as usize);
        (id, &self.arena[at + HEADER..at + HEADER + len])
    }

    /// The id of `key` (`Ok`), or the empty slot where it belongs (`Err`).
    #[inline]
    fn find(&self, key: &[u8], tag: u32) -> std::result::Result<u32, usize> {
        self.find_with(tag, |start, len| len == key.len() && &self.arena[start..start + len] == key)
    }

    /// [`Part::find`] for a key stored by [`write_words`] (`words`, the key `len` bytes long).
    #[inline(always)]
    fn find_words(&self, words: &[u8], len: usize, tag: u32) -> std::result::Result<u32, usize> {
        self.find_with(tag, |start, l| l == len && same_words(&self.arena[start..], words, len))
    }

    /// Probe for `tag` until an empty slot or an entry `same(start of its bytes, its length)` accepts.
    #[inline(always)]
    fn find_with(&self, tag: u32, same: impl Fn(usize, usize) -> bool) -> std::result::Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut slot = tag as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == EMPTY {
                return Err(slot);
            }
            if (entry >> 32) as u32 == tag {
                let at = entry as u32 as usize;
                if same(at + HEADER, word(&self.arena, at + 4) as usize) {
                    return Ok(word(&self.arena, at));
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Make room for one more key (before [`Part::find`], whose slot a grow would move).
    #[inline]
    fn reserve_one(&mut self) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// Add a key of `len` bytes with `id` at `slot` (from [`Part::find`]); `bytes` is the key itself or its
    /// `padded(len)` bytes of words as [`write_words`] stores them (which [`push_words`] copies unchanged). Its
    /// arena position, or `Err` past 4 GiB.
    #[inline]
    fn insert(&mut self, slot: usize, tag: u32, bytes: &[u8], len: usize, id: u32) -> Result<usize> {
        let at = self.insert_header(slot, tag, len, id)?;
        push_words(&mut self.arena, bytes);
        Ok(at)
    }

    /// Claim `slot` for a key of `len` bytes with `id`, writing its header; the key's words come next.
    #[inline]
    fn insert_header(&mut self, slot: usize, tag: u32, len: usize, id: u32) -> Result<usize> {
        let at = self.arena.len();
        if at + HEADER + padded(len) > u32::MAX as usize {
            return Err(Error::new(ErrorCode::OutOfMemory, "too many distinct keys (over 4 GiB of key text)"));
        }
        self.arena.extend_from_slice(&(u64::from(id) | (len as u64) << 32).to_le_bytes());
        self.slots[slot] = u64::from(tag) << 32 | at as u64;
        self.len += 1;
        Ok(at)
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
}

impl KeyTable {
    /// An empty table sized for about `capacity` keys.
    pub fn with_capacity(capacity: usize) -> Self {
        let slots = vec![EMPTY; (capacity.max(8) * 2).next_power_of_two()];
        KeyTable { parts: vec![Part { slots, ..Default::default() }], part_bits: 0, starts: Vec::new(), key_bytes: 0 }
    }

    /// An empty table split into parts for about `keys` distinct keys, each part's slots and arena about
    /// [`PART_KEYS`] keys (a couple of hundred KiB, inside a core's L2 cache); fill it with
    /// [`KeyTable::intern_batch`].
    pub fn partitioned(keys: usize) -> Self {
        let part_bits = (keys / PART_KEYS).max(1).next_power_of_two().trailing_zeros().min(10);
        let parts = (0..1usize << part_bits).map(|_| Part { slots: vec![EMPTY; 64], ..Default::default() }).collect();
        KeyTable { parts, part_bits, starts: Vec::new(), key_bytes: 0 }
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
        let start = self.starts[id as usize];
        // The arena only ever receives whole `&str`s.
        std::str::from_utf8(self.parts[(start >> 32) as usize].entry(start as u32 as usize).1).unwrap_or_default()
    }

    /// The part and tag of a key with hash `hash`.
    #[inline]
    fn place(&self, hash: u64) -> (usize, u32) {
        let part = if self.part_bits == 0 { 0 } else { (hash >> (64 - self.part_bits)) as usize };
        (part, hash as u32)
    }

    /// The id of `key` if present.
    pub fn get(&self, key: &str) -> Option<u32> {
        let (part, tag) = self.place(hash_bytes(key.as_bytes()));
        self.parts[part].find(key.as_bytes(), tag).ok()
    }

    /// The id of `key`, interning it if new; `Err` when a part's arena would pass 4 GiB.
    pub fn intern(&mut self, key: &str) -> Result<u32> {
        let (p, tag) = self.place(hash_bytes(key.as_bytes()));
        let id = self.len() as u32;
        let part = &mut self.parts[p];
        part.reserve_one();
        let slot = match part.find(key.as_bytes(), tag) {
            Ok(id) => return Ok(id),
            Err(slot) => slot,
        };
        let at = part.insert(slot, tag, key.as_bytes(), key.len(), id)?;
        self.starts.push((p as u64) << 32 | at as u64);
        self.key_bytes += key.len();
        Ok(id)
    }

    /// Intern every key of `batch` (in row order, as [`KeyTable::intern`] one by one would) and set
    /// `ids[row]` to its id for each of the batch's rows; empties the batch. Works part by part, so each part's
    /// slots and arena are read while in cache; the batch's new keys are numbered afterwards by the row where
    /// each first appears.
    pub fn intern_batch(&mut self, batch: &mut KeyBatch, ids: &mut [u32]) -> Result<()> {
        // (part, arena position) of each key new in this batch; its pending id is its index here.
        let mut new: Vec<(u32, u32)> = Vec::new();
        for p in 0..batch.parts.len() {
            let buffer = &batch.parts[p][..batch.fill[p]];
            let part = &mut self.parts[p];
            let found = &mut batch.ids[p];
            found.clear();
            for (words, len, tag) in entries(buffer) {
                part.reserve_one();
                found.push(match part.find_words(words, len, tag) {
                    Ok(id) => id,
                    Err(slot) => {
                        if self.starts.len() + new.len() >= PENDING as usize {
                            return Err(Error::new(ErrorCode::OutOfMemory, "too many distinct keys (over 2^31)"));
                        }
                        let id = PENDING | new.len() as u32;
                        let pos = part.insert(slot, tag, words, len, id)?;
                        new.push((p as u32, pos as u32));
                        self.key_bytes += len;
                        id
                    }
                });
            }
        }
        // Back in row order (each part's rows are in row order, so each part's ids are read in order), numbering
        // the new keys by first appearance in `ids`.
        let mut final_id = vec![u32::MAX; new.len()];
        let mut next = vec![0usize; batch.parts.len()];
        for (out, &p) in ids.iter_mut().zip(&batch.row_parts) {
            if p == UNKEYED {
                continue;
            }
            let p = usize::from(p);
            let mut id = batch.ids[p][next[p]];
            next[p] += 1;
            if id & PENDING != 0 {
                let index = (id & !PENDING) as usize;
                if final_id[index] == u32::MAX {
                    let (part, pos) = new[index];
                    final_id[index] = self.starts.len() as u32;
                    self.starts.push(u64::from(part) << 32 | u64::from(pos));
                }
                id = final_id[index];
            }
            *out = id;
        }
        // The new keys' ids into their arena entries in the order the entries were made (each part's arena front
        // to back), not in row order, where each write was a cache miss somewhere in the whole arena.
        for (&(part, pos), &id) in new.iter().zip(&final_id) {
            let entry = &mut self.parts[part as usize].arena[pos as usize..pos as usize + 4];
            entry.copy_from_slice(&id.to_le_bytes());
        }
        batch.clear();
        Ok(())
    }

    /// Look up every key of `batch` without adding any, and set `ids[row]` to its id, or [`MISSING`] when
    /// absent, for each of the batch's keyed rows; empties the batch. Part by part like
    /// [`KeyTable::intern_batch`], so a join probing a million keys reads each part's slots and arena while they
    /// are in cache.
    pub fn get_batch(&self, batch: &mut KeyBatch, ids: &mut [u32]) {
        for p in 0..batch.parts.len() {
            let buffer = &batch.parts[p][..batch.fill[p]];
            let part = &self.parts[p];
            let found = &mut batch.ids[p];
            found.clear();
            found.extend(entries(buffer).map(|(words, len, tag)| part.find_words(words, len, tag).unwrap_or(MISSING)));
        }
        let mut next = vec![0usize; batch.parts.len()];
        for (out, &p) in ids.iter_mut().zip(&batch.row_parts) {
            if p != UNKEYED {
                let p = usize::from(p);
                *out = batch.ids[p][next[p]];
                next[p] += 1;
            }
        }
        batch.clear();
    }

    /// Whether the table is split into parts ([`KeyTable::partitioned`]), so [`KeyBatch`] lookups pay off.
    pub fn is_partitioned(&self) -> bool {
        self.parts.len() > 1
    }

    /// The keys as a Utf8 array (in id order), with `null_at` as an extra null entry when given.
    pub fn to_array(&self, null_at: Option<u32>) -> arrow_array::StringArray {
        let mut b = arrow_array::builder::StringBuilder::with_capacity(self.len() + 1, self.key_bytes);
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

/// The id [`KeyTable::get_batch`] gives a key the table does not hold.
pub const MISSING: u32 = u32::MAX;

/// Keys per part of a [`KeyTable::partitioned`] table. Measured in Chromium on a 1M x 1M join: parts of 4,096
/// keys ran ~10 % faster than parts of 16,384 (whose ~900 KiB of slots and arena spill out of L2).
pub const PART_KEYS: usize = 1 << 12;

/// Rows' keys scattered by part for [`KeyTable::intern_batch`]: per part, entries of length, tag and the key's
/// bytes (as [`write_words`] stores them), written and then read in order (the cache-friendly side of the
/// partitioning).
#[derive(Debug, Default)]
pub struct KeyBatch {
    /// Per part, a buffer written up to `fill[part]`. Written through a slice rather than grown by `push`: in
    /// wasm a `Vec`'s length and capacity live in linear memory, so each extend loads and stores them again.
    parts: Vec<Vec<u8>>,
    fill: Vec<usize>,
    part_bits: u32,
    /// Each row's part since the batch began ([`UNKEYED`] for a row without a key).
    row_parts: Vec<u16>,
    /// Per part, the ids its entries got (scratch of [`KeyTable::intern_batch`]).
    ids: Vec<Vec<u32>>,
    bytes: usize,
}

/// The part of a [`KeyBatch`] row that has no key (parts are fewer than 2^10).
const UNKEYED: u16 = u16::MAX;

impl KeyBatch {
    /// An empty batch for `table`'s parts, with room for about `bytes` (so its buffers do not grow by copying).
    pub fn for_table(table: &KeyTable, bytes: usize) -> Self {
        let n = table.parts.len();
        let each = bytes / n + bytes / n / 4;
        KeyBatch {
            parts: (0..n).map(|_| vec![0; each]).collect(),
            fill: vec![0; n],
            part_bits: table.part_bits,
            ids: vec![Vec::new(); n],
            row_parts: Vec::with_capacity(bytes / 32),
            bytes: 0,
        }
    }

    /// Add the next row's key (rows count from the batch's start: the ids [`KeyTable::intern_batch`] fills).
    // Always inlined, like the helpers it calls: it runs once per row (see `NormalizeKey::apply`).
    #[inline(always)]
    pub fn push(&mut self, key: &str) {
        let key = key.as_bytes();
        let hash = hash_bytes(key);
        let part = if self.part_bits == 0 { 0 } else { (hash >> (64 - self.part_bits)) as usize };
        let n = HEADER + padded(key.len());
        let at = self.fill[part];
        if at + n > self.parts[part].len() {
            self.grow(part, n);
        }
        let entry = &mut self.parts[part][at..at + n];
        let header = u64::from(key.len() as u32) | u64::from(hash as u32) << 32;
        entry[..HEADER].copy_from_slice(&header.to_le_bytes());
        write_words(&mut entry[HEADER..], key);
        self.fill[part] = at + n;
        self.row_parts.push(part as u16);
        self.bytes += n;
    }

    #[cold]
    fn grow(&mut self, part: usize, n: usize) {
        let buffer = &mut self.parts[part];
        let size = (buffer.len() * 2).max(buffer.len() + n).max(256);
        buffer.resize(size, 0);
    }

    /// Add the next row without a key (its id is left as it is).
    #[inline(always)]
    pub fn skip(&mut self) {
        self.row_parts.push(UNKEYED);
    }

    /// Bytes held (to flush a batch before it grows past a budget).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn clear(&mut self) {
        self.fill.iter_mut().for_each(|f| *f = 0);
        self.row_parts.clear();
        self.bytes = 0;
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

    #[test]
    fn batches_number_keys_by_first_appearance() {
        // Reference: a HashMap numbering keys as they first appear, row by row.
        let rows: Vec<String> = (0..20_000u64).map(|i| format!("c{}@x.fi", (i * 7919 + i / 3) % 4_000)).collect();
        let mut seen = std::collections::HashMap::new();
        let expected: Vec<u32> = rows
            .iter()
            .map(|k| {
                let next = seen.len() as u32;
                *seen.entry(k.clone()).or_insert(next)
            })
            .collect();
        let mut table = KeyTable::partitioned(1 << 20);
        assert!(table.parts.len() > 1);
        let mut batch = KeyBatch::for_table(&table, 1 << 16);
        let mut ids = vec![u32::MAX; rows.len()];
        // Uneven batches, so keys come back in later batches and some batches hold a key twice.
        let mut start = 0;
        for (i, k) in rows.iter().enumerate() {
            batch.push(k);
            if i % 3_001 == 3_000 {
                table.intern_batch(&mut batch, &mut ids[start..]).unwrap();
                start = i + 1;
            }
        }
        table.intern_batch(&mut batch, &mut ids[start..]).unwrap();
        assert_eq!(ids, expected);
        assert_eq!(table.len(), seen.len());
        for (k, &id) in &seen {
            assert_eq!(table.key(id), k);
            assert_eq!(table.get(k), Some(id));
        }
        assert_eq!(table.intern("c1@x.fi").unwrap(), seen["c1@x.fi"]);
        assert_eq!(table.intern("new").unwrap(), seen.len() as u32);
        let array = table.to_array(Some(1));
        assert_eq!(array.value(0), table.key(0));
        assert!(array.is_null(1));
    }
}
