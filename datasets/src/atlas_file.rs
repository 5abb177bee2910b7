//! The atlas on disk: JSON written atomically, read back with its invariants checked, and the
//! embedded default that a fresh clone ranks over without any raw data.

use crate::error::{DatasetError, Result};
use crate::spatial::MunicipalityLocator;
use scoring::atlas::{ATLAS_FORMAT_VERSION, Atlas};
use std::path::{Path, PathBuf};

/// The atlas of the default data, built by `lotse ingest --update-bundled` and checked in.
pub const BUNDLED_ATLAS: &str = include_str!("../../atlas/saxony.json");
/// Municipality boundaries of the bundled atlas (GeoJSON), for maps.
pub const BUNDLED_BOUNDARIES: &str = include_str!("../../atlas/saxony-boundaries.geojson");
/// Where the bundled files live, relative to the repository root.
pub const BUNDLED_DIR: &str = "atlas";
pub const BUNDLED_ATLAS_FILE: &str = "saxony.json";
pub const BUNDLED_BOUNDARIES_FILE: &str = "saxony-boundaries.geojson";
/// How results name the bundled atlas as their origin (`lotse batch` metadata, the Python
/// package), so that the two say the same.
pub const BUNDLED_ORIGIN: &str = "bundled atlas (atlas/saxony.json)";

/// The bundled atlas, parsed and validated.
pub fn bundled() -> Result<Atlas> {
    parse(BUNDLED_ATLAS, Path::new("<bundled atlas>"))
}

/// Serialises an atlas the way it is stored: pretty JSON with a final newline, so a rebuild
/// from the same data is byte-for-byte the same file and a diff shows what changed.
pub fn to_json(atlas: &Atlas) -> String {
    let mut s = serde_json::to_string_pretty(atlas).unwrap_or_default();
    s.push('\n');
    s
}

/// Parses and validates an atlas; a truncated, corrupt or other-version file is an error, and
/// so is one with a value outside its plausible range ([`crate::plausible::check_atlas`]). Every
/// atlas lotse uses comes through here: the bundled one, `--atlas FILE`, the cache, and the
/// server's start and SIGHUP reload.
pub fn parse(text: &str, path: &Path) -> Result<Atlas> {
    #[derive(serde::Deserialize)]
    struct Version {
        format_version: u32,
    }
    let v: Version = serde_json::from_str(text).map_err(|e| DatasetError::Atlas {
        path: path.to_path_buf(),
        message: format!("not a readable atlas: {e}"),
    })?;
    if v.format_version != ATLAS_FORMAT_VERSION {
        return Err(DatasetError::Atlas {
            path: path.to_path_buf(),
            message: format!(
                "format version {} (this lotse reads version {ATLAS_FORMAT_VERSION}); rebuild it with `lotse ingest`",
                v.format_version
            ),
        });
    }
    let atlas: Atlas = serde_json::from_str(text).map_err(|e| DatasetError::Atlas {
        path: path.to_path_buf(),
        message: format!("not a readable atlas: {e}"),
    })?;
    atlas.validate().map_err(|e| DatasetError::Atlas {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    crate::plausible::check_atlas(&atlas).map_err(|e| DatasetError::Atlas {
        path: path.to_path_buf(),
        message: format!("refused: {e}"),
    })?;
    Ok(atlas)
}

/// Reads an atlas file.
pub fn read(path: &Path) -> Result<Atlas> {
    let text =
        String::from_utf8(crate::error::read_file(path)?).map_err(|_| DatasetError::Atlas {
            path: path.to_path_buf(),
            message: "not UTF-8 text".into(),
        })?;
    parse(&text, path)
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, then a
/// rename, so a reader never sees half a file and a failed write leaves the old one intact.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let io = |e| DatasetError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, contents).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// The cache directory for atlases built from a data directory: `$LOTSE_CACHE_DIR` if set,
/// else `target/lotse/` in the repository (git-ignored).
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("LOTSE_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => crate::manifest::repo_root().join("target").join("lotse"),
    }
}

/// Where the SHA-256 of a checked file is kept: beside it, with `.sha256` appended.
pub fn checksum_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes an atlas (or any file a later run trusts) atomically together with its SHA-256, so
/// that [`read_checked`] can tell a file that changed after it was written (a flipped byte
/// that still parses, a truncated copy) from the file as written. The checksum is written
/// first: a reader that comes between the two renames sees a mismatch and rebuilds, never a
/// half-checked file.
pub fn write_checked(path: &Path, contents: &str) -> Result<()> {
    write_atomic(
        &checksum_path(path),
        &format!("{}\n", sha256_hex(contents.as_bytes())),
    )?;
    write_atomic(path, contents)
}

/// Reads an atlas written by [`write_checked`]: its SHA-256 must match (else an error naming
/// the file), then it is parsed and validated as by [`read`].
pub fn read_checked(path: &Path) -> Result<Atlas> {
    let bytes = crate::error::read_file(path)?;
    let expected = std::fs::read_to_string(checksum_path(path)).unwrap_or_default();
    if expected.trim() != sha256_hex(&bytes) {
        return Err(DatasetError::Atlas {
            path: path.to_path_buf(),
            message: "its checksum does not match (changed or damaged since it was written)".into(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| DatasetError::Atlas {
        path: path.to_path_buf(),
        message: "not UTF-8 text".into(),
    })?;
    parse(&text, path)
}

/// Cache path of the atlas with this input hash.
pub fn cache_path(input_hash: &str) -> PathBuf {
    cache_dir().join(format!(
        "atlas-{}.json",
        &input_hash[..16.min(input_hash.len())]
    ))
}

/// Municipality boundaries as a GeoJSON FeatureCollection (properties `ags`, `name`),
/// coordinates rounded to 4 decimals (about 10 m: ample for a map, and compact).
pub fn boundaries_geojson(atlas: &Atlas, locator: &MunicipalityLocator) -> String {
    let round = |x: f64| (x * 1e4).round() / 1e4;
    let ring = |ls: &geo::LineString<f64>| -> Vec<Vec<f64>> {
        let mut pts: Vec<Vec<f64>> = Vec::with_capacity(ls.0.len());
        for c in &ls.0 {
            let p = vec![round(c.x), round(c.y)];
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        pts
    };
    let features: Vec<serde_json::Value> = atlas
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let polys: Vec<Vec<Vec<Vec<f64>>>> = locator
                .polygon(i)
                .iter()
                .map(|p| {
                    std::iter::once(ring(p.exterior()))
                        .chain(p.interiors().iter().map(ring))
                        .collect()
                })
                .collect();
            serde_json::json!({
                "type": "Feature",
                "properties": {"ags": m.ags, "name": m.name},
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            })
        })
        .collect();
    let fc = serde_json::json!({
        "type": "FeatureCollection",
        "attribution": "© GeoBasis-DE / BKG (2022), VG250, dl-de/by-2-0",
        "features": features,
    });
    let mut s = serde_json::to_string(&fc).unwrap_or_default();
    s.push('\n');
    s
}
