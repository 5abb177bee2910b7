//! Reading the PBF file: parallel passes over its elements, and the checks that turn a broken
//! file into an error naming it rather than a panic or a silent partial read.

use crate::error::{DatasetError, Result};
use osmpbf::{BlobReader, BlobType, Element, ElementReader, ErrorKind};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Where the PBF bytes are read from: a file (streamed) or memory.
#[derive(Clone, Copy)]
pub(super) enum Pbf<'a> {
    File(&'a Path),
    Memory(&'a [u8]),
}

/// One parallel pass over the file. A decoder error becomes a [`DatasetError`] naming the
/// file; so does a panic inside the decoder (osmpbf panics on some corrupt values, e.g. an
/// unknown relation member type), because a user's broken download must not crash lotse.
pub(super) fn par_pass<T, MP, ID, RD>(
    path: &Path,
    pbf: Pbf<'_>,
    map: MP,
    identity: ID,
    reduce: RD,
) -> Result<T>
where
    MP: for<'a> Fn(Element<'a>) -> T + Sync + Send,
    ID: Fn() -> T + Sync + Send,
    RD: Fn(T, T) -> T + Sync + Send,
    T: Send,
{
    let run = || match pbf {
        Pbf::File(file) => ElementReader::from_path(file)
            .map_err(|e| pbf_error(path, e))
            .map(|reader| reader.par_map_reduce(map, identity, reduce)),
        Pbf::Memory(bytes) => {
            Ok(ElementReader::new(Cursor::new(bytes)).par_map_reduce(map, identity, reduce))
        }
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Err(e)) => Err(e),
        Ok(Ok(Ok(t))) => Ok(t),
        Ok(Ok(Err(e))) => Err(pbf_error(path, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_string());
            Err(DatasetError::format(
                path,
                format!("corrupt OSM PBF file: the decoder failed ({what})"),
            ))
        }
    }
}

/// An osmpbf error as a [`DatasetError`]: an early end of file is truncation (a broken
/// download), other I/O errors are I/O, everything else is a corrupt file.
fn pbf_error(path: &Path, e: osmpbf::Error) -> DatasetError {
    let io_kind = match e.kind() {
        ErrorKind::Io(io) => Some(io.kind()),
        _ => None,
    };
    match io_kind {
        Some(std::io::ErrorKind::NotFound) => DatasetError::Missing {
            path: path.to_path_buf(),
        },
        Some(std::io::ErrorKind::UnexpectedEof) => {
            DatasetError::format(path, format!("truncated OSM PBF file: {e}"))
        }
        Some(_) => match e.into_kind() {
            ErrorKind::Io(source) => DatasetError::Io {
                path: path.to_path_buf(),
                source,
            },
            other => DatasetError::format(path, format!("not a valid OSM PBF file: {other:?}")),
        },
        None => DatasetError::format(path, format!("not a valid OSM PBF file: {e}")),
    }
}

/// Checks the file's block structure before any element is read, because osmpbf stops quietly
/// when a file ends inside a block header: every block must lie within the file and the file
/// must end exactly after the last one (else it was truncated), the first block must be an
/// `OSMHeader` (else it is not a PBF, e.g. an `.osm` XML file), and the header may require no
/// feature this reader does not understand (a full-history file would count every version).
pub(super) fn check_framing(path: &Path, pbf: Pbf<'_>) -> Result<()> {
    let len = match pbf {
        Pbf::Memory(bytes) => bytes.len() as u64,
        Pbf::File(file) => match std::fs::metadata(file) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DatasetError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => {
                return Err(DatasetError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        },
    };
    if len == 0 {
        return Err(DatasetError::format(
            path,
            "empty file, not an OSM PBF file",
        ));
    }
    match pbf {
        Pbf::File(file) => check_blocks(
            path,
            len,
            BlobReader::seekable_from_path(file).map_err(|e| pbf_error(path, e))?,
        )?,
        Pbf::Memory(bytes) => check_blocks(
            path,
            len,
            BlobReader::new_seekable(Cursor::new(bytes)).map_err(|e| pbf_error(path, e))?,
        )?,
    }
    match pbf {
        Pbf::File(file) => check_header(
            path,
            BlobReader::from_path(file).map_err(|e| pbf_error(path, e))?,
        ),
        Pbf::Memory(bytes) => check_header(path, BlobReader::new(Cursor::new(bytes))),
    }
}

/// The block walk of [`check_framing`] over a file of `len` bytes.
fn check_blocks<R: Read + Seek + Send>(
    path: &Path,
    len: u64,
    mut blobs: BlobReader<R>,
) -> Result<()> {
    let mut first = true;
    loop {
        let start = blobs
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| pbf_error(path, e))?;
        let Some(next) = blobs.next_header_skip_blob() else {
            if start != len {
                return Err(DatasetError::format(
                    path,
                    format!(
                        "truncated OSM PBF file: {} byte(s) at offset {start} do not form a block",
                        len - start
                    ),
                ));
            }
            break;
        };
        let (header, _) = next.map_err(|e| pbf_error(path, e))?;
        if header.get_blob_size() < 0 {
            return Err(DatasetError::format(
                path,
                format!("corrupt OSM PBF file: negative block size at offset {start}"),
            ));
        }
        let end = blobs
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| pbf_error(path, e))?;
        if end > len {
            return Err(DatasetError::format(
                path,
                format!(
                    "truncated OSM PBF file: the block at offset {start} ends at byte {end}, \
                     but the file has {len} bytes"
                ),
            ));
        }
        if first && header.blob_type() != BlobType::OsmHeader {
            return Err(DatasetError::format(
                path,
                "not an OSM PBF file: it does not start with an OSMHeader block",
            ));
        }
        first = false;
    }
    Ok(())
}

/// Decodes the header block and refuses required features this reader does not handle.
fn check_header<R: Read + Send>(path: &Path, mut blobs: BlobReader<R>) -> Result<()> {
    let Some(blob) = blobs.next() else {
        return Err(DatasetError::format(
            path,
            "empty file, not an OSM PBF file",
        ));
    };
    let blob = blob.map_err(|e| pbf_error(path, e))?;
    let header = catch_unwind(AssertUnwindSafe(|| blob.to_headerblock()))
        .map_err(|_| DatasetError::format(path, "corrupt OSM PBF header block"))?
        .map_err(|e| pbf_error(path, e))?;
    for feature in header.required_features() {
        if !matches!(feature.as_str(), "OsmSchema-V0.6" | "DenseNodes") {
            return Err(DatasetError::format(
                path,
                format!(
                    "the OSM PBF file requires the feature {feature:?}, which lotse does not \
                     support (use a current extract, not a history file)"
                ),
            ));
        }
    }
    Ok(())
}
