//! The content entries as people write them in `content/*.toml`.
//!
//! Each struct is deserialized straight from its TOML table and rejects unknown keys. Text
//! values keep their byte span in the file so that validation can point at the exact value
//! that is too long or empty; entries keep their [`Location`] so that later checks (how an
//! entry renders) can still name the line.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, Range};

use serde::Deserialize;
use toml::Spanned;

use crate::diag::Location;

/// A text value from a content file, with where it stands in the file. Two texts compare by
/// their value alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct Text(Spanned<String>);

impl Text {
    /// A text made in code rather than read from a file; it has no place to point at.
    pub fn new(value: impl Into<String>) -> Text {
        Text(Spanned::new(0..0, value.into()))
    }

    /// The byte range of the value in its file.
    pub fn span(&self) -> Range<usize> {
        self.0.span()
    }

    pub fn as_str(&self) -> &str {
        self.0.get_ref()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Where an entry stands: filled in by the loader after deserializing.
pub type Origin = Location;

/// Which role a list entry or a tip speaks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Leader,
    Manager,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Leader => "Leader",
            Side::Manager => "Manager",
        }
    }
}

/// The three answers of every quiz, in the order a quiz shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuizAnswer {
    Leader,
    Manager,
    Both,
}

impl QuizAnswer {
    pub const ALL: [QuizAnswer; 3] = [QuizAnswer::Leader, QuizAnswer::Manager, QuizAnswer::Both];

    pub fn of_side(side: Side) -> QuizAnswer {
        match side {
            Side::Leader => QuizAnswer::Leader,
            Side::Manager => QuizAnswer::Manager,
        }
    }

    /// The id a poll answer stores.
    pub fn id(self) -> &'static str {
        match self {
            QuizAnswer::Leader => "leader",
            QuizAnswer::Manager => "manager",
            QuizAnswer::Both => "both",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuizAnswer::Leader => Side::Leader.label(),
            QuizAnswer::Manager => Side::Manager.label(),
            QuizAnswer::Both => "Both",
        }
    }

    /// Where the answer stands among [`QuizAnswer::ALL`].
    pub fn index(self) -> usize {
        match self {
            QuizAnswer::Leader => 0,
            QuizAnswer::Manager => 1,
            QuizAnswer::Both => 2,
        }
    }
}

/// How a trait may be asked about in a quiz. The answer itself follows from the trait's
/// [`Evidence`]; `side` and `both` state it where an author reads the entry, and
/// `bridgebot check` reports a rule the evidence does not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuizRule {
    /// The answer is the trait's `side`: every article that speaks to it puts it there.
    Side,
    /// The answer is "Both": an article gives it to both roles, or two articles disagree.
    Both,
    /// Never quizzed: it would ask the same question as another subject.
    Skip,
}

/// What one article says of a quiz subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Says {
    /// It puts the subject on the leader's side.
    Leader,
    /// It puts the subject on the manager's side.
    Manager,
    /// It gives the subject to both roles, or calls it shared (also when it lists it on one
    /// side and says elsewhere that both do it).
    Both,
    /// It does not speak to the subject.
    Silent,
}

impl Says {
    /// The word written in content.
    pub fn id(self) -> &'static str {
        match self {
            Says::Leader => "leader",
            Says::Manager => "manager",
            Says::Both => "both",
            Says::Silent => "silent",
        }
    }
}

/// One article's word on a quiz subject: what it says, and in which section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub says: Spanned<Says>,
    /// Where the article says it: the headings of the sections, as the article writes them,
    /// so a reader can find the passages. At least one unless the article is silent.
    #[serde(default)]
    pub sections: Vec<Text>,
}

impl Finding {
    pub fn says(&self) -> Says {
        *self.says.get_ref()
    }
}

/// What each article says of one quiz subject, keyed by source id: the record its quiz answer
/// follows from (see [`Evidence::answer`]). Written as a `[trait.evidence]` or
/// `[similarity.evidence]` table with one line per article.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Evidence(BTreeMap<Text, Finding>);

impl Evidence {
    /// What the article `source` says, when the record has it.
    pub fn of(&self, source: &str) -> Option<&Finding> {
        self.0
            .iter()
            .find(|(id, _)| id.as_str() == source)
            .map(|(_, finding)| finding)
    }

    /// Every article recorded, by source id.
    pub fn findings(&self) -> impl Iterator<Item = (&Text, &Finding)> {
        self.0.iter()
    }

    /// The answer the record gives: "Leader" or "Manager" when at least one article puts it on
    /// that side and none puts it on the other or with both; "Both" when an article gives it
    /// to both roles or two articles disagree; `None` when every article is silent.
    pub fn answer(&self) -> Option<QuizAnswer> {
        let (mut leader, mut manager) = (false, false);
        for finding in self.0.values() {
            match finding.says() {
                Says::Leader => leader = true,
                Says::Manager => manager = true,
                Says::Both => (leader, manager) = (true, true),
                Says::Silent => {}
            }
        }
        match (leader, manager) {
            (true, true) => Some(QuizAnswer::Both),
            (true, false) => Some(QuizAnswer::Leader),
            (false, true) => Some(QuizAnswer::Manager),
            (false, false) => None,
        }
    }
}

/// Whom a tip speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TipSide {
    Leader,
    Manager,
    Both,
}

/// Which side of the work a pulse statement asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PulseSide {
    /// Direction, meaning, trust, room to try things.
    Leading,
    /// Clear expectations, a workable plan, being unblocked, feedback.
    Managing,
}

impl PulseSide {
    pub const BOTH: [PulseSide; 2] = [PulseSide::Leading, PulseSide::Managing];

    pub fn label(self) -> &'static str {
        match self {
            PulseSide::Leading => "Leading",
            PulseSide::Managing => "Managing",
        }
    }
}

/// The two kinds of list in the articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TraitKind {
    Characteristic,
    Skill,
}

impl TraitKind {
    pub fn plural(self) -> &'static str {
        match self {
            TraitKind::Characteristic => "Characteristics",
            TraitKind::Skill => "Skills",
        }
    }
}

/// A source article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Text,
    pub title: Text,
    /// The part of the title after a colon, when the article has one.
    #[serde(default)]
    pub subtitle: Option<Text>,
    /// Author and publisher as the article names them: "Michelle Kaiser (CEO.com)". `None`
    /// when it names neither; `note` then says so.
    #[serde(default)]
    pub by: Option<Text>,
    /// What a reader should know to weigh the credit: where the title comes from when the
    /// article has no title line, who it does not name, what it is built on.
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Source {
    /// The title as the article gives it: "Title: Subtitle" when there is a subtitle.
    pub fn full_title(&self) -> String {
        match &self.subtitle {
            Some(subtitle) => format!("{}: {subtitle}", self.title),
            None => self.title.to_string(),
        }
    }

    /// The article as a footer credits it: "Title — Author (Publisher)", with the note in
    /// brackets after it: "Leading vs. Managing (title from its section headings; ...)".
    pub fn credit(&self) -> String {
        let mut credit = self.full_title();
        if let Some(by) = &self.by {
            credit.push_str(" — ");
            credit.push_str(by);
        }
        if let Some(note) = &self.note {
            credit.push_str(&format!(" ({note})"));
        }
        credit
    }
}

/// One leader-vs-manager contrast.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contrast {
    pub id: Text,
    pub title: Text,
    pub leader: Text,
    pub manager: Text,
    pub in_practice: Text,
    pub ask_yourself: Text,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A characteristic or skill of one side.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trait {
    pub id: Text,
    pub side: Side,
    pub kind: TraitKind,
    pub short: Text,
    pub detail: Text,
    pub contrast: Text,
    /// How a quiz may ask about it, checked against `evidence`.
    pub quiz: Spanned<QuizRule>,
    /// A short note closing the quiz recap, after what each article says: how the two roles
    /// share it, or what the evidence alone does not tell. Required with `quiz = "both"`;
    /// without one the recap closes with `detail`.
    #[serde(default)]
    pub quiz_note: Option<Text>,
    /// Traits whose labels mean the same thing share a group; a needs poll offers at most
    /// one trait of each group. Content folders written before it had this name may still
    /// call it `pulse_group`.
    #[serde(default, alias = "pulse_group")]
    pub needs_group: Option<Text>,
    pub sources: Vec<Text>,
    /// What each article says of it: required unless `quiz = "skip"`.
    #[serde(default)]
    pub evidence: Option<Evidence>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Trait {
    /// The quiz answer, or `None` when the trait is never quizzed. The evidence decides it;
    /// the stated rule stands in only where there is no evidence, which `bridgebot check`
    /// reports.
    pub fn quiz_answer(&self) -> Option<QuizAnswer> {
        let stated = self.stated_answer()?;
        Some(
            self.evidence
                .as_ref()
                .and_then(Evidence::answer)
                .unwrap_or(stated),
        )
    }

    /// The answer `quiz` states, or `None` with `quiz = "skip"`.
    pub fn stated_answer(&self) -> Option<QuizAnswer> {
        match self.quiz.get_ref() {
            QuizRule::Side => Some(QuizAnswer::of_side(self.side)),
            QuizRule::Both => Some(QuizAnswer::Both),
            QuizRule::Skip => None,
        }
    }

    /// How the quiz recap closes, after what each article says: the quiz note when there is
    /// one, else the detail.
    pub fn quiz_reason(&self) -> &str {
        self.quiz_note.as_deref().unwrap_or(&self.detail)
    }

    /// What keeps a needs poll from offering two labels that mean the same: the trait's
    /// group, or its own id when it has none.
    pub fn needs_key(&self) -> &str {
        self.needs_group.as_deref().unwrap_or(&self.id)
    }
}

impl Similarity {
    /// How the quiz recap closes, after what each article says: the quiz note when there is
    /// one, else what is shared.
    pub fn quiz_reason(&self) -> &str {
        self.quiz_note.as_deref().unwrap_or(&self.shared)
    }
}

/// An area where leading and managing overlap.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Similarity {
    pub id: Text,
    pub title: Text,
    pub short: Text,
    pub shared: Text,
    pub leader: Text,
    pub manager: Text,
    /// A short note closing the quiz recap in place of `shared`, after what each article
    /// says.
    #[serde(default)]
    pub quiz_note: Option<Text>,
    pub sources: Vec<Text>,
    /// What each article says of it; the quiz answers "Both", so the evidence must give Both.
    #[serde(default)]
    pub evidence: Option<Evidence>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A worked example from the articles.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub id: Text,
    pub title: Text,
    pub story: Text,
    pub leader: Text,
    pub manager: Text,
    pub takeaway: Text,
    pub contrasts: Vec<Text>,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// An attributed quote, verbatim or paraphrased.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub id: Text,
    pub text: Text,
    pub speaker: Text,
    pub role: Text,
    pub verbatim: bool,
    pub note: Text,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A question people ask, answered from the articles.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Text,
    pub question: Text,
    pub answer: Text,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// One tip of the daily deck.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tip {
    pub id: Text,
    pub title: Text,
    pub body: Text,
    /// The one action the tip asks, as a short kebab-case name (`name-who-decides`): the
    /// action itself, not the topic. No two tips ask the same move.
    #[serde(rename = "move")]
    pub r#move: Text,
    pub builds_on: Text,
    pub side: TipSide,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// One statement of the team pulse, rated 1 to 5 for the past week.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: Text,
    pub text: Text,
    /// The contrast or similarity it asks about.
    pub about: Text,
    pub side: PulseSide,
    /// Worded negatively ("My work sat waiting for a decision"): agreeing is the bad outcome,
    /// so every score that combines statements counts an answer `s` as `6 - s`.
    #[serde(default)]
    pub reversed: bool,
    /// No longer asked: a new pulse never picks it, but it stays in the content because past
    /// pulses name it, and their results are read with its text, side and wording.
    #[serde(default)]
    pub retired: bool,
    pub sources: Vec<Text>,
    #[serde(skip)]
    pub origin: Origin,
}
