//! Which reader reads which point file: the files the manifest declares a [`PointLayout`] for go
//! to the declared-point reader; the others, in shapes of their own, to the reader listed here.
//! The ingest reads every point file through [`read_point_sources`], in manifest order.
//!
//! [`PointLayout`]: crate::manifest::PointLayout

use super::{FacilityPoint, SourceReport};
use crate::error::Result;
use crate::manifest::Manifest;
use std::path::{Path, PathBuf};

/// What reading the point files gave.
#[derive(Default)]
pub struct PointsRead {
    /// Every point, in the order of the files in the manifest.
    pub points: Vec<FacilityPoint>,
    /// One report per point file (a reader that joins a second file adds that file's report
    /// after its own), in manifest order.
    pub reports: Vec<SourceReport>,
    /// Reports of lookup files, read only to complete another file's points (the school types):
    /// they follow every point file's report.
    pub lookup_reports: Vec<SourceReport>,
}

/// The files of the data directory a coded reader may open, by manifest id.
struct SourceFiles<'a> {
    manifest: &'a Manifest,
    dir: &'a Path,
}

impl SourceFiles<'_> {
    /// The path of a source's file and its id.
    fn path(&self, id: &str) -> Result<(PathBuf, &str)> {
        let e = self.manifest.get(id)?;
        Ok((self.dir.join(&e.file), e.id.as_str()))
    }
}

/// A reader for a point file in a shape of its own; adds what it read to `into`.
type CodedReader = fn(&SourceFiles, &mut PointsRead) -> Result<()>;

/// The point files with a reader of their own, by manifest id. A file listed here and declared
/// with a layout in the manifest is an error, so neither silently wins.
const CODED: &[(&str, CodedReader)] = &[
    ("schools_2026", schools),
    ("schools_chemnitz", |f, into| {
        add(
            into,
            single(f, "schools_chemnitz", super::read_schools_chemnitz)?,
        )
    }),
    ("childcare_chemnitz", |f, into| {
        add(
            into,
            kitas(f, "childcare_chemnitz", super::read_childcare_chemnitz)?,
        )
    }),
    ("childcare_dresden_osm", |f, into| {
        add(
            into,
            kitas(
                f,
                "childcare_dresden_osm",
                super::read_childcare_osm_geojson,
            )?,
        )
    }),
    ("childcare_leipzig_osm", |f, into| {
        add(
            into,
            kitas(f, "childcare_leipzig_osm", super::read_childcare_overpass)?,
        )
    }),
    ("pools", |f, into| {
        add(into, single(f, "pools", super::read_pools_baederleben)?)
    }),
    ("libraries", |f, into| {
        add(into, single(f, "libraries", super::read_libraries_saebig)?)
    }),
    ("culture_wikidata", |f, into| {
        add(
            into,
            single(f, "culture_wikidata", super::read_culture_wikidata)?,
        )
    }),
    ("culture_chemnitz_osm", |f, into| {
        add(
            into,
            single(f, "culture_chemnitz_osm", super::read_culture_osm_geojson)?,
        )
    }),
    ("playgrounds_leipzig", |f, into| {
        add(
            into,
            single(f, "playgrounds_leipzig", super::read_playgrounds_ttl)?,
        )
    }),
    ("rail_stations", rail),
];

/// Reads every point file of the manifest, in manifest order: declared ones by their layout,
/// the others by their reader in [`CODED`].
pub fn read_point_sources(manifest: &Manifest, dir: &Path) -> Result<PointsRead> {
    let files = SourceFiles { manifest, dir };
    let mut read = PointsRead::default();
    for entry in &manifest.source {
        let coded = CODED.iter().find(|(id, _)| *id == entry.id);
        match (&entry.points, coded) {
            (Some(_), Some(_)) => {
                return Err(crate::error::DatasetError::Manifest(format!(
                    "source {:?} has a point layout and a reader of its own",
                    entry.id
                )));
            }
            (Some(layout), None) => {
                let path = dir.join(&entry.file);
                add(
                    &mut read,
                    super::read_declared_points(&path, &entry.id, layout)?,
                )?;
            }
            (None, Some((_, reader))) => reader(&files, &mut read)?,
            (None, None) => {}
        }
    }
    Ok(read)
}

fn add(into: &mut PointsRead, (points, report): (Vec<FacilityPoint>, SourceReport)) -> Result<()> {
    into.points.extend(points);
    into.reports.push(report);
    Ok(())
}

type FileReader = fn(&Path, &str) -> Result<(Vec<FacilityPoint>, SourceReport)>;

fn single(
    f: &SourceFiles,
    id: &str,
    read: FileReader,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (path, id) = f.path(id)?;
    read(&path, id)
}

/// A Kita file: one Kita mapped twice (node and building) is one Kita.
fn kitas(
    f: &SourceFiles,
    id: &str,
    read: FileReader,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (points, mut report) = single(f, id, read)?;
    let kept = super::dedupe_by_name(points, 150.0, &mut report);
    report.rows_kept = report.rows_read - report.rejected.values().sum::<usize>();
    Ok((kept, report))
}

/// The Schuldatenbank export, typed through the 2021 institutions file (a lookup file).
fn schools(f: &SourceFiles, into: &mut PointsRead) -> Result<()> {
    let (types_path, types_id) = f.path("school_types_2021")?;
    let (types, types_report) = super::read_school_types(&types_path, types_id)?;
    let (path, id) = f.path("schools_2026")?;
    add(into, super::read_schools_schuldatenbank(&path, id, &types)?)?;
    into.lookup_reports.push(types_report);
    Ok(())
}

/// The DB stations, joined with the station master data (both files' reports).
fn rail(f: &SourceFiles, into: &mut PointsRead) -> Result<()> {
    let (stops, stops_id) = f.path("rail_stations")?;
    let (master, master_id) = f.path("rail_station_categories")?;
    let (points, reports) = super::read_rail_stations(&stops, stops_id, &master, master_id)?;
    into.points.extend(points);
    into.reports.extend(reports);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facility::Category;

    fn manifest(extra: &str) -> Manifest {
        Manifest::parse(&format!(
            "[[source]]\nid = \"{id}\"\nfile = \"points.csv\"\ntheme = \"t\"\ntitle = \"t\"\n\
             publisher = \"p\"\nlicence = \"l\"\nlicence_confirmed = true\nattribution = \"a\"\n\
             reference_date = \"2020\"\norigin = \"o\"\ncoverage = \"c\"\nsha256 = \"00\"\n\
             [source.points]\nformat = \"csv\"\nlon = \"lon\"\nlat = \"lat\"\nname = \"name\"\n\
             category = \"library\"\n",
            id = extra
        ))
        .expect("a manifest")
    }

    #[test]
    fn a_declared_point_file_is_read_by_its_layout() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("points.csv"),
            "name,lon,lat\nStadtbibliothek,13.74,51.05\nKaputt,x,51\n",
        )
        .unwrap();
        let read = read_point_sources(&manifest("new_libraries"), dir.path()).unwrap();
        assert_eq!(read.points.len(), 1);
        assert_eq!(read.points[0].category, Category::Library);
        assert_eq!(read.points[0].source, "new_libraries");
        assert_eq!(read.reports.len(), 1);
        assert_eq!(
            (read.reports[0].rows_read, read.reports[0].rows_kept),
            (2, 1)
        );
        assert!(read.lookup_reports.is_empty());
    }

    #[test]
    fn a_source_with_a_layout_and_a_reader_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_point_sources(&manifest("libraries"), dir.path())
            .err()
            .expect("both a layout and a reader")
            .to_string();
        assert!(
            err.contains("\"libraries\" has a point layout and a reader"),
            "{err}"
        );
    }
}
