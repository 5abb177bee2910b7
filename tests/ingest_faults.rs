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

// ---- Issue 11: implausible data must not become an atlas. -------------------------------
// Each case below used to exit 0 and write an atlas the server then served.

/// Runs `lotse ingest -q` of `dir` into a directory that holds a previous atlas: it must exit
/// non-zero, say every one of `expect` on stderr, and leave the previous atlas (and nothing
/// else) in place. Returns stderr.
fn refused_by_ingest(dir: &Path, expect: &[&str]) -> String {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("atlas.json");
    std::fs::write(&out, "previous atlas").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["ingest", "-q", "--data-dir"])
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(!run.status.success(), "ingest succeeded: {stderr}");
    for e in expect {
        assert!(stderr.contains(e), "{e:?} not in: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous atlas");
    let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing else written: {left:?}");
    stderr
}

const RENT: &str = "housing/rent_zensus2022_gemeinden_sachsen.csv";
/// Mockrehna's row in the rent file (line 484): rent 5.32 €/m², flat size 101.18 m².
const RENT_ROW: &str = "20220515,147300190190,Mockrehna,Gemeinde,5.32,101.18,";

/// Mockrehna's rent replaced by `rent` (the rest of the file unchanged).
fn rent_dir(rent: &str) -> tempfile::TempDir {
    broken_dir(RENT, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(RENT_ROW));
        let bad = RENT_ROW.replace(",5.32,", &format!(",{rent},"));
        std::fs::write(p, text.replacen(RENT_ROW, &bad, 1)).unwrap();
    })
}

#[test]
fn a_negative_rent_is_a_rejected_row_and_fails_the_build() {
    let dir = rent_dir("-5.5");
    refused_by_ingest(
        dir.path(),
        &[
            RENT,
            "line 484",
            "QMMIETE = -5.5 is outside the plausible range 2–40 EUR/m2",
            "its rows reach 417 municipalities, 1 fewer than the 418",
        ],
    );
}

#[test]
fn an_astronomic_rent_is_a_rejected_row_and_fails_the_build() {
    let dir = rent_dir("1e300");
    refused_by_ingest(
        dir.path(),
        &[
            RENT,
            "line 484",
            "outside the plausible range 2–40 EUR/m2",
            "its rows reach 417 municipalities",
        ],
    );
}

/// Rent and flat-size columns swapped under the old header: every rent reads about 71 €/m²,
/// every row is implausible, the file reaches no municipality.
#[test]
fn swapped_rent_and_flat_size_columns_fail_the_build() {
    let dir = broken_dir(RENT, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let swapped = text.replacen(",QMMIETE,FLAECHE,", ",FLAECHE,QMMIETE,", 1);
        assert_ne!(swapped, text);
        std::fs::write(p, swapped).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[
            RENT,
            "its rows reach 0 municipalities, 418 fewer than the 418",
            "line 5: 14511000: QMMIETE = 71.33 is outside the plausible range 2–40 EUR/m2",
        ],
    );
}

#[test]
fn a_duplicate_key_in_the_rent_file_names_both_lines() {
    let dir = broken_dir(RENT, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let row = text.lines().find(|l| l.starts_with(RENT_ROW)).unwrap();
        std::fs::write(p, format!("{text}{row}\n")).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[RENT, "line 509", "duplicate key 14730190", "line 484"],
    );
}

#[test]
fn a_duplicate_population_row_names_both_lines() {
    let file = "population/zensus2022_1000A-0000_population_gemeinden_saxony.csv";
    let dir = broken_dir(file, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.contains(";Mockrehna;4963;"));
        let again = row.replace(";4963;", ";999999;");
        std::fs::write(p, format!("{text}{again}\n")).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[file, "line 421", "duplicate key 14730190", "line 2"],
    );
}

const GRID: &str = "population/zensus2022_eurostat_census2021_grid1km_saxony_bbox.csv";

#[test]
fn a_duplicate_grid_cell_names_both_lines() {
    let dir = broken_dir(GRID, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        // The most populous cell (16,603 residents), once more at the end.
        let (at, row) = text
            .lines()
            .enumerate()
            .skip(1)
            .max_by_key(|(_, l)| l.split(',').nth(3).unwrap().parse::<u64>().unwrap())
            .unwrap();
        assert_eq!(at + 1, 17_425, "{row}");
        std::fs::write(p, format!("{text}{row}\n")).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[GRID, "line 21885", "duplicate grid cell", "line 17425"],
    );
}

/// The grid cut after a complete line: a valid CSV, but the northern half of Saxony has no
/// populated cell any more.
#[test]
fn a_grid_cut_on_a_line_boundary_fails_the_build() {
    let dir = broken_dir(GRID, |p, bytes| {
        let cut = bytes[..bytes.len() / 2]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap();
        std::fs::write(p, &bytes[..=cut]).unwrap();
    });
    let err = refused_by_ingest(dir.path(), &[GRID, "(population_grid): its rows reach"]);
    assert!(err.contains("fewer than the 418"), "{err}");
}

#[test]
fn an_empty_pools_list_fails_the_build() {
    let file = "facilities/leisure_sn_baederleben_pools_2026.json";
    let dir = broken_dir(file, |p, bytes| {
        let mut doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        doc["pools"] = serde_json::json!([]);
        std::fs::write(p, serde_json::to_string(&doc).unwrap()).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[file, "(pools): its rows reach 0 municipalities"],
    );
}

/// A file that differs from the manifest is named on stderr even with `-q` (the ingest
/// succeeds: the atlas records the actual hash).
#[test]
fn a_checksum_mismatch_is_printed_even_when_quiet() {
    let file = "facilities/leisure_sn_wikidata_culture_sites_2026.csv";
    let dir = broken_dir(file, |p, bytes| {
        let mut text = String::from_utf8(bytes).unwrap();
        text.push_str("Q1,Null Island Museum,Museum,0,0,content/sites/x.md\n");
        std::fs::write(p, text).unwrap();
    });
    let out_dir = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["ingest", "-q", "--data-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(out_dir.path().join("atlas.json"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains(file) && stderr.contains("differs from the manifest"),
        "{stderr}"
    );
}

/// A municipality twice in the Destatis directory would have its area summed twice.
#[test]
fn a_duplicate_directory_row_names_both_lines() {
    let file = "municipalities/destatis_gv_auszug_sachsen_2019-12-31.csv";
    let dir = broken_dir(file, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let row = text.lines().nth(5).unwrap();
        assert!(row.starts_with("60,61,14,5,11,0000,000,\"Chemnitz, Stadt\""));
        std::fs::write(p, format!("{text}{row}\n")).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[file, "line 747", "duplicate key 14511000", "line 6"],
    );
}

/// A published figure outside its plausible range (Dresden 2.85 → 5000 car minutes to the
/// pharmacy) passes the reader (a number, not -9999) but not the check of the built atlas.
#[test]
fn an_implausible_computed_indicator_fails_the_build() {
    let file = "deutschlandatlas/deutschlandatlas_2024-12_GEM1220.csv";
    let dir = broken_dir(file, |p, bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let row = "14612000,\"Dresden, Stadt\",2.85\n";
        assert!(text.contains(row));
        let bad = text.replacen(row, "14612000,\"Dresden, Stadt\",5000\n", 1);
        std::fs::write(p, bad).unwrap();
    });
    refused_by_ingest(
        dir.path(),
        &[
            "indicator car_min_pharmacy, municipality 14612000 (Dresden): 5000 min is outside the plausible range 0–300 min",
            file,
        ],
    );
}
