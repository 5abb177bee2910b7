//! Parquet profiles, read slice by slice: the footer once, then only the row groups a slice
//! touches, so memory stays at one chunk whatever the file size. Columns polars is not built
//! for (int8/int16/uint8/uint16, date, float16) are read through a rewritten Arrow schema and
//! converted here.

use super::chunk::{PqColumn, ProfileSource, Raw, RawChunk};
use super::flat::{Column, Columns, iso_date};
use anyhow::{Context, Result, bail};
use polars::prelude::{
    ArrowDataType, DataFrame, DataType, ParallelStrategy, ParquetReader, SerReader, Series,
};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// Parquet, read slice by slice with the footer read once: each call decodes only the row
/// groups the slice touches, so memory stays at one chunk whatever the file size.
pub(super) struct ParquetSource {
    file: File,
    metadata: polars::io::parquet::metadata::FileMetadataRef,
    columns: Arc<Columns>,
    /// How each column is stored, in the order of `columns`.
    stored: Vec<Stored>,
    rows: u64,
    next: u64,
}

/// How a Parquet column is stored, when polars (built without its small-integer, date and
/// half-float types, see Cargo.toml) cannot take it as it is: such columns are read as the
/// wider type they decode to and converted here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stored {
    /// As polars reads it (int8/int16/uint8/uint16, also in lists, decoded as int32).
    Plain,
    /// A date (days since 1970-01-01, decoded as int32): a `profile_id` as `YYYY-MM-DD`.
    Date,
    /// A half-precision float (two bytes, decoded as fixed-size binary).
    Half,
}

/// The type a stored Arrow type is read as, and how it is stored; `None` when lotse cannot
/// read it at all.
fn read_as(dt: &ArrowDataType) -> Option<(ArrowDataType, Stored)> {
    use ArrowDataType as A;
    Some(match dt {
        A::Int8 | A::Int16 | A::UInt8 | A::UInt16 => (A::Int32, Stored::Plain),
        A::Date32 => (A::Int32, Stored::Date),
        A::Float16 => (A::FixedSizeBinary(2), Stored::Half),
        A::Null
        | A::Boolean
        | A::Int32
        | A::Int64
        | A::UInt32
        | A::UInt64
        | A::Float32
        | A::Float64
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View => (dt.clone(), Stored::Plain),
        A::List(inner) | A::LargeList(inner) => {
            let (t, how) = read_as(&inner.dtype)?;
            if how != Stored::Plain || !matches!(t, A::Int32 | A::Int64 | A::UInt32 | A::UInt64) {
                return None;
            }
            let mut inner = (**inner).clone();
            inner.dtype = t;
            (A::LargeList(Box::new(inner)), Stored::Plain)
        }
        _ => return None,
    })
}

/// An IEEE 754 half-precision float from its two little-endian bytes (Parquet FLOAT16).
fn half(bytes: [u8; 2]) -> f64 {
    let bits = u16::from_le_bytes(bytes);
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((bits >> 10) & 0x1f);
    let frac = f64::from(bits & 0x3ff);
    match exp {
        0 => sign * frac * 2f64.powi(-24),
        31 if frac == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        e => sign * (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
    }
}

impl ParquetSource {
    pub(super) fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut reader = ParquetReader::new(
            file.try_clone()
                .with_context(|| format!("cannot open {}", path.display()))?,
        );
        let schema = reader
            .schema()
            .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
        let metadata = reader
            .get_metadata()
            .with_context(|| format!("{} is not a readable Parquet file", path.display()))?
            .clone();
        let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        let columns = Columns::new(names).with_context(|| format!("{}", path.display()))?;
        // Every column's type is checked here, before anything is ranked; a type polars cannot
        // take as stored is read as the type it decodes to (recorded in the file's Arrow schema
        // for this reader only).
        let mut read_schema = (*schema).clone();
        let mut stored = Vec::with_capacity(columns.fields.len());
        let mut changed = false;
        for ((f, name), field) in columns
            .fields
            .iter()
            .zip(&columns.names)
            .zip(read_schema.iter_values_mut())
        {
            let Some((t, how)) = read_as(&field.dtype) else {
                bail!(
                    "{}: column `{name}` has the type {:?}, which lotse cannot read; `{name}` expects {}",
                    path.display(),
                    field.dtype,
                    f.expected_type()
                );
            };
            if how == Stored::Date && *f != Column::ProfileId {
                bail!(
                    "{}: column `{name}` holds dates; `{name}` expects {}",
                    path.display(),
                    f.expected_type()
                );
            }
            if t != field.dtype {
                field.dtype = t;
                changed = true;
            }
            stored.push(how);
        }
        let metadata = if changed {
            let key = polars_parquet::write::schema_to_metadata_key(&read_schema);
            let mut m = (*metadata).clone();
            let mut kv = m.key_value_metadata.take().unwrap_or_default();
            kv.retain(|k| k.key != key.key);
            kv.push(key);
            m.key_value_metadata = Some(kv);
            Arc::new(m)
        } else {
            metadata
        };
        Ok(ParquetSource {
            file,
            rows: metadata.num_rows as u64,
            metadata,
            columns: Arc::new(columns),
            stored,
            next: 0,
        })
    }
}

fn typed(field: &Column, stored: Stored, s: &Series) -> Result<PqColumn> {
    let dt = s.dtype();
    Ok(match stored {
        Stored::Date => PqColumn::Text(
            s.cast(&DataType::Int32)?
                .i32()?
                .iter()
                .map(|d| d.map(iso_date))
                .collect(),
        ),
        Stored::Half => PqColumn::Float(
            s.binary()?
                .iter()
                .map(|b| b.and_then(|b| <[u8; 2]>::try_from(b).ok()).map(half))
                .collect(),
        ),
        // An integer id is kept exactly, whatever its width (a u64 beyond i64 included).
        Stored::Plain if dt.is_integer() && *field == Column::ProfileId => {
            if *dt == DataType::UInt64 {
                PqColumn::Text(s.u64()?.iter().map(|v| v.map(|v| v.to_string())).collect())
            } else {
                let c = s.cast(&DataType::Int64)?;
                PqColumn::Text(c.i64()?.iter().map(|v| v.map(|v| v.to_string())).collect())
            }
        }
        // Beyond i64 a u64 is out of every field's range: kept as a (rejected) number, never
        // turned into a null that would mean "the default".
        Stored::Plain if *dt == DataType::UInt64 => {
            let v = s.u64()?;
            if v.iter().flatten().any(|x| x > i64::MAX as u64) {
                PqColumn::Float(v.iter().map(|x| x.map(|x| x as f64)).collect())
            } else {
                PqColumn::Int(v.iter().map(|x| x.map(|x| x as i64)).collect())
            }
        }
        Stored::Plain if dt.is_integer() => {
            let c = s.cast(&DataType::Int64)?;
            PqColumn::Int(c.i64()?.iter().collect())
        }
        Stored::Plain if dt.is_float() => {
            let c = s.cast(&DataType::Float64)?;
            PqColumn::Float(c.f64()?.iter().collect())
        }
        Stored::Plain if *dt == DataType::Boolean => PqColumn::Bool(s.bool()?.iter().collect()),
        Stored::Plain if *dt == DataType::String => {
            PqColumn::Text(s.str()?.iter().map(|o| o.map(str::to_string)).collect())
        }
        Stored::Plain if *dt == DataType::Null => PqColumn::Text(vec![None; s.len()]),
        Stored::Plain => match dt {
            DataType::List(inner) if inner.is_integer() => {
                let mut out = Vec::with_capacity(s.len());
                for v in s.list()?.series_iter() {
                    out.push(match v {
                        None => None,
                        Some(inner) => {
                            let c = inner.cast(&DataType::Int64)?;
                            Some(c.i64()?.iter().collect())
                        }
                    });
                }
                PqColumn::Ints(out)
            }
            // `read_as` let only the types above through.
            _ => bail!(
                "a column of type {dt} where lotse expected {}",
                field.expected_type()
            ),
        },
    })
}

impl ProfileSource for ParquetSource {
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>> {
        if self.next >= self.rows {
            return Ok(None);
        }
        let len = (max as u64).min(self.rows - self.next) as usize;
        let mut reader = ParquetReader::new(self.file.try_clone()?)
            .with_slice(Some((self.next as usize, len)))
            .read_parallel(ParallelStrategy::None);
        reader.set_metadata(self.metadata.clone());
        let df: DataFrame = reader.finish().with_context(|| {
            format!(
                "reading Parquet rows {}–{}",
                self.next + 1,
                self.next + len as u64
            )
        })?;
        let mut data = Vec::with_capacity(self.columns.names.len());
        for ((name, field), stored) in self
            .columns
            .names
            .iter()
            .zip(&self.columns.fields)
            .zip(&self.stored)
        {
            let col = df.column(name)?;
            data.push(
                typed(field, *stored, col.as_materialized_series())
                    .with_context(|| format!("column `{name}`"))?,
            );
        }
        let first = self.next;
        self.next += len as u64;
        Ok(Some(RawChunk(Raw::Parquet {
            columns: self.columns.clone(),
            data,
            len,
            first,
        })))
    }

    fn progress(&self) -> (u64, u64) {
        (self.next, self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_floats_and_dates_decode() {
        assert_eq!(half([0x00, 0x3c]), 1.0);
        assert_eq!(half([0x00, 0xc0]), -2.0);
        assert_eq!(half([0x08, 0x63]), 900.0);
        assert_eq!(half([0xff, 0x7b]), 65504.0);
        assert_eq!(half([0x01, 0x00]), 2f64.powi(-24));
        assert_eq!(half([0x00, 0x7c]), f64::INFINITY);
        assert!(half([0x01, 0x7e]).is_nan());
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(-1), "1969-12-31");
        assert_eq!(iso_date(11_016), "2000-02-29");
        assert_eq!(iso_date(19_723), "2024-01-01");
        assert_eq!(iso_date(-719_468), "0000-03-01");
    }
}
