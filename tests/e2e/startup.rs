//! When Discord says no or does not answer at the start: a refusal that needs a person (a
//! bad token: the CLI exits 2 and supervisors stop restarting), and a Discord that is down or
//! unreachable, which the bot waits for (on its clock) until it answers.

use std::sync::Arc;
use std::time::Duration;

use bridgebot::app::{Bot, RunError, RunningBot};
use bridgebot::clock::{Clock, ManualClock};
use bridgebot::config::{ApiBase, Config, Database, Shards, Snowflake};
use bridgebot::discord::connect::RETRY_CAP;
use fake_discord::{FakeDiscord, FakeOptions, Fault, RouteMatcher, GUILD_ID};
use jiff::{SignedDuration, Timestamp};

use crate::support::on_postgres;

/// The bot's config against the Discord API at `api_base`, its database in `dir`.
fn config(api_base: &str, dir: &tempfile::TempDir, shards: Shards) -> Config {
    let mut config = Config::default();
    config.discord.api_base = Some(ApiBase::parse(api_base).expect("api base"));
    config.discord.guild_id = Some(Snowflake(GUILD_ID));
    config.discord.shards = shards;
    config.storage.database = Database::Sqlite(dir.path().join("bridgebot.db"));
    config
}

/// Starts the real bot against `fake`, its database in `dir`.
async fn start(fake: &FakeDiscord, dir: &tempfile::TempDir, shards: Shards) -> RunningBot {
    start_with(config(&fake.api_base(), dir, shards), None).await
}

/// Starts the real bot with `config`, on `clock` if given.
async fn start_with(config: Config, clock: Option<ManualClock>) -> RunningBot {
    let token = config.token(|_| Some("test-token".into())).expect("token");
    let bot = Bot::new(config, token);
    let bot = match clock {
        Some(clock) => bot.with_clock(Arc::new(clock)),
        None => bot,
    };
    bot.start().await.expect("starts")
}

/// Shuts the bot down; fails, saying `what`, unless it stops cleanly within 10 s.
async fn stop_promptly(running: RunningBot, what: &str) {
    let Ok(stopped) = tokio::time::timeout(Duration::from_secs(10), running.shutdown()).await
    else {
        panic!("{what}: the shutdown took over 10 s");
    };
    stopped.expect("the bot stops cleanly");
}

/// Waits until the bot waits to try Discord again, and lets that wait pass.
async fn let_the_retry_wait_pass(clock: &ManualClock) -> Duration {
    let now = clock.now();
    let cap = SignedDuration::try_from(RETRY_CAP).expect("cap");
    let until = tokio::time::timeout(
        Duration::from_secs(10),
        clock.sleeper(|at| at > now && at <= now + cap),
    )
    .await
    .expect("the bot waits to try Discord again");
    clock.set(until);
    Duration::try_from(until.duration_since(now)).expect("a wait forward")
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

/// The bot against a fake whose `GET /gateway/bot` (what the bot asks first) answers with
/// `fault` once; returns why the bot ended.
async fn start_refused_with(fault: Fault) -> RunError {
    let fake = FakeDiscord::start().await;
    fake.fail_next(RouteMatcher::prefix("GET", "/gateway/bot"), fault, 1);
    let dir = tempfile::tempdir().expect("temp dir");
    ended(start(&fake, &dir, Shards::Auto).await).await
}

#[tokio::test]
async fn a_token_discord_refuses_needs_a_fix_not_a_restart() {
    let error = start_refused_with(Fault::ServerError(401)).await;
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
async fn an_api_base_that_is_not_discord_needs_a_fix_not_a_restart() {
    let error = start_refused_with(Fault::UnknownChannel).await;
    assert!(error.to_string().contains("api_base"), "{error}");
    assert!(error.needs_a_fix(), "{error}");
}

#[tokio::test]
async fn discord_failing_at_start_is_waited_for_then_the_bot_connects() {
    let fake = FakeDiscord::start().await;
    let gateway = RouteMatcher::prefix("GET", "/gateway/bot");
    for status in [500, 502, 503] {
        fake.fail_next(gateway.clone(), Fault::ServerError(status), 1);
    }
    fake.fail_next(gateway, Fault::RateLimited { retry_after: 7.0 }, 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = ManualClock::new(Timestamp::from_second(1_800_000_000).expect("time"));
    let running = start_with(
        config(&fake.api_base(), &dir, Shards::Auto),
        Some(clock.clone()),
    )
    .await;
    let mut waits = Vec::new();
    for _ in 0..4 {
        waits.push(let_the_retry_wait_pass(&clock).await);
    }
    fake.wait_commands_registered().await;
    let asked = fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.route() == "/gateway/bot")
        .count();
    assert_eq!(asked, 5, "four failures, then the answer");
    assert!(waits[..3].iter().all(|w| *w <= RETRY_CAP), "{waits:?}");
    assert_eq!(
        waits[3],
        Duration::from_secs(7),
        "a 429 waits what it asked"
    );
    running.shutdown().await.expect("stops cleanly");
}

#[tokio::test]
async fn discord_unreachable_at_start_is_waited_for_until_shutdown() {
    // A loopback port nothing listens on: every attempt is refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let api_base = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = ManualClock::new(Timestamp::from_second(1_800_000_000).expect("time"));
    let running = start_with(config(&api_base, &dir, Shards::Auto), Some(clock.clone())).await;
    for _ in 0..5 {
        let_the_retry_wait_pass(&clock).await;
    }
    // Still waiting, not failed: a failed connection would make the shutdown return it.
    tokio::time::timeout(Duration::from_secs(10), clock.sleeper(|_| true))
        .await
        .expect("the bot is waiting");
    stop_promptly(running, "a shutdown while waiting for Discord is prompt").await;
}

#[tokio::test]
async fn a_failed_gateway_lookup_while_the_client_is_built_still_connects_through_api_base() {
    let fake = FakeDiscord::start().await;
    // The bot's own `GET /gateway/bot` answers; serenity's `GET /gateway` while it builds the
    // client fails, and serenity would then pick Discord's own gateway address.
    fake.fail_next(
        RouteMatcher::exact("GET", "/gateway"),
        Fault::ServerError(503),
        1,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let running = start(&fake, &dir, Shards::Auto).await;
    fake.wait_commands_registered().await;
    let refused = fake
        .requests()
        .iter()
        .filter(|r| r.route() == "/gateway" && r.status == Some(503))
        .count();
    assert_eq!(refused, 1, "serenity's lookup was the one that failed");
    running.shutdown().await.expect("stops cleanly");
}

#[tokio::test]
async fn a_shutdown_does_not_wait_for_a_gateway_question_that_hangs() {
    let fake = FakeDiscord::start().await;
    let gateway = RouteMatcher::prefix("GET", "/gateway/bot");
    fake.fail_next(gateway, Fault::Delay(Duration::from_secs(60)), 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let since = fake.mark();
    let running = start(&fake, &dir, Shards::Auto).await;
    fake.wait_request_arrived(since, |r| r.route() == "/gateway/bot")
        .await;
    stop_promptly(running, "the shutdown does not wait for the answer").await;
}

#[tokio::test]
async fn a_shutdown_while_the_gateway_socket_is_still_opening_is_prompt() {
    let fake = FakeDiscord::start_with(FakeOptions {
        gateway_handshake_delay: Some(Duration::from_secs(60)),
        ..FakeOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let running = start(&fake, &dir, Shards::Fixed(1)).await;
    fake.wait_gateway_sockets(1).await;
    stop_promptly(
        running,
        "the shutdown does not wait for a socket that is still opening",
    )
    .await;
}

#[tokio::test]
async fn a_shutdown_while_shards_are_still_booting_is_prompt() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    // serenity starts shards five seconds apart: with two running, the third waits its turn.
    let running = start(&fake, &dir, Shards::Fixed(3)).await;
    fake.wait_ready().await;
    let first = fake.mark();
    fake.wait_frame_timeout(first, Duration::from_secs(10), |f| f.is_dispatch("READY"))
        .await;
    let began = std::time::Instant::now();
    stop_promptly(
        running,
        "the shutdown does not wait for shards still to boot",
    )
    .await;
    // Closing what runs takes milliseconds; serenity's queuer would have been waited for
    // until it had started the third shard, five seconds after the second.
    let took = began.elapsed();
    assert!(took < Duration::from_secs(2), "the shutdown took {took:?}");
}

/// A PostgreSQL database that refuses connections at the start (a server restarting, a
/// database closed for maintenance) is waited for like Discord: the start tries again after a
/// growing wait on the bot's clock, and goes on once the database answers.
async fn a_database_that_cannot_be_reached_yet_is_waited_for() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = test_postgres::database().await;
    database.set_reachable(false).await;
    let mut config = config(&fake.api_base(), &dir, Shards::Fixed(1));
    config.storage.database = Database::parse(database.url()).expect("url");
    let clock = ManualClock::new(Timestamp::now());
    let starting = tokio::spawn(start_with(config, Some(clock.clone())));
    let now = clock.now();
    let cap = SignedDuration::try_from(bridgebot::app::DATABASE_RETRY_CAP).expect("cap");
    let until = tokio::time::timeout(
        Duration::from_secs(20),
        clock.sleeper(|at| at > now && at <= now + cap),
    )
    .await
    .expect("the start waits to try the database again");
    assert!(!starting.is_finished(), "the start waits for the database");
    database.set_reachable(true).await;
    clock.set(until);
    let running = tokio::time::timeout(Duration::from_secs(20), starting)
        .await
        .expect("the start goes on once the database answers")
        .expect("join");
    stop_promptly(running, "after waiting for the database").await;
}

on_postgres!(a_database_that_cannot_be_reached_yet_is_waited_for);
