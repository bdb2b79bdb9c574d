//! Scenarios: a situation a team meets, what leading and managing would each do about it, and
//! which of the two the moment calls for most. They carry the articles' practical point,
//! knowing when to lead and when to manage, and feed `/scenario` and the scenario poll.

use serde::Deserialize;

use super::entry::{
    rule, Entry, Kind, Reference, Target, TextRule, AS_CHOICE, AS_DESCRIPTION, AS_FIELD,
};
use super::model::{Origin, Text};

/// What a moment calls for most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Calls {
    Leading,
    Managing,
    Both,
}

impl Calls {
    /// In the order a poll offers them.
    pub const ALL: [Calls; 3] = [Calls::Leading, Calls::Managing, Calls::Both];

    /// How the answer is shown: a poll answer, a field name.
    pub fn label(self) -> &'static str {
        match self {
            Calls::Leading => "Leading",
            Calls::Managing => "Managing",
            Calls::Both => "Both",
        }
    }

    /// The word written in content and stored with a poll.
    pub fn id(self) -> &'static str {
        match self {
            Calls::Leading => "leading",
            Calls::Managing => "managing",
            Calls::Both => "both",
        }
    }

    /// Where the answer stands among [`Calls::ALL`].
    pub fn index(self) -> usize {
        match self {
            Calls::Leading => 0,
            Calls::Managing => 1,
            Calls::Both => 2,
        }
    }
}

/// One situation and what it calls for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: Text,
    /// Short, for autocomplete and the embed title.
    pub name: Text,
    pub situation: Text,
    /// What a leading response would do.
    pub leading: Text,
    /// What a managing response would do.
    pub managing: Text,
    pub calls: Calls,
    /// Why, naming what the articles say.
    pub why: Text,
    pub sources: Vec<Text>,
    /// The contrast the situation ties to, if one.
    #[serde(default)]
    pub contrast: Option<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Entry for Scenario {
    const KIND: Kind = Kind::Scenario;
    const FILE: &'static str = "scenarios.toml";
    const TABLE: &'static str = "scenario";

    fn id(&self) -> &Text {
        &self.id
    }
    fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }
    fn texts(&self) -> Vec<TextRule<'_>> {
        vec![
            rule("name", &self.name, AS_CHOICE),
            rule("situation", &self.situation, AS_DESCRIPTION),
            rule("leading", &self.leading, AS_FIELD),
            rule("managing", &self.managing, AS_FIELD),
            rule("why", &self.why, AS_FIELD),
        ]
    }
    fn sources(&self) -> &[Text] {
        &self.sources
    }
    fn links(&self) -> Vec<Reference<'_>> {
        self.contrast
            .iter()
            .map(|id| Reference {
                field: "contrast",
                id,
                target: Target::Contrast,
            })
            .collect()
    }
}
