//! The module graph is one-way: each module of the library may use only modules of lower layers,
//! as the layer table in ARCHITECTURE.md says. In the spirit of rust-analyzer's tidy tests, this
//! reads the sources rather than trusting a reviewer to notice an import that runs upward.
//!
//! The table is the one in ARCHITECTURE.md between `<!-- layers -->` and `<!-- /layers -->`:
//! rows `| N | `a`, `b` | … |`. Modules of one layer may not use each other either, so the graph
//! has no cycle. Every module `src/lib.rs` declares must have a row, and every row a module.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use support::{files_under, root};

/// Module name → layer, from ARCHITECTURE.md.
fn layer_table() -> BTreeMap<String, u32> {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = map
        .find("<!-- layers -->")
        .expect("ARCHITECTURE.md has a `<!-- layers -->` table");
    let end = map
        .find("<!-- /layers -->")
        .expect("the layer table ends with `<!-- /layers -->`");
    let mut layers = BTreeMap::new();
    for row in map[start..end].lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Ok(layer) = cells[1].parse::<u32>() else { continue };
        for module in cells[2].split(',') {
            let module = module.trim().trim_matches('`');
            assert!(
                layers.insert(module.to_string(), layer).is_none(),
                "`{module}` is in the layer table twice"
            );
        }
    }
    layers
}

/// The top-level module a source file belongs to (`src/index/query.rs` → `index`); `None` for
/// the crate root and the binary's own files.
fn module_of(relative: &Path) -> Option<String> {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!["lib", "main", "cli", "progress"].contains(&name.as_str())).then_some(name)
}

/// Every top-level module a source names through `crate::x`, in `use` lines and in paths alike.
fn crate_modules_used(source: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = source;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let before = rest[..at].chars().next_back();
        // `portalcheck::crate_x` or `my_crate::` are not the crate root.
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            if let Some(group) = after.strip_prefix('{') {
                // `use crate::{a, b::c};`
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            } else {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        }
        rest = after;
    }
    used
}

fn declared_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs");
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let name = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod "))?;
            Some(name.trim_end_matches(';').to_string())
        })
        .collect()
}

#[test]
fn every_module_has_a_layer_and_every_layer_a_module() {
    let table: BTreeSet<String> = layer_table().into_keys().collect();
    let declared = declared_modules();
    assert!(declared.len() > 10, "src/lib.rs declares {declared:?}");
    assert_eq!(
        declared, table,
        "the modules src/lib.rs declares and the layer table in ARCHITECTURE.md differ"
    );
}

#[test]
fn no_module_uses_one_above_or_beside_it() {
    let layers = layer_table();
    let mut upward = Vec::new();
    let mut files = 0;
    for name in files_under(&root().join("src"), "") {
        let relative = Path::new(&name);
        if relative.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let path = root().join("src").join(relative);
        let Some(module) = module_of(relative) else { continue };
        let own = *layers
            .get(&module)
            .unwrap_or_else(|| panic!("{} belongs to `{module}`, which has no layer", relative.display()));
        files += 1;
        let source = std::fs::read_to_string(&path).expect("source");
        for used in crate_modules_used(&source) {
            if used == module {
                continue;
            }
            match layers.get(&used) {
                Some(&layer) if layer < own => {}
                Some(&layer) => upward.push(format!(
                    "{} (`{module}`, layer {own}) uses `{used}` (layer {layer})",
                    relative.display()
                )),
                None => upward.push(format!(
                    "{} uses `crate::{used}`, which has no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(files > 50, "only {files} source files were read");
    assert!(
        upward.is_empty(),
        "imports that run upward or sideways:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reader_of_imports_sees_groups_and_paths() {
    let used = crate_modules_used(
        "use crate::{card, date::Date};\nuse crate::index::FileRecord;\nlet x = crate::extract::FileStatus::Ok;\nuse portalcheck::crate_like;",
    );
    let expected: BTreeSet<String> = ["card", "date", "index", "extract"].map(String::from).into();
    assert_eq!(used, expected);
}

#[test]
fn the_binary_uses_the_library_only_through_its_public_api() {
    for file in ["src/main.rs", "src/cli.rs", "src/progress.rs"] {
        let source = std::fs::read_to_string(root().join(file)).expect(file);
        assert!(
            crate_modules_used(&source).is_empty(),
            "{file} names `crate::` paths; the binary reaches the library as `portalcheck::`"
        );
    }
}
