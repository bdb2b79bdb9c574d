//! The scheduler against a scripted poster, an in-memory database and a manual clock.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex as StdMutex;
use std::time::Duration;

use jiff::civil::{date, Date};
use tokio::sync::watch;

use super::*;
use crate::clock::{Clock as _, ManualClock};
use crate::reply::poll::PollSpec;
use crate::schedule::when::{DailyTime, Days};
use crate::store::{Claim, LogEntry, LogStatus, Store, TipSettings};

const GUILD: u64 = 1;
const OTHER_GUILD: u64 = 2;
const CHANNEL: u64 = 10;
const OTHER_CHANNEL: u64 = 20;

/// Monday 2026-11-30, 08:00 UTC.
fn monday_8am() -> Timestamp {
    "2026-11-30T08:00:00Z".parse().expect("timestamp")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

/// A poster that records posts and answers from a script per channel (default: success).
#[derive(Default)]
struct FakePoster {
    posts: StdMutex<Vec<(u64, Reply, Option<u64>)>>,
    script: StdMutex<HashMap<u64, VecDeque<Result<u64, RestError>>>>,
    /// Messages already in channels, for recovery: (channel, message id, embed title).
    existing: StdMutex<Vec<(u64, u64, String)>>,
    attempts: StdMutex<Option<watch::Sender<u32>>>,
    /// Polls posted: (channel, question, message id).
    polls: StdMutex<Vec<(u64, String, u64)>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl FakePoster {
    fn new() -> Arc<FakePoster> {
        let poster = FakePoster::default();
        *poster.attempts.lock().expect("lock") = Some(watch::Sender::new(0));
        poster
            .next_id
            .store(1000, std::sync::atomic::Ordering::SeqCst);
        Arc::new(poster)
    }

    fn script(&self, channel: u64, results: Vec<Result<u64, RestError>>) {
        self.script
            .lock()
            .expect("lock")
            .insert(channel, results.into());
    }

    fn posts_in(&self, channel: u64) -> Vec<Reply> {
        self.posts
            .lock()
            .expect("lock")
            .iter()
            .filter(|(c, _, _)| *c == channel)
            .map(|(_, r, _)| r.clone())
            .collect()
    }

    fn attempts(&self) -> watch::Receiver<u32> {
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
        role: Option<u64>,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            if let Some(sender) = self.attempts.lock().expect("lock").as_ref() {
                sender.send_modify(|n| *n += 1);
            }
            let scripted = self
                .script
                .lock()
                .expect("lock")
                .get_mut(&channel_id)
                .and_then(VecDeque::pop_front);
            let result = scripted.unwrap_or_else(|| {
                Ok(self
                    .next_id
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst))
            });
            if result.is_ok() {
                self.posts
                    .lock()
                    .expect("lock")
                    .push((channel_id, tip.clone(), role));
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

    fn post_poll<'a>(
        &'a self,
        channel_id: u64,
        poll: &'a PollSpec,
        _: Duration,
    ) -> BoxFuture<'a, Result<u64, RestError>> {
        Box::pin(async move {
            let id = self
                .next_id
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.polls
                .lock()
                .expect("lock")
                .push((channel_id, poll.question.clone(), id));
            Ok(id)
        })
    }

    fn find_own_poll<'a>(
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
}

fn settings(guild: u64, channel: u64) -> TipSettings {
    TipSettings {
        guild_id: guild,
        channel_id: channel,
        time: DailyTime::new(9, 0).expect("time"),
        zone: "UTC".into(),
        days: Days::Weekdays,
        paused: false,
        skip_date: None,
        role_id: None,
        thread: false,
        active_since: at("2026-11-01T00:00:00Z"),
    }
}

struct Harness {
    store: Store,
    clock: ManualClock,
    poster: Arc<FakePoster>,
    scheduler: Scheduler,
    task: tokio::task::JoinHandle<()>,
    events: broadcast::Receiver<ScheduleEvent>,
}

impl Harness {
    async fn start(store: Store, clock: ManualClock, poster: Arc<FakePoster>) -> Harness {
        let content = Arc::new(ArcSwap::from_pointee(Content::bundled().expect("content")));
        let deps = Deps {
            store: store.clone(),
            clock: Arc::new(clock.clone()),
            content,
            poster: poster.clone(),
            config: TipsConfig::default(),
            polls: None,
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

    async fn fresh(servers: &[TipSettings], now: Timestamp) -> Harness {
        let store = Store::in_memory().await.expect("store");
        for server in servers {
            store.save_tip_settings(server, now).await.expect("save");
        }
        Harness::start(store, ManualClock::new(now), FakePoster::new()).await
    }

    /// The next event matching `wanted`, failing the test after five seconds.
    async fn expect(&mut self, wanted: impl Fn(&ScheduleEvent) -> bool) -> ScheduleEvent {
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

    async fn planned(&mut self, guild: u64) -> Option<Timestamp> {
        match self
            .expect(|e| matches!(e, ScheduleEvent::Planned { guild: g, .. } if *g == guild))
            .await
        {
            ScheduleEvent::Planned { next, .. } => next,
            _ => unreachable!(),
        }
    }

    async fn stop(self) -> Store {
        self.scheduler.shutdown();
        self.task.await.expect("scheduler task");
        self.store
    }

    async fn log(&self, guild: u64, day: Date) -> Option<LogEntry> {
        self.store.log_entry(guild, day).await.expect("read log")
    }
}

#[tokio::test]
async fn a_tip_is_posted_once_at_its_time_and_the_next_day_is_planned() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    assert_eq!(h.planned(GUILD).await, Some(at("2026-11-30T09:00:00Z")));
    h.clock.set(at("2026-11-30T09:00:00Z"));
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                guild: GUILD,
                late: false,
                ..
            }
        ),
        "{posted:?}"
    );
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    let posts = h.poster.posts_in(CHANNEL);
    assert_eq!(posts.len(), 1);
    let entry = h.log(GUILD, date(2026, 11, 30)).await.expect("logged");
    assert_eq!(entry.status, LogStatus::Posted);
    let content = Content::bundled().expect("content");
    let tip = content
        .tip(entry.tip_id.as_deref().expect("tip id"))
        .expect("tip exists");
    assert_eq!(
        posts[0].embeds[0].title.as_deref(),
        Some(tip.title.as_str())
    );
    assert_eq!(posts[0].text, None, "no mention without a role");
    h.stop().await;
}

#[tokio::test]
async fn a_restart_on_the_same_day_posts_nothing_more() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    let poster = h.poster.clone();
    let clock = h.clock.clone();
    let store = h.stop().await;
    clock.set(at("2026-11-30T10:30:00Z"));
    let mut again = Harness::start(store, clock, poster).await;
    assert_eq!(again.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert_eq!(
        again.poster.posts_in(CHANNEL).len(),
        1,
        "posted a second time after the restart"
    );
    again.stop().await;
}

#[tokio::test]
async fn back_within_the_catch_up_window_the_tip_is_posted_late() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], at("2026-11-30T14:59:00Z")).await;
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert!(
        matches!(posted, ScheduleEvent::Posted { late: true, .. }),
        "{posted:?}"
    );
    assert_eq!(h.poster.posts_in(CHANNEL).len(), 1);
    h.stop().await;
}

#[tokio::test]
async fn back_after_the_catch_up_window_the_day_is_recorded_as_missed() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], at("2026-11-30T15:01:00Z")).await;
    let missed = h
        .expect(|e| matches!(e, ScheduleEvent::Missed { .. }))
        .await;
    assert_eq!(
        missed,
        ScheduleEvent::Missed {
            guild: GUILD,
            date: date(2026, 11, 30)
        }
    );
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    assert_eq!(
        h.log(GUILD, date(2026, 11, 30)).await.expect("row").status,
        LogStatus::Missed
    );
    h.stop().await;
}

#[tokio::test]
async fn a_server_set_up_after_todays_time_starts_tomorrow() {
    let mut server = settings(GUILD, CHANNEL);
    server.active_since = at("2026-11-30T10:00:00Z");
    let mut h = Harness::fresh(&[server], at("2026-11-30T10:00:00Z")).await;
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert!(
        h.log(GUILD, date(2026, 11, 30)).await.is_none(),
        "today is not owed"
    );
    h.stop().await;
}

#[tokio::test]
async fn skip_skips_the_next_tip_only() {
    let mut server = settings(GUILD, CHANNEL);
    server.skip_date = Some(date(2026, 11, 30));
    let mut h = Harness::fresh(&[server], monday_8am()).await;
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Skipped { .. }))
        .await;
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    h.clock.set(at("2026-12-01T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert_eq!(h.poster.posts_in(CHANNEL).len(), 1);
    assert_eq!(
        h.store
            .tip_settings(GUILD)
            .await
            .expect("read")
            .expect("row")
            .skip_date,
        None
    );
    h.stop().await;
}

#[tokio::test]
async fn a_paused_server_gets_nothing_until_it_is_resumed() {
    let mut server = settings(GUILD, CHANNEL);
    server.paused = true;
    let mut h = Harness::fresh(&[server.clone()], monday_8am()).await;
    assert_eq!(h.planned(GUILD).await, None);
    h.clock.set(at("2026-11-30T12:00:00Z"));
    server.paused = false;
    server.active_since = h.clock.now();
    h.store
        .save_tip_settings(&server, h.clock.now())
        .await
        .expect("save");
    h.scheduler.changed(GUILD);
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    h.stop().await;
}

#[tokio::test]
async fn a_429_waits_retry_after_on_the_clock_then_posts_once() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    h.poster.script(
        CHANNEL,
        vec![Err(RestError::RateLimited {
            retry_after: Duration::from_secs(30),
        })],
    );
    let mut attempts = h.poster.attempts();
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    attempts.wait_for(|n| *n == 1).await.expect("first attempt");
    h.clock.advance(SignedDuration::from_secs(29));
    tokio::task::yield_now().await;
    assert_eq!(*attempts.borrow(), 1, "retried before retry_after");
    h.clock.advance(SignedDuration::from_secs(1));
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert_eq!(*attempts.borrow(), 2);
    assert_eq!(h.poster.posts_in(CHANNEL).len(), 1);
    h.stop().await;
}

#[tokio::test]
async fn a_refusal_is_not_retried_and_is_recorded_for_status() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    let refused = RestError::Refused {
        status: 403,
        code: 50013,
        message: "Missing Permissions".into(),
    };
    h.poster.script(CHANNEL, vec![Err(refused)]);
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Failed { .. }))
        .await;
    assert_eq!(*h.poster.attempts().borrow(), 1, "a refusal was retried");
    let entry = h.log(GUILD, date(2026, 11, 30)).await.expect("row");
    assert_eq!(entry.status, LogStatus::Failed);
    assert!(entry
        .detail
        .unwrap_or_default()
        .contains("not allowed to post"));
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    h.stop().await;
}

#[tokio::test]
async fn a_failing_server_does_not_delay_another() {
    let servers = [
        settings(GUILD, CHANNEL),
        settings(OTHER_GUILD, OTHER_CHANNEL),
    ];
    let mut h = Harness::fresh(&servers, monday_8am()).await;
    h.poster
        .script(CHANNEL, vec![Err(RestError::Server { status: 502 }); 50]);
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                guild: OTHER_GUILD,
                ..
            }
        ),
        "{posted:?}"
    );
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    assert_eq!(
        h.log(GUILD, date(2026, 11, 30))
            .await
            .expect("claimed")
            .status,
        LogStatus::Sending
    );
    h.stop().await;
}

/// A claim as a crash between sending and logging leaves it.
async fn store_with_claim() -> (Store, String) {
    let store = Store::in_memory().await.expect("store");
    store
        .save_tip_settings(&settings(GUILD, CHANNEL), monday_8am())
        .await
        .expect("save");
    let tip = Content::bundled().expect("content").tips[3].id.to_string();
    let claim = Claim {
        guild_id: GUILD,
        local_date: date(2026, 11, 30),
        tip_id: tip.clone(),
        cycle: 0,
        channel_id: CHANNEL,
        due_at: at("2026-11-30T09:00:00Z"),
    };
    store
        .claim(&claim, at("2026-11-30T09:00:00Z"))
        .await
        .expect("claim");
    (store, tip)
}

#[tokio::test]
async fn a_crash_after_discord_accepted_the_tip_does_not_post_it_twice() {
    let (store, tip) = store_with_claim().await;
    let poster = FakePoster::new();
    let title = Content::bundled()
        .expect("content")
        .tip(&tip)
        .expect("tip")
        .title
        .to_string();
    poster
        .existing
        .lock()
        .expect("lock")
        .push((CHANNEL, 4242, title));
    let mut h = Harness::start(store, ManualClock::new(at("2026-11-30T09:05:00Z")), poster).await;
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                message_id: 4242,
                ..
            }
        ),
        "{posted:?}"
    );
    assert!(
        h.poster.posts_in(CHANNEL).is_empty(),
        "the tip was sent again"
    );
    let entry = h.log(GUILD, date(2026, 11, 30)).await.expect("row");
    assert_eq!(
        (entry.status, entry.message_id),
        (LogStatus::Posted, Some(4242))
    );
    h.stop().await;
}

#[tokio::test]
async fn a_crash_before_discord_accepted_the_tip_sends_the_claimed_tip() {
    let (store, tip) = store_with_claim().await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-11-30T09:05:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    let posts = h.poster.posts_in(CHANNEL);
    assert_eq!(posts.len(), 1);
    let content = Content::bundled().expect("content");
    assert_eq!(
        posts[0].embeds[0].title.as_deref(),
        Some(content.tip(&tip).expect("tip").title.as_str())
    );
    assert_eq!(
        h.log(GUILD, date(2026, 11, 30))
            .await
            .expect("row")
            .tip_id
            .as_deref(),
        Some(tip.as_str())
    );
    h.stop().await;
}

#[tokio::test]
async fn a_role_is_mentioned_and_allowed_only_when_set() {
    let mut server = settings(GUILD, CHANNEL);
    server.role_id = Some(555);
    let mut h = Harness::fresh(&[server], monday_8am()).await;
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    let posts = h.poster.posts.lock().expect("lock").clone();
    assert_eq!(posts[0].0, CHANNEL);
    assert_eq!(posts[0].1.text.as_deref(), Some("<@&555>"));
    assert_eq!(posts[0].2, Some(555));
    drop(posts);
    h.stop().await;
}

#[tokio::test]
async fn each_day_gets_a_different_tip() {
    let mut server = settings(GUILD, CHANNEL);
    server.days = Days::EveryDay;
    let mut h = Harness::fresh(&[server], monday_8am()).await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..10 {
        let next = h.planned(GUILD).await.expect("planned");
        h.clock.set(next);
        h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
            .await;
    }
    for post in h.poster.posts_in(CHANNEL) {
        assert!(
            seen.insert(post.embeds[0].title.clone()),
            "a tip repeated within ten days"
        );
    }
    h.stop().await;
}

fn weekly(guild: u64, channel: u64) -> crate::store::PollSchedule {
    crate::store::PollSchedule {
        guild_id: guild,
        channel_id: channel,
        kind: "quiz".into(),
        weekday: jiff::civil::Weekday::Monday,
        time: DailyTime::new(11, 0).expect("time"),
        zone: "UTC".into(),
        duration_minutes: 120,
        active_since: at("2026-11-01T00:00:00Z"),
    }
}

async fn with_weekly_poll(now: Timestamp) -> Harness {
    let store = Store::in_memory().await.expect("store");
    store
        .save_poll_schedule(&weekly(GUILD, CHANNEL), now)
        .await
        .expect("save");
    Harness::start(store, ManualClock::new(now), FakePoster::new()).await
}

#[tokio::test]
async fn a_weekly_poll_is_posted_once_on_its_day_and_recorded_for_the_keeper() {
    let mut h = with_weekly_poll(monday_8am()).await;
    let planned = h
        .expect(|e| matches!(e, ScheduleEvent::PollPlanned { .. }))
        .await;
    assert_eq!(
        planned,
        ScheduleEvent::PollPlanned {
            guild: GUILD,
            next: Some(at("2026-11-30T11:00:00Z"))
        }
    );
    h.clock.set(at("2026-11-30T11:00:00Z"));
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::PollPosted { .. }))
        .await;
    let ScheduleEvent::PollPosted {
        message_id, date, ..
    } = posted
    else {
        unreachable!()
    };
    assert_eq!(date, date_of("2026-11-30"));
    let next = h
        .expect(|e| matches!(e, ScheduleEvent::PollPlanned { .. }))
        .await;
    assert_eq!(
        next,
        ScheduleEvent::PollPlanned {
            guild: GUILD,
            next: Some(at("2026-12-07T11:00:00Z"))
        }
    );
    let record = h
        .store
        .poll(message_id)
        .await
        .expect("read")
        .expect("recorded");
    assert_eq!(record.closes_at, at("2026-11-30T13:00:00Z"));
    assert_eq!(record.started_by, None);
    assert_eq!(h.poster.polls.lock().expect("lock").len(), 1);
    assert!(h.poster.posts_in(CHANNEL).is_empty(), "no tip was posted");
    h.stop().await;
}

fn date_of(text: &str) -> Date {
    text.parse().expect("date")
}

#[tokio::test]
async fn a_weekly_poll_is_not_posted_again_after_a_restart_that_day() {
    let mut h = with_weekly_poll(monday_8am()).await;
    h.expect(|e| matches!(e, ScheduleEvent::PollPlanned { .. }))
        .await;
    h.clock.set(at("2026-11-30T11:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::PollPosted { .. }))
        .await;
    let (poster, clock) = (h.poster.clone(), h.clock.clone());
    let store = h.stop().await;
    clock.set(at("2026-11-30T12:00:00Z"));
    let mut again = Harness::start(store, clock, poster).await;
    let planned = again
        .expect(|e| matches!(e, ScheduleEvent::PollPlanned { .. }))
        .await;
    assert_eq!(
        planned,
        ScheduleEvent::PollPlanned {
            guild: GUILD,
            next: Some(at("2026-12-07T11:00:00Z"))
        }
    );
    assert_eq!(again.poster.polls.lock().expect("lock").len(), 1);
    again.stop().await;
}

#[tokio::test]
async fn a_weekly_poll_claimed_before_a_crash_is_recorded_not_posted_twice() {
    let store = Store::in_memory().await.expect("store");
    store
        .save_poll_schedule(&weekly(GUILD, CHANNEL), monday_8am())
        .await
        .expect("save");
    let content = Content::bundled().expect("content");
    let spec = crate::reply::poll::quiz(&content, &mut rand::rng());
    let pending = crate::polls::pending_of(&spec, Duration::from_secs(7200));
    let due = at("2026-11-30T11:00:00Z");
    store
        .claim_scheduled_poll(GUILD, date_of("2026-11-30"), CHANNEL, &pending, due, due)
        .await
        .expect("claim");
    let poster = FakePoster::new();
    poster
        .polls
        .lock()
        .expect("lock")
        .push((CHANNEL, spec.question.clone(), 9090));
    let mut h = Harness::start(store, ManualClock::new(at("2026-11-30T11:02:00Z")), poster).await;
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::PollPosted { .. }))
        .await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::PollPosted {
                message_id: 9090,
                ..
            }
        ),
        "{posted:?}"
    );
    assert_eq!(
        h.poster.polls.lock().expect("lock").len(),
        1,
        "posted again"
    );
    assert!(
        h.store.poll(9090).await.expect("read").is_some(),
        "the poll is recorded for its recap"
    );
    h.stop().await;
}
