//! No secret in the logs: the bot runs a scenario touching every feature at the most verbose
//! level it allows (everything at trace; the bot's own caps on dependencies still apply, as
//! in production), and the captured output is searched for the bot token and for every
//! interaction token.

use bridgebot::clock::ManualClock;
use bridgebot::config::{LogConfig, LogFormat};
use bridgebot::log::Memory;
use fake_discord::{ADMIN_ID, TEXT_CHANNEL_ID};
use jiff::{SignedDuration, Timestamp};

use crate::support;
use crate::support::on_both_engines;
use crate::support::TestBot;

async fn neither_the_bot_token_nor_interaction_tokens_reach_the_logs_at_trace() {
    let captured = Memory::default();
    for format in [LogFormat::Human, LogFormat::Json] {
        let config = LogConfig {
            level: "trace".into(),
            format,
        };
        // The fake plays Discord and logs what Discord would see; only the bot's output counts.
        let filter = bridgebot::log::filter("trace,fake_discord=off");
        let subscriber = bridgebot::log::subscriber(&config, filter, captured.clone());
        let _guard = tracing::subscriber::set_default(subscriber);
        scenario().await;
    }
    let text = captured.text();
    for milestone in [
        "slash commands registered",
        "connected to Discord",
        "daily tip posted",
        "\"level\":\"INFO\"",
    ] {
        assert!(
            text.contains(milestone),
            "the logs lack {milestone:?}; the scenario did not run as meant"
        );
    }
    assert!(
        !text.contains(support::TOKEN),
        "the bot token appears in the logs"
    );
    let leaks: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("fake-token-"))
        .take(5)
        .collect();
    assert!(
        leaks.is_empty(),
        "an interaction token appears in the logs:\n{}",
        leaks.join("\n")
    );
}

/// Commands, autocomplete, a button, a reconnect, a daily tip and a poll.
async fn scenario() {
    let start: Timestamp = "2026-11-30T08:00:00Z".parse().expect("ts");
    let bot = TestBot::builder()
        .clock(ManualClock::new(start))
        .start()
        .await;
    let fake = bot.fake();
    let contrast = bot.ask(fake.slash("contrast")).await;
    let id = contrast
        .custom_ids()
        .first()
        .map(|s| s.to_string())
        .expect("a button");
    bot.ask(fake.click(&id).on_original(contrast.interaction()))
        .await;
    bot.ask(fake.autocomplete("contrast").focused("topic", "vis"))
        .await;
    bot.ask(fake.slash("contrast").option("topic", "no such thing"))
        .await;
    fake.send_reconnect().await;
    bot.ask(fake.slash("quote")).await;
    let mut events = bot.running().schedule_events();
    bot.ask(
        fake.slash("tips")
            .subcommand("setup")
            .as_user(ADMIN_ID)
            .option("channel", TEXT_CHANNEL_ID.to_string())
            .option("time", "09:00"),
    )
    .await;
    let clock = bot.clock().expect("manual clock");
    clock.set(start + SignedDuration::from_hours(1));
    support::events::next_event(&mut events, "the daily tip", |e| {
        matches!(e, bridgebot::schedule::ScheduleEvent::Posted { .. })
    })
    .await;
    bot.ask(
        fake.slash("poll")
            .subcommand("quiz")
            .option("open_for", "5m"),
    )
    .await;
    bot.shutdown().await;
}

on_both_engines!(neither_the_bot_token_nor_interaction_tokens_reach_the_logs_at_trace,);
