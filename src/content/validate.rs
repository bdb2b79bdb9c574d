//! Checks that need more than one value: texts against Discord's limits, ids, references
//! between entries, and the least each list must hold for the commands to work.
//!
//! Every check adds to one list of diagnostics; nothing stops at the first problem.

use std::collections::HashMap;

use super::entry::{Entry, Kind, Reference, Target, TextRule};
use super::model::{Evidence, QuizAnswer, QuizRule, Says, Similarity, Source, Text, Tip, Trait};
use super::Content;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::text::char_len;

/// Longest id: ids travel inside button custom ids (at most 100 characters) and the database.
pub const ID_MAX_LEN: usize = 48;

/// The fewest entries each list needs for the commands built on it.
const MIN_CONTRASTS: usize = 2; // "Another contrast" must find a different one
const MIN_TIPS: usize = 2; // "Another tip" likewise
const MIN_TRAITS_PER_SIDE: usize = 2; // a quiz or needs poll needs two answers
const MIN_SCENARIOS: usize = 2; // "Another scenario" must find a different one
/// A quiz recap's "why" is one embed field holding a line per article, then the quiz note:
/// the note and each section name are kept to their share of it.
pub const QUIZ_NOTE_MAX: usize = 400;
pub const SECTION_MAX: usize = 60;
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
        self.quiz_evidence(content);
        self.needs_groups(content);
        self.tip_moves(content);
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

    /// Every quiz subject records what each article says of it, and its answer follows from
    /// that record: a trait's `quiz` must state the answer the evidence gives, and a similarity
    /// (always answered "Both") must have evidence that gives Both.
    fn quiz_evidence(&mut self, content: &Content) {
        let articles: Vec<&str> = content.sources.iter().map(|s| s.id.as_str()).collect();
        for trait_ in &content.traits {
            let quizzed = trait_.stated_answer().is_some();
            if !quizzed && trait_.evidence.is_none() {
                continue;
            }
            let subject = Subject {
                file: <Trait as Entry>::FILE,
                table: <Trait as Entry>::TABLE,
                id: &trait_.id,
                sources: &trait_.sources,
            };
            self.recap_share(
                &subject,
                trait_.quiz_note.as_ref(),
                trait_.evidence.as_ref(),
            );
            let given = self.evidence(&subject, trait_.evidence.as_ref(), &articles, quizzed);
            if let (Some(stated), Some(given), Some(evidence)) =
                (trait_.stated_answer(), given, trait_.evidence.as_ref())
            {
                if stated != given {
                    let who = who_says_what(evidence, &articles);
                    self.stated_against_evidence(trait_, stated, given, &who);
                }
            }
        }
        for similarity in &content.similarities {
            let subject = Subject {
                file: <Similarity as Entry>::FILE,
                table: <Similarity as Entry>::TABLE,
                id: &similarity.id,
                sources: &similarity.sources,
            };
            self.recap_share(
                &subject,
                similarity.quiz_note.as_ref(),
                similarity.evidence.as_ref(),
            );
            let given = self.evidence(&subject, similarity.evidence.as_ref(), &articles, true);
            if let (Some(given), Some(evidence)) = (given, similarity.evidence.as_ref()) {
                if given != QuizAnswer::Both {
                    let location = self.at(subject.file, subject.id);
                    self.report(
                        location,
                        format!(
                            "similarity `{}` is always answered Both, but its evidence gives {}: {}",
                            similarity.id,
                            given.label(),
                            who_says_what(evidence, &articles)
                        ),
                        "a similarity needs an article that calls it shared, or two articles that disagree: correct the evidence if an article was misread, or make it a trait".into(),
                    );
                }
            }
        }
    }

    /// Checks one subject's record: every article present once, each known, a section where
    /// an article speaks, `sources` naming exactly the articles that speak. Returns the answer
    /// the record gives, if any.
    fn evidence(
        &mut self,
        subject: &Subject<'_>,
        evidence: Option<&Evidence>,
        articles: &[&str],
        quizzed: bool,
    ) -> Option<QuizAnswer> {
        let Subject {
            file,
            table,
            id,
            sources,
        } = *subject;
        let Some(evidence) = evidence else {
            let location = self.at(file, id);
            let example = articles.first().copied().unwrap_or("ceo-com");
            self.report(
                location,
                format!("{table} `{id}` is quizzed but records no evidence"),
                format!(
                    "add a [{table}.evidence] table as the entry's last part, one line per article ({}), such as {example} = {{ says = \"leader\", sections = [\"...\"] }}; says is leader, manager, both or silent",
                    articles.join(", ")
                ),
            );
            return None;
        };
        for (article, finding) in evidence.findings() {
            if !articles.contains(&article.as_str()) {
                let location = self.at(file, article);
                self.report(
                    location,
                    format!("`{article}` in the evidence of {table} `{id}` is not an article"),
                    format!("use a source id from sources.toml: {}", articles.join(", ")),
                );
                continue;
            }
            let says = finding.says();
            match (says, finding.sections.first()) {
                (Says::Silent, Some(section)) => {
                    let location = self.at(file, section);
                    self.report(
                        location,
                        format!("`{article}` is silent on {table} `{id}`, so it has no section"),
                        "remove sections, or set says to what the article says there".into(),
                    );
                }
                (Says::Leader | Says::Manager | Says::Both, None) => {
                    let location = self.at_offset(file, finding.says.span().start);
                    self.report(
                        location,
                        format!(
                            "`{article}` says {} of {table} `{id}`, but the evidence names no section",
                            says.id()
                        ),
                        "add sections = [\"...\"]: the heading of each part of the article that says so, so a reader can find it".into(),
                    );
                }
                _ => {}
            }
            let cited = sources.iter().any(|s| s.as_str() == article.as_str());
            if says != Says::Silent && !cited {
                let location = self.at(file, article);
                self.report(
                    location,
                    format!("`{article}` speaks to {table} `{id}`, but its sources do not name it"),
                    format!("add \"{article}\" to sources"),
                );
            }
        }
        for article in articles {
            if evidence.of(article).is_none() {
                let location = self.at(file, id);
                self.report(
                    location,
                    format!("the evidence of {table} `{id}` leaves out `{article}`"),
                    format!(
                        "add {article} = {{ says = \"silent\" }}, or what that article says with its sections: every article is recorded so that none is forgotten"
                    ),
                );
            }
        }
        for source in sources {
            if evidence
                .of(source)
                .is_some_and(|f| f.says() == Says::Silent)
            {
                let location = self.at(file, source);
                self.report(
                    location,
                    format!(
                        "{table} `{id}` names `{source}` in sources, but its evidence says that article is silent on it"
                    ),
                    format!(
                        "remove \"{source}\" from sources, or record what the article says of it"
                    ),
                );
            }
        }
        let given = evidence.answer();
        if given.is_none() && quizzed {
            let location = self.at(file, id);
            self.report(
                location,
                format!(
                    "every article is silent on {table} `{id}`, so a quiz about it has no answer"
                ),
                match table {
                    "trait" => "record what an article says of it, or set quiz = \"skip\"".into(),
                    _ => "record what an article says of it, or remove the entry".into(),
                },
            );
        }
        given
    }

    /// The quiz note and the section names fit their share of the recap's one field.
    fn recap_share(
        &mut self,
        subject: &Subject<'_>,
        note: Option<&Text>,
        evidence: Option<&Evidence>,
    ) {
        let (file, table, id) = (subject.file, subject.table, subject.id);
        let sections = evidence
            .into_iter()
            .flat_map(Evidence::findings)
            .flat_map(|(_, finding)| &finding.sections)
            .map(|section| ("a section name", section, SECTION_MAX));
        let texts = note
            .map(|n| ("quiz_note", n, QUIZ_NOTE_MAX))
            .into_iter()
            .chain(sections);
        for (what, text, max) in texts {
            let length = char_len(text);
            if length > max {
                let location = self.at(file, text);
                self.report(
                    location,
                    format!(
                        "{what} of {table} `{id}` is {length} characters; the quiz recap keeps it to {max} so that every article's line fits beside it in one field"
                    ),
                    format!("shorten it by at least {} characters", length - max),
                );
            }
        }
    }

    /// A trait whose `quiz` states another answer than its evidence gives.
    fn stated_against_evidence(
        &mut self,
        trait_: &Trait,
        stated: QuizAnswer,
        given: QuizAnswer,
        who: &str,
    ) {
        let file = <Trait as Entry>::FILE;
        let location = self.at_offset(file, trait_.quiz.span().start);
        let rule = match trait_.quiz.get_ref() {
            QuizRule::Side => format!(
                "quiz = \"side\" (on side = \"{}\")",
                trait_.side.label().to_lowercase()
            ),
            _ => "quiz = \"both\"".to_string(),
        };
        let problem = format!(
            "trait `{}` has {rule}, which answers {}, but its evidence gives {}: {who}",
            trait_.id,
            stated.label(),
            given.label(),
        );
        let fix = match given {
            QuizAnswer::Both if trait_.quiz_note.is_none() => "set quiz = \"both\" and add a quiz_note on how the two roles share it; or correct the evidence if an article was misread".to_string(),
            QuizAnswer::Both => "set quiz = \"both\"; or correct the evidence if an article was misread".to_string(),
            side if side == QuizAnswer::of_side(trait_.side) => {
                "set quiz = \"side\"; or correct the evidence if an article was misread".to_string()
            }
            side => format!(
                "the articles put it with {}s: set side = \"{}\" and quiz = \"side\", or correct the evidence if an article was misread",
                side.id(),
                side.id()
            ),
        };
        self.report(location, problem, fix);
    }

    /// A pulse group names traits that mean the same; a group of one is a typo.
    fn needs_groups(&mut self, content: &Content) {
        let file = <Trait as Entry>::FILE;
        let mut members: HashMap<&str, usize> = HashMap::new();
        for group in content.traits.iter().filter_map(|t| t.needs_group.as_ref()) {
            *members.entry(group.as_str()).or_default() += 1;
        }
        for trait_ in &content.traits {
            let Some(group) = &trait_.needs_group else {
                continue;
            };
            let location = self.at(file, group);
            if !is_valid_id(group) {
                self.report(
                    location,
                    format!(
                        "needs_group `{group}` of trait `{}` is not a valid name",
                        trait_.id
                    ),
                    "use lowercase letters, digits and single dashes, like `planning-budgets`"
                        .into(),
                );
            } else if members.get(group.as_str()) == Some(&1) {
                self.report(
                    location,
                    format!("needs_group `{group}` of trait `{}` has no other trait", trait_.id),
                    "give the same needs_group to the trait whose label means the same, or remove it".into(),
                );
            }
        }
    }

    /// Every tip names the one action it asks, and no two tips ask the same one: a deck that
    /// gives one piece of advice in new words every few weeks stops being read.
    fn tip_moves(&mut self, content: &Content) {
        let file = <Tip as Entry>::FILE;
        let mut seen: HashMap<&str, Location> = HashMap::new();
        for tip in &content.tips {
            let name = &tip.r#move;
            let location = self.at(file, name);
            if !is_valid_id(name) {
                self.report(
                    location,
                    format!("move `{name}` of tip `{}` is not a valid name", tip.id),
                    format!(
                        "name the action in 1 to {ID_MAX_LEN} lowercase letters, digits and single dashes, like `name-who-decides`"
                    ),
                );
            } else if let Some(first) = seen.get(name.as_str()) {
                self.report(
                    location,
                    format!(
                        "tip `{}` asks the move `{name}`, which the tip at {first} already asks",
                        tip.id
                    ),
                    "merge the two tips into the better one, or make this one ask an action no other tip asks and name that".into(),
                );
            } else {
                seen.insert(name.as_str(), location);
            }
        }
    }

    fn minimum_counts(&mut self, content: &Content) {
        use super::model::{Contrast, Quote};
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

/// A quiz subject as its evidence check needs it.
#[derive(Clone, Copy)]
struct Subject<'e> {
    file: &'static str,
    table: &'static str,
    id: &'e Text,
    sources: &'e [Text],
}

/// "ceo-com says leader, kotter-based says both": the articles that speak, in the order of
/// sources.toml, for a problem.
fn who_says_what(evidence: &Evidence, articles: &[&str]) -> String {
    let speaking: Vec<String> = articles
        .iter()
        .filter_map(|article| {
            evidence
                .of(article)
                .map(|finding| (article, finding.says()))
        })
        .filter(|(_, says)| *says != Says::Silent)
        .map(|(article, says)| format!("{article} says {}", says.id()))
        .collect();
    speaking.join(", ")
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
