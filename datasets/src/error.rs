//! Errors of the data layer. Every variant names the file (and the line, where there is one), so
//! that a user who brings a broken data directory knows what to fix.

use std::path::PathBuf;

/// A raw file could not be read as its reader expects.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error(
        "data file {path} is missing (expected in the data directory; see datasets/sources.toml)"
    )]
    Missing { path: PathBuf },
    #[error("data directory {path} does not exist (give --data-dir DIR or set LOTSE_DATA)")]
    MissingDataDir { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("manifest: {0}")]
    Manifest(String),
    #[error("atlas file {path}: {message}")]
    Atlas { path: PathBuf, message: String },
}

impl DatasetError {
    pub fn parse(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        DatasetError::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        DatasetError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = DatasetError> = std::result::Result<T, E>;

/// Reads a whole file: a missing file is [`DatasetError::Missing`], any other failure
/// [`DatasetError::Io`], both naming the path.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            DatasetError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            DatasetError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })
}
