//! Diagnostics for the two kinds of file people edit by hand: the config and the content.
//!
//! Both are TOML, and both must report *every* problem at once, each with the file, line,
//! column and what to change, so that one edit-check cycle fixes everything. To get there a
//! file is parsed with error recovery, and each entry (a content `[[contrast]]`, a config
//! `[section]`) is deserialized on its own: a mistake in one entry never hides a mistake in
//! the next.

use std::fmt;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

/// One problem in a file, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user knows it (`content/tips.toml`, `bridgebot.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong.
    pub problem: String,
    /// What to change.
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}\n    fix: {}",
            self.file, self.line, self.column, self.problem, self.fix
        )
    }
}

/// Every problem found in a set of files; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "{count} problem{} found:",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// What in a file still works but should change, each with where and what to change; unlike
/// [`Diagnostics`], they stop nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warnings<'a>(pub &'a [Diagnostic]);

impl fmt::Display for Warnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.0 {
            writeln!(f, "warning: {diagnostic}")?;
        }
        Ok(())
    }
}

impl Diagnostics {
    /// `Ok(value)` when nothing was found, otherwise every problem in file and line order.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        self.0
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Where something stands in a file: enough to point a person at it later, after parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// A diagnostic at this location.
    pub fn diagnostic(&self, problem: impl Into<String>, fix: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A file's text with a line index, to turn byte offsets into lines and columns.
pub struct SourceFile<'a> {
    name: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceFile<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    pub fn name(&self) -> &str {
        self.name
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The location of a byte offset (clamped to the text).
    pub fn locate(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts[line_index];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        Location {
            file: self.name.to_string(),
            line: line_index + 1,
            column,
        }
    }

    /// A diagnostic pointing at the start of `span`.
    pub fn diagnostic(
        &self,
        span: &Range<usize>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        self.locate(span.start).diagnostic(problem, fix)
    }

    /// Parses the whole document, recovering from syntax errors so that every one is reported.
    pub fn parse(&self) -> (Spanned<DeTable<'a>>, Vec<Diagnostic>) {
        let (table, errors) = DeTable::parse_recoverable(self.text);
        let diagnostics = errors
            .iter()
            .map(|error| self.toml_error(error, &(0..0)))
            .collect();
        (table, diagnostics)
    }

    /// Deserializes one value of the document (a table, an entry of an array of tables).
    pub fn deserialize<T: DeserializeOwned>(
        &self,
        value: Spanned<DeValue<'a>>,
    ) -> Result<T, Diagnostic> {
        let whole = value.span();
        T::deserialize(ValueDeserializer::from(value))
            .map_err(|error| self.toml_error(&error, &whole))
    }

    /// Turns a toml error into a diagnostic, at its own span or else at `fallback`.
    pub fn toml_error(&self, error: &toml::de::Error, fallback: &Range<usize>) -> Diagnostic {
        let span = error.span().unwrap_or_else(|| fallback.clone());
        let message = error.message().trim_end_matches('\n');
        match message.split_once(FIX_SEPARATOR) {
            Some((problem, fix)) => self.diagnostic(&span, problem, fix),
            None => self.diagnostic(&span, message, fix_for_toml_message(message)),
        }
    }
}

/// Separates the problem from the fix in a validation message raised during deserializing
/// (see [`problem_and_fix`]).
const FIX_SEPARATOR: char = '\u{1f}';

/// A deserializing error message that carries its own fix, for validated types.
pub fn problem_and_fix(problem: impl fmt::Display, fix: impl fmt::Display) -> String {
    format!("{problem}{FIX_SEPARATOR}{fix}")
}

/// What to do about one of toml/serde's own messages, which say what is wrong but not how to
/// mend it.
fn fix_for_toml_message(message: &str) -> String {
    if message.starts_with("unknown field") {
        "remove this key or correct its spelling (the message lists the keys allowed here)".into()
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        format!("add {rest} to this entry")
    } else if message.starts_with("invalid type") {
        "write the value as the type the message expects (text in quotes, numbers without)".into()
    } else if message.starts_with("unknown variant") {
        "use one of the values the message lists".into()
    } else if message.starts_with("duplicate key") {
        "keep one of the two keys and delete the other".into()
    } else {
        "correct the TOML syntax here (see https://toml.io for the rules)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters_from_one() {
        let file = SourceFile::new("f.toml", "a = 1\nbé = 2\n");
        assert_eq!(file.locate(0).line, 1);
        let b = file.text().find('b').expect("b");
        assert_eq!((file.locate(b).line, file.locate(b).column), (2, 1));
        let two = file.text().find('2').expect("2");
        assert_eq!(file.locate(two).column, 6);
    }

    #[test]
    fn parse_reports_every_syntax_error_with_its_line() {
        let file = SourceFile::new("f.toml", "a = \nb = 2\nc = \n");
        let (_, diagnostics) = file.parse();
        let lines: Vec<usize> = diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![1, 3], "{diagnostics:?}");
    }

    #[test]
    fn deserialize_points_at_the_unknown_key() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Entry {
            name: String,
        }
        let file = SourceFile::new("f.toml", "[entry]\nname = \"x\"\nnmae = \"y\"\n");
        let (table, _) = file.parse();
        let value = table.into_inner().remove("entry").expect("entry");
        let error = file.deserialize::<Entry>(value).expect_err("unknown key");
        assert_eq!(error.line, 3, "{error}");
        assert!(error.problem.contains("nmae"), "{error}");
        assert!(error.fix.contains("remove"), "{error}");
    }
}
