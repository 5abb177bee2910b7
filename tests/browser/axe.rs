//! Accessibility checks with axe-core inside the real browser of `tests/browser.rs`.
//!
//! axe-core is the npm package (`.ci/run` installs it with npm into `target/npm`; no browser is
//! downloaded: the page runs in Debian's Chromium). Each state of the page the browser test
//! walks through (initial, ranked, detail open, compare open, error, German, phone) is checked
//! against the WCAG 2.0/2.1 A and AA rules. A violation fails the test; "needs review" items
//! (axe cannot decide, e.g. contrast over a picture) are written to
//! `target/browser/axe-report.json` and fail only when they are of the kinds the issue named
//! as fixed (a prohibited ARIA attribute, a name that does not contain the visible text).
//!
//! `LOTSE_AXE_CORE` overrides the path of `axe.min.js`.

use fantoccini::Client;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The rules checked: WCAG 2.0 and 2.1, levels A and AA.
const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// "Needs review" items that must not come back: the issue's findings that were fixed.
const MUST_NOT_NEED_REVIEW: &[&str] = &["aria-prohibited-attr", "label-content-name-mismatch"];

const INSTALL_HINT: &str = "install axe-core with npm \
     (`npm install --prefix target/npm --no-save axe-core@4`; .ci/run does this), \
     or point LOTSE_AXE_CORE at axe.min.js";

fn axe_path() -> PathBuf {
    if let Some(p) = std::env::var_os("LOTSE_AXE_CORE") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("npm/node_modules/axe-core/axe.min.js")
}

/// The axe-core source, read once; a missing install fails the test and says how to fix it.
pub fn source() -> String {
    let path = axe_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {}: {e}; {INSTALL_HINT}",
            path.display()
        )
    })
}

/// What axe found in each state, gathered over the walk and judged at its end.
#[derive(Default)]
pub struct Audit {
    states: Vec<Value>,
}

impl Audit {
    /// Runs axe-core on the page as it is now, recording the result under `state`.
    pub async fn check(&mut self, c: &Client, source: &str, state: &str) {
        // Inject once per document (a navigation drops it).
        let loaded = c
            .execute("return typeof window.axe === 'object'", vec![])
            .await
            .unwrap_or(Value::Bool(false));
        if loaded != Value::Bool(true) {
            c.execute(&format!("{source}\n;return true;"), vec![])
                .await
                .unwrap_or_else(|e| panic!("cannot load axe-core into the page: {e}"));
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            const brief = (list) => list.map((r) => ({
              id: r.id, impact: r.impact, help: r.help,
              nodes: r.nodes.slice(0, 5).map((n) => n.target.join(' ')),
              why: r.nodes.slice(0, 5).map((n) => [...n.any, ...n.all, ...n.none].map((x) => x.message).join(' ')),
              count: r.nodes.length,
            }));
            axe.run(document, {
              runOnly: { type: 'tag', values: arguments[0] },
              resultTypes: ['violations', 'incomplete'],
            }).then((r) => done({ violations: brief(r.violations), incomplete: brief(r.incomplete) }))
              .catch((e) => done({ error: String(e) }));
        "#;
        let result = c
            .execute_async(script, vec![json!(TAGS)])
            .await
            .unwrap_or_else(|e| panic!("axe-core did not run in state {state}: {e}"));
        if let Some(e) = result.get("error") {
            panic!("axe-core failed in state {state}: {e}");
        }
        self.states.push(json!({
            "state": state,
            "violations": result["violations"],
            "needs_review": result["incomplete"],
        }));
    }

    /// Writes the report and fails on any violation or on a "needs review" item of the kinds
    /// that were fixed.
    pub fn judge(&self, out: &Path, expected_states: &[&str]) {
        let report = json!({ "tags": TAGS, "states": self.states });
        let path = out.join("axe-report.json");
        let _ = std::fs::write(
            &path,
            serde_json::to_vec_pretty(&report).unwrap_or_default(),
        );
        let seen: Vec<&str> = self
            .states
            .iter()
            .filter_map(|s| s["state"].as_str())
            .collect();
        for s in expected_states {
            assert!(seen.contains(s), "axe-core did not check the state {s}");
        }
        let mut problems = Vec::new();
        for s in &self.states {
            for v in s["violations"].as_array().into_iter().flatten() {
                problems.push(format!("{}: violation {v}", s["state"]));
            }
            for v in s["needs_review"].as_array().into_iter().flatten() {
                if MUST_NOT_NEED_REVIEW.contains(&v["id"].as_str().unwrap_or("")) {
                    problems.push(format!("{}: needs review {v}", s["state"]));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "axe-core (WCAG 2.1 A/AA) found, see {}:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
}
