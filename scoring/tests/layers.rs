//! The scoring core's shape, checked on its source (issue 12): no import circle between modules
//! of the same folder (at the top: `vocab` ← `criteria` ← `profile` ← `rank`; inside `rank/`:
//! the order ARCHITECTURE.md lists), and no source file over 800 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `["rank", "explain", "computed"]` for
/// `src/rank/explain/computed.rs`, `["rank"]` for `src/rank/mod.rs`, `[]` for `lib.rs`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code of a file without line comments (doc links are not dependencies) and without its
/// `#[cfg(test)]` tail (tests may reach anywhere).
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("read source");
    let text = match text
        .find("#[cfg(test)]")
        .or_else(|| text.find("#[cfg(all(test"))
    {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a `crate::…` or `super::…` reference names, braces expanded, made absolute.
fn references(from: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for start in ["crate::", "super::"] {
        for (i, _) in code.match_indices(start) {
            // Skip the tail of a longer identifier or of `super::super::` (handled from its start).
            let before = code[..i].chars().last();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            // The path text: identifiers, `::`, spaces and balanced braces.
            let mut depth = 0usize;
            let mut end = i;
            for (k, c) in code[i..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    c if c.is_ascii_alphanumeric() || c == '_' || c == ':' => {}
                    c if depth > 0 && (c.is_whitespace() || c == ',') => {}
                    _ => break,
                }
                end = i + k + c.len_utf8();
            }
            for path in expand(&code[i..end]) {
                let mut segs: Vec<String> = path.split("::").map(str::to_string).collect();
                // Resolve `crate` and each leading `super` against the file's module.
                let mut base: Vec<String> = Vec::new();
                if segs.first().map(String::as_str) == Some("crate") {
                    segs.remove(0);
                } else {
                    base = from.to_vec();
                    // A file `a/b.rs` is module a::b, its `super` is `a`; `a/mod.rs` is module
                    // a, its `super` the crate root.
                    while segs.first().map(String::as_str) == Some("super") {
                        segs.remove(0);
                        base.pop();
                    }
                }
                base.extend(segs.into_iter().filter(|s| !s.is_empty() && s != "self"));
                out.push(base);
            }
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut parts = Vec::new();
    let (mut depth, mut last) = (0usize, 0usize);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[last..k]);
                last = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[last..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

/// Folder (module path) → sibling module → the siblings it uses.
fn sibling_dependencies() -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(f)).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let from = module_path(file);
        for target in references(&from, &code(file)) {
            // The module the reference lands in: the longest module prefix of it.
            let Some(target) = (0..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            // Compare the two at their first difference: siblings of one folder.
            let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < target.len() {
                graph
                    .entry(from[..common].to_vec())
                    .or_default()
                    .entry(from[common].clone())
                    .or_default()
                    .insert(target[common].clone());
            }
        }
    }
    graph
}

#[test]
fn no_two_modules_of_one_folder_import_each_other_in_a_circle() {
    let graph = sibling_dependencies();
    assert!(
        graph.contains_key(&Vec::new()),
        "no top-level dependencies found"
    );
    let rank = graph.get(&vec!["rank".to_string()]).expect("rank/ modules");
    assert!(
        rank.get("ranker").is_some_and(|d| d.contains("ranking")),
        "the parser misses imports: {rank:?}"
    );
    for (folder, deps) in &graph {
        // Depth-first search for a cycle.
        fn visit(
            m: &str,
            deps: &BTreeMap<String, BTreeSet<String>>,
            stack: &mut Vec<String>,
            done: &mut BTreeSet<String>,
        ) -> Option<Vec<String>> {
            if let Some(at) = stack.iter().position(|s| s == m) {
                let mut cycle = stack[at..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            if done.contains(m) {
                return None;
            }
            stack.push(m.to_string());
            for next in deps.get(m).into_iter().flatten() {
                if let Some(c) = visit(next, deps, stack, done) {
                    return Some(c);
                }
            }
            stack.pop();
            done.insert(m.to_string());
            None
        }
        let mut done = BTreeSet::new();
        for m in deps.keys() {
            if let Some(cycle) = visit(m, deps, &mut Vec::new(), &mut done) {
                panic!(
                    "import circle in scoring/src/{}: {}",
                    folder.join("/"),
                    cycle.join(" → ")
                );
            }
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > 800)
        .map(|(f, n)| format!("{} ({n} lines)", f.display()))
        .collect();
    assert!(long.is_empty(), "{long:?}");
}
