//! Deutschlandatlas tables: one row per municipality, municipal association or district, one
//! column per indicator code, `-9999` for a missing value.

use crate::error::{DatasetError, Result};
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use std::collections::HashMap;
use std::path::Path;

/// The value the Deutschlandatlas writes for "no value" in every file.
pub const MISSING: f64 = -9999.0;

/// Selected columns of one table, keyed by the row's key padded to `key_len` digits (the
/// workbook drops the leading zero of Länder 01–09).
pub struct KeyedTable {
    pub columns: Vec<String>,
    /// key → one value per selected column (`None` where the source has -9999 or nothing).
    pub rows: HashMap<String, Vec<Option<f64>>>,
    /// key → the row's name (second column), for joins by name.
    pub names: HashMap<String, String>,
}

impl KeyedTable {
    /// The value of `column` for `key`, if the row exists and has one.
    pub fn get(&self, key: &str, column: &str) -> Option<f64> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.rows.get(key).and_then(|r| r[i])
    }
}

/// Definition and data basis of each Deutschlandatlas code, from the atlas's dictionary
/// (`kuerzel`, `definition`, `datenbasis`): the method text and reference year of its columns.
pub struct Dictionary(pub HashMap<String, (String, String)>);

/// Reads the Deutschlandatlas dictionary (`,`-separated).
pub fn read_dictionary(path: &Path) -> Result<Dictionary> {
    let t = Table::read(path, b',')?;
    let (k, d, s) = (
        t.col("kuerzel")?,
        t.col("definition")?,
        t.col("datenbasis")?,
    );
    Ok(Dictionary(
        t.rows
            .iter()
            .map(|r| {
                (
                    t.text(r, k).to_string(),
                    (t.text(r, d).to_string(), t.text(r, s).to_string()),
                )
            })
            .collect(),
    ))
}

/// Reads `columns` of a Deutschlandatlas CSV. `key_col` names the key column; keys are
/// left-padded with zeros to `key_len` digits.
pub fn read_keyed(
    path: &Path,
    source: &str,
    delimiter: u8,
    key_col: &str,
    key_len: usize,
    columns: &[&str],
) -> Result<(KeyedTable, SourceReport)> {
    read_keyed_bytes(
        path,
        &crate::error::read_file(path)?,
        source,
        delimiter,
        key_col,
        key_len,
        columns,
    )
}

/// [`read_keyed`] on the file's bytes, already in memory; `path` only names the file in errors and
/// the report.
pub fn read_keyed_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
    delimiter: u8,
    key_col: &str,
    key_len: usize,
    columns: &[&str],
) -> Result<(KeyedTable, SourceReport)> {
    let t = Table::from_bytes(path, bytes, delimiter)?;
    let mut rep = SourceReport::for_table(source, &t);
    let c_key = t.col(key_col)?;
    let c_name = 1.min(t.headers.len() - 1);
    let cols = columns
        .iter()
        .map(|c| t.col(c))
        .collect::<Result<Vec<_>>>()?;
    let mut rows = HashMap::new();
    let mut names = HashMap::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut missing_cells = 0usize;
    for row in &t.rows {
        rep.rows_read += 1;
        let raw = t.text(row, c_key);
        if raw.is_empty() || raw.len() > key_len || !raw.bytes().all(|b| b.is_ascii_digit()) {
            rep.reject(Reject::UnknownAgs);
            continue;
        }
        let key = format!("{raw:0>key_len$}");
        let mut vals = Vec::with_capacity(cols.len());
        for &c in &cols {
            let v = t.number(row, c)?;
            let v = v.filter(|&x| x != MISSING);
            if v.is_none() {
                missing_cells += 1;
            }
            vals.push(v);
        }
        if let Some(first) = lines.insert(key.clone(), row.line) {
            return Err(DatasetError::parse(
                path,
                row.line,
                format!("duplicate key {key}: already on line {first} (each key may appear once)"),
            ));
        }
        rows.insert(key.clone(), vals);
        names.insert(key, t.text(row, c_name).to_string());
        rep.rows_kept += 1;
    }
    if missing_cells > 0 {
        rep.note(format!(
            "{missing_cells} cell(s) of the selected columns are -9999 or empty (kept as missing)"
        ));
    }
    Ok((
        KeyedTable {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
            names,
        },
        rep,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_names_both_lines() {
        let text = "GKZ1222,name,p_apo\n14612000,Dresden,2.5\n14511000,Chemnitz,3\n14612000,Dresden,-9999\n";
        let err = read_keyed_bytes(
            Path::new("gem.csv"),
            text.as_bytes(),
            "da_gem1222",
            b',',
            "GKZ1222",
            8,
            &["p_apo"],
        )
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            err,
            "gem.csv, line 4: duplicate key 14612000: already on line 2 (each key may appear once)"
        );
    }
}
