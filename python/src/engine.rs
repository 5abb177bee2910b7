//! The atlas a call ranks over and its prepared ranker: the bundled atlas (the same file the
//! `lotse` binary embeds, `atlas/saxony.json`, through `datasets::atlas_file`) or an atlas file
//! written by `lotse ingest`, read and checked by the same reader as the CLI's `--atlas`.
//!
//! A ranker precomputes everything that does not depend on the household, so it is made once
//! per atlas and kept for the life of the Python process (an atlas is about 10 MB in memory).
//! A file is kept by its path, size and modification time: a rewritten file is read again.

use datasets::atlas_file;
use scoring::Ranker;
use scoring::atlas::Atlas;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// An atlas, its ranker and where it came from. Lives as long as the process.
pub struct Engine {
    pub atlas: &'static Atlas,
    pub ranker: Ranker<'static>,
    /// Recorded in result metadata, as `lotse batch` records `lotse.atlas_origin`.
    pub origin: String,
}

/// Why no atlas could be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Atlas(#[from] datasets::DatasetError),
    #[error("cannot read the atlas file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the atlas cannot be ranked: {0}")]
    Ranker(#[from] scoring::rank::RankerError),
}

fn prepare(atlas: Atlas, origin: String) -> Result<&'static Engine, EngineError> {
    // Leaked on purpose: the ranker borrows the atlas, and both live as long as the module.
    let atlas: &'static Atlas = Box::leak(Box::new(atlas));
    let ranker = Ranker::new(atlas)?;
    Ok(Box::leak(Box::new(Engine {
        atlas,
        ranker,
        origin,
    })))
}

/// The bundled atlas, or the atlas file at `path`.
pub fn engine(path: Option<&Path>) -> Result<&'static Engine, EngineError> {
    match path {
        None => bundled(),
        Some(p) => file(p),
    }
}

fn bundled() -> Result<&'static Engine, EngineError> {
    static BUNDLED: OnceLock<&'static Engine> = OnceLock::new();
    if let Some(e) = BUNDLED.get() {
        return Ok(e);
    }
    let e = prepare(atlas_file::bundled()?, atlas_file::BUNDLED_ORIGIN.into())?;
    Ok(BUNDLED.get_or_init(|| e))
}

type FileKey = (PathBuf, u64, Option<SystemTime>);

fn file(path: &Path) -> Result<&'static Engine, EngineError> {
    static FILES: OnceLock<Mutex<HashMap<FileKey, &'static Engine>>> = OnceLock::new();
    let meta = std::fs::metadata(path).map_err(|source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let files = FILES.get_or_init(Default::default);
    if let Some(e) = files.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(e);
    }
    let e = prepare(atlas_file::read(path)?, path.display().to_string())?;
    files
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, e);
    Ok(e)
}
