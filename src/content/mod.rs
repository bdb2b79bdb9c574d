//! The content library: loading and validating `content/*.toml`.
//!
//! This layer is pure apart from [`read_dir`]: it knows nothing about Discord beyond the
//! limits its texts must fit, and nothing about commands. Content is loaded once at start-up
//! (and on an explicit reload); the interaction path only reads the loaded [`Content`].

mod entry;
mod load;
mod model;
mod scenario;
pub mod team;
mod validate;

use std::path::Path;

pub use load::{bundled_files, parse, read_dir, ContentFile, FILES};
pub use model::{
    Contrast, Evidence, Example, Finding, Origin, PulseSide, Question, QuizAnswer, QuizRule, Quote,
    Says, Side, Similarity, Source, Statement, Text, Tip, TipSide, Trait, TraitKind,
};
pub use scenario::{Calls, Scenario};
pub use validate::{is_valid_id, ID_MAX_LEN};

use crate::diag::Diagnostics;

/// Everything the bot can say, validated.
#[derive(Debug, Clone)]
pub struct Content {
    pub sources: Vec<Source>,
    pub contrasts: Vec<Contrast>,
    pub traits: Vec<Trait>,
    pub similarities: Vec<Similarity>,
    pub examples: Vec<Example>,
    pub quotes: Vec<Quote>,
    pub questions: Vec<Question>,
    pub tips: Vec<Tip>,
    pub scenarios: Vec<Scenario>,
    /// Every team pulse statement, the retired ones too: past pulses name both. A new pulse
    /// asks only from [`Content::deck`].
    pub statements: Vec<Statement>,
}

/// What a tip can build on.
#[derive(Debug, Clone, Copy)]
pub enum Anchor<'a> {
    Contrast(&'a Contrast),
    Trait(&'a Trait),
    Similarity(&'a Similarity),
}

impl Anchor<'_> {
    /// How the anchor is named to a person.
    pub fn title(&self) -> &str {
        match self {
            Anchor::Contrast(contrast) => &contrast.title,
            Anchor::Trait(trait_) => &trait_.short,
            Anchor::Similarity(similarity) => &similarity.title,
        }
    }

    /// The contrast the anchor belongs to, when it has one.
    pub fn contrast_id(&self) -> Option<&str> {
        match self {
            Anchor::Contrast(contrast) => Some(&contrast.id),
            Anchor::Trait(trait_) => Some(&trait_.contrast),
            Anchor::Similarity(_) => None,
        }
    }
}

impl Content {
    /// The content compiled into the binary. Those files cannot change while the process
    /// runs, so they are read and checked once (the tests ask for them hundreds of times).
    pub fn bundled() -> Result<Content, Diagnostics> {
        static BUNDLED: std::sync::OnceLock<Result<Content, Diagnostics>> =
            std::sync::OnceLock::new();
        BUNDLED.get_or_init(Content::read_bundled).clone()
    }

    /// The content compiled into the binary, read and checked now (what the benchmark times).
    pub fn read_bundled() -> Result<Content, Diagnostics> {
        parse(&bundled_files())
    }

    /// The content in `dir`, or the bundled copy when `dir` is `None`.
    pub fn load(dir: Option<&Path>) -> Result<Content, Diagnostics> {
        match dir {
            Some(dir) => parse(&read_dir(dir)?),
            None => Content::bundled(),
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == *id)
    }

    pub fn contrast(&self, id: &str) -> Option<&Contrast> {
        self.contrasts.iter().find(|c| c.id == *id)
    }

    pub fn trait_by_id(&self, id: &str) -> Option<&Trait> {
        self.traits.iter().find(|t| t.id == *id)
    }

    pub fn similarity(&self, id: &str) -> Option<&Similarity> {
        self.similarities.iter().find(|s| s.id == *id)
    }

    pub fn quote(&self, id: &str) -> Option<&Quote> {
        self.quotes.iter().find(|q| q.id == *id)
    }

    pub fn example(&self, id: &str) -> Option<&Example> {
        self.examples.iter().find(|e| e.id == *id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == *id)
    }

    pub fn tip(&self, id: &str) -> Option<&Tip> {
        self.tips.iter().find(|t| t.id == *id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == *id)
    }

    /// A pulse statement, asked or retired: what a pulse that named `id` asked.
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.id == *id)
    }

    /// The statements a new pulse may ask, in file order: all but the retired ones.
    pub fn deck(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| !s.retired)
    }

    /// What a tip's `builds_on` names (always found in validated content).
    pub fn anchor(&self, id: &str) -> Option<Anchor<'_>> {
        self.contrast(id)
            .map(Anchor::Contrast)
            .or_else(|| self.trait_by_id(id).map(Anchor::Trait))
            .or_else(|| self.similarity(id).map(Anchor::Similarity))
    }

    /// The traits of one side, optionally of one kind, in file order.
    pub fn traits_of(&self, side: Side, kind: Option<TraitKind>) -> impl Iterator<Item = &Trait> {
        self.traits
            .iter()
            .filter(move |t| t.side == side && kind.is_none_or(|k| t.kind == k))
    }

    /// Tips that build on `anchor_id`, or on a trait of that contrast.
    pub fn tips_building_on<'a>(&'a self, contrast_id: &'a str) -> impl Iterator<Item = &'a Tip> {
        self.tips.iter().filter(move |tip| {
            tip.builds_on == *contrast_id
                || self
                    .anchor(&tip.builds_on)
                    .and_then(|a| a.contrast_id().map(|c| c == contrast_id))
                    .unwrap_or(false)
        })
    }
}
