//! The scheduler: one task, one time-ordered queue of (server, duty) next-due instants, and a
//! delivery job per due key.
//!
//! The task sleeps until the earliest instant in the queue (on the injected clock) or until a
//! server's settings change; it never polls every server. Each due key gets its own job, so a
//! server whose channel is failing never delays another; jobs share one pacer. What a job
//! does is the same for every duty (`delivery.rs`); what differs per duty is in its own file.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use super::delivery::{missed, owed_occurrence, within_catch_up, Delivery, Outcome, Runner};
use super::digest::Digest;
use super::duty::{Ctx, Duty};
use super::pacer::Pacer;
use super::pulse::{PulseOpen, PulseResult};
use super::pulse_reminder::PulseReminder;
use super::tip::Tip;
use super::weekly_poll::WeeklyPoll;
use crate::clock::SharedClock;
use crate::config::ScheduleConfig;
use crate::live::LiveContent;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::shards::Ownership;
use crate::polls::Polls;
use crate::port::Poster;
use crate::store::{Store, StoreError};
use crate::tasks::{self, Control, DueQueue, Setbacks, Worker, EVENT_BUFFER};
use crate::when::{Occurrence, Timetable};

/// What the scheduler needs.
#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub clock: SharedClock,
    pub content: Arc<LiveContent>,
    pub poster: Arc<dyn Poster>,
    pub config: ScheduleConfig,
    /// The team pulse's settings.
    pub pulse: crate::config::PulseConfig,
    /// Opens weekly polls and hands them to the keeper to be closed and recapped.
    pub polls: Polls,
    /// The servers this process plans and recovers (those on its shards).
    pub ownership: Ownership,
}

/// What the scheduler did, for tests, logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleEvent {
    /// A server's next post of a duty (none: paused, removed).
    Planned {
        duty: DutyKind,
        guild: u64,
        next: Option<Timestamp>,
    },
    /// A day's post went out; `late` when after its due minute (catch-up or retries) or
    /// found after a restart.
    Posted {
        duty: DutyKind,
        guild: u64,
        date: Date,
        message_id: u64,
        late: bool,
    },
    /// A day was skipped on purpose.
    Skipped {
        duty: DutyKind,
        guild: u64,
        date: Date,
    },
    /// A day was missed: the bot was down past the catch-up window.
    Missed {
        duty: DutyKind,
        guild: u64,
        date: Date,
    },
    /// A day's post could not be made.
    Failed {
        duty: DutyKind,
        guild: u64,
        date: Date,
        detail: String,
    },
}

impl ScheduleEvent {
    /// The duty and server the event is about.
    pub fn key(&self) -> (DutyKind, u64) {
        match self {
            ScheduleEvent::Planned { duty, guild, .. }
            | ScheduleEvent::Posted { duty, guild, .. }
            | ScheduleEvent::Skipped { duty, guild, .. }
            | ScheduleEvent::Missed { duty, guild, .. }
            | ScheduleEvent::Failed { duty, guild, .. } => (*duty, *guild),
        }
    }
}

/// A server and one of its duties: what the queue holds and jobs run for.
type Key = (u64, DutyKind);

/// What commands ask of the scheduler.
enum Command {
    /// A server's settings for a duty changed: plan it again.
    Changed(Key),
    /// Post a duty now, outside its schedule, and say how it went.
    Now(Key, oneshot::Sender<Requested>),
}

/// How a post asked for now ([`Scheduler::post_now`]) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requested {
    /// What the engine did (posted, settled without a post, failed); `None` when nothing was
    /// sent: the duty is not set up or paused, or today's post is already in the log.
    Done(Option<ScheduleEvent>),
    /// A post of this duty is being sent for the server right now.
    Busy,
    /// The database failed; the words say how.
    Database(String),
    /// The scheduler has stopped (the bot is shutting down).
    Stopped,
}

/// The task, created but not running yet.
pub struct Unstarted {
    engine: Engine,
    commands: mpsc::UnboundedReceiver<Control<Command>>,
    stop: CancellationToken,
}

impl Unstarted {
    pub fn start(self) -> tokio::task::JoinHandle<()> {
        let clock = self.engine.ctx.clock.clone();
        tokio::spawn(async move {
            let mut engine = self.engine;
            let mut queue = DueQueue::new("scheduler");
            if !engine.start_waiting(&mut queue).await {
                return;
            }
            tasks::run(engine, queue, clock, self.commands, self.stop).await;
            debug!("scheduler stopped");
        })
    }
}

/// The handle commands use to tell the scheduler about changes.
#[derive(Clone)]
pub struct Scheduler {
    commands: mpsc::UnboundedSender<Control<Command>>,
    events: broadcast::Sender<ScheduleEvent>,
}

impl Scheduler {
    /// Creates the handle and the task, not started yet: subscribe every listener that must
    /// hear from the first event on, then call [`Unstarted::start`].
    pub fn new(deps: Deps) -> (Scheduler, Unstarted) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let stop_sender = CancellationToken::new();
        let stop = stop_sender.child_token();
        let engine = Engine::new(deps, events.clone(), stop);
        let handle = Scheduler {
            commands: sender,
            events,
        };
        (
            handle,
            Unstarted {
                engine,
                commands: receiver,
                stop: stop_sender,
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

    /// Plans a server's duty again after its settings changed (or were removed).
    pub fn changed(&self, duty: DutyKind, guild_id: u64) {
        // Fails only when the scheduler has stopped, when nothing is left to plan.
        let _ = self
            .commands
            .send(Control::Do(Command::Changed((guild_id, duty))));
    }

    /// Posts a server's duty now, through the same claim, record and recovery as a scheduled
    /// day (claimed under today's local date). Waits for the end, retries included: callers
    /// bound the wait.
    pub async fn post_now(&self, duty: DutyKind, guild_id: u64) -> Requested {
        let (answer, answered) = oneshot::channel();
        if self
            .commands
            .send(Control::Do(Command::Now((guild_id, duty), answer)))
            .is_err()
        {
            return Requested::Stopped;
        }
        answered.await.unwrap_or(Requested::Stopped)
    }

    /// Asks the scheduler to stop after the posts in flight.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Control::Shutdown);
    }
}

struct Engine {
    ctx: Arc<Ctx>,
    events: broadcast::Sender<ScheduleEvent>,
    runners: Vec<Arc<dyn Runner>>,
    ownership: Ownership,
    /// Duties whose job or planning failed on the database, to try again shortly.
    setbacks: Setbacks<Key>,
}

impl Engine {
    fn new(
        deps: Deps,
        events: broadcast::Sender<ScheduleEvent>,
        stop: CancellationToken,
    ) -> Engine {
        let ctx = Arc::new(Ctx {
            pacer: Pacer::new(
                share_of(deps.config.posts_per_second, deps.ownership),
                deps.clock.clone(),
            ),
            store: deps.store,
            clock: deps.clock,
            content: deps.content,
            config: deps.config,
            stop,
        });
        let runners: Vec<Arc<dyn Runner>> = vec![
            runner(
                &ctx,
                Tip {
                    poster: deps.poster.clone(),
                },
            ),
            runner(&ctx, WeeklyPoll { polls: deps.polls }),
            runner(
                &ctx,
                PulseOpen {
                    poster: deps.poster.clone(),
                    min_responses: deps.pulse.min_responses,
                },
            ),
            runner(
                &ctx,
                PulseResult {
                    poster: deps.poster.clone(),
                    min_responses: deps.pulse.min_responses,
                },
            ),
            runner(
                &ctx,
                PulseReminder {
                    poster: deps.poster.clone(),
                    min_responses: deps.pulse.min_responses,
                },
            ),
            runner(
                &ctx,
                Digest {
                    poster: deps.poster,
                    min_responses: deps.pulse.min_responses,
                },
            ),
        ];
        Engine {
            ctx,
            events,
            runners,
            ownership: deps.ownership,
            setbacks: Setbacks::default(),
        }
    }

    fn runner(&self, duty: DutyKind) -> Option<Arc<dyn Runner>> {
        self.runners.iter().find(|r| r.kind() == duty).cloned()
    }

    /// Recovers claims left by a previous run, then plans every server's duties: of the
    /// servers this process owns.
    async fn start(&mut self, queue: &mut DueQueue<Key>) -> Result<(), StoreError> {
        let ownership = self.ownership;
        let owns = move |guild: u64| ownership.owns(guild);
        // Work owed whatever is sent (a pulse past its close is closed and its answers
        // deleted) comes before anything is sent.
        for runner in &self.runners {
            runner.before_start(&owns).await?;
        }
        let now = self.ctx.clock.now();
        for runner in self.runners.clone() {
            let sending = self.ctx.store.sending_duties(runner.kind(), now).await?;
            for entry in sending.into_iter().filter(|e| owns(e.guild_id)) {
                info!(guild = entry.guild_id, date = %entry.local_date, duty = %runner.kind(), "recovering a post that was being sent when the bot stopped");
                let key = (entry.guild_id, runner.kind());
                let job = runner.clone().recover(entry);
                self.start_job(queue, key, job);
            }
        }
        for runner in self.runners.clone() {
            let mut servers = runner.servers().await?;
            servers.retain(|guild| owns(*guild));
            info!(duty = %runner.kind(), servers = servers.len(), "planning");
            for guild in servers {
                self.plan(queue, (guild, runner.kind())).await?;
            }
        }
        info!("scheduler started");
        Ok(())
    }

    /// [`Engine::start`] until the database answers (a server may be restarting), waiting a
    /// growing time between tries; `false` when asked to stop first.
    async fn start_waiting(&mut self, queue: &mut DueQueue<Key>) -> bool {
        let mut attempt = 0;
        loop {
            let Err(error) = self.start(queue).await else {
                return true;
            };
            let wait = crate::retry::backoff(attempt, crate::tasks::SETBACK_CAP, &mut rand::rng());
            attempt += 1;
            warn!(%error, ?wait, "the scheduler cannot read the database; trying again");
            tokio::select! {
                () = self.ctx.clock.sleep(SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX)) => {}
                () = self.ctx.stop.cancelled() => return false,
            }
        }
    }

    fn start_job(
        &self,
        queue: &mut DueQueue<Key>,
        key: Key,
        job: impl std::future::Future<Output = Outcome> + Send + 'static,
    ) {
        let events = self.events.clone();
        let (setbacks, clock) = (self.setbacks.clone(), self.ctx.clock.clone());
        queue.start(key, async move {
            match job.await {
                Ok(event) => {
                    setbacks.cleared(key);
                    if let Some(event) = event {
                        // No listener is fine.
                        let _ = events.send(event);
                    }
                }
                Err(error) => {
                    let again = setbacks.failed(key, clock.now());
                    warn!(guild = key.0, duty = %key.1, %error, %again, "database error; trying again")
                }
            }
        });
    }

    /// Starts a post asked for now; the job answers when it ends.
    fn post_requested(
        &self,
        queue: &mut DueQueue<Key>,
        key: Key,
        answer: oneshot::Sender<Requested>,
    ) {
        let Some(runner) = self.runner(key.1) else {
            let _ = answer.send(Requested::Done(None));
            return;
        };
        if queue.is_busy(key) {
            let _ = answer.send(Requested::Busy);
            return;
        }
        let job = async move {
            let outcome = runner.deliver_requested(key.0).await;
            let told = match &outcome {
                Ok(event) => Requested::Done(event.clone()),
                Err(error) => Requested::Database(error.to_string()),
            };
            // The asker may have stopped waiting; the post stands either way.
            let _ = answer.send(told);
            outcome
        };
        self.start_job(queue, key, job);
    }

    async fn plan_logged(&mut self, queue: &mut DueQueue<Key>, key: Key) {
        if let Err(error) = self.plan(queue, key).await {
            let again = self.setbacks.failed(key, self.ctx.clock.now());
            warn!(guild = key.0, duty = %key.1, %error, %again, "cannot plan; trying again");
            queue.plan(key, again);
        }
    }

    /// Puts a duty's next due instant in the queue (replacing any earlier plan). A day missed
    /// beyond the catch-up window is recorded as missed.
    async fn plan(&mut self, queue: &mut DueQueue<Key>, key: Key) -> Result<(), StoreError> {
        let (guild, duty) = key;
        queue.forget(key);
        if queue.is_busy(key) {
            return Ok(()); // planned again when its job ends
        }
        let Some(runner) = self.runner(duty) else {
            return Ok(());
        };
        let Some(view) = runner.view(guild).await? else {
            self.emit(ScheduleEvent::Planned {
                duty,
                guild,
                next: None,
            });
            return Ok(());
        };
        let ctx = &self.ctx;
        let now = ctx.clock.now();
        if let Some(owed) = owed_occurrence(&view.schedule, view.active_since, now) {
            let entry = ctx.store.duty_entry(duty, guild, owed.date).await?;
            // Claimed but not finished while no job runs for it: the job that claimed it
            // failed on the database, so delivering now finishes it (recovery looks first).
            if entry
                .as_ref()
                .is_some_and(|e| e.status == DutyStatus::Sending)
            {
                queue.plan(key, now);
                return Ok(());
            }
            if entry.is_none() {
                if within_catch_up(&ctx.config, owed.at, now) {
                    queue.plan(key, now);
                    self.emit(ScheduleEvent::Planned {
                        duty,
                        guild,
                        next: Some(now),
                    });
                    return Ok(());
                }
                let detail = missed(ctx).to_string();
                let recorded = ctx
                    .store
                    .record_duty(
                        duty,
                        guild,
                        owed.date,
                        DutyStatus::Missed,
                        &detail,
                        owed.at,
                        now,
                    )
                    .await?;
                if recorded {
                    warn!(guild, %duty, date = %owed.date, "missed: the bot was down past the catch-up window");
                    self.emit(ScheduleEvent::Missed {
                        duty,
                        guild,
                        date: owed.date,
                    });
                }
            }
        }
        let next = view.schedule.next_after(now);
        if let Some(next) = next {
            queue.plan(key, next.at);
        }
        self.emit(ScheduleEvent::Planned {
            duty,
            guild,
            next: next.map(|n| n.at),
        });
        Ok(())
    }

    fn emit(&self, event: ScheduleEvent) {
        // No listener is fine.
        let _ = self.events.send(event);
    }
}

/// This process's part of the bot's posts a second: Discord's limit is per bot, so processes
/// on a range of shards take the range's share of it (at least one a second).
fn share_of(posts_per_second: u32, ownership: Ownership) -> f64 {
    (f64::from(posts_per_second) * ownership.share()).max(1.0)
}

fn runner<D: Duty>(ctx: &Arc<Ctx>, duty: D) -> Arc<dyn Runner> {
    Arc::new(Delivery {
        duty,
        ctx: ctx.clone(),
    })
}

impl Worker for Engine {
    type Key = Key;
    type Command = Command;

    async fn command(&mut self, queue: &mut DueQueue<Key>, command: Command) {
        match command {
            Command::Changed(key) => self.plan_logged(queue, key).await,
            Command::Now(key, answer) => self.post_requested(queue, key, answer),
        }
    }

    async fn finished(&mut self, queue: &mut DueQueue<Key>, key: Key) {
        // A job that failed on the database runs again after its wait (delivering finds what
        // is owed and what is half done); planning now would read the same database.
        match self.setbacks.retry_at(key) {
            Some(again) => queue.plan(key, again),
            None => self.plan_logged(queue, key).await,
        }
        let next = self.runner(key.1).map_or(&[][..], |r| r.plans_next());
        for duty in next {
            self.plan_logged(queue, (key.0, *duty)).await;
        }
    }

    fn due(&mut self, queue: &mut DueQueue<Key>, key: Key) {
        if let Some(runner) = self.runner(key.1) {
            let job = runner.deliver(key.0);
            self.start_job(queue, key, job);
        }
    }
}

/// The next moment a schedule posts, as status answers show it: a day owed now (inside the
/// catch-up window) counts as now; a day `done` (already logged, or to be skipped) does not
/// count.
pub fn next_due(
    schedule: &Timetable,
    active_since: Timestamp,
    done: impl Fn(Date) -> bool,
    now: Timestamp,
    config: &ScheduleConfig,
) -> Option<Occurrence> {
    let owed = owed_occurrence(schedule, active_since, now)
        .filter(|o| !done(o.date) && within_catch_up(config, o.at, now));
    let mut next = owed.or_else(|| schedule.next_after(now))?;
    while done(next.date) {
        next = schedule.next_after(next.at)?;
    }
    Some(next)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "engine_props.rs"]
mod props;
