//! The data layer's shape, checked on its source: the stages read → place → indicators →
//! assemble depend one way only, no two top-level modules import each other in a circle, only
//! the readers touch files, and no source file grows past the size a reader can hold in mind.

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

/// The top-level module a file belongs to (`readers` for `src/readers/osm/tags.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The code of a file without comments (doc links are not dependencies).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("read source")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level module → the top-level modules its code names through `crate::`.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let from = module_of(&f);
        let entry = deps.entry(from.clone()).or_default();
        let text = code(&f);
        for (i, _) in text.match_indices("crate::") {
            let to: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !to.is_empty() && to != from {
                entry.insert(to);
            }
        }
    }
    deps
}

#[test]
fn stages_depend_one_way_and_modules_form_no_circle() {
    let deps = dependencies();
    let stages = ["readers", "place", "indicators", "assemble", "ingest"];
    for (k, stage) in stages.iter().enumerate() {
        for later in &stages[k + 1..] {
            assert!(
                !deps[*stage].contains(*later),
                "{stage} must not depend on the later stage {later}"
            );
        }
    }
    // Depth-first search for a circle among all top-level modules.
    fn visit<'a>(
        m: &'a str,
        deps: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(i) = path.iter().position(|p| *p == m) {
            panic!("import circle: {} → {m}", path[i..].join(" → "));
        }
        if !done.insert(m) {
            return;
        }
        path.push(m);
        for d in deps.get(m).into_iter().flatten() {
            visit(d, deps, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for m in deps.keys() {
        visit(m, &deps, &mut Vec::new(), &mut done);
    }
}

#[test]
fn only_the_readers_open_files() {
    let mut files = Vec::new();
    for stage in ["place", "indicators", "assemble.rs"] {
        let p = src().join(stage);
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p);
        }
    }
    for f in files {
        let text = code(&f);
        for opener in ["std::fs", "read_file", "Table::read", "File::open"] {
            assert!(
                !text.contains(opener),
                "{} uses {opener}: only src/readers/ opens files",
                f.display()
            );
        }
        assert!(
            reads_only_types(&text),
            "{} calls a reader: only the ingest runs src/readers/",
            f.display()
        );
    }
}

/// Whether every `readers::` path in `text` names a type or a pure helper, never a reader
/// function (`read_…`).
fn reads_only_types(text: &str) -> bool {
    text.match_indices("readers::").all(|(i, _)| {
        let rest: String = text[i..]
            .chars()
            .take_while(|c| !matches!(c, ';' | '('))
            .collect();
        !rest.contains("read_")
    })
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for f in files {
        let lines = std::fs::read_to_string(&f)
            .expect("read source")
            .lines()
            .count();
        assert!(lines <= 800, "{} has {lines} lines", f.display());
    }
}
