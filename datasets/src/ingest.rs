//! Ingest: raw files in, atlas out. This module only orchestrates the four stages of the data
//! layer, each a module that depends only on those before it:
//!
//! 1. **read** ([`crate::readers`]): every file opened and parsed, rows accounted for;
//! 2. **place** ([`crate::place`]): keys mapped onto today's municipalities, grid cells and
//!    facility points assigned by point-in-polygon;
//! 3. **indicators** ([`crate::indicators`]): every atlas column computed, no file read;
//! 4. **assemble** ([`crate::assemble`]): the atlas built, validated, the report completed.
//!
//! The progress callback is told six steps: check the files against the manifest and hash them
//! (the atlas's `input_hash`); the municipality base (register, Destatis directory, VG250
//! polygons, Zensus population, central places — older keys mapped through
//! [`crate::mergers`]); the 1 km population grid; the facility points of every point file (and
//! an OSM extract if given), checked against each source's coverage; the indicators; the atlas.
//! Reading and placing alternate, so a broken file is reported in the order it is needed.

pub use crate::assemble::Ingested;

use crate::assemble::{AtlasParts, assemble, check_coverage, hash_of};
use crate::error::{DatasetError, Result};
use crate::facility::FacilityPoint;
use crate::indicators::{self, Base};
use crate::manifest::{FileCheck, Manifest};
use crate::place::base::{place_base, place_grid};
use crate::place::points::{keep_statewide_where_available, place_points};
use crate::readers::{self, population};
use crate::report::{QualityReport, SourceReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to ingest.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// The data directory holding the files the manifest names.
    pub data_dir: PathBuf,
    /// An optional OpenStreetMap PBF extract whose facilities are added to the official ones.
    pub osm_pbf: Option<PathBuf>,
}

/// Number of progress stages [`ingest`] reports.
pub const STAGES: u64 = 6;

/// Builds the atlas from a data directory. `progress` is told each stage as it starts.
pub fn ingest(opts: &IngestOptions, progress: &mut dyn FnMut(&str)) -> Result<Ingested> {
    let manifest = Manifest::default_manifest()?;
    let dir = &opts.data_dir;
    if !dir.is_dir() {
        return Err(DatasetError::MissingDataDir { path: dir.clone() });
    }
    let mut report = QualityReport::default();

    progress("checking files against the manifest");
    let (actual_sha, mismatches) = file_hashes(&manifest, dir)?;
    report.manifest_mismatches = mismatches;
    let osm_sha = match &opts.osm_pbf {
        Some(p) => Some(crate::manifest::sha256_file(p)?),
        None => None,
    };

    progress("reading the municipality base");
    let (base, base_reports) = place_base(readers::base::read_base(&manifest, dir)?)?;
    report.sources.extend(base_reports);
    let n = base.register.municipalities.len();

    progress("placing the population grid");
    let grid = manifest.get("population_grid")?;
    let (cells, mut rep_grid) = population::read_grid(&dir.join(&grid.file), &grid.id)?;
    let cells_of = place_grid(cells, &mut rep_grid, &base.locator, n);
    report.sources.push(rep_grid);
    let mut munis = base.municipalities(&cells_of)?;

    progress("reading facility points");
    let (points, mut point_reports) = read_facilities(&manifest, dir, opts.osm_pbf.as_deref())?;
    let placed = place_points(points, &base.locator, &manifest, &munis, &mut point_reports);
    let placed = keep_statewide_where_available(placed, &manifest, &mut point_reports);
    report.sources.extend(point_reports);

    progress("computing indicators");
    let tables = readers::tables::read_tables(&manifest, dir)?;
    let b = Base {
        municipalities: &munis,
        population: &base.population,
        area_km2: &base.area_km2,
        cells: &cells_of,
        pop_old: &base.pop_old,
        ars_of_old: &base.ars_of_old,
        manifest: &manifest,
        locator: &base.locator,
    };
    let mut columns = indicators::base_indicators(&b);
    columns.extend(indicators::facility_indicators(&b, &placed));
    columns.extend(indicators::central_place_indicators(&b));
    let (table_columns, table_reports) = indicators::table_indicators(&b, tables);
    columns.extend(table_columns);
    report.sources.extend(table_reports);
    let stations = indicators::nearest_stations(&b, &placed);
    let places = indicators::nearest_places(&b, &placed);
    for (m, station) in munis.iter_mut().zip(stations) {
        m.station = station;
    }

    let help_file = manifest.get("help_contacts")?;
    let (help, rep_help) =
        readers::help::read_help_contacts(&dir.join(&help_file.file), &help_file.id)?;
    report.sources.push(rep_help);
    check_coverage(&manifest, dir, &mut report.sources)?;

    progress("assembling the atlas");
    let osm = match (&opts.osm_pbf, &osm_sha) {
        (Some(p), Some(sha)) => Some((p.as_path(), sha.as_str())),
        _ => None,
    };
    let parts = AtlasParts {
        manifest: &manifest,
        dir,
        sha256: &actual_sha,
        osm,
        districts: &base.register.districts,
        municipalities: munis,
        indicators: columns,
        help,
        places,
        locator: &base.locator,
    };
    assemble(parts, report)
}

/// SHA-256 of every manifest file in `dir` (an error naming the first missing file), and a line
/// per file whose bytes differ from the manifest.
fn file_hashes(manifest: &Manifest, dir: &Path) -> Result<(BTreeMap<String, String>, Vec<String>)> {
    let mut actual = BTreeMap::new();
    let mut mismatches = Vec::new();
    for (entry, check) in manifest.verify(dir) {
        match check {
            FileCheck::Ok => {
                actual.insert(entry.id.clone(), entry.sha256.clone());
            }
            FileCheck::Missing => {
                return Err(DatasetError::Missing {
                    path: dir.join(&entry.file),
                });
            }
            FileCheck::Mismatch { actual: sha, .. } => {
                mismatches.push(format!(
                    "{} ({}): SHA-256 {sha} differs from the manifest",
                    entry.file, entry.id
                ));
                actual.insert(entry.id.clone(), sha);
            }
        }
    }
    Ok((actual, mismatches))
}

/// The `input_hash` an ingest of `dir` (and the OSM extract) would give, without ingesting:
/// the key of the atlas cache.
pub fn input_hash(dir: &Path, osm: Option<&Path>) -> Result<String> {
    let manifest = Manifest::default_manifest()?;
    if !dir.is_dir() {
        return Err(DatasetError::MissingDataDir {
            path: dir.to_path_buf(),
        });
    }
    let (actual, _) = file_hashes(&manifest, dir)?;
    let osm_sha = osm.map(crate::manifest::sha256_file).transpose()?;
    let mut pairs: Vec<(&str, &str)> = manifest
        .source
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                actual.get(&e.id).map(String::as_str).unwrap_or(""),
            )
        })
        .collect();
    if let Some(sha) = &osm_sha {
        pairs.push(("osm_extract", sha));
    }
    Ok(hash_of(pairs.into_iter()))
}

/// Reads every point file of the manifest (and the OSM extract): the points, the point files'
/// reports, then the lookup files' reports.
fn read_facilities(
    manifest: &Manifest,
    dir: &Path,
    osm: Option<&Path>,
) -> Result<(Vec<FacilityPoint>, Vec<SourceReport>)> {
    let read = readers::facilities::read_point_sources(manifest, dir)?;
    let (mut points, mut reports) = (read.points, read.reports);
    reports.extend(read.lookup_reports);
    if let Some(pbf) = osm {
        let (pts, rep) = readers::osm::read_osm_pbf(pbf, "osm_extract")?;
        points.extend(pts);
        reports.push(rep);
    }
    Ok((points, reports))
}
