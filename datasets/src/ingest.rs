//! Ingest: raw files in, atlas out.
//!
//! The steps, in order (each is one stage of the progress callback):
//! 1. check the files against the manifest and hash them (the atlas's `input_hash`);
//! 2. the municipality base: current register (rows of the atlas), Destatis directory (area,
//!    reference point), VG250 polygons, Zensus population — older keys mapped through
//!    [`crate::mergers`];
//! 3. the 1 km population grid, each cell assigned to the municipality containing its centre;
//! 4. facility points from every facility file (and an OSM extract if given), each assigned by
//!    point-in-polygon and checked against its source's coverage;
//! 5. the indicators ([`crate::indicators`]) and the atlas, validated before it is returned.

use crate::error::{DatasetError, Result};
use crate::facility::{Category, FacilityPoint};
use crate::indicators::{self, Base};
use crate::manifest::{FileCheck, Manifest, SourceEntry, sha256_bytes};
use crate::mergers::{predecessors, successor};
use crate::readers::{self, boundaries, municipalities, population};
use crate::report::{QualityReport, Reject, SourceReport};
use crate::spatial::MunicipalityLocator;
use scoring::atlas::{ATLAS_FORMAT_VERSION, Atlas, District, Municipality, Source};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What to ingest.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// The data directory holding the files the manifest names.
    pub data_dir: PathBuf,
    /// An optional OpenStreetMap PBF extract whose facilities are added to the official ones.
    pub osm_pbf: Option<PathBuf>,
}

/// The result of an ingest.
pub struct Ingested {
    pub atlas: Atlas,
    pub report: QualityReport,
    /// Municipality boundaries as GeoJSON (for maps), in the atlas's row order.
    pub boundaries_geojson: String,
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

    let path = |id: &str| -> Result<(PathBuf, &SourceEntry)> {
        let e = manifest.get(id)?;
        Ok((dir.join(&e.file), e))
    };

    progress("reading the municipality base");
    let (p, e) = path("lds_register")?;
    let (register, mut rep_register) = municipalities::read_register(&p, &e.id)?;
    let (p, e) = path("destatis_gv")?;
    let (directory, mut rep_dir) = municipalities::read_directory(&p, &e.id)?;
    let (p, e) = path("vg250")?;
    let (polygons, mut rep_poly) = boundaries::read_boundaries(&p, &e.id)?;
    let (p, e) = path("zensus_population")?;
    let (pop_rows, mut rep_pop) = population::read_population(&p, &e.id)?;
    let (p, e) = path("central_places")?;
    let (central, mut rep_central) = municipalities::read_central_places(&p, &e.id)?;

    let ags: Vec<String> = register
        .municipalities
        .iter()
        .map(|m| m.ags.clone())
        .collect();
    let index: HashMap<&str, usize> = ags
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let n = ags.len();
    rep_register.municipalities_reached = Some(n);
    report.sources.push(rep_register);

    // Population (2022 borders) per old key, and summed into the current municipalities.
    let pop_old: HashMap<String, f64> = pop_rows.iter().cloned().collect();
    let mut population = vec![None::<f64>; n];
    for (a, v) in &pop_rows {
        match index.get(successor(a)) {
            Some(&i) => *population[i].get_or_insert(0.0) += v,
            None => {
                rep_pop.rows_kept -= 1;
                rep_pop.reject(Reject::UnknownAgs);
            }
        }
    }
    note_merger(&mut rep_pop, "summed");
    rep_pop.municipalities_reached = Some(population.iter().filter(|p| p.is_some()).count());

    // Polygons: merged municipalities get the union of their parts (as a MultiPolygon).
    let mut polys: Vec<Option<geo::MultiPolygon<f64>>> = vec![None; n];
    let mut ars_of_old: HashMap<String, String> = HashMap::new();
    let (p_vg, _) = path("vg250")?;
    for (old, mp) in polygons {
        match index.get(successor(&old)) {
            Some(&i) => polys[i]
                .get_or_insert_with(|| geo::MultiPolygon(vec![]))
                .0
                .extend(mp.0),
            None => {
                rep_poly.rows_kept -= 1;
                rep_poly.reject(Reject::UnknownAgs);
            }
        }
        let _ = &old;
    }
    note_merger(&mut rep_poly, "joined into one multipolygon");
    rep_poly.municipalities_reached = Some(polys.iter().filter(|p| p.is_some()).count());
    // ARS of each 2022 municipality, from the population table's keys (same borders as VG250),
    // needed to join association tables.
    {
        let (p, _) = path("zensus_population")?;
        let t = crate::table::Table::read(&p, b';')?;
        let c = t.col("1_variable_attribute_code")?;
        for row in &t.rows {
            let ars = t.text(row, c);
            if let Some(a) = crate::text::ars_to_ags(ars) {
                ars_of_old.insert(a, ars.to_string());
            }
        }
    }
    let mut missing_poly = Vec::new();
    let polys: Vec<geo::MultiPolygon<f64>> = polys
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            p.unwrap_or_else(|| {
                missing_poly.push(ags[i].clone());
                geo::MultiPolygon(vec![])
            })
        })
        .collect();
    if !missing_poly.is_empty() {
        return Err(DatasetError::format(
            p_vg,
            format!("no boundary for municipalities {}", missing_poly.join(", ")),
        ));
    }

    // Directory: area summed, reference point of the most populous predecessor.
    let mut area = vec![None::<f64>; n];
    let mut refpoint: Vec<Option<(f64, f64, f64)>> = vec![None; n];
    for d in &directory {
        match index.get(successor(&d.ags)) {
            Some(&i) => {
                *area[i].get_or_insert(0.0) += d.area_km2;
                if refpoint[i].is_none_or(|(_, _, p)| d.population_2019 > p) {
                    refpoint[i] = Some((d.lon, d.lat, d.population_2019));
                }
            }
            None => {
                rep_dir.rows_kept -= 1;
                rep_dir.reject(Reject::UnknownAgs);
            }
        }
    }
    rep_dir.municipalities_reached = Some(area.iter().filter(|a| a.is_some()).count());
    let mut report_ref_moves: Vec<String> = Vec::new();
    note_merger(
        &mut rep_dir,
        "areas summed; reference point of the more populous predecessor",
    );
    let locator = MunicipalityLocator::new(polys);
    // A reference point must lie inside its municipality. The generalised boundaries cut a few
    // official points off: those move just inside, by the shortest way, and the report says so.
    for (i, rp) in refpoint.iter_mut().enumerate() {
        if let Some((lon, lat, _)) = rp
            && locator.locate(*lon, *lat) != Some(i)
        {
            let (nlon, nlat) = crate::spatial::nearest_inside(locator.polygon(i), (*lon, *lat));
            report_ref_moves.push(format!(
                "reference point of {} moved {:.0} m into its generalised boundary",
                ags[i],
                crate::spatial::distance_km((*lon, *lat), (nlon, nlat)) * 1000.0
            ));
            (*lon, *lat) = (nlon, nlat);
        }
    }

    for m in report_ref_moves {
        rep_dir.note(m);
    }
    let mut hits = vec![false; n];
    for a in central.keys() {
        if let Some(&i) = index.get(successor(a)) {
            hits[i] = true;
        }
    }
    rep_central.municipalities_reached = Some(hits.iter().filter(|h| **h).count());
    report
        .sources
        .extend([rep_dir, rep_poly, rep_pop, rep_central]);

    progress("placing the population grid");
    let (p, e) = path("population_grid")?;
    let (cells, mut rep_grid) = population::read_grid(&p, &e.id)?;
    let mut cells_of: Vec<Vec<population::GridCell>> = vec![Vec::new(); n];
    for c in cells {
        match locator.locate(c.lon, c.lat) {
            Some(i) => cells_of[i].push(c),
            None => {
                rep_grid.rows_kept -= 1;
                rep_grid.reject(Reject::OutsideRegion);
            }
        }
    }
    let empty = cells_of.iter().filter(|c| c.is_empty()).count();
    rep_grid.municipalities_reached = Some(n - empty);
    rep_grid.note(format!(
        "cells assigned by their centre; {empty} municipalities without a populated cell fall back to their reference point"
    ));
    report.sources.push(rep_grid);

    let mut munis = Vec::with_capacity(n);
    for (i, r) in register.municipalities.iter().enumerate() {
        let Some((lon, lat, _)) = refpoint[i] else {
            let (p, _) = path("destatis_gv")?;
            return Err(DatasetError::format(
                p,
                format!(
                    "no reference point for municipality {} ({})",
                    r.ags, r.official_name
                ),
            ));
        };
        let (cw, cx, cy) = cells_of[i].iter().fold((0.0, 0.0, 0.0), |(w, x, y), c| {
            (w + c.total, x + c.total * c.lon, y + c.total * c.lat)
        });
        let (centre_lon, centre_lat) = if cw > 0.0 {
            (cx / cw, cy / cw)
        } else {
            (lon, lat)
        };
        munis.push(Municipality {
            ags: r.ags.clone(),
            name: r.short_name().to_string(),
            official_name: r.official_name.clone(),
            district_ags5: r.district_ags5.clone(),
            lon,
            lat,
            centre_lon: crate::columns::round4(centre_lon * 100.0) / 100.0,
            centre_lat: crate::columns::round4(centre_lat * 100.0) / 100.0,
            central_place: central.get(&r.ags).copied(),
            predecessors: predecessors(&r.ags),
        });
    }

    progress("reading facility points");
    let (points, point_reports) = read_facilities(&manifest, dir, opts.osm_pbf.as_deref())?;
    let mut point_reports = point_reports;
    let placed = place_points(points, &locator, &manifest, &munis, &mut point_reports);
    let placed = keep_statewide_where_available(placed, &manifest, &mut point_reports);
    report.sources.extend(point_reports);

    progress("computing indicators");
    let base = Base {
        municipalities: &munis,
        population: &population,
        area_km2: &area,
        cells: &cells_of,
        pop_old: &pop_old,
        ars_of_old: &ars_of_old,
        manifest: &manifest,
        locator: &locator,
    };
    let mut indicator_reports = Vec::new();
    let mut columns = indicators::base_indicators(&base);
    columns.extend(indicators::facility_indicators(&base, &placed));
    columns.extend(indicators::central_place_indicators(&base));
    let (cols, reps) = indicators::table_indicators(&base, dir)?;
    columns.extend(cols);
    indicator_reports.extend(reps);
    report.sources.extend(indicator_reports);

    let (p, e) = path("help_contacts")?;
    let (help, rep_help) = readers::help::read_help_contacts(&p, &e.id)?;
    report.sources.push(rep_help);
    check_coverage(&manifest, dir, &mut report.sources)?;

    progress("assembling the atlas");
    let mut sources: Vec<Source> = manifest
        .source
        .iter()
        .map(|e| Source {
            id: e.id.clone(),
            title: e.title.clone(),
            file: e.file.clone(),
            publisher: e.publisher.clone(),
            licence: e.licence.clone(),
            licence_confirmed: e.licence_confirmed,
            attribution: e.attribution.clone(),
            reference_date: e.reference_date.clone(),
            origin: e.origin.clone(),
            coverage: e.coverage.clone(),
            sha256: actual_sha.get(&e.id).cloned().unwrap_or_default(),
        })
        .collect();
    if let (Some(p), Some(sha)) = (&opts.osm_pbf, &osm_sha) {
        sources.push(osm_source(p, sha));
    }
    let districts = register
        .districts
        .iter()
        .map(|(k, v)| District {
            ags5: k.clone(),
            name: v.clone(),
        })
        .collect();
    let atlas = Atlas {
        format_version: ATLAS_FORMAT_VERSION,
        region: "Sachsen".to_string(),
        input_hash: hash_of(sources.iter().map(|s| (s.id.as_str(), s.sha256.as_str()))),
        sources,
        districts,
        municipalities: munis,
        indicators: columns,
        help,
    };
    atlas
        .validate()
        .map_err(|e| DatasetError::Manifest(format!("built atlas is inconsistent: {e}")))?;
    check_plausible(&atlas, &manifest, dir)?;
    report.municipalities = atlas.municipalities.len();
    // Name files relative to the data directory, so the report reads the same on any machine.
    for r in &mut report.sources {
        if let Ok(e) = manifest.get(&r.source) {
            r.file = e.file.clone();
        } else if let Some(p) = &opts.osm_pbf {
            r.file = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
    }
    report.indicators = atlas
        .indicators
        .iter()
        .map(|ind| {
            let mut by_reason: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (a, r) in &ind.missing {
                by_reason.entry(r.clone()).or_default().push(a.clone());
            }
            crate::report::IndicatorCoverage {
                indicator: ind.meta.id.clone(),
                with_value: ind.coverage(),
                without_value: ind.values.len() - ind.coverage(),
                missing_by_reason: by_reason,
            }
        })
        .collect();
    let boundaries_geojson = crate::atlas_file::boundaries_geojson(&atlas, &locator);
    Ok(Ingested {
        atlas,
        report,
        boundaries_geojson,
    })
}

/// Every source that declares `min_municipalities` must reach that many: else an error naming
/// each short source's file, the declared and the reached count, and its named rejected rows.
/// Fills `municipalities_declared` in the reports.
fn check_coverage(manifest: &Manifest, dir: &Path, reports: &mut [SourceReport]) -> Result<()> {
    let mut short = Vec::new();
    for e in &manifest.source {
        let Some(declared) = e.min_municipalities else {
            continue;
        };
        let Some(r) = reports
            .iter_mut()
            .find(|r| r.source == e.id && r.municipalities_reached.is_some())
        else {
            return Err(DatasetError::Manifest(format!(
                "source {:?} declares min_municipalities, but the ingest does not measure its reach",
                e.id
            )));
        };
        r.municipalities_declared = Some(declared);
        let reached = r.municipalities_reached.unwrap_or(0);
        if reached < declared {
            short.push(crate::error::Shortfall {
                path: dir.join(&e.file),
                source: e.id.clone(),
                coverage: e.coverage.clone(),
                declared,
                reached,
                rejected: r.rejected_rows_summary(5),
            });
        }
    }
    if short.is_empty() {
        Ok(())
    } else {
        Err(DatasetError::Coverage(short))
    }
}

/// Every computed value within its plausible range ([`crate::plausible`]); the error names the
/// indicator, the municipality, the range and the files the indicator rests on.
fn check_plausible(atlas: &Atlas, manifest: &Manifest, dir: &Path) -> Result<()> {
    crate::plausible::check_atlas(atlas).map_err(|e| {
        let files: Vec<String> = match &*e {
            crate::plausible::Implausible::OutOfRange { indicator, .. }
            | crate::plausible::Implausible::NoRange { indicator, .. } => atlas
                .indicator(indicator)
                .map(|i| {
                    i.meta
                        .sources
                        .iter()
                        .filter_map(|s| manifest.get(s).ok())
                        .map(|s| dir.join(&s.file).display().to_string())
                        .collect()
                })
                .unwrap_or_default(),
        };
        DatasetError::Implausible {
            message: format!("{e} (computed from {})", files.join(", ")),
        }
    })
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

/// The atlas's `input_hash`: format version plus every source id with its file's SHA-256.
fn hash_of<'a>(sources: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = format!("lotse-atlas-v{ATLAS_FORMAT_VERSION}\n");
    for (id, sha) in sources {
        text.push_str(&format!("{id} {sha}\n"));
    }
    sha256_bytes(text.as_bytes())
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

fn note_merger(rep: &mut SourceReport, how: &str) {
    for (old, new) in crate::mergers::MERGERS {
        rep.note(format!("merger: {old} → {new} ({how})"));
    }
}

/// The manifest-like source entry for a user's OSM extract.
fn osm_source(path: &Path, sha: &str) -> Source {
    Source {
        id: "osm_extract".to_string(),
        title: "OpenStreetMap extract brought by the user".to_string(),
        file: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        publisher: "OpenStreetMap contributors".to_string(),
        licence: "ODbL 1.0".to_string(),
        licence_confirmed: true,
        attribution: "© OpenStreetMap contributors (ODbL)".to_string(),
        reference_date: "as of the extract".to_string(),
        origin: "user-supplied PBF".to_string(),
        coverage: "the extract's area (assumed to cover the region)".to_string(),
        sha256: sha.to_string(),
    }
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

/// A facility point with the municipality it lies in.
#[derive(Clone, Debug)]
pub struct PlacedPoint {
    pub point: FacilityPoint,
    pub municipality: usize,
}

/// Assigns every point to its municipality; rejects points outside the region or outside their
/// source's coverage, and notes how often a source's own AGS disagrees with the polygons.
fn place_points(
    points: Vec<FacilityPoint>,
    locator: &MunicipalityLocator,
    manifest: &Manifest,
    munis: &[Municipality],
    reports: &mut [SourceReport],
) -> Vec<PlacedPoint> {
    let mut out = Vec::with_capacity(points.len());
    let mut disagree: BTreeMap<String, usize> = BTreeMap::new();
    let mut reach: Vec<Vec<bool>> = vec![vec![false; munis.len()]; reports.len()];
    for pt in points {
        let rep = reports.iter_mut().find(|r| r.source == pt.source);
        let Some(i) = locator.locate(pt.lon, pt.lat) else {
            if let Some(r) = rep {
                *r.points_rejected.entry(Reject::OutsideRegion).or_default() += 1;
            }
            continue;
        };
        let coverage = manifest
            .get(&pt.source)
            .map(|e| e.coverage_ags.clone())
            .unwrap_or_default();
        if !coverage.is_empty() && !coverage.contains(&munis[i].ags) {
            if let Some(r) = rep {
                *r.points_rejected
                    .entry(Reject::OutsideCoverage)
                    .or_default() += 1;
            }
            continue;
        }
        if let Some(r) = rep {
            r.points_placed += 1;
        }
        if let Some(k) = reports.iter().position(|r| r.source == pt.source) {
            reach[k][i] = true;
        }
        if let Some(h) = &pt.ags_hint
            && successor(h) != munis[i].ags
        {
            *disagree.entry(pt.source.clone()).or_default() += 1;
        }
        out.push(PlacedPoint {
            point: pt,
            municipality: i,
        });
    }
    for (r, hits) in reports.iter_mut().zip(reach) {
        r.municipalities_reached = Some(hits.iter().filter(|h| **h).count());
    }
    for (src, k) in disagree {
        if let Some(r) = reports.iter_mut().find(|r| r.source == src) {
            r.note(format!(
                "{k} point(s) lie in another municipality than the one the source names (the polygons decide)"
            ));
        }
    }
    out
}

/// Which points serve each category, by tier: a curated statewide source (e.g. the
/// Schuldatenbank) is used alone; else an OpenStreetMap extract, merged with the curated
/// one-city files (same name within 150 m = one facility, the curated point kept); else the
/// one-city files alone. A one-city list beside a statewide one would repeat its facilities and
/// make the one city it covers look better equipped than every other; OSM beside a curated
/// statewide list would count a school twice (and OSM often maps one as node and grounds).
fn keep_statewide_where_available(
    placed: Vec<PlacedPoint>,
    manifest: &Manifest,
    reports: &mut [SourceReport],
) -> Vec<PlacedPoint> {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Tier {
        Curated,
        Osm,
        Partial,
    }
    let tier = |src: &str| match manifest.get(src) {
        Err(_) => Tier::Osm,
        Ok(e) if e.coverage_ags.is_empty() && e.coverage_bbox.is_none() => Tier::Curated,
        Ok(_) => Tier::Partial,
    };
    let mut best: BTreeMap<Category, Tier> = BTreeMap::new();
    for p in &placed {
        let t = tier(&p.point.source);
        let e = best.entry(p.point.category).or_insert(t);
        *e = (*e).min(t);
    }
    let mut dropped: BTreeMap<(String, Category), usize> = BTreeMap::new();
    let mut kept = Vec::with_capacity(placed.len());
    let mut osm_merge: BTreeMap<Category, Vec<PlacedPoint>> = BTreeMap::new();
    for p in placed {
        let (t, b) = (tier(&p.point.source), best[&p.point.category]);
        let use_it = match b {
            Tier::Curated => t == Tier::Curated,
            Tier::Osm | Tier::Partial => t != Tier::Curated,
        };
        if !use_it {
            *dropped
                .entry((p.point.source.clone(), p.point.category))
                .or_default() += 1;
        } else if b == Tier::Osm {
            osm_merge.entry(p.point.category).or_default().push(p);
        } else {
            kept.push(p);
        }
    }
    for (_, mut group) in osm_merge {
        // Curated one-city points first, so a merge keeps them.
        group.sort_by_key(|p| tier(&p.point.source) != Tier::Partial);
        for dup in merge_same_named(group, 0.150, &mut kept) {
            if let Some(r) = reports.iter_mut().find(|r| r.source == dup) {
                r.points_placed -= 1;
                *r.points_rejected.entry(Reject::Duplicate).or_default() += 1;
            }
        }
    }
    for ((src, cat), k) in dropped.into_iter().filter(|(_, k)| *k > 0) {
        if let Some(r) = reports.iter_mut().find(|r| r.source == src) {
            r.points_placed -= k;
            *r.points_rejected.entry(Reject::Duplicate).or_default() += k;
            r.note(format!(
                "{k} {} point(s) not used: a source of higher rank (curated statewide, then OpenStreetMap) covers this category",
                cat.id()
            ));
        }
    }
    kept
}

/// Appends `group` to `kept`, leaving out every point whose normalised name equals that of an
/// earlier point of the group in the same municipality within `radius_km`; returns the sources
/// of the left-out points.
fn merge_same_named(
    group: Vec<PlacedPoint>,
    radius_km: f64,
    kept: &mut Vec<PlacedPoint>,
) -> Vec<String> {
    use crate::readers::facilities::normalise_name;
    let start = kept.len();
    let mut dropped = Vec::new();
    for p in group {
        let name = p
            .point
            .name
            .as_deref()
            .map(normalise_name)
            .filter(|n| !n.is_empty());
        let same = name.as_ref().is_some_and(|n| {
            kept[start..].iter().any(|k| {
                k.municipality == p.municipality
                    && k.point.name.as_deref().map(normalise_name).as_ref() == Some(n)
                    && crate::spatial::distance_km(
                        (k.point.lon, k.point.lat),
                        (p.point.lon, p.point.lat),
                    ) <= radius_km
            })
        });
        if same {
            dropped.push(p.point.source.clone());
        } else {
            kept.push(p);
        }
    }
    dropped
}

/// Categories that have at least one point.
pub fn categories_present(points: &[PlacedPoint]) -> Vec<Category> {
    let mut c: Vec<Category> = points.iter().map(|p| p.point.category).collect();
    c.sort();
    c.dedup();
    c
}
