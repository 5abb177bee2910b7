//! Which atlas a command works on: an explicit file, the cached build of a data directory
//! (built on first use), or the bundled default that ships with the binary.

use anyhow::{Context, Result};
use datasets::atlas_file;
use datasets::ingest::{IngestOptions, ingest};
use scoring::atlas::Atlas;
use std::path::PathBuf;

/// Options shared by every command that reads an atlas.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AtlasArgs {
    /// Read this atlas file (as written by `lotse ingest`).
    #[arg(long, value_name = "FILE", conflicts_with = "data_dir")]
    pub atlas: Option<PathBuf>,
    /// Build (or reuse the cached build of) the atlas of this data directory instead of the
    /// bundled one. Also read from $LOTSE_DATA.
    #[arg(long, value_name = "DIR", env = "LOTSE_DATA")]
    pub data_dir: Option<PathBuf>,
}

/// An atlas and what it was loaded from.
pub struct Loaded {
    pub atlas: Atlas,
    /// The boundaries GeoJSON that belongs to it, if known.
    pub boundaries: Option<String>,
    pub origin: String,
}

impl AtlasArgs {
    pub fn load(&self) -> Result<Loaded> {
        if let Some(path) = &self.atlas {
            let atlas = atlas_file::read(path)?;
            let b = boundaries_path(path);
            return Ok(Loaded {
                atlas,
                boundaries: std::fs::read_to_string(&b).ok(),
                origin: path.display().to_string(),
            });
        }
        if let Some(dir) = &self.data_dir {
            return load_or_build(dir);
        }
        Ok(Loaded {
            atlas: atlas_file::bundled().context("the bundled atlas is unreadable")?,
            boundaries: Some(atlas_file::BUNDLED_BOUNDARIES.to_string()),
            origin: datasets::atlas_file::BUNDLED_ORIGIN.into(),
        })
    }
}

/// The boundaries file written next to an atlas file.
pub fn boundaries_path(atlas: &std::path::Path) -> PathBuf {
    atlas.with_extension("boundaries.geojson")
}

/// The cached atlas of a data directory, built now if there is none or it is unusable: damaged
/// since it was written (its checksum differs), of another format version, or not valid. An
/// unusable cache is never half-read; it is rebuilt and replaced atomically.
fn load_or_build(dir: &std::path::Path) -> Result<Loaded> {
    let hash = datasets::ingest::input_hash(dir, None)
        .with_context(|| format!("checking the data directory {}", dir.display()))?;
    let path = atlas_file::cache_path(&hash);
    match atlas_file::read_checked(&path) {
        Ok(atlas) if atlas.input_hash == hash => {
            return Ok(Loaded {
                boundaries: std::fs::read_to_string(boundaries_path(&path)).ok(),
                atlas,
                origin: path.display().to_string(),
            });
        }
        Ok(_) | Err(datasets::DatasetError::Missing { .. }) => {}
        Err(e) => eprintln!("note: cached atlas unusable ({e}); rebuilding"),
    }
    eprintln!("building the atlas of {} (first use) …", dir.display());
    let built = ingest(
        &IngestOptions {
            data_dir: dir.to_path_buf(),
            osm_pbf: None,
        },
        &mut |_| {},
    )?;
    atlas_file::write_atomic(&boundaries_path(&path), &built.boundaries_geojson)?;
    atlas_file::write_checked(&path, &atlas_file::to_json(&built.atlas))?;
    Ok(Loaded {
        atlas: built.atlas,
        boundaries: Some(built.boundaries_geojson),
        origin: path.display().to_string(),
    })
}
