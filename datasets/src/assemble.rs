//! The last stage of the data layer: the atlas put together from the placed municipalities and
//! the computed indicators, with the manifest's sources, validated (consistent, every value
//! plausible, every source reaching the municipalities it declares), and the quality report
//! completed. It opens no file; paths appear only to name files in errors.

use crate::error::{DatasetError, Result};
use crate::manifest::{Manifest, sha256_bytes};
use crate::report::{IndicatorCoverage, QualityReport, SourceReport};
use crate::spatial::MunicipalityLocator;
use scoring::atlas::{
    ATLAS_FORMAT_VERSION, Atlas, District, HelpContact, Indicator, Municipality, Places, Source,
};
use std::collections::BTreeMap;
use std::path::Path;

/// The result of an ingest.
pub struct Ingested {
    pub atlas: Atlas,
    pub report: QualityReport,
    /// Municipality boundaries as GeoJSON (for maps), in the atlas's row order.
    pub boundaries_geojson: String,
}

/// What the earlier stages produced, ready to become an atlas.
pub struct AtlasParts<'a> {
    pub manifest: &'a Manifest,
    /// The data directory (only to name files in errors).
    pub dir: &'a Path,
    /// The actual SHA-256 of every manifest file, by source id.
    pub sha256: &'a BTreeMap<String, String>,
    /// The OSM extract and its SHA-256, if one was read.
    pub osm: Option<(&'a Path, &'a str)>,
    /// District key (5 digits) → name.
    pub districts: &'a BTreeMap<String, String>,
    pub municipalities: Vec<Municipality>,
    pub indicators: Vec<Indicator>,
    pub help: Vec<HelpContact>,
    /// Named places nearest where people live (see [`crate::indicators::nearest_places`]).
    pub places: Places,
    pub locator: &'a MunicipalityLocator,
}

/// Builds and validates the atlas, and completes `report` (file names relative to the data
/// directory, coverage per indicator).
pub fn assemble(parts: AtlasParts, mut report: QualityReport) -> Result<Ingested> {
    let AtlasParts {
        manifest,
        dir,
        sha256,
        osm,
        districts,
        municipalities,
        indicators,
        help,
        places,
        locator,
    } = parts;
    let mut sources: Vec<Source> = manifest
        .source
        .iter()
        .map(|e| Source {
            id: e.id.clone(),
            title: e.title.clone(),
            title_de: e.title_de.clone(),
            file: e.file.clone(),
            publisher: e.publisher.clone(),
            licence: e.licence.clone(),
            licence_confirmed: e.licence_confirmed,
            attribution: e.attribution.clone(),
            reference_date: e.reference_date.clone(),
            origin: e.origin.clone(),
            coverage: e.coverage.clone(),
            sha256: sha256.get(&e.id).cloned().unwrap_or_default(),
        })
        .collect();
    if let Some((p, sha)) = osm {
        sources.push(osm_source(p, sha));
    }
    let districts = districts
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
        municipalities,
        indicators,
        help,
        places,
    };
    atlas
        .validate()
        .map_err(|e| DatasetError::Manifest(format!("built atlas is inconsistent: {e}")))?;
    check_plausible(&atlas, manifest, dir)?;
    report.municipalities = atlas.municipalities.len();
    // Name files relative to the data directory, so the report reads the same on any machine.
    for r in &mut report.sources {
        if let Ok(e) = manifest.get(&r.source) {
            r.file = e.file.clone();
        } else if let Some((p, _)) = osm {
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
                by_reason
                    .entry(r.to_string())
                    .or_default()
                    .push(a.to_string());
            }
            IndicatorCoverage {
                indicator: ind.meta.id.clone(),
                with_value: ind.coverage(),
                without_value: ind.values.len() - ind.coverage(),
                missing_by_reason: by_reason,
            }
        })
        .collect();
    let boundaries_geojson = crate::atlas_file::boundaries_geojson(&atlas, locator);
    Ok(Ingested {
        atlas,
        report,
        boundaries_geojson,
    })
}

/// The atlas's `input_hash`: format version plus every source id with its file's SHA-256.
pub fn hash_of<'a>(sources: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = format!("lotse-atlas-v{ATLAS_FORMAT_VERSION}\n");
    for (id, sha) in sources {
        text.push_str(&format!("{id} {sha}\n"));
    }
    sha256_bytes(text.as_bytes())
}

/// Every source that declares `min_municipalities` must reach that many: else an error naming
/// each short source's file, the declared and the reached count, and its named rejected rows.
/// Fills `municipalities_declared` in the reports.
pub fn check_coverage(manifest: &Manifest, dir: &Path, reports: &mut [SourceReport]) -> Result<()> {
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

/// The manifest-like source entry for a user's OSM extract.
fn osm_source(path: &Path, sha: &str) -> Source {
    Source {
        id: "osm_extract".to_string(),
        title: "OpenStreetMap extract brought by the user".to_string(),
        title_de: "Mitgebrachter OpenStreetMap-Auszug".to_string(),
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
