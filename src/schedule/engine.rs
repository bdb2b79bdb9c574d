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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::{broadcast, mpsc, Mutex};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::deck;
use super::when::{parse_zone, Occurrence, Schedule};
use crate::clock::SharedClock;
use crate::config::TipsConfig;
use crate::content::Content;
use crate::discord::rest::RestError;
use crate::reply::{tip_embed, Reply};
use crate::retry::{self, GaveUp, Stop, StopSender};
use crate::store::{Claim, LogEntry, LogStatus, Store, StoreError, TipSettings};

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
}

/// What the scheduler needs.
#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub clock: SharedClock,
    pub content: Arc<ArcSwap<Content>>,
    pub poster: Arc<dyn Poster>,
    pub config: TipsConfig,
}

/// What the scheduler did, for tests, logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TipEvent {
    /// A server's next due instant (none: paused, removed, or zone unknown).
    Planned { guild: u64, next: Option<Timestamp> },
    /// A day's tip was posted; `late` when after its due minute (catch-up or retries).
    Posted {
        guild: u64,
        date: jiff::civil::Date,
        message_id: u64,
        late: bool,
    },
    /// A day was skipped on purpose.
    Skipped { guild: u64, date: jiff::civil::Date },
    /// A day was missed: the bot was down past the catch-up window.
    Missed { guild: u64, date: jiff::civil::Date },
    /// A day's tip could not be posted.
    Failed {
        guild: u64,
        date: jiff::civil::Date,
        detail: String,
    },
}

/// Events kept for slow listeners before the oldest are dropped.
const EVENT_BUFFER: usize = 4096;

enum Command {
    /// A server's settings changed (or were removed): plan it again.
    Changed(u64),
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
pub struct TipScheduler {
    commands: mpsc::UnboundedSender<Command>,
    events: broadcast::Sender<TipEvent>,
}

impl TipScheduler {
    /// Starts the scheduler task. The receiver hears every event from the first one on,
    /// recovery of a previous run's claims included.
    /// Creates the handle and the task, not started yet: subscribe every listener that must
    /// hear from the first event on, then call [`Unstarted::start`].
    pub fn new(deps: Deps) -> (TipScheduler, Unstarted) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let task = Engine::new(deps, events.clone());
        let handle = TipScheduler {
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
        TipScheduler,
        tokio::task::JoinHandle<()>,
        broadcast::Receiver<TipEvent>,
    ) {
        let (handle, unstarted) = TipScheduler::new(deps);
        let events = handle.subscribe();
        (handle, unstarted.start(), events)
    }

    /// Everything the scheduler does from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<TipEvent> {
        self.events.subscribe()
    }

    /// Re-plans a server after its settings changed.
    pub fn changed(&self, guild_id: u64) {
        // Fails only when the scheduler has stopped, when nothing is left to plan.
        let _ = self.commands.send(Command::Changed(guild_id));
    }

    /// Asks the scheduler to stop after the posts in flight.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
    }
}

/// Spaces posts evenly: one slot every `1/rate` seconds, first come first served.
struct Pacer {
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

    async fn slot(&self) {
        self.interval.lock().await.tick().await;
    }
}

/// A queue entry: when, which server, and which plan of it (older plans are stale).
type Due = Reverse<(Timestamp, u64, u64)>;

struct Engine {
    deps: Deps,
    events: broadcast::Sender<TipEvent>,
    stop_sender: StopSender,
    stop: Stop,
    pacer: Arc<Pacer>,
    queue: BinaryHeap<Due>,
    generation: HashMap<u64, u64>,
    busy: HashSet<u64>,
    jobs: JoinSet<u64>,
}

impl Engine {
    fn new(deps: Deps, events: broadcast::Sender<TipEvent>) -> Engine {
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
            warn!(%error, "the daily-tip scheduler could not read the database; tips are paused until restart");
            return;
        }
        loop {
            let next = self.queue.peek().map(|Reverse((at, _, _))| *at);
            let sleep = next.map(|at| self.deps.clock.sleep_until(at));
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::Changed(guild)) => self.plan_logged(guild).await,
                    Some(Command::Shutdown) | None => break,
                },
                Some(done) = self.jobs.join_next(), if !self.jobs.is_empty() => {
                    if let Ok(guild) = done {
                        self.busy.remove(&guild);
                        self.plan_logged(guild).await;
                    }
                }
                () = async { if let Some(sleep) = sleep { sleep.await } }, if next.is_some() => self.dispatch_due(),
            }
        }
        // Jobs waiting to retry end now (their claims are recovered at the next start);
        // requests already on their way to Discord finish and are logged.
        self.stop_sender.stop();
        while self.jobs.join_next().await.is_some() {}
        debug!("daily-tip scheduler stopped");
    }

    /// Recovers claims left by a previous run, then plans every server.
    async fn start(&mut self) -> Result<(), StoreError> {
        for entry in self.deps.store.sending().await? {
            info!(guild = entry.guild_id, date = %entry.local_date, "recovering a tip that was being sent when the bot stopped");
            self.busy.insert(entry.guild_id);
            let job = Job::new(self);
            self.jobs.spawn(async move {
                let guild = entry.guild_id;
                job.logged(job.recover(entry)).await;
                guild
            });
        }
        let settings = self.deps.store.all_tip_settings().await?;
        info!(servers = settings.len(), "daily-tip scheduler started");
        for server in settings {
            self.plan(server.guild_id, Some(server)).await?;
        }
        Ok(())
    }

    async fn plan_logged(&mut self, guild: u64) {
        let settings = match self.deps.store.tip_settings(guild).await {
            Ok(settings) => settings,
            Err(error) => {
                warn!(guild, %error, "cannot read tip settings");
                return;
            }
        };
        if let Err(error) = self.plan(guild, settings).await {
            warn!(guild, %error, "cannot plan the daily tip");
        }
    }

    /// Puts a server's next due instant in the queue (replacing any earlier plan). A day
    /// missed beyond the catch-up window is recorded as missed.
    async fn plan(&mut self, guild: u64, settings: Option<TipSettings>) -> Result<(), StoreError> {
        let generation = self.generation.entry(guild).or_default();
        *generation += 1;
        let generation = *generation;
        let Some(settings) = settings.filter(|s| !s.paused) else {
            self.emit(TipEvent::Planned { guild, next: None });
            return Ok(());
        };
        if self.busy.contains(&guild) {
            return Ok(()); // planned again when its job ends
        }
        let Some(schedule) = schedule_of(&settings) else {
            self.emit(TipEvent::Planned { guild, next: None });
            return Ok(());
        };
        let now = self.deps.clock.now();
        let owed = owed_occurrence(&schedule, &settings, now);
        if let Some(owed) = owed {
            if self.deps.store.log_entry(guild, owed.date).await?.is_none() {
                if within_catch_up(owed.at, now, &self.deps.config) {
                    self.queue.push(Reverse((now, guild, generation)));
                    self.emit(TipEvent::Planned {
                        guild,
                        next: Some(now),
                    });
                    return Ok(());
                }
                let detail = format!(
                    "the bot was not running from the due time until more than {} hours later",
                    self.deps.config.catch_up_hours
                );
                if self
                    .deps
                    .store
                    .record_without_post(guild, owed.date, LogStatus::Missed, &detail, owed.at, now)
                    .await?
                {
                    warn!(guild, date = %owed.date, "daily tip missed: the bot was down past the catch-up window");
                    self.emit(TipEvent::Missed {
                        guild,
                        date: owed.date,
                    });
                }
            }
        }
        let next = schedule.next_after(now);
        if let Some(next) = next {
            self.queue.push(Reverse((next.at, guild, generation)));
        }
        self.emit(TipEvent::Planned {
            guild,
            next: next.map(|n| n.at),
        });
        Ok(())
    }

    fn emit(&self, event: TipEvent) {
        // No listener is fine.
        let _ = self.events.send(event);
    }

    /// Starts a job for every server due now.
    fn dispatch_due(&mut self) {
        let now = self.deps.clock.now();
        while let Some(Reverse((at, guild, generation))) = self.queue.peek().copied() {
            if at > now {
                break;
            }
            self.queue.pop();
            if self.generation.get(&guild) != Some(&generation) || !self.busy.insert(guild) {
                continue; // stale plan, or a job already running
            }
            let job = Job::new(self);
            self.jobs.spawn(async move {
                job.logged(job.deliver(guild)).await;
                guild
            });
        }
    }
}

/// The zone-aware schedule of a server, if its zone still exists.
fn schedule_of(settings: &TipSettings) -> Option<Schedule> {
    match parse_zone(&settings.zone) {
        Ok((_, zone)) => Some(Schedule {
            time: settings.time,
            zone,
            days: settings.days,
        }),
        Err(error) => {
            warn!(guild = settings.guild_id, %error, "stored time zone is unknown; no tips until it is set again");
            None
        }
    }
}

/// The latest occurrence at or before `now` that the server is owed (set up by then).
fn owed_occurrence(
    schedule: &Schedule,
    settings: &TipSettings,
    now: Timestamp,
) -> Option<Occurrence> {
    schedule
        .latest_at_or_before(now)
        .filter(|occurrence| occurrence.at >= settings.active_since)
}

fn catch_up(config: &TipsConfig) -> SignedDuration {
    SignedDuration::from_hours(i64::from(config.catch_up_hours))
}

fn within_catch_up(due: Timestamp, now: Timestamp, config: &TipsConfig) -> bool {
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
    let owed = owed_occurrence(&schedule, settings, now)
        .filter(|o| !done(o.date) && within_catch_up(o.at, now, config));
    let mut next = owed.or_else(|| schedule.next_after(now))?;
    while done(next.date) {
        next = schedule.next_after(next.at)?;
    }
    Some(next)
}

/// One server's delivery: everything a job needs, cloned out of the engine.
struct Job {
    deps: Deps,
    pacer: Arc<Pacer>,
    events: broadcast::Sender<TipEvent>,
    stop: Stop,
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

    async fn logged(&self, work: impl Future<Output = Result<Option<TipEvent>, StoreError>>) {
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

    /// Posts the tip a server is owed now, if any.
    async fn deliver(&self, guild: u64) -> Result<Option<TipEvent>, StoreError> {
        let store = &self.deps.store;
        let now = self.deps.clock.now();
        let Some(mut settings) = store.tip_settings(guild).await?.filter(|s| !s.paused) else {
            return Ok(None);
        };
        let Some(schedule) = schedule_of(&settings) else {
            return Ok(None);
        };
        let Some(occurrence) = owed_occurrence(&schedule, &settings, now)
            .filter(|o| within_catch_up(o.at, now, &self.deps.config))
        else {
            return Ok(None);
        };
        if store.log_entry(guild, occurrence.date).await?.is_some() {
            return Ok(None);
        }
        if settings.skip_date == Some(occurrence.date) {
            store
                .record_without_post(
                    guild,
                    occurrence.date,
                    LogStatus::Skipped,
                    "skipped with /tips skip",
                    occurrence.at,
                    now,
                )
                .await?;
            settings.skip_date = None;
            store.save_tip_settings(&settings, now).await?;
            info!(guild, date = %occurrence.date, "daily tip skipped as asked");
            return Ok(Some(TipEvent::Skipped {
                guild,
                date: occurrence.date,
            }));
        }
        // The claim says "being sent now", so it is made only once this job's turn to post
        // has come: a crash then leaves at most the few claims really under way.
        self.pacer.slot().await;
        let now = self.deps.clock.now();
        let content = self.deps.content.load_full();
        let cycle = store.latest_cycle(guild).await?;
        let shown = store.tips_in_cycle(guild, cycle).await?;
        let shown = shown.iter().map(String::as_str).collect();
        let (cycle, tip) = deck::next_tip(&content, guild, cycle, &shown);
        let claim = Claim {
            guild_id: guild,
            local_date: occurrence.date,
            tip_id: tip.id.to_string(),
            cycle,
            channel_id: settings.channel_id,
            due_at: occurrence.at,
        };
        if !store.claim(&claim, now).await? {
            return Ok(None);
        }
        let paced = AtomicBool::new(true);
        self.send(
            &settings,
            &claim.tip_id,
            occurrence.date,
            occurrence.at,
            &paced,
        )
        .await
    }

    /// Finishes a claim left `sending` by a previous run: record the message if it arrived,
    /// send it if it did not.
    async fn recover(&self, entry: LogEntry) -> Result<Option<TipEvent>, StoreError> {
        let now = self.deps.clock.now();
        let Some(settings) = self.deps.store.tip_settings(entry.guild_id).await? else {
            return self
                .fail(
                    entry.guild_id,
                    entry.local_date,
                    "the server's tip settings were removed",
                )
                .await;
        };
        let content = self.deps.content.load_full();
        let (Some(tip_id), Some(channel)) = (entry.tip_id.as_deref(), entry.channel_id) else {
            return self
                .fail(entry.guild_id, entry.local_date, "incomplete claim")
                .await;
        };
        let title = content
            .tip(tip_id)
            .map(|t| t.title.to_string())
            .unwrap_or_default();
        let since = entry
            .recorded_at
            .saturating_sub(SignedDuration::from_mins(1))
            .unwrap_or(entry.recorded_at);
        let deadline = entry
            .due_at
            .saturating_add(catch_up(&self.deps.config))
            .unwrap_or(Timestamp::MAX);
        let found = retry::until_deadline(
            self.deps.clock.as_ref(),
            deadline,
            &self.stop,
            || async {
                self.pacer.slot().await;
                self.deps.poster.find_own(channel, since, &title).await
            },
            |error, wait| debug!(guild = entry.guild_id, %error, ?wait, "cannot check the channel yet"),
        )
        .await;
        match found {
            Ok(Some(message_id)) => {
                info!(guild = entry.guild_id, date = %entry.local_date, "the tip had been posted before the stop; recorded it");
                self.deps
                    .store
                    .mark_posted(entry.guild_id, entry.local_date, message_id, now)
                    .await?;
                Ok(Some(TipEvent::Posted {
                    guild: entry.guild_id,
                    date: entry.local_date,
                    message_id,
                    late: true,
                }))
            }
            Ok(None) => {
                let mut settings = settings;
                settings.channel_id = channel;
                self.send(
                    &settings,
                    tip_id,
                    entry.local_date,
                    entry.due_at,
                    &AtomicBool::new(false),
                )
                .await
            }
            Err(GaveUp::Stopped(_)) => Ok(None),
            Err(gave_up) => {
                let detail = format!(
                    "could not check whether the tip had arrived: {}",
                    gave_up.error().explain()
                );
                self.fail(entry.guild_id, entry.local_date, &detail).await
            }
        }
    }

    async fn fail(
        &self,
        guild: u64,
        date: jiff::civil::Date,
        detail: &str,
    ) -> Result<Option<TipEvent>, StoreError> {
        warn!(guild, %date, reason = detail, "daily tip not posted");
        self.deps
            .store
            .mark_failed(guild, date, detail, self.deps.clock.now())
            .await?;
        Ok(Some(TipEvent::Failed {
            guild,
            date,
            detail: detail.to_string(),
        }))
    }

    /// Sends a claimed tip with retries until the catch-up window closes, and logs the end.
    /// `paced` is true when the caller already holds a pacer slot for the first attempt.
    async fn send(
        &self,
        settings: &TipSettings,
        tip_id: &str,
        date: jiff::civil::Date,
        due_at: Timestamp,
        paced: &AtomicBool,
    ) -> Result<Option<TipEvent>, StoreError> {
        let guild = settings.guild_id;
        let content = self.deps.content.load_full();
        let Some(tip) = content.tip(tip_id) else {
            return self
                .fail(guild, date, "the tip is no longer in the content")
                .await;
        };
        let reply = tip_message(&content, tip, settings.role_id);
        let deadline = due_at
            .saturating_add(catch_up(&self.deps.config))
            .unwrap_or(Timestamp::MAX);
        let result = retry::until_deadline(
            self.deps.clock.as_ref(),
            deadline,
            &self.stop,
            || async {
                if !paced.swap(false, Ordering::Relaxed) {
                    self.pacer.slot().await;
                }
                self.deps
                    .poster
                    .post(settings.channel_id, &reply, settings.role_id)
                    .await
            },
            |error, wait| debug!(guild, %error, ?wait, "daily tip not accepted yet; retrying"),
        )
        .await;
        let now = self.deps.clock.now();
        match result {
            Ok(message_id) => {
                self.deps
                    .store
                    .mark_posted(guild, date, message_id, now)
                    .await?;
                let late = now.duration_since(due_at) >= SignedDuration::from_mins(1);
                info!(guild, %date, tip = tip_id, late, "daily tip posted");
                if settings.thread {
                    if let Err(error) = self
                        .deps
                        .poster
                        .start_thread(settings.channel_id, message_id, &thread_name(&tip.title))
                        .await
                    {
                        warn!(guild, %error, "could not open a thread on the tip");
                    }
                }
                Ok(Some(TipEvent::Posted {
                    guild,
                    date,
                    message_id,
                    late,
                }))
            }
            Err(GaveUp::Stopped(_)) => {
                info!(guild, %date, "shutting down while the tip waits to be retried; it is sent at the next start");
                Ok(None)
            }
            Err(GaveUp::Refused(error)) => self.fail(guild, date, &error.explain()).await,
            Err(GaveUp::OutOfTime(error)) => {
                let detail =
                    format!("Discord kept failing until the catch-up window closed ({error})");
                self.fail(guild, date, &detail).await
            }
        }
    }
}

/// The tip as posted: the embed, with the role mention above it when one is set.
fn tip_message(content: &Content, tip: &crate::content::Tip, role: Option<u64>) -> Reply {
    Reply {
        text: role.map(|role| format!("<@&{role}>")),
        ..Reply::embed(tip_embed(content, tip))
    }
}

/// Thread names are at most 100 characters.
fn thread_name(title: &str) -> String {
    crate::reply::clip(title, 100)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
