//! The layer map of `docs/ARCHITECTURE.md` (its table, read from the file, so the document is
//! the map), checked against the code: every top-level module of `src/` may use only the
//! modules its row names, and only the modules named in
//! [`CRATES_ONLY_IN`] may use the crates that tie code to Discord or to SQL. A new dependency
//! between modules is a change to that table, never an accident; in particular
//! nothing below `discord` reaches `discord`, `app`, `cli` or `preview`, and `store` knows
//! nothing above the values it keeps.
//!
//! A use is any path in code (comments and string literals are skipped): `crate::x`, a
//! `super::` chain that climbs to the crate root (`super::super::x` from `src/a/b.rs`), a
//! `crate::{x, y::{z}}` group, and a name the crate root re-exports (`crate::Data` when
//! `lib.rs` says `pub use discord::Data`) counts as a use of the module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layer map: the table between the `layer map` markers of `docs/ARCHITECTURE.md`, one
/// row per module (or several modules sharing a row) and the modules it may use.
fn layer_map() -> BTreeMap<String, BTreeSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md");
    let text = fs::read_to_string(&path).expect("docs/ARCHITECTURE.md");
    parse_layer_map(&text).unwrap_or_else(|problem| panic!("{}: {problem}", path.display()))
}

fn parse_layer_map(text: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    const START: &str = "<!-- layer map: read by tests/content/layers.rs -->";
    const END: &str = "<!-- end of layer map -->";
    let start = text
        .find(START)
        .ok_or("no layer map (its start marker is missing)")?;
    let body = &text[start + START.len()..];
    let body = &body[..body.find(END).ok_or("the layer map has no end marker")?];
    let mut map = BTreeMap::new();
    for line in body.lines().map(str::trim).filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [modules, may_use] = cells[..] else {
            return Err(format!("a row of the layer map is not two cells: {line}"));
        };
        if modules == "module" || modules.starts_with("---") {
            continue;
        }
        let may_use: BTreeSet<String> = if may_use == "nothing of the crate" {
            BTreeSet::new()
        } else {
            may_use.split(',').map(|m| m.trim().to_string()).collect()
        };
        for module in modules.split(',') {
            let module = module.trim().trim_matches('`').to_string();
            if map.insert(module.clone(), may_use.clone()).is_some() {
                return Err(format!("`{module}` has two rows in the layer map"));
            }
        }
    }
    Ok(map)
}

/// Modules that may use anything: what starts the bot (`app`), the command line (`cli`) and
/// its offline `preview`; `lib.rs` declares the modules and `main.rs` only calls `cli`.
const TOP: &[&str] = &["app", "cli", "lib", "main", "preview"];

/// External crates that tie code to one outside thing, and the only modules that may name
/// them: Discord's libraries stay in `discord` and `app` (which starts the client), SQL stays
/// in `store`.
const CRATES_ONLY_IN: &[(&str, &[&str])] = &[
    ("serenity", &["app", "discord"]),
    ("poise", &["app", "discord"]),
    ("sqlx", &["store"]),
    ("sqlx_macros", &["store"]),
];

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

/// How many `super::` climb from a file's module to the crate root: `src/store.rs` and
/// `src/store/mod.rs` are one below it, `src/store/pulse.rs` two.
fn depth_of(file: &Path) -> usize {
    let relative = file.strip_prefix(src()).expect("under src");
    let parts = relative.components().count();
    let name = relative.file_name().expect("a file name").to_string_lossy();
    match name.as_ref() {
        "lib.rs" | "main.rs" => 0,
        "mod.rs" => parts - 1,
        _ => parts,
    }
}

/// The text with comments, string literals and character literals blanked out (so a path
/// named in a doc comment or a log target is not a use), lines kept.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut nesting = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    nesting += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    nesting -= 1;
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some('\n') => out.push('\n'),
                    Some(_) => {}
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                } else if chars[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            out.push_str("\"\"");
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                let end = chars[i + 2..]
                    .iter()
                    .position(|&d| d == '\'')
                    .map(|p| i + 2 + p);
                i = end.map_or(chars.len(), |e| e + 1);
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits code into identifiers and single punctuation characters (`::` stays one token).
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_ident(c) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            found.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            found.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                found.push(c.to_string());
            }
            i += 1;
        }
    }
    found
}

/// The first names of every path a group opens: `{a, b::c, d::{e}}` after `crate::` gives
/// `a`, `b`, `d`. `at` is the index of the `{`.
fn group_heads(tokens: &[String], at: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut nesting = 0;
    let mut expect_head = true;
    for token in &tokens[at..] {
        match token.as_str() {
            "{" => {
                nesting += 1;
                if nesting == 1 {
                    expect_head = true;
                }
            }
            "}" => {
                nesting -= 1;
                if nesting == 0 {
                    break;
                }
            }
            "," if nesting == 1 => expect_head = true,
            name if nesting == 1 && expect_head && name.chars().all(is_ident) => {
                heads.push(name.to_string());
                expect_head = false;
            }
            _ => {
                if nesting == 1 {
                    expect_head = false;
                }
            }
        }
    }
    heads
}

/// What a file's code names: the crate's top-level items it reaches (through `crate::`, or a
/// `super::` chain that climbs from `depth` to the root, counting inline `mod x { }` blocks),
/// and every external path head (`serenity::`, `::sqlx::`).
struct Uses {
    internal: BTreeSet<String>,
    external: BTreeSet<String>,
}

fn uses_in(text: &str, depth: usize) -> Uses {
    let tokens = tokens(&code_only(text));
    let mut internal = BTreeSet::new();
    let mut external = BTreeSet::new();
    // The brace depths at which inline modules opened.
    let mut inline_mods: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        match token {
            "{" => braces += 1,
            "}" => {
                braces = braces.saturating_sub(1);
                if inline_mods.last() == Some(&braces) {
                    inline_mods.pop();
                }
            }
            "mod" if tokens.get(i + 2).map(String::as_str) == Some("{") => {
                inline_mods.push(braces);
            }
            _ => {}
        }
        let after_path = i > 0 && tokens[i - 1] == "::";
        let followed = tokens.get(i + 1).map(String::as_str) == Some("::");
        if followed && !after_path && token.chars().all(is_ident) {
            match token {
                "crate" => collect_after(&tokens, i + 2, &mut internal),
                "super" => {
                    let mut climbs = 0;
                    let mut j = i;
                    while tokens.get(j).map(String::as_str) == Some("super")
                        && tokens.get(j + 1).map(String::as_str) == Some("::")
                    {
                        climbs += 1;
                        j += 2;
                    }
                    if climbs == depth + inline_mods.len() {
                        collect_after(&tokens, j, &mut internal);
                    }
                    i = j;
                    continue;
                }
                "self" | "Self" | "std" | "core" | "alloc" => {}
                name if name.chars().next().is_some_and(|c| c.is_lowercase()) => {
                    external.insert(name.to_string());
                }
                _ => {}
            }
        } else if token == "::" && starts_a_path(&tokens, i) {
            if let Some(name) = tokens.get(i + 1) {
                external.insert(name.clone());
            }
        }
        i += 1;
    }
    Uses { internal, external }
}

/// Whether the `::` at `i` opens an absolute path (`::sqlx::query`, `-> ::poise::Context`)
/// rather than continuing one (`Vec::<u8>::new`, `a::b`).
fn starts_a_path(tokens: &[String], i: usize) -> bool {
    let Some(before) = i.checked_sub(1).map(|b| tokens[b].as_str()) else {
        return true;
    };
    let arrow = before == ">" && i >= 2 && tokens[i - 2] == "-";
    arrow || (!before.chars().all(is_ident) && before != ">")
}

fn collect_after(tokens: &[String], at: usize, found: &mut BTreeSet<String>) {
    match tokens.get(at).map(String::as_str) {
        Some("{") => found.extend(group_heads(tokens, at)),
        Some(name) if name.chars().all(is_ident) => {
            found.insert(name.to_string());
        }
        _ => {}
    }
}

/// The names `lib.rs` re-exports at the crate root and the module each comes from:
/// `pub use discord::Data;` maps `Data` to `discord`.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let tokens = tokens(&code_only(lib));
    let mut found = BTreeMap::new();
    for (i, window) in tokens.windows(3).enumerate() {
        if window[0] != "pub" || window[1] != "use" {
            continue;
        }
        let module = window[2].trim_start_matches("crate").to_string();
        let start = if module.is_empty() { i + 4 } else { i + 2 };
        let Some(module) = tokens.get(start) else {
            continue;
        };
        let mut j = start;
        while tokens.get(j).is_some_and(|t| t != ";") {
            j += 1;
        }
        let statement = &tokens[start..j];
        let last_names = statement
            .iter()
            .enumerate()
            .filter(|(k, t)| {
                t.chars().all(is_ident)
                    && statement.get(k + 1).map(String::as_str) != Some("::")
                    && *t != "as"
            })
            .map(|(_, t)| t.clone());
        for name in last_names {
            found.insert(name, module.clone());
        }
    }
    found
}

#[test]
fn every_module_uses_only_what_the_layer_map_allows() {
    let allowed = layer_map();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|file| module_of(file)).collect();
    let reexports = root_reexports(&fs::read_to_string(src().join("lib.rs")).expect("lib.rs"));
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(file);
        if TOP.contains(&module.as_str()) {
            continue;
        }
        let Some(may_use) = allowed.get(module.as_str()) else {
            problems.push(format!(
                "{}: module `{module}` is not in the layer map (docs/ARCHITECTURE.md)",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).expect("read");
        for used in uses_in(&text, depth_of(file)).internal {
            let used = reexports.get(&used).cloned().unwrap_or(used);
            if !modules.contains(&used) {
                continue;
            }
            if used != module && !may_use.contains(&used) {
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
fn only_the_named_modules_use_discord_and_sql_crates() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(file);
        let text = fs::read_to_string(file).expect("read");
        let external = uses_in(&text, depth_of(file)).external;
        for (krate, only_in) in CRATES_ONLY_IN {
            if external.contains(*krate) && !only_in.contains(&module.as_str()) {
                problems.push(format!(
                    "{}: `{module}` uses the `{krate}` crate, which only {} may use",
                    file.display(),
                    only_in.join(" and ")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn names(found: &BTreeSet<String>) -> Vec<&str> {
    found.iter().map(String::as_str).collect()
}

#[test]
fn the_check_sees_plain_and_nested_grouped_paths() {
    let found = uses_in(
        "use crate::store::Store;\nuse crate::{discord::{Data, Error}, app, when::Zone};\n",
        1,
    );
    assert_eq!(names(&found.internal), ["app", "discord", "store", "when"]);
}

#[test]
fn the_check_follows_super_to_the_crate_root_and_through_inline_modules() {
    let file = "use super::engine::Duty;\nuse super::super::discord::Data;\n\
                mod tests { use super::super::super::app::run; use super::Thing; }\n";
    let found = uses_in(file, 2);
    assert_eq!(names(&found.internal), ["app", "discord"]);
}

#[test]
fn the_check_skips_comments_and_strings_but_sees_external_crates() {
    let file = "//! serenity::Client is not used here\n\
                let target = \"sqlx::query\"; let c = '\"';\n\
                #[derive(sqlx::FromRow)] struct Row;\nfn f() -> ::poise::Context {}\n";
    let found = uses_in(file, 1);
    assert_eq!(names(&found.external), ["poise", "sqlx"]);
}

#[test]
fn a_name_the_crate_root_reexports_counts_as_its_module() {
    let found = root_reexports("pub mod discord;\npub use discord::{Data, error::Error as E};\npub use crate::store::Store;\n");
    assert_eq!(found.get("Data").map(String::as_str), Some("discord"));
    assert_eq!(found.get("E").map(String::as_str), Some("discord"));
    assert_eq!(found.get("Store").map(String::as_str), Some("store"));
}

#[test]
fn nothing_below_discord_may_use_discord_app_cli_or_preview() {
    let map = layer_map();
    for (module, may_use) in &map {
        for top in TOP.iter().chain(&["discord"]) {
            assert!(
                !may_use.contains(*top),
                "the layer map lets `{module}` use `{top}`"
            );
        }
    }
}

#[test]
fn the_layer_map_names_only_modules_that_exist() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|file| module_of(file)).collect();
    let map = layer_map();
    for (module, may_use) in &map {
        assert!(
            modules.contains(module),
            "the layer map has a row for `{module}`, which is not a module of src/"
        );
        for used in may_use {
            assert!(
                modules.contains(used),
                "`{module}`'s row names `{used}`, which is not a module of src/"
            );
        }
    }
}

#[test]
fn a_layer_map_row_may_share_a_rule_and_a_missing_marker_is_an_error() {
    let text = "<!-- layer map: read by tests/content/layers.rs -->\n| module | may use |\n| --- | --- |\n\
                | `a`, `b` | nothing of the crate |\n| `c` | a, b |\n<!-- end of layer map -->\n";
    let map = parse_layer_map(text).expect("parses");
    assert!(map["a"].is_empty() && map["b"].is_empty());
    assert_eq!(names(&map["c"]), ["a", "b"]);
    assert!(parse_layer_map("no map here").is_err());
}
