//! Profiles from Arrow: a table's columns checked once (the names and types `lotse batch`
//! accepts in Parquet), then each record batch's columns read as the cells of
//! [`scoring::flat`], which turns a row into a profile exactly as `lotse batch` does.
//!
//! No Python object per row: the arrays arrive through the Arrow C stream interface and are read
//! in place (text) or widened once per batch (integers to i64, floats to f64).

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch};
use arrow_schema::{DataType, Schema};
use scoring::flat::{Cell, Column, Columns, ColumnsError, iso_date, text_cell};

/// Why a table cannot be read as profiles: it is refused as a whole, before anything is ranked
/// (a bad cell only rejects its row).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Columns(#[from] ColumnsError),
    #[error(
        "column `{name}` has the type {found}, which lotse cannot read; `{name}` expects {expected}"
    )]
    Type {
        name: String,
        found: DataType,
        expected: &'static str,
    },
    #[error("column `{name}` holds dates; `{name}` expects {expected}")]
    Date {
        name: String,
        expected: &'static str,
    },
}

/// The columns of a profiles table, checked once: names (as [`Columns::new`]) and types.
pub fn check_schema(schema: &Schema) -> Result<Columns, InputError> {
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let columns = Columns::new(names)?;
    for (field, column) in schema.fields().iter().zip(&columns.fields) {
        check_type(field.name(), column, field.data_type())?;
    }
    Ok(columns)
}

fn is_int(dt: &DataType) -> bool {
    use DataType as D;
    matches!(
        dt,
        D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64
    )
}

/// The types `lotse batch` reads from Parquet: every integer width, float16/32/64, boolean,
/// text, a list of integers, and a date for `profile_id` only.
fn check_type(name: &str, column: &Column, dt: &DataType) -> Result<(), InputError> {
    use DataType as D;
    let readable = match dt {
        D::Null | D::Boolean | D::Float16 | D::Float32 | D::Float64 => true,
        D::Utf8 | D::LargeUtf8 | D::Utf8View => true,
        D::Date32 if *column == Column::ProfileId => true,
        D::Date32 => {
            return Err(InputError::Date {
                name: name.into(),
                expected: column.expected_type(),
            });
        }
        D::List(inner) | D::LargeList(inner) => is_int(inner.data_type()),
        other => is_int(other),
    };
    if readable {
        Ok(())
    } else {
        Err(InputError::Type {
            name: name.into(),
            found: dt.clone(),
            expected: column.expected_type(),
        })
    }
}

/// One column of one record batch, read as cells.
pub enum Cells {
    Null,
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(BooleanArray),
    Text(ArrayRef),
    /// Text made here (a whole-number or date `profile_id`).
    Owned(Vec<Option<String>>),
    Ints(Vec<Option<Vec<Option<i64>>>>),
}

/// Any integer array as i64, or `None` when a u64 exceeds i64 (then read as floats, so the
/// value stays out of range and is rejected, never turned into a default).
fn ints(a: &dyn Array) -> Option<Vec<Option<i64>>> {
    macro_rules! widen {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect()
        };
    }
    Some(match a.data_type() {
        DataType::Int8 => widen!(Int8Type),
        DataType::Int16 => widen!(Int16Type),
        DataType::Int32 => widen!(Int32Type),
        DataType::Int64 => widen!(Int64Type),
        DataType::UInt8 => widen!(UInt8Type),
        DataType::UInt16 => widen!(UInt16Type),
        DataType::UInt32 => widen!(UInt32Type),
        DataType::UInt64 => {
            let v = a.as_primitive::<UInt64Type>();
            if v.iter().flatten().any(|x| x > i64::MAX as u64) {
                return None;
            }
            v.iter().map(|x| x.map(|x| x as i64)).collect()
        }
        _ => return None,
    })
}

fn list_ints<O: arrow_array::OffsetSizeTrait>(
    a: &arrow_array::GenericListArray<O>,
) -> Vec<Option<Vec<Option<i64>>>> {
    (0..a.len())
        .map(|i| {
            if a.is_null(i) {
                return None;
            }
            let items = a.value(i);
            // A u64 beyond i64 (the one case `ints` declines) is kept as i64::MAX, which every
            // range rejects: a list is never turned into "none" by a value too large.
            Some(ints(items.as_ref()).unwrap_or_else(|| {
                items
                    .as_primitive::<UInt64Type>()
                    .iter()
                    .map(|x| x.map(|x| x.min(i64::MAX as u64) as i64))
                    .collect()
            }))
        })
        .collect()
}

impl Cells {
    /// Reads one column (whose type [`check_schema`] accepted) of a batch.
    pub fn read(column: &Column, a: &ArrayRef) -> Cells {
        use DataType as D;
        match a.data_type() {
            D::Null => Cells::Null,
            D::Boolean => Cells::Bool(a.as_boolean().clone()),
            D::Utf8 | D::LargeUtf8 | D::Utf8View => Cells::Text(a.clone()),
            D::Float16 => Cells::Float(
                a.as_primitive::<Float16Type>()
                    .iter()
                    .map(|v| v.map(|h| h.to_f64()))
                    .collect(),
            ),
            D::Float32 => Cells::Float(
                a.as_primitive::<Float32Type>()
                    .iter()
                    .map(|v| v.map(f64::from))
                    .collect(),
            ),
            D::Float64 => Cells::Float(a.as_primitive::<Float64Type>().iter().collect()),
            D::Date32 => Cells::Owned(
                a.as_primitive::<arrow_array::types::Date32Type>()
                    .iter()
                    .map(|d| d.map(iso_date))
                    .collect(),
            ),
            D::List(_) => Cells::Ints(list_ints(a.as_list::<i32>())),
            D::LargeList(_) => Cells::Ints(list_ints(a.as_list::<i64>())),
            // An integer id is kept exactly, whatever its width (a u64 beyond i64 included).
            D::UInt64 if *column == Column::ProfileId => Cells::Owned(
                a.as_primitive::<UInt64Type>()
                    .iter()
                    .map(|v| v.map(|v| v.to_string()))
                    .collect(),
            ),
            _ => match ints(a.as_ref()) {
                Some(v) if *column == Column::ProfileId => {
                    Cells::Owned(v.into_iter().map(|v| v.map(|v| v.to_string())).collect())
                }
                Some(v) => Cells::Int(v),
                None => Cells::Float(
                    a.as_primitive::<UInt64Type>()
                        .iter()
                        .map(|x| x.map(|x| x as f64))
                        .collect(),
                ),
            },
        }
    }

    /// The cell of row `i`.
    pub fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            Cells::Null => Cell::Null,
            Cells::Int(v) => v[i].map_or(Cell::Null, Cell::Int),
            Cells::Float(v) => v[i].map_or(Cell::Null, Cell::Float),
            Cells::Bool(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Bool(a.value(i))
                }
            }
            Cells::Text(a) => {
                if a.is_null(i) {
                    return Cell::Null;
                }
                let s = match a.data_type() {
                    DataType::Utf8 => a.as_string::<i32>().value(i),
                    DataType::LargeUtf8 => a.as_string::<i64>().value(i),
                    _ => a.as_string_view().value(i),
                };
                text_cell(s)
            }
            Cells::Owned(v) => v[i].as_deref().map_or(Cell::Null, text_cell),
            Cells::Ints(v) => v[i].clone().map_or(Cell::Null, Cell::Ints),
        }
    }
}

/// Every column of a batch, in the order of `columns`.
pub fn read_batch(columns: &Columns, batch: &RecordBatch) -> Vec<Cells> {
    columns
        .fields
        .iter()
        .zip(batch.columns())
        .map(|(c, a)| Cells::read(c, a))
        .collect()
}
