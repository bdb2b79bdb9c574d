//! The scheduler's and the poll keeper's way into Discord: what they owe, posted through the
//! owed-request client ([`Rest`]).

use jiff::Timestamp;
use poise::serenity_prelude::{ChannelId, CreateAllowedMentions, MessageId, MessageReference};
use tokio::sync::OnceCell;

use super::convert::{channel_message, no_mentions, poll_message};
use crate::model::poll::TimedPoll;
use crate::polls::PollApi;
use crate::reply::Reply;
use crate::rest::{MessageRef, Rest, RestError};
use crate::schedule::{Addressing, Poster};
use crate::tasks::BoxFuture;

/// Discord's epoch (2015-01-01), in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// The smallest message id Discord could have given a message created at `at`.
pub fn snowflake_at(at: Timestamp) -> u64 {
    let ms = (at.as_millisecond() - DISCORD_EPOCH_MS).max(0);
    u64::try_from(ms).unwrap_or(0) << 22
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
fn reply_reference(channel_id: u64, message_id: u64) -> MessageReference {
    MessageReference::from((ChannelId::new(channel_id), MessageId::new(message_id)))
        .fail_if_not_exists(false)
}

/// Mentions allowed on a tip: the configured role only, or nobody.
pub fn tip_mentions(role: Option<u64>) -> CreateAllowedMentions {
    match role {
        Some(role) => CreateAllowedMentions::new().roles([role]),
        None => no_mentions(),
    }
}

impl Poster for DiscordPoster {
    fn post<'a>(
        &'a self,
        channel_id: u64,
        reply: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            let mut message = channel_message(reply, tip_mentions(to.role));
            if let Some(answered) = to.reply_to {
                message = message.reference_message(reply_reference(channel_id, answered));
            }
            let sent = self
                .rest
                .create_message(channel_id, &message, &reply.attachments)
                .await?;
            Ok(sent.id)
        })
    }

    fn find_own<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel_id, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| m.embeds.iter().any(|e| e.title.as_deref() == Some(title)))
                .map(|m| m.id))
        })
    }

    fn start_thread<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), RestError>> {
        Box::pin(self.rest.start_thread(channel_id, message_id, name))
    }
}

impl DiscordPoster {
    /// The bot's own messages in a channel since `since`.
    async fn own_messages_since(
        &self,
        channel_id: u64,
        since: Timestamp,
    ) -> Result<Vec<MessageRef>, RestError> {
        let bot = self.bot_id().await?;
        let messages = self
            .rest
            .messages_after(channel_id, snowflake_at(since))
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
        channel_id: u64,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            let message = poll_message(poll);
            Ok(self
                .rest
                .create_message(channel_id, &message, &[])
                .await?
                .id)
        })
    }

    fn find_poll<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel_id, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| m.poll.as_ref().and_then(|p| p.question_text()) == Some(question))
                .map(|m| m.id))
        })
    }

    fn expire<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<(), RestError>> {
        Box::pin(async move {
            self.rest
                .expire_poll(channel_id, message_id)
                .await
                .map(|_| ())
        })
    }

    fn final_counts<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, RestError>> {
        Box::pin(async move {
            let message = self.rest.get_message(channel_id, message_id).await?;
            Ok(message.poll.as_ref().and_then(|poll| poll.final_counts()))
        })
    }

    fn post_recap<'a>(
        &'a self,
        channel_id: u64,
        poll_message_id: u64,
        recap: &'a Reply,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            let message = channel_message(recap, no_mentions())
                .reference_message(reply_reference(channel_id, poll_message_id));
            let sent = self
                .rest
                .create_message(channel_id, &message, &recap.attachments)
                .await?;
            Ok(sent.id)
        })
    }

    fn find_recap<'a>(
        &'a self,
        channel_id: u64,
        poll_message_id: u64,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async move {
            let messages = self.own_messages_since(channel_id, since).await?;
            Ok(messages
                .into_iter()
                .find(|m| {
                    m.message_reference.as_ref().and_then(|r| r.message_id) == Some(poll_message_id)
                })
                .map(|m| m.id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_encode_time_since_discords_epoch() {
        // Discord's documented example: 175928847299117063 was created 2016-04-30 11:18:25.796 UTC.
        let at: Timestamp = "2016-04-30T11:18:25.796Z".parse().expect("ts");
        assert_eq!(snowflake_at(at), 175_928_847_299_117_063 >> 22 << 22);
    }
}
