//! What each kind of entry holds, described once for the generic checks.
//!
//! Every kind says which file and table it lives in, which of its texts render into which
//! Discord field (and so which limit applies), and which of its values name other entries.
//! The validator walks these descriptions instead of repeating the same checks per kind.

use serde::de::DeserializeOwned;

use super::model::{
    Contrast, Evidence, Example, Origin, Question, Quote, Similarity, Source, Statement, Text, Tip,
    Trait,
};
use crate::limits;

/// A Discord field a text renders into, and its limit.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: usize,
    pub renders_as: &'static str,
}

/// Shown as an autocomplete suggestion (and as an embed title, which allows more).
pub const AS_CHOICE: Limit = Limit {
    max: limits::CHOICE_NAME,
    renders_as: "an autocomplete suggestion",
};
/// Shown as an embed title.
pub const AS_TITLE: Limit = Limit {
    max: limits::EMBED_TITLE,
    renders_as: "an embed title",
};
/// Shown as an embed field name.
pub const AS_FIELD_NAME: Limit = Limit {
    max: limits::EMBED_FIELD_NAME,
    renders_as: "an embed field name",
};
/// Shown as an embed field value.
pub const AS_FIELD: Limit = Limit {
    max: limits::EMBED_FIELD_VALUE,
    renders_as: "an embed field",
};
/// Shown as an embed description.
pub const AS_DESCRIPTION: Limit = Limit {
    max: limits::EMBED_DESCRIPTION,
    renders_as: "an embed description",
};
/// Shown as a select menu's placeholder.
pub const AS_PLACEHOLDER: Limit = Limit {
    max: limits::SELECT_PLACEHOLDER,
    renders_as: "a select menu placeholder",
};
/// Shown as a poll answer.
pub const AS_POLL_ANSWER: Limit = Limit {
    max: limits::POLL_ANSWER,
    renders_as: "a poll answer",
};

/// One text of an entry and the limit it must respect.
pub struct TextRule<'a> {
    pub field: &'static str,
    pub text: &'a Text,
    pub limit: Limit,
}

/// What a reference may point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Source,
    Contrast,
    /// What a tip can build on: a contrast, a trait or a similarity.
    TipAnchor,
    /// What a pulse statement asks about: a contrast or a similarity.
    PulseAnchor,
}

impl Target {
    pub fn describe(self) -> &'static str {
        match self {
            Target::Source => "a source in sources.toml",
            Target::Contrast => "a contrast in contrasts.toml",
            Target::TipAnchor => "a contrast, trait or similarity",
            Target::PulseAnchor => "a contrast or similarity",
        }
    }
}

/// A value naming another entry.
pub struct Reference<'a> {
    pub field: &'static str,
    pub id: &'a Text,
    pub target: Target,
}

/// The kind of entry a table holds; also what an id resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Source,
    Contrast,
    Trait,
    Similarity,
    Example,
    Quote,
    Question,
    Tip,
    Scenario,
    Statement,
}

impl Kind {
    pub fn accepts(self, target: Target) -> bool {
        match target {
            Target::Source => self == Kind::Source,
            Target::Contrast => self == Kind::Contrast,
            Target::TipAnchor => matches!(self, Kind::Contrast | Kind::Trait | Kind::Similarity),
            Target::PulseAnchor => matches!(self, Kind::Contrast | Kind::Similarity),
        }
    }
}

/// Implemented by every kind of content entry.
pub trait Entry: DeserializeOwned {
    const KIND: Kind;
    /// The file the entries live in, inside the content folder.
    const FILE: &'static str;
    /// The array-of-tables name: `[[contrast]]`.
    const TABLE: &'static str;

    fn id(&self) -> &Text;
    fn set_origin(&mut self, origin: Origin);
    fn texts(&self) -> Vec<TextRule<'_>>;
    /// The article ids; every kind except `Source` must name at least one.
    fn sources(&self) -> &[Text];
    /// References other than `sources`.
    fn links(&self) -> Vec<Reference<'_>> {
        Vec::new()
    }
}

pub(super) fn rule<'a>(field: &'static str, text: &'a Text, limit: Limit) -> TextRule<'a> {
    TextRule { field, text, limit }
}

/// The section names of a quiz subject's evidence (the validator also keeps each to its
/// share of the recap).
fn sections(evidence: Option<&Evidence>) -> impl Iterator<Item = TextRule<'_>> {
    evidence
        .into_iter()
        .flat_map(Evidence::findings)
        .flat_map(|(_, finding)| &finding.sections)
        .map(|section| rule("sections", section, AS_FIELD_NAME))
}

impl Entry for Source {
    const KIND: Kind = Kind::Source;
    const FILE: &'static str = "sources.toml";
    const TABLE: &'static str = "source";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        let mut rules = vec![rule("title", &self.title, AS_TITLE)];
        rules.extend(self.subtitle.iter().map(|s| rule("subtitle", s, AS_TITLE)));
        rules.extend(self.by.iter().map(|by| rule("by", by, AS_TITLE)));
        rules.extend(self.note.iter().map(|note| rule("note", note, AS_TITLE)));
        rules
    }
    fn sources(&self) -> &[Text] {
        &[]
    }
}

impl Entry for Contrast {
    const KIND: Kind = Kind::Contrast;
    const FILE: &'static str = "contrasts.toml";
    const TABLE: &'static str = "contrast";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("title", &self.title, AS_CHOICE),
            rule("leader", &self.leader, AS_FIELD),
            rule("manager", &self.manager, AS_FIELD),
            rule("in_practice", &self.in_practice, AS_DESCRIPTION),
            rule("ask_yourself", &self.ask_yourself, AS_FIELD),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
}

impl Entry for Trait {
    const KIND: Kind = Kind::Trait;
    const FILE: &'static str = "traits.toml";
    const TABLE: &'static str = "trait";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        let mut rules = vec![
            rule("short", &self.short, AS_POLL_ANSWER),
            rule("detail", &self.detail, AS_FIELD),
        ];
        rules.extend(
            self.quiz_note
                .iter()
                .map(|n| rule("quiz_note", n, AS_FIELD)),
        );
        rules.extend(sections(self.evidence.as_ref()));
        rules
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
    fn links(&self) -> Vec<Reference<'_>> {
        vec![Reference {
            field: "contrast",
            id: &self.contrast,
            target: Target::Contrast,
        }]
    }
}

impl Entry for Similarity {
    const KIND: Kind = Kind::Similarity;
    const FILE: &'static str = "similarities.toml";
    const TABLE: &'static str = "similarity";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        let mut rules = vec![
            rule("title", &self.title, AS_FIELD_NAME),
            rule("short", &self.short, AS_POLL_ANSWER),
            rule("shared", &self.shared, AS_FIELD),
            rule("leader", &self.leader, AS_FIELD),
            rule("manager", &self.manager, AS_FIELD),
        ];
        rules.extend(
            self.quiz_note
                .iter()
                .map(|n| rule("quiz_note", n, AS_FIELD)),
        );
        rules.extend(sections(self.evidence.as_ref()));
        rules
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
}

impl Entry for Example {
    const KIND: Kind = Kind::Example;
    const FILE: &'static str = "examples.toml";
    const TABLE: &'static str = "example";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("title", &self.title, AS_CHOICE),
            rule("story", &self.story, AS_DESCRIPTION),
            rule("leader", &self.leader, AS_FIELD),
            rule("manager", &self.manager, AS_FIELD),
            rule("takeaway", &self.takeaway, AS_FIELD),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
    fn links(&self) -> Vec<Reference<'_>> {
        self.contrasts
            .iter()
            .map(|id| Reference {
                field: "contrasts",
                id,
                target: Target::Contrast,
            })
            .collect()
    }
}

impl Entry for Quote {
    const KIND: Kind = Kind::Quote;
    const FILE: &'static str = "quotes.toml";
    const TABLE: &'static str = "quote";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("text", &self.text, AS_FIELD),
            rule("speaker", &self.speaker, AS_FIELD_NAME),
            rule("role", &self.role, AS_FIELD_NAME),
            rule("note", &self.note, AS_FIELD),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
}

impl Entry for Question {
    const KIND: Kind = Kind::Question;
    const FILE: &'static str = "questions.toml";
    const TABLE: &'static str = "question";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("question", &self.question, AS_CHOICE),
            rule("answer", &self.answer, AS_DESCRIPTION),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
}

impl Entry for Tip {
    const KIND: Kind = Kind::Tip;
    const FILE: &'static str = "tips.toml";
    const TABLE: &'static str = "tip";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("title", &self.title, AS_TITLE),
            rule("body", &self.body, AS_DESCRIPTION),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
    fn links(&self) -> Vec<Reference<'_>> {
        vec![Reference {
            field: "builds_on",
            id: &self.builds_on,
            target: Target::TipAnchor,
        }]
    }
}

impl Entry for Statement {
    const KIND: Kind = Kind::Statement;
    const FILE: &'static str = "pulse.toml";
    const TABLE: &'static str = "statement";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![rule("text", &self.text, AS_PLACEHOLDER)]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
    fn links(&self) -> Vec<Reference<'_>> {
        vec![Reference {
            field: "about",
            id: &self.about,
            target: Target::PulseAnchor,
        }]
    }
}
