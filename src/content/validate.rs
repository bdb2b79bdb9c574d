//! Checks that need more than one value: texts against Discord's limits, ids, references
//! between entries, and the least each list must hold for the commands to work.
//!
//! Every check adds to one list of diagnostics; nothing stops at the first problem.

use std::collections::HashMap;

use super::entry::{Entry, Kind, Reference, Target, TextRule};
use super::model::{QuizRule, Source, Text, Trait};
use super::Content;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::text::char_len;

/// Longest id: ids travel inside button custom ids (at most 100 characters) and the database.
pub const ID_MAX_LEN: usize = 48;

/// The fewest entries each list needs for the commands built on it.
const MIN_CONTRASTS: usize = 2; // "Another contrast" must find a different one
const MIN_TIPS: usize = 2; // "Another tip" likewise
const MIN_TRAITS_PER_SIDE: usize = 2; // a quiz or pulse poll needs two answers
const MIN_SCENARIOS: usize = 2; // "Another scenario" must find a different one
/// A team pulse asks up to three statements a week and rotates through the deck. Only
/// statements still asked count; a retired one stays for past pulses but is never picked.
pub const MIN_STATEMENTS: usize = 24;
/// Each pulse asks about both sides, so each needs enough statements to rotate.
const MIN_STATEMENTS_PER_SIDE: usize = 8;

pub struct Validator<'f, 'a> {
    files: &'f HashMap<&'a str, SourceFile<'a>>,
    problems: Vec<Diagnostic>,
}

impl<'f, 'a> Validator<'f, 'a> {
    pub fn new(files: &'f HashMap<&'a str, SourceFile<'a>>) -> Self {
        Validator {
            files,
            problems: Vec::new(),
        }
    }

    /// Runs every check over the content, returning all problems found.
    pub fn check(mut self, content: &Content) -> Vec<Diagnostic> {
        let mut ids = IdIndex::default();
        self.kind(&content.sources, &mut ids);
        self.kind(&content.contrasts, &mut ids);
        self.kind(&content.traits, &mut ids);
        self.kind(&content.similarities, &mut ids);
        self.kind(&content.examples, &mut ids);
        self.kind(&content.quotes, &mut ids);
        self.kind(&content.questions, &mut ids);
        self.kind(&content.tips, &mut ids);
        self.kind(&content.scenarios, &mut ids);
        self.kind(&content.statements, &mut ids);

        self.references(&content.contrasts, &ids);
        self.references(&content.traits, &ids);
        self.references(&content.similarities, &ids);
        self.references(&content.examples, &ids);
        self.references(&content.quotes, &ids);
        self.references(&content.questions, &ids);
        self.references(&content.tips, &ids);
        self.references(&content.scenarios, &ids);
        self.references(&content.statements, &ids);

        self.source_credits(content);
        self.distinct_poll_labels(content);
        self.quiz_rules(content);
        self.pulse_groups(content);
        self.minimum_counts(content);
        self.problems
    }

    fn at(&self, file: &str, text: &Text) -> Location {
        self.at_offset(file, text.span().start)
    }

    fn at_offset(&self, file: &str, offset: usize) -> Location {
        match self.files.get(file) {
            Some(source) => source.locate(offset),
            None => Location {
                file: file.to_string(),
                ..Location::default()
            },
        }
    }

    fn report(&mut self, location: Location, problem: String, fix: String) {
        self.problems.push(location.diagnostic(problem, fix));
    }

    /// Per-entry checks, and registration of ids for the cross-entry ones.
    fn kind<E: Entry>(&mut self, entries: &[E], ids: &mut IdIndex) {
        for entry in entries {
            self.id(entry.id(), E::FILE, E::KIND, ids);
            for rule in entry.texts() {
                self.text(E::FILE, E::TABLE, entry.id(), &rule);
            }
            if E::KIND != Kind::Source && entry.sources().is_empty() {
                let location = self.at(E::FILE, entry.id());
                self.report(
                    location,
                    format!("{} `{}` names no source article", E::TABLE, entry.id()),
                    "add sources = [\"...\"] with the id of the article it rests on (see sources.toml)".into(),
                );
            }
        }
    }

    fn id(&mut self, id: &Text, file: &'static str, kind: Kind, ids: &mut IdIndex) {
        let location = self.at(file, id);
        if !is_valid_id(id) {
            self.report(
                location.clone(),
                format!("`{id}` is not a valid id"),
                format!(
                    "use 1 to {ID_MAX_LEN} lowercase letters, digits and single dashes, like `vision-execution`"
                ),
            );
        }
        if let Some((_, first)) = ids.0.get(id.as_str()) {
            self.report(
                location,
                format!("the id `{id}` is already used at {first}"),
                "give this entry an id of its own (ids are unique across all content files)".into(),
            );
        } else {
            ids.0.insert(id.to_string(), (kind, location));
        }
    }

    fn text(&mut self, file: &str, table: &str, id: &Text, rule: &TextRule<'_>) {
        let length = char_len(rule.text);
        if rule.text.trim().is_empty() {
            let location = self.at(file, rule.text);
            self.report(
                location,
                format!("`{}` of {table} `{id}` is empty", rule.field),
                format!("write the {} text, or remove the entry", rule.field),
            );
        } else if length > rule.limit.max {
            let location = self.at(file, rule.text);
            self.report(
                location,
                format!(
                    "`{}` of {table} `{id}` is {length} characters, but it shows as {}, which Discord limits to {}",
                    rule.field, rule.limit.renders_as, rule.limit.max
                ),
                format!("shorten it by at least {} characters", length - rule.limit.max),
            );
        }
    }

    fn references<E: Entry>(&mut self, entries: &[E], ids: &IdIndex) {
        for entry in entries {
            let sources = entry.sources().iter().map(|id| Reference {
                field: "sources",
                id,
                target: Target::Source,
            });
            for link in sources.chain(entry.links()) {
                let known = ids.0.get(link.id.as_str()).map(|(kind, _)| *kind);
                if known.is_some_and(|kind| kind.accepts(link.target)) {
                    continue;
                }
                let location = self.at(E::FILE, link.id);
                let what = format!(
                    "`{}` in `{}` of {} `{}`",
                    link.id,
                    link.field,
                    E::TABLE,
                    entry.id()
                );
                let problem = match known {
                    Some(_) => format!("{what} is not {}", link.target.describe()),
                    None => format!("{what} names nothing"),
                };
                let hint = ids
                    .suggest(link.id, link.target)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let fix = format!("use the id of {}{hint}", link.target.describe());
                self.report(location, problem, fix);
            }
        }
    }

    /// Poll answers come from these labels; two equal ones would make a poll ambiguous.
    fn distinct_poll_labels(&mut self, content: &Content) {
        let mut seen: HashMap<String, String> = HashMap::new();
        let labels = content
            .traits
            .iter()
            .map(|t| (<Trait as Entry>::FILE, &t.short))
            .chain(
                content
                    .similarities
                    .iter()
                    .map(|s| (<super::model::Similarity as Entry>::FILE, &s.short)),
            );
        for (file, short) in labels {
            let key = short.trim().to_lowercase();
            let location = self.at(file, short);
            if let Some(first) = seen.get(&key) {
                self.report(
                    location,
                    format!("the short label \"{short}\" is already used at {first}"),
                    "make each short label distinct: polls show them side by side".into(),
                );
            } else {
                seen.insert(key, location.to_string());
            }
        }
    }

    /// A source that names no author or publisher says so, and why, in its note, so that a
    /// footer never credits an article with nothing but a title.
    fn source_credits(&mut self, content: &Content) {
        for source in content
            .sources
            .iter()
            .filter(|s| s.by.is_none() && s.note.is_none())
        {
            let location = self.at(<Source as Entry>::FILE, &source.id);
            self.report(
                location,
                format!("source `{}` has neither `by` nor `note`", source.id),
                "add by = \"Author (Publisher)\" as the article names them, or a note saying that it names neither".into(),
            );
        }
    }

    /// A trait answered "Both" must say why; a skipped one has no recap to explain.
    fn quiz_rules(&mut self, content: &Content) {
        let file = <Trait as Entry>::FILE;
        for trait_ in &content.traits {
            let rule = *trait_.quiz.get_ref();
            let location = self.at_offset(file, trait_.quiz.span().start);
            match (rule, &trait_.quiz_note) {
                (QuizRule::Both, None) => self.report(
                    location,
                    format!("trait `{}` has quiz = \"both\" but no quiz_note", trait_.id),
                    "add quiz_note: why both roles do this, and which article says what".into(),
                ),
                (QuizRule::Skip, Some(note)) => {
                    let location = self.at(file, note);
                    self.report(
                        location,
                        format!(
                            "trait `{}` has quiz = \"skip\", so its quiz_note is never shown",
                            trait_.id
                        ),
                        "remove quiz_note, or set quiz = \"side\" or \"both\"".into(),
                    );
                }
                _ => {}
            }
        }
        if !content.traits.iter().any(|t| t.quiz_answer().is_some())
            && content.similarities.is_empty()
        {
            self.report(
                Location {
                    file: format!("content/{file}"),
                    line: 1,
                    column: 1,
                },
                "no trait or similarity can be quizzed".into(),
                "set quiz = \"side\" or \"both\" on at least one trait".into(),
            );
        }
    }

    /// A pulse group names traits that mean the same; a group of one is a typo.
    fn pulse_groups(&mut self, content: &Content) {
        let file = <Trait as Entry>::FILE;
        let mut members: HashMap<&str, usize> = HashMap::new();
        for group in content.traits.iter().filter_map(|t| t.pulse_group.as_ref()) {
            *members.entry(group.as_str()).or_default() += 1;
        }
        for trait_ in &content.traits {
            let Some(group) = &trait_.pulse_group else {
                continue;
            };
            let location = self.at(file, group);
            if !is_valid_id(group) {
                self.report(
                    location,
                    format!(
                        "pulse_group `{group}` of trait `{}` is not a valid name",
                        trait_.id
                    ),
                    "use lowercase letters, digits and single dashes, like `planning-budgets`"
                        .into(),
                );
            } else if members.get(group.as_str()) == Some(&1) {
                self.report(
                    location,
                    format!("pulse_group `{group}` of trait `{}` has no other trait", trait_.id),
                    "give the same pulse_group to the trait whose label means the same, or remove it".into(),
                );
            }
        }
    }

    fn minimum_counts(&mut self, content: &Content) {
        use super::model::{Contrast, Quote, Similarity, Source, Tip};
        self.at_least::<Source>(content.sources.len(), 1);
        self.at_least::<Contrast>(content.contrasts.len(), MIN_CONTRASTS);
        self.at_least::<Similarity>(content.similarities.len(), 1);
        self.at_least::<Quote>(content.quotes.len(), 1);
        self.at_least::<Tip>(content.tips.len(), MIN_TIPS);
        self.at_least::<super::scenario::Scenario>(content.scenarios.len(), MIN_SCENARIOS);
        self.statements_asked(content);
        for side in [super::model::Side::Leader, super::model::Side::Manager] {
            let count = content.traits.iter().filter(|t| t.side == side).count();
            if count < MIN_TRAITS_PER_SIDE {
                self.report(
                    Location {
                        file: format!("content/{}", <Trait as Entry>::FILE),
                        line: 1,
                        column: 1,
                    },
                    format!("only {count} {} traits", side.label().to_lowercase()),
                    format!(
                        "add at least {MIN_TRAITS_PER_SIDE} traits with side = \"{}\"",
                        side.label().to_lowercase()
                    ),
                );
            }
        }
    }

    /// The pulse deck's size, counting only the statements still asked: retired ones are kept
    /// for past pulses, but a new pulse never picks them.
    fn statements_asked(&mut self, content: &Content) {
        use super::model::{PulseSide, Statement};
        let file = self.files.get(<Statement as Entry>::FILE).map_or_else(
            || format!("content/{}", <Statement as Entry>::FILE),
            |f| f.name().to_string(),
        );
        let location = || Location {
            file: file.clone(),
            line: 1,
            column: 1,
        };
        let asked = content.deck().count();
        if asked < MIN_STATEMENTS {
            let retired = content.statements.len() - asked;
            self.report(
                location(),
                format!(
                    "{asked} [[{}]] entries still asked ({retired} retired), fewer than the {MIN_STATEMENTS} the bot needs",
                    <Statement as Entry>::TABLE
                ),
                format!(
                    "add at least {} more [[{}]] entries without `retired = true`",
                    MIN_STATEMENTS - asked,
                    <Statement as Entry>::TABLE
                ),
            );
        }
        for side in PulseSide::BOTH {
            let count = content.deck().filter(|s| s.side == side).count();
            if count < MIN_STATEMENTS_PER_SIDE {
                let side = side.label().to_lowercase();
                self.report(
                    location(),
                    format!("only {count} {side} statements still asked (retired ones do not count)"),
                    format!(
                        "add at least {MIN_STATEMENTS_PER_SIDE} statements with side = \"{side}\" and without `retired = true`"
                    ),
                );
            }
        }
    }

    fn at_least<E: Entry>(&mut self, count: usize, minimum: usize) {
        if count < minimum {
            let file = self
                .files
                .get(E::FILE)
                .map_or_else(|| format!("content/{}", E::FILE), |f| f.name().to_string());
            self.report(
                Location {
                    file,
                    line: 1,
                    column: 1,
                },
                format!(
                    "{count} [[{}]] entries, fewer than the {minimum} the bot needs",
                    E::TABLE
                ),
                format!(
                    "add at least {} more [[{}]] entries",
                    minimum - count,
                    E::TABLE
                ),
            );
        }
    }
}

/// Every id seen so far: its kind and where it was first defined.
#[derive(Default)]
struct IdIndex(HashMap<String, (Kind, Location)>);

impl IdIndex {
    /// The closest known id of the right kind, for a "did you mean".
    fn suggest(&self, wrong: &str, target: Target) -> Option<&str> {
        self.0
            .iter()
            .filter(|(_, (kind, _))| kind.accepts(target))
            .map(|(id, _)| (edit_distance(wrong, id), id.as_str()))
            .filter(|(distance, _)| *distance <= wrong.len().max(3) / 3 + 1)
            .min()
            .map(|(_, id)| id)
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// Levenshtein distance over characters; ids are short, so the simple table is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words_joined_by_single_dashes() {
        assert!(is_valid_id("vision-execution"));
        assert!(is_valid_id("tip-42"));
        for bad in [
            "",
            "Vision",
            "a_b",
            "-a",
            "a-",
            "a--b",
            "a b",
            &"x".repeat(ID_MAX_LEN + 1),
        ] {
            assert!(!is_valid_id(bad), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn a_source_with_neither_by_nor_note_is_reported_at_its_id() {
        let files: Vec<_> = crate::content::bundled_files()
            .into_iter()
            .map(|mut file| {
                if file.name == "sources.toml" {
                    file.text = file
                        .text
                        .replace("by = \"Michelle Kaiser (CEO.com)\"\n", "");
                }
                file
            })
            .collect();
        let sources = files
            .iter()
            .find(|f| f.name == "sources.toml")
            .map(|f| f.text.clone())
            .unwrap_or_default();
        let line = sources
            .lines()
            .position(|l| l == "id = \"ceo-com\"")
            .map(|i| i + 1)
            .expect("the ceo-com entry");
        let problems = match crate::content::parse(&files) {
            Ok(_) => panic!("a source credited with its title alone"),
            Err(problems) => problems.to_string(),
        };
        assert!(
            problems.contains(&format!("content/sources.toml:{line}:"))
                && problems.contains("source `ceo-com` has neither `by` nor `note`"),
            "{problems}"
        );
    }

    #[test]
    fn retired_statements_do_not_count_toward_the_deck_size() {
        // Retire every leading statement still asked: the content keeps them all, but a new
        // pulse would have no leading statement to ask.
        let files: Vec<_> = crate::content::bundled_files()
            .into_iter()
            .map(|mut file| {
                if file.name == "pulse.toml" {
                    file.text = file
                        .text
                        .split("[[statement]]")
                        .map(|entry| {
                            if entry.contains("side = \"leading\"") && !entry.contains("retired") {
                                entry.replacen("\nsources = ", "\nretired = true\nsources = ", 1)
                            } else {
                                entry.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("[[statement]]");
                }
                file
            })
            .collect();
        let problems = match crate::content::parse(&files) {
            Ok(_) => panic!("a deck with no leading statement left to ask"),
            Err(problems) => problems.to_string(),
        };
        assert!(
            problems.contains("only 0 leading statements still asked"),
            "{problems}"
        );
        assert!(
            problems.contains("[[statement]] entries still asked")
                && problems.contains("without `retired = true`"),
            "{problems}"
        );
        assert!(
            !problems.contains("managing statements"),
            "the managing side is untouched: {problems}"
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("vision", "vision"), 0);
        assert_eq!(edit_distance("vison", "vision"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
