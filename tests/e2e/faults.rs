//! Storms: many REST failures during a tip fan-out, and many gateway drops during a stream of
//! interactions. Nothing owed is lost, nothing is done twice, every interaction is answered.

use bridgebot::config::Database;
use std::collections::HashMap;

use bridgebot::clock::{Clock as _, ManualClock};
use bridgebot::model::schedule::{Schedule, TipOptions};
use bridgebot::schedule::ScheduleEvent;
use bridgebot::when::{DailyTime, Days, Recurrence, Zone};
use fake_discord::{extra_guild_channel_id, extra_guild_id, FakeOptions, Fault, RouteMatcher};
use jiff::{SignedDuration, Timestamp};

use crate::support;
use crate::support::on_both_engines;
use crate::support::TestBot;

const SERVERS: usize = 40;

fn nine() -> Timestamp {
    "2026-11-30T09:00:00Z".parse().expect("ts")
}

async fn seed(database: &Database) {
    let store = support::open_store(database).await;
    for index in 0..SERVERS {
        let settings = Schedule {
            guild_id: extra_guild_id(index),
            channel_id: extra_guild_channel_id(index),
            when: Recurrence {
                time: DailyTime::new(9, 0).expect("time"),
                zone: Zone::utc(),
                days: Days::EveryDay,
            },
            paused: false,
            active_since: nine() - SignedDuration::from_hours(24),
            options: TipOptions {
                skip_date: None,
                role_id: None,
                thread: false,
            },
        };
        store.save_schedule(&settings, nine()).await.expect("save");
    }
    store.close().await;
}

async fn a_storm_of_429s_and_5xx_during_a_fan_out_loses_and_doubles_nothing() {
    let mut bot = TestBot::builder()
        .clock(ManualClock::new(nine() - SignedDuration::from_mins(5)))
        .fake_options(FakeOptions {
            extra_guilds: SERVERS,
            ..FakeOptions::default()
        })
        .start()
        .await;
    bot.restart_after(|database, _| async move { seed(&database).await })
        .await;
    let mut events = bot.running().schedule_events();
    let posts = RouteMatcher::contains("POST", "/messages");
    bot.fake()
        .fail_next(posts.clone(), Fault::RateLimited { retry_after: 2.0 }, 10);
    bot.fake()
        .fail_next(posts.clone(), Fault::ServerError(502), 10);
    bot.fake().fail_next(posts, Fault::ServerError(500), 5);
    let clock = bot.clock().expect("clock").clone();
    clock.set(nine());
    // Retries wait on the clock: move it to each retry as it comes (never toward tomorrow).
    let drive = async {
        loop {
            let now = clock.now();
            let soon = now + SignedDuration::from_mins(10);
            let next = clock.sleeper(|at| at > now && at <= soon).await;
            clock.set(next);
        }
    };
    let posted = async {
        let mut posted = 0;
        while posted < SERVERS {
            match events.recv().await.expect("events") {
                ScheduleEvent::Posted { .. } => posted += 1,
                ScheduleEvent::Failed { detail, .. } => panic!("a tip was given up: {detail}"),
                _ => {}
            }
        }
    };
    tokio::select! {
        () = posted => {}
        () = drive => unreachable!(),
    }
    let mut per_channel: HashMap<u64, usize> = HashMap::new();
    let mut failures = 0;
    for request in bot.fake().requests() {
        if request.method == "POST" && request.route().ends_with("/messages") {
            match request.status {
                Some(200) => {
                    *per_channel
                        .entry(
                            request
                                .route()
                                .split('/')
                                .nth(2)
                                .and_then(|c| c.parse().ok())
                                .unwrap_or(0),
                        )
                        .or_default() += 1
                }
                Some(_) => failures += 1,
                None => {}
            }
        }
    }
    assert_eq!(failures, 25, "every injected failure was met");
    for index in 0..SERVERS {
        assert_eq!(
            per_channel.get(&extra_guild_channel_id(index)),
            Some(&1),
            "server {index}"
        );
    }
    bot.shutdown().await;
}

#[tokio::test]
async fn every_interaction_is_answered_once_through_a_storm_of_gateway_drops() {
    let bot = TestBot::start().await;
    let fake = bot.fake();
    let mut sent = Vec::new();
    for index in 0..100 {
        match index {
            10 | 70 => fake.drop_socket().await,
            30 => fake.close_with(4000).await,
            50 | 85 => fake.send_reconnect().await,
            _ => {}
        }
        sent.push(fake.slash("quote").send().await);
    }
    for interaction in &sent {
        bot.answer_to(interaction).await.assert_mentions_nobody();
    }
    let mut answers: HashMap<u64, usize> = HashMap::new();
    for request in fake.requests() {
        if let Some(id) = request
            .route()
            .strip_prefix("/interactions/")
            .and_then(|r| r.split('/').next())
            .and_then(|id| id.parse().ok())
        {
            *answers.entry(id).or_default() += 1;
        }
    }
    for interaction in &sent {
        assert_eq!(
            answers.get(&interaction.id),
            Some(&1),
            "interaction {} answered once",
            interaction.id
        );
    }
    assert!(fake.sessions_started() >= 1);
    bot.shutdown().await;
}

on_both_engines!(a_storm_of_429s_and_5xx_during_a_fan_out_loses_and_doubles_nothing,);
