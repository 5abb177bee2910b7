//! One build serves `cargo build`, `cargo test` and `cargo bench` (issue 12): every crate the
//! binary builds gets the same features whether or not the test-only dependencies are part of
//! the build. When they differ (a test dependency switches on a feature of, say, `num-traits`),
//! a `cargo build --release` after `cargo test --release` recompiles polars and everything
//! between (12 minutes on 2 cores). The fix for a failure here is a line in the aligned-features
//! block of `Cargo.toml`'s `[dependencies]` (or `[build-dependencies]` for proc-macro crates).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Package (`name vX.Y.Z`) → every feature set it is built with, as `cargo tree` resolves it.
fn features(edges: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--workspace",
            "--offline",
            "--locked",
            "--no-dedupe",
        ])
        .args(["--prefix", "none", "--format", "{p}|{f}"])
        .args(edges)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((package, features)) = line.split_once('|') {
            let package = package.split(" (").next().unwrap_or(package).trim();
            map.entry(package.to_string())
                .or_default()
                .insert(features.trim().to_string());
        }
    }
    map
}

#[test]
fn test_dependencies_change_no_feature_of_the_binarys_crates() {
    // `-e no-dev` resolves features as `cargo build` does: without the dev-dependencies.
    let build = features(&["--edges", "no-dev"]);
    let test = features(&[]);
    assert!(
        build.len() > 100,
        "cargo tree listed {} packages",
        build.len()
    );
    let differ: Vec<String> = build
        .iter()
        .filter(|(package, set)| test.get(*package) != Some(set))
        .map(|(package, set)| {
            format!(
                "{package}: build {set:?}, test {:?}",
                test.get(package).cloned().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "features differ between `cargo build` and `cargo test`, so each rebuilds what the other \
         built:\n{}",
        differ.join("\n")
    );
}
