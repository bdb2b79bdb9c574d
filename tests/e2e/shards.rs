//! The bot split across processes on one PostgreSQL database: each holds a range of shards by a
//! lease, a second process on the same shards is refused, a range whose process died is taken
//! over once its lease has run out (and what that process had claimed is finished), and a
//! reload asked of one process reaches the others.
//!
//! Leases run on real time (a process cannot know another's clock is a test's), so these tests
//! use the system clock with three-second leases; every wait has a timeout.

use std::sync::Arc;
use std::time::Duration;

use bridgebot::app::{Bot, RunError};
use bridgebot::config::{Config, Ownership, ShardRange, Shards};
use bridgebot::content::Content;
use bridgebot::lease::LeaseError;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{GUILD_ID, TEXT_CHANNEL_ID};
use jiff::{SignedDuration, Timestamp};

use crate::support;
use crate::support::{Engine, TestBot};

/// How long a hold lasts in these tests: renewed every second.
const LEASE_SECONDS: u32 = 3;

fn range(text: &str) -> ShardRange {
    text.parse().expect("a shard range")
}

/// A bot on PostgreSQL holding `shards`, started by the harness (so it registers the commands:
/// its range must hold shard 0).
async fn first_process(shards: &'static str) -> TestBot {
    TestBot::builder()
        .configure(move |config, _| {
            config.discord.shards = Shards::Range(range(shards));
            config.storage.lease_seconds = LEASE_SECONDS;
        })
        .start()
        .await
}

/// The first process's config with other shards: a second process of the same bot.
fn second_process(first: &TestBot, shards: &str) -> Bot {
    let mut config: Config = first.config().clone();
    config.discord.shards = Shards::Range(range(shards));
    let token = config
        .token(|_| Some(support::TOKEN.into()))
        .expect("token");
    Bot::new(config, token)
}

#[tokio::test]
async fn a_second_process_on_overlapping_shards_is_refused_saying_which_are_held_by_whom() {
    support::on(Engine::Postgres, async {
        let bot = first_process("0-2/6").await;
        let started = tokio::time::timeout(
            Duration::from_secs(20),
            second_process(&bot, "2-3/6").start(),
        )
        .await
        .expect("the second process decides within a few renewals");
        let Err(error) = started else {
            panic!("a process on shard 2, held by another, started");
        };
        assert!(
            matches!(error, RunError::Lease(LeaseError::HeldElsewhere { .. })),
            "{error}"
        );
        assert!(error.needs_a_fix(), "a supervisor must not restart it");
        let message = error.to_string();
        assert!(message.contains("shards 2-3/6"), "{message}");
        assert!(message.contains("shards 0-2/6 held by"), "{message}");
        bot.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_range_whose_process_died_is_taken_over_when_its_lease_runs_out_and_its_claim_finished() {
    support::on(Engine::Postgres, async {
        let shards = Ownership::Range(range("0-5/6"));
        let tip = Content::bundled().expect("content").tips[5].id.to_string();
        let mut bot = first_process("0-5/6").await;
        // While the bot is down, a process that then died held its shards and claimed a tip.
        let dead_until = bot
            .restart_after(|database, _| async move {
                let store = support::open_store(&database).await;
                let now = Timestamp::now();
                let until = now + SignedDuration::from_secs(i64::from(LEASE_SECONDS));
                store
                    .take_lease(shards, now, until)
                    .await
                    .expect("the dead process's lease");
                support::seed_tip_claim(&store, &tip, now).await;
                store.close().await;
                // The database keeps whole seconds.
                Timestamp::from_second(until.as_second()).expect("ts")
            })
            .await;
        assert!(
            Timestamp::now() >= dead_until,
            "the new process started before the dead one's lease ran out"
        );
        let mut events = bot.running().schedule_events();
        let posted = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                if let Ok(event @ ScheduleEvent::Posted { .. }) = events.recv().await {
                    return event;
                }
            }
        })
        .await
        .expect("the dead process's claimed tip is finished");
        assert!(matches!(
            posted,
            ScheduleEvent::Posted {
                guild: GUILD_ID,
                ..
            }
        ));
        let posts = bot
            .fake()
            .requests()
            .into_iter()
            .filter(|r| {
                r.method == "POST" && r.route() == format!("/channels/{TEXT_CHANNEL_ID}/messages")
            })
            .count();
        assert_eq!(posts, 1, "the claimed tip is posted once");
        bot.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_reload_asked_of_one_process_reaches_the_other() {
    support::on(Engine::Postgres, async {
        let bot = first_process("0-2/6").await;
        let other = tokio::time::timeout(
            Duration::from_secs(20),
            second_process(&bot, "3-5/6").start(),
        )
        .await
        .expect("starts in time")
        .expect("a process on the other shards starts");
        let before = bot.running().content().get();
        other.reload().expect("the other process reloads");
        tokio::time::timeout(Duration::from_secs(10), async {
            while Arc::ptr_eq(&before, &bot.running().content().get()) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the first process reloaded its content too");
        other.shutdown().await.expect("stops");
        bot.shutdown().await;
    })
    .await;
}
