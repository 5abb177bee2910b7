//! The flat profile columns of CSV and Parquet files and Arrow tables, and a profile from a flat
//! record: the one place that says how a cell becomes a profile field, read by `lotse batch`
//! (CSV, Parquet) and by the Python package (polars, pandas, pyarrow), so both accept exactly
//! the same profiles.
//!
//! One column per profile field, named as in JSON; nested fields with dots. The names are
//! `profile_id` and those of the profile's field table ([`crate::fields`]). An empty cell (or
//! a Parquet null) leaves the field at its default, exactly as a missing JSON field does.
//!
//! | column | cell |
//! |---|---|
//! | `profile_id` | optional; text of at most 256 bytes, a whole number, in Parquet also a date (default: the profile's 1-based position in the file) |
//! | `adults` | required column; whole number 1–10 |
//! | `children` | ages separated by `;` (or `,`), e.g. `2;8`; empty or `none` for none; in Parquet also a list of integers |
//! | `rent_budget_eur`, `income_eur`, `living_space_m2`, `max_commute_km`, `max_commute_min` | number (decimal point) |
//! | `workplace` | one or several (`;`) of: an AGS, a municipality name, or `lat,lon` |
//! | `car` | `true`/`false` (also `1`/`0`, `yes`/`no`) |
//! | `weights.<criterion>` | number 0–5, e.g. `weights.childcare` |
//! | `must.within_km.<facility>` | km, e.g. `must.within_km.gymnasium` |
//! | `must.rent_within_budget` | `true`/`false` |
//! | `must.max_rent_share_pct`, `must.min_population`, `must.max_population` | number |
//! | `rent_budget_basis`, `town_size`, `lang`, `aggregation` | as in JSON (`warm`, `small_town`, `en`, `geometric`) |
//!
//! An unknown column stops the run before anything is ranked (a typo such as `childern` must
//! not silently fall back to a default); a bad cell rejects only its row.

use crate::fields::Field;
use crate::profile::{
    Aggregation, Lang, LatLon, Profile, ProfileError, RentBasis, TownSize, Workplace,
};
use serde::Deserialize;
use serde::de::IntoDeserializer;

/// What a column of a flat profile file holds: the profile's id, or one field of the profile
/// (named as in the one field table, [`crate::fields`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Column {
    ProfileId,
    Profile(Field),
}

/// Name of the id column: not a profile field, so not in the field table.
const PROFILE_ID: &str = "profile_id";

impl Column {
    /// What a column name holds, if it names anything.
    pub fn of(name: &str) -> Option<Column> {
        if name == PROFILE_ID {
            Some(Column::ProfileId)
        } else {
            Field::from_name(name).map(Column::Profile)
        }
    }

    /// What a typed column (Parquet, Arrow) of this kind may hold, for the error that refuses a
    /// column of another type.
    pub fn expected_type(&self) -> &'static str {
        match self {
            Column::ProfileId => "text, a whole number or a date",
            Column::Profile(f) => match f {
                Field::Adults => "a whole number",
                Field::Children => "a list of whole numbers, or text such as `2;8`",
                Field::Workplace => "text (or a whole-number AGS)",
                Field::Car | Field::RentWithinBudget => "a boolean (or text true/false)",
                Field::RentBudgetBasis | Field::TownSize | Field::Lang | Field::Aggregation => {
                    "text"
                }
                _ => "a number (integer or float)",
            },
        }
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
/// A date `profile_id` is kept in this form.
pub fn iso_date(days: i32) -> String {
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

/// Every column name a flat profile file may have, for error messages and the README.
pub fn allowed_columns() -> String {
    let mut names = vec![PROFILE_ID.to_string()];
    names.extend(Field::all().map(|f| f.name().into_owned()));
    names.join(", ")
}

/// The columns of a flat file, checked once: every name known, none twice, `adults` present.
#[derive(Debug)]
pub struct Columns {
    pub fields: Vec<Column>,
    pub names: Vec<String>,
}

/// Why a set of columns cannot be read as profiles: the whole input is refused before anything
/// is ranked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ColumnsError {
    /// A name that is neither `profile_id` nor a profile field (a typo such as `childern`).
    #[error("unknown column `{name}` (column {position}); allowed: {allowed}")]
    Unknown {
        name: String,
        /// 1-based.
        position: usize,
        allowed: String,
    },
    #[error("the column `{0}` appears twice")]
    Twice(String),
    #[error("the profiles file has no `adults` column (it is the one required field)")]
    NoAdults,
}

impl Columns {
    /// Checks the column names of an input, in order.
    pub fn new(names: Vec<String>) -> Result<Self, ColumnsError> {
        let mut fields = Vec::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            let f = Column::of(n).ok_or_else(|| ColumnsError::Unknown {
                name: n.clone(),
                position: i + 1,
                allowed: allowed_columns(),
            })?;
            if fields.contains(&f) {
                return Err(ColumnsError::Twice(n.clone()));
            }
            fields.push(f);
        }
        if !fields.contains(&Column::Profile(Field::Adults)) {
            return Err(ColumnsError::NoAdults);
        }
        Ok(Columns { fields, names })
    }
}

/// One cell of a flat record, as the input stores it (text for CSV; typed for Parquet and
/// Arrow).
#[derive(Clone, Debug)]
pub enum Cell<'a> {
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

/// The error of a `profile_id` of `len` bytes, longer than [`MAX_ID_BYTES`].
pub fn id_too_long(len: usize) -> ProfileError {
    bad("profile_id", format!("{len} bytes long"), ID_ALLOWED)
}

/// A profile error naming `field`.
pub fn bad(field: &str, problem: String, allowed: &str) -> ProfileError {
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
pub fn build_profile<'a>(
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
                Field::RentBudgetBasis => {
                    p.rent_budget_basis = named::<RentBasis>(name, &c, "cold, warm")?
                }
                Field::Income => p.income_eur = Some(number(name, &c)?),
                Field::LivingSpace => p.living_space_m2 = Some(number(name, &c)?),
                Field::Workplace => p.workplace = workplaces(&c)?,
                Field::MaxCommute => p.max_commute_km = Some(number(name, &c)?),
                Field::MaxCommuteMin => p.max_commute_min = Some(number(name, &c)?),
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

/// A text cell: trimmed; empty is no value.
pub fn text_cell(s: &str) -> Cell<'_> {
    let t = s.trim();
    if t.is_empty() {
        Cell::Null
    } else {
        Cell::Text(t)
    }
}
