//! The page speaks both languages completely (issue 14, item 3): every text key of the page's
//! table (`I18N` in `web/app.js`) exists in German and in English, the help-contact kinds too.
//! (Units differ on purpose: German abbreviates some that English writes out.)

use std::collections::BTreeSet;

/// The keys of one language's block (`  en: {` … `  },`): top-level keys at four spaces, and
/// the keys of the `kinds` table as `kinds.<key>`.
fn keys(app: &str, lang: &str) -> BTreeSet<String> {
    let start = app
        .find(&format!("\n  {lang}: {{\n"))
        .unwrap_or_else(|| panic!("no `{lang}:` block in web/app.js"));
    let block = &app[start + 1..];
    let end = block.find("\n  },\n").expect("the block ends with `  },`");
    let block = &block[..end];
    let mut out = BTreeSet::new();
    let mut in_kinds = false;
    for line in block.lines().skip(1) {
        if line.starts_with("    kinds: {") {
            in_kinds = true;
            continue;
        }
        if in_kinds {
            if line.trim_start().starts_with('}') {
                in_kinds = false;
                continue;
            }
            for part in line.split("', ") {
                if let Some((k, _)) = part.trim().split_once(':') {
                    out.insert(format!("kinds.{}", k.trim()));
                }
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("    ")
            && !rest.starts_with(' ')
            && let Some((k, _)) = rest.split_once(':')
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            out.insert(k.to_string());
        }
    }
    out
}

#[test]
fn every_page_text_exists_in_german_and_english() {
    let app = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/web/app.js"))
        .expect("web/app.js");
    let (en, de) = (keys(&app, "en"), keys(&app, "de"));
    assert!(
        en.len() > 150,
        "only {} English keys found: the parser lost its way",
        en.len()
    );
    assert!(en.iter().any(|k| k.starts_with("kinds.")));
    let only_en: Vec<_> = en.difference(&de).collect();
    let only_de: Vec<_> = de.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_de.is_empty(),
        "in English only: {only_en:?}; in German only: {only_de:?}"
    );
}
