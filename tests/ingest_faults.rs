//! Broken data directories: a missing, truncated or wrongly delimited file gives an error that
//! names the file (and the line), never a panic and never a half-written atlas.

use datasets::ingest::{IngestOptions, ingest};
use std::path::{Path, PathBuf};

fn real_dir() -> PathBuf {
    datasets::manifest::repo_root().join("../shared/data/raw")
}

/// A temporary copy of the real data directory (symlinks), with `edit` applied to one file.
fn broken_dir(file: &str, edit: impl FnOnce(&Path, Vec<u8>)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = datasets::manifest::Manifest::default_manifest().unwrap();
    for s in &manifest.source {
        let dst = tmp.path().join(&s.file);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        if s.file != file {
            std::os::unix::fs::symlink(real_dir().join(&s.file), &dst).unwrap();
        }
    }
    let original = std::fs::read(real_dir().join(file)).unwrap();
    edit(&tmp.path().join(file), original);
    tmp
}

fn ingest_err(dir: &Path) -> String {
    match ingest(
        &IngestOptions {
            data_dir: dir.to_path_buf(),
            osm_pbf: None,
        },
        &mut |_| {},
    ) {
        Ok(_) => panic!("ingest of a broken directory succeeded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_missing_file_is_named() {
    let dir = broken_dir("housing/rent_zensus2022_gemeinden_sachsen.csv", |_, _| {});
    let err = ingest_err(dir.path());
    assert!(
        err.contains("rent_zensus2022_gemeinden_sachsen.csv") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn a_truncated_csv_names_the_file_and_line() {
    let dir = broken_dir(
        "population/zensus2022_1000A-0000_population_gemeinden_saxony.csv",
        |p, bytes| {
            // Cut the file in the middle of a record.
            let cut = bytes.len() / 2;
            let cut = bytes[..cut].iter().rposition(|&b| b == b';').unwrap();
            std::fs::write(p, &bytes[..cut]).unwrap();
        },
    );
    let err = ingest_err(dir.path());
    assert!(
        err.contains("zensus2022_1000A-0000_population_gemeinden_saxony.csv")
            && err.contains("line"),
        "{err}"
    );
}

#[test]
fn a_wrong_delimiter_names_the_missing_column() {
    let dir = broken_dir(
        "housing/rent_vacancy_zensus2022_kreise_sachsen.csv",
        |p, bytes| {
            let text = String::from_utf8(bytes).unwrap().replace(',', ";");
            std::fs::write(p, text).unwrap();
        },
    );
    let err = ingest_err(dir.path());
    assert!(
        err.contains("rent_vacancy_zensus2022_kreise_sachsen.csv")
            && err.contains("missing column"),
        "{err}"
    );
}

#[test]
fn text_in_a_number_column_names_file_line_and_column() {
    let dir = broken_dir(
        "municipalities/destatis_gv_auszug_sachsen_2019-12-31.csv",
        |p, bytes| {
            let text = String::from_utf8(bytes)
                .unwrap()
                .replacen(" 221.06,", " zweihundert,", 1);
            std::fs::write(p, text).unwrap();
        },
    );
    let err = ingest_err(dir.path());
    assert!(
        err.contains("destatis_gv_auszug_sachsen_2019-12-31.csv, line") && err.contains("flaeche"),
        "{err}"
    );
}

#[test]
fn a_latin1_file_is_decoded_and_reported() {
    let dir = broken_dir(
        "municipalities/lds_gemeindeverzeichnis_sachsen.csv",
        |p, bytes| {
            let text = String::from_utf8(bytes).unwrap();
            let latin1: Vec<u8> = text
                .chars()
                .map(|c| {
                    if (c as u32) < 256 {
                        c as u32 as u8
                    } else {
                        b'?'
                    }
                })
                .collect();
            std::fs::write(p, latin1).unwrap();
        },
    );
    let built = ingest(
        &IngestOptions {
            data_dir: dir.path().to_path_buf(),
            osm_pbf: None,
        },
        &mut |_| {},
    )
    .unwrap();
    let rep = built
        .report
        .sources
        .iter()
        .find(|s| s.source == "lds_register")
        .unwrap();
    assert!(rep.encoding.starts_with("latin-1"), "{}", rep.encoding);
    let m = &built.atlas.municipalities[built.atlas.index_of("14521250").unwrap()];
    assert_eq!(m.name, "Großrückerswalde");
    assert!(
        built
            .report
            .manifest_mismatches
            .iter()
            .any(|l| l.contains("lds_gemeindeverzeichnis"))
    );
}

#[test]
fn a_point_at_null_island_is_a_counted_rejection() {
    let dir = broken_dir(
        "facilities/leisure_sn_wikidata_culture_sites_2026.csv",
        |p, bytes| {
            let mut text = String::from_utf8(bytes).unwrap();
            text.push_str("Q1,Null Island Museum,Museum,0,0,content/sites/x.md\n");
            std::fs::write(p, text).unwrap();
        },
    );
    let built = ingest(
        &IngestOptions {
            data_dir: dir.path().to_path_buf(),
            osm_pbf: None,
        },
        &mut |_| {},
    )
    .unwrap();
    let rep = built
        .report
        .sources
        .iter()
        .find(|s| s.source == "culture_wikidata")
        .unwrap();
    assert_eq!(
        rep.rejected.get(&datasets::report::Reject::BadCoordinate),
        Some(&1)
    );
    assert_eq!(rep.unaccounted(), 0);
}

/// `lotse ingest` of a broken directory exits non-zero, names the file, and leaves the atlas
/// that was there before untouched (the write is atomic and happens only after success).
#[test]
fn a_failed_ingest_leaves_the_previous_atlas_untouched() {
    let dir = broken_dir(
        "housing/rent_vacancy_zensus2022_kreise_sachsen.csv",
        |p, bytes| {
            std::fs::write(p, &bytes[..bytes.len() / 3]).unwrap();
        },
    );
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("atlas.json");
    std::fs::write(&out, "previous atlas").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["ingest", "--quiet", "--data-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("rent_vacancy_zensus2022_kreise_sachsen.csv"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous atlas");
    let leftovers: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

/// A corrupt or other-version atlas file is refused with a clear message, never half-read.
#[test]
fn a_corrupt_or_foreign_atlas_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let truncated = tmp.path().join("truncated.json");
    let bundled = datasets::atlas_file::BUNDLED_ATLAS;
    std::fs::write(&truncated, &bundled[..bundled.len() / 2]).unwrap();
    let err = datasets::atlas_file::read(&truncated)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("truncated.json") && err.contains("not a readable atlas"),
        "{err}"
    );

    let other = tmp.path().join("other.json");
    std::fs::write(
        &other,
        bundled.replacen("\"format_version\": 1", "\"format_version\": 99", 1),
    )
    .unwrap();
    let err = datasets::atlas_file::read(&other).unwrap_err().to_string();
    assert!(
        err.contains("format version 99") && err.contains("lotse ingest"),
        "{err}"
    );

    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["atlas", "show", "Dresden", "--atlas"])
        .arg(&truncated)
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("not a readable atlas"));
}

#[test]
fn a_missing_data_directory_is_named_as_a_directory() {
    let err = ingest_err(std::path::Path::new("/nonexistent/lotse-data"));
    assert!(
        err.contains("data directory /nonexistent/lotse-data does not exist")
            && err.contains("LOTSE_DATA"),
        "{err}"
    );
}

/// The cached build of a data directory that was damaged after it was written (a digit
/// changed, so it still parses; cut in half; another format version) is detected by its
/// checksum, never read, and rebuilt to the same bytes.
#[test]
fn a_damaged_atlas_cache_is_detected_and_rebuilt() {
    let cache = tempfile::tempdir().unwrap();
    let show = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(["atlas", "show", "Heidenau", "--lang", "en", "--data-dir"])
            .arg(real_dir())
            .env("LOTSE_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let first = show();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let cached: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().contains("boundaries")
        })
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    let path = &cached[0];
    assert!(datasets::atlas_file::checksum_path(path).exists());
    let good = std::fs::read_to_string(path).unwrap();

    // The population of the first municipality, one digit changed: still valid JSON.
    let at = good.find("\"values\": [").unwrap() + "\"values\": [".len();
    let digit = at + good[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let mut flipped = good.clone().into_bytes();
    flipped[digit] = if flipped[digit] == b'7' { b'8' } else { b'7' };
    let damages: [(&str, Vec<u8>); 3] = [
        ("a changed digit", flipped),
        ("cut in half", good.as_bytes()[..good.len() / 2].to_vec()),
        (
            "another format version",
            good.replacen("\"format_version\": 1", "\"format_version\": 99", 1)
                .into_bytes(),
        ),
    ];
    for (what, bytes) in damages {
        std::fs::write(path, &bytes).unwrap();
        let run = show();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{what}: {stderr}");
        assert!(
            stderr.contains("cached atlas unusable") && stderr.contains("rebuilding"),
            "{what}: {stderr}"
        );
        assert_eq!(
            run.stdout, first.stdout,
            "{what}: the same answer as before"
        );
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            good,
            "{what}: rebuilt whole"
        );
    }
    // Intact: read, not rebuilt.
    let run = show();
    assert!(!String::from_utf8_lossy(&run.stderr).contains("rebuilding"));
}
