//! The Prometheus endpoint: off by default, and with `[metrics] listen` it reports what the
//! bot did. One test in this binary, apart from the other end-to-end tests (`tests/e2e/`): the
//! recorder is process-wide, so every bot in the process would count into it, and the exact
//! counts below would include other tests' commands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

#[path = "e2e/support/mod.rs"]
mod support;

use std::net::{SocketAddr, TcpListener};

use fake_discord::TEXT_CHANNEL_ID;
use support::TestBot;

/// A port free right now on loopback.
fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr")
}

async fn scrape(addr: SocketAddr) -> String {
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("the metrics endpoint answers");
    assert!(response.status().is_success());
    response.text().await.expect("text")
}

// On SQLite only: the metrics recorder is global to the process, so one test per binary can
// install it, and nothing here depends on the engine.
#[tokio::test]
async fn metrics_count_interactions_by_command_and_outcome_with_latency_and_polls() {
    let listen = free_port();
    let bot = TestBot::builder()
        .configure(move |config, _| config.metrics.listen = Some(listen))
        .start()
        .await;
    let fake = bot.fake();
    bot.ask(fake.slash("contrast").option("topic", "vision"))
        .await;
    bot.ask(fake.slash("contrast").option("topic", "astrology"))
        .await;
    let mut polls = bot.running().poll_events();
    bot.ask(
        fake.slash("poll")
            .subcommand("quiz")
            .in_channel(TEXT_CHANNEL_ID),
    )
    .await;
    support::events::next_event(&mut polls, "the poll being watched", |e| {
        matches!(e, bridgebot::polls::PollEvent::Watching { .. })
    })
    .await;
    // A command's counters are recorded as its answer goes out; this one is done when the
    // next one is answered.
    bot.ask(fake.slash("quote")).await;
    let text = scrape(listen).await;
    for expected in [
        r#"bridgebot_interactions_total{shards="all",command="contrast",outcome="answered"} 1"#,
        r#"bridgebot_interactions_total{shards="all",command="contrast",outcome="user_error"} 1"#,
        r#"bridgebot_interactions_total{shards="all",command="poll quiz",outcome="answered"} 1"#,
        r#"bridgebot_reply_seconds_bucket{shards="all",command="contrast",le="3"}"#,
        r#"bridgebot_polls_total{shards="all",state="opened"} 1"#,
        r#"bridgebot_polls_open{shards="all"} 1"#,
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    bot.shutdown().await;
}
