//! The kill -9 soak: the real binary is killed at random moments while the daily tips of
//! many servers are being posted, restarted, and killed again, at least 50 times; then it
//! runs to the end. No server may get two tips for the day, and none may lose its tip.
//!
//! Slow by design (a minute or two), so it is not part of the regular suite:
//! `cargo test --release --test soak -- --ignored --nocapture`
//! (`BRIDGEBOT_SOAK_KILLS` and `BRIDGEBOT_SOAK_SERVERS` change the counts).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bridgebot::model::duty::{DutyKind, DutyStatus};
use bridgebot::store::{Store, TipSettings};
use bridgebot::when::{DailyTime, Days, Zone};
use fake_discord::{extra_guild_channel_id, extra_guild_id, FakeDiscord, FakeOptions, GUILD_ID};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn spawn(config: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bridgebot"))
        .args(["run", "--config"])
        .arg(config)
        .env("DISCORD_TOKEN", "soak-token")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bot starts")
}

/// Successful tip posts per channel so far.
fn posts_per_channel(fake: &FakeDiscord) -> HashMap<u64, usize> {
    let mut counts = HashMap::new();
    for request in fake.requests() {
        if request.method == "POST"
            && request.status == Some(200)
            && request.route().ends_with("/messages")
        {
            if let Some(channel) = request
                .route()
                .split('/')
                .nth(2)
                .and_then(|c| c.parse().ok())
            {
                *counts.entry(channel).or_default() += 1;
            }
        }
    }
    counts
}

/// Claims found `sending` at a start and checked against the channel: each is a kill that
/// landed between a claim and its log write.
fn recoveries(fake: &FakeDiscord) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.method == "GET"
                && r.route().ends_with("/messages")
                && r.query.as_deref().is_some_and(|q| q.contains("after="))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow soak; run with --ignored (see the module doc)"]
async fn kill_9_at_random_moments_never_doubles_or_loses_a_tip() {
    let kills = env_count("BRIDGEBOT_SOAK_KILLS", 50);
    // Enough servers that the fan-out (48 posts a second) outlasts the kills: every kill lands
    // while tips are being posted, not after the last one.
    let servers = env_count("BRIDGEBOT_SOAK_SERVERS", 2000);
    let fake = FakeDiscord::start_with(FakeOptions {
        rest_rate_limit: Some(50),
        extra_guilds: servers,
        interaction_deadline: None,
        ..FakeOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("soak.db");
    let config = dir.path().join("bridgebot.toml");
    std::fs::write(
        &config,
        format!("[discord]\napi_base = \"{}\"\nguild_id = {GUILD_ID}\nshards = 1\n[storage]\ndatabase = \"soak.db\"\n", fake.api_base()),
    )
    .expect("config");

    // Every server's tip is due this very minute (UTC), so all are owed at every start.
    let now = Timestamp::now();
    let minute = now.to_zoned(jiff::tz::TimeZone::UTC);
    let store = Store::open(&database).await.expect("database");
    for index in 0..servers {
        let settings = TipSettings {
            guild_id: extra_guild_id(index),
            channel_id: extra_guild_channel_id(index),
            time: DailyTime::new(minute.hour(), minute.minute()).expect("time"),
            zone: Zone::utc(),
            days: Days::EveryDay,
            paused: false,
            skip_date: None,
            role_id: None,
            thread: false,
            active_since: now - SignedDuration::from_hours(1),
        };
        store.save_tip_settings(&settings, now).await.expect("seed");
    }
    store.close().await;

    let started = Instant::now();
    // At least `kills` rounds; more (up to four times as many) while no kill has yet landed
    // between a claim and its log write, which is what the soak is for. Whether one does is
    // chance: a post takes the fake well under a millisecond.
    let mut round = 0;
    while round < kills || (recoveries(&fake) == 0 && round < kills * 4) {
        round += 1;
        let mut child = spawn(&config);
        // Anywhere from before the first post to well into the fan-out.
        let pause = Duration::from_millis(rand::rng().random_range(50..1500));
        tokio::time::sleep(pause).await;
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        let so_far = posts_per_channel(&fake);
        let doubled = so_far.values().filter(|n| **n > 1).count();
        assert_eq!(doubled, 0, "round {round}: a server got two tips");
    }
    // Then let it finish.
    let mut child = spawn(&config);
    let deadline = Instant::now() + Duration::from_secs(60 + servers as u64 / 40);
    loop {
        let posted = posts_per_channel(&fake).len();
        if posted >= servers || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    child.kill().expect("stop");
    child.wait().expect("reaped");

    let counts = posts_per_channel(&fake);
    let lost: Vec<usize> = (0..servers)
        .filter(|i| !counts.contains_key(&extra_guild_channel_id(*i)))
        .collect();
    let doubled: Vec<&u64> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(c, _)| c)
        .collect();
    let recoveries = recoveries(&fake);
    println!(
        "soak: {round} kills, {servers} servers, {:.0} s; posted {}, lost {}, doubled {}; {recoveries} checks of claims a kill left unfinished",
        started.elapsed().as_secs_f64(),
        counts.len(),
        lost.len(),
        doubled.len()
    );
    assert!(
        recoveries > 0,
        "no kill landed while a tip was being sent; the soak proved nothing"
    );
    assert!(doubled.is_empty(), "servers with two tips: {doubled:?}");
    assert!(
        lost.is_empty(),
        "servers without their tip: {} (first {:?})",
        lost.len(),
        lost.first()
    );
    let store = Store::open(&database).await.expect("database");
    let today = minute.date();
    for index in 0..servers {
        let entry = store
            .duty_entry(DutyKind::Tip, extra_guild_id(index), today)
            .await
            .expect("read")
            .expect("a row for the day");
        assert_eq!(entry.status, DutyStatus::Posted, "server {index}");
    }
    store.close().await;
}
