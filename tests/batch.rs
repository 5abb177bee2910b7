//! Batch rankings (issue 5) on the bundled atlas: every input format (CSV, JSON Lines, Parquet)
//! into every output format (Parquet, CSV) gives the same rows; a row equals `lotse rank` for
//! the same profile; bad rows go to the rejects file and the run goes on; results do not
//! depend on the run, the number of threads or the chunk size; the metadata names the atlas,
//! the version and the criteria; the grid generator writes exactly its product; and
//! `POST /api/v1/batch` answers line by line, in-process.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lotse::batch::grid::{self, GridSpec};
use lotse::batch::input::InputFormat;
use lotse::batch::output::{meta_path, rejects_path};
use lotse::batch::{self, BatchOptions, Summary};
use lotse::server::{AppState, ServeArgs, router};
use polars::prelude::{DataFrame, ParquetReader, SerReader};
use scoring::atlas::Atlas;
use scoring::{Profile, RankOptions, Ranker};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use tower::ServiceExt;

static ATLAS: LazyLock<Atlas> = LazyLock::new(|| datasets::atlas_file::bundled().unwrap());

/// One result row: profile_id, rank, ags, name, score, utilities per criterion.
type Row = (String, u32, String, String, f64, Vec<Option<f64>>);

fn spec() -> GridSpec {
    GridSpec {
        adults: vec![1, 2],
        children: vec![vec![], vec![3], vec![3, 7]],
        rent_budget_eur: vec![Some(600.0), Some(1000.0), Some(1400.0)],
        workplace: vec![vec![], vec!["Dresden".into()], vec!["14713000".into()]],
        max_commute_km: vec![None, Some(40.0)],
        car: vec![true, false],
        ..GridSpec::default()
    }
}

fn grid_file(dir: &Path, ext: &str) -> PathBuf {
    let path = dir.join(format!("grid.{ext}"));
    let format = InputFormat::from_path(&path).unwrap();
    grid::write(&spec(), &path, format).unwrap();
    path
}

fn run(profiles: &Path, out: &Path, f: impl FnOnce(&mut BatchOptions)) -> Summary {
    let mut o = BatchOptions::new(profiles, out);
    f(&mut o);
    batch::run(&ATLAS, &o).unwrap()
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

fn rows(path: &Path) -> Vec<Row> {
    let criteria = scoring::Criterion::ALL.map(|c| c.id());
    if path.extension().unwrap() == "parquet" {
        let df = read_parquet(path);
        let ids = df.column("profile_id").unwrap().str().unwrap().clone();
        let ranks = df.column("rank").unwrap().u32().unwrap().clone();
        let ags = df.column("ags").unwrap().str().unwrap().clone();
        let names = df.column("name").unwrap().str().unwrap().clone();
        let scores = df.column("score").unwrap().f64().unwrap().clone();
        let utils: Vec<_> = criteria
            .iter()
            .filter_map(|c| df.column(c).ok().map(|s| s.f64().unwrap().clone()))
            .collect();
        (0..df.height())
            .map(|i| {
                (
                    ids.get(i).unwrap().to_string(),
                    ranks.get(i).unwrap(),
                    ags.get(i).unwrap().to_string(),
                    names.get(i).unwrap().to_string(),
                    scores.get(i).unwrap(),
                    utils.iter().map(|u| u.get(i)).collect(),
                )
            })
            .collect()
    } else {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().clone();
        let with_criteria = header.len() > 5;
        if with_criteria {
            assert_eq!(header.iter().skip(5).collect::<Vec<_>>(), criteria);
        }
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                (
                    rec[0].to_string(),
                    rec[1].parse().unwrap(),
                    rec[2].to_string(),
                    rec[3].to_string(),
                    rec[4].parse().unwrap(),
                    (5..rec.len())
                        .map(|k| (!rec[k].is_empty()).then(|| rec[k].parse().unwrap()))
                        .collect(),
                )
            })
            .collect()
    }
}

/// The grid's profiles as the batch reads them (JSON Lines is the profile's own JSON).
fn grid_profiles(dir: &Path) -> Vec<(String, Profile)> {
    let path = grid_file(dir, "jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let (id, p) = lotse::batch::input::parse_json_line(l);
            (lotse::batch::input::id_text(&id.unwrap()), p.unwrap())
        })
        .collect()
}

#[test]
fn every_input_format_into_every_output_format_gives_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let expected_profiles = spec().size() - 2 * 3 * 3 * 2; // max_commute without workplace
    let mut all = Vec::new();
    for input in ["csv", "jsonl", "parquet"] {
        let profiles = grid_file(dir.path(), input);
        for output in ["parquet", "csv"] {
            let out = dir.path().join(format!("from-{input}.{output}"));
            let s = run(&profiles, &out, |_| {});
            assert_eq!(s.read, expected_profiles, "{input} → {output}");
            assert_eq!(s.rejected, 0);
            assert_eq!(s.ranked, s.read);
            let r = rows(&out);
            assert_eq!(r.len() as u64, s.rows);
            assert!(s.rows > 0 && s.rows <= 10 * s.ranked);
            assert!(rejects_path(&out).exists());
            all.push((format!("{input} → {output}"), r));
        }
    }
    for (what, r) in &all[1..] {
        assert_eq!(r, &all[0].1, "{what} differs from {}", all[0].0);
    }
    // Long format: per profile, ranks 1..k in order and scores not increasing.
    let r = &all[0].1;
    for w in r.windows(2) {
        if w[0].0 == w[1].0 {
            assert_eq!(w[1].1, w[0].1 + 1);
            assert!(w[1].4 <= w[0].4);
        } else {
            assert_eq!(w[1].1, 1);
        }
    }
}

#[test]
fn a_batch_row_equals_the_ranking_of_the_same_profile() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = grid_file(dir.path(), "csv");
    let out = dir.path().join("r.parquet");
    run(&profiles, &out, |o| o.top_k = 15);
    let got = rows(&out);
    let ranker = Ranker::new(&ATLAS).unwrap();
    let mut checked = 0;
    for (id, p) in grid_profiles(dir.path()) {
        let ranking = ranker.rank(&p, &RankOptions::default()).unwrap();
        let want: Vec<(u32, &str, &str, f64)> = ranking
            .ranked
            .iter()
            .take(15)
            .map(|r| (r.rank, r.ags, r.name, r.score))
            .collect();
        let mine: Vec<(u32, &str, &str, f64)> = got
            .iter()
            .filter(|r| r.0 == id)
            .map(|r| (r.1, r.2.as_str(), r.3.as_str(), r.4))
            .collect();
        assert_eq!(mine, want, "profile {id}: {p:?}");
        checked += 1;
    }
    assert!(checked > 100);

    // … and `lotse rank --format json` for one profile, through the binary.
    let profile = r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 1000, "workplace": "Dresden", "max_commute_km": 40, "car": false}"#;
    let pfile = dir.path().join("p.json");
    std::fs::write(&pfile, profile).unwrap();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["rank", "--format", "json", "--top", "10", "--profile"])
        .arg(&pfile)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let json: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let jsonl = dir.path().join("one.jsonl");
    std::fs::write(&jsonl, format!("{profile}\n")).unwrap();
    let out = dir.path().join("one.csv");
    run(&jsonl, &out, |_| {});
    let mine = rows(&out);
    let theirs = json["ranked"].as_array().unwrap();
    assert_eq!(mine.len(), 10);
    for (m, t) in mine.iter().zip(theirs) {
        assert_eq!(m.0, "1");
        assert_eq!(m.1 as u64, t["rank"].as_u64().unwrap());
        assert_eq!(m.2, t["ags"].as_str().unwrap());
        assert_eq!(m.3, t["name"].as_str().unwrap());
        assert_eq!(
            m.4,
            t["score"].as_f64().unwrap(),
            "scores are bit-identical"
        );
    }
}

#[test]
fn bad_rows_go_to_the_rejects_file_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("survey.csv");
    std::fs::write(
        &csv,
        "profile_id,adults,children,rent_budget_eur,workplace,max_commute_km,weights.leisure\n\
         a,2,3;7,900,Dresden,50,\n\
         b,0,,900,,,\n\
         c,2,3;x,900,,,\n\
         d,2,,abc,,,\n\
         e,2,,900,Atlantis,,\n\
         f,2,,900,,30,\n\
         g,2,,900\n\
         h,1,,,,,4\n\
         i,2,19,,,,\n\
         j,1,,,\"51.05,13.74\",25,\n",
    )
    .unwrap();
    let out = dir.path().join("r.csv");
    let s = run(&csv, &out, |o| o.top_k = 3);
    assert_eq!((s.read, s.ranked, s.rejected), (10, 3, 7));
    let ids: Vec<String> = rows(&out).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["a", "a", "a", "h", "h", "h", "j", "j", "j"]);

    let mut r = csv::Reader::from_path(rejects_path(&out)).unwrap();
    assert_eq!(
        r.headers().unwrap(),
        vec!["profile_id", "line", "field", "reason", "allowed"]
    );
    let rejects: Vec<(String, String, String, String)> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            (x[0].into(), x[1].into(), x[2].into(), x[3].into())
        })
        .collect();
    let got: Vec<(&str, &str, &str)> = rejects
        .iter()
        .map(|(i, l, f, _)| (i.as_str(), l.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("b", "3", "adults"),
            ("c", "4", "children[1]"),
            ("d", "5", "rent_budget_eur"),
            ("e", "6", "workplace"),
            ("f", "7", "max_commute_km"),
            ("g", "8", "(row)"),
            ("i", "10", "children[0]"),
        ]
    );
    assert!(rejects[3].3.contains("Atlantis"), "{:?}", rejects[3]);
    assert!(rejects[5].3.contains("4 fields"), "{:?}", rejects[5]);

    // JSON Lines: a malformed line and an invalid profile are rejected by line; blank lines
    // are skipped; ids are taken from the line, else its position.
    let jsonl = dir.path().join("p.jsonl");
    std::fs::write(
        &jsonl,
        "{\"adults\": 1}\n\n{\"adults\": 2,\n{\"profile_id\": 7, \"adults\": 11}\n{\"profile_id\": \"z\", \"adults\": 2, \"children\": [1]}\n{\"profile_id\": [1], \"adults\": 1}\n",
    )
    .unwrap();
    let out = dir.path().join("j.parquet");
    let s = run(&jsonl, &out, |o| o.top_k = 1);
    assert_eq!((s.read, s.ranked, s.rejected), (5, 2, 3));
    let ids: Vec<String> = rows(&out).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["1", "z"]);
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    let lines: Vec<&str> = rej.lines().collect();
    assert!(
        lines[1].starts_with("2,3,(profile),malformed JSON"),
        "{rej}"
    );
    assert!(lines[2].starts_with("7,4,adults"), "{rej}");
    assert!(lines[3].starts_with("5,6,profile_id"), "{rej}");
    // A line that is not UTF-8 is rejected; the run goes on.
    let mut bytes = b"{\"adults\": 1}\n{\"adults\": 1, \"workplace\": \"Dresd".to_vec();
    bytes.extend_from_slice(b"\xff\"}\n{\"adults\": 2}\n");
    std::fs::write(&jsonl, bytes).unwrap();
    let s = run(&jsonl, &out, |o| o.top_k = 1);
    assert_eq!((s.read, s.ranked, s.rejected), (3, 2, 1));
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    assert!(rej.contains("2,2,(profile),not valid UTF-8"), "{rej}");
}

#[test]
fn a_file_level_problem_stops_the_run_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("typo.csv");
    std::fs::write(&csv, "adults,childern\n2,3\n").unwrap();
    let out = dir.path().join("r.parquet");
    let e = batch::run(&ATLAS, &BatchOptions::new(&csv, &out)).unwrap_err();
    assert!(
        format!("{e:#}").contains("unknown column `childern`"),
        "{e:#}"
    );
    std::fs::write(&csv, "children\n3\n").unwrap();
    let e = batch::run(&ATLAS, &BatchOptions::new(&csv, &out)).unwrap_err();
    assert!(format!("{e:#}").contains("no `adults` column"), "{e:#}");
    let e = batch::run(&ATLAS, &BatchOptions::new(&csv, dir.path().join("r.xlsx"))).unwrap_err();
    assert!(format!("{e:#}").contains("--output-format"), "{e:#}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "typo.csv")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn results_do_not_depend_on_the_run_threads_or_chunk_size() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = grid_file(dir.path(), "parquet");
    let mut outputs = Vec::new();
    for (threads, chunk) in [(1, 8192), (2, 8192), (2, 7), (1, 7), (2, 8192)] {
        let out = dir
            .path()
            .join(format!("r-{threads}-{chunk}-{}.csv", outputs.len()));
        run(&profiles, &out, |o| {
            o.threads = Some(threads);
            o.chunk_size = chunk;
            o.with_criteria = true;
        });
        outputs.push(std::fs::read(&out).unwrap());
        let pq = out.with_extension("parquet");
        run(&profiles, &pq, |o| {
            o.threads = Some(threads);
            o.chunk_size = chunk;
        });
        assert_eq!(
            rows(&pq)
                .into_iter()
                .map(|r| (r.0, r.1, r.2, r.4))
                .collect::<Vec<_>>(),
            rows(&out)
                .into_iter()
                .map(|r| (r.0, r.1, r.2, r.4))
                .collect::<Vec<_>>()
        );
    }
    for o in &outputs[1..] {
        assert!(o == &outputs[0], "CSV bytes differ between runs");
    }
}

#[test]
fn criteria_columns_hold_the_utilities_of_the_explanations() {
    let dir = tempfile::tempdir().unwrap();
    let profile = r#"{"profile_id": "p", "adults": 2, "children": [2, 8], "rent_budget_eur": 1100, "workplace": "Leipzig", "town_size": "town"}"#;
    let jsonl = dir.path().join("p.jsonl");
    std::fs::write(&jsonl, profile).unwrap();
    let out = dir.path().join("r.parquet");
    run(&jsonl, &out, |o| {
        o.with_criteria = true;
        o.top_k = 5;
    });
    let got = rows(&out);
    let ranker = Ranker::new(&ATLAS).unwrap();
    let (_, p) = lotse::batch::input::parse_json_line(profile);
    let ranking = ranker.rank(&p.unwrap(), &RankOptions::default()).unwrap();
    assert_eq!(got.len(), 5);
    for (row, r) in got.iter().zip(&ranking.ranked) {
        assert_eq!(row.5.len(), 12);
        for c in scoring::Criterion::ALL {
            let want = r
                .explanations
                .iter()
                .find(|e| e.criterion == c)
                .and_then(|e| e.utility);
            assert_eq!(row.5[c.index()], want, "{} {}", r.name, c.id());
        }
    }
    // The household has no use for secondary schools' absence: off criteria are null.
    assert!(got[0].5[scoring::Criterion::TownSize.index()].is_some());
    assert!(got[0].5[scoring::Criterion::Childcare.index()].is_some());
}

#[test]
fn robustness_columns_are_the_rankings_figures() {
    let dir = tempfile::tempdir().unwrap();
    let profile = r#"{"profile_id": "p", "adults": 2, "children": [2, 8], "rent_budget_eur": 1100, "workplace": "Leipzig", "car": false}"#;
    let jsonl = dir.path().join("p.jsonl");
    std::fs::write(&jsonl, profile).unwrap();
    let (_, p) = lotse::batch::input::parse_json_line(profile);
    let ranker = Ranker::new(&ATLAS).unwrap();
    let k = 7;
    let opts = RankOptions {
        explain_top: k,
        robustness: Some(batch::robustness(k)),
        ..RankOptions::default()
    };
    let ranking = ranker.rank(&p.unwrap(), &opts).unwrap();
    let want: Vec<(u32, String, f64, u32, u32, u32)> = ranking
        .ranked
        .iter()
        .take(k)
        .map(|r| {
            let [lo, hi] = r.rank_interval.unwrap();
            (
                r.rank,
                r.ags.to_string(),
                r.top_k_share.unwrap(),
                lo,
                hi,
                r.group.unwrap(),
            )
        })
        .collect();
    // Parquet, with criteria too: the robustness columns come after the score.
    let pq = dir.path().join("r.parquet");
    run(&jsonl, &pq, |o| {
        o.robustness = true;
        o.with_criteria = true;
        o.top_k = k;
    });
    let df = read_parquet(&pq);
    let names: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
    assert_eq!(
        &names[5..9],
        ["top_k_share", "rank_p5", "rank_p95", "group"]
    );
    let u = |c: &str| df.column(c).unwrap().u32().unwrap().clone();
    let share = df.column("top_k_share").unwrap().f64().unwrap().clone();
    let got: Vec<(u32, String, f64, u32, u32, u32)> = (0..df.height())
        .map(|i| {
            (
                u("rank").get(i).unwrap(),
                df.column("ags")
                    .unwrap()
                    .str()
                    .unwrap()
                    .get(i)
                    .unwrap()
                    .to_string(),
                share.get(i).unwrap(),
                u("rank_p5").get(i).unwrap(),
                u("rank_p95").get(i).unwrap(),
                u("group").get(i).unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // CSV, without criteria.
    let csv_out = dir.path().join("r.csv");
    run(&jsonl, &csv_out, |o| {
        o.robustness = true;
        o.top_k = k;
    });
    let mut r = csv::Reader::from_path(&csv_out).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "profile_id",
            "rank",
            "ags",
            "name",
            "score",
            "top_k_share",
            "rank_p5",
            "rank_p95",
            "group"
        ]
    );
    let got: Vec<(u32, String, f64, u32, u32, u32)> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[1].parse().unwrap(),
                rec[2].to_string(),
                rec[5].parse().unwrap(),
                rec[6].parse().unwrap(),
                rec[7].parse().unwrap(),
                rec[8].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(meta_path(&csv_out)).unwrap()).unwrap();
    assert_eq!(meta["robustness"]["draws"], 10_000);
    assert_eq!(meta["robustness"]["k"], k);
    // Off by default: no robustness columns, no robustness in the metadata.
    let plain = dir.path().join("plain.csv");
    run(&jsonl, &plain, |o| o.top_k = k);
    let mut r = csv::Reader::from_path(&plain).unwrap();
    assert_eq!(r.headers().unwrap().len(), 5);
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(meta_path(&plain)).unwrap()).unwrap();
    assert!(meta.get("robustness").is_none());
}

#[test]
fn metadata_names_atlas_version_criteria_and_command() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = grid_file(dir.path(), "csv");
    let out = dir.path().join("r.parquet");
    run(&profiles, &out, |o| {
        o.top_k = 4;
        o.command = "lotse batch --profiles grid.csv --out r.parquet --top-k 4".into();
    });
    let mut reader = ParquetReader::new(std::fs::File::open(&out).unwrap());
    let md = reader.get_metadata().unwrap().clone();
    let kv: std::collections::BTreeMap<String, String> = md
        .key_value_metadata
        .clone()
        .unwrap()
        .into_iter()
        .filter_map(|k| Some((k.key, k.value?)))
        .collect();
    assert_eq!(kv["lotse.atlas_input_hash"], ATLAS.input_hash);
    assert_eq!(kv["lotse.lotse_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(kv["lotse.top_k"], "4");
    assert!(kv["lotse.command"].contains("--top-k 4"));
    let criteria: Value = serde_json::from_str(&kv["lotse.criteria"]).unwrap();
    assert_eq!(
        criteria,
        serde_json::to_value(scoring::criteria::table()).unwrap()
    );
    assert_eq!(md.row_groups.len(), 1, "a small result is one row group");
    // Strings are recorded as plain large strings, not string views (which pyarrow < 16 and
    // readers built on it refuse).
    {
        use polars::prelude::{CompatLevel, DataType, Field, Schema, SchemaExt};
        let schema = Schema::from_iter([
            Field::new("profile_id".into(), DataType::String),
            Field::new("rank".into(), DataType::UInt32),
            Field::new("ags".into(), DataType::String),
            Field::new("name".into(), DataType::String),
            Field::new("score".into(), DataType::Float64),
        ]);
        let key = |level| {
            polars_parquet::write::schema_to_metadata_key(&schema.to_arrow(level))
                .value
                .unwrap()
        };
        assert_eq!(kv["ARROW:schema"], key(CompatLevel::oldest()));
        assert_ne!(kv["ARROW:schema"], key(CompatLevel::newest()));
    }

    let out = dir.path().join("r.csv");
    run(&profiles, &out, |o| o.with_criteria = true);
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(meta_path(&out)).unwrap()).unwrap();
    assert_eq!(meta["atlas_input_hash"], ATLAS.input_hash.as_str());
    assert_eq!(meta["top_k"], 10);
    assert_eq!(meta["with_criteria"], true);
    assert_eq!(meta["columns"][5], "childcare");
    assert!(meta["criteria"]["criteria"].as_array().unwrap().len() == 12);
}

#[test]
fn parquet_profiles_may_type_their_columns() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.parquet");
    let children = ListChunked::from_iter([
        Some(Series::new("".into(), &[3i64, 7])),
        None,
        Some(Series::new("".into(), &[19i64])),
    ])
    .with_name("children".into());
    let mut df = DataFrame::new(
        3,
        vec![
            Column::new("profile_id".into(), &[10i64, 11, 12]),
            Column::new("adults".into(), &[2i32, 1, 2]),
            children.into_series().into_column(),
            Column::new(
                "rent_budget_eur".into(),
                &[Some(900.0f64), None, Some(800.0)],
            ),
            Column::new("car".into(), &[true, false, true]),
            Column::new(
                "workplace".into(),
                &[Some("Dresden"), None, Some("Leipzig")],
            ),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    let out = dir.path().join("r.csv");
    let s = run(&path, &out, |o| o.top_k = 2);
    assert_eq!((s.read, s.ranked, s.rejected), (3, 2, 1));
    let ranker = Ranker::new(&ATLAS).unwrap();
    let p = Profile::from_json(
        r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden"}"#,
    )
    .unwrap();
    let want = ranker.rank(&p, &RankOptions::bare()).unwrap();
    let got = rows(&out);
    assert_eq!(got[0].0, "10");
    assert_eq!(got[0].2, want.ranked[0].ags);
    assert_eq!(got[2].0, "11");
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    assert!(
        rej.lines().nth(1).unwrap().starts_with("12,3,children[0]"),
        "{rej}"
    );
}

#[test]
fn the_grid_is_exactly_its_product() {
    let s = GridSpec {
        adults: grid::parse_whole("--adults", "1,2").unwrap(),
        children: grid::parse_children("none;3;3,7").unwrap(),
        rent_budget_eur: grid::parse_numbers("--budget", "600..1400:100").unwrap(),
        car: grid::parse_bools("--car", "true,false").unwrap(),
        ..GridSpec::default()
    };
    assert_eq!(s.size(), 2 * 3 * 9 * 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.csv");
    let sum = grid::write(&s, &path, InputFormat::Csv).unwrap();
    assert_eq!((sum.combinations, sum.written), (108, 108));
    assert!(sum.skipped.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 109);
    assert_eq!(lines[0], "profile_id,adults,children,rent_budget_eur,car");
    // The last dimension turns fastest.
    assert_eq!(lines[1], "1,1,,600,true");
    assert_eq!(lines[2], "2,1,,600,false");
    assert_eq!(lines[3], "3,1,,700,true");
    assert_eq!(lines[19], "19,1,3,600,true");
    assert_eq!(lines[108], "108,2,3;7,1400,false");
    // Every combination once.
    let distinct: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split_once(',').unwrap().1)
        .collect();
    assert_eq!(distinct.len(), 108);

    // Invalid combinations are skipped and counted by reason.
    let s = GridSpec {
        adults: vec![2],
        workplace: grid::parse_workplaces("none;Dresden;Leipzig+Chemnitz").unwrap(),
        max_commute_km: grid::parse_numbers("--max-commute-km", "none,30").unwrap(),
        weights: vec![grid::parse_weight("leisure=0..5:2.5").unwrap()],
        ..GridSpec::default()
    };
    let path = dir.path().join("g.jsonl");
    let sum = grid::write(&s, &path, InputFormat::Jsonl).unwrap();
    assert_eq!((sum.combinations, sum.written), (18, 15));
    assert_eq!(sum.skipped.values().sum::<u64>(), 3);
    let last = std::fs::read_to_string(&path).unwrap();
    let last: Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(last["profile_id"], 15);
    assert_eq!(
        last["workplace"],
        serde_json::json!(["Leipzig", "Chemnitz"])
    );
    assert_eq!(last["weights"]["leisure"], 5.0);

    for bad in ["600..400:100", "600..1400:0", "cheap"] {
        assert!(grid::parse_numbers("--budget", bad).is_err(), "{bad}");
    }
    assert!(grid::parse_weight("pool=1").is_err());
}

async fn post(body: String, content_type: &str, uri: &str) -> (StatusCode, String, String) {
    let atlas = datasets::atlas_file::bundled().unwrap();
    let app = router(AppState::new(atlas, None).unwrap(), &ServeArgs::default());
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .unwrap();
    (status, ct, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn the_batch_endpoint_answers_line_by_line() {
    let body = [
        r#"{"profile_id": "fam", "adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden"}"#,
        "",
        r#"{"adults": 2, "children": [3, 70]}"#,
        r#"{"profile_id": 42, "adults": 1, "car": false}"#,
        r#"{"adults": 1,"#,
    ]
    .join("\n");
    let (s, ct, text) = post(body, "application/x-ndjson", "/api/v1/batch?top=3").await;
    assert_eq!(s, StatusCode::OK, "{text}");
    assert_eq!(ct, "application/x-ndjson");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["profile_id"], "fam");
    assert_eq!(lines[0]["ranked"].as_array().unwrap().len(), 3);
    assert_eq!(lines[0]["ranked"][0]["rank"], 1);
    // The same as ranking the profile alone.
    let ranker = Ranker::new(&ATLAS).unwrap();
    let p = Profile::from_json(
        r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden"}"#,
    )
    .unwrap();
    let want = ranker.rank(&p, &RankOptions::bare()).unwrap();
    for (k, w) in want.ranked.iter().take(3).enumerate() {
        assert_eq!(lines[0]["ranked"][k]["ags"], w.ags);
        assert_eq!(lines[0]["ranked"][k]["score"].as_f64().unwrap(), w.score);
    }
    // A bad line gets its error, with its line number as id; the others go on.
    assert_eq!(lines[1]["profile_id"], 3);
    assert_eq!(lines[1]["error"]["field"], "children[1]");
    assert!(
        lines[1]["error"]["allowed"]
            .as_str()
            .unwrap()
            .contains("0–17")
    );
    assert_eq!(lines[2]["profile_id"], 42);
    assert!(lines[2]["ranked"].is_array());
    assert_eq!(lines[3]["profile_id"], 5);
    assert!(lines[3]["error"]["problem"].is_string());
}

#[tokio::test]
async fn the_batch_endpoint_is_bounded() {
    let one = "{\"adults\": 1}\n";
    let (s, ct, text) = post(
        one.repeat(1000),
        "application/x-ndjson",
        "/api/v1/batch?top=1",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/x-ndjson");
    assert_eq!(text.lines().count(), 1000);

    let (s, ct, text) = post(one.repeat(1001), "application/x-ndjson", "/api/v1/batch").await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert_eq!(ct, "application/problem+json");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["status"], 413);
    assert!(v["detail"].as_str().unwrap().contains("1000"), "{v}");

    // A body over 2 MiB (far above the API's limit for one profile) is refused as a problem.
    let long = format!("{{\"adults\": 1, \"x\": \"{}\"}}\n", "a".repeat(3 << 20));
    let (s, ct, _) = post(long, "application/x-ndjson", "/api/v1/batch").await;
    assert_eq!(
        (s, ct.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "application/problem+json")
    );
    // … while a batch above the single-profile limit (64 KiB) is fine.
    let big = format!(
        "{}\n",
        r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden", "max_commute_km": 60}"#
    )
    .repeat(900);
    assert!(big.len() > 64 * 1024);
    let (s, _, text) = post(big, "application/x-ndjson", "/api/v1/batch").await;
    assert_eq!(s, StatusCode::OK, "{text}");

    let (s, ct, _) = post(one.into(), "application/json", "/api/v1/batch").await;
    assert_eq!(
        (s, ct.as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/problem+json"
        )
    );
    let (s, _, _) = post(one.into(), "application/x-ndjson", "/api/v1/batch?top=51").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = post(" \n".into(), "application/x-ndjson", "/api/v1/batch").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_batch_endpoint_never_rounds_or_balloons_a_profile_id() {
    let long = "x".repeat(257);
    let body = [
        r#"{"profile_id": 18446744073709551615, "adults": 1}"#.to_string(),
        r#"{"profile_id": 18446744073709551616, "adults": 1}"#.to_string(),
        format!(r#"{{"profile_id": "{long}", "adults": 1}}"#),
    ]
    .join("\n");
    let (s, _, text) = post(body, "application/x-ndjson", "/api/v1/batch?top=1").await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    // Kept exactly (as the JSON number it was).
    assert!(
        lines[0].starts_with(r#"{"profile_id":18446744073709551615,"ranked":"#),
        "{text}"
    );
    // Beyond u64 it could only be rounded: the line is rejected, with its line number as id.
    let v: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(v["profile_id"], 2);
    assert_eq!(v["error"]["field"], "profile_id");
    assert!(
        v["error"]["allowed"]
            .as_str()
            .unwrap()
            .contains("18446744073709551615")
    );
    let v: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(v["profile_id"], 3);
    assert_eq!(v["error"]["problem"], "257 bytes long");
}
