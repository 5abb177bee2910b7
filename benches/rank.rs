//! Ranking one profile over the full atlas, with explanations for the top 10 (issue 3: median
//! ≤ 20 µs on 2 cores), and with the robustness draws (issue 13: SMAA, 10,000 draws, top 10
//! explained, ≤ 5 ms median on one core, for the arithmetic and the geometric mean). Reads
//! `atlas/saxony.json` when it exists, else a synthetic atlas of the same size, and prints the
//! number of heap allocations one ranking makes.
//!
//! `taskset -c 0 cargo bench --bench rank` (one core), or `-- smaa` for the draws alone.

use criterion::{Criterion, criterion_group, criterion_main};
use scoring::{Profile, RankOptions, Ranker, atlas::Atlas, rank::Robustness, synthetic};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations, so the note can say how many one ranking makes.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn load_atlas() -> (Atlas, &'static str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/atlas/saxony.json");
    match std::fs::read_to_string(path) {
        Ok(text) => (
            serde_json::from_str(&text).expect("atlas/saxony.json is a serialised Atlas"),
            "atlas/saxony.json",
        ),
        Err(_) => (synthetic::atlas(418, 1), "synthetic atlas (418 rows)"),
    }
}

fn bench(c: &mut Criterion) {
    let (atlas, which) = load_atlas();
    let ranker = Ranker::new(&atlas).expect("atlas can be ranked");
    let workplace = if which.starts_with("atlas") {
        "14612000"
    } else {
        "Ort 000"
    };
    let profile = Profile::from_json(&format!(
        r#"{{"adults": 2, "children": [2, 6], "rent_budget_eur": 900, "workplace": "{workplace}",
            "max_commute_km": 60, "lang": "en"}}"#
    ))
    .expect("valid profile");
    let explained = RankOptions {
        explain_top: 10,
        pareto: true,
        robustness: None,
    };
    let count = |opts: &RankOptions| {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let r = ranker.rank(&profile, opts).expect("ranks");
        let n = ALLOCATIONS.load(Ordering::Relaxed) - before;
        drop(r);
        n
    };
    eprintln!(
        "{which}: {} municipalities; allocations per ranking: {} (top 10 explained), {} (bare), {} (with robustness)",
        ranker.len(),
        count(&explained),
        count(&RankOptions::bare()),
        count(&RankOptions::default()),
    );
    c.bench_function("rank_top10_explained", |b| {
        b.iter(|| ranker.rank(black_box(&profile), black_box(&explained)))
    });
    c.bench_function("rank_bare", |b| {
        b.iter(|| ranker.rank(black_box(&profile), black_box(&RankOptions::bare())))
    });
    let robust = RankOptions {
        robustness: Some(Robustness::default()),
        ..explained
    };
    assert_eq!(Robustness::default().draws, 10_000);
    c.bench_function("rank_top10_explained_smaa_10000_arithmetic", |b| {
        b.iter(|| ranker.rank(black_box(&profile), black_box(&robust)))
    });
    let mut geometric = profile.clone();
    geometric.aggregation = scoring::profile::Aggregation::Geometric;
    c.bench_function("rank_top10_explained_smaa_10000_geometric", |b| {
        b.iter(|| ranker.rank(black_box(&geometric), black_box(&robust)))
    });
    // The server's whole answer to `POST /api/v1/rank`: the ranking with robustness, serialised.
    c.bench_function("rank_response_json", |b| {
        b.iter(|| {
            let r = ranker
                .rank(black_box(&profile), black_box(&robust))
                .expect("ranks");
            serde_json::to_vec(&r).expect("serialises").len()
        })
    });
    c.bench_function("ranker_new", |b| b.iter(|| Ranker::new(black_box(&atlas))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
