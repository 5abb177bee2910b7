//! The code is formatted as `cargo fmt` leaves it (rustfmt's defaults, edition 2024), so a diff
//! shows what changed, never reflowed lines.

use std::process::Command;

#[test]
fn the_workspace_is_formatted_as_cargo_fmt_leaves_it() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["fmt", "--all", "--", "--check"])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "`cargo fmt --all -- --check` found unformatted code (run `cargo fmt --all`; rustfmt \
         comes with rustup's default profile: `rustup component add rustfmt`):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
