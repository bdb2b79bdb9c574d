//! What the scheduler's tests share: a scripted poster that records what it posted (and, when
//! given the clock, when), and a harness that runs the scheduler over a store and a manual
//! clock and waits for its events. The example tests (`engine_tests.rs`) and the property
//! tests (`engine_props.rs`) both drive the scheduler through it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use futures::future::BoxFuture;
use jiff::civil::Date;
use jiff::Timestamp;
use tokio::sync::{broadcast, watch};

use super::engine::{Deps, ScheduleEvent, Scheduler};
use crate::clock::{Clock as _, ManualClock};
use crate::config::ScheduleConfig;
use crate::content::Content;
use crate::live::{LiveContent, Origin};
use crate::model::duty::DutyKind;
use crate::model::ids::{ChannelId, MessageId};
use crate::model::poll::TimedPoll;
use crate::model::schedule::{Schedule, TipOptions, TipSchedule};
use crate::model::shards::Ownership;
use crate::polls::Polls;
use crate::port::{Addressing, PollApi, PortError, Poster};
use crate::reply::Reply;
use crate::store::{DutyEntry, Store};
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

/// A poster that records posts and answers from a script per channel (default: success); the
/// script answers posts and polls alike.
#[derive(Default)]
pub(super) struct FakePoster {
    pub(super) posts: StdMutex<Vec<Post>>,
    script: StdMutex<HashMap<u64, VecDeque<Result<u64, PortError>>>>,
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

    pub(super) fn script(&self, channel: u64, results: Vec<Result<u64, PortError>>) {
        self.script
            .lock()
            .expect("lock")
            .insert(channel, results.into());
    }

    /// The next scripted answer for `channel`, if any.
    fn scripted(&self, channel: ChannelId) -> Option<Result<u64, PortError>> {
        self.script
            .lock()
            .expect("lock")
            .get_mut(&channel.get())
            .and_then(VecDeque::pop_front)
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
        channel: ChannelId,
        tip: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move {
            if self.panic_next_post.swap(false, Ordering::SeqCst) {
                panic!("a job that panics once");
            }
            if let Some(sender) = self.attempts.lock().expect("lock").as_ref() {
                sender.send_modify(|n| *n += 1);
            }
            let result = self
                .scripted(channel)
                .unwrap_or_else(|| Ok(self.next_id.fetch_add(1, Ordering::SeqCst)));
            if let Ok(message_id) = result {
                self.posts.lock().expect("lock").push(Post {
                    channel: channel.get(),
                    reply: tip.clone(),
                    role: to.role.map(|role| role.get()),
                    reply_to: to.reply_to.map(|message| message.get()),
                    message_id,
                    at: self.clock.as_ref().map(ManualClock::now),
                });
            }
            result.map(MessageId::new)
        })
    }

    fn find_own<'a>(
        &'a self,
        channel: ChannelId,
        _since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
        Box::pin(async move {
            Ok(self
                .existing
                .lock()
                .expect("lock")
                .iter()
                .find(|(c, _, t)| *c == channel.get() && t == title)
                .map(|(_, id, _)| MessageId::new(*id)))
        })
    }

    fn start_thread<'a>(
        &'a self,
        _: ChannelId,
        _: MessageId,
        _: &'a str,
    ) -> BoxFuture<'a, Result<(), PortError>> {
        Box::pin(async { Ok(()) })
    }
}

impl PollApi for FakePoster {
    fn post_poll<'a>(
        &'a self,
        channel: ChannelId,
        poll: &'a TimedPoll,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move {
            let meanwhile = self.while_posting_a_poll.lock().expect("lock").take();
            if let Some(meanwhile) = meanwhile {
                meanwhile.await;
            }
            let id = match self.scripted(channel) {
                Some(Err(error)) => return Err(error),
                Some(Ok(id)) => id,
                None => self.next_id.fetch_add(1, Ordering::SeqCst),
            };
            self.polls
                .lock()
                .expect("lock")
                .push((channel.get(), poll.spec.question.clone(), id));
            Ok(MessageId::new(id))
        })
    }

    fn find_poll<'a>(
        &'a self,
        channel: ChannelId,
        _: Timestamp,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
        Box::pin(async move {
            Ok(self
                .polls
                .lock()
                .expect("lock")
                .iter()
                .find(|(c, q, _)| *c == channel.get() && q == question)
                .map(|(_, _, id)| MessageId::new(*id)))
        })
    }

    fn expire<'a>(
        &'a self,
        channel: ChannelId,
        poll: MessageId,
    ) -> BoxFuture<'a, Result<(), PortError>> {
        Box::pin(async move {
            self.expired
                .lock()
                .expect("lock")
                .push((channel.get(), poll.get()));
            Ok(())
        })
    }

    fn final_counts<'a>(
        &'a self,
        _: ChannelId,
        _: MessageId,
    ) -> BoxFuture<'a, Result<Option<Vec<u64>>, PortError>> {
        Box::pin(async { Ok(None) })
    }

    fn post_recap<'a>(
        &'a self,
        _: ChannelId,
        _: MessageId,
        _: &'a Reply,
    ) -> BoxFuture<'a, Result<MessageId, PortError>> {
        Box::pin(async move { Ok(MessageId::new(self.next_id.fetch_add(1, Ordering::SeqCst))) })
    }

    fn find_recap<'a>(
        &'a self,
        _: ChannelId,
        _: MessageId,
        _: Timestamp,
    ) -> BoxFuture<'a, Result<Option<MessageId>, PortError>> {
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

/// The bundled content, read and checked once per test binary: the property test starts the
/// scheduler hundreds of times, and an unoptimized build spends most of a start on reading and
/// checking the content again.
fn bundled() -> LiveContent {
    static CONTENT: std::sync::OnceLock<Content> = std::sync::OnceLock::new();
    let content = CONTENT.get_or_init(|| crate::live::load(&Origin::Bundled).expect("content"));
    LiveContent::new(content.clone(), Origin::Bundled)
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
        let content = Arc::new(bundled());
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
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the scheduler stops within 10 s")
            .expect("scheduler task");
        self.store
    }

    pub(super) async fn log(&self, guild: u64, day: Date) -> Option<DutyEntry> {
        self.store
            .duty_entry(DutyKind::Tip, guild, day)
            .await
            .expect("read log")
    }
}

/// A pulse with `options` set up for Mondays at 09:00 UTC in `CHANNEL` of server `GUILD`
/// (the constants of the pulse tests: 1 and 10), opened on Monday 30 November 2026 at 09:00,
/// posted as message `message`, and answered 4 to every statement by `members`.
pub(super) async fn answered_pulse(
    store: &Store,
    options: crate::model::schedule::PulseOptions,
    message: u64,
    members: &[u64],
) -> crate::store::PulseRecord {
    let opened = at("2026-11-30T09:00:00Z");
    let settings = Schedule {
        guild_id: 1,
        channel_id: 10,
        when: Recurrence {
            time: DailyTime::new(9, 0).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekly(jiff::civil::Weekday::Monday),
        },
        paused: false,
        active_since: at("2026-11-30T08:00:00Z"),
        options,
    };
    store.save_schedule(&settings, opened).await.expect("save");
    let content = Content::bundled().expect("content");
    let pulse = super::pulse::open_for_week(store, &content, &settings, opened)
        .await
        .expect("open");
    store
        .set_pulse_message(pulse.id, message)
        .await
        .expect("posted");
    let key = store.pulse_key(pulse.id).await.expect("key").expect("open");
    for member in members {
        let answers: Vec<(String, u8)> = pulse.statements.iter().map(|s| (s.clone(), 4)).collect();
        store
            .save_pulse_answers(
                pulse.id,
                &crate::pulse::member_hash(&key, *member),
                &answers,
            )
            .await
            .expect("answer");
    }
    pulse
}
