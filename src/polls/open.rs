//! Opening a poll: the one way `/poll` and the weekly schedule start one.
//!
//! A channel has at most one open poll. The check before posting catches the usual case; the
//! database's unique index on open polls catches two polls racing into one channel, and the
//! loser's poll is ended at once so it is never left running without a recap.

use std::sync::Arc;

use jiff::Timestamp;
use tracing::warn;

use super::keeper::PollKeeper;
use crate::clock::SharedClock;
use crate::model::ids::{ChannelId, MessageId};
use crate::model::poll::{PollState, TimedPoll};
use crate::port::{PollApi, PortError};
use crate::store::{PollRecord, Store, StoreError};

/// Where a poll is opened, and by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Venue {
    pub guild_id: u64,
    pub channel_id: u64,
    /// The member who started it; `None` for a scheduled poll.
    pub started_by: Option<u64>,
}

/// A poll that is running and watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub message_id: u64,
    pub closes_at: Timestamp,
}

/// Why a poll was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The channel already has a poll running.
    #[error("a poll was still open in the channel (message {message_id})")]
    ChannelBusy { message_id: u64 },
    /// Another poll was opened in the channel at the same moment; ours was ended.
    #[error("another poll opened in the channel at the same moment")]
    Raced,
    /// The poll built from the content breaks Discord's limits.
    #[error("the poll built from the content breaks Discord's limits: {}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error("{0}")]
    Port(#[from] PortError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Why a poll was not ended.
#[derive(Debug, thiserror::Error)]
pub enum EndError {
    #[error("no open poll in the channel")]
    NothingOpen,
    #[error("the poll was started by someone else")]
    NotYours,
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Opens polls and hands them to the keeper.
#[derive(Clone)]
pub struct Polls {
    store: Store,
    clock: SharedClock,
    api: Arc<dyn PollApi>,
    keeper: Option<PollKeeper>,
}

impl Polls {
    /// `keeper` is where opened polls go to be closed and recapped (none in tests that only
    /// look at the opening).
    pub fn new(
        store: Store,
        clock: SharedClock,
        api: Arc<dyn PollApi>,
        keeper: Option<PollKeeper>,
    ) -> Polls {
        Polls {
            store,
            clock,
            api,
            keeper,
        }
    }

    /// Posts the poll, records it and has the keeper watch it.
    pub async fn open(&self, venue: Venue, poll: &TimedPoll) -> Result<Opened, OpenError> {
        let problems = poll.spec.limit_problems();
        if !problems.is_empty() {
            return Err(OpenError::Invalid(problems));
        }
        if let Some(open) = self.store.open_poll_in(venue.channel_id).await? {
            return Err(OpenError::ChannelBusy {
                message_id: open.message_id,
            });
        }
        let channel = ChannelId::new(venue.channel_id);
        let message_id = self.api.post_poll(channel, poll).await?.get();
        let started_at = self.clock.now();
        match self.record(venue, poll, message_id, started_at).await {
            Ok(opened) => Ok(opened),
            Err(error) => {
                // Not recorded, it would never be closed or recapped: take it back.
                warn!(channel = venue.channel_id, %error, "a poll that could not be recorded is ended at once");
                if let Err(expire) = self.api.expire(channel, MessageId::new(message_id)).await {
                    warn!(channel = venue.channel_id, message_id, error = %expire, "could not end it");
                }
                Err(error)
            }
        }
    }

    /// Records a poll a previous run posted (found in the channel after a crash) and has the
    /// keeper watch it. A poll that lost the channel to another one meanwhile is ended.
    pub async fn adopt(
        &self,
        venue: Venue,
        poll: &TimedPoll,
        message_id: u64,
        started_at: Timestamp,
    ) -> Result<(), StoreError> {
        match self.record(venue, poll, message_id, started_at).await {
            Ok(_) => Ok(()),
            Err(OpenError::Store(error)) => Err(error),
            Err(error) => {
                warn!(channel = venue.channel_id, message_id, %error, "the recovered poll is ended");
                let (channel, poll) =
                    (ChannelId::new(venue.channel_id), MessageId::new(message_id));
                if let Err(expire) = self.api.expire(channel, poll).await {
                    warn!(channel = venue.channel_id, message_id, error = %expire, "could not end it");
                }
                Ok(())
            }
        }
    }

    /// Ends the channel's open poll now (`/poll end`): the member who started it may, and so
    /// may anyone `may_end_any`. The keeper then closes and recaps it.
    pub async fn end_now(
        &self,
        channel_id: u64,
        member: u64,
        may_end_any: bool,
    ) -> Result<(), EndError> {
        let open = self
            .store
            .open_poll_in(channel_id)
            .await?
            .filter(|p| p.state == PollState::Open)
            .ok_or(EndError::NothingOpen)?;
        if open.started_by != Some(member) && !may_end_any {
            return Err(EndError::NotYours);
        }
        let now = self.clock.now();
        self.store.set_poll_close(open.message_id, now).await?;
        if let Some(keeper) = &self.keeper {
            keeper.watch(open.message_id, now);
        }
        Ok(())
    }

    /// A poll the bot posted in `channel_id` after `since` asking `question`.
    pub async fn find(
        &self,
        channel: ChannelId,
        since: Timestamp,
        question: &str,
    ) -> Result<Option<MessageId>, PortError> {
        self.api.find_poll(channel, since, question).await
    }

    /// Records the poll (or finds it recorded already) and has the keeper watch it.
    async fn record(
        &self,
        venue: Venue,
        poll: &TimedPoll,
        message_id: u64,
        started_at: Timestamp,
    ) -> Result<Opened, OpenError> {
        let closes_at = started_at
            .saturating_add(poll.duration.span())
            .unwrap_or(Timestamp::MAX);
        let record = PollRecord {
            message_id,
            guild_id: venue.guild_id,
            channel_id: venue.channel_id,
            started_by: venue.started_by,
            spec: poll.spec.clone(),
            closes_at,
            state: PollState::Open,
            recap_message_id: None,
            detail: None,
            created_at: started_at,
        };
        let closes_at = if self.store.insert_poll(&record).await? {
            closes_at
        } else {
            match self.store.poll(message_id).await? {
                Some(recorded) => recorded.closes_at,
                None => return Err(OpenError::Raced),
            }
        };
        if let Some(keeper) = &self.keeper {
            keeper.watch(message_id, closes_at);
        }
        Ok(Opened {
            message_id,
            closes_at,
        })
    }
}
