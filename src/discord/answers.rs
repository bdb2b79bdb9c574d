//! Answers built ahead of time, for the content that is loaded, and sent as they were built.
//!
//! Building an answer from content reads memory that no recent interaction has touched (a
//! measurable share of a reply; docs/BENCHMARKS.md has the figures), and poise's `send` then
//! copies, checks and serializes the answer again every time. Every content answer is a pure function of
//! the content and of what it shows ([`Shown`]), so each is built and serialized once per
//! content, and sent from there. The built answers remember the content they came from and
//! are built again from whatever content a request reads, so a reload can never leave them
//! behind.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use arc_swap::ArcSwap;
use poise::serenity_prelude as serenity;
use rand::Rng;
use serde::Serialize;
use serde_json::value::RawValue;
use serenity::CreateInteractionResponseMessage;

use super::convert::poise_reply;
use super::{BotError, SlashContext};
use crate::content::Content;
use crate::reply::{decide, help, show, Decision, Reply, Request, Shown};

/// Interaction callback types (Discord's `InteractionCallbackType`).
const CHANNEL_MESSAGE_WITH_SOURCE: u8 = 4;
const UPDATE_MESSAGE: u8 = 7;

/// One answer, ready to send: the interaction response's `data`, serialized once.
pub struct Serialized {
    data: Box<RawValue>,
}

/// An interaction response around an answer's `data`, serialized as serenity's
/// `CreateInteractionResponse` would be.
#[derive(Serialize)]
struct Response<'a> {
    #[serde(rename = "type")]
    kind: u8,
    data: &'a RawValue,
}

impl Serialized {
    fn new(reply: &Reply) -> Result<Serialized, serde_json::Error> {
        let message =
            poise_reply(reply).to_slash_initial_response(CreateInteractionResponseMessage::new());
        let data = serde_json::value::to_raw_value(&message)?;
        Ok(Serialized { data })
    }

    /// A reply built now rather than ahead: a private note answering a button.
    pub fn now(reply: &Reply) -> Result<Serialized, BotError> {
        Serialized::new(reply).map_err(|e| serenity::Error::Json(e).into())
    }

    /// The response to a slash command: a new message with the answer.
    fn message(&self) -> Response<'_> {
        Response {
            kind: CHANNEL_MESSAGE_WITH_SOURCE,
            data: &self.data,
        }
    }

    /// The response to a button: the message it sits under becomes the answer.
    fn update(&self) -> Response<'_> {
        Response {
            kind: UPDATE_MESSAGE,
            data: &self.data,
        }
    }
}

/// Every content answer, serialized.
pub struct Answers {
    built: ArcSwap<Built>,
}

/// The answers built from one content.
struct Built {
    from: Arc<Content>,
    serialized: HashMap<Shown, Arc<Serialized>>,
}

impl Built {
    fn new(content: Arc<Content>) -> Built {
        let serialized = Shown::every(&content)
            .into_iter()
            .filter_map(|shown| {
                let serialized = Serialized::new(&show(&content, &shown).ok()?).ok()?;
                Some((shown, Arc::new(serialized)))
            })
            .collect();
        Built {
            from: content,
            serialized,
        }
    }
}

impl Answers {
    pub fn new(content: Arc<Content>) -> Answers {
        Answers {
            built: ArcSwap::from_pointee(Built::new(content)),
        }
    }

    /// The answer to `request` from `content`: what `reply::answer` gives, serialized.
    pub fn reply(
        &self,
        content: &Arc<Content>,
        request: Request<'_>,
        rng: &mut impl Rng,
    ) -> Result<Arc<Serialized>, BotError> {
        let reply = match decide(content, request, rng)? {
            Decision::Show(shown) => {
                let built = self.built_from(content);
                if let Some(serialized) = built.serialized.get(&shown) {
                    return Ok(Arc::clone(serialized));
                }
                show(content, &shown)?
            }
            Decision::Help(commands, page) => help(commands, page),
        };
        let serialized = Serialized::new(&reply).map_err(serenity::Error::Json)?;
        Ok(Arc::new(serialized))
    }

    /// The answer to `request` as a private message of its own: what a button under a message
    /// the whole channel reads answers with, so that one member's click does not change it
    /// for everyone.
    pub fn private_reply(
        &self,
        content: &Arc<Content>,
        request: Request<'_>,
        rng: &mut impl Rng,
    ) -> Result<Serialized, BotError> {
        let reply = match decide(content, request, rng)? {
            Decision::Show(shown) => show(content, &shown)?,
            Decision::Help(commands, page) => help(commands, page),
        };
        Serialized::now(&reply.ephemeral())
    }

    /// The answers built from `content`, built now if the ones at hand come from another.
    fn built_from(&self, content: &Arc<Content>) -> Arc<Built> {
        let built = self.built.load_full();
        if Arc::ptr_eq(&built.from, content) {
            return built;
        }
        let fresh = Arc::new(Built::new(Arc::clone(content)));
        self.built.store(Arc::clone(&fresh));
        fresh
    }
}

/// Sends `answer` as the response to the slash command of `ctx`, and tells poise it is
/// answered. A content command answers once; a second response would be refused by Discord
/// and reported by the error handler.
pub async fn respond(ctx: SlashContext<'_>, answer: &Serialized) -> Result<(), BotError> {
    ctx.serenity_context()
        .http
        .create_interaction_response(
            ctx.interaction.id,
            &ctx.interaction.token,
            &answer.message(),
            Vec::new(),
        )
        .await?;
    ctx.has_sent_initial_response.store(true, Ordering::SeqCst);
    Ok(())
}

/// Replaces the message under the button of `component` with `answer`.
pub async fn update(
    http: &serenity::Http,
    component: &serenity::ComponentInteraction,
    answer: &Serialized,
) -> Result<(), serenity::Error> {
    http.create_interaction_response(component.id, &component.token, &answer.update(), Vec::new())
        .await
}

/// Answers the button of `component` with `answer` as a new message (private when the
/// answer is), leaving the message the button sits under as it is.
pub async fn reply_to_button(
    http: &serenity::Http,
    component: &serenity::ComponentInteraction,
    answer: &Serialized,
) -> Result<(), serenity::Error> {
    http.create_interaction_response(
        component.id,
        &component.token,
        &answer.message(),
        Vec::new(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use poise::serenity_prelude::CreateInteractionResponse;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use serde_json::Value;

    use super::*;
    use crate::content::Text;
    use crate::reply::answer;

    fn bundled() -> Arc<Content> {
        Arc::new(Content::bundled().expect("bundled content is valid"))
    }

    fn json(value: impl Serialize) -> Value {
        serde_json::to_value(value).expect("serializable")
    }

    /// What serenity sends for `reply` through poise: the reference a serialized answer must match.
    fn as_serenity_sends(reply: &Reply, update: bool) -> Value {
        let message =
            poise_reply(reply).to_slash_initial_response(CreateInteractionResponseMessage::new());
        json(if update {
            CreateInteractionResponse::UpdateMessage(message)
        } else {
            CreateInteractionResponse::Message(message)
        })
    }

    #[test]
    fn every_prepared_answer_is_what_serenity_would_send_for_the_answer_built_now() {
        let content = bundled();
        let answers = Answers::new(Arc::clone(&content));
        let requests = [
            Request::Contrast {
                topic: Some("vision-execution"),
            },
            Request::Contrast {
                topic: Some("people"),
            },
            Request::Contrast { topic: None },
            Request::AnotherContrast {
                after: "vision-execution",
            },
            Request::Similarities,
            Request::Quote,
            Request::Example { name: None },
            Request::Faq { question: None },
            Request::RandomTip,
            Request::Help {
                commands: &[],
                page: crate::reply::HelpPage {
                    group: crate::reply::HelpGroup::Start,
                    viewer: crate::reply::Access::Everyone,
                },
            },
            Request::Scenario { name: None },
            Request::RevealScenario {
                id: "two-directions",
            },
        ];
        for request in requests {
            let serialized = answers
                .reply(&content, request, &mut StdRng::seed_from_u64(7))
                .expect("answered");
            let fresh = answer(&content, request, &mut StdRng::seed_from_u64(7)).expect("answered");
            assert_eq!(
                json(serialized.message()),
                as_serenity_sends(&fresh, false),
                "{request:?}"
            );
            assert_eq!(
                json(serialized.update()),
                as_serenity_sends(&fresh, true),
                "{request:?}"
            );
        }
        let built = Built::new(Arc::clone(&content));
        assert_eq!(built.serialized.len(), Shown::every(&content).len());
        for (shown, serialized) in &built.serialized {
            let fresh = show(&content, shown).expect("shown from this content");
            assert_eq!(
                json(serialized.message()),
                as_serenity_sends(&fresh, false),
                "{shown:?}"
            );
        }
    }

    #[test]
    fn answers_follow_a_reloaded_content() {
        let before = bundled();
        let answers = Answers::new(Arc::clone(&before));
        let mut edited = (*before).clone();
        edited.contrasts[0].title = Text::new("Retitled in a reload");
        let id = edited.contrasts[0].id.to_string();
        let after = Arc::new(edited);
        let request = Request::Contrast { topic: Some(&id) };
        let rng = &mut StdRng::seed_from_u64(1);
        let title = |serialized: Arc<Serialized>| {
            json(serialized.message())["data"]["embeds"][0]["title"].clone()
        };
        let reloaded = answers.reply(&after, request, rng).expect("answered");
        assert_eq!(title(reloaded), "Retitled in a reload");
        let old = answers.reply(&before, request, rng).expect("answered");
        assert_eq!(title(old), before.contrasts[0].title.as_str());
    }

    #[test]
    fn a_mistyped_name_is_still_a_user_error() {
        let content = bundled();
        let answers = Answers::new(Arc::clone(&content));
        let request = Request::Contrast {
            topic: Some("astrology"),
        };
        let Err(BotError::User(error)) =
            answers.reply(&content, request, &mut StdRng::seed_from_u64(1))
        else {
            panic!("no contrast is called astrology");
        };
        assert!(error.to_string().contains("astrology"));
    }
}
