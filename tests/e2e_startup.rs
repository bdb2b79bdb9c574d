//! When Discord says no: whether the failure needs a person (a refused token: the CLI exits 2
//! and supervisors stop restarting) or may pass (Discord unreachable or failing: exit 1,
//! restart).

use std::time::Duration;

use bridgebot::app::{Bot, RunError, RunningBot};
use bridgebot::config::{ApiBase, Config, Shards, Snowflake};
use fake_discord::{FakeDiscord, Fault, RouteMatcher, GUILD_ID};

/// Starts the real bot against `fake`, its database in `dir`.
async fn start(fake: &FakeDiscord, dir: &tempfile::TempDir, shards: Shards) -> RunningBot {
    let mut config = Config::default();
    config.discord.api_base = Some(ApiBase::parse(&fake.api_base()).expect("api base"));
    config.discord.guild_id = Some(Snowflake(GUILD_ID));
    config.discord.shards = shards;
    config.storage.database = dir.path().join("bridgebot.db");
    let token = config.token(|_| Some("test-token".into())).expect("token");
    Bot::new(config, token).start().await.expect("starts")
}

/// Waits for the client to end by itself, then stops the rest; returns why it ended.
async fn ended(mut running: RunningBot) -> RunError {
    let ended = tokio::time::timeout(Duration::from_secs(10), running.wait())
        .await
        .expect("the client ends by itself when Discord refuses it");
    let error = ended.expect_err("the client cannot go on");
    running
        .shutdown()
        .await
        .expect("the rest of the bot stops cleanly after the client failed");
    error
}

/// The bot against a fake whose `GET /gateway/bot` (what autosharding asks first) answers
/// `status` once.
async fn start_refused_with(status: u16) -> RunError {
    let fake = FakeDiscord::start().await;
    fake.fail_next(
        RouteMatcher::prefix("GET", "/gateway/bot"),
        Fault::ServerError(status),
        1,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    ended(start(&fake, &dir, Shards::Auto).await).await
}

#[tokio::test]
async fn a_token_discord_refuses_needs_a_fix_not_a_restart() {
    let error = start_refused_with(401).await;
    assert!(error.to_string().contains("401"), "{error}");
    assert!(error.needs_a_fix(), "{error}");
}

#[tokio::test]
async fn a_token_the_gateway_refuses_needs_a_fix_not_a_restart() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let running = start(&fake, &dir, Shards::Fixed(1)).await;
    fake.wait_commands_registered().await;
    // 4004: "Authentication failed", as when a token is reset while the bot runs.
    fake.close_with(4004).await;
    let error = ended(running).await;
    assert!(error.needs_a_fix(), "{error}");
}

#[tokio::test]
async fn discord_failing_at_start_is_worth_a_restart() {
    for status in [500, 502, 503] {
        let error = start_refused_with(status).await;
        assert!(error.to_string().contains(&status.to_string()), "{error}");
        assert!(!error.needs_a_fix(), "{status}: {error}");
    }
}
