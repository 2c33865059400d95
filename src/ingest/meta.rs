//! The Arrow IPC metadata segmetry reads (`Message.fbs`, `Schema.fbs`, `File.fbs` of the Arrow format), read
//! through the bounds-checked [`flatbuf`](super::flatbuf) reader: messages and their headers, record and
//! dictionary batches, the file footer, and schemas converted to `arrow_schema` types.
//!
//! Field numbers are the order of the fields in those `.fbs` files. Fields segmetry has no use for (custom
//! metadata of messages and footers, schema features, the dictionary kind, the compression method) are read
//! anyway, so that damage in them is refused as the `flatbuffers` verifier refused it.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, IntervalUnit, Schema, TimeUnit, UnionFields, UnionMode};

use super::flatbuf::{Result, Table, Vector};

/// `MessageHeader` union tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `NONE`: a message without header, skipped.
    None,
    /// A schema.
    Schema,
    /// A dictionary batch.
    Dictionary,
    /// A record batch.
    Record,
    /// Tensors and tags this version does not know.
    Other(u8),
}

/// One IPC message's metadata.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// `MetadataVersion` (V1 = 0 … V5 = 4).
    pub version: i16,
    /// What the header is.
    pub kind: Kind,
    header: Option<Table<'a>>,
    /// Bytes of the body that follows the metadata.
    pub body_length: i64,
}

impl<'a> Message<'a> {
    /// Read the `Message` table at the root of `bytes`.
    pub fn read(bytes: &'a [u8]) -> Result<Self> {
        let root = Table::root(bytes)?;
        key_values(root, 4)?;
        let kind = match root.u8(1, 0)? {
            0 => Kind::None,
            1 => Kind::Schema,
            2 => Kind::Dictionary,
            3 => Kind::Record,
            other => Kind::Other(other),
        };
        Ok(Message { version: root.i16(0, 0)?, kind, header: root.table(2)?, body_length: root.i64(3, 0)? })
    }

    fn header(&self, what: &str) -> Result<Table<'a>> {
        self.header.ok_or_else(|| format!("the message has no {what} header"))
    }

    /// The schema header.
    pub fn schema(&self) -> Result<Table<'a>> {
        self.header("schema")
    }

    /// The record batch header.
    pub fn record_batch(&self) -> Result<Batch<'a>> {
        Batch::read(self.header("record batch")?)
    }

    /// The dictionary batch header: its id, whether it extends the dictionary, and its values as a batch.
    pub fn dictionary_batch(&self) -> Result<(i64, bool, Batch<'a>)> {
        let table = self.header("dictionary batch")?;
        let data = table.table(1)?.ok_or("a dictionary batch has no data")?;
        Ok((table.i64(0, 0)?, table.bool(2)?, Batch::read(data)?))
    }
}

/// `BodyCompression.codec`: LZ4 frames.
pub const LZ4_FRAME: u8 = 0;

/// A record batch header (also the data of a dictionary batch).
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// Rows.
    pub length: i64,
    nodes: Option<Vector<'a>>,
    buffers: Option<Vector<'a>>,
    /// The compression codec of its buffers, if compressed.
    pub codec: Option<u8>,
    variadic: Option<Vector<'a>>,
}

impl<'a> Batch<'a> {
    fn read(table: Table<'a>) -> Result<Self> {
        Ok(Batch {
            length: table.i64(0, 0)?,
            nodes: table.vector(1, 16)?,
            buffers: table.vector(2, 16)?,
            codec: table.table(3)?.map(|c| c.u8(1, 0).and(c.u8(0, LZ4_FRAME))).transpose()?,
            variadic: table.vector(4, 8)?,
        })
    }

    /// Field nodes: `(length, null_count)` of each array, depth-first.
    pub fn nodes(&self) -> impl Iterator<Item = (i64, i64)> + 'a {
        pairs(self.nodes)
    }

    /// Buffers: `(offset, length)` in the body, depth-first.
    pub fn buffers(&self) -> impl Iterator<Item = (i64, i64)> + 'a {
        pairs(self.buffers)
    }

    /// How many data buffers each string-view column has, in column order.
    pub fn variadic_counts(&self) -> impl Iterator<Item = i64> + 'a {
        let v = self.variadic;
        (0..v.map_or(0, |v| v.len())).filter_map(move |i| v.and_then(|v| v.i64(i, 0)))
    }
}

fn pairs(v: Option<Vector<'_>>) -> impl Iterator<Item = (i64, i64)> + '_ {
    (0..v.map_or(0, |v| v.len())).filter_map(move |i| {
        let v = v?;
        Some((v.i64(i, 0)?, v.i64(i, 1)?))
    })
}

/// A block of the file footer: where a message starts, its metadata length (with the framing) and body length.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// Byte offset of the message in the file.
    pub offset: i64,
    /// Framing and metadata bytes.
    pub meta_length: i32,
    /// Body bytes.
    pub body_length: i64,
}

/// The footer of an IPC file.
#[derive(Debug, Clone, Copy)]
pub struct Footer<'a> {
    /// `MetadataVersion` of the file.
    pub version: i16,
    /// The schema.
    pub schema: Table<'a>,
    dictionaries: Option<Vector<'a>>,
    records: Option<Vector<'a>>,
}

impl<'a> Footer<'a> {
    /// Read the `Footer` table at the root of `bytes`.
    pub fn read(bytes: &'a [u8]) -> Result<Self> {
        let root = Table::root(bytes)?;
        key_values(root, 4)?;
        Ok(Footer {
            version: root.i16(0, 0)?,
            schema: root.table(1)?.ok_or("the footer has no schema")?,
            dictionaries: root.vector(2, 24)?,
            records: root.vector(3, 24)?,
        })
    }

    /// The dictionary blocks, then the record batch blocks.
    pub fn blocks(&self) -> (Vec<Block>, Vec<Block>) {
        let blocks = |v: Option<Vector<'_>>| {
            (0..v.map_or(0, |v| v.len()))
                .filter_map(|i| {
                    let bytes = v?.get(i)?;
                    Some(Block {
                        offset: i64::from_le_bytes(bytes[0..8].try_into().ok()?),
                        meta_length: i32::from_le_bytes(bytes[8..12].try_into().ok()?),
                        body_length: i64::from_le_bytes(bytes[16..24].try_into().ok()?),
                    })
                })
                .collect()
        };
        (blocks(self.dictionaries), blocks(self.records))
    }
}

/// A schema as read from IPC: the Arrow schema and, per top-level field, its dictionary id.
#[derive(Debug, Clone)]
pub struct IpcSchema {
    /// The schema.
    pub schema: Arc<Schema>,
    /// The dictionary id of each top-level field (`None` for fields that are not dictionary-encoded).
    pub dictionary_ids: Vec<Option<i64>>,
}

/// Fields deeper than this are refused, so hostile nesting cannot exhaust the stack.
const MAX_DEPTH: usize = 60;
/// Fields in all (children counted), so shared sub-tables cannot make a small schema expand exponentially.
const MAX_FIELDS: usize = 1_000_000;

/// Convert a flatbuffer `Schema` table, as arrow-ipc did (`try_fb_to_schema`).
pub fn schema(table: Table<'_>) -> Result<IpcSchema> {
    let big_endian = table.i16(0, 0)? == 1;
    table.vector(3, 8)?; // features
    let list = table.vector(1, 4)?.ok_or("IPC schema has no fields")?;
    let mut budget = MAX_FIELDS;
    let mut fields = Vec::with_capacity(list.len().min(4096));
    let mut dictionary_ids = Vec::with_capacity(fields.capacity());
    for i in 0..list.len() {
        let fb = list.table(i)?;
        if big_endian && fb.u8(2, 0)? == 7 {
            return Err("Big Endian is not supported for Decimal!".into());
        }
        dictionary_ids.push(fb.table(4)?.map(|d| d.i64(0, 0)).transpose()?); // checked by `field` below
        fields.push(field(fb, 0, &mut budget)?);
    }
    let metadata = key_values(table, 2)?;
    Ok(IpcSchema { schema: Arc::new(Schema::new_with_metadata(fields, metadata)), dictionary_ids })
}

fn key_values(table: Table<'_>, id: usize) -> Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    if let Some(list) = table.vector(id, 4)? {
        for i in 0..list.len() {
            let kv = list.table(i)?;
            if let (Some(k), Some(v)) = (kv.str(0)?, kv.str(1)?) {
                map.insert(k.to_string(), v.to_string());
            }
        }
    }
    Ok(map)
}

fn field(fb: Table<'_>, depth: usize, budget: &mut usize) -> Result<Field> {
    if depth > MAX_DEPTH {
        return Err(format!("the schema nests fields more than {MAX_DEPTH} levels deep"));
    }
    *budget = budget.checked_sub(1).ok_or("the schema has more than a million fields")?;
    let name = fb.str(0)?.unwrap_or_default();
    let nullable = fb.bool(1)?;
    let value_type = data_type(fb, children(fb, depth, budget)?)?;
    #[allow(deprecated)] // the dictionary id is what arrow-ipc's writer and reader key dictionaries on
    let field = match fb.table(4)? {
        Some(dictionary) => {
            let int = dictionary.table(1)?.ok_or("IPC schema field is missing its dictionary index type")?;
            let key = int_type(int, "Index")?;
            let (id, ordered) = (dictionary.i64(0, 0)?, dictionary.bool(2)?);
            dictionary.i16(3, 0)?; // dictionaryKind
            Field::new_dict(name, DataType::Dictionary(Box::new(key), Box::new(value_type)), nullable, id, ordered)
        }
        None => Field::new(name, value_type, nullable),
    };
    Ok(field.with_metadata(key_values(fb, 6)?))
}

fn int_type(int: Table<'_>, what: &str) -> Result<DataType> {
    let (bits, signed) = (int.i32(0, 0)?, int.bool(1)?);
    Ok(match (bits, signed) {
        (8, true) => DataType::Int8,
        (8, false) => DataType::UInt8,
        (16, true) => DataType::Int16,
        (16, false) => DataType::UInt16,
        (32, true) => DataType::Int32,
        (32, false) => DataType::UInt32,
        (64, true) => DataType::Int64,
        (64, false) => DataType::UInt64,
        _ => return Err(format!("{what} type with bit width of {bits} and signed of {signed} not supported")),
    })
}

fn time_unit(code: i16, what: &str) -> Result<TimeUnit> {
    Ok(match code {
        0 => TimeUnit::Second,
        1 => TimeUnit::Millisecond,
        2 => TimeUnit::Microsecond,
        3 => TimeUnit::Nanosecond,
        _ => return Err(format!("{what} type with unit {code} not supported")),
    })
}

/// The children of a field, converted (`None` when the field has no children vector). Read for every type, as
/// the verifier did.
fn children(fb: Table<'_>, depth: usize, budget: &mut usize) -> Result<Option<Vec<Field>>> {
    let Some(list) = fb.vector(5, 4)? else { return Ok(None) };
    (0..list.len()).map(|i| field(list.table(i)?, depth + 1, budget)).collect::<Result<_>>().map(Some)
}

fn single_child(children: Option<Vec<Field>>, kind: &str) -> Result<Arc<Field>> {
    let mut list = children.ok_or_else(|| format!("IPC {kind} has no children"))?;
    match (list.pop(), list.is_empty()) {
        (Some(child), true) => Ok(Arc::new(child)),
        _ => Err(format!("expect a {kind} to have one child")),
    }
}

/// The field's own type (`Field.type`), not its dictionary encoding, given its converted `children`.
fn data_type(fb: Table<'_>, children: Option<Vec<Field>>) -> Result<DataType> {
    let tag = fb.u8(2, 0)?;
    let table = fb.table(3)?;
    let params = |what: &str| table.ok_or_else(|| format!("IPC schema field is missing its {what} type"));
    Ok(match tag {
        1 => DataType::Null,
        2 => int_type(params("int")?, "Int")?,
        3 => match params("floating point")?.i16(0, 0)? {
            0 => DataType::Float16,
            1 => DataType::Float32,
            2 => DataType::Float64,
            p => return Err(format!("FloatingPoint type with precision of {p} not supported")),
        },
        4 => DataType::Binary,
        5 => DataType::Utf8,
        6 => DataType::Boolean,
        7 => {
            let t = params("decimal")?;
            let (p, s, bits) = (t.i32(0, 0)?, t.i32(1, 0)?, t.i32(2, 128)?);
            let precision = u8::try_from(p).map_err(|_| format!("Invalid decimal precision {p}"))?;
            let scale = i8::try_from(s).map_err(|_| format!("Invalid decimal scale {s}"))?;
            match bits {
                32 => DataType::Decimal32(precision, scale),
                64 => DataType::Decimal64(precision, scale),
                128 => DataType::Decimal128(precision, scale),
                256 => DataType::Decimal256(precision, scale),
                _ => return Err(format!("Unexpected decimal bit width {bits}")),
            }
        }
        8 => match params("date")?.i16(0, 1)? {
            0 => DataType::Date32,
            1 => DataType::Date64,
            u => return Err(format!("Date type with unit of {u} not supported")),
        },
        9 => {
            let t = params("time")?;
            match (t.i32(1, 32)?, t.i16(0, 1)?) {
                (32, 0) => DataType::Time32(TimeUnit::Second),
                (32, 1) => DataType::Time32(TimeUnit::Millisecond),
                (64, 2) => DataType::Time64(TimeUnit::Microsecond),
                (64, 3) => DataType::Time64(TimeUnit::Nanosecond),
                (bits, unit) => {
                    return Err(format!("Time type with bit width of {bits} and unit of {unit} not supported"))
                }
            }
        }
        10 => {
            let t = params("timestamp")?;
            DataType::Timestamp(time_unit(t.i16(0, 0)?, "Timestamp")?, t.str(1)?.map(Into::into))
        }
        11 => match params("interval")?.i16(0, 0)? {
            0 => DataType::Interval(IntervalUnit::YearMonth),
            1 => DataType::Interval(IntervalUnit::DayTime),
            2 => DataType::Interval(IntervalUnit::MonthDayNano),
            u => return Err(format!("Interval type with unit of {u} unsupported")),
        },
        12 => DataType::List(single_child(children, "list")?),
        13 => DataType::Struct(Fields::from(children.unwrap_or_default())),
        14 => {
            let t = params("union")?;
            let mode = match t.i16(0, 0)? {
                0 => UnionMode::Sparse,
                1 => UnionMode::Dense,
                m => return Err(format!("Unexpected union mode: {m}")),
            };
            let fields = children.unwrap_or_default();
            let fields = match t.vector(1, 4)? {
                None => UnionFields::from_fields(fields),
                Some(ids) => {
                    let ids = (0..ids.len()).filter_map(|i| ids.get(i)?.try_into().ok().map(i32::from_le_bytes));
                    UnionFields::try_new(ids.map(|i| i as i8), fields).map_err(|e| e.to_string())?
                }
            };
            DataType::Union(fields, mode)
        }
        15 => DataType::FixedSizeBinary(params("fixed size binary")?.i32(0, 0)?),
        16 => {
            let child = single_child(children, "list")?;
            DataType::FixedSizeList(child, params("fixed size list")?.i32(0, 0)?)
        }
        17 => {
            let sorted = params("map")?.bool(0)?;
            DataType::Map(single_child(children, "map")?, sorted)
        }
        18 => DataType::Duration(time_unit(params("duration")?.i16(0, 1)?, "Duration")?),
        19 => DataType::LargeBinary,
        20 => DataType::LargeUtf8,
        21 => DataType::LargeList(single_child(children, "large list")?),
        22 => {
            let mut list = children.ok_or("IPC list has no children")?;
            if list.len() != 2 {
                return Err(format!("RunEndEncoded type should have exactly two children. Found {}", list.len()));
            }
            let values = list.pop().map(Arc::new).ok_or("no values")?;
            let run_ends = list.pop().map(Arc::new).ok_or("no run ends")?;
            DataType::RunEndEncoded(run_ends, values)
        }
        23 => DataType::BinaryView,
        24 => DataType::Utf8View,
        25 => DataType::ListView(single_child(children, "listview")?),
        26 => DataType::LargeListView(single_child(children, "large listview")?),
        t => return Err(format!("Type {t} not supported")),
    })
}

#[cfg(test)]
mod tests {
    use arrow_ipc::convert::{try_fb_to_schema, IpcSchemaEncoder};
    use arrow_ipc::writer::DictionaryTracker;
    use arrow_schema::UnionFields;

    use super::*;

    /// Every type arrow-ipc writes, including those segmetry refuses: their names appear in `UNSUPPORTED_TYPE`
    /// messages, so they must convert exactly as arrow-ipc's reader converted them.
    fn every_type() -> Vec<DataType> {
        let item = |t: DataType| Arc::new(Field::new("item", t, true));
        let named =
            Arc::new(Field::new("tag", DataType::Utf8, false).with_metadata(HashMap::from([("k".into(), "v".into())])));
        let entries = Arc::new(Field::new(
            "entries",
            DataType::Struct(Fields::from(vec![
                Field::new("key", DataType::Utf8, false),
                Field::new("value", DataType::Int32, true),
            ])),
            false,
        ));
        let union = UnionFields::try_new(
            [3, 7],
            [Field::new("a", DataType::Int32, true), Field::new("b", DataType::Utf8, true)],
        )
        .unwrap();
        let mut types = vec![
            DataType::Null,
            DataType::Boolean,
            DataType::Float16,
            DataType::Float32,
            DataType::Float64,
            DataType::Utf8,
            DataType::LargeUtf8,
            DataType::Utf8View,
            DataType::Binary,
            DataType::LargeBinary,
            DataType::BinaryView,
            DataType::FixedSizeBinary(6),
            DataType::Date32,
            DataType::Date64,
            DataType::Time32(TimeUnit::Second),
            DataType::Time32(TimeUnit::Millisecond),
            DataType::Time64(TimeUnit::Microsecond),
            DataType::Time64(TimeUnit::Nanosecond),
            DataType::Interval(IntervalUnit::YearMonth),
            DataType::Interval(IntervalUnit::DayTime),
            DataType::Interval(IntervalUnit::MonthDayNano),
            DataType::Decimal32(9, 2),
            DataType::Decimal64(18, -3),
            DataType::Decimal128(38, 10),
            DataType::Decimal256(76, 0),
            DataType::List(item(DataType::Utf8)),
            DataType::LargeList(named.clone()),
            DataType::ListView(item(DataType::Int64)),
            DataType::LargeListView(named.clone()),
            DataType::FixedSizeList(item(DataType::Float32), 3),
            DataType::Struct(Fields::from(vec![Field::new("x", DataType::Int8, true), named.as_ref().clone()])),
            DataType::Map(entries, true),
            DataType::Union(union.clone(), UnionMode::Dense),
            DataType::Union(union, UnionMode::Sparse),
            DataType::RunEndEncoded(
                Arc::new(Field::new("run_ends", DataType::Int32, false)),
                Arc::new(Field::new("values", DataType::Utf8, true)),
            ),
        ];
        for unit in [TimeUnit::Second, TimeUnit::Millisecond, TimeUnit::Microsecond, TimeUnit::Nanosecond] {
            types.push(DataType::Duration(unit));
            types.push(DataType::Timestamp(unit, None));
            types.push(DataType::Timestamp(unit, Some("Europe/Helsinki".into())));
        }
        for key in [DataType::Int8, DataType::UInt16, DataType::Int32, DataType::UInt64] {
            types.push(key.clone());
            types.push(DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8)));
        }
        types
    }

    #[test]
    fn schemas_convert_as_arrow_ipc_converted_them() {
        let fields: Vec<Field> =
            every_type().into_iter().enumerate().map(|(i, t)| Field::new(format!("c{i}"), t, i % 2 == 0)).collect();
        let schema = Schema::new_with_metadata(fields, HashMap::from([("origin".into(), "test".into())]));
        let mut tracker = DictionaryTracker::new(false);
        let fbb = IpcSchemaEncoder::new().with_dictionary_tracker(&mut tracker).schema_to_fb(&schema);
        let bytes = fbb.finished_data();
        let reference = try_fb_to_schema(arrow_ipc::root_as_schema(bytes).unwrap()).unwrap();
        let ours = super::schema(Table::root(bytes).unwrap()).unwrap();
        assert_eq!(ours.schema.as_ref(), &reference);
        for (field, id) in reference.fields().iter().zip(&ours.dictionary_ids) {
            #[allow(deprecated)]
            let expected = field.dict_id();
            assert_eq!(*id, expected, "{}", field.name());
            assert_eq!(
                format!("{:?}", field.data_type()),
                format!("{:?}", ours.schema.field_with_name(field.name()).unwrap().data_type())
            );
        }
    }

    #[test]
    fn damaged_schemas_are_errors_never_panics() {
        let schema = Schema::new(vec![
            Field::new("t", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), true),
            Field::new("d", DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)), true),
            Field::new("l", DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))), true),
        ]);
        let mut tracker = DictionaryTracker::new(false);
        let bytes = IpcSchemaEncoder::new().with_dictionary_tracker(&mut tracker).schema_to_fb(&schema);
        let bytes = bytes.finished_data().to_vec();
        for at in 0..bytes.len() {
            for value in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                let _ = Table::root(&damaged).and_then(super::schema);
            }
            let _ = Table::root(&bytes[..at]).and_then(super::schema);
        }
    }
}
