//! The poll keeper: ends each poll at its time, waits for Discord's final count, and posts
//! the recap exactly once.
//!
//! Like the tip scheduler it is one task with a time-ordered queue (here: when each open
//! poll closes) and a job per due poll. Discord counts poll durations in whole hours, so a
//! 5-minute poll is created for an hour and ended early with the expire endpoint. serenity
//! 0.12.5's MESSAGE_UPDATE event carries no poll, so the result is read with a GET, retried
//! with backoff until Discord marks it final. A MESSAGE_UPDATE for a poll message is only a
//! hint to look now.
//!
//! Exactly once: a recap is claimed in the database (`recapping`) before it is posted and
//! marked `recapped` after. A claim left by a crash is recovered at the next start by looking
//! for the bot's reply to the poll; found, it is recorded; not found, it is posted.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::records::spec_of;
use crate::clock::SharedClock;
use crate::content::Content;
use crate::discord::rest::{MessageRef, RestError};
use crate::reply::poll::recap;
use crate::reply::Reply;
use crate::retry::{self, GaveUp, Stop, StopSender};
use crate::schedule::BoxFuture;
use crate::store::{PollRecord, PollState, Store, StoreError};

/// How long after its close a poll's recap is still owed and retried.
const RECAP_WINDOW: SignedDuration = SignedDuration::from_hours(24);
/// Longest wait between two looks at a poll whose count is not final yet.
const FINAL_POLL_CAP: Duration = Duration::from_secs(60);

/// How the keeper reaches Discord.
pub trait PollApi: Send + Sync + 'static {
    /// Ends a poll now.
    fn expire<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<(), RestError>>;
    /// The poll message as it is now.
    fn fetch<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<MessageRef, RestError>>;
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
    pub content: Arc<ArcSwap<Content>>,
    pub api: Arc<dyn PollApi>,
}

enum Command {
    /// A poll was started (or its end moved): watch it.
    Watch(u64, Timestamp),
    /// Look at a poll now (Discord said its message changed).
    Check(u64),
    Shutdown,
}

/// The task, created but not running yet.
pub struct Unstarted {
    task: Keeper,
    commands: mpsc::UnboundedReceiver<Command>,
}

impl Unstarted {
    pub fn start(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.task.run(self.commands))
    }
}

/// The handle commands and events use.
#[derive(Clone)]
pub struct PollKeeper {
    commands: mpsc::UnboundedSender<Command>,
    events: broadcast::Sender<PollEvent>,
}

impl PollKeeper {
    /// Starts the keeper; the receiver hears every event from the first one on.
    /// Creates the handle and the task, not started yet: subscribe every listener that must
    /// hear from the first event on, then call [`Unstarted::start`].
    pub fn new(deps: PollDeps) -> (PollKeeper, Unstarted) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(1024);
        let task = Keeper::new(deps, events.clone());
        let handle = PollKeeper {
            commands: sender,
            events,
        };
        (
            handle,
            Unstarted {
                task,
                commands: receiver,
            },
        )
    }

    /// Creates and starts it; the receiver hears every event from the first one on.
    pub fn spawn(
        deps: PollDeps,
    ) -> (
        PollKeeper,
        tokio::task::JoinHandle<()>,
        broadcast::Receiver<PollEvent>,
    ) {
        let (handle, unstarted) = PollKeeper::new(deps);
        let events = handle.subscribe();
        (handle, unstarted.start(), events)
    }

    pub fn watch(&self, message_id: u64, closes_at: Timestamp) {
        let _ = self.commands.send(Command::Watch(message_id, closes_at));
    }

    pub fn check(&self, message_id: u64) {
        let _ = self.commands.send(Command::Check(message_id));
    }

    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<PollEvent> {
        self.events.subscribe()
    }
}

struct Keeper {
    deps: PollDeps,
    events: broadcast::Sender<PollEvent>,
    queue: BinaryHeap<Reverse<(Timestamp, u64)>>,
    watched: HashSet<u64>,
    busy: HashSet<u64>,
    jobs: JoinSet<u64>,
    stop_sender: StopSender,
    stop: Stop,
}

impl Keeper {
    fn new(deps: PollDeps, events: broadcast::Sender<PollEvent>) -> Keeper {
        let (stop_sender, stop) = Stop::new();
        Keeper {
            deps,
            events,
            queue: BinaryHeap::new(),
            watched: HashSet::new(),
            busy: HashSet::new(),
            jobs: JoinSet::new(),
            stop_sender,
            stop,
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        match self.deps.store.unfinished_polls().await {
            Ok(polls) => {
                info!(polls = polls.len(), "poll keeper started");
                for poll in polls {
                    self.watch(poll.message_id, poll.closes_at);
                }
            }
            Err(error) => {
                warn!(%error, "the poll keeper could not read the database; polls are not closed until restart");
                return;
            }
        }
        loop {
            let next = self.queue.peek().map(|Reverse((at, _))| *at);
            let sleep = next.map(|at| self.deps.clock.sleep_until(at));
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::Watch(message_id, closes_at)) => self.watch(message_id, closes_at),
                    Some(Command::Check(message_id)) => {
                        if self.watched.contains(&message_id) {
                            self.start_job(message_id);
                        }
                    }
                    Some(Command::Shutdown) | None => break,
                },
                Some(done) = self.jobs.join_next(), if !self.jobs.is_empty() => {
                    if let Ok(message_id) = done {
                        self.busy.remove(&message_id);
                        self.rewatch(message_id).await;
                    }
                }
                () = async { if let Some(sleep) = sleep { sleep.await } }, if next.is_some() => self.dispatch_due(),
            }
        }
        self.stop_sender.stop();
        while self.jobs.join_next().await.is_some() {}
        debug!("poll keeper stopped");
    }

    fn watch(&mut self, message_id: u64, closes_at: Timestamp) {
        self.watched.insert(message_id);
        self.queue.push(Reverse((closes_at, message_id)));
        let _ = self.events.send(PollEvent::Watching {
            message_id,
            closes_at,
        });
    }

    /// After a job: a poll still open (not closed yet, or its count not final) is watched
    /// again; a finished one is forgotten.
    async fn rewatch(&mut self, message_id: u64) {
        match self.deps.store.poll(message_id).await {
            Ok(Some(poll)) if matches!(poll.state, PollState::Open | PollState::Recapping) => {
                let at = poll.closes_at.max(self.deps.clock.now());
                if poll.closes_at > self.deps.clock.now() {
                    self.queue.push(Reverse((at, message_id)));
                }
            }
            Ok(_) => {
                self.watched.remove(&message_id);
            }
            Err(error) => warn!(message_id, %error, "cannot read a poll"),
        }
    }

    fn dispatch_due(&mut self) {
        let now = self.deps.clock.now();
        while let Some(Reverse((at, message_id))) = self.queue.peek().copied() {
            if at > now {
                break;
            }
            self.queue.pop();
            self.start_job(message_id);
        }
    }

    fn start_job(&mut self, message_id: u64) {
        if !self.busy.insert(message_id) {
            return;
        }
        let job = Job {
            deps: self.deps.clone(),
            events: self.events.clone(),
            stop: self.stop.clone(),
        };
        self.jobs.spawn(async move {
            match job.settle(message_id).await {
                Ok(Some(event)) => {
                    let _ = job.events.send(event);
                }
                Ok(None) => {}
                Err(error) => {
                    warn!(message_id, %error, "poll: database error; retried at the next start")
                }
            }
            message_id
        });
    }
}

struct Job {
    deps: PollDeps,
    events: broadcast::Sender<PollEvent>,
    stop: Stop,
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

    fn deadline(poll: &PollRecord) -> Timestamp {
        poll.closes_at
            .saturating_add(RECAP_WINDOW)
            .unwrap_or(Timestamp::MAX)
    }

    async fn close(&self, poll: &PollRecord) -> Result<Option<PollEvent>, StoreError> {
        let now = self.deps.clock.now();
        let first = match self.fetch(poll).await {
            Ok(message) => message,
            Err(gave_up) => return self.gave_up(poll, gave_up).await,
        };
        if let Some(counts) = final_counts(&first) {
            return self.recap(poll, &counts).await;
        }
        if now < poll.closes_at {
            return Ok(None); // a hint came early; the poll runs until its time
        }
        // Discord shows running counts on a live poll too, so only asking it to end tells; a
        // refusal here means it had ended already (at its hour, or by someone's hand).
        match self.expire(poll).await {
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

    async fn fetch(&self, poll: &PollRecord) -> Result<MessageRef, GaveUp> {
        retry::until_deadline(
            self.deps.clock.as_ref(),
            Self::deadline(poll),
            &self.stop,
            || self.deps.api.fetch(poll.channel_id, poll.message_id),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "poll not readable yet"),
        )
        .await
    }

    async fn expire(&self, poll: &PollRecord) -> Result<(), GaveUp> {
        retry::until_deadline(
            self.deps.clock.as_ref(),
            Self::deadline(poll),
            &self.stop,
            || self.deps.api.expire(poll.channel_id, poll.message_id),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "poll not ended yet"),
        )
        .await
    }

    /// Reads the poll until Discord marks its count final, waiting longer each time.
    async fn final_count(&self, poll: &PollRecord) -> Result<Vec<u64>, GaveUp> {
        let mut looks = 0;
        loop {
            let message = self.fetch(poll).await?;
            if let Some(counts) = final_counts(&message) {
                return Ok(counts);
            }
            let wait = retry::backoff(looks, &mut rand::rng()).min(FINAL_POLL_CAP);
            looks += 1;
            let not_final = RestError::Server { status: 0 };
            let wait_span = SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX);
            if self
                .deps
                .clock
                .now()
                .saturating_add(wait_span)
                .unwrap_or(Timestamp::MAX)
                > Self::deadline(poll)
            {
                return Err(GaveUp::OutOfTime(not_final));
            }
            let mut stop = self.stop.clone();
            tokio::select! {
                () = self.deps.clock.sleep(wait_span) => {}
                () = stop.stopped() => return Err(GaveUp::Stopped(not_final)),
            }
        }
    }

    async fn recap(
        &self,
        poll: &PollRecord,
        counts: &[u64],
    ) -> Result<Option<PollEvent>, StoreError> {
        if !self.deps.store.claim_recap(poll.message_id).await? {
            return Ok(None);
        }
        self.post(poll, counts).await
    }

    async fn post(
        &self,
        poll: &PollRecord,
        counts: &[u64],
    ) -> Result<Option<PollEvent>, StoreError> {
        let content = self.deps.content.load_full();
        let reply = recap(&content, &spec_of(poll), counts);
        let posted = retry::until_deadline(
            self.deps.clock.as_ref(),
            Self::deadline(poll),
            &self.stop,
            || self.deps.api.post_recap(poll.channel_id, poll.message_id, &reply),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "recap not accepted yet"),
        )
        .await;
        match posted {
            Ok(recap_id) => {
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
            Err(gave_up) => self.gave_up(poll, gave_up).await,
        }
    }

    /// Finishes a recap claimed before a crash.
    async fn recover(&self, poll: &PollRecord) -> Result<Option<PollEvent>, StoreError> {
        let found = retry::until_deadline(
            self.deps.clock.as_ref(),
            Self::deadline(poll),
            &self.stop,
            || self.deps.api.find_recap(poll.channel_id, poll.message_id, poll.created_at),
            |error, wait| debug!(message_id = poll.message_id, %error, ?wait, "cannot check for the recap yet"),
        )
        .await;
        match found {
            Ok(Some(recap_id)) => {
                self.deps
                    .store
                    .mark_recapped(poll.message_id, recap_id)
                    .await?;
                Ok(Some(PollEvent::Recapped {
                    message_id: poll.message_id,
                    recap_id,
                }))
            }
            Ok(None) => match self.final_count(poll).await {
                Ok(counts) => self.post(poll, &counts).await,
                Err(gave_up) => self.gave_up(poll, gave_up).await,
            },
            Err(gave_up) => self.gave_up(poll, gave_up).await,
        }
    }

    async fn gave_up(
        &self,
        poll: &PollRecord,
        gave_up: GaveUp,
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

fn final_counts(message: &MessageRef) -> Option<Vec<u64>> {
    message.poll.as_ref()?.final_counts()
}
