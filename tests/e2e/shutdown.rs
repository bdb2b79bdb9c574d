//! Shutdown: SIGTERM ends the real process cleanly and quickly, and a tip caught by the
//! shutdown is either posted and logged, or left for the next start, never both.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use bridgebot::clock::ManualClock;
use bridgebot::config::Database;
use bridgebot::model::duty::{DutyKind, DutyStatus};
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{FakeDiscord, Fault, RouteMatcher, ADMIN_ID, GUILD_ID, TEXT_CHANNEL_ID};
use jiff::{SignedDuration, Timestamp};
use tokio::sync::broadcast;

use crate::support;
use crate::support::events::{next_event, next_event_driving};
use crate::support::on_both_engines;
use crate::support::TestBot;

/// How soon a clean stop after SIGTERM must end (the systemd unit and Docker wait this long).
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// Starts the real binary with `bridgebot.toml` in `dir` pointing at `fake`, one shard.
fn spawn_bot(fake: &FakeDiscord, dir: &tempfile::TempDir) -> Child {
    spawn_bot_on(fake, dir, "bot.db", Stdio::null())
}

/// [`spawn_bot`] with `database` as `[storage] database`, its log lines going to `stderr`.
fn spawn_bot_on(
    fake: &FakeDiscord,
    dir: &tempfile::TempDir,
    database: &str,
    stderr: Stdio,
) -> Child {
    let config = dir.path().join("bridgebot.toml");
    std::fs::write(
        &config,
        format!(
            "[discord]\napi_base = \"{}\"\nguild_id = {GUILD_ID}\nshards = 1\n[storage]\ndatabase = \"{database}\"\n",
            fake.api_base()
        ),
    )
    .expect("write config");
    Command::new(env!("CARGO_BIN_EXE_bridgebot"))
        .args(["run", "--config"])
        .arg(&config)
        .env("DISCORD_TOKEN", support::TOKEN)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the bot starts")
}

/// Whether process `pid` has a handler for SIGTERM (bit 15 of `SigCgt` in its status), so that
/// a SIGTERM asks it to stop instead of killing it.
fn handles_sigterm(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigCgt:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (15 - 1)) != 0)
}

/// Sends SIGTERM and returns how the process ended; fails if it took over [`STOP_WITHIN`].
///
/// The signal goes once the process handles SIGTERM: `app::run` starts listening when it first
/// polls its stop signal, which can come a moment after the start's first step has already
/// logged (such as "cannot reach the database"); a SIGTERM in between kills the process.
async fn sigterm(mut child: Child) -> ExitStatus {
    let pid = child.id();
    let listening = tokio::task::spawn_blocking(move || {
        let since = Instant::now();
        while !handles_sigterm(pid) && since.elapsed() < STOP_WITHIN {
            std::thread::park_timeout(Duration::from_millis(5));
        }
        handles_sigterm(pid)
    })
    .await
    .expect("the SIGTERM watcher");
    assert!(
        listening,
        "the bot did not listen for SIGTERM within {STOP_WITHIN:?}"
    );
    let asked = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if asked.elapsed() > STOP_WITHIN {
            let _ = child.kill();
            return None;
        }
        std::thread::park_timeout(Duration::from_millis(20));
    })
    .await
    .expect("waiter");
    status.expect("the bot did not stop within 10 s of SIGTERM")
}

#[tokio::test]
async fn sigterm_stops_the_process_with_exit_0_within_ten_seconds() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let child = spawn_bot(&fake, &dir);
    fake.wait_commands_registered().await;
    let status = sigterm(child).await;
    assert!(status.success(), "exit status {status}");
    assert!(dir.path().join("bot.db").exists());
    fake.assert_no_violations();
}

#[tokio::test]
async fn sigterm_while_waiting_for_discord_stops_the_process_with_exit_0() {
    let fake = FakeDiscord::start().await;
    let gateway = RouteMatcher::prefix("GET", "/gateway/bot");
    fake.fail_next(gateway, Fault::ServerError(503), 1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let asks_for_gateway = |r: &fake_discord::RecordedRequest| r.route() == "/gateway/bot";
    let since = fake.mark();
    let child = spawn_bot(&fake, &dir);
    fake.wait_request(since, asks_for_gateway).await;
    let since = fake.mark();
    fake.wait_request(since, asks_for_gateway).await;
    // It asked again: the bot is waiting for Discord, not gone.
    let status = sigterm(child).await;
    assert!(status.success(), "exit status {status}");
    assert!(
        fake.frames().is_empty(),
        "it never connected the gateway while Discord failed"
    );
}

#[tokio::test]
async fn sigterm_while_waiting_for_the_database_stops_the_process_with_exit_0() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    // A socket folder where no server listens (yet).
    let url = format!(
        "postgres://bridgebot@localhost/bridgebot?host={}",
        dir.path().display()
    );
    let mut child = spawn_bot_on(&fake, &dir, &url, Stdio::piped());
    let stderr = child.stderr.take().expect("stderr");
    let (said, heard) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok);
        let waiting = lines.any(|line| line.contains("cannot reach the database; trying again"));
        let _ = said.send(waiting);
        // Read on to the end, so the bot's later lines never meet a closed pipe.
        lines.for_each(drop);
    });
    let waiting = tokio::time::timeout(STOP_WITHIN, heard)
        .await
        .expect("the bot says it waits for the database")
        .expect("the reader answers");
    assert!(
        waiting,
        "the bot ended without saying it waits for the database"
    );
    let status = sigterm(child).await;
    assert!(status.success(), "exit status {status}");
    assert!(
        fake.frames().is_empty(),
        "it never connected without a database"
    );
}

fn nine() -> Timestamp {
    "2026-11-30T09:00:00Z".parse().expect("ts")
}

/// A bot with a daily tip set up for 09:00 UTC, its clock at 08:00, and its event stream.
async fn bot_with_a_tip_due() -> (TestBot, broadcast::Receiver<ScheduleEvent>) {
    let start: Timestamp = "2026-11-30T08:00:00Z".parse().expect("ts");
    let bot = TestBot::builder()
        .clock(ManualClock::new(start))
        .start()
        .await;
    let mut events = bot.running().schedule_events();
    let answer = bot
        .ask(
            bot.fake()
                .slash("tips")
                .subcommand("setup")
                .as_user(ADMIN_ID)
                .option("channel", TEXT_CHANNEL_ID.to_string())
                .option("time", "09:00"),
        )
        .await;
    answer.assert_says("Daily tips are set");
    next_event(&mut events, "the tip's plan", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    (bot, events)
}

fn is_tip_post(request: &fake_discord::RecordedRequest) -> bool {
    request.method == "POST" && request.route() == format!("/channels/{TEXT_CHANNEL_ID}/messages")
}

async fn todays_log(database: &Database) -> Option<bridgebot::store::DutyEntry> {
    let store = support::open_store(database).await;
    let entry = store
        .duty_entry(
            DutyKind::Tip,
            GUILD_ID,
            nine().to_zoned(jiff::tz::TimeZone::UTC).date(),
        )
        .await
        .expect("read");
    store.close().await;
    entry
}

async fn a_tip_on_its_way_to_discord_at_shutdown_is_posted_and_logged() {
    let (mut bot, _events) = bot_with_a_tip_due().await;
    let route = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", &route),
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    let mark = bot.fake().mark();
    bot.clock().expect("clock").set(nine());
    bot.fake().wait_request_arrived(mark, is_tip_post).await;
    // Stopped while the post is on its way; checked before the bot starts again.
    bot.restart_after(|database, fake| async move {
        let posted = fake
            .requests()
            .into_iter()
            .filter(is_tip_post)
            .collect::<Vec<_>>();
        assert_eq!(posted.len(), 1);
        let message_id: u64 = posted[0]
            .response
            .as_ref()
            .and_then(|r| r["id"].as_str())
            .and_then(|id| id.parse().ok())
            .expect("Discord answered the post before the stop ended");
        let entry = todays_log(&database).await.expect("the day is logged");
        assert_eq!(
            (entry.status, entry.message_id),
            (DutyStatus::Posted, Some(message_id))
        );
    })
    .await;
    bot.shutdown().await;
}

async fn a_tip_waiting_to_retry_at_shutdown_is_left_for_the_next_start_and_posted_once() {
    let (mut bot, _events) = bot_with_a_tip_due().await;
    let route = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", &route),
        Fault::ServerError(500),
        1,
    );
    let mark = bot.fake().mark();
    let clock = bot.clock().expect("clock").clone();
    clock.set(nine());
    let failed = bot.fake().wait_request(mark, is_tip_post).await;
    assert_eq!(failed.status, Some(500));
    // The job now waits on the clock to retry: that is when the shutdown comes.
    clock.sleeper(|at| at > nine()).await;
    bot.restart_after(|database, _| async move {
        let entry = todays_log(&database).await.expect("claimed");
        assert_eq!(
            entry.status,
            DutyStatus::Sending,
            "left claimed for the next start"
        );
    })
    .await;
    let mut events = bot.running().schedule_events();
    // The recovered tip is paced after the lookup that found it unsent.
    next_event_driving(
        &mut events,
        &clock,
        SignedDuration::from_secs(1),
        "the recovered tip",
        |e| matches!(e, ScheduleEvent::Posted { .. }),
    )
    .await;
    let statuses: Vec<_> = bot
        .fake()
        .requests()
        .into_iter()
        .filter(is_tip_post)
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        vec![Some(500), Some(200)],
        "one failure before the stop, one post after"
    );
    bot.restart_after(|database, _| async move {
        let entry = todays_log(&database).await.expect("logged");
        assert_eq!(entry.status, DutyStatus::Posted);
    })
    .await;
    bot.shutdown().await;
}

#[tokio::test]
async fn a_slash_command_being_answered_at_shutdown_is_answered_before_the_stop_ends() {
    let start: Timestamp = "2026-11-30T08:00:00Z".parse().expect("ts");
    let mut bot = TestBot::builder()
        .clock(ManualClock::new(start))
        .start()
        .await;
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", "/interactions/"),
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    let mark = bot.fake().mark();
    let setup = bot
        .fake()
        .slash("tips")
        .subcommand("setup")
        .as_user(ADMIN_ID)
        .option("channel", TEXT_CHANNEL_ID.to_string())
        .option("time", "09:00")
        .send()
        .await;
    bot.fake()
        .wait_request_arrived(mark, |r| r.route().starts_with("/interactions/"))
        .await;
    // Stopped while the answer is on its way; checked before the bot starts again.
    bot.restart_after(|database, fake| async move {
        let route = setup.callback_route();
        let answer = fake
            .requests()
            .into_iter()
            .find(|r| r.route() == route)
            .expect("the answer reached Discord");
        assert!(
            answer.status.is_some_and(|status| status < 300),
            "the answer was still on its way when the stop ended: {:?}",
            answer.status
        );
        let store = support::open_store(&database).await;
        let saved = store
            .schedule::<bridgebot::model::schedule::TipOptions>(GUILD_ID)
            .await
            .expect("read");
        assert!(saved.is_some(), "the settings were saved");
        store.close().await;
    })
    .await;
    bot.shutdown().await;
}

on_both_engines!(
    a_tip_on_its_way_to_discord_at_shutdown_is_posted_and_logged,
    a_tip_waiting_to_retry_at_shutdown_is_left_for_the_next_start_and_posted_once,
);
