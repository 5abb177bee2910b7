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
    /// Sources whose rows reach fewer municipalities than the manifest declares.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Coverage(Vec<Shortfall>),
    /// A computed atlas value outside its plausible range.
    #[error("the built atlas is implausible: {message}")]
    Implausible { message: String },
}

/// One source that reaches fewer municipalities than its `min_municipalities`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub path: PathBuf,
    pub source: String,
    /// The manifest's coverage sentence.
    pub coverage: String,
    pub declared: usize,
    pub reached: usize,
    /// The named rejected rows, if any, in one line.
    pub rejected: String,
}

impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): its rows reach {} municipalities, {} fewer than the {} the manifest declares (coverage: {})",
            self.path.display(),
            self.source,
            self.reached,
            self.declared.saturating_sub(self.reached),
            self.declared,
            self.coverage
        )?;
        if !self.rejected.is_empty() {
            write!(f, "; rejected rows: {}", self.rejected)?;
        }
        Ok(())
    }
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
