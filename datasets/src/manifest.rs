//! The manifest (`datasets/sources.toml`): every raw file lotse reads, with its publisher,
//! licence, reference date, origin and SHA-256. It is compiled into the binary, so `lotse data
//! verify` can check any data directory against it and every atlas column can cite its source.

use crate::error::{DatasetError, Result};
use crate::facility::Category;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest of the default data set, as shipped.
pub const DEFAULT_MANIFEST: &str = include_str!("../sources.toml");

/// Environment variable that names the data directory when `--data-dir` is not given.
pub const DATA_DIR_ENV: &str = "LOTSE_DATA";

/// One raw file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub id: String,
    /// Path relative to the data directory.
    pub file: String,
    pub theme: String,
    pub title: String,
    /// The title in German (the page and the handout show the reader's language); a manifest
    /// of one's own may leave it out (the English title is shown), the bundled one has it for
    /// every source (tested).
    #[serde(default)]
    pub title_de: String,
    pub publisher: String,
    pub licence: String,
    pub licence_confirmed: bool,
    pub attribution: String,
    pub reference_date: String,
    pub origin: String,
    pub coverage: String,
    pub sha256: String,
    /// Facility files that cover only some municipalities: their AGS.
    #[serde(default)]
    pub coverage_ags: Vec<String>,
    /// Facility files clipped to a rectangle: [west, south, east, north] in degrees.
    #[serde(default)]
    pub coverage_bbox: Option<[f64; 4]>,
    /// True when the data derives from OpenStreetMap (ODbL).
    #[serde(default)]
    pub osm: bool,
    /// The fewest municipalities of the current register the file's rows must reach (a keyed
    /// table: the municipalities its keys map to; a facility list: those with at least one of
    /// its points; the grid: those with a populated cell). An ingest whose rows reach fewer —
    /// rows rejected as implausible, a cut file, an empty list — fails naming the shortfall.
    #[serde(default)]
    pub min_municipalities: Option<usize>,
    /// How to read the file as facility points without code of its own: a CSV or GeoJSON file
    /// with coordinates, a name and a category (see [`PointLayout`]). Files in other shapes have
    /// a reader in `readers/facilities/` listed in its registry.
    #[serde(default)]
    pub points: Option<PointLayout>,
}

/// The format of a declared point file.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PointFormat {
    /// A delimited table with header.
    Csv,
    /// A GeoJSON FeatureCollection of Point features.
    Geojson,
}

/// Where a declared point file keeps a point's coordinates, name and category: the manifest
/// entry is all a new point source in one of these shapes needs.
///
/// Every row is one point: kept, or rejected as [`crate::report::Reject::OutOfScope`] (a
/// category value `categories` does not list) or [`crate::report::Reject::BadCoordinate`].
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PointLayout {
    pub format: PointFormat,
    /// CSV field separator (one character); `,` when not given.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Column (CSV) or feature property (GeoJSON) of the longitude and latitude (WGS84, decimal
    /// point or comma). A GeoJSON file without them is read at its Point geometry.
    #[serde(default)]
    pub lon: Option<String>,
    #[serde(default)]
    pub lat: Option<String>,
    /// Column or property of the facility's name (optional: points may be unnamed).
    #[serde(default)]
    pub name: Option<String>,
    /// The category of every row, when the file holds one kind of facility.
    #[serde(default)]
    pub category: Option<Category>,
    /// Column or property whose value gives the category through `categories`.
    #[serde(default)]
    pub category_column: Option<String>,
    /// Value of `category_column` → category; rows with other values are out of scope.
    #[serde(default)]
    pub categories: BTreeMap<String, Category>,
}

impl PointLayout {
    /// A layout the reader can follow, else why not (named with the source id).
    fn check(&self, id: &str) -> std::result::Result<(), String> {
        let problem = if self.lon.is_some() != self.lat.is_some() {
            Some("names only one of lon and lat")
        } else if self.format == PointFormat::Csv && self.lon.is_none() {
            Some("is a CSV file and must name its lon and lat columns")
        } else if self.format == PointFormat::Geojson && self.delimiter.is_some() {
            Some("is GeoJSON and cannot have a delimiter")
        } else if self.delimiter.is_some_and(|d| !d.is_ascii()) {
            Some("has a delimiter that is not one ASCII character")
        } else {
            match (&self.category, &self.category_column) {
                (Some(_), None) if self.categories.is_empty() => None,
                (None, Some(_)) if !self.categories.is_empty() => None,
                _ => {
                    Some("must give either `category`, or `category_column` with its `categories`")
                }
            }
        };
        match problem {
            Some(p) => Err(format!("source {id:?}: the point layout {p}")),
            None => Ok(()),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub source: Vec<SourceEntry>,
}

/// The state of one file against the manifest.
#[derive(Clone, Debug, PartialEq)]
pub enum FileCheck {
    Ok,
    Missing,
    /// The file exists but its bytes differ: (expected, actual) SHA-256.
    Mismatch {
        expected: String,
        actual: String,
    },
}

impl Manifest {
    /// The manifest compiled into this build.
    pub fn default_manifest() -> Result<Manifest> {
        Self::parse(DEFAULT_MANIFEST)
    }

    pub fn parse(text: &str) -> Result<Manifest> {
        let m: Manifest =
            toml::from_str(text).map_err(|e| DatasetError::Manifest(e.to_string()))?;
        let mut ids: Vec<&str> = m.source.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(DatasetError::Manifest(format!(
                "duplicate source id {:?}",
                w[0]
            )));
        }
        for e in &m.source {
            if let Some(layout) = &e.points {
                layout.check(&e.id).map_err(DatasetError::Manifest)?;
            }
        }
        Ok(m)
    }

    /// The entry with this id; an error (a programming error in the readers' wiring, not a user
    /// error) if absent.
    pub fn get(&self, id: &str) -> Result<&SourceEntry> {
        self.source
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| DatasetError::Manifest(format!("no source with id {id:?}")))
    }

    /// Checks every file of the manifest in `data_dir`.
    pub fn verify(&self, data_dir: &Path) -> Vec<(&SourceEntry, FileCheck)> {
        self.source
            .iter()
            .map(|s| {
                let path = data_dir.join(&s.file);
                let check = match sha256_file(&path) {
                    Err(_) => FileCheck::Missing,
                    Ok(actual) if actual == s.sha256 => FileCheck::Ok,
                    Ok(actual) => FileCheck::Mismatch {
                        expected: s.sha256.clone(),
                        actual,
                    },
                };
                (s, check)
            })
            .collect()
    }
}

/// SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = crate::error::read_file(path)?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// SHA-256 of a byte string, lowercase hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the raw data lives: the explicit flag, else `$LOTSE_DATA`, else `../shared/data/raw`
/// beside the repository (the layout of a checkout next to the shared data).
pub fn resolve_data_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    repo_root().join("../shared/data/raw")
}

/// The repository root: the workspace this crate was built in. Used for default paths only.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: every source's title exists in both languages (the page and the handout show
    /// the reader's), and a German title is not just the English one left untranslated where
    /// the English has English words.
    #[test]
    fn every_source_has_a_german_title() {
        for e in &Manifest::default_manifest().unwrap().source {
            assert!(!e.title_de.trim().is_empty(), "{} has no title_de", e.id);
            for english in [" and ", " with ", " per ", "(current", "Public ", "Railway"] {
                assert!(!e.title_de.contains(english), "{}: {}", e.id, e.title_de);
            }
        }
    }

    #[test]
    fn default_manifest_parses_and_ids_are_unique() {
        let m = Manifest::default_manifest().unwrap();
        assert!(m.source.len() >= 25);
        assert!(m.get("vg250").is_ok());
        assert!(m.get("nope").is_err());
    }

    /// A manifest entry with every required field, for `id` and `file`.
    fn entry(id: &str, file: &str) -> String {
        format!(
            "[[source]]\nid = \"{id}\"\nfile = \"{file}\"\ntheme = \"t\"\ntitle = \"t\"\ntitle_de = \"t\"\npublisher = \"p\"\n\
             licence = \"l\"\nlicence_confirmed = true\nattribution = \"a\"\nreference_date = \"2020\"\n\
             origin = \"o\"\ncoverage = \"c\"\nsha256 = \"00\"\n"
        )
    }

    #[test]
    fn point_layouts_are_checked_when_the_manifest_is_read() {
        let with = |layout: &str| {
            Manifest::parse(&format!("{}[source.points]\n{layout}", entry("p", "p.csv")))
        };
        let ok =
            with("format = \"csv\"\nlon = \"x\"\nlat = \"y\"\ncategory = \"library\"").unwrap();
        let layout = ok.source[0].points.as_ref().expect("a layout");
        assert_eq!(layout.category, Some(Category::Library));
        assert!(
            with(
                "format = \"geojson\"\ncategory_column = \"k\"\ncategories = { \"A\" = \"pool\" }"
            )
            .is_ok()
        );
        for bad in [
            // A CSV file without its coordinate columns.
            "format = \"csv\"\ncategory = \"library\"",
            // Only one of lon and lat.
            "format = \"geojson\"\nlon = \"x\"\ncategory = \"library\"",
            // Neither a category nor a mapping; both; a column without its mapping.
            "format = \"geojson\"",
            "format = \"geojson\"\ncategory = \"pool\"\ncategory_column = \"k\"\ncategories = { \"A\" = \"pool\" }",
            "format = \"geojson\"\ncategory_column = \"k\"",
            // A delimiter for GeoJSON.
            "format = \"geojson\"\ndelimiter = \";\"\ncategory = \"pool\"",
        ] {
            let err = with(bad).unwrap_err().to_string();
            assert!(
                err.contains("source \"p\": the point layout"),
                "{bad}: {err}"
            );
        }
        // An unknown category or field is a parse error, not a silent default.
        assert!(with("format = \"geojson\"\ncategory = \"spa\"").is_err());
        assert!(with("format = \"geojson\"\ncategory = \"pool\"\nlongitude = \"x\"").is_err());
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let one = entry("a", "a.csv");
        assert!(Manifest::parse(&one).is_ok());
        let two = format!("{one}\n{one}");
        assert!(
            Manifest::parse(&two)
                .unwrap_err()
                .to_string()
                .contains("duplicate")
        );
    }

    #[test]
    fn verify_reports_missing_and_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), b"x").unwrap();
        let m =
            Manifest::parse(&format!("{}{}", entry("a", "a.csv"), entry("b", "b.csv"))).unwrap();
        let checks = m.verify(dir.path());
        assert!(
            matches!(&checks[0].1, FileCheck::Mismatch { actual, .. } if actual == &sha256_bytes(b"x"))
        );
        assert_eq!(checks[1].1, FileCheck::Missing);
    }
}
