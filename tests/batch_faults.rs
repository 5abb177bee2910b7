//! `lotse batch` under faults (issue 11): a reader that dies mid-file commits nothing; runs
//! with the same `--out` never share a temporary file; `--out` replaces only a regular file
//! other than the input (`-` is standard output); Parquet columns as pandas and DuckDB write
//! them after downcasting (int8/int16/uint8/uint16/float16/date) are read; options and
//! `profile_id` are bounded, and ids are never silently changed.

use lotse::batch::input::{self, InputFormat, ProfileSource, RawChunk};
use lotse::batch::output::rejects_path;
use lotse::batch::{self, BatchOptions};
use polars::prelude::{
    ArrayRef, ArrowDataType, ArrowField, ArrowSchema, DataFrame, ParquetReader, SerReader, Series,
};
use scoring::atlas::Atlas;
use scoring::{Profile, RankOptions, Ranker};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

static ATLAS: LazyLock<Atlas> = LazyLock::new(|| datasets::atlas_file::bundled().unwrap());

fn lotse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(args)
        .env_remove("LOTSE_DATA")
        .output()
        .unwrap()
}

/// `lotse batch --profiles PROFILES --out OUT EXTRA…`
fn batch(profiles: &str, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["batch", "--profiles", profiles, "--out", out];
    args.extend_from_slice(extra);
    lotse(&args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// File names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// `n` valid profiles as CSV, ids `p1`, `p2`, … (adults 1–2, a few children and budgets).
fn profiles_csv(path: &Path, n: usize) {
    let mut s = String::from("profile_id,adults,children,rent_budget_eur\n");
    for i in 1..=n {
        let children = ["", "3", "3;7"][i % 3];
        s.push_str(&format!(
            "p{i},{},{children},{}\n",
            1 + i % 2,
            600 + (i % 9) * 100
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// (1) A dying reader commits nothing.

/// A real source that hands out its first chunk and then panics, as a reader hit by a bug.
struct PanicsAfterFirstChunk {
    inner: Box<dyn ProfileSource>,
    calls: usize,
}

impl ProfileSource for PanicsAfterFirstChunk {
    fn next_chunk(&mut self, max: usize) -> anyhow::Result<Option<RawChunk>> {
        self.calls += 1;
        if self.calls > 1 {
            panic!("reader bug after the first chunk");
        }
        self.inner.next_chunk(max)
    }
    fn progress(&self) -> (u64, u64) {
        self.inner.progress()
    }
}

/// A real source that stops after its first chunk as if the input had ended there (no error,
/// no panic) but never reaches the end: the pipeline sees its channel close.
struct VanishesAfterFirstChunk {
    inner: Box<dyn ProfileSource>,
    calls: usize,
}

impl ProfileSource for VanishesAfterFirstChunk {
    fn next_chunk(&mut self, max: usize) -> anyhow::Result<Option<RawChunk>> {
        self.calls += 1;
        if self.calls > 1 {
            anyhow::bail!("the disk went away")
        }
        self.inner.next_chunk(max)
    }
    fn progress(&self) -> (u64, u64) {
        self.inner.progress()
    }
}

#[test]
fn a_reader_that_panics_mid_file_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    profiles_csv(&csv, 300);
    for out_name in ["r.parquet", "r.csv"] {
        let out = dir.path().join(out_name);
        // The previous run's files.
        std::fs::write(&out, b"previous results").unwrap();
        std::fs::write(rejects_path(&out), b"previous rejects").unwrap();
        let before = names(dir.path());
        let mut opts = BatchOptions::new(&csv, &out);
        opts.chunk_size = 100;
        let source = Box::new(PanicsAfterFirstChunk {
            inner: input::open(&csv, InputFormat::Csv).unwrap(),
            calls: 0,
        });
        let e = batch::run_source(&ATLAS, &opts, source).unwrap_err();
        let msg = format!("{e:#}");
        assert!(msg.contains("p.csv"), "{msg}");
        assert!(msg.contains("reader bug after the first chunk"), "{msg}");
        assert!(msg.contains("no file was replaced"), "{msg}");
        assert_eq!(std::fs::read(&out).unwrap(), b"previous results");
        assert_eq!(
            std::fs::read(rejects_path(&out)).unwrap(),
            b"previous rejects"
        );
        assert_eq!(names(dir.path()), before, "temporary files are removed");

        // An error mid-file, likewise.
        let source = Box::new(VanishesAfterFirstChunk {
            inner: input::open(&csv, InputFormat::Csv).unwrap(),
            calls: 0,
        });
        let e = batch::run_source(&ATLAS, &opts, source).unwrap_err();
        assert!(format!("{e:#}").contains("the disk went away"), "{e:#}");
        assert_eq!(std::fs::read(&out).unwrap(), b"previous results");
        assert_eq!(names(dir.path()), before);

        // The same source read to its end commits.
        let s =
            batch::run_source(&ATLAS, &opts, input::open(&csv, InputFormat::Csv).unwrap()).unwrap();
        assert_eq!(s.read, 300);
    }
}

/// Writes a Parquet file from Arrow arrays, one row group per entry of `groups` (each the
/// columns of that group), with polars-parquet's writer: polars' own writer cannot make
/// int8/uint16/float16/date columns in this build (no such dtypes). A `FixedSizeBinary(2)`
/// array is written as the Parquet FLOAT16 it encodes (two little-endian bytes per value).
fn write_arrow(path: &Path, names: &[&str], groups: Vec<Vec<ArrayRef>>) {
    use polars::prelude::PolarsError;
    use polars_parquet::parquet::error::ParquetError;
    use polars_parquet::write::{
        CompressionOptions, Compressor, DynIter, DynStreamingIterator, Encoding,
        FallibleStreamingIterator, FileWriter, StatisticsOptions, Version, WriteOptions,
        array_to_columns,
    };
    let schema = ArrowSchema::from_iter(names.iter().zip(&groups[0]).map(|(n, a)| {
        let dt = match a.dtype() {
            ArrowDataType::FixedSizeBinary(2) => ArrowDataType::Float16,
            other => other.clone(),
        };
        ArrowField::new((*n).into(), dt, true)
    }));
    let options = WriteOptions {
        statistics: StatisticsOptions::empty(),
        version: Version::V2,
        compression: CompressionOptions::Zstd(None),
        data_page_size: None,
    };
    let file = std::fs::File::create(path).unwrap();
    let mut w = FileWriter::try_new(file, schema, options).unwrap();
    let types = w.parquet_schema().fields().to_vec();
    for arrays in groups {
        let rows = arrays[0].len() as u64;
        let columns: Vec<_> = arrays
            .into_iter()
            .zip(types.clone())
            .flat_map(|(a, t)| {
                array_to_columns(a, t, options, &[Encoding::Plain])
                    .unwrap()
                    .into_iter()
                    .map(move |pages| {
                        let pages = DynIter::new(
                            pages
                                .into_iter()
                                .map(|p| p.map_err(|e| ParquetError::OutOfSpec(e.to_string()))),
                        );
                        let compressed = Compressor::new(pages, options.compression, vec![])
                            .map_err(|e| PolarsError::ComputeError(e.to_string().into()));
                        Ok(DynStreamingIterator::new(compressed))
                    })
            })
            .collect();
        w.write(rows, DynIter::new(columns.into_iter())).unwrap();
    }
    w.end(None).unwrap();
}

/// `s` as one Arrow array cast to `to`.
fn arrow(s: Series, to: ArrowDataType) -> ArrayRef {
    let a = s.rechunk().chunks()[0].clone();
    polars::polars_compute::cast::cast(a.as_ref(), &to, Default::default()).unwrap()
}

fn large_list_of(inner: ArrowDataType) -> ArrowDataType {
    ArrowDataType::LargeList(Box::new(ArrowField::new("item".into(), inner, true)))
}

/// The issue's file: 20,000 profiles whose `children` is `list<int8>`, the first 10,000 null.
fn int8_children_file(path: &Path) {
    use polars::prelude::{IntoSeries, ListChunked, NamedFrom};
    let n = 20_000usize;
    let group = |from: usize, to: usize| -> Vec<ArrayRef> {
        let children = ListChunked::from_iter(
            (from..to)
                .map(|i| (i >= 10_000).then(|| Series::new("".into(), &[(i % 17) as i32, 3]))),
        )
        .into_series();
        vec![
            arrow(
                Series::new(
                    "".into(),
                    (from..to)
                        .map(|i| format!("q{}", i + 1))
                        .collect::<Vec<_>>(),
                ),
                ArrowDataType::Utf8View,
            ),
            arrow(
                Series::new(
                    "".into(),
                    (from..to).map(|i| 1 + (i % 2) as i64).collect::<Vec<_>>(),
                ),
                ArrowDataType::Int64,
            ),
            arrow(children, large_list_of(ArrowDataType::Int8)),
        ]
    };
    // Two row groups, like a writer with 10,000 rows per group.
    write_arrow(
        path,
        &["profile_id", "adults", "children"],
        vec![group(0, n / 2), group(n / 2, n)],
    );
}

#[test]
fn int8_children_with_leading_nulls_are_read_completely() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("p.parquet");
    int8_children_file(&pq);
    let out = dir.path().join("r.parquet");
    std::fs::write(&out, b"previous").unwrap();
    let o = batch(
        pq.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--top-k", "1", "--quiet"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("profiles read 20000, ranked 20000, rejected 0"),
        "{}",
        text(&o.stdout)
    );
    let df = read_parquet(&out);
    assert_eq!(df.height(), 20_000);
    // Row 12,346 (0-based 12,345) has adults 2 and children [3, 3] (12345 % 17 = 3).
    let ids = df.column("profile_id").unwrap().str().unwrap().clone();
    let k = (0..df.height())
        .find(|&i| ids.get(i) == Some("q12346"))
        .unwrap();
    let ranker = Ranker::new(&ATLAS).unwrap();
    let p = Profile::from_json(r#"{"adults": 2, "children": [3, 3]}"#).unwrap();
    let want = ranker.rank(&p, &RankOptions::bare()).unwrap();
    let ags = df.column("ags").unwrap().str().unwrap().clone();
    assert_eq!(ags.get(k), Some(want.ranked[0].ags));
}

#[test]
fn a_parquet_file_corrupt_mid_file_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("p.parquet");
    int8_children_file(&pq);
    // Overwrite the middle of the second row group's data with garbage: the footer (and so
    // the first row group) stays readable, the second fails to decompress or decode.
    let md = {
        let mut r = ParquetReader::new(std::fs::File::open(&pq).unwrap());
        r.get_metadata().unwrap().clone()
    };
    let rg = &md.row_groups[1];
    let (start, len) = rg
        .parquet_columns()
        .iter()
        .map(|c| c.byte_range())
        .map(|r| (r.start, r.end - r.start))
        .max_by_key(|r| r.1)
        .unwrap();
    let mut bytes = std::fs::read(&pq).unwrap();
    for b in &mut bytes[(start + len / 4) as usize..(start + 3 * len / 4) as usize] {
        *b = 0xA5;
    }
    std::fs::write(&pq, bytes).unwrap();

    let out = dir.path().join("r.parquet");
    std::fs::write(&out, b"previous results").unwrap();
    let o = batch(
        pq.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--chunk-size", "4096", "--quiet"],
    );
    assert!(!o.status.success());
    assert_ne!(o.status.code(), Some(101), "no panic: {}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("p.parquet"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous results");
    assert_eq!(names(dir.path()), ["p.parquet", "r.parquet"]);
}

// ---------------------------------------------------------------------------------------------
// (2) Runs with the same --out.

#[test]
fn a_run_never_touches_another_runs_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    profiles_csv(&csv, 50);
    let out = dir.path().join("r.parquet");
    // What a concurrent run with the same --out would be writing under the old shared name.
    let theirs = dir.path().join("r.parquet.partial");
    std::fs::write(&theirs, b"another run's bytes").unwrap();
    let s = batch::run(&ATLAS, &BatchOptions::new(&csv, &out)).unwrap();
    assert_eq!(s.read, 50);
    assert_eq!(std::fs::read(&theirs).unwrap(), b"another run's bytes");
    assert_eq!(read_parquet(&out).height() as u64, s.rows);
    assert_eq!(
        names(dir.path()),
        [
            "p.csv",
            "r.parquet",
            "r.parquet.partial",
            "r.parquet.rejects.csv"
        ]
    );
}

#[test]
fn concurrent_runs_with_the_same_out_leave_a_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    profiles_csv(&csv, 20_000);
    for out_name in ["r.parquet", "r.csv"] {
        let out = dir.path().join(out_name);
        let results: Vec<_> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..3)
                .map(|_| {
                    s.spawn(|| {
                        let mut o = BatchOptions::new(&csv, &out);
                        o.threads = Some(1);
                        o.chunk_size = 1000;
                        batch::run(&ATLAS, &o)
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for r in &results {
            let s = r.as_ref().unwrap();
            assert_eq!((s.read, s.rows), (20_000, 200_000));
        }
        let height = if out_name.ends_with("parquet") {
            read_parquet(&out).height()
        } else {
            csv::Reader::from_path(&out).unwrap().records().count()
        };
        assert_eq!(height, 200_000, "{out_name}");
        assert!(
            !names(dir.path()).iter().any(|n| n.ends_with(".partial")),
            "{:?}",
            names(dir.path())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (3) What --out may be.

#[test]
fn out_must_be_a_regular_file_other_than_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = d.join("p.csv");
    profiles_csv(&csv, 5);
    let input = std::fs::read(&csv).unwrap();
    let run = |out: PathBuf, f: &dyn Fn(&mut BatchOptions)| {
        let mut o = BatchOptions::new(&csv, out);
        f(&mut o);
        batch::run(&ATLAS, &o).map_err(|e| format!("{e:#}"))
    };

    // A symlink is not written through nor replaced.
    let target = d.join("target.csv");
    std::fs::write(&target, b"keep me").unwrap();
    let link = d.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let e = run(link.clone(), &|_| {}).unwrap_err();
    assert!(e.contains("--out") && e.contains("symbolic link"), "{e}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");

    // A FIFO (as a device node) is not replaced.
    let fifo = d.join("fifo.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let e = run(fifo.clone(), &|_| {}).unwrap_err();
    assert!(e.contains("device, FIFO or socket"), "{e}");
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }

    // A directory.
    let sub = d.join("sub.csv");
    std::fs::create_dir(&sub).unwrap();
    let e = run(sub, &|_| {}).unwrap_err();
    assert!(e.contains("a directory"), "{e}");

    // The input itself, spelt differently, and through a hard link.
    let e = run(d.join(".").join("p.csv"), &|_| {}).unwrap_err();
    assert!(e.contains("is the profiles file"), "{e}");
    let hard = d.join("hard.csv");
    std::fs::hard_link(&csv, &hard).unwrap();
    let e = run(hard, &|_| {}).unwrap_err();
    assert!(e.contains("is the profiles file"), "{e}");
    // The rejects file or the metadata file would be the input.
    std::fs::copy(&csv, d.join("q.csv.rejects.csv")).unwrap();
    let mut o = BatchOptions::new(d.join("q.csv.rejects.csv"), d.join("q.csv"));
    o.input_format = Some(InputFormat::Csv);
    let e = format!("{:#}", batch::run(&ATLAS, &o).unwrap_err());
    assert!(
        e.contains("the rejects file") && e.contains("is the profiles file"),
        "{e}"
    );
    std::fs::copy(&csv, d.join("m.csv.meta.json")).unwrap();
    let mut o = BatchOptions::new(d.join("m.csv.meta.json"), d.join("m.csv"));
    o.input_format = Some(InputFormat::Csv);
    let e = format!("{:#}", batch::run(&ATLAS, &o).unwrap_err());
    assert!(e.contains("the metadata file"), "{e}");

    assert_eq!(
        std::fs::read(&csv).unwrap(),
        input,
        "the input is untouched"
    );
    assert_eq!(std::fs::read(d.join("q.csv.rejects.csv")).unwrap(), input);
    assert!(!names(d).iter().any(|n| n.ends_with(".partial")));
}

#[test]
fn dash_writes_the_results_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    profiles_csv(&csv, 20);
    // One bad row, to see the rejects on standard error.
    let mut s = std::fs::read_to_string(&csv).unwrap();
    s.push_str("bad,0,,\n");
    std::fs::write(&csv, s).unwrap();
    let file_out = dir.path().join("r.csv");
    let p = csv.to_str().unwrap();
    let o = batch(p, file_out.to_str().unwrap(), &["-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let before = names(dir.path());
    let o = batch(p, "-", &["-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(o.stdout, std::fs::read(&file_out).unwrap(), "the same CSV");
    let err = text(&o.stderr);
    assert!(
        err.contains("profiles read 21, ranked 20, rejected 1"),
        "{err}"
    );
    assert!(
        err.contains("profile_id,line,field,reason,allowed\nbad,22,adults,"),
        "{err}"
    );
    assert_eq!(names(dir.path()), before, "no file is written");
    assert!(!Path::new("-").exists());

    // Parquet to a pipe: whole, readable once saved.
    let o = batch(p, "-", &["--output-format", "parquet", "-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let saved = dir.path().join("saved.parquet");
    std::fs::write(&saved, &o.stdout).unwrap();
    let df = read_parquet(&saved);
    assert_eq!(df.height(), 200);
}

// ---------------------------------------------------------------------------------------------
// (4) Parquet column types.

#[test]
fn parquet_small_integer_half_float_and_date_columns_are_read() {
    use polars::prelude::{IntoSeries, ListChunked, NamedFrom};
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("typed.parquet");
    let days = [19_723i32, 0, -1]; // 2024-01-01, 1970-01-01, 1969-12-31
    let children = ListChunked::from_iter([
        Some(Series::new("".into(), &[3i32, 7])),
        None,
        Some(Series::new("".into(), &[12i32])),
    ])
    .into_series();
    write_arrow(
        &pq,
        &[
            "profile_id",
            "adults",
            "children",
            "rent_budget_eur",
            "income_eur",
            "living_space_m2",
            "weights.childcare",
            "town_size",
        ],
        vec![vec![
            arrow(Series::new("".into(), &days), ArrowDataType::Date32),
            arrow(Series::new("".into(), &[2i32, 1, 2]), ArrowDataType::Int8),
            arrow(children, large_list_of(ArrowDataType::UInt8)),
            // Half floats 900 (0x6308) and 1000 (0x63D0), little-endian.
            arrow(
                Series::new(
                    "".into(),
                    &[Some(&[0x08u8, 0x63][..]), None, Some(&[0xD0u8, 0x63][..])],
                ),
                ArrowDataType::FixedSizeBinary(2),
            ),
            arrow(
                Series::new("".into(), &[Some(3200i32), Some(2500), None]),
                ArrowDataType::UInt16,
            ),
            arrow(
                Series::new("".into(), &[Some(80i32), None, Some(-5)]),
                ArrowDataType::Int16,
            ),
            arrow(
                Series::new("".into(), &[Some(5i32), Some(0), None]),
                ArrowDataType::UInt8,
            ),
            arrow(
                Series::new("".into(), &[Some("town"), None, Some("town")]),
                ArrowDataType::LargeUtf8,
            ),
        ]],
    );
    let out = dir.path().join("r.csv");
    let mut o = BatchOptions::new(&pq, &out);
    o.top_k = 3;
    let s = batch::run(&ATLAS, &o).unwrap();
    // The third profile's living space of -5 m² is rejected by validation, naming its field.
    assert_eq!((s.read, s.ranked, s.rejected), (3, 2, 1));
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    assert!(
        rej.lines()
            .nth(1)
            .unwrap()
            .starts_with("1969-12-31,3,living_space_m2"),
        "{rej}"
    );

    // The same profiles as CSV give the same rows.
    let same = dir.path().join("same.csv");
    std::fs::write(
        &same,
        "profile_id,adults,children,rent_budget_eur,income_eur,living_space_m2,weights.childcare,town_size\n\
         2024-01-01,2,3;7,900,3200,80,5,town\n\
         1970-01-01,1,,,2500,,0,\n",
    )
    .unwrap();
    let out2 = dir.path().join("r2.csv");
    let mut o = BatchOptions::new(&same, &out2);
    o.top_k = 3;
    batch::run(&ATLAS, &o).unwrap();
    let got = std::fs::read_to_string(&out).unwrap();
    assert_eq!(got, std::fs::read_to_string(&out2).unwrap());
    assert!(
        got.lines().nth(1).unwrap().starts_with("2024-01-01,1,"),
        "{got}"
    );
    assert!(
        got.lines().nth(4).unwrap().starts_with("1970-01-01,1,"),
        "{got}"
    );
}

#[test]
fn a_parquet_column_lotse_cannot_read_is_named_with_the_type_expected() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("bad.parquet");
    use polars::prelude::NamedFrom;
    // A date where a whole number belongs.
    write_arrow(
        &pq,
        &["adults"],
        vec![vec![arrow(
            Series::new("".into(), &[2i32]),
            ArrowDataType::Date32,
        )]],
    );
    let e = format!(
        "{:#}",
        batch::run(&ATLAS, &BatchOptions::new(&pq, dir.path().join("r.csv"))).unwrap_err()
    );
    assert!(e.contains("column `adults` holds dates"), "{e}");
    assert!(e.contains("expects a whole number"), "{e}");
    // A list of floats for children.
    use polars::prelude::{IntoSeries, ListChunked};
    let children = ListChunked::from_iter([Some(Series::new("".into(), &[3.0f64]))]).into_series();
    write_arrow(
        &pq,
        &["adults", "children"],
        vec![vec![
            arrow(Series::new("".into(), &[2i32]), ArrowDataType::Int32),
            arrow(children, large_list_of(ArrowDataType::Float64)),
        ]],
    );
    let e = format!(
        "{:#}",
        batch::run(&ATLAS, &BatchOptions::new(&pq, dir.path().join("r.csv"))).unwrap_err()
    );
    assert!(e.contains("column `children` has the type"), "{e}");
    assert!(e.contains("a list of whole numbers"), "{e}");
    assert_eq!(names(dir.path()), ["bad.parquet"]);
}

// ---------------------------------------------------------------------------------------------
// (5) Limits, byte-order marks, ids.

#[test]
fn options_are_bounded_and_the_error_names_the_option_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    profiles_csv(&csv, 3);
    let out = dir.path().join("r.csv");
    let (p, o) = (csv.to_str().unwrap(), out.to_str().unwrap());
    for (opt, value, range) in [
        ("--top-k", "1000000000000", "1..=1000"),
        ("--top-k", "0", "1..=1000"),
        ("--chunk-size", "1152921504606846975", "1..=1000000"),
        ("--chunk-size", "1000000000000", "1..=1000000"),
        ("--threads", "1000000000000", "1..=1024"),
    ] {
        let r = batch(p, o, &[opt, value]);
        assert_eq!(
            r.status.code(),
            Some(2),
            "{opt} {value}: {}",
            text(&r.stderr)
        );
        let err = text(&r.stderr);
        assert!(err.contains(opt) && err.contains(range), "{err}");
        assert!(!out.exists());
    }
    // The library checks the same bounds.
    for (f, opt) in [
        (
            (|o: &mut BatchOptions| o.top_k = 1_000_000_000_000) as fn(&mut BatchOptions),
            "--top-k must be 1–1000",
        ),
        (
            |o| o.chunk_size = 1_152_921_504_606_846_975,
            "--chunk-size must be 1–1000000",
        ),
    ] {
        let mut opts = BatchOptions::new(&csv, &out);
        f(&mut opts);
        let e = format!("{:#}", batch::run(&ATLAS, &opts).unwrap_err());
        assert!(e.contains(opt), "{e}");
    }
    // The largest values work.
    let r = batch(p, o, &["--top-k", "1000", "--chunk-size", "1000000", "-q"]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert!(text(&r.stdout).contains("1254 rows"), "{}", text(&r.stdout));
}

#[test]
fn a_profile_id_is_bounded_and_never_silently_changed() {
    let dir = tempfile::tempdir().unwrap();
    // CSV: a 20 MB id and a 257-byte id reject their rows (ids by position); 256 bytes is fine.
    let csv = dir.path().join("p.csv");
    let ok = "k".repeat(256);
    std::fs::write(
        &csv,
        format!(
            "profile_id,adults\n{},1\n{},1\n{ok},2\n",
            "x".repeat(20 << 20),
            "y".repeat(257)
        ),
    )
    .unwrap();
    let out = dir.path().join("r.csv");
    let mut o = BatchOptions::new(&csv, &out);
    o.top_k = 1;
    let s = batch::run(&ATLAS, &o).unwrap();
    assert_eq!((s.read, s.ranked, s.rejected), (3, 1, 2));
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    let lines: Vec<&str> = rej.lines().collect();
    assert!(
        lines[1].starts_with("1,2,profile_id,20971520 bytes long,"),
        "{}",
        &rej[..200.min(rej.len())]
    );
    assert!(
        lines[2].starts_with("2,3,profile_id,257 bytes long,"),
        "{rej}"
    );
    assert!(rej.len() < 1000);
    assert!(std::fs::read_to_string(&out).unwrap().contains(&ok));

    // JSON Lines: a byte-order mark before line 1 is accepted (as in CSV); numeric ids are
    // kept exactly within i64/u64 and rejected beyond (never rounded).
    let jsonl = dir.path().join("p.jsonl");
    std::fs::write(
        &jsonl,
        "\u{feff}{\"profile_id\": 18446744073709551615, \"adults\": 1}\n\
         {\"profile_id\": 18446744073709551616, \"adults\": 1}\n\
         {\"profile_id\": -9223372036854775808, \"adults\": 1}\n\
         {\"profile_id\": 1.5, \"adults\": 1}\n\
         {\"profile_id\": \"007\", \"adults\": 1}\n",
    )
    .unwrap();
    let out = dir.path().join("j.csv");
    let mut o = BatchOptions::new(&jsonl, &out);
    o.top_k = 1;
    let s = batch::run(&ATLAS, &o).unwrap();
    assert_eq!((s.read, s.ranked, s.rejected), (5, 3, 2));
    let ids: Vec<String> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(ids, ["18446744073709551615", "-9223372036854775808", "007"]);
    let rej = std::fs::read_to_string(rejects_path(&out)).unwrap();
    let lines: Vec<&str> = rej.lines().collect();
    assert!(lines[1].starts_with("2,2,profile_id,"), "{rej}");
    assert!(
        lines[1].contains("18446744073709551615"),
        "the allowed range: {rej}"
    );
    assert!(lines[2].starts_with("4,4,profile_id,"), "{rej}");

    // CSV with a byte-order mark, for comparison (accepted before and after).
    let bom = dir.path().join("bom.csv");
    std::fs::write(&bom, "\u{feff}profile_id,adults\na,1\n").unwrap();
    let s = batch::run(&ATLAS, &BatchOptions::new(&bom, dir.path().join("b.csv"))).unwrap();
    assert_eq!((s.read, s.ranked), (1, 1));

    // Parquet: a u64 id beyond i64 is kept exactly (it used to become a null, then the row's
    // position).
    use polars::prelude::{IntoColumn, NamedFrom, ParquetWriter};
    let pq = dir.path().join("p.parquet");
    let mut df = DataFrame::new(
        2,
        vec![
            Series::new("profile_id".into(), &[u64::MAX, 7]).into_column(),
            Series::new("adults".into(), &[1i64, 2]).into_column(),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&pq).unwrap())
        .finish(&mut df)
        .unwrap();
    let out = dir.path().join("q.csv");
    let mut o = BatchOptions::new(&pq, &out);
    o.top_k = 1;
    batch::run(&ATLAS, &o).unwrap();
    let ids: Vec<String> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(ids, ["18446744073709551615", "7"]);
}
