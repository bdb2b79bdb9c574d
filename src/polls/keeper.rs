//! The poll keeper: ends each poll at its time, waits for Discord's final count, and posts
//! the recap exactly once.
//!
//! It runs on the same skeleton as the scheduler (`tasks.rs`): one task with a time-ordered
//! queue (here: when each open poll closes) and a job per due poll. Discord counts poll
//! durations in whole hours, so a 5-minute poll is created for an hour and ended early with
//! the expire endpoint. serenity 0.12.5's MESSAGE_UPDATE event carries no poll, so the result
//! is read over REST, retried with backoff until Discord marks it final. A MESSAGE_UPDATE for
//! a poll message is only a hint to look now.
//!
//! Exactly once: a recap is claimed in the database (`recapping`) before it is posted and
//! marked `recapped` after. A claim left by a crash is recovered at the next start by looking
//! for the bot's reply to the poll; found, it is recorded; not found, it is posted.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::clock::SharedClock;
use crate::live::LiveContent;
use crate::model::duty::TO_POST;
use crate::model::ids::{ChannelId, MessageId};
use crate::model::poll::PollState;
use crate::model::shards::Ownership;
use crate::port::{PollApi, PortError};
use crate::reply::poll::recap;
use crate::reply::poll_notes::RECAP;
use crate::retry::{retry, GaveUp, Patience, Transient};
use crate::store::{PollRecord, Store, StoreError};
use crate::tasks::{self, Control, DueQueue, Setbacks, Worker, EVENT_BUFFER};

/// How long after its close a poll's recap is still owed and retried.
const RECAP_WINDOW: SignedDuration = SignedDuration::from_hours(24);
/// Longest wait between two looks at a poll whose count is not final yet.
const FINAL_POLL_CAP: Duration = Duration::from_secs(60);

/// What the keeper did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollEvent {
    /// A poll is watched, to close at `closes_at`.
    Watching {
        message_id: u64,
        closes_at: Timestamp,
    },
    /// The bot ended a poll early (it was shorter than Discord's one hour).
    Expired { message_id: u64 },
    /// The recap was posted (or found posted, after a crash).
    Recapped { message_id: u64, recap_id: u64 },
    /// The recap could not be posted.
    Failed { message_id: u64, detail: String },
}

/// What the keeper needs.
#[derive(Clone)]
pub struct PollDeps {
    pub store: Store,
    pub clock: SharedClock,
    pub content: Arc<LiveContent>,
    pub api: Arc<dyn PollApi>,
    /// The servers whose polls this process keeps (those on its shards).
    pub ownership: Ownership,
}

enum Command {
    /// A poll was started (or its end moved): watch it.
    Watch(u64, Timestamp),
    /// Look at a poll now (Discord said its message changed).
    Check(u64),
}

/// The task, created but not running yet.
pub struct Unstarted {
    keeper: Keeper,
    commands: mpsc::UnboundedReceiver<Control<Command>>,
    stop: CancellationToken,
}

impl Unstarted {
    pub fn start(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut keeper = self.keeper;
            let mut queue = DueQueue::new("poll keeper");
            let Some(polls) = keeper.unfinished_waiting().await else {
                return;
            };
            info!(polls = polls.len(), "poll keeper started");
            for poll in polls {
                keeper.watch(&mut queue, poll.message_id, poll.closes_at);
            }
            let clock = keeper.deps.clock.clone();
            tasks::run(keeper, queue, clock, self.commands, self.stop).await;
            debug!("poll keeper stopped");
        })
    }
}

/// The handle commands and events use.
#[derive(Clone)]
pub struct PollKeeper {
    commands: mpsc::UnboundedSender<Control<Command>>,
    events: broadcast::Sender<PollEvent>,
}

impl PollKeeper {
    /// Creates the handle and the task, not started yet: subscribe every listener that must
    /// hear from the first event on, then call [`Unstarted::start`].
    pub fn new(deps: PollDeps) -> (PollKeeper, Unstarted) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let stop_sender = CancellationToken::new();
        let stop = stop_sender.child_token();
        let keeper = Keeper {
            deps,
            events: events.clone(),
            watched: HashSet::new(),
            stop,
            setbacks: Setbacks::default(),
        };
        let handle = PollKeeper {
            commands: sender,
            events,
        };
        (
            handle,
            Unstarted {
                keeper,
                commands: receiver,
                stop: stop_sender,
            },
        )
    }

    pub fn watch(&self, message_id: u64, closes_at: Timestamp) {
        let _ = self
            .commands
            .send(Control::Do(Command::Watch(message_id, closes_at)));
    }

    pub fn check(&self, message_id: u64) {
        let _ = self.commands.send(Control::Do(Command::Check(message_id)));
    }

    pub fn shutdown(&self) {
        let _ = self.commands.send(Control::Shutdown);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<PollEvent> {
        self.events.subscribe()
    }
}

struct Keeper {
    deps: PollDeps,
    events: broadcast::Sender<PollEvent>,
    watched: HashSet<u64>,
    stop: CancellationToken,
    /// Polls whose job or check failed on the database, to try again shortly.
    setbacks: Setbacks<u64>,
}

impl Keeper {
    /// The polls still owed a recap, read until the database answers (a server may be
    /// restarting), waiting a growing time between tries; `None` when asked to stop first.
    async fn unfinished_waiting(&self) -> Option<Vec<PollRecord>> {
        let mut attempt = 0;
        loop {
            let now = self.deps.clock.now();
            let error = match self.deps.store.unfinished_polls(now).await {
                Ok(polls) => {
                    let ownership = self.deps.ownership;
                    return Some(
                        polls
                            .into_iter()
                            .filter(|p| ownership.owns(p.guild_id))
                            .collect(),
                    );
                }
                Err(error) => error,
            };
            let wait = crate::retry::backoff(attempt, tasks::SETBACK_CAP, &mut rand::rng());
            attempt += 1;
            warn!(%error, ?wait, "the poll keeper cannot read the database; trying again");
            tokio::select! {
                () = self.deps.clock.sleep(SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX)) => {}
                () = self.stop.cancelled() => return None,
            }
        }
    }

    fn watch(&mut self, queue: &mut DueQueue<u64>, message_id: u64, closes_at: Timestamp) {
        self.watched.insert(message_id);
        queue.plan(message_id, closes_at);
        let _ = self.events.send(PollEvent::Watching {
            message_id,
            closes_at,
        });
    }

    fn start_job(&self, queue: &mut DueQueue<u64>, message_id: u64) {
        let job = Job {
            deps: self.deps.clone(),
            events: self.events.clone(),
            stop: self.stop.clone(),
        };
        let setbacks = self.setbacks.clone();
        queue.start(message_id, async move {
            match job.settle(message_id).await {
                Ok(event) => {
                    setbacks.cleared(message_id);
                    if let Some(event) = event {
                        let _ = job.events.send(event);
                    }
                }
                Err(error) => {
                    let again = setbacks.failed(message_id, job.deps.clock.now());
                    warn!(message_id, %error, %again, "poll: database error; trying again")
                }
            }
        });
    }
}

impl Worker for Keeper {
    type Key = u64;
    type Command = Command;

    async fn command(&mut self, queue: &mut DueQueue<u64>, command: Command) {
        match command {
            Command::Watch(message_id, closes_at) => self.watch(queue, message_id, closes_at),
            Command::Check(message_id) => {
                if self.watched.contains(&message_id) {
                    self.start_job(queue, message_id);
                }
            }
        }
    }

    /// After a job: a poll still open (not closed yet, or its count not final) is watched
    /// again; a finished one is forgotten.
    async fn finished(&mut self, queue: &mut DueQueue<u64>, message_id: u64) {
        if let Some(again) = self.setbacks.retry_at(message_id) {
            queue.plan(message_id, again);
            return;
        }
        match self.deps.store.poll(message_id).await {
            Ok(Some(poll)) if matches!(poll.state, PollState::Open | PollState::Recapping) => {
                if poll.closes_at > self.deps.clock.now() {
                    queue.plan(message_id, poll.closes_at);
                }
            }
            Ok(_) => {
                self.watched.remove(&message_id);
            }
            Err(error) => {
                let again = self.setbacks.failed(message_id, self.deps.clock.now());
                warn!(message_id, %error, %again, "cannot read a poll; trying again");
                queue.plan(message_id, again);
            }
        }
    }

    fn due(&mut self, queue: &mut DueQueue<u64>, message_id: u64) {
        self.start_job(queue, message_id);
    }
}

/// Why the final count could not be read (yet).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum CountError {
    #[error("{0}")]
    Port(#[from] PortError),
    #[error("Discord has not marked the count final")]
    NotFinal,
}

impl Transient for CountError {
    fn is_permanent(&self) -> bool {
        match self {
            CountError::Port(error) => error.is_permanent(),
            CountError::NotFinal => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            CountError::Port(error) => error.retry_after(),
            CountError::NotFinal => None,
        }
    }
}

/// Words for why a recap was given up.
trait Explain {
    fn explain(&self) -> String;
}

/// A recap needs what every post needs; the poll itself is posted already.
impl Explain for PortError {
    fn explain(&self) -> String {
        PortError::explain(self, RECAP, &TO_POST)
    }
}

impl Explain for CountError {
    fn explain(&self) -> String {
        match self {
            CountError::Port(error) => Explain::explain(error),
            CountError::NotFinal => crate::reply::poll_notes::COUNT_NOT_FINAL.into(),
        }
    }
}

struct Job {
    deps: PollDeps,
    events: broadcast::Sender<PollEvent>,
    stop: CancellationToken,
}

/// The poll's channel, as the port takes it.
fn channel(poll: &PollRecord) -> ChannelId {
    ChannelId::new(poll.channel_id)
}

/// The poll's message, as the port takes it.
fn message(poll: &PollRecord) -> MessageId {
    MessageId::new(poll.message_id)
}

impl Job {
    /// Brings a poll as far as it can go now: recap it if Discord's count is final, end it if
    /// its time has come.
    async fn settle(&self, message_id: u64) -> Result<Option<PollEvent>, StoreError> {
        let Some(poll) = self.deps.store.poll(message_id).await? else {
            return Ok(None);
        };
        match poll.state {
            PollState::Open => self.close(&poll).await,
            PollState::Recapping => self.recover(&poll).await,
            PollState::Recapped | PollState::Failed => Ok(None),
        }
    }

    fn patience(poll: &PollRecord) -> Patience {
        Patience::until(
            poll.closes_at
                .saturating_add(RECAP_WINDOW)
                .unwrap_or(Timestamp::MAX),
        )
    }

    async fn close(&self, poll: &PollRecord) -> Result<Option<PollEvent>, StoreError> {
        let now = self.deps.clock.now();
        let first = retry(
            self.deps.clock.as_ref(),
            Self::patience(poll),
            &self.stop,
            || self.deps.api.final_counts(channel(poll), message(poll)),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "poll not readable yet"),
        )
        .await;
        match first {
            Ok(Some(counts)) => return self.recap(poll, &counts).await,
            Ok(None) => {}
            Err(gave_up) => return self.gave_up(poll, gave_up).await,
        }
        if now < poll.closes_at {
            return Ok(None); // a hint came early; the poll runs until its time
        }
        // Discord shows running counts on a live poll too, so only asking it to end tells; a
        // refusal here means it had ended already (at its hour, or by someone's hand).
        let expired = retry(
            self.deps.clock.as_ref(),
            Self::patience(poll),
            &self.stop,
            || self.deps.api.expire(channel(poll), message(poll)),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "poll not ended yet"),
        )
        .await;
        match expired {
            Ok(()) => {
                let _ = self.events.send(PollEvent::Expired {
                    message_id: poll.message_id,
                });
            }
            Err(GaveUp::Stopped(_)) => return Ok(None),
            Err(GaveUp::Refused(error)) => {
                debug!(message_id = poll.message_id, %error, "the poll had ended already");
            }
            Err(gave_up) => return self.gave_up(poll, gave_up).await,
        }
        match self.final_count(poll).await {
            Ok(counts) => self.recap(poll, &counts).await,
            Err(gave_up) => self.gave_up(poll, gave_up).await,
        }
    }

    /// Reads the poll until Discord marks its count final, looking more slowly each time.
    async fn final_count(&self, poll: &PollRecord) -> Result<Vec<u64>, GaveUp<CountError>> {
        retry(
            self.deps.clock.as_ref(),
            Self::patience(poll).capped(FINAL_POLL_CAP),
            &self.stop,
            || async {
                match self
                    .deps
                    .api
                    .final_counts(channel(poll), message(poll))
                    .await
                {
                    Ok(Some(counts)) => Ok(counts),
                    Ok(None) => Err(CountError::NotFinal),
                    Err(error) => Err(CountError::Port(error)),
                }
            },
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "count not final yet"),
        )
        .await
    }

    async fn recap(
        &self,
        poll: &PollRecord,
        counts: &[u64],
    ) -> Result<Option<PollEvent>, StoreError> {
        if !self
            .deps
            .store
            .claim_recap(poll.message_id, &poll.spec, counts)
            .await?
        {
            return Ok(None);
        }
        self.post(poll, counts).await
    }

    async fn post(
        &self,
        poll: &PollRecord,
        counts: &[u64],
    ) -> Result<Option<PollEvent>, StoreError> {
        let content = self.deps.content.get();
        let reply = recap(&content, &poll.spec, counts);
        let posted = retry(
            self.deps.clock.as_ref(),
            Self::patience(poll),
            &self.stop,
            || self.deps.api.post_recap(channel(poll), message(poll), &reply),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "recap not accepted yet"),
        )
        .await;
        match posted {
            Ok(recap_id) => self.recapped(poll, recap_id).await,
            Err(gave_up) => self.gave_up(poll, gave_up).await,
        }
    }

    async fn recapped(
        &self,
        poll: &PollRecord,
        recap: MessageId,
    ) -> Result<Option<PollEvent>, StoreError> {
        let recap_id = recap.get();
        self.deps
            .store
            .mark_recapped(poll.message_id, recap_id)
            .await?;
        info!(message_id = poll.message_id, "poll recap posted");
        Ok(Some(PollEvent::Recapped {
            message_id: poll.message_id,
            recap_id,
        }))
    }

    /// Finishes a recap claimed before a crash.
    async fn recover(&self, poll: &PollRecord) -> Result<Option<PollEvent>, StoreError> {
        let found = retry(
            self.deps.clock.as_ref(),
            Self::patience(poll),
            &self.stop,
            || self.deps.api.find_recap(channel(poll), message(poll), poll.created_at),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "cannot check for the recap yet"),
        )
        .await;
        match found {
            Ok(Some(recap_id)) => self.recapped(poll, recap_id).await,
            Ok(None) => match self.final_count(poll).await {
                Ok(counts) => self.post(poll, &counts).await,
                Err(gave_up) => self.gave_up(poll, gave_up).await,
            },
            Err(gave_up) => self.gave_up(poll, gave_up).await,
        }
    }

    async fn gave_up<E: Explain>(
        &self,
        poll: &PollRecord,
        gave_up: GaveUp<E>,
    ) -> Result<Option<PollEvent>, StoreError> {
        if let GaveUp::Stopped(_) = gave_up {
            return Ok(None); // picked up again at the next start
        }
        let detail = gave_up.error().explain();
        warn!(message_id = poll.message_id, reason = %detail, "poll recap not posted");
        self.deps
            .store
            .mark_poll_failed(poll.message_id, &detail)
            .await?;
        Ok(Some(PollEvent::Failed {
            message_id: poll.message_id,
            detail,
        }))
    }
}
