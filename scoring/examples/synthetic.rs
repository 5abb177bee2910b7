//! Ranks a profile over the synthetic atlas and prints the top rows with their sentences.
//! `cargo run --release -p scoring --example synthetic -- '{"adults":2,"children":[2,6]}'`

use scoring::{Profile, RankOptions, Ranker, synthetic};

fn main() {
    let json = std::env::args()
        .nth(1)
        .unwrap_or_else(|| r#"{"adults":2,"children":[2,6],"rent_budget_eur":900,"workplace":"Ort 000","max_commute_km":60,"lang":"en"}"#.to_string());
    let profile = match Profile::from_json(&json) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let atlas = synthetic::atlas(418, 1);
    let ranker = Ranker::new(&atlas).expect("synthetic atlas is valid");
    let ranking = match ranker.rank(&profile, &RankOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    for n in &ranking.notes {
        println!("note: {}", n.text);
    }
    for r in ranking.ranked.iter().take(5) {
        println!(
            "{:>3}. {} ({}) {:.1}  coverage {:.0} %  top-k {:?}  pareto {:?} {:?}",
            r.rank,
            r.name,
            r.ags,
            r.score,
            r.weight_coverage * 100.0,
            r.top_k_share,
            r.pareto_optimal,
            r.dominated_by.as_ref().map(|d| d.name)
        );
        for e in &r.explanations {
            println!(
                "     {:<18} u={:>5.1} w={} share={:.2}  {}",
                e.criterion.id(),
                e.utility.unwrap_or(f64::NAN),
                e.weight,
                e.share,
                e.sentence
            );
        }
    }
    println!(
        "ranked {}, unranked {}, exclusions {}",
        ranking.ranked.len(),
        ranking.unranked.len(),
        ranking.excluded.len()
    );
    for e in ranking.excluded.iter().take(3) {
        println!("  excluded {}: {}", e.name, ranking.describe_exclusion(e));
    }
}
