//! The scheduler against a scripted poster, an in-memory database and a manual clock.

use std::time::Duration;

use jiff::civil::{date, Date};

use super::*;
use crate::clock::{Clock as _, ManualClock};
use crate::content::Content;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::poll::{PollDuration, PollKind, TimedPoll};
use crate::model::schedule::{PollOptions, Schedule, TipOptions};
use crate::port::{PortError, Refusal};
use crate::schedule::test_support::{self, at, settings, FakePoster, Harness};
use crate::store::{DutyClaim, Store};
use crate::when::{DailyTime, Days, Recurrence, Zone};
use jiff::SignedDuration;
use jiff::Timestamp;

const GUILD: u64 = 1;
const OTHER_GUILD: u64 = 2;
const CHANNEL: u64 = 10;
const OTHER_CHANNEL: u64 = 20;

/// Monday 2026-11-30, 08:00 UTC.
fn monday_8am() -> Timestamp {
    "2026-11-30T08:00:00Z".parse().expect("timestamp")
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
    assert_eq!(entry.status, DutyStatus::Posted);
    let content = Content::bundled().expect("content");
    let tip = content
        .tip(entry.item.as_deref().expect("tip id"))
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
            duty: DutyKind::Tip,
            guild: GUILD,
            date: date(2026, 11, 30)
        }
    );
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    assert_eq!(
        h.log(GUILD, date(2026, 11, 30)).await.expect("row").status,
        DutyStatus::Missed
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
    server.options.skip_date = Some(date(2026, 11, 30));
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
            .schedule::<TipOptions>(GUILD)
            .await
            .expect("read")
            .expect("row")
            .options
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
        .save_schedule(&server, h.clock.now())
        .await
        .expect("save");
    h.scheduler.changed(DutyKind::Tip, GUILD);
    assert_eq!(h.planned(GUILD).await, Some(at("2026-12-01T09:00:00Z")));
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    h.stop().await;
}

#[tokio::test]
async fn a_429_waits_retry_after_on_the_clock_then_posts_once() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    h.poster.script(
        CHANNEL,
        vec![Err(PortError::RetryAfter(Duration::from_secs(30)))],
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
    let refused = PortError::Refused(Refusal::NotAllowed);
    h.poster.script(CHANNEL, vec![Err(refused)]);
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Failed { .. }))
        .await;
    assert_eq!(*h.poster.attempts().borrow(), 1, "a refusal was retried");
    let entry = h.log(GUILD, date(2026, 11, 30)).await.expect("row");
    assert_eq!(entry.status, DutyStatus::Failed);
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
    h.poster.script(
        CHANNEL,
        vec![Err(PortError::Transient("Discord answered 502".into())); 50],
    );
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
        DutyStatus::Sending
    );
    h.stop().await;
}

/// A claim as a crash between sending and logging leaves it.
async fn store_with_claim() -> (Store, String) {
    let store = Store::in_memory().await.expect("store");
    store
        .save_schedule(&settings(GUILD, CHANNEL), monday_8am())
        .await
        .expect("save");
    let tip = Content::bundled().expect("content").tips[3].id.to_string();
    claim_monday_tip(&store, GUILD, CHANNEL, &tip).await;
    (store, tip)
}

/// Claims Monday 2026-11-30's 09:00 tip `tip` for a server, as a crash between sending and
/// logging leaves it.
async fn claim_monday_tip(store: &Store, guild: u64, channel: u64, tip: &str) {
    let claim = DutyClaim {
        duty: DutyKind::Tip,
        guild_id: guild,
        local_date: date(2026, 11, 30),
        item: Some(tip.into()),
        cycle: Some(0),
        channel_id: channel,
        payload: Some("{}".into()),
        due_at: at("2026-11-30T09:00:00Z"),
    };
    assert!(store
        .claim_duty(&claim, at("2026-11-30T09:00:00Z"))
        .await
        .expect("claim"));
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
        (DutyStatus::Posted, Some(4242))
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
            .item
            .as_deref(),
        Some(tip.as_str())
    );
    h.stop().await;
}

#[tokio::test]
async fn a_role_is_mentioned_and_allowed_only_when_set() {
    let mut server = settings(GUILD, CHANNEL);
    server.options.role_id = Some(555);
    let mut h = Harness::fresh(&[server], monday_8am()).await;
    h.planned(GUILD).await;
    h.clock.set(at("2026-11-30T09:00:00Z"));
    h.expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    let posts = h.poster.posts.lock().expect("lock").clone();
    assert_eq!(posts[0].channel, CHANNEL);
    assert_eq!(posts[0].reply.text.as_deref(), Some("<@&555>"));
    assert_eq!(posts[0].role, Some(555));
    drop(posts);
    h.stop().await;
}

#[tokio::test]
async fn each_day_gets_a_different_tip() {
    let mut server = settings(GUILD, CHANNEL);
    server.when.days = Days::EveryDay;
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

fn weekly(guild: u64, channel: u64) -> crate::model::schedule::PollSchedule {
    Schedule {
        guild_id: guild,
        channel_id: channel,
        when: Recurrence {
            time: DailyTime::new(11, 0).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekly(jiff::civil::Weekday::Monday),
        },
        paused: false,
        active_since: at("2026-11-01T00:00:00Z"),
        options: PollOptions {
            kind: PollKind::Quiz,
            duration: PollDuration::from_minutes(120).expect("duration"),
        },
    }
}

async fn with_weekly_poll(now: Timestamp) -> Harness {
    let store = Store::in_memory().await.expect("store");
    store
        .save_schedule(&weekly(GUILD, CHANNEL), now)
        .await
        .expect("save");
    Harness::start(store, ManualClock::new(now), FakePoster::new()).await
}

#[tokio::test]
async fn a_weekly_poll_is_posted_once_on_its_day_and_recorded_for_the_keeper() {
    let mut h = with_weekly_poll(monday_8am()).await;
    let planned = h
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Planned {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    assert_eq!(
        planned,
        ScheduleEvent::Planned {
            duty: DutyKind::WeeklyPoll,
            guild: GUILD,
            next: Some(at("2026-11-30T11:00:00Z"))
        }
    );
    h.clock.set(at("2026-11-30T11:00:00Z"));
    let posted = h
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Posted {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    let ScheduleEvent::Posted {
        duty: DutyKind::WeeklyPoll,
        message_id,
        date,
        ..
    } = posted
    else {
        unreachable!()
    };
    assert_eq!(date, date_of("2026-11-30"));
    let next = h
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Planned {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    assert_eq!(
        next,
        ScheduleEvent::Planned {
            duty: DutyKind::WeeklyPoll,
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
    h.expect(|e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::WeeklyPoll,
                ..
            }
        )
    })
    .await;
    h.clock.set(at("2026-11-30T11:00:00Z"));
    h.expect(|e| {
        matches!(
            e,
            ScheduleEvent::Posted {
                duty: DutyKind::WeeklyPoll,
                ..
            }
        )
    })
    .await;
    let (poster, clock) = (h.poster.clone(), h.clock.clone());
    let store = h.stop().await;
    clock.set(at("2026-11-30T12:00:00Z"));
    let mut again = Harness::start(store, clock, poster).await;
    let planned = again
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Planned {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    assert_eq!(
        planned,
        ScheduleEvent::Planned {
            duty: DutyKind::WeeklyPoll,
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
        .save_schedule(&weekly(GUILD, CHANNEL), monday_8am())
        .await
        .expect("save");
    let content = Content::bundled().expect("content");
    let spec = crate::reply::poll::quiz(&content, &mut rand::rng());
    let pending = TimedPoll {
        spec: spec.clone(),
        duration: PollDuration::from_minutes(120).expect("duration"),
    };
    let due = at("2026-11-30T11:00:00Z");
    let claim = DutyClaim {
        duty: DutyKind::WeeklyPoll,
        guild_id: GUILD,
        local_date: date_of("2026-11-30"),
        item: None,
        cycle: None,
        channel_id: CHANNEL,
        payload: Some(serde_json::to_string(&pending).expect("json")),
        due_at: due,
    };
    store.claim_duty(&claim, due).await.expect("claim");
    let poster = FakePoster::new();
    poster
        .polls
        .lock()
        .expect("lock")
        .push((CHANNEL, spec.question.clone(), 9090));
    let mut h = Harness::start(store, ManualClock::new(at("2026-11-30T11:02:00Z")), poster).await;
    let posted = h
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Posted {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                duty: DutyKind::WeeklyPoll,
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

#[tokio::test]
async fn a_weekly_poll_that_loses_its_channel_to_a_poll_started_by_hand_is_ended_not_left_open() {
    let mut h = with_weekly_poll(monday_8am()).await;
    h.expect(|e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::WeeklyPoll,
                ..
            }
        )
    })
    .await;
    // A member's /poll wins the channel while the weekly poll is on its way to Discord.
    let (store, now) = (h.store.clone(), at("2026-11-30T11:00:00Z"));
    *h.poster.while_posting_a_poll.lock().expect("lock") = Some(Box::pin(async move {
        let by_hand = crate::store::PollRecord {
            message_id: 1,
            guild_id: GUILD,
            channel_id: CHANNEL,
            started_by: Some(7),
            spec: crate::reply::poll::quiz(
                &crate::content::Content::bundled().expect("content"),
                &mut rand::rng(),
            ),
            closes_at: now + SignedDuration::from_hours(1),
            state: crate::model::poll::PollState::Open,
            recap_message_id: None,
            detail: None,
            created_at: now,
        };
        assert!(store.insert_poll(&by_hand).await.expect("insert"));
    }));
    h.clock.set(now);
    let failed = h
        .expect(|e| {
            matches!(
                e,
                ScheduleEvent::Failed {
                    duty: DutyKind::WeeklyPoll,
                    ..
                }
            )
        })
        .await;
    let posted = h.poster.polls.lock().expect("lock").clone();
    let [(_, _, weekly_message)] = posted.as_slice() else {
        panic!("one weekly poll posted: {posted:?}");
    };
    assert_eq!(
        *h.poster.expired.lock().expect("lock"),
        vec![(CHANNEL, *weekly_message)],
        "the weekly poll that lost the channel was ended at once"
    );
    assert!(h.store.poll(*weekly_message).await.expect("read").is_none());
    let entry = h
        .store
        .duty_entry(DutyKind::WeeklyPoll, GUILD, date_of("2026-11-30"))
        .await
        .expect("read")
        .expect("logged");
    assert_eq!(entry.status, DutyStatus::Failed, "{failed:?}");
    h.stop().await;
}

#[tokio::test]
async fn a_tip_job_that_panics_frees_its_server_for_the_next_day() {
    let mut h = Harness::fresh(&[settings(GUILD, CHANNEL)], monday_8am()).await;
    assert_eq!(h.planned(GUILD).await, Some(at("2026-11-30T09:00:00Z")));
    h.poster
        .panic_next_post
        .store(true, std::sync::atomic::Ordering::SeqCst);
    h.clock.set(at("2026-11-30T09:00:00Z"));
    assert_eq!(
        h.planned(GUILD).await,
        Some(at("2026-12-01T09:00:00Z")),
        "planned anew after the panic"
    );
    h.clock.set(at("2026-12-01T09:00:00Z"));
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert!(
        matches!(posted, ScheduleEvent::Posted { guild: GUILD, date, .. } if date == date_of("2026-12-01")),
        "{posted:?}"
    );
    h.stop().await;
}

/// A process on shard 0 of 2 plans and recovers only the servers on shard 0; a claim of a server
/// on shard 1 stays for the process that runs it.
#[tokio::test]
async fn a_process_on_a_range_of_shards_plans_and_recovers_only_its_servers() {
    use crate::model::shards::Ownership;
    let (mine, theirs) = (2u64 << 22, 3u64 << 22);
    let store = Store::in_memory().await.expect("store");
    for guild in [mine, theirs] {
        store
            .save_schedule(&settings(guild, CHANNEL + guild), monday_8am())
            .await
            .expect("save");
    }
    let tip = Content::bundled().expect("content").tips[0].id.to_string();
    claim_monday_tip(&store, theirs, CHANNEL + theirs, &tip).await;
    let config = ScheduleConfig {
        posts_per_second: test_support::UNPACED,
        ..ScheduleConfig::default()
    };
    let ownership = Ownership::Range("0/2".parse().expect("range"));
    let mut h = Harness::start_owning(
        store,
        ManualClock::new(at("2026-11-30T09:05:00Z")),
        FakePoster::new(),
        config,
        ownership,
    )
    .await;
    let posted = h
        .expect(|e| matches!(e, ScheduleEvent::Posted { .. }))
        .await;
    assert_eq!(posted.key(), (DutyKind::Tip, mine), "{posted:?}");
    h.clock.set(at("2026-11-30T09:10:00Z"));
    h.scheduler.changed(DutyKind::Tip, mine);
    h.planned(mine).await;
    assert!(
        h.poster.posts_in(CHANNEL + theirs).is_empty(),
        "the other process's server was posted to"
    );
    let entry = h.log(theirs, date(2026, 11, 30)).await.expect("row");
    assert_eq!(entry.status, DutyStatus::Sending, "left to its own process");
    h.stop().await;
}

/// The "Not posted" line `/<duty> status` shows for the server, as the status command builds
/// it from the log.
async fn not_posted_line(h: &Harness, duty: DutyKind) -> String {
    use crate::reply::schedules::{self as words, StatusView};
    let history = crate::schedule::history(&h.store, duty, GUILD)
        .await
        .expect("history");
    let reply = words::status(
        &words::TIP,
        &StatusView {
            channel_id: CHANNEL,
            when: weekly(GUILD, CHANNEL).when,
            paused: false,
            next: None,
            last_post: None,
            problem: history.problem,
            missing_permissions: None,
            details: Vec::new(),
        },
    );
    reply.embeds[0]
        .fields
        .iter()
        .find(|field| field.name == "Not posted")
        .map(|field| field.value.clone())
        .expect("a Not posted line")
}

fn failed(duty: DutyKind) -> impl Fn(&ScheduleEvent) -> bool {
    move |e| matches!(e, ScheduleEvent::Failed { duty: d, .. } if *d == duty)
}

#[tokio::test]
async fn a_weekly_poll_discord_refuses_says_it_needs_send_polls() {
    let mut h = with_weekly_poll(monday_8am()).await;
    h.poster
        .script(CHANNEL, vec![Err(PortError::Refused(Refusal::NotAllowed))]);
    h.clock.set(at("2026-11-30T11:00:00Z"));
    h.expect(failed(DutyKind::WeeklyPoll)).await;
    let line = not_posted_line(&h, DutyKind::WeeklyPoll).await;
    assert!(
        line.contains("not allowed to post the weekly poll") && line.contains("Send Polls"),
        "{line}"
    );
    assert!(!line.contains("Attach Files"), "{line}");
    assert!(h.poster.polls.lock().expect("lock").is_empty());
    h.stop().await;
}

#[tokio::test]
async fn a_digest_discord_refuses_says_it_needs_attach_files() {
    use crate::model::schedule::DigestOptions;
    let store = Store::in_memory().await.expect("store");
    let digest = Schedule {
        guild_id: GUILD,
        channel_id: CHANNEL,
        when: weekly(GUILD, CHANNEL).when,
        paused: false,
        active_since: at("2026-11-01T00:00:00Z"),
        options: DigestOptions {},
    };
    store
        .save_schedule(&digest, monday_8am())
        .await
        .expect("save");
    let poster = FakePoster::new();
    poster.script(CHANNEL, vec![Err(PortError::Refused(Refusal::NotAllowed))]);
    let mut h = Harness::start(store, ManualClock::new(monday_8am()), poster).await;
    h.clock.set(at("2026-11-30T11:00:00Z"));
    h.expect(failed(DutyKind::Digest)).await;
    assert_eq!(*h.poster.attempts().borrow(), 1, "a refusal was retried");
    let line = not_posted_line(&h, DutyKind::Digest).await;
    assert!(
        line.contains("not allowed to post the weekly digest") && line.contains("Attach Files"),
        "{line}"
    );
    assert!(!line.contains("Send Polls"), "{line}");
    h.stop().await;
}
