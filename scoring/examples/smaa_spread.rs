//! The cost of the robustness draws (SMAA, 10,000 draws) over 60 varied profiles on the real
//! atlas — workplaces across Saxony or none, with and without a car, children of every age,
//! both means — with the top 10, 20 (what the page asks for) and 50 explained: median, 90th percentile and slowest
//! (best of three runs each). Reads `atlas/saxony.json`; run from the repository root:
//! `cargo run --release -p scoring --example smaa_spread`.

use scoring::{Profile, RankOptions, Ranker, atlas::Atlas};
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("atlas/saxony.json").unwrap();
    let atlas: Atlas = serde_json::from_str(&text).unwrap();
    let ranker = Ranker::new(&atlas).unwrap();
    let wps = [
        "", "14612000", "14713000", "14511000", "14626110", "14523320", "14625020",
    ];
    let mut times = Vec::new();
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..60 {
        let wp = wps[next() % wps.len()];
        let car = next() % 2 == 0;
        let kids = ["[]", "[1]", "[4,8]", "[13,15]"][next() % 4];
        let geo = if next() % 3 == 0 {
            "geometric"
        } else {
            "arithmetic"
        };
        let budget = 600 + 100 * (next() % 10);
        let wpf = if wp.is_empty() {
            String::new()
        } else {
            format!(r#","workplace":"{wp}""#)
        };
        let p = format!(
            r#"{{"adults":2,"children":{kids},"rent_budget_eur":{budget},"car":{car},"aggregation":"{geo}"{wpf}}}"#
        );
        let p = Profile::from_json(&p).unwrap();
        for top in [10usize, 20, 50] {
            let opts = RankOptions {
                explain_top: top,
                ..RankOptions::default()
            };
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let t = Instant::now();
                std::hint::black_box(ranker.rank(&p, &opts).unwrap());
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
            }
            times.push((top, best));
        }
    }
    for top in [10, 20, 50] {
        let mut v: Vec<f64> = times.iter().filter(|t| t.0 == top).map(|t| t.1).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        println!(
            "top {top}: median {:.2} ms, p90 {:.2}, max {:.2}",
            v[v.len() / 2],
            v[v.len() * 9 / 10],
            v[v.len() - 1]
        );
    }
}
