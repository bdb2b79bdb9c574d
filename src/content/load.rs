//! Reading and parsing the content files.
//!
//! Parsing is pure (`&str` in, [`Content`] or every problem out); reading a folder is the only
//! I/O and is kept apart so that the bundled copy and an edited folder go through exactly the
//! same checks.

use std::collections::HashMap;
use std::path::Path;

use super::entry::Entry;
use super::model::{Contrast, Example, Question, Quote, Similarity, Source, Statement, Tip, Trait};
use super::scenario::Scenario;
use super::validate::Validator;
use super::Content;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

/// The file names the content folder holds, one per kind of entry.
pub const FILES: [&str; 10] = [
    <Source as Entry>::FILE,
    <Contrast as Entry>::FILE,
    <Trait as Entry>::FILE,
    <Similarity as Entry>::FILE,
    <Example as Entry>::FILE,
    <Quote as Entry>::FILE,
    <Question as Entry>::FILE,
    <Tip as Entry>::FILE,
    <Scenario as Entry>::FILE,
    <Statement as Entry>::FILE,
];

/// One content file: the name shown in diagnostics, and its text.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// The file's base name (`contrasts.toml`), which decides what it holds.
    pub name: String,
    /// The path shown to people in diagnostics.
    pub shown_as: String,
    pub text: String,
}

macro_rules! bundled {
    ($($file:literal),* $(,)?) => {
        [$(($file, include_str!(concat!("../../content/", $file)))),*]
    };
}

/// The content compiled into the binary, so it runs with no files beside it.
pub fn bundled_files() -> Vec<ContentFile> {
    bundled!(
        "sources.toml",
        "contrasts.toml",
        "traits.toml",
        "similarities.toml",
        "examples.toml",
        "quotes.toml",
        "questions.toml",
        "tips.toml",
        "scenarios.toml",
        "pulse.toml",
    )
    .into_iter()
    .map(|(name, text)| ContentFile {
        name: name.to_string(),
        shown_as: format!("content/{name}"),
        text: text.to_string(),
    })
    .collect()
}

/// Reads the content files from a folder; every missing or unreadable file is reported.
pub fn read_dir(dir: &Path) -> Result<Vec<ContentFile>, Diagnostics> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for name in FILES {
        let path = dir.join(name);
        let shown_as = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(ContentFile {
                name: name.to_string(),
                shown_as,
                text,
            }),
            Err(error) => problems.push(
                Location {
                    file: shown_as,
                    line: 1,
                    column: 1,
                }
                .diagnostic(
                    format!("cannot read this content file: {error}"),
                    format!(
                        "copy {name} from the bundled content/ folder into {}, or point [content] dir at a folder that has all of: {}",
                        dir.display(),
                        FILES.join(", ")
                    ),
                ),
            ),
        }
    }
    Diagnostics(problems).into_result(files)
}

/// Parses and validates a complete set of content files.
pub fn parse(files: &[ContentFile]) -> Result<Content, Diagnostics> {
    let by_name: HashMap<&str, SourceFile<'_>> = files
        .iter()
        .map(|file| {
            (
                file.name.as_str(),
                SourceFile::new(&file.shown_as, &file.text),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let content = Content {
        sources: entries(&by_name, &mut problems),
        contrasts: entries(&by_name, &mut problems),
        traits: entries(&by_name, &mut problems),
        similarities: entries(&by_name, &mut problems),
        examples: entries(&by_name, &mut problems),
        quotes: entries(&by_name, &mut problems),
        questions: entries(&by_name, &mut problems),
        tips: entries(&by_name, &mut problems),
        scenarios: entries(&by_name, &mut problems),
        statements: entries(&by_name, &mut problems),
    };
    problems.extend(Validator::new(&by_name).check(&content));
    Diagnostics(problems).into_result(content)
}

/// Every entry of one kind that deserializes; problems for the rest.
fn entries<E: Entry>(
    files: &HashMap<&str, SourceFile<'_>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<E> {
    let Some(file) = files.get(E::FILE) else {
        problems.push(
            Location {
                file: format!("content/{}", E::FILE),
                line: 1,
                column: 1,
            }
            .diagnostic(
                "this content file is missing",
                format!("add {} with its [[{}]] entries", E::FILE, E::TABLE),
            ),
        );
        return Vec::new();
    };
    let (table, syntax) = file.parse();
    problems.extend(syntax);
    let mut found = Vec::new();
    for (key, value) in table.into_inner() {
        if key.get_ref() != E::TABLE {
            problems.push(file.diagnostic(
                &key.span(),
                format!("`{}` does not belong in {}", key.get_ref(), E::FILE),
                format!(
                    "this file holds only [[{}]] entries: move or remove `{}`",
                    E::TABLE,
                    key.get_ref()
                ),
            ));
            continue;
        }
        let span = value.span();
        let toml::de::DeValue::Array(array) = value.into_inner() else {
            problems.push(file.diagnostic(
                &span,
                format!("`{}` must be a list of entries", E::TABLE),
                format!("write each entry under its own [[{}]] header", E::TABLE),
            ));
            continue;
        };
        for element in array.iter().cloned() {
            let origin = file.locate(element.span().start);
            match file.deserialize::<E>(element) {
                Ok(mut entry) => {
                    entry.set_origin(origin);
                    found.push(entry);
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    found
}
