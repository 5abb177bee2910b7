//! Ingest benchmarks on the real data (../shared/data/raw):
//! - `ingest/full`: raw files → validated atlas, everything `lotse ingest` does but writing;
//! - `rtree/*`: bulk-loading an R-tree over every facility point of the default data, and one
//!   nearest-neighbour (geodesic) query per populated grid cell.
//!
//! Run: `cargo bench --bench ingest`. Goal (issue 2): full ingest ≤ 5 s on 2 cores.

use criterion::{Criterion, criterion_group, criterion_main};
use datasets::ingest::{IngestOptions, ingest};
use datasets::spatial::PointIndex;
use std::hint::black_box;

fn data_dir() -> std::path::PathBuf {
    datasets::manifest::resolve_data_dir(None)
}

fn full_ingest(c: &mut Criterion) {
    let opts = IngestOptions {
        data_dir: data_dir(),
        osm_pbf: None,
    };
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.bench_function("full", |b| {
        b.iter(|| black_box(ingest(&opts, &mut |_| {}).expect("ingest")))
    });
    g.finish();
}

fn rtree(c: &mut Criterion) {
    // Facility points and grid cells as the atlas build sees them: read once, outside the timing.
    let built = ingest(
        &IngestOptions {
            data_dir: data_dir(),
            osm_pbf: None,
        },
        &mut |_| {},
    )
    .expect("ingest");
    let dir = data_dir();
    let (cells, _) = datasets::readers::population::read_grid(
        &dir.join("population/zensus2022_eurostat_census2021_grid1km_saxony_bbox.csv"),
        "population_grid",
    )
    .expect("grid");
    let manifest = datasets::manifest::Manifest::default_manifest().expect("manifest");
    let types = datasets::readers::facilities::read_school_types(
        &dir.join(&manifest.get("school_types_2021").unwrap().file),
        "t",
    )
    .expect("types")
    .0;
    let (schools, _) = datasets::readers::facilities::read_schools_schuldatenbank(
        &dir.join(&manifest.get("schools_2026").unwrap().file),
        "s",
        &types,
    )
    .expect("schools");
    let (pools, _) = datasets::readers::facilities::read_pools_baederleben(
        &dir.join(&manifest.get("pools").unwrap().file),
        "p",
    )
    .expect("pools");
    let points: Vec<(f64, f64)> = schools
        .iter()
        .chain(&pools)
        .map(|p| (p.lon, p.lat))
        .collect();
    drop(built);
    let mut g = c.benchmark_group("rtree");
    g.bench_function(format!("bulk_load_{}_points", points.len()), |b| {
        b.iter(|| black_box(PointIndex::new(points.clone(), 51.0)))
    });
    let index = PointIndex::new(points.clone(), 51.0);
    g.bench_function(format!("nearest_for_{}_cells", cells.len()), |b| {
        b.iter(|| {
            let mut s = 0.0;
            for c in &cells {
                s += index.nearest_km(c.lon, c.lat).unwrap_or(0.0);
            }
            black_box(s)
        })
    });
    g.finish();
}

criterion_group!(benches, full_ingest, rtree);
criterion_main!(benches);
