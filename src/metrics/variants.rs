//! Reading the variant (assignment) column into small integer codes, chunk by chunk, without per-row allocation.
//!
//! Supported types: utf8 / large_utf8 / utf8_view, dictionary of those (any key type), integers and bool. Keys
//! become strings for the report: text as is, integers in decimal, bools as `true` / `false`.
//!
//! Codes are handed out in first-seen order during the one pass (`0..`), and [`VariantSet::sorted_order`] gives
//! the final, documented order afterwards: **sorted** — text by bytes, integers numerically, `false` before `true`
//! — so a report does not depend on row or batch order. At most [`MAX_VARIANTS`] distinct keys; a null variant
//! gets the code [`NULL_CODE`] and is counted as unassigned.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, DictionaryArray, PrimitiveArray};
use arrow_buffer::ArrowNativeType;
use arrow_schema::DataType;

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::type_name;
use crate::messages::Message;

/// Most distinct variant keys in one analysis.
pub const MAX_VARIANTS: usize = 254;
/// Code of a row whose variant is null (the accumulation kernels of segmetry-kernels write it).
pub use segmetry_kernels::accumulate::NULL_CODE;
const UNSEEN: u16 = u16::MAX;

/// A variant key as read from the column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantKey {
    /// Text (plain or dictionary).
    Text(String),
    /// Integer of any width.
    Int(i128),
    /// Bool.
    Bool(bool),
}

impl VariantKey {
    /// The key as the report shows it.
    pub fn label(&self) -> String {
        match self {
            VariantKey::Text(s) => s.clone(),
            VariantKey::Int(i) => i.to_string(),
            VariantKey::Bool(b) => b.to_string(),
        }
    }
}

/// The distinct variant keys met so far, in first-seen order.
#[derive(Debug, Default)]
pub struct VariantSet {
    keys: Vec<VariantKey>,
    text: HashMap<String, u8>,
    ints: HashMap<i128, u8>,
    column: String,
}

impl VariantSet {
    /// An empty set for the column called `column` (used in messages).
    pub fn new(column: &str) -> Self {
        VariantSet { column: column.to_string(), ..Default::default() }
    }

    /// Keys in first-seen order (index = code).
    pub fn keys(&self) -> &[VariantKey] {
        &self.keys
    }

    /// Code → position in sorted order.
    pub fn sorted_order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.keys.len()).collect();
        idx.sort_by(|&a, &b| self.keys[a].cmp(&self.keys[b]));
        let mut rank = vec![0; idx.len()];
        for (r, &i) in idx.iter().enumerate() {
            rank[i] = r;
        }
        rank
    }

    fn push(&mut self, key: VariantKey) -> Result<u8> {
        if self.keys.len() >= MAX_VARIANTS {
            let message = Message::new("too_many_variants", [self.column.clone(), MAX_VARIANTS.to_string()]);
            return Err(message.into_error(ErrorCode::InvalidArgument).with_subject("variant"));
        }
        let code = self.keys.len() as u8;
        self.keys.push(key);
        Ok(code)
    }

    fn text_code(&mut self, s: &str) -> Result<u8> {
        if let Some(&c) = self.text.get(s) {
            return Ok(c);
        }
        let c = self.push(VariantKey::Text(s.to_string()))?;
        self.text.insert(s.to_string(), c);
        Ok(c)
    }

    fn int_code(&mut self, v: i128) -> Result<u8> {
        if let Some(&c) = self.ints.get(&v) {
            return Ok(c);
        }
        let c = self.push(VariantKey::Int(v))?;
        self.ints.insert(v, c);
        Ok(c)
    }

    fn bool_code(&mut self, v: bool) -> Result<u8> {
        let c = self.int_code(i128::from(v))?;
        if let Some(k) = self.keys.get_mut(c as usize) {
            *k = VariantKey::Bool(v);
        }
        Ok(c)
    }
}

/// Check that `data_type` can hold variants; `TYPE_MISMATCH` otherwise.
pub fn check_variant_type(column: &str, data_type: &DataType) -> Result<()> {
    use DataType::*;
    let ok = match data_type {
        Utf8 | LargeUtf8 | Utf8View | Boolean => true,
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => true,
        Dictionary(k, v) => k.is_dictionary_key_type() && matches!(v.as_ref(), Utf8 | LargeUtf8 | Utf8View),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let message = Message::new("variant_type", [column.to_string(), type_name(data_type)]);
        Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column))
    }
}

/// Per-batch reader: fills chunks of codes.
pub(crate) struct VariantReader<'a> {
    array: &'a ArrayRef,
    /// Dictionary index → code, for dictionary columns (per batch: each batch has its own dictionary).
    dict_codes: Vec<u16>,
}

impl<'a> VariantReader<'a> {
    pub(crate) fn new(array: &'a ArrayRef) -> Self {
        let dict_len = match array.data_type() {
            DataType::Dictionary(_, _) => array.as_any_dictionary().values().len(),
            _ => 0,
        };
        VariantReader { array, dict_codes: vec![UNSEEN; dict_len] }
    }

    /// Codes of rows `start..start + out.len()` of the batch.
    pub(crate) fn fill(&mut self, set: &mut VariantSet, start: usize, out: &mut [u8]) -> Result<()> {
        let a = self.array;
        match a.data_type() {
            DataType::Utf8 => text(set, a.as_string::<i32>(), start, out),
            DataType::LargeUtf8 => text(set, a.as_string::<i64>(), start, out),
            DataType::Utf8View => {
                let s = a.as_string_view();
                for (i, o) in out.iter_mut().enumerate() {
                    let r = start + i;
                    *o = if s.is_null(r) { NULL_CODE } else { set.text_code(s.value(r))? };
                }
                Ok(())
            }
            DataType::Boolean => {
                let b = a.as_boolean();
                for (i, o) in out.iter_mut().enumerate() {
                    let r = start + i;
                    *o = if b.is_null(r) { NULL_CODE } else { set.bool_code(b.value(r))? };
                }
                Ok(())
            }
            DataType::Int8 => ints(set, a.as_primitive::<Int8Type>(), start, out),
            DataType::Int16 => ints(set, a.as_primitive::<Int16Type>(), start, out),
            DataType::Int32 => ints(set, a.as_primitive::<Int32Type>(), start, out),
            DataType::Int64 => ints(set, a.as_primitive::<Int64Type>(), start, out),
            DataType::UInt8 => ints(set, a.as_primitive::<UInt8Type>(), start, out),
            DataType::UInt16 => ints(set, a.as_primitive::<UInt16Type>(), start, out),
            DataType::UInt32 => ints(set, a.as_primitive::<UInt32Type>(), start, out),
            DataType::UInt64 => ints(set, a.as_primitive::<UInt64Type>(), start, out),
            DataType::Dictionary(k, _) => match k.as_ref() {
                DataType::Int8 => self.dict::<Int8Type>(set, start, out),
                DataType::Int16 => self.dict::<Int16Type>(set, start, out),
                DataType::Int32 => self.dict::<Int32Type>(set, start, out),
                DataType::Int64 => self.dict::<Int64Type>(set, start, out),
                DataType::UInt8 => self.dict::<UInt8Type>(set, start, out),
                DataType::UInt16 => self.dict::<UInt16Type>(set, start, out),
                DataType::UInt32 => self.dict::<UInt32Type>(set, start, out),
                DataType::UInt64 => self.dict::<UInt64Type>(set, start, out),
                other => {
                    Err(Error::new(ErrorCode::Internal, format!("dictionary key type {other} in the variant column")))
                }
            },
            other => {
                Err(Error::new(ErrorCode::Internal, format!("variant column of type {other} passed the type check")))
            }
        }
    }

    fn dict<K: ArrowDictionaryKeyType>(&mut self, set: &mut VariantSet, start: usize, out: &mut [u8]) -> Result<()> {
        let d: &DictionaryArray<K> = self.array.as_dictionary::<K>();
        let keys = d.keys();
        let values = d.values();
        let key_values = keys.values();
        let key_nulls = keys.nulls();
        for (i, o) in out.iter_mut().enumerate() {
            let r = start + i;
            if key_nulls.is_some_and(|n| n.is_null(r)) {
                *o = NULL_CODE;
                continue;
            }
            let k = key_values.get(r).map_or(usize::MAX, |k| k.as_usize());
            let slot = match self.dict_codes.get_mut(k) {
                Some(slot) => slot,
                None => {
                    return Err(Error::new(
                        ErrorCode::InvalidArrow,
                        "a dictionary key of the variant column is out of range",
                    ))
                }
            };
            if *slot == UNSEEN {
                *slot =
                    if values.is_null(k) { u16::from(NULL_CODE) } else { u16::from(dict_value_code(set, values, k)?) };
            }
            *o = *slot as u8;
        }
        Ok(())
    }
}

fn dict_value_code(set: &mut VariantSet, values: &ArrayRef, k: usize) -> Result<u8> {
    match values.data_type() {
        DataType::Utf8 => set.text_code(values.as_string::<i32>().value(k)),
        DataType::LargeUtf8 => set.text_code(values.as_string::<i64>().value(k)),
        DataType::Utf8View => set.text_code(values.as_string_view().value(k)),
        other => Err(Error::new(ErrorCode::Internal, format!("dictionary of {other} in the variant column"))),
    }
}

fn text<O: arrow_array::OffsetSizeTrait>(
    set: &mut VariantSet,
    s: &arrow_array::GenericStringArray<O>,
    start: usize,
    out: &mut [u8],
) -> Result<()> {
    // Remember the last key: assignment columns often come in runs.
    let mut last: Option<(&str, u8)> = None;
    for (i, o) in out.iter_mut().enumerate() {
        let r = start + i;
        if s.is_null(r) {
            *o = NULL_CODE;
            continue;
        }
        let v = s.value(r);
        *o = match last {
            Some((l, c)) if l == v => c,
            _ => {
                let c = set.text_code(v)?;
                last = Some((v, c));
                c
            }
        };
    }
    Ok(())
}

fn ints<T: ArrowPrimitiveType>(set: &mut VariantSet, a: &PrimitiveArray<T>, start: usize, out: &mut [u8]) -> Result<()>
where
    T::Native: Into<i128>,
{
    let values = a.values();
    let nulls = a.nulls();
    for (i, o) in out.iter_mut().enumerate() {
        let r = start + i;
        *o = if nulls.is_some_and(|n| n.is_null(r)) { NULL_CODE } else { set.int_code(values[r].into())? };
    }
    Ok(())
}
