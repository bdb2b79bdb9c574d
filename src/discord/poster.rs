//! The scheduler's and the poll keeper's way into Discord: the port's traits ([`Poster`],
//! [`PollApi`]) implemented over the owed-request client ([`Rest`]), whose errors become the
//! port's ([`PortError`]) here, so nothing below `discord` sees an HTTP status.

use futures::future::BoxFuture;
use jiff::Timestamp;
use poise::serenity_prelude as serenity;
use serenity::{CreateAllowedMentions, MessageReference};
use tokio::sync::OnceCell;

use super::convert::{channel_message, no_mentions, poll_message};
use crate::model::ids::{ChannelId, MessageId, RoleId};
use crate::model::poll::TimedPoll;
use crate::port::{Addressing, PollApi, PortError, Poster, Refusal};
use crate::reply::Reply;
use crate::rest::{codes, MessageRef, Rest, RestError};

/// Discord's epoch (2015-01-01), in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// The smallest message id Discord could have given a message created at `at`.
pub fn snowflake_at(at: Timestamp) -> u64 {
    let ms = (at.as_millisecond() - DISCORD_EPOCH_MS).max(0);
    u64::try_from(ms).unwrap_or(0) << 22
}

/// What a failed request means to the scheduler and the keeper: wait, try later, or give up
/// for a reason they can explain.
impl From<RestError> for PortError {
    fn from(error: RestError) -> PortError {
        match error {
            RestError::RateLimited { retry_after } => PortError::RetryAfter(retry_after),
            RestError::Server { .. } | RestError::Network(_) => {
                PortError::Transient(error.to_string())
            }
            RestError::Refused { code, .. } => PortError::Refused(match code {
                codes::MISSING_PERMISSIONS | codes::MISSING_ACCESS => Refusal::NotAllowed,
                codes::UNKNOWN_CHANNEL => Refusal::UnknownChannel,
                codes::UNKNOWN_MESSAGE => Refusal::UnknownMessage,
                _ => Refusal::Other(error.to_string()),
            }),
            RestError::Decode(_) | RestError::Encode(_) => {
                PortError::Refused(Refusal::Other(error.to_string()))
            }
        }
    }
}

/// Posts through [`Rest`]; learns the bot's own id on first need.
pub struct DiscordPoster {
    rest: Rest,
    bot_id: OnceCell<u64>,
}

impl DiscordPoster {
    pub fn new(rest: Rest) -> DiscordPoster {
        DiscordPoster {
            rest,
            bot_id: OnceCell::new(),
        }
    }

    async fn bot_id(&self) -> Result<u64, RestError> {
        self.bot_id
            .get_or_try_init(|| self.rest.current_user_id())
            .await
            .copied()
    }
}

/// A reply to a message of the channel; posted plain if that message was deleted meanwhile,
/// so what is owed still goes out.
fn reply_reference(channel: ChannelId, message: MessageId) -> MessageReference {
    MessageReference::from((
        serenity::ChannelId::new(channel.get()),
        serenity::MessageId::new(message.get()),
    ))
    .fail_if_not_exists(false)
}

/// Mentions allowed on a tip: the configured role only, or nobody.
pub fn tip_mentions(role: Option<RoleId>) -> CreateAllowedMentions {
    match role {
        Some(role) => CreateAllowedMentions::new().roles([role.get()]),
        None => no_mentions(),
    }
}

impl Poster for DiscordPoster {
    fn post<'a>(
        &'a self,
        channel: ChannelId,
        reply: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move {
            let mut message = channel_message(reply, tip_mentions(to.role));
            if let Some(answered) = to.reply_to {
                message = message.reference_message(reply_reference(channel, answered));
            }
            let sent = self
                .rest
                .create_message(channel.get(), &message, &reply.attachments)
                .await?;
            Ok(MessageId::new(sent.id))
        })
    }

    fn find_own<'a>(
        &'a self,
        channel: ChannelId,
        since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| m.embeds.iter().any(|e| e.title.as_deref() == Some(title)))
                .map(|m| MessageId::new(m.id)))
        })
    }

    fn start_thread<'a>(
        &'a self,
        channel: ChannelId,
        message: MessageId,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), PortError>> {
        Box::pin(async move {
            Ok(self
                .rest
                .start_thread(channel.get(), message.get(), name)
                .await?)
        })
    }
}

impl DiscordPoster {
    /// The bot's own messages in a channel since `since`.
    async fn own_messages_since(
        &self,
        channel: ChannelId,
        since: Timestamp,
    ) -> Result<Vec<MessageRef>, RestError> {
        let bot = self.bot_id().await?;
        let messages = self
            .rest
            .messages_after(channel.get(), snowflake_at(since))
            .await?;
        Ok(messages
            .into_iter()
            .filter(|m| m.author.as_ref().is_some_and(|a| a.id == bot))
            .collect())
    }
}

impl PollApi for DiscordPoster {
    fn post_poll<'a>(
        &'a self,
        channel: ChannelId,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move {
            let message = poll_message(poll);
            let sent = self
                .rest
                .create_message(channel.get(), &message, &[])
                .await?;
            Ok(MessageId::new(sent.id))
        })
    }

    fn find_poll<'a>(
        &'a self,
        channel: ChannelId,
        since: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| m.poll.as_ref().and_then(|p| p.question_text()) == Some(question))
                .map(|m| MessageId::new(m.id)))
        })
    }

    fn expire<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
    ) -> BoxFuture<'a, Result<(), PortError>> {
        Box::pin(async move {
            self.rest.expire_poll(channel.get(), poll.get()).await?;
            Ok(())
        })
    }

    fn final_counts<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, PortError>> {
        Box::pin(async move {
            let message = self.rest.get_message(channel.get(), poll.get()).await?;
            Ok(message.poll.as_ref().and_then(|poll| poll.final_counts()))
        })
    }

    fn post_recap<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
        recap: &'a Reply,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move {
            let message = channel_message(recap, no_mentions())
                .reference_message(reply_reference(channel, poll));
            let sent = self
                .rest
                .create_message(channel.get(), &message, &recap.attachments)
                .await?;
            Ok(MessageId::new(sent.id))
        })
    }

    fn find_recap<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| {
                    m.message_reference.as_ref().and_then(|r| r.message_id) == Some(poll.get())
                })
                .map(|m| MessageId::new(m.id)))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;

    use super::*;
    use crate::model::duty::DutyKind;
    use crate::rest::classify;
    use crate::retry::Transient;

    #[test]
    fn snowflakes_encode_time_since_discords_epoch() {
        // Discord's documented example: 175928847299117063 was created 2016-04-30 11:18:25.796 UTC.
        let at: Timestamp = "2016-04-30T11:18:25.796Z".parse().expect("ts");
        assert_eq!(snowflake_at(at), 175_928_847_299_117_063 >> 22 << 22);
    }

    fn refused(status: StatusCode, body: &[u8]) -> PortError {
        classify(status, &HeaderMap::new(), body).into()
    }

    #[test]
    fn discords_answers_become_what_the_port_acts_on() {
        let limited = RestError::RateLimited {
            retry_after: Duration::from_secs(3),
        };
        assert_eq!(
            PortError::from(limited),
            PortError::RetryAfter(Duration::from_secs(3))
        );
        let down = PortError::from(RestError::Server { status: 502 });
        assert!(matches!(down, PortError::Transient(_)) && !down.is_permanent());
        let missing = refused(
            StatusCode::FORBIDDEN,
            br#"{"code":50013,"message":"Missing Permissions"}"#,
        );
        assert_eq!(missing, PortError::Refused(Refusal::NotAllowed));
        let hidden = refused(
            StatusCode::FORBIDDEN,
            br#"{"code":50001,"message":"Missing Access"}"#,
        );
        assert_eq!(hidden, PortError::Refused(Refusal::NotAllowed));
        let message = refused(
            StatusCode::NOT_FOUND,
            br#"{"code":10008,"message":"Unknown Message"}"#,
        );
        assert_eq!(message, PortError::Refused(Refusal::UnknownMessage));
        let other = refused(
            StatusCode::BAD_REQUEST,
            br#"{"code":50035,"message":"Invalid Form Body"}"#,
        );
        assert!(
            matches!(&other, PortError::Refused(Refusal::Other(words)) if words.contains("50035") && words.contains("Invalid Form Body")),
            "{other:?}"
        );
    }

    #[test]
    fn refusals_are_explained_in_plain_words() {
        let refused_here = refused(
            StatusCode::FORBIDDEN,
            br#"{"code":50013,"message":"Missing Permissions"}"#,
        );
        assert!(refused_here
            .explain(DutyKind::Tip.label(), DutyKind::Tip.needs())
            .contains("not allowed to post"));
        let gone = refused(
            StatusCode::NOT_FOUND,
            br#"{"code":10003,"message":"Unknown Channel"}"#,
        );
        assert!(gone
            .explain(DutyKind::Tip.label(), DutyKind::Tip.needs())
            .contains("no longer exists"));
    }
}
