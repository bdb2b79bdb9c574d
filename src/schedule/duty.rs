//! What a scheduled duty is to the engine: where its settings are, how to build what it posts,
//! how to send it once and how to find it after a crash. The engine does the rest, the same
//! way for every duty (see `delivery.rs`).

use std::future::Future;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::pacer::Pacer;
use crate::clock::SharedClock;
use crate::config::ScheduleConfig;
use crate::live::LiveContent;
use crate::model::duty::{DutyKind, Permission};
use crate::model::ids::{ChannelId, MessageId};
use crate::model::schedule::{DutyOptions, Schedule};
use crate::port::PortError;
use crate::reply::duty_notes::DutyNote;
use crate::retry::Transient;
use crate::store::{Store, StoreError};
use crate::tasks::Abandoned;
use crate::when::{Occurrence, Timetable};

/// What every duty and the engine share.
pub(crate) struct Ctx {
    pub store: Store,
    pub clock: SharedClock,
    pub content: Arc<LiveContent>,
    pub config: ScheduleConfig,
    pub pacer: Pacer,
    /// Raised at shutdown: waits to retry end, requests under way finish.
    pub stop: CancellationToken,
}

/// A server's settings for a duty, as far as planning needs them.
pub(crate) struct Plan<S> {
    pub timetable: Timetable,
    /// Nothing is owed for a moment before this (set up or resumed then).
    pub active_since: Timestamp,
    pub channel_id: u64,
    pub settings: S,
}

/// What a duty will send for a day, or why it cannot.
pub(crate) enum Prepared<P> {
    Send {
        /// The content entry sent, when the duty walks a deck.
        item: Option<String>,
        cycle: Option<u64>,
        payload: P,
    },
    /// Nothing sendable can be built (the content breaks a limit): the day fails at once.
    Broken(DutyNote),
}

/// A claimed day on its way to Discord.
#[derive(Debug, Clone)]
pub(crate) struct Sending<P> {
    pub guild: u64,
    pub date: Date,
    pub channel: ChannelId,
    pub due_at: Timestamp,
    /// When the claim was written; what was posted after it (less a minute) may be ours.
    pub claimed_at: Timestamp,
    pub item: Option<String>,
    pub payload: P,
}

/// How a post reached the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// Sent just now.
    Sent,
    /// Found in the channel after a restart: it had gone out before the stop.
    Found,
}

/// Why one attempt to send failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum SendError {
    #[error("{0}")]
    Port(#[from] PortError),
    /// Refused for a reason of our own, worded by `reply::duty_notes`.
    #[error("{0}")]
    Refused(DutyNote),
    /// The database failed before the post could be recorded; it is tried again.
    #[error("{0}")]
    Store(DutyNote),
    /// The post's chart was not drawn: the bot was stopping. It is tried again (or recovered
    /// at the next start).
    #[error("{0}")]
    Abandoned(#[from] Abandoned),
}

impl From<StoreError> for SendError {
    fn from(error: StoreError) -> SendError {
        SendError::Store(DutyNote::Database(error.to_string()))
    }
}

impl SendError {
    /// Why the post was refused, for the duty log and the status; `what` is the post and
    /// `needs` what it needs in its channel (see [`PortError::explain`]).
    pub fn note(&self, what: &str, needs: &[Permission]) -> DutyNote {
        match self {
            SendError::Port(error) => DutyNote::Discord(error.explain(what, needs)),
            SendError::Refused(note) | SendError::Store(note) => note.clone(),
            SendError::Abandoned(_) => DutyNote::Stopping,
        }
    }
}

impl Transient for SendError {
    fn is_permanent(&self) -> bool {
        match self {
            SendError::Port(error) => error.is_permanent(),
            SendError::Refused(_) => true,
            SendError::Store(_) | SendError::Abandoned(_) => false,
        }
    }

    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SendError::Port(error) => error.retry_after(),
            SendError::Refused(_) | SendError::Store(_) | SendError::Abandoned(_) => None,
        }
    }
}

/// Where a duty's plan comes from. For the duties a server sets up it is the server's
/// schedule ([`Schedule`]), so such a duty writes nothing to be planned; the pulse result plans
/// from the pulses themselves.
pub(crate) trait Planned: Sized + Send + Sync + 'static {
    /// Every server to plan at start.
    fn servers(ctx: &Ctx) -> impl Future<Output = Result<Vec<u64>, StoreError>> + Send;

    /// The server's plan; `None` when there is nothing to plan (not set up, paused).
    fn plan(
        ctx: &Ctx,
        guild: u64,
    ) -> impl Future<Output = Result<Option<Plan<Self>>, StoreError>> + Send;
}

impl<O: DutyOptions> Planned for Schedule<O> {
    async fn servers(ctx: &Ctx) -> Result<Vec<u64>, StoreError> {
        ctx.store.scheduled_servers(O::DUTY).await
    }

    async fn plan(ctx: &Ctx, guild: u64) -> Result<Option<Plan<Self>>, StoreError> {
        Ok(ctx
            .store
            .schedule::<O>(guild)
            .await?
            .filter(|schedule| !schedule.paused)
            .map(|schedule| Plan {
                timetable: schedule.when.clone().into(),
                active_since: schedule.active_since,
                channel_id: schedule.channel_id,
                settings: schedule,
            }))
    }
}

/// One kind of scheduled post.
pub(crate) trait Duty: Send + Sync + 'static {
    const KIND: DutyKind;
    /// The server's settings for this duty, and how they are planned.
    type Settings: Planned;
    /// What is claimed and sent, written into the claim so that recovery after a crash sends
    /// (or finds) exactly that.
    type Payload: Serialize + DeserializeOwned + Send + Sync + 'static;

    /// Before a day is claimed: `Some(outcome)` when it is settled without a post (a day the
    /// team asked to skip).
    fn settle_without_post(
        &self,
        _ctx: &Ctx,
        _plan: &Plan<Self::Settings>,
        _owed: Occurrence,
    ) -> impl Future<Output = Result<Option<super::ScheduleEvent>, StoreError>> + Send {
        async { Ok(None) }
    }

    /// What to send for the day `owed` (called once the pacer has given this post its turn).
    fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        plan: &Plan<Self::Settings>,
        owed: Occurrence,
    ) -> impl Future<Output = Result<Prepared<Self::Payload>, StoreError>> + Send;

    /// What the post needs in its channel, named when Discord refuses it.
    fn needs(&self, _post: &Sending<Self::Payload>) -> Vec<Permission> {
        Self::KIND.needs().to_vec()
    }

    /// Sends the post once; the engine retries. Returns the message id.
    fn send(
        &self,
        ctx: &Ctx,
        post: &Sending<Self::Payload>,
    ) -> impl Future<Output = Result<MessageId, SendError>> + Send;

    /// The post in its channel, if a previous run sent it after `since`.
    fn find(
        &self,
        ctx: &Ctx,
        post: &Sending<Self::Payload>,
        since: Timestamp,
    ) -> impl Future<Output = Result<Option<MessageId>, PortError>> + Send;

    /// Work to do at start, before any claim is recovered or day planned, for the servers
    /// `owns` accepts (the pulse closes what is past its time: its deletion never waits on a
    /// post).
    fn before_start(
        &self,
        _ctx: &Ctx,
        _owns: &(dyn Fn(u64) -> bool + Sync),
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }

    /// Other duties of the same server to plan again after this one's job (opening a pulse
    /// gives its result and its reminder a time to be due).
    const PLANS_NEXT: &'static [DutyKind] = &[];

    /// What follows a post once it is recorded (a discussion thread, a poll to watch);
    /// nothing by default.
    fn after_post(
        &self,
        _ctx: &Ctx,
        _post: &Sending<Self::Payload>,
        _message_id: MessageId,
        _arrival: Arrival,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
}
