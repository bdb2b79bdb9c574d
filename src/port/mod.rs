//! The port: how the scheduler and the poll keeper reach Discord. Two traits, [`Poster`] for
//! posts (a tip, a pulse, a result, a digest) and [`PollApi`] for native polls, and one error,
//! [`PortError`], that says only what the caller acts on: wait this long, try again later, or
//! give up for a reason the bot can put in words.
//!
//! Nothing here knows a wire format or an HTTP status: `discord::poster` implements the traits
//! over the REST client and maps its errors into [`PortError`], and the tests implement them
//! with fakes, so the scheduler's and the keeper's tests run days of schedule in milliseconds.
//! The ids crossing the port are types of their own ([`ChannelId`], [`MessageId`],
//! [`RoleId`]), so a channel cannot be passed where a message is meant.

mod error;

use futures::future::BoxFuture;
use jiff::Timestamp;

pub use error::{PortError, Refusal};

use crate::model::ids::{ChannelId, MessageId, RoleId};
use crate::model::poll::TimedPoll;
use crate::reply::Reply;

/// What a scheduled post may mention and which message it answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Addressing {
    /// The one role mentioned (and the only mention allowed).
    pub role: Option<RoleId>,
    /// The message the post replies to; when that message is gone the post goes out plain.
    pub reply_to: Option<MessageId>,
}

/// How the scheduler reaches Discord for its posts.
pub trait Poster: Send + Sync + 'static {
    /// Posts `reply` as `to` says. Returns the message's id.
    fn post<'a>(
        &'a self,
        channel: ChannelId,
        reply: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<MessageId, PortError>>;
    /// The id of a message the bot posted in `channel` after `since` with an embed titled
    /// `title`, if there is one.
    fn find_own<'a>(
        &'a self,
        channel: ChannelId,
        since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>>;
    /// Opens a discussion thread on a posted tip.
    fn start_thread<'a>(
        &'a self,
        channel: ChannelId,
        message: MessageId,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), PortError>>;
}

/// How polls reach Discord: what the keeper and the opener use.
pub trait PollApi: Send + Sync + 'static {
    /// Posts a native poll running for the poll's duration. Returns the message's id.
    fn post_poll<'a>(
        &'a self,
        channel: ChannelId,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<MessageId, PortError>>;
    /// The id of a poll the bot posted in `channel` after `since` asking `question`.
    fn find_poll<'a>(
        &'a self,
        channel: ChannelId,
        since: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>>;
    /// Ends a poll now.
    fn expire<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
    ) -> BoxFuture<'a, Result<(), PortError>>;
    /// The votes per answer, in the order the answers were posted, once Discord has marked
    /// the count final; `None` before that.
    fn final_counts<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, PortError>>;
    /// Posts the recap as a reply to the poll; returns its message's id.
    fn post_recap<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
        recap: &'a Reply,
    ) -> BoxFuture<'a, Result<MessageId, PortError>>;
    /// The bot's reply to the poll posted since `since`, if there is one.
    fn find_recap<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>>;
}
