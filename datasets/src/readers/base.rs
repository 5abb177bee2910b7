//! The files of the municipality base, read together: the current register (the rows of the
//! atlas), the Destatis directory (area, reference point), the VG250 polygons, the Zensus
//! population and the central places. Their keys are still those of each file's date; the
//! place stage maps them onto today's municipalities.

use crate::error::Result;
use crate::manifest::Manifest;
use crate::readers::boundaries::{Polygons, read_boundaries};
use crate::readers::municipalities::{
    DirectoryEntry, Register, read_central_places, read_directory, read_register,
};
use crate::readers::population::{ZensusPopulation, read_population};
use crate::report::SourceReport;
use scoring::atlas::CentralPlace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file as read: what it holds, its report, and its path (to name it in later errors).
pub struct Read<T> {
    pub data: T,
    pub report: SourceReport,
    pub path: PathBuf,
}

/// The municipality base files.
pub struct BaseFiles {
    pub register: Read<Register>,
    pub directory: Read<Vec<DirectoryEntry>>,
    pub polygons: Read<Polygons>,
    pub population: Read<ZensusPopulation>,
    pub central_places: Read<BTreeMap<String, CentralPlace>>,
}

/// Reads the base files the manifest names in `dir`, in the order above.
pub fn read_base(manifest: &Manifest, dir: &Path) -> Result<BaseFiles> {
    fn one<T>(
        manifest: &Manifest,
        dir: &Path,
        id: &str,
        read: impl FnOnce(&Path, &str) -> Result<(T, SourceReport)>,
    ) -> Result<Read<T>> {
        let e = manifest.get(id)?;
        let path = dir.join(&e.file);
        let (data, report) = read(&path, &e.id)?;
        Ok(Read { data, report, path })
    }
    Ok(BaseFiles {
        register: one(manifest, dir, "lds_register", read_register)?,
        directory: one(manifest, dir, "destatis_gv", read_directory)?,
        polygons: one(manifest, dir, "vg250", read_boundaries)?,
        population: one(manifest, dir, "zensus_population", read_population)?,
        central_places: one(manifest, dir, "central_places", read_central_places)?,
    })
}
