//! Member rows with the columns a user picks (`segmentMembers(rule, { columns })`), as text; the package's
//! `toCsv` (js/csv.js) writes them as CSV.
//!
//! Every value is written as text the way the rule language and `toSql` write literals: numbers in plain decimal
//! (decimals exact), `true`/`false`, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS[.f]Z` in UTC, tag lists
//! joined with `, `. Nulls stay nulls.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::Array;
use arrow_schema::{DataType, TimeUnit};

use super::calendar::{clamp_days, format_date, format_timestamp, nanos_per_unit, MILLIS_PER_DAY};
use super::Bitmap;
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, Dataset};

/// The members of a segment with some of their columns.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MemberTable {
    /// Column names, as the schema spells them.
    pub columns: Vec<String>,
    /// Column-major values: `values[c][i]` is column `c` of the `i`-th member kept.
    pub values: Vec<Vec<Option<String>>>,
    /// Members left out because their first column (the id, e.g. the e-mail address) is null.
    pub dropped: usize,
}

/// The members of `bitmap` with `columns`; members whose first column is null are left out and counted.
pub fn member_table(dataset: &Dataset, bitmap: &Bitmap, columns: &[String]) -> Result<MemberTable> {
    if bitmap.len() != dataset.num_rows() {
        return Err(Error::new(ErrorCode::InvalidArgument, "the segment was evaluated on a different number of rows"));
    }
    if columns.is_empty() {
        return Err(Error::invalid_argument("columns", crate::messages::nested("export_no_columns", &[])));
    }
    let indices = columns.iter().map(|c| dataset.column_index(c)).collect::<Result<Vec<_>>>()?;
    let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); indices.len()];
    let mut dropped = 0;
    let mut start = 0;
    let mut ones = bitmap.iter_ones().peekable();
    for (b, batch) in dataset.batches().iter().enumerate() {
        let end = start + batch.num_rows();
        while let Some(&row) = ones.peek().filter(|&&r| r < end) {
            ones.next();
            let arrays: Vec<&dyn Array> = indices.iter().map(|&c| dataset.batches()[b].column(c).as_ref()).collect();
            let cells = arrays.iter().map(|a| cell_text(*a, row - start)).collect::<Result<Vec<_>>>()?;
            if cells[0].is_none() {
                dropped += 1;
                continue;
            }
            for (column, cell) in values.iter_mut().zip(cells) {
                column.push(cell);
            }
        }
        start = end;
    }
    let columns = indices.iter().map(|&c| dataset.schema().field(c).name().clone()).collect();
    Ok(MemberTable { columns, values, dropped })
}

/// One cell as text (see the module docs), `None` when null.
pub fn cell_text(array: &dyn Array, i: usize) -> Result<Option<String>> {
    if array.is_null(i) {
        return Ok(None);
    }
    let ts = |v: i64, unit: TimeUnit| format!("{}Z", format_timestamp(i128::from(v) * nanos_per_unit(unit), 'T'));
    Ok(Some(match array.data_type() {
        DataType::Int8 => array.as_primitive::<Int8Type>().value(i).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(i).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(i).to_string(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(i).to_string(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(i).to_string(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i).to_string(),
        DataType::Float32 => array.as_primitive::<Float32Type>().value(i).to_string(),
        DataType::Float64 => array.as_primitive::<Float64Type>().value(i).to_string(),
        DataType::Decimal128(_, s) => super::members::decimal_text(array.as_primitive::<Decimal128Type>().value(i), *s),
        DataType::Boolean => array.as_boolean().value(i).to_string(),
        DataType::Utf8 => array.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(i).to_string(),
        DataType::Utf8View => array.as_string_view().value(i).to_string(),
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let Some(&k) = dict.normalized_keys().get(i) else { return Ok(None) };
            return cell_text(dict.values().as_ref(), k);
        }
        DataType::Date32 => format_date(array.as_primitive::<Date32Type>().value(i)),
        DataType::Date64 => {
            let days = array.as_primitive::<Date64Type>().value(i).div_euclid(MILLIS_PER_DAY);
            format_date(clamp_days(i128::from(days)))
        }
        DataType::Timestamp(unit, _) => match unit {
            TimeUnit::Second => ts(array.as_primitive::<TimestampSecondType>().value(i), *unit),
            TimeUnit::Millisecond => ts(array.as_primitive::<TimestampMillisecondType>().value(i), *unit),
            TimeUnit::Microsecond => ts(array.as_primitive::<TimestampMicrosecondType>().value(i), *unit),
            TimeUnit::Nanosecond => ts(array.as_primitive::<TimestampNanosecondType>().value(i), *unit),
        },
        DataType::List(_) | DataType::LargeList(_) => {
            let values = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(i),
                _ => array.as_list::<i64>().value(i),
            };
            let items = (0..values.len()).map(|j| cell_text(values.as_ref(), j)).collect::<Result<Vec<_>>>()?;
            items.into_iter().flatten().collect::<Vec<_>>().join(", ")
        }
        other => {
            return Err(Error::new(ErrorCode::TypeMismatch, format!("cannot export a {} value", type_name(other))))
        }
    }))
}
