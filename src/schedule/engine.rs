//! The scheduler: one task, one time-ordered queue of next-due instants, and a delivery job
//! per due server.
//!
//! The task sleeps until the earliest instant in the queue (on the injected clock) or until a
//! server's settings change; it never polls every server. Each due server gets its own job, so
//! a server whose channel is failing never delays another; jobs share one pacer, so when many
//! servers are due in the same minute the posts leave at a steady rate under Discord's global
//! limit instead of in one burst.
//!
//! ## Exactly once
//!
//! The post log (one row per server and local date) decides. A job first *claims* the day by
//! inserting a `sending` row, then sends, then marks the row `posted` with the message id.
//! If the process dies between Discord accepting the message and that last write (a window of
//! one local SQLite write, well under a millisecond), the row is still `sending` at the next
//! start; recovery then looks in the channel for the bot's message with that tip's title
//! posted after the claim. Found: the row is marked `posted` and nothing is sent. Not found:
//! the tip is sent (still inside the catch-up window). Claiming before sending is the right
//! order because the reverse (send, then log) would make that same crash post the tip a
//! second time after the restart, with nothing to tell it had already gone out.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::{broadcast, mpsc, Mutex};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use crate::clock::SharedClock;
use crate::config::TipsConfig;
use crate::content::Content;
use crate::discord::rest::RestError;
use crate::polls::PollKeeper;
use crate::reply::poll::PollSpec;
use crate::reply::Reply;
use crate::retry::{Stop, StopSender};
use crate::store::{LogStatus, PollSchedule, Store, StoreError, TipSettings};
use crate::when::{Days, Occurrence, Schedule};

/// A boxed future, for the object-safe [`Poster`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How the scheduler reaches Discord.
pub trait Poster: Send + Sync + 'static {
    /// Posts a tip; `role` is mentioned (and the only mention allowed). Returns the message id.
    fn post<'a>(
        &'a self,
        channel_id: u64,
        tip: &'a Reply,
        role: Option<u64>,
    ) -> BoxFuture<'a, Result<u64, RestError>>;
    /// The id of a message the bot posted in `channel_id` after `since` with an embed titled
    /// `title`, if there is one.
    fn find_own<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>>;
    /// Opens a discussion thread on a posted tip.
    fn start_thread<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), RestError>>;
    /// Posts a native poll running for `duration`. Returns the message id.
    fn post_poll<'a>(
        &'a self,
        channel_id: u64,
        poll: &'a PollSpec,
        duration: Duration,
    ) -> BoxFuture<'a, Result<u64, RestError>>;
    /// The id of a poll the bot posted in `channel_id` after `since` asking `question`.
    fn find_own_poll<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>>;
}

/// What the scheduler needs.
#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub clock: SharedClock,
    pub content: Arc<ArcSwap<Content>>,
    pub poster: Arc<dyn Poster>,
    pub config: TipsConfig,
    /// Where weekly polls go once posted, to be closed and recapped.
    pub polls: Option<PollKeeper>,
}

/// What the scheduler does for a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Duty {
    /// The daily tip.
    Tip,
    /// The weekly poll.
    Poll,
}

/// What the scheduler did, for tests, logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleEvent {
    /// A server's next tip (none: paused, removed, or zone unknown).
    Planned { guild: u64, next: Option<Timestamp> },
    /// A day's tip was posted; `late` when after its due minute (catch-up or retries).
    Posted {
        guild: u64,
        date: Date,
        message_id: u64,
        late: bool,
    },
    /// A day was skipped on purpose.
    Skipped { guild: u64, date: Date },
    /// A day was missed: the bot was down past the catch-up window.
    Missed { guild: u64, date: Date },
    /// A day's tip could not be posted.
    Failed {
        guild: u64,
        date: Date,
        detail: String,
    },
    /// A server's next weekly poll (none: unscheduled).
    PollPlanned { guild: u64, next: Option<Timestamp> },
    /// A week's poll was posted.
    PollPosted {
        guild: u64,
        date: Date,
        message_id: u64,
    },
    /// A week's poll was missed: the bot was down past the catch-up window.
    PollMissed { guild: u64, date: Date },
    /// A week's poll could not be posted.
    PollFailed {
        guild: u64,
        date: Date,
        detail: String,
    },
}

impl ScheduleEvent {
    fn planned(duty: Duty, guild: u64, next: Option<Timestamp>) -> ScheduleEvent {
        match duty {
            Duty::Tip => ScheduleEvent::Planned { guild, next },
            Duty::Poll => ScheduleEvent::PollPlanned { guild, next },
        }
    }

    fn missed(duty: Duty, guild: u64, date: Date) -> ScheduleEvent {
        match duty {
            Duty::Tip => ScheduleEvent::Missed { guild, date },
            Duty::Poll => ScheduleEvent::PollMissed { guild, date },
        }
    }
}

/// Events kept for slow listeners before the oldest are dropped.
const EVENT_BUFFER: usize = 4096;

enum Command {
    /// A server's settings for a duty changed (or were removed): plan it again.
    Changed(u64, Duty),
    /// Stop: dispatch nothing new, let jobs in flight finish.
    Shutdown,
}

/// The task, created but not running yet.
pub struct Unstarted {
    task: Engine,
    commands: mpsc::UnboundedReceiver<Command>,
}

impl Unstarted {
    pub fn start(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.task.run(self.commands))
    }
}

/// The handle commands use to tell the scheduler about changes.
#[derive(Clone)]
pub struct Scheduler {
    commands: mpsc::UnboundedSender<Command>,
    events: broadcast::Sender<ScheduleEvent>,
}

impl Scheduler {
    /// Creates the handle and the task, not started yet: subscribe every listener that must
    /// hear from the first event on, then call [`Unstarted::start`].
    pub fn new(deps: Deps) -> (Scheduler, Unstarted) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let task = Engine::new(deps, events.clone());
        let handle = Scheduler {
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
        deps: Deps,
    ) -> (
        Scheduler,
        tokio::task::JoinHandle<()>,
        broadcast::Receiver<ScheduleEvent>,
    ) {
        let (handle, unstarted) = Scheduler::new(deps);
        let events = handle.subscribe();
        (handle, unstarted.start(), events)
    }

    /// Everything the scheduler does from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ScheduleEvent> {
        self.events.subscribe()
    }

    /// Re-plans a server's daily tip after its settings changed.
    pub fn changed(&self, guild_id: u64) {
        // Fails only when the scheduler has stopped, when nothing is left to plan.
        let _ = self.commands.send(Command::Changed(guild_id, Duty::Tip));
    }

    /// Re-plans a server's weekly poll after it was scheduled, changed or removed.
    pub fn poll_schedule_changed(&self, guild_id: u64) {
        let _ = self.commands.send(Command::Changed(guild_id, Duty::Poll));
    }

    /// Asks the scheduler to stop after the posts in flight.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
    }
}

/// Spaces posts evenly: one slot every `1/rate` seconds, first come first served. Tips and
/// polls share it, as they share Discord's global limit.
pub(super) struct Pacer {
    interval: Mutex<tokio::time::Interval>,
}

impl Pacer {
    fn new(per_second: u32) -> Pacer {
        let period = Duration::from_secs(1) / per_second.max(1);
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Pacer {
            interval: Mutex::new(interval),
        }
    }

    pub(super) async fn slot(&self) {
        self.interval.lock().await.tick().await;
    }
}

/// A server and one of its duties: what the queue holds and jobs run for.
type Key = (u64, Duty);

/// A queue entry: when, for what, and which plan of it (older plans are stale).
type Due = Reverse<(Timestamp, Key, u64)>;

/// What planning needs to know of a duty's settings.
struct PlanView {
    schedule: Schedule,
    active_since: Timestamp,
}

struct Engine {
    deps: Deps,
    events: broadcast::Sender<ScheduleEvent>,
    stop_sender: StopSender,
    stop: Stop,
    pacer: Arc<Pacer>,
    queue: BinaryHeap<Due>,
    generation: HashMap<Key, u64>,
    busy: HashSet<Key>,
    jobs: JoinSet<Key>,
}

impl Engine {
    fn new(deps: Deps, events: broadcast::Sender<ScheduleEvent>) -> Engine {
        let pacer = Arc::new(Pacer::new(deps.config.posts_per_second));
        let (stop_sender, stop) = Stop::new();
        Engine {
            deps,
            events,
            stop_sender,
            stop,
            pacer,
            queue: BinaryHeap::new(),
            generation: HashMap::new(),
            busy: HashSet::new(),
            jobs: JoinSet::new(),
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        if let Err(error) = self.start().await {
            warn!(%error, "the scheduler could not read the database; tips and weekly polls are paused until restart");
            return;
        }
        loop {
            let next = self.queue.peek().map(|Reverse((at, _, _))| *at);
            let sleep = next.map(|at| self.deps.clock.sleep_until(at));
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::Changed(guild, duty)) => self.plan_logged((guild, duty)).await,
                    Some(Command::Shutdown) | None => break,
                },
                Some(done) = self.jobs.join_next(), if !self.jobs.is_empty() => {
                    if let Ok(key) = done {
                        self.busy.remove(&key);
                        self.plan_logged(key).await;
                    }
                }
                () = async { if let Some(sleep) = sleep { sleep.await } }, if next.is_some() => self.dispatch_due(),
            }
        }
        // Jobs waiting to retry end now (their claims are recovered at the next start);
        // requests already on their way to Discord finish and are logged.
        self.stop_sender.stop();
        while self.jobs.join_next().await.is_some() {}
        debug!("scheduler stopped");
    }

    /// Recovers claims left by a previous run, then plans every server's duties.
    async fn start(&mut self) -> Result<(), StoreError> {
        for entry in self.deps.store.sending().await? {
            info!(guild = entry.guild_id, date = %entry.local_date, "recovering a tip that was being sent when the bot stopped");
            let key = (entry.guild_id, Duty::Tip);
            self.busy.insert(key);
            let job = Job::new(self);
            self.jobs.spawn(async move {
                job.logged(job.recover(entry)).await;
                key
            });
        }
        for entry in self.deps.store.sending_scheduled_polls().await? {
            info!(guild = entry.guild_id, date = %entry.local_date, "recovering a weekly poll that was being posted when the bot stopped");
            let key = (entry.guild_id, Duty::Poll);
            self.busy.insert(key);
            let job = Job::new(self);
            self.jobs.spawn(async move {
                job.logged(job.recover_poll(entry)).await;
                key
            });
        }
        let tips = self.deps.store.all_tip_settings().await?;
        let polls = self.deps.store.all_poll_schedules().await?;
        info!(
            tips = tips.len(),
            weekly_polls = polls.len(),
            "scheduler started"
        );
        for server in tips {
            self.plan((server.guild_id, Duty::Tip)).await?;
        }
        for server in polls {
            self.plan((server.guild_id, Duty::Poll)).await?;
        }
        Ok(())
    }

    async fn plan_logged(&mut self, key: Key) {
        if let Err(error) = self.plan(key).await {
            warn!(guild = key.0, duty = ?key.1, %error, "cannot plan");
        }
    }

    /// What the planner needs of a duty's settings; `None` when there is nothing to plan
    /// (not set up, paused, or a zone that no longer exists).
    async fn view(&self, (guild, duty): Key) -> Result<Option<PlanView>, StoreError> {
        let store = &self.deps.store;
        Ok(match duty {
            Duty::Tip => store
                .tip_settings(guild)
                .await?
                .filter(|s| !s.paused)
                .and_then(|s| {
                    Some(PlanView {
                        schedule: schedule_of(&s)?,
                        active_since: s.active_since,
                    })
                }),
            Duty::Poll => store.poll_schedule(guild).await?.and_then(|p| {
                Some(PlanView {
                    schedule: weekly_schedule_of(&p)?,
                    active_since: p.active_since,
                })
            }),
        })
    }

    async fn logged(&self, (guild, duty): Key, date: Date) -> Result<bool, StoreError> {
        let store = &self.deps.store;
        Ok(match duty {
            Duty::Tip => store.log_entry(guild, date).await?.is_some(),
            Duty::Poll => store.poll_log_entry(guild, date).await?.is_some(),
        })
    }

    async fn record_missed(
        &self,
        (guild, duty): Key,
        occurrence: Occurrence,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let store = &self.deps.store;
        let detail = format!(
            "the bot was not running from the due time until more than {} hours later",
            self.deps.config.catch_up_hours
        );
        match duty {
            Duty::Tip => {
                store
                    .record_without_post(
                        guild,
                        occurrence.date,
                        LogStatus::Missed,
                        &detail,
                        occurrence.at,
                        now,
                    )
                    .await
            }
            Duty::Poll => {
                store
                    .record_poll_missed(guild, occurrence.date, &detail, occurrence.at, now)
                    .await
            }
        }
    }

    /// Puts a duty's next due instant in the queue (replacing any earlier plan). A day missed
    /// beyond the catch-up window is recorded as missed.
    async fn plan(&mut self, key: Key) -> Result<(), StoreError> {
        let (guild, duty) = key;
        let generation = self.generation.entry(key).or_default();
        *generation += 1;
        let generation = *generation;
        if self.busy.contains(&key) {
            return Ok(()); // planned again when its job ends
        }
        let Some(view) = self.view(key).await? else {
            self.emit(ScheduleEvent::planned(duty, guild, None));
            return Ok(());
        };
        let now = self.deps.clock.now();
        if let Some(owed) = owed_occurrence(&view.schedule, view.active_since, now) {
            if !self.logged(key, owed.date).await? {
                if within_catch_up(owed.at, now, &self.deps.config) {
                    self.queue.push(Reverse((now, key, generation)));
                    self.emit(ScheduleEvent::planned(duty, guild, Some(now)));
                    return Ok(());
                }
                if self.record_missed(key, owed, now).await? {
                    warn!(guild, ?duty, date = %owed.date, "missed: the bot was down past the catch-up window");
                    self.emit(ScheduleEvent::missed(duty, guild, owed.date));
                }
            }
        }
        let next = view.schedule.next_after(now);
        if let Some(next) = next {
            self.queue.push(Reverse((next.at, key, generation)));
        }
        self.emit(ScheduleEvent::planned(duty, guild, next.map(|n| n.at)));
        Ok(())
    }

    fn emit(&self, event: ScheduleEvent) {
        // No listener is fine.
        let _ = self.events.send(event);
    }

    /// Starts a job for every duty due now.
    fn dispatch_due(&mut self) {
        let now = self.deps.clock.now();
        while let Some(Reverse((at, key, generation))) = self.queue.peek().copied() {
            if at > now {
                break;
            }
            self.queue.pop();
            if self.generation.get(&key) != Some(&generation) || !self.busy.insert(key) {
                continue; // stale plan, or a job already running
            }
            let job = Job::new(self);
            self.jobs.spawn(async move {
                match key.1 {
                    Duty::Tip => job.logged(job.deliver(key.0)).await,
                    Duty::Poll => job.logged(job.deliver_poll(key.0)).await,
                }
                key
            });
        }
    }
}

/// When a weekly poll is next posted, for the answer to `/polls schedule`.
pub fn next_weekly_poll(poll: &PollSchedule, now: Timestamp) -> Option<Timestamp> {
    weekly_schedule_of(poll)?.next_after(now).map(|o| o.at)
}

/// The weekly schedule of a server's poll.
pub(super) fn weekly_schedule_of(poll: &PollSchedule) -> Option<Schedule> {
    Some(Schedule {
        time: poll.time,
        zone: poll.zone.clone(),
        days: Days::Weekly(poll.weekday),
    })
}

/// The zone-aware schedule of a server.
pub(super) fn schedule_of(settings: &TipSettings) -> Option<Schedule> {
    Some(Schedule {
        time: settings.time,
        zone: settings.zone.clone(),
        days: settings.days,
    })
}

/// The latest occurrence at or before `now` that the server is owed (set up by then).
pub(super) fn owed_occurrence(
    schedule: &Schedule,
    active_since: Timestamp,
    now: Timestamp,
) -> Option<Occurrence> {
    schedule
        .latest_at_or_before(now)
        .filter(|occurrence| occurrence.at >= active_since)
}

pub(super) fn catch_up(config: &TipsConfig) -> SignedDuration {
    SignedDuration::from_hours(i64::from(config.catch_up_hours))
}

pub(super) fn within_catch_up(due: Timestamp, now: Timestamp, config: &TipsConfig) -> bool {
    now.duration_since(due) <= catch_up(config)
}

/// The next moment a server's tip will be posted, as `/tips status` and `/tips setup` show it:
/// a day owed now (inside the catch-up window) counts as now; a day marked to skip does not
/// count.
pub fn next_post(
    settings: &TipSettings,
    logged: impl Fn(jiff::civil::Date) -> bool,
    now: Timestamp,
    config: &TipsConfig,
) -> Option<Occurrence> {
    if settings.paused {
        return None;
    }
    let schedule = schedule_of(settings)?;
    let done = |date| logged(date) || settings.skip_date == Some(date);
    let owed = owed_occurrence(&schedule, settings.active_since, now)
        .filter(|o| !done(o.date) && within_catch_up(o.at, now, config));
    let mut next = owed.or_else(|| schedule.next_after(now))?;
    while done(next.date) {
        next = schedule.next_after(next.at)?;
    }
    Some(next)
}

/// One server's delivery: everything a job needs, cloned out of the engine.
pub(super) struct Job {
    pub(super) deps: Deps,
    pub(super) pacer: Arc<Pacer>,
    pub(super) events: broadcast::Sender<ScheduleEvent>,
    pub(super) stop: Stop,
}

impl Job {
    fn new(engine: &Engine) -> Job {
        Job {
            deps: engine.deps.clone(),
            pacer: engine.pacer.clone(),
            events: engine.events.clone(),
            stop: engine.stop.clone(),
        }
    }

    async fn logged(&self, work: impl Future<Output = Result<Option<ScheduleEvent>, StoreError>>) {
        match work.await {
            Ok(Some(event)) => {
                // No listener is fine.
                let _ = self.events.send(event);
            }
            Ok(None) => {}
            Err(error) => {
                warn!(%error, "daily tip: database error; the tip will be retried at the next start")
            }
        }
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "engine_props.rs"]
mod props;
