//! Reading profiles for a batch run: CSV, JSON Lines or Parquet, chunk by chunk.
//!
//! A reader only splits the file into raw chunks (records, lines, or a slice of Parquet rows);
//! turning a raw record into a [`Profile`] happens in [`RawChunk::parse`], called in parallel by
//! the ranking stage, so that the one reading thread never limits throughput.
//!
//! # The flat profile columns (CSV and Parquet)
//!
//! One column per profile field, named as in JSON; nested fields with dots. The names are
//! `profile_id` and those of the profile's field table ([`scoring::fields`]). An empty cell (or
//! a Parquet null) leaves the field at its default, exactly as a missing JSON field does.
//!
//! | column | cell |
//! |---|---|
//! | `profile_id` | optional; text of at most 256 bytes, a whole number, in Parquet also a date (default: the profile's 1-based position in the file) |
//! | `adults` | required column; whole number 1–10 |
//! | `children` | ages separated by `;` (or `,`), e.g. `2;8`; empty or `none` for none; in Parquet also a list of integers |
//! | `rent_budget_eur`, `income_eur`, `living_space_m2`, `max_commute_km` | number (decimal point) |
//! | `workplace` | one or several (`;`) of: an AGS, a municipality name, or `lat,lon` |
//! | `car` | `true`/`false` (also `1`/`0`, `yes`/`no`) |
//! | `weights.<criterion>` | number 0–5, e.g. `weights.childcare` |
//! | `must.within_km.<facility>` | km, e.g. `must.within_km.gymnasium` |
//! | `must.rent_within_budget` | `true`/`false` |
//! | `must.max_rent_share_pct`, `must.min_population`, `must.max_population` | number |
//! | `town_size`, `lang`, `aggregation` | as in JSON (`small_town`, `en`, `geometric`) |
//!
//! An unknown column stops the run before anything is ranked (a typo such as `childern` must
//! not silently fall back to a default); a bad cell rejects only its row.

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::{
    ArrowDataType, DataFrame, DataType, ParallelStrategy, ParquetReader, SerReader, Series,
};
use scoring::fields::Field;
use scoring::profile::{Aggregation, Lang, LatLon, TownSize, Workplace};
use scoring::{Profile, ProfileError};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// Format of a profiles file.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated, with a header row naming the columns (README, "Batch rankings").
    Csv,
    /// One JSON profile per line, as for `lotse rank`, optionally with a `profile_id` key.
    Jsonl,
    /// The same columns as CSV, typed.
    Parquet,
}

impl InputFormat {
    /// The format a file name implies: `.csv`, `.jsonl`/`.ndjson`, `.parquet`/`.pq`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "parquet" | "pq" => Some(Self::Parquet),
            _ => None,
        }
    }
}

/// What a column of a flat profile file holds: the profile's id, or one field of the profile
/// (named as in the one field table, [`scoring::fields`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Column {
    ProfileId,
    Profile(Field),
}

/// Name of the id column: not a profile field, so not in the field table.
const PROFILE_ID: &str = "profile_id";

impl Column {
    /// What a column name holds, if it names anything.
    pub(crate) fn of(name: &str) -> Option<Column> {
        if name == PROFILE_ID {
            Some(Column::ProfileId)
        } else {
            Field::from_name(name).map(Column::Profile)
        }
    }
}

/// Every column name a flat profile file may have, for error messages and the README.
pub fn allowed_columns() -> String {
    let mut names = vec![PROFILE_ID.to_string()];
    names.extend(Field::all().map(|f| f.name().into_owned()));
    names.join(", ")
}

/// The columns of a flat file, checked once: every name known, none twice, `adults` present.
#[derive(Debug)]
pub(crate) struct Columns {
    pub fields: Vec<Column>,
    pub names: Vec<String>,
}

impl Columns {
    pub(crate) fn new(names: Vec<String>) -> Result<Self> {
        let mut fields = Vec::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            let f = Column::of(n).ok_or_else(|| {
                anyhow!(
                    "unknown column `{n}` (column {}); allowed: {}",
                    i + 1,
                    allowed_columns()
                )
            })?;
            if fields.contains(&f) {
                bail!("the column `{n}` appears twice");
            }
            fields.push(f);
        }
        if !fields.contains(&Column::Profile(Field::Adults)) {
            bail!("the profiles file has no `adults` column (it is the one required field)");
        }
        Ok(Columns { fields, names })
    }
}

/// One cell of a flat record.
#[derive(Clone, Debug)]
pub(crate) enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Ints(Vec<Option<i64>>),
}

/// Longest `profile_id`, in bytes of UTF-8: an id is copied into every result row, so a longer
/// one rejects its row (which then gets its position as id) instead of multiplying memory.
pub const MAX_ID_BYTES: usize = 256;

/// What a `profile_id` may be.
pub const ID_ALLOWED: &str = "text of at most 256 bytes, or a whole number from \
     -9223372036854775808 to 18446744073709551615";

fn id_too_long(len: usize) -> ProfileError {
    bad("profile_id", format!("{len} bytes long"), ID_ALLOWED)
}

fn bad(field: &str, problem: String, allowed: &str) -> ProfileError {
    ProfileError::new(field, problem, allowed)
}

fn describe(c: &Cell) -> String {
    match c {
        Cell::Null => "an empty cell".into(),
        Cell::Text(s) => format!("`{s}`"),
        Cell::Int(i) => i.to_string(),
        Cell::Float(x) => x.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Ints(_) => "a list".into(),
    }
}

fn whole(field: &str, c: &Cell, allowed: &str) -> Result<u32, ProfileError> {
    let v = match c {
        Cell::Text(s) => s.parse::<u32>().ok(),
        Cell::Int(i) => u32::try_from(*i).ok(),
        Cell::Float(x) if x.fract() == 0.0 && *x >= 0.0 && *x <= u32::MAX as f64 => Some(*x as u32),
        _ => None,
    };
    v.ok_or_else(|| {
        bad(
            field,
            format!("{} is not a whole number", describe(c)),
            allowed,
        )
    })
}

fn number(field: &str, c: &Cell) -> Result<f64, ProfileError> {
    let v = match c {
        Cell::Text(s) => s.parse::<f64>().ok().filter(|x| x.is_finite()),
        Cell::Int(i) => Some(*i as f64),
        Cell::Float(x) => Some(*x),
        _ => None,
    };
    v.ok_or_else(|| {
        bad(
            field,
            format!("{} is not a number", describe(c)),
            "a number with a decimal point, e.g. 900 or 12.5",
        )
    })
}

fn boolean(field: &str, c: &Cell) -> Result<bool, ProfileError> {
    let v = match c {
        Cell::Bool(b) => Some(*b),
        Cell::Int(0) => Some(false),
        Cell::Int(1) => Some(true),
        Cell::Text(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    };
    v.ok_or_else(|| {
        bad(
            field,
            format!("{} is not true or false", describe(c)),
            "true or false (also 1/0, yes/no)",
        )
    })
}

/// An enum field by its serde name, so that the accepted spellings are exactly JSON's.
fn named<'de, T: Deserialize<'de>>(
    field: &str,
    c: &Cell<'de>,
    allowed: &str,
) -> Result<T, ProfileError> {
    match c {
        Cell::Text(s) => {
            let d: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
                s.into_deserializer();
            T::deserialize(d).map_err(|_| bad(field, format!("`{s}` is not allowed"), allowed))
        }
        other => Err(bad(
            field,
            format!("{} is not allowed", describe(other)),
            allowed,
        )),
    }
}

const CHILDREN_ALLOWED: &str = "ages 0–17 separated by `;`, e.g. `2;8`, or empty for none";

fn children(c: &Cell) -> Result<Vec<u32>, ProfileError> {
    match c {
        Cell::Text(s) => {
            let s = s.trim();
            if s.is_empty() || s.eq_ignore_ascii_case("none") {
                return Ok(Vec::new());
            }
            s.split([';', ','])
                .map(str::trim)
                .enumerate()
                .map(|(i, a)| {
                    a.parse::<u32>().map_err(|_| {
                        bad(
                            &format!("children[{i}]"),
                            format!("`{a}` is not an age in whole years"),
                            CHILDREN_ALLOWED,
                        )
                    })
                })
                .collect()
        }
        Cell::Int(a) => Ok(vec![whole(
            "children[0]",
            &Cell::Int(*a),
            CHILDREN_ALLOWED,
        )?]),
        Cell::Ints(v) => v
            .iter()
            .enumerate()
            .map(|(i, a)| match a {
                Some(a) => whole(&format!("children[{i}]"), &Cell::Int(*a), CHILDREN_ALLOWED),
                None => Err(bad(
                    &format!("children[{i}]"),
                    "a null age".into(),
                    CHILDREN_ALLOWED,
                )),
            })
            .collect(),
        other => Err(bad(
            "children",
            format!("{} is not a list of ages", describe(other)),
            CHILDREN_ALLOWED,
        )),
    }
}

const WORKPLACE_ALLOWED: &str =
    "an AGS, a municipality name or `lat,lon`; several separated by `;`";

/// One workplace item: `lat,lon` (two numbers) is a coordinate, anything else a place (an AGS
/// or a name, resolved by the ranker).
fn workplace_item(s: &str) -> Workplace {
    if let Some((a, b)) = s.split_once(',')
        && let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
    {
        return Workplace::Point(LatLon { lat, lon });
    }
    Workplace::Place(s.to_string())
}

fn workplaces(c: &Cell) -> Result<Vec<Workplace>, ProfileError> {
    match c {
        Cell::Text(s) => Ok(s
            .split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(workplace_item)
            .collect()),
        Cell::Int(i) if *i >= 0 => Ok(vec![Workplace::Code(*i as u64)]),
        other => Err(bad(
            "workplace",
            format!("{} is not a workplace", describe(other)),
            WORKPLACE_ALLOWED,
        )),
    }
}

/// Builds a profile from a flat record (`cell(k)` is the cell of column `k`). Returns the
/// record's own `profile_id`, if it has one, and the profile or the first problem found.
/// Validation proper (ranges, combinations) is left to [`Profile::validate`], which the
/// ranker's plan calls, so a batch accepts exactly what `lotse rank` accepts.
pub(crate) fn build_profile<'a>(
    columns: &Columns,
    cell: impl Fn(usize) -> Cell<'a>,
) -> (Option<String>, Result<Profile, ProfileError>) {
    let mut id = None;
    if let Some(k) = columns.fields.iter().position(|f| *f == Column::ProfileId) {
        id = match cell(k) {
            Cell::Null => None,
            Cell::Text(s) => Some(s.to_string()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Float(x) => Some(x.to_string()),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Ints(_) => None,
        };
    }
    if let Some(len) = id.as_ref().map(String::len)
        && len > MAX_ID_BYTES
    {
        return (None, Err(id_too_long(len)));
    }
    let result = (|| {
        let mut p = Profile::new(0);
        let mut has_adults = false;
        for (k, f) in columns.fields.iter().enumerate() {
            let c = cell(k);
            if matches!(c, Cell::Null) {
                continue;
            }
            let name = columns.names[k].as_str();
            let Column::Profile(f) = f else {
                continue;
            };
            match f {
                Field::Adults => {
                    p.adults = whole("adults", &c, "1–10")?;
                    has_adults = true;
                }
                Field::Children => p.children = children(&c)?,
                Field::RentBudget => p.rent_budget_eur = Some(number(name, &c)?),
                Field::Income => p.income_eur = Some(number(name, &c)?),
                Field::LivingSpace => p.living_space_m2 = Some(number(name, &c)?),
                Field::Workplace => p.workplace = workplaces(&c)?,
                Field::MaxCommute => p.max_commute_km = Some(number(name, &c)?),
                Field::Car => p.car = boolean(name, &c)?,
                Field::Weight(cr) => {
                    p.weights.insert(cr.id().to_string(), number(name, &c)?);
                }
                Field::WithinKm(fac) => {
                    p.must.within_km.insert(fac.to_string(), number(name, &c)?);
                }
                Field::RentWithinBudget => p.must.rent_within_budget = boolean(name, &c)?,
                Field::MaxRentShare => p.must.max_rent_share_pct = Some(number(name, &c)?),
                Field::MinPopulation => p.must.min_population = Some(number(name, &c)?),
                Field::MaxPopulation => p.must.max_population = Some(number(name, &c)?),
                Field::TownSize => {
                    p.town_size = Some(named::<TownSize>(
                        name,
                        &c,
                        "village, small_town, town, city",
                    )?)
                }
                Field::Lang => p.lang = named::<Lang>(name, &c, "de, en")?,
                Field::Aggregation => {
                    p.aggregation = named::<Aggregation>(name, &c, "arithmetic, geometric")?
                }
            }
        }
        if !has_adults {
            return Err(bad("adults", "missing".into(), "1–10"));
        }
        Ok(p)
    })();
    (id, result)
}

/// Reads one JSON Lines profile: the profile as for `lotse rank`, plus an optional
/// `profile_id` (string or number) that is taken out before the profile is read.
pub fn parse_json_line(line: &str) -> (Option<serde_json::Value>, Result<Profile, ProfileError>) {
    // Fast path: no id in the line, the profile parser sees the line as it is.
    if !line.contains("\"profile_id\"") {
        return (None, from_json(line));
    }
    let mut map: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(line) {
        Ok(m) => m,
        // Not an object: let the profile parser say what is wrong, as it would for `rank`.
        Err(_) => return (None, from_json(line)),
    };
    let id = map.remove("profile_id");
    let problem = match &id {
        None => None,
        Some(serde_json::Value::String(s)) if s.len() > MAX_ID_BYTES => {
            return (None, Err(id_too_long(s.len())));
        }
        Some(serde_json::Value::String(_)) => None,
        // Whole numbers within i64/u64 are kept exactly; anything else was already rounded to
        // a float by the JSON reader (18446744073709551616 reads as 1.8446744073709552e19).
        Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => None,
        Some(serde_json::Value::Number(n)) => Some(format!(
            "the number {n} is not a whole number that can be kept exactly (give it as a string)"
        )),
        Some(v) => Some(format!("{v} is not a string or a number")),
    };
    if let Some(problem) = problem {
        return (None, Err(bad("profile_id", problem, ID_ALLOWED)));
    }
    let rest = serde_json::Value::Object(map).to_string();
    (id, from_json(&rest))
}

/// [`Profile::from_json`], with a line that is not JSON at all blamed on the line as a whole
/// (the path-tracking parser has no field to name then and says `?`).
fn from_json(text: &str) -> Result<Profile, ProfileError> {
    Profile::from_json(text).map_err(|mut e| {
        if e.field == "?" {
            e.field = "(profile)".into();
            e.problem = format!("malformed JSON: {}", e.problem);
            e.allowed = "one JSON object per line".into();
        }
        e
    })
}

/// Text form of a JSON `profile_id` (strings without quotes).
pub fn id_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A profile as read: its id, where it is in the file, and the profile or why not.
pub struct Parsed {
    pub id: String,
    /// Line (CSV, JSON Lines) or 1-based row (Parquet) in the input file.
    pub line: u64,
    pub profile: Result<Profile, ProfileError>,
}

/// A typed Parquet column of one chunk.
pub(crate) enum PqColumn {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
    Ints(Vec<Option<Vec<Option<i64>>>>),
}

impl PqColumn {
    fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            PqColumn::Int(v) => v[i].map_or(Cell::Null, Cell::Int),
            PqColumn::Float(v) => v[i].map_or(Cell::Null, Cell::Float),
            PqColumn::Bool(v) => v[i].map_or(Cell::Null, Cell::Bool),
            PqColumn::Text(v) => v[i].as_deref().map_or(Cell::Null, text_cell),
            PqColumn::Ints(v) => v[i].clone().map_or(Cell::Null, Cell::Ints),
        }
    }
}

fn text_cell(s: &str) -> Cell<'_> {
    let t = s.trim();
    if t.is_empty() {
        Cell::Null
    } else {
        Cell::Text(t)
    }
}

/// A chunk of raw profiles, in file order (opaque: see [`RawChunk::parse`]).
pub struct RawChunk(Raw);

enum Raw {
    Csv {
        columns: Arc<Columns>,
        /// (line, record)
        rows: Vec<(u64, csv::ByteRecord)>,
        /// Position of the first profile in the file (0-based).
        first: u64,
    },
    Jsonl {
        /// (line, text; none when the line is not UTF-8)
        lines: Vec<(u64, Option<String>)>,
        first: u64,
    },
    Parquet {
        columns: Arc<Columns>,
        data: Vec<PqColumn>,
        len: usize,
        first: u64,
    },
}

impl RawChunk {
    /// Profiles in the chunk.
    pub fn len(&self) -> usize {
        match &self.0 {
            Raw::Csv { rows, .. } => rows.len(),
            Raw::Jsonl { lines, .. } => lines.len(),
            Raw::Parquet { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th profile of the chunk. Pure, so chunks parse in parallel.
    pub fn parse(&self, i: usize) -> Parsed {
        match &self.0 {
            Raw::Csv {
                columns,
                rows,
                first,
            } => {
                let (line, rec) = &rows[i];
                // The row's own id where it has one, even when the row is malformed.
                let default_id = || {
                    columns
                        .fields
                        .iter()
                        .position(|f| *f == Column::ProfileId)
                        .and_then(|k| rec.get(k))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .filter(|s| !s.is_empty() && s.len() <= MAX_ID_BYTES)
                        .map(str::to_string)
                        .unwrap_or_else(|| (first + i as u64 + 1).to_string())
                };
                if rec.len() != columns.fields.len() {
                    return Parsed {
                        id: default_id(),
                        line: *line,
                        profile: Err(bad(
                            "(row)",
                            format!(
                                "{} fields where the header has {}",
                                rec.len(),
                                columns.fields.len()
                            ),
                            "one field per header column",
                        )),
                    };
                }
                let mut texts = Vec::with_capacity(rec.len());
                for (k, b) in rec.iter().enumerate() {
                    match std::str::from_utf8(b) {
                        Ok(s) => texts.push(s),
                        Err(_) => {
                            return Parsed {
                                id: default_id(),
                                line: *line,
                                profile: Err(bad(
                                    &columns.names[k],
                                    "not valid UTF-8".into(),
                                    "UTF-8 text",
                                )),
                            };
                        }
                    }
                }
                let (id, profile) = build_profile(columns, |k| text_cell(texts[k]));
                Parsed {
                    id: id.unwrap_or_else(default_id),
                    line: *line,
                    profile,
                }
            }
            Raw::Jsonl { lines, first } => {
                let (line, text) = &lines[i];
                let (id, profile) = match text {
                    Some(t) => parse_json_line(t),
                    None => (
                        None,
                        Err(bad("(profile)", "not valid UTF-8".into(), "UTF-8 text")),
                    ),
                };
                Parsed {
                    id: id
                        .map(|v| id_text(&v))
                        .unwrap_or_else(|| (first + i as u64 + 1).to_string()),
                    line: *line,
                    profile,
                }
            }
            Raw::Parquet {
                columns,
                data,
                first,
                ..
            } => {
                let (id, profile) = build_profile(columns, |k| data[k].cell(i));
                let row = first + i as u64 + 1;
                Parsed {
                    id: id.unwrap_or_else(|| row.to_string()),
                    line: row,
                    profile,
                }
            }
        }
    }
}

/// Reads a profiles file chunk by chunk.
pub trait ProfileSource: Send {
    /// The next at most `max` profiles, or `None` at the end of the file.
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>>;
    /// How far the reading has got and how far it goes, in the source's own unit (bytes or
    /// rows), for the progress bar.
    fn progress(&self) -> (u64, u64);
}

/// Opens a profiles file in the given format.
pub fn open(path: &Path, format: InputFormat) -> Result<Box<dyn ProfileSource>> {
    Ok(match format {
        InputFormat::Csv => Box::new(CsvSource::open(path)?),
        InputFormat::Jsonl => Box::new(JsonlSource::open(path)?),
        InputFormat::Parquet => Box::new(ParquetSource::open(path)?),
    })
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Every profile of a whole profiles file already in memory, in file order, parsed exactly as
/// `lotse batch` parses it (the same readers over a byte slice instead of a file): the
/// in-memory entry point for the fuzz targets and tests. `Err` is what stops a run (a bad
/// header, a broken CSV record); a bad row is an `Err` profile in its [`Parsed`].
pub fn parse_all(bytes: &[u8], format: InputFormat) -> Result<Vec<Parsed>> {
    let mut source: Box<dyn ProfileSource + '_> = match format {
        InputFormat::Csv => Box::new(CsvSource::from_reader(
            bytes,
            "(memory)",
            bytes.len() as u64,
        )?),
        InputFormat::Jsonl => Box::new(JsonlSource::from_reader(bytes, bytes.len() as u64)),
        InputFormat::Parquet => bail!("Parquet profiles are read from a file only"),
    };
    let mut out = Vec::new();
    while let Some(chunk) = source.next_chunk(64)? {
        out.extend((0..chunk.len()).map(|i| chunk.parse(i)));
    }
    Ok(out)
}

struct CsvSource<R: std::io::Read> {
    reader: csv::Reader<R>,
    columns: Arc<Columns>,
    read: u64,
    total_bytes: u64,
}

impl CsvSource<BufReader<File>> {
    fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        CsvSource::from_reader(
            BufReader::with_capacity(1 << 20, file),
            &path.display().to_string(),
            file_len(path),
        )
    }
}

impl<R: std::io::Read> CsvSource<R> {
    /// `name` names the input in errors; `total_bytes` is its size, for the progress bar.
    fn from_reader(input: R, name: &str, total_bytes: u64) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let header = reader
            .headers()
            .with_context(|| format!("cannot read the header row of {name}"))?;
        let names: Vec<String> = header
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_string())
            .collect();
        let columns = Columns::new(names).with_context(|| name.to_string())?;
        Ok(CsvSource {
            reader,
            columns: Arc::new(columns),
            read: 0,
            total_bytes,
        })
    }
}

impl<R: std::io::Read + Send> ProfileSource for CsvSource<R> {
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>> {
        let mut rows = Vec::with_capacity(max);
        let first = self.read;
        while rows.len() < max {
            let mut rec = csv::ByteRecord::new();
            let more = self
                .reader
                .read_byte_record(&mut rec)
                .with_context(|| format!("CSV record {}", self.read + rows.len() as u64 + 1))?;
            if !more {
                break;
            }
            let line = rec.position().map_or(0, |p| p.line());
            rows.push((line, rec));
        }
        if rows.is_empty() {
            return Ok(None);
        }
        self.read += rows.len() as u64;
        Ok(Some(RawChunk(Raw::Csv {
            columns: self.columns.clone(),
            rows,
            first,
        })))
    }

    fn progress(&self) -> (u64, u64) {
        (self.reader.position().byte(), self.total_bytes)
    }
}

struct JsonlSource<R: BufRead> {
    reader: R,
    line: u64,
    read: u64,
    bytes: u64,
    total_bytes: u64,
}

impl JsonlSource<BufReader<File>> {
    fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(JsonlSource::from_reader(
            BufReader::with_capacity(1 << 20, file),
            file_len(path),
        ))
    }
}

impl<R: BufRead> JsonlSource<R> {
    fn from_reader(reader: R, total_bytes: u64) -> Self {
        JsonlSource {
            reader,
            line: 0,
            read: 0,
            bytes: 0,
            total_bytes,
        }
    }
}

impl<R: BufRead + Send> ProfileSource for JsonlSource<R> {
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>> {
        let mut lines = Vec::with_capacity(max);
        let first = self.read;
        while lines.len() < max {
            let mut buf = Vec::new();
            let n = self
                .reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("reading line {}", self.line + 1))?;
            if n == 0 {
                break;
            }
            self.line += 1;
            self.bytes += n as u64;
            // A line that is not UTF-8 becomes a rejected profile (`None`), not a failed run.
            let text = match String::from_utf8(buf) {
                Ok(t) => {
                    // A byte-order mark (as some editors and Excel write) is not part of line 1.
                    let t = if self.line == 1 {
                        t.trim_start_matches('\u{feff}')
                    } else {
                        &t
                    };
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    Some(t.to_string())
                }
                Err(_) => None,
            };
            lines.push((self.line, text));
        }
        if lines.is_empty() {
            return Ok(None);
        }
        self.read += lines.len() as u64;
        Ok(Some(RawChunk(Raw::Jsonl { lines, first })))
    }

    fn progress(&self) -> (u64, u64) {
        (self.bytes, self.total_bytes)
    }
}

/// Parquet, read slice by slice with the footer read once: each call decodes only the row
/// groups the slice touches, so memory stays at one chunk whatever the file size.
struct ParquetSource {
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

/// What a profile field's Parquet column may hold, for errors.
fn expected_type(c: &Column) -> &'static str {
    match c {
        Column::ProfileId => "text, a whole number or a date",
        Column::Profile(f) => match f {
            Field::Adults => "a whole number",
            Field::Children => "a list of whole numbers, or text such as `2;8`",
            Field::Workplace => "text (or a whole-number AGS)",
            Field::Car | Field::RentWithinBudget => "a boolean (or text true/false)",
            Field::TownSize | Field::Lang | Field::Aggregation => "text",
            _ => "a number (integer or float)",
        },
    }
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

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
fn iso_date(days: i32) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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
    fn open(path: &Path) -> Result<Self> {
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
                    expected_type(f)
                );
            };
            if how == Stored::Date && *f != Column::ProfileId {
                bail!(
                    "{}: column `{name}` holds dates; `{name}` expects {}",
                    path.display(),
                    expected_type(f)
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
                expected_type(field)
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

    #[test]
    fn parse_all_reads_csv_and_json_lines_from_memory() {
        let csv = "profile_id,adults,children,workplace\n\
                   a,2,3;7,Dresden\n\
                   ,0,,\n\
                   c,2,3;x,\"51.05,13.74\"\n\
                   d,1\n";
        let rows = parse_all(csv.as_bytes(), InputFormat::Csv).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "2", "c", "d"]);
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 4, 5]
        );
        assert!(rows[0].profile.is_ok());
        assert_eq!(
            rows[1]
                .profile
                .as_ref()
                .unwrap()
                .validate()
                .unwrap_err()
                .field,
            "adults"
        );
        assert_eq!(rows[2].profile.as_ref().unwrap_err().field, "children[1]");
        assert_eq!(rows[3].profile.as_ref().unwrap_err().field, "(row)");
        let e = parse_all(b"adults,childern\n2,3\n", InputFormat::Csv)
            .err()
            .unwrap();
        assert!(
            format!("{e:#}").contains("unknown column `childern`"),
            "{e:#}"
        );

        let jsonl =
            b"{\"adults\": 1}\n\n{\"profile_id\": \"z\", \"adults\": 2}\n{\"adults\": \xff}\n";
        let rows = parse_all(jsonl, InputFormat::Jsonl).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1", "z", "3"]);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3, 4]);
        assert_eq!(
            rows[2].profile.as_ref().unwrap_err().problem,
            "not valid UTF-8"
        );
        assert!(parse_all(b"", InputFormat::Parquet).is_err());
    }
}
