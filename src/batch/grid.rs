//! `lotse profiles grid`: the Cartesian product of a few profile fields, written as a profiles
//! file for `lotse batch`.
//!
//! These are research scenarios, not data: the generator writes exactly the combinations it is
//! told to, nothing sampled or weighted, and says how many it skipped because they are not
//! valid profiles (e.g. a maximum commute without a workplace). Dimensions vary in the order
//! of [`GridSpec`]'s fields, the last one fastest, so row `profile_id` is reproducible from the
//! command line alone.
//!
//! Value syntax (every option): a comma-separated list of items, an item being a value, `none`
//! (the field left out) or an inclusive range `from..to:step` (`600..1400:100` is 600, 700, …,
//! 1400). `children` lists variants separated by `;`, each `none` or ages separated by `,`
//! (`none;3;3,7`); `workplace` lists variants separated by `;`, each `none` or places joined
//! by `+` (`none;Dresden;Leipzig+Halle`).

use super::input::InputFormat;
use super::output::Staged;
use anyhow::{Result, anyhow, bail};
use polars::prelude::{
    BooleanChunkedBuilder, ChunkedBuilder, Column, DataFrame, DataType, Field, Float64Type,
    IntoColumn, IntoSeries, PrimitiveChunkedBuilder, Schema, StringChunkedBuilder, UInt32Type,
    UInt64Type,
};
use scoring::profile::{Aggregation, TownSize, Workplace};
use scoring::{Criterion, Profile};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Largest grid written: beyond this a typo in a range is more likely than a plan.
pub const MAX_GRID: u64 = 1_000_000_000;

/// The values of each dimension. An empty dimension is not part of the grid (the field keeps
/// its default and gets no column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridSpec {
    pub adults: Vec<u32>,
    pub children: Vec<Vec<u32>>,
    pub rent_budget_eur: Vec<Option<f64>>,
    pub income_eur: Vec<Option<f64>>,
    pub living_space_m2: Vec<Option<f64>>,
    pub workplace: Vec<Vec<String>>,
    pub max_commute_km: Vec<Option<f64>>,
    pub car: Vec<bool>,
    pub town_size: Vec<Option<TownSize>>,
    pub aggregation: Vec<Aggregation>,
    /// Criterion id → weights, in the order given.
    pub weights: Vec<(Criterion, Vec<f64>)>,
}

fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty())
}

/// Numbers, `none` and inclusive ranges `from..to:step`.
pub fn parse_numbers(what: &str, s: &str) -> Result<Vec<Option<f64>>> {
    let mut out = Vec::new();
    for item in items(s) {
        if item.eq_ignore_ascii_case("none") {
            out.push(None);
        } else if let Some((a, rest)) = item.split_once("..") {
            let (b, step) = rest.split_once(':').unwrap_or((rest, "1"));
            let num = |x: &str| {
                x.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| anyhow!("{what}: `{x}` in `{item}` is not a number"))
            };
            let (a, b, step) = (num(a)?, num(b)?, num(step)?);
            if step <= 0.0 || b < a {
                bail!("{what}: `{item}` needs from ≤ to and a step above 0");
            }
            // Counted in whole steps, rounded to 1e-9, so that 0.1 steps do not drift.
            let n = ((b - a) / step + 1e-9).floor() as u64 + 1;
            if n > MAX_GRID {
                bail!("{what}: `{item}` has {n} values");
            }
            for i in 0..n {
                let v = a + step * i as f64;
                out.push(Some((v * 1e9).round() / 1e9));
            }
        } else {
            out.push(Some(
                item.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        anyhow!("{what}: `{item}` is not a number, a range from..to:step or none")
                    })?,
            ));
        }
    }
    if out.is_empty() {
        bail!("{what}: no values");
    }
    Ok(out)
}

/// Whole numbers and ranges (no `none`).
pub fn parse_whole(what: &str, s: &str) -> Result<Vec<u32>> {
    parse_numbers(what, s)?
        .into_iter()
        .map(|v| match v {
            Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 => Ok(x as u32),
            Some(x) => Err(anyhow!("{what}: {x} is not a whole number")),
            None => Err(anyhow!("{what}: `none` is not allowed here")),
        })
        .collect()
}

/// `none;3;3,7`: variants separated by `;`, ages by `,`.
pub fn parse_children(s: &str) -> Result<Vec<Vec<u32>>> {
    let mut out = Vec::new();
    for variant in s.split(';').map(str::trim).filter(|x| !x.is_empty()) {
        if variant.eq_ignore_ascii_case("none") {
            out.push(Vec::new());
        } else {
            out.push(parse_whole("--children", variant)?);
        }
    }
    if out.is_empty() {
        bail!("--children: no variants");
    }
    Ok(out)
}

/// `none;Dresden;Leipzig+14713000`: variants separated by `;`, places joined by `+`.
pub fn parse_workplaces(s: &str) -> Result<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for variant in s.split(';').map(str::trim).filter(|x| !x.is_empty()) {
        if variant.eq_ignore_ascii_case("none") {
            out.push(Vec::new());
        } else {
            out.push(
                variant
                    .split('+')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
            );
        }
    }
    if out.is_empty() {
        bail!("--workplace: no variants");
    }
    Ok(out)
}

/// `true,false` (also `yes`/`no`, `1`/`0`), for `--car`.
pub fn parse_bools(what: &str, s: &str) -> Result<Vec<bool>> {
    items(s)
        .map(|x| match x.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" => Ok(false),
            _ => Err(anyhow!("{what}: `{x}` is not true or false")),
        })
        .collect()
}

fn serde_name<'de, T: Deserialize<'de>>(what: &str, s: &'de str, allowed: &str) -> Result<T> {
    let d: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    T::deserialize(d).map_err(|_| anyhow!("{what}: `{s}` is not one of {allowed}"))
}

/// `none,village,small_town,town,city`: the profile's own spellings.
pub fn parse_town_sizes(s: &str) -> Result<Vec<Option<TownSize>>> {
    items(s)
        .map(|x| {
            if x.eq_ignore_ascii_case("none") {
                Ok(None)
            } else {
                serde_name("--town-size", x, "none, village, small_town, town, city").map(Some)
            }
        })
        .collect()
}

/// `arithmetic,geometric`.
pub fn parse_aggregations(s: &str) -> Result<Vec<Aggregation>> {
    items(s)
        .map(|x| serde_name("--aggregation", x, "arithmetic, geometric"))
        .collect()
}

/// `leisure=0,2.5,5` or `leisure=0..5:1`.
pub fn parse_weight(s: &str) -> Result<(Criterion, Vec<f64>)> {
    let (id, values) = s
        .split_once('=')
        .ok_or_else(|| anyhow!("--weight takes CRITERION=VALUES, e.g. leisure=0,3,5"))?;
    let c = Criterion::from_id(id.trim()).ok_or_else(|| {
        anyhow!(
            "--weight: unknown criterion `{id}`; one of {}",
            Criterion::ALL.map(|c| c.id()).join(", ")
        )
    })?;
    let v = parse_numbers("--weight", values)?
        .into_iter()
        .map(|x| x.ok_or_else(|| anyhow!("--weight: `none` is not a weight")))
        .collect::<Result<Vec<f64>>>()?;
    Ok((c, v))
}

impl GridSpec {
    /// Lengths of the dimensions in iteration order (an absent dimension counts as one).
    fn dims(&self) -> Vec<usize> {
        let mut d = vec![
            self.adults.len(),
            self.children.len(),
            self.rent_budget_eur.len(),
            self.income_eur.len(),
            self.living_space_m2.len(),
            self.workplace.len(),
            self.max_commute_km.len(),
            self.car.len(),
            self.town_size.len(),
            self.aggregation.len(),
        ];
        d.extend(self.weights.iter().map(|w| w.1.len()));
        d.into_iter().map(|n| n.max(1)).collect()
    }

    /// Combinations in the product (before invalid ones are skipped).
    pub fn size(&self) -> u64 {
        self.dims()
            .iter()
            .try_fold(1u64, |a, &n| a.checked_mul(n as u64))
            .unwrap_or(u64::MAX)
    }

    /// The profile at odometer position `idx` (one index per dimension).
    fn profile(&self, idx: &[usize]) -> Profile {
        let mut p = Profile::new(self.adults.get(idx[0]).copied().unwrap_or(1));
        if let Some(c) = self.children.get(idx[1]) {
            p.children = c.clone();
        }
        if let Some(v) = self.rent_budget_eur.get(idx[2]) {
            p.rent_budget_eur = *v;
        }
        if let Some(v) = self.income_eur.get(idx[3]) {
            p.income_eur = *v;
        }
        if let Some(v) = self.living_space_m2.get(idx[4]) {
            p.living_space_m2 = *v;
        }
        if let Some(w) = self.workplace.get(idx[5]) {
            p.workplace = w.iter().map(|s| Workplace::Place(s.clone())).collect();
        }
        if let Some(v) = self.max_commute_km.get(idx[6]) {
            p.max_commute_km = *v;
        }
        if let Some(v) = self.car.get(idx[7]) {
            p.car = *v;
        }
        if let Some(v) = self.town_size.get(idx[8]) {
            p.town_size = *v;
        }
        if let Some(v) = self.aggregation.get(idx[9]) {
            p.aggregation = *v;
        }
        for (k, (c, values)) in self.weights.iter().enumerate() {
            p.weights.insert(c.id().to_string(), values[idx[10 + k]]);
        }
        p
    }

    /// Every valid profile of the grid, in order, with the skipped combinations counted by
    /// reason.
    pub fn for_each(
        &self,
        mut f: impl FnMut(&Profile) -> Result<()>,
    ) -> Result<(u64, BTreeMap<String, u64>)> {
        let dims = self.dims();
        let mut idx = vec![0usize; dims.len()];
        let mut written = 0u64;
        let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
        loop {
            let p = self.profile(&idx);
            match p.validate() {
                Ok(()) => {
                    f(&p)?;
                    written += 1;
                }
                Err(e) => *skipped.entry(e.to_string()).or_default() += 1,
            }
            // Odometer: the last dimension turns fastest.
            let mut d = dims.len();
            loop {
                if d == 0 {
                    return Ok((written, skipped));
                }
                d -= 1;
                idx[d] += 1;
                if idx[d] < dims[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /// The columns a grid file has: `profile_id`, `adults` and one per dimension given.
    pub fn columns(&self) -> Vec<String> {
        let mut c = vec!["profile_id".to_string(), "adults".to_string()];
        let mut add = |on: bool, name: &str| {
            if on {
                c.push(name.to_string());
            }
        };
        add(!self.children.is_empty(), "children");
        add(!self.rent_budget_eur.is_empty(), "rent_budget_eur");
        add(!self.income_eur.is_empty(), "income_eur");
        add(!self.living_space_m2.is_empty(), "living_space_m2");
        add(!self.workplace.is_empty(), "workplace");
        add(!self.max_commute_km.is_empty(), "max_commute_km");
        add(!self.car.is_empty(), "car");
        add(!self.town_size.is_empty(), "town_size");
        add(!self.aggregation.is_empty(), "aggregation");
        for (cr, _) in &self.weights {
            c.push(format!("weights.{}", cr.id()));
        }
        c
    }
}

/// The cells of a profile in the flat layout, for the given grid columns.
fn cells(p: &Profile, columns: &[String], id: u64) -> Vec<String> {
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    columns
        .iter()
        .map(|c| match c.as_str() {
            "profile_id" => id.to_string(),
            "adults" => p.adults.to_string(),
            "children" => p
                .children
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            "rent_budget_eur" => opt(p.rent_budget_eur),
            "income_eur" => opt(p.income_eur),
            "living_space_m2" => opt(p.living_space_m2),
            "workplace" => p
                .workplace
                .iter()
                .map(|w| match w {
                    Workplace::Place(s) => s.clone(),
                    Workplace::Code(c) => format!("{c:08}"),
                    Workplace::Point(x) => format!("{},{}", x.lat, x.lon),
                })
                .collect::<Vec<_>>()
                .join(";"),
            "max_commute_km" => opt(p.max_commute_km),
            "car" => p.car.to_string(),
            "town_size" => p.town_size.map(|t| serde_text(&t)).unwrap_or_default(),
            "aggregation" => serde_text(&p.aggregation),
            w => w
                .strip_prefix("weights.")
                .and_then(|k| p.weights.get(k))
                .map(|x| x.to_string())
                .unwrap_or_default(),
        })
        .collect()
}

fn serde_text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// What [`write`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct GridSummary {
    /// Size of the product.
    pub combinations: u64,
    /// Valid profiles written.
    pub written: u64,
    /// Invalid combinations by reason.
    pub skipped: BTreeMap<String, u64>,
}

/// Rows per Parquet row group of a grid file.
const GRID_ROW_GROUP: usize = 1 << 17;

/// Writes the grid to `out` in `format`, under a temporary name renamed when complete.
pub fn write(spec: &GridSpec, out: &Path, format: InputFormat) -> Result<GridSummary> {
    if spec.adults.is_empty() {
        bail!("--adults is required (e.g. --adults 1,2)");
    }
    let combinations = spec.size();
    if combinations > MAX_GRID {
        bail!("the grid has {combinations} combinations, more than {MAX_GRID}");
    }
    let columns = spec.columns();
    let (staged, file) = Staged::create(out)?;
    let (written, skipped) = match format {
        InputFormat::Csv => {
            let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
            w.write_record(&columns)?;
            let mut id = 0u64;
            let r = spec.for_each(|p| {
                id += 1;
                w.write_record(cells(p, &columns, id))?;
                Ok(())
            })?;
            w.flush()?;
            r
        }
        InputFormat::Jsonl => {
            let mut w = BufWriter::with_capacity(1 << 20, file);
            let mut id = 0u64;
            let r = spec.for_each(|p| {
                id += 1;
                let json = serde_json::to_string(p)?;
                // `{"profile_id":N,` + the profile's own fields.
                write!(w, "{{\"profile_id\":{id},")?;
                w.write_all(&json.as_bytes()[1..])?;
                w.write_all(b"\n")?;
                Ok(())
            })?;
            w.flush()?;
            r
        }
        InputFormat::Parquet => write_parquet(spec, &columns, file)?,
    };
    staged.commit()?;
    Ok(GridSummary {
        combinations,
        written,
        skipped,
    })
}

/// Column builders of a Parquet grid file, typed as a researcher would type them.
enum Builder {
    Id(PrimitiveChunkedBuilder<UInt64Type>),
    Adults(PrimitiveChunkedBuilder<UInt32Type>),
    Text(StringChunkedBuilder),
    Number(PrimitiveChunkedBuilder<Float64Type>),
    Bool(BooleanChunkedBuilder),
}

fn dtype_of(column: &str) -> DataType {
    match column {
        "profile_id" => DataType::UInt64,
        "adults" => DataType::UInt32,
        "children" | "workplace" | "town_size" | "aggregation" => DataType::String,
        "car" => DataType::Boolean,
        _ => DataType::Float64,
    }
}

fn builders(columns: &[String]) -> Vec<Builder> {
    let n = GRID_ROW_GROUP;
    columns
        .iter()
        .map(|c| match dtype_of(c) {
            DataType::UInt64 => Builder::Id(PrimitiveChunkedBuilder::new(c.into(), n)),
            DataType::UInt32 => Builder::Adults(PrimitiveChunkedBuilder::new(c.into(), n)),
            DataType::String => Builder::Text(StringChunkedBuilder::new(c.into(), n)),
            DataType::Boolean => Builder::Bool(BooleanChunkedBuilder::new(c.into(), n)),
            _ => Builder::Number(PrimitiveChunkedBuilder::new(c.into(), n)),
        })
        .collect()
}

fn frame(b: Vec<Builder>, height: usize) -> Result<DataFrame> {
    let cols: Vec<Column> = b
        .into_iter()
        .map(|b| match b {
            Builder::Id(x) => x.finish().into_series().into_column(),
            Builder::Adults(x) => x.finish().into_series().into_column(),
            Builder::Text(x) => x.finish().into_series().into_column(),
            Builder::Number(x) => x.finish().into_series().into_column(),
            Builder::Bool(x) => x.finish().into_series().into_column(),
        })
        .collect();
    Ok(DataFrame::new(height, cols)?)
}

fn write_parquet(
    spec: &GridSpec,
    columns: &[String],
    file: std::fs::File,
) -> Result<(u64, BTreeMap<String, u64>)> {
    let schema = Schema::from_iter(
        columns
            .iter()
            .map(|c| Field::new(c.as_str().into(), dtype_of(c))),
    );
    let mut writer = super::output::parquet_writer(file, &schema, Vec::new())?;
    let mut b = builders(columns);
    let mut rows = 0usize;
    let mut id = 0u64;
    let r = spec.for_each(|p| {
        id += 1;
        for (cell, builder) in cells(p, columns, id).into_iter().zip(b.iter_mut()) {
            match builder {
                Builder::Id(x) => x.append_value(id),
                Builder::Adults(x) => x.append_value(p.adults),
                Builder::Text(x) => {
                    if cell.is_empty() {
                        x.append_null()
                    } else {
                        x.append_value(&cell)
                    }
                }
                Builder::Number(x) => x.append_option(cell.parse::<f64>().ok()),
                Builder::Bool(x) => x.append_value(p.car),
            }
        }
        rows += 1;
        if rows == GRID_ROW_GROUP {
            let full = std::mem::replace(&mut b, builders(columns));
            writer.write_batch(&frame(full, rows)?)?;
            rows = 0;
        }
        Ok(())
    })?;
    if rows > 0 {
        writer.write_batch(&frame(b, rows)?)?;
    }
    writer.finish()?;
    Ok(r)
}
