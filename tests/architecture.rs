//! ARCHITECTURE.md is the map of the code; these tests keep it true (issue 12). They fail when
//! the map names a file, folder or command that does not exist, when a source file or test of the
//! repository is missing from the map, and when a source id of the manifest is missing from the
//! README's credits.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(name)).unwrap()
}

/// Every `code span` of a Markdown text (single backticks; fenced blocks skipped).
fn code_spans(markdown: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut parts = line.split('`');
        parts.next();
        while let (Some(span), Some(_)) = (parts.next(), parts.next()) {
            spans.push(span.to_string());
        }
    }
    spans
}

/// Every file and folder of the repository, relative to the root with `/` separators
/// (folders end in `/`), outside build output and version control.
fn repository_paths() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" || name == "corpus" || name == "artifacts"
            {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                out.push(format!("{rel}/"));
                walk(&path, root, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(ROOT), Path::new(ROOT), &mut out);
    out
}

/// Whether a span looks like a path: a file with a known extension or a folder (`x/`).
fn as_path(span: &str) -> Option<&str> {
    let span = span.split_whitespace().next()?;
    let span = span.trim_end_matches([',', '.', ':', ')']);
    if span.contains("://") || span.contains('*') || span.contains('<') || span.starts_with("../") {
        return None;
    }
    let known = [
        ".rs", ".toml", ".sh", ".json", ".md", ".js", ".html", ".css", ".py",
    ];
    let is_file = known.iter().any(|ext| span.ends_with(ext));
    let is_dir = span.ends_with('/') && span.len() > 1;
    (is_file || is_dir).then_some(span)
}

#[test]
fn every_file_and_folder_the_map_names_exists() {
    let paths = repository_paths();
    let mut missing = BTreeSet::new();
    for span in code_spans(&read("ARCHITECTURE.md")) {
        let Some(path) = as_path(&span) else { continue };
        // A path from the root, or (inside a crate's section) the tail of an existing path.
        let found = paths
            .iter()
            .any(|p| p == path || p.ends_with(&format!("/{path}")));
        if !found {
            missing.insert(path.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn every_source_file_and_test_is_on_the_map() {
    let map = read("ARCHITECTURE.md");
    let named: BTreeSet<String> = code_spans(&map)
        .iter()
        .filter_map(|s| as_path(s).map(str::to_string))
        .collect();
    let mut unmapped = Vec::new();
    for path in repository_paths() {
        let in_code = [
            "src/",
            "scoring/src/",
            "datasets/src/",
            "tests/",
            "benches/",
        ]
        .iter()
        .any(|dir| path.starts_with(dir));
        let is_module = path.ends_with(".rs") || path.ends_with(".sh");
        let entry_point = ["lib.rs", "main.rs", "mod.rs"]
            .iter()
            .any(|f| path.ends_with(&format!("/{f}")));
        if !in_code || !is_module || entry_point || path.starts_with("tests/common/") {
            continue;
        }
        let file = PathBuf::from(&path);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // Named by its whole path, by a tail of it, or by its file name.
        let on_map = named
            .iter()
            .any(|n| *n == name || path == *n || path.ends_with(&format!("/{n}")));
        if !on_map {
            unmapped.push(path);
        }
    }
    assert!(
        unmapped.is_empty(),
        "not on the map (ARCHITECTURE.md): {unmapped:?}"
    );
}

#[test]
fn every_command_the_map_names_exists() {
    let map = read("ARCHITECTURE.md");
    let mut commands = BTreeSet::new();
    for span in code_spans(&map) {
        let words: Vec<&str> = span.split_whitespace().collect();
        if words.first() == Some(&"lotse") && words.len() > 1 && !words[1].starts_with('-') {
            // `lotse data verify`, `lotse profiles grid`: the subcommand words before any option.
            let path: Vec<&str> = words[1..]
                .iter()
                .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
                .copied()
                .collect();
            commands.insert(path.join(" "));
        }
    }
    assert!(!commands.is_empty(), "the map names no `lotse …` command");
    for command in commands {
        let out = Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(command.split(' '))
            .arg("--help")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "ARCHITECTURE.md names `lotse {command}`, which does not exist: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_source_of_the_manifest_is_credited_in_the_readme() {
    let manifest = datasets::manifest::Manifest::default_manifest().unwrap();
    let readme_spans: BTreeSet<String> = code_spans(&read("README.md")).into_iter().collect();
    let ids: Vec<String> = manifest.source.iter().map(|s| s.id.clone()).collect();
    assert!(ids.len() > 10, "{} sources", ids.len());
    let uncredited: Vec<&String> = ids
        .iter()
        .filter(|id| !readme_spans.contains(*id))
        .collect();
    assert!(
        uncredited.is_empty(),
        "sources missing from the README's credits: {uncredited:?}"
    );
}
