//! The one place a request becomes an answer.
//!
//! Slash commands, buttons and `bridgebot preview` all describe what was asked as a
//! [`Request`] and call [`answer`], so no path can drift from another.

use rand::seq::IndexedRandom;
use rand::Rng;

use super::autocomplete::{self, Resolution};
use super::help::{help, CommandInfo};
use super::library::{
    contrast_reply, example_reply, question_reply, questions_index, quote_reply,
    similarities_reply, tip_reply, traits_reply,
};
use super::{Reply, UserError};
use crate::content::{Content, Contrast, Side, TraitKind};

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
    /// `/help`, listing the commands it is given.
    Help { commands: &'a [CommandInfo] },
}

/// The answer to `request`; `rng` decides every random pick.
pub fn answer(
    content: &Content,
    request: Request<'_>,
    rng: &mut impl Rng,
) -> Result<Reply, UserError> {
    let reply = match request {
        Request::Contrast { topic: Some(topic) } => {
            contrast_reply(content, find_contrast(content, topic)?)
        }
        Request::Contrast { topic: None } => {
            contrast_reply(content, pick_other(&content.contrasts, "", |c| &c.id, rng))
        }
        Request::AnotherContrast { after } => contrast_reply(
            content,
            pick_other(&content.contrasts, after, |c| &c.id, rng),
        ),
        Request::Traits { side, kind } => traits_reply(content, side, kind),
        Request::Similarities => similarities_reply(content),
        Request::Quote => quote_reply(content, pick_other(&content.quotes, "", |q| &q.id, rng)),
        Request::Example { name: Some(name) } => {
            let items = content
                .examples
                .iter()
                .map(|e| (e.id.as_str(), e.title.as_str()));
            let id = resolve(items, name, "example", "name", "for a random one")?;
            example_reply(
                content,
                content
                    .example(&id)
                    .ok_or_else(|| missing("example", name))?,
            )
        }
        Request::Example { name: None } => {
            example_reply(content, pick_other(&content.examples, "", |e| &e.id, rng))
        }
        Request::Faq {
            question: Some(question),
        } => {
            let items = content
                .questions
                .iter()
                .map(|q| (q.id.as_str(), q.question.as_str()));
            let id = resolve(items, question, "question", "question", "to see them all")?;
            question_reply(
                content,
                content
                    .question(&id)
                    .ok_or_else(|| missing("question", question))?,
            )
        }
        Request::Faq { question: None } => questions_index(content),
        Request::RandomTip => tip_reply(content, pick_other(&content.tips, "", |t| &t.id, rng)),
        Request::AnotherTip { after } => {
            tip_reply(content, pick_other(&content.tips, after, |t| &t.id, rng))
        }
        Request::Help { commands } => help(commands),
    };
    Ok(reply)
}

/// The contrast a typed topic names: an id, a title, or a clear part of one.
pub fn find_contrast<'c>(content: &'c Content, topic: &str) -> Result<&'c Contrast, UserError> {
    let items = content
        .contrasts
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()));
    let id = resolve(items, topic, "contrast", "topic", "for a random one")?;
    content
        .contrast(&id)
        .ok_or_else(|| missing("contrast", topic))
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
