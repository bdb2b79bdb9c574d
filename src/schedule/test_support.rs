//! What the scheduler's tests share: a scripted poster that records what it posted (and, when
//! given the clock, when), and a harness that runs the scheduler over a store and a manual
//! clock and waits for its events. The example tests (`engine_tests.rs`) and the property
//! tests (`engine_props.rs`) both drive the scheduler through it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use jiff::civil::Date;
use jiff::Timestamp;
use tokio::sync::{broadcast, watch};

use super::engine::{Deps, ScheduleEvent, Scheduler};
use super::{Addressing, Poster};
use crate::clock::{Clock as _, ManualClock};
use crate::config::ScheduleConfig;
use crate::live::LiveContent;
use crate::model::duty::DutyKind;
use crate::model::poll::TimedPoll;
use crate::model::schedule::{Schedule, TipOptions, TipSchedule};
use crate::model::shards::Ownership;
use crate::polls::{PollApi, Polls};
use crate::reply::Reply;
use crate::rest::RestError;
use crate::store::{DutyEntry, Store};
use crate::tasks::BoxFuture;
use crate::when::{DailyTime, Days, Recurrence, Zone};

pub(super) fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

/// One message the poster accepted.
#[derive(Debug, Clone)]
pub(super) struct Post {
    pub(super) channel: u64,
    pub(super) reply: Reply,
    pub(super) role: Option<u64>,
    /// The message it replies to.
    pub(super) reply_to: Option<u64>,
    pub(super) message_id: u64,
    /// The clock's time when it was posted, when the poster was given the clock.
    pub(super) at: Option<Timestamp>,
}

/// A poster that records posts and answers from a script per channel (default: success).
#[derive(Default)]
pub(super) struct FakePoster {
    pub(super) posts: StdMutex<Vec<Post>>,
    script: StdMutex<HashMap<u64, VecDeque<Result<u64, RestError>>>>,
    /// Messages already in channels, for recovery: (channel, message id, embed title).
    pub(super) existing: StdMutex<Vec<(u64, u64, String)>>,
    attempts: StdMutex<Option<watch::Sender<u32>>>,
    /// Polls posted: (channel, question, message id).
    pub(super) polls: StdMutex<Vec<(u64, String, u64)>>,
    /// The next tip post panics (a bug in a job), once.
    pub(super) panic_next_post: std::sync::atomic::AtomicBool,
    /// Polls ended early: (channel, message id).
    pub(super) expired: StdMutex<Vec<(u64, u64)>>,
    /// Run once while the next poll is being posted (what happens elsewhere meanwhile).
    pub(super) while_posting_a_poll: StdMutex<Option<BoxFuture<'static, ()>>>,
    next_id: AtomicU64,
    clock: Option<ManualClock>,
}

impl FakePoster {
    pub(super) fn new() -> Arc<FakePoster> {
        FakePoster::build(None)
    }

    /// A poster that also notes the clock's time of each post.
    pub(super) fn with_clock(clock: ManualClock) -> Arc<FakePoster> {
        FakePoster::build(Some(clock))
    }

    fn build(clock: Option<ManualClock>) -> Arc<FakePoster> {
        let poster = FakePoster {
            clock,
            ..FakePoster::default()
        };
        *poster.attempts.lock().expect("lock") = Some(watch::Sender::new(0));
        poster.next_id.store(1000, Ordering::SeqCst);
        Arc::new(poster)
    }

    pub(super) fn script(&self, channel: u64, results: Vec<Result<u64, RestError>>) {
        self.script
            .lock()
            .expect("lock")
            .insert(channel, results.into());
    }

    pub(super) fn posts_in(&self, channel: u64) -> Vec<Reply> {
        self.posts
            .lock()
            .expect("lock")
            .iter()
            .filter(|post| post.channel == channel)
            .map(|post| post.reply.clone())
            .collect()
    }

    pub(super) fn attempts(&self) -> watch::Receiver<u32> {
        self.attempts
            .lock()
            .expect("lock")
            .as_ref()
            .expect("sender")
            .subscribe()
    }
}

impl Poster for FakePoster {
    fn post<'a>(
        &'a self,
        channel_id: u64,
        tip: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            if self.panic_next_post.swap(false, Ordering::SeqCst) {
                panic!("a job that panics once");
            }
            if let Some(sender) = self.attempts.lock().expect("lock").as_ref() {
                sender.send_modify(|n| *n += 1);
            }
            let scripted = self
                .script
                .lock()
                .expect("lock")
                .get_mut(&channel_id)
                .and_then(VecDeque::pop_front);
            let result =
                scripted.unwrap_or_else(|| Ok(self.next_id.fetch_add(1, Ordering::SeqCst)));
            if let Ok(message_id) = result {
                self.posts.lock().expect("lock").push(Post {
                    channel: channel_id,
                    reply: tip.clone(),
                    role: to.role,
                    reply_to: to.reply_to,
                    message_id,
                    at: self.clock.as_ref().map(ManualClock::now),
                });
            }
            result
        })
    }

    fn find_own<'a>(
        &'a self,
        channel_id: u64,
        _since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async move {
            Ok(self
                .existing
                .lock()
                .expect("lock")
                .iter()
                .find(|(c, _, t)| *c == channel_id && t == title)
                .map(|(_, id, _)| *id))
        })
    }

    fn start_thread<'a>(
        &'a self,
        _: u64,
        _: u64,
        _: &'a str,
    ) -> BoxFuture<'a, Result<(), RestError>> {
        Box::pin(async { Ok(()) })
    }
}

impl PollApi for FakePoster {
    fn post_poll<'a>(
        &'a self,
        channel_id: u64,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            let meanwhile = self.while_posting_a_poll.lock().expect("lock").take();
            if let Some(meanwhile) = meanwhile {
                meanwhile.await;
            }
            let id = self.next_id.fetch_add(1, Ordering::SeqCst);
            self.polls
                .lock()
                .expect("lock")
                .push((channel_id, poll.spec.question.clone(), id));
            Ok(id)
        })
    }

    fn find_poll<'a>(
        &'a self,
        channel_id: u64,
        _: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async move {
            Ok(self
                .polls
                .lock()
                .expect("lock")
                .iter()
                .find(|(c, q, _)| *c == channel_id && q == question)
                .map(|(_, _, id)| *id))
        })
    }

    fn expire<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
    ) -> BoxFuture<'a, Result<(), RestError>> {
        Box::pin(async move {
            self.expired
                .lock()
                .expect("lock")
                .push((channel_id, message_id));
            Ok(())
        })
    }

    fn final_counts<'a>(
        &'a self,
        _: u64,
        _: u64,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, RestError>> {
        Box::pin(async { Ok(None) })
    }

    fn post_recap<'a>(
        &'a self,
        _: u64,
        _: u64,
        _: &'a Reply,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move { Ok(self.next_id.fetch_add(1, Ordering::SeqCst)) })
    }

    fn find_recap<'a>(
        &'a self,
        _: u64,
        _: u64,
        _: Timestamp,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>> {
        Box::pin(async { Ok(None) })
    }
}

/// A server posting at 09:00 UTC on weekdays, set up well before the tests' dates.
pub(super) fn settings(guild: u64, channel: u64) -> TipSchedule {
    Schedule {
        guild_id: guild,
        channel_id: channel,
        when: Recurrence {
            time: DailyTime::new(9, 0).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekdays,
        },
        paused: false,
        active_since: at("2026-11-01T00:00:00Z"),
        options: TipOptions {
            skip_date: None,
            role_id: None,
            thread: false,
        },
    }
}

/// Posts per second high enough that the pacer never waits, so a post leaves at the
/// instant the test set; the pacer's own tests check the rate.
pub(super) const UNPACED: u32 = 1_000_000;

/// A running scheduler and what it was started with.
pub(super) struct Harness {
    pub(super) store: Store,
    pub(super) clock: ManualClock,
    pub(super) poster: Arc<FakePoster>,
    pub(super) scheduler: Scheduler,
    task: tokio::task::JoinHandle<()>,
    events: broadcast::Receiver<ScheduleEvent>,
}

impl Harness {
    pub(super) async fn start(
        store: Store,
        clock: ManualClock,
        poster: Arc<FakePoster>,
    ) -> Harness {
        let config = ScheduleConfig {
            posts_per_second: UNPACED,
            ..ScheduleConfig::default()
        };
        Harness::start_with(store, clock, poster, config).await
    }

    pub(super) async fn start_with(
        store: Store,
        clock: ManualClock,
        poster: Arc<FakePoster>,
        config: ScheduleConfig,
    ) -> Harness {
        Harness::start_owning(store, clock, poster, config, Ownership::All).await
    }

    /// A scheduler for a process that serves only `ownership`'s servers.
    pub(super) async fn start_owning(
        store: Store,
        clock: ManualClock,
        poster: Arc<FakePoster>,
        config: ScheduleConfig,
        ownership: Ownership,
    ) -> Harness {
        let content = Arc::new(LiveContent::bundled().expect("content"));
        let clock_handle: crate::clock::SharedClock = Arc::new(clock.clone());
        let deps = Deps {
            store: store.clone(),
            clock: clock_handle.clone(),
            content,
            poster: poster.clone(),
            config,
            pulse: crate::config::PulseConfig::default(),
            polls: Polls::new(store.clone(), clock_handle, poster.clone(), None),
            ownership,
        };
        let (scheduler, task, events) = Scheduler::spawn(deps);
        Harness {
            store,
            clock,
            poster,
            scheduler,
            task,
            events,
        }
    }

    pub(super) async fn fresh(servers: &[TipSchedule], now: Timestamp) -> Harness {
        let store = Store::in_memory().await.expect("store");
        for server in servers {
            store.save_schedule(server, now).await.expect("save");
        }
        Harness::start(store, ManualClock::new(now), FakePoster::new()).await
    }

    /// The next event matching `wanted`, failing the test after five seconds.
    pub(super) async fn expect(
        &mut self,
        wanted: impl Fn(&ScheduleEvent) -> bool,
    ) -> ScheduleEvent {
        let wait = async {
            loop {
                match self.events.recv().await {
                    Ok(event) if wanted(&event) => return event,
                    Ok(_) => {}
                    Err(error) => panic!("event stream ended: {error}"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .expect("the expected event did not come")
    }

    pub(super) async fn planned(&mut self, guild: u64) -> Option<Timestamp> {
        match self
            .expect(|e| matches!(e, ScheduleEvent::Planned { duty: DutyKind::Tip, guild: g, .. } if *g == guild))
            .await
        {
            ScheduleEvent::Planned { next, .. } => next,
            _ => unreachable!(),
        }
    }

    pub(super) async fn stop(self) -> Store {
        self.scheduler.shutdown();
        self.task.await.expect("scheduler task");
        self.store
    }

    pub(super) async fn log(&self, guild: u64, day: Date) -> Option<DutyEntry> {
        self.store
            .duty_entry(DutyKind::Tip, guild, day)
            .await
            .expect("read log")
    }
}
