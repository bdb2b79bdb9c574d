//! The layer map of `docs/ARCHITECTURE.md`, checked against the code: every top-level module
//! of `src/` may use only the modules its row names. A new dependency between modules is a
//! change to this table (and to the map), never an accident; in particular nothing below
//! `discord` reaches `discord`, `app` or `cli`, and `store` knows nothing above the values it
//! keeps.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Each module and the modules it may use. `app`, `cli`, `preview` (a command-line feature,
/// which reads its grammar from `discord`'s registry) and `discord` sit on top and may use
/// anything; `main.rs` only calls `cli`.
const MAY_USE: &[(&str, &[&str])] = &[
    // Leaves: plain values and helpers.
    ("text", &[]),
    ("limits", &[]),
    ("clock", &[]),
    ("diag", &[]),
    ("when", &["text"]),
    ("model", &["limits", "text", "when"]),
    ("config", &["diag", "model"]),
    ("log", &["config"]),
    ("chart", &[]),
    // The pure core.
    ("content", &["diag", "limits", "model", "text"]),
    ("pulse", &["chart", "content"]),
    (
        "reply",
        &[
            "chart", "content", "diag", "limits", "model", "pulse", "text", "when",
        ],
    ),
    ("live", &["content", "diag", "reply"]),
    ("files", &["reply"]),
    // State and the owed-request machinery.
    ("store", &["model", "when"]),
    ("retry", &["clock"]),
    ("rest", &["config", "model", "retry"]),
    ("tasks", &["clock", "retry"]),
    ("lease", &["clock", "model", "retry", "store"]),
    ("reload_fanout", &["clock", "live", "retry", "store"]),
    // The port the background work reaches Discord through; `discord` implements it.
    ("port", &["model", "reply", "retry"]),
    // The background work, reaching Discord only through the port.
    (
        "polls",
        &[
            "clock", "live", "model", "port", "reply", "retry", "store", "tasks",
        ],
    ),
    (
        "schedule",
        &[
            "clock", "config", "content", "limits", "live", "model", "polls", "port", "pulse",
            "reply", "retry", "store", "tasks", "text", "when",
        ],
    ),
    ("metrics", &["model", "polls", "schedule"]),
];

/// Modules that may use anything.
const TOP: &[&str] = &["app", "cli", "discord", "lib", "main", "preview"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/schedule/tip.rs` is `schedule`.
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).expect("under src");
    let first = relative.components().next().expect("a component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// Every top-level module named by `crate::name` in the text, including inside
/// `crate::{a, b::c}` groups.
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn every_module_uses_only_what_the_layer_map_allows() {
    let allowed: BTreeMap<&str, &[&str]> = MAY_USE.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(file);
        if TOP.contains(&module.as_str()) {
            continue;
        }
        let Some(may_use) = allowed.get(module.as_str()) else {
            problems.push(format!(
                "{}: module `{module}` is not in the layer map (tests/content/layers.rs MAY_USE)",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).expect("read");
        for used in uses(&text) {
            if used != module && !may_use.contains(&used.as_str()) {
                problems.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which the layer map does not allow",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_plain_and_grouped_paths() {
    let found = uses("use crate::store::Store;\nuse crate::{discord::Data, app};\n");
    let names: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(names, ["app", "discord", "store"]);
}

#[test]
fn nothing_below_discord_may_use_discord_app_or_cli() {
    for (module, may_use) in MAY_USE {
        for top in TOP {
            assert!(
                !may_use.contains(top),
                "the layer map lets `{module}` use `{top}`"
            );
        }
    }
}
