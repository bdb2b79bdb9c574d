//! How polls reach Discord: the one trait the keeper and the opener use, so their tests run
//! against a fake and nothing here knows a wire format.

use jiff::Timestamp;

use crate::model::poll::TimedPoll;
use crate::reply::Reply;
use crate::rest::RestError;
use crate::tasks::BoxFuture;

pub trait PollApi: Send + Sync + 'static {
    /// Posts a native poll running for the poll's duration. Returns the message id.
    fn post_poll<'a>(
        &'a self,
        channel_id: u64,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<u64, RestError>>;
    /// The id of a poll the bot posted in `channel_id` after `since` asking `question`.
    fn find_poll<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>>;
    /// Ends a poll now.
    fn expire<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<(), RestError>>;
    /// The votes per answer, in the order the answers were posted, once Discord has marked
    /// the count final; `None` before that.
    fn final_counts<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, RestError>>;
    /// Posts the recap as a reply to the poll; returns its message id.
    fn post_recap<'a>(
        &'a self,
        channel_id: u64,
        poll_message_id: u64,
        recap: &'a Reply,
    ) -> BoxFuture<'a, Result<u64, RestError>>;
    /// The bot's reply to the poll posted since `since`, if there is one.
    fn find_recap<'a>(
        &'a self,
        channel_id: u64,
        poll_message_id: u64,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>>;
}
