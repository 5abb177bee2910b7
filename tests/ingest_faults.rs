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
