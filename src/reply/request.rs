//! The one place a request becomes an answer.
//!
//! Slash commands, buttons and `bridgebot preview` all describe what was asked as a
//! [`Request`] and call [`answer`], so no path can drift from another. [`answer`] is
//! [`decide`] (every choice made: what was typed resolved, what is random drawn) then
//! [`show`] (the answer for what was decided), so that the Discord layer can build every
//! [`Shown`] answer ahead of time and still answer exactly as [`answer`] would.

use rand::seq::IndexedRandom;
use rand::Rng;

use super::autocomplete::{self, Resolution};
use super::help::{help, CommandInfo, HelpPage};
use super::library::{
    contrast_reply, example_reply, question_reply, questions_index, quote_reply,
    similarities_reply, tip_reply, traits_reply,
};
use super::scenario::{scenario_answer_reply, scenario_reply};
use super::{Reply, UserError};
use crate::content::{Content, Side, Text, TraitKind};

/// Something a person asked for.
#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// `/contrast [topic]`: the named contrast, or a random one.
    Contrast { topic: Option<&'a str> },
    /// The "Another contrast" button under a contrast.
    AnotherContrast { after: &'a str },
    /// `/traits side [kind]`.
    Traits { side: Side, kind: Option<TraitKind> },
    /// `/similarities`.
    Similarities,
    /// `/quote`: a random quote.
    Quote,
    /// `/example [name]`.
    Example { name: Option<&'a str> },
    /// `/faq [question]`.
    Faq { question: Option<&'a str> },
    /// `/tip` where no daily tip is scheduled: a random tip.
    RandomTip,
    /// The "Another tip" button.
    AnotherTip { after: &'a str },
    /// `/help` (or one of its buttons): a screen of the commands it is given.
    Help {
        commands: &'a [CommandInfo],
        page: HelpPage,
    },
    /// `/scenario [name]`: the named scenario, or a random one.
    Scenario { name: Option<&'a str> },
    /// The "Another scenario" button.
    AnotherScenario { after: &'a str },
    /// The "What does it call for?" button under a scenario.
    RevealScenario { id: &'a str },
    /// The "Sources" button: the articles `ids` (comma-separated) in full.
    Sources { ids: &'a str },
}

/// What an answer shows once every choice in a request is made: a typed name resolved to its
/// entry, a random entry drawn. The answer is a pure function of this and the content, which
/// is what lets the Discord layer build answers ahead of time (`discord::answers`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Shown {
    /// A contrast, by id.
    Contrast(String),
    Traits {
        side: Side,
        kind: Option<TraitKind>,
    },
    Similarities,
    /// A quote, by id.
    Quote(String),
    /// An example, by id.
    Example(String),
    /// A question of the FAQ, by id.
    Question(String),
    /// The list of the FAQ's questions.
    Questions,
    /// A tip, by id.
    Tip(String),
    /// A scenario's situation, by id.
    Scenario(String),
    /// What a scenario calls for, by id.
    ScenarioAnswer(String),
    /// Articles in full, by their comma-separated ids.
    Sources(String),
}

impl Shown {
    /// Everything an answer can show from `content`, each once.
    pub fn every(content: &Content) -> Vec<Shown> {
        let kinds = [
            None,
            Some(TraitKind::Characteristic),
            Some(TraitKind::Skill),
        ];
        let traits = [Side::Leader, Side::Manager]
            .into_iter()
            .flat_map(move |side| kinds.map(|kind| Shown::Traits { side, kind }));
        let id = |text: &Text| text.as_str().to_owned();
        content
            .contrasts
            .iter()
            .map(|c| Shown::Contrast(id(&c.id)))
            .chain(traits)
            .chain([Shown::Similarities, Shown::Questions])
            .chain(content.quotes.iter().map(|q| Shown::Quote(id(&q.id))))
            .chain(content.examples.iter().map(|e| Shown::Example(id(&e.id))))
            .chain(content.questions.iter().map(|q| Shown::Question(id(&q.id))))
            .chain(content.tips.iter().map(|t| Shown::Tip(id(&t.id))))
            .chain(
                content
                    .scenarios
                    .iter()
                    .flat_map(|s| [Shown::Scenario(id(&s.id)), Shown::ScenarioAnswer(id(&s.id))]),
            )
            .collect()
    }
}

/// A request with its choices made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<'a> {
    Show(Shown),
    /// `/help` shows the commands it is given rather than content.
    Help(&'a [CommandInfo], HelpPage),
}

/// The answer to `request`; `rng` decides every random pick.
pub fn answer(
    content: &Content,
    request: Request<'_>,
    rng: &mut impl Rng,
) -> Result<Reply, UserError> {
    match decide(content, request, rng)? {
        Decision::Show(shown) => show(content, &shown),
        Decision::Help(commands, page) => Ok(help(commands, page)),
    }
}

/// Makes every choice in `request`: resolves what was typed (a person's mistake is a
/// [`UserError`]) and draws what is random.
pub fn decide<'a>(
    content: &Content,
    request: Request<'a>,
    rng: &mut impl Rng,
) -> Result<Decision<'a>, UserError> {
    let id = |text: &Text| text.as_str().to_owned();
    let shown = match request {
        Request::Contrast { topic: Some(topic) } => {
            let items = content
                .contrasts
                .iter()
                .map(|c| (c.id.as_str(), c.title.as_str()));
            Shown::Contrast(resolve(
                items,
                topic,
                "contrast",
                "topic",
                "for a random one",
            )?)
        }
        Request::Contrast { topic: None } => {
            Shown::Contrast(id(&pick_other(&content.contrasts, "", |c| &c.id, rng).id))
        }
        Request::AnotherContrast { after } => {
            Shown::Contrast(id(&pick_other(&content.contrasts, after, |c| &c.id, rng).id))
        }
        Request::Traits { side, kind } => Shown::Traits { side, kind },
        Request::Similarities => Shown::Similarities,
        Request::Quote => Shown::Quote(id(&pick_other(&content.quotes, "", |q| &q.id, rng).id)),
        Request::Example { name: Some(name) } => {
            let items = content
                .examples
                .iter()
                .map(|e| (e.id.as_str(), e.title.as_str()));
            Shown::Example(resolve(items, name, "example", "name", "for a random one")?)
        }
        Request::Example { name: None } => {
            Shown::Example(id(&pick_other(&content.examples, "", |e| &e.id, rng).id))
        }
        Request::Faq {
            question: Some(question),
        } => {
            let items = content
                .questions
                .iter()
                .map(|q| (q.id.as_str(), q.question.as_str()));
            Shown::Question(resolve(
                items,
                question,
                "question",
                "question",
                "to see them all",
            )?)
        }
        Request::Faq { question: None } => Shown::Questions,
        Request::RandomTip => Shown::Tip(id(&pick_other(&content.tips, "", |t| &t.id, rng).id)),
        Request::AnotherTip { after } => {
            Shown::Tip(id(&pick_other(&content.tips, after, |t| &t.id, rng).id))
        }
        Request::Help { commands, page } => return Ok(Decision::Help(commands, page)),
        Request::Scenario { name: Some(name) } => {
            let items = content
                .scenarios
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str()));
            Shown::Scenario(resolve(
                items,
                name,
                "scenario",
                "name",
                "for a random one",
            )?)
        }
        Request::Scenario { name: None } => {
            Shown::Scenario(id(&pick_other(&content.scenarios, "", |s| &s.id, rng).id))
        }
        Request::AnotherScenario { after } => {
            Shown::Scenario(id(&pick_other(&content.scenarios, after, |s| &s.id, rng).id))
        }
        Request::RevealScenario { id } => Shown::ScenarioAnswer(id.to_owned()),
        Request::Sources { ids } => Shown::Sources(ids.to_owned()),
    };
    Ok(Decision::Show(shown))
}

/// The answer showing `shown`. An id that is not in `content` (only possible when the
/// content changed between deciding and showing) is answered as an unknown name.
pub fn show(content: &Content, shown: &Shown) -> Result<Reply, UserError> {
    let reply = match shown {
        Shown::Contrast(id) => contrast_reply(
            content,
            content
                .contrast(id)
                .ok_or_else(|| missing("contrast", id))?,
        ),
        Shown::Traits { side, kind } => traits_reply(content, *side, *kind),
        Shown::Similarities => similarities_reply(content),
        Shown::Quote(id) => quote_reply(
            content,
            content.quote(id).ok_or_else(|| missing("quote", id))?,
        ),
        Shown::Example(id) => example_reply(
            content,
            content.example(id).ok_or_else(|| missing("example", id))?,
        ),
        Shown::Question(id) => question_reply(
            content,
            content
                .question(id)
                .ok_or_else(|| missing("question", id))?,
        ),
        Shown::Questions => questions_index(content),
        Shown::Tip(id) => tip_reply(content, content.tip(id).ok_or_else(|| missing("tip", id))?),
        Shown::Scenario(id) => scenario_reply(
            content
                .scenario(id)
                .ok_or_else(|| missing("scenario", id))?,
        ),
        Shown::Sources(ids) => super::library::sources_reply(content, ids),
        Shown::ScenarioAnswer(id) => scenario_answer_reply(
            content,
            content
                .scenario(id)
                .ok_or_else(|| missing("scenario", id))?,
        ),
    };
    Ok(reply)
}

fn resolve<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    query: &str,
    what: &'static str,
    option: &'static str,
    instead: &'static str,
) -> Result<String, UserError> {
    match autocomplete::resolve(items, query) {
        Resolution::Found(id) => Ok(id),
        Resolution::Unknown(suggestions) => Err(UserError::unknown(
            what,
            option,
            instead,
            query,
            suggestions,
        )),
    }
}

/// A resolved id that is not in content: only possible if content changed under us.
fn missing(what: &'static str, query: &str) -> UserError {
    UserError::unknown(what, "name", "for a random one", query, Vec::new())
}

/// A random item whose id is not `after`. Validated content always has at least two of each
/// kind that is picked with an `after`, and at least one otherwise.
fn pick_other<'a, T>(
    items: &'a [T],
    after: &str,
    id: impl Fn(&T) -> &str,
    rng: &mut impl Rng,
) -> &'a T {
    let others: Vec<&T> = items.iter().filter(|item| id(item) != after).collect();
    match others.choose(rng) {
        Some(item) => item,
        None => &items[0],
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    fn title(reply: &Reply) -> String {
        reply.embeds[0].title.clone().unwrap_or_default()
    }

    #[test]
    fn every_decision_is_something_every_lists_and_shows() {
        let content = content();
        let every = Shown::every(&content);
        let rng = &mut StdRng::seed_from_u64(3);
        for _ in 0..50 {
            for request in [
                Request::Contrast { topic: None },
                Request::Contrast {
                    topic: Some("vision"),
                },
                Request::AnotherContrast {
                    after: "vision-execution",
                },
                Request::Traits {
                    side: Side::Manager,
                    kind: Some(TraitKind::Skill),
                },
                Request::Similarities,
                Request::Quote,
                Request::Example { name: None },
                Request::Faq { question: None },
                Request::RandomTip,
                Request::AnotherTip { after: "" },
                Request::Scenario { name: None },
                Request::Scenario {
                    name: Some("deadline"),
                },
                Request::AnotherScenario {
                    after: "two-directions",
                },
                Request::RevealScenario {
                    id: "two-directions",
                },
            ] {
                let Ok(Decision::Show(shown)) = decide(&content, request, rng) else {
                    panic!("{request:?} shows content");
                };
                assert!(every.contains(&shown), "{shown:?} missing from every");
                assert!(show(&content, &shown).is_ok(), "{shown:?}");
            }
        }
        let unique: std::collections::HashSet<&Shown> = every.iter().collect();
        assert_eq!(unique.len(), every.len(), "each once");
    }

    #[test]
    fn a_named_contrast_shows_both_sides_its_meaning_and_source() {
        let content = content();
        let reply = answer(
            &content,
            Request::Contrast {
                topic: Some("vision"),
            },
            &mut StdRng::seed_from_u64(1),
        )
        .expect("vision names a contrast");
        let embed = &reply.embeds[0];
        let expected = content.contrast("vision-execution").expect("exists");
        assert_eq!(embed.title.as_deref(), Some(expected.title.as_str()));
        assert_eq!(embed.fields[0].name, "Leader");
        assert_eq!(embed.fields[0].value, expected.leader.as_str());
        assert_eq!(embed.fields[1].name, "Manager");
        assert_eq!(
            embed.description.as_deref(),
            Some(expected.in_practice.as_str())
        );
        assert!(embed
            .footer
            .as_deref()
            .unwrap_or_default()
            .starts_with("Source"));
        assert_eq!(
            reply.buttons[0].action,
            super::super::Action::AnotherContrast {
                after: "vision-execution".into()
            }
        );
        assert!(!reply.ephemeral);
    }

    #[test]
    fn an_unknown_topic_is_a_user_error_listing_valid_topics() {
        let content = content();
        let error = answer(
            &content,
            Request::Contrast {
                topic: Some("astrology"),
            },
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("no such contrast");
        let UserError::Unknown { suggestions, .. } = &error else {
            panic!("expected Unknown, got {error:?}");
        };
        assert!(!suggestions.is_empty());
        assert!(error.to_string().contains("astrology"));
    }

    #[test]
    fn another_contrast_is_never_the_current_one() {
        let content = content();
        let mut rng = StdRng::seed_from_u64(7);
        let current = content.contrasts[0].title.to_string();
        for _ in 0..200 {
            let reply = answer(
                &content,
                Request::AnotherContrast {
                    after: &content.contrasts[0].id,
                },
                &mut rng,
            )
            .expect("answer");
            assert_ne!(title(&reply), current);
        }
    }

    #[test]
    fn traits_with_a_kind_list_each_trait_of_that_side_and_kind() {
        let content = content();
        let reply = answer(
            &content,
            Request::Traits {
                side: Side::Manager,
                kind: Some(TraitKind::Skill),
            },
            &mut StdRng::seed_from_u64(1),
        )
        .expect("answer");
        let expected: Vec<&str> = content
            .traits_of(Side::Manager, Some(TraitKind::Skill))
            .map(|t| t.short.as_str())
            .collect();
        let shown: Vec<&str> = reply.embeds[0]
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(shown, expected);
    }

    #[test]
    fn traits_without_a_kind_list_every_short_label_of_the_side() {
        let content = content();
        let reply = answer(
            &content,
            Request::Traits {
                side: Side::Leader,
                kind: None,
            },
            &mut StdRng::seed_from_u64(1),
        )
        .expect("answer");
        let description = reply.embeds[0].description.clone().unwrap_or_default();
        for trait_ in content.traits_of(Side::Leader, None) {
            assert!(
                description.contains(trait_.short.as_str()),
                "{} missing",
                trait_.short
            );
        }
        for trait_ in content.traits_of(Side::Manager, None) {
            assert!(
                !description.contains(&format!("• {}\n", trait_.short)),
                "{} is a manager trait",
                trait_.short
            );
        }
    }

    #[test]
    fn faq_resolves_a_question_by_its_words() {
        let content = content();
        let reply = answer(
            &content,
            Request::Faq {
                question: Some("authority"),
            },
            &mut StdRng::seed_from_u64(1),
        )
        .expect("answer");
        let expected = content.question("authority").expect("exists");
        assert_eq!(
            reply.embeds[0].description.as_deref(),
            Some(expected.answer.as_str())
        );
    }

    #[test]
    fn a_quote_names_its_speaker() {
        let content = content();
        let reply =
            answer(&content, Request::Quote, &mut StdRng::seed_from_u64(3)).expect("answer");
        let description = reply.embeds[0].description.clone().unwrap_or_default();
        assert!(content
            .quotes
            .iter()
            .any(|q| description.contains(q.speaker.as_str())));
    }
}
