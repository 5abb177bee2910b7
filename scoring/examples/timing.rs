//! Quick timing without criterion: the minimum over batches is robust to a busy machine.
//! `cargo run --release -p scoring --example timing [atlas.json]`

use scoring::{Profile, RankOptions, Ranker, atlas::Atlas, synthetic};
use std::time::Instant;

fn main() {
    let atlas: Atlas = match std::env::args().nth(1) {
        Some(path) => {
            let text = std::fs::read_to_string(&path).expect("readable atlas");
            serde_json::from_str(&text).expect("an Atlas")
        }
        None => synthetic::atlas(418, 1),
    };
    let t = Instant::now();
    let ranker = Ranker::new(&atlas).expect("rankable");
    println!("Ranker::new: {:?}", t.elapsed());
    let wp = if atlas.region == "Synthland" {
        "Ort 000"
    } else {
        "14612000"
    };
    let profile = Profile::from_json(&format!(
        r#"{{"adults":2,"children":[2,6],"rent_budget_eur":900,"workplace":"{wp}","max_commute_km":60,"lang":"en"}}"#
    ))
    .expect("profile");
    {
        let mut best = f64::INFINITY;
        for _ in 0..50 {
            let t = Instant::now();
            for _ in 0..200 {
                std::hint::black_box(ranker.plan(std::hint::black_box(&profile)).ok());
            }
            best = best.min(t.elapsed().as_secs_f64() / 200.0 * 1e6);
        }
        println!("{:>20}: min {best:.2} µs", "plan only");
    }
    for (name, opts) in [
        ("bare", RankOptions::bare()),
        (
            "top10 explained",
            RankOptions {
                explain_top: 10,
                pareto: true,
                robustness: None,
            },
        ),
        ("top10 + robustness", RankOptions::default()),
    ] {
        if let Ok(only) = std::env::var("ONLY")
            && !name.contains(&only)
        {
            continue;
        }
        let mut best = f64::INFINITY;
        let mut all = Vec::new();
        for _ in 0..50 {
            let n = 200;
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(ranker.rank(std::hint::black_box(&profile), &opts).ok());
            }
            let per = t.elapsed().as_secs_f64() / n as f64 * 1e6;
            best = best.min(per);
            all.push(per);
        }
        all.sort_by(f64::total_cmp);
        println!(
            "{name:>20}: min {best:.2} µs, median of batches {:.2} µs",
            all[all.len() / 2]
        );
    }
}
