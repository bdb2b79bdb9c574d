//! The kill -9 soak: the real binary is killed at random moments while the daily tips of
//! many servers are being posted, restarted, and killed again, at least 50 times; then it
//! runs to the end. No server may get two tips for the day, and none may lose its tip. Every
//! fifth server also has a team pulse closing and a weekly digest due in the same minute:
//! each gets its pulse result (with the follow-up of an earlier focus) and its digest exactly
//! once too; and another fifth a pulse open two days whose reminder (a day before the close)
//! is due then, posted exactly once.
//!
//! The second soak splits the bot across three processes on one PostgreSQL database, each
//! holding two of six shards: 3,000 servers whose tips fall due together, a process killed
//! with SIGKILL at random moments and restarted, 30 times, and one range moved to a new process
//! (the old one stopped with SIGTERM, the new one started at once) while posts go out. Every
//! server gets its tip exactly once, and the three together never send the fake more than 50
//! requests in any second.
//!
//! Slow by design (a minute or two each), so they are not part of the regular suite:
//! `cargo test --release --test soak -- --ignored --nocapture`
//! (`BRIDGEBOT_SOAK_KILLS` and `BRIDGEBOT_SOAK_SERVERS` change the counts; add `kill_9` or
//! `three_processes` to run one of them).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bridgebot::content::Content;
use bridgebot::model::duty::{DutyKind, DutyStatus};
use bridgebot::model::schedule::{DigestOptions, PulseOptions, Schedule};
use bridgebot::pulse::member_hash;
use bridgebot::schedule::open_for_week;
use bridgebot::store::Store;
use bridgebot::when::{DailyTime, Days, Recurrence, Zone};
use fake_discord::{extra_guild_channel_id, extra_guild_id, FakeDiscord, FakeOptions, GUILD_ID};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;

#[path = "../benches/support/seed.rs"]
mod seed;
use seed::seed_daily_tips;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn spawn(config: &std::path::Path) -> Child {
    spawn_logged(config, None)
}

/// The bot binary with `config`; its log (JSON lines) appended to `log` when given.
fn spawn_logged(config: &std::path::Path, log: Option<&std::path::Path>) -> Child {
    let stderr = match log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("log file"),
        ),
        None => Stdio::null(),
    };
    Command::new(env!("CARGO_BIN_EXE_bridgebot"))
        .args(["run", "--config"])
        .arg(config)
        .env("DISCORD_TOKEN", "soak-token")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the bot starts")
}

/// What a scheduled post in the soak is, by its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Tip,
    PulseResult,
    PulseReminder,
    Digest,
}

fn kind_of(request: &fake_discord::RecordedRequest) -> Kind {
    let title = request
        .body
        .as_ref()
        .and_then(|b| b["embeds"][0]["title"].as_str())
        .unwrap_or_default();
    if title.starts_with("Team pulse result") {
        Kind::PulseResult
    } else if title.starts_with("Team pulse reminder") {
        Kind::PulseReminder
    } else if title.starts_with("Weekly digest") {
        Kind::Digest
    } else {
        Kind::Tip
    }
}

/// Successful posts of one kind per channel so far.
fn posts_per_channel(fake: &FakeDiscord, kind: Kind) -> HashMap<u64, usize> {
    let mut counts = HashMap::new();
    for request in fake.requests() {
        if request.method == "POST"
            && request.status == Some(200)
            && request.route().ends_with("/messages")
            && kind_of(&request) == kind
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

/// The servers that also have a pulse closing and a digest due.
fn has_pulse(index: usize) -> bool {
    index.is_multiple_of(5)
}

/// Servers whose pulse (open two days since yesterday) is owed its reminder now.
fn has_reminder(index: usize) -> bool {
    index % 5 == 2
}

/// Gives server `index` a pulse that opened yesterday at this minute, open two days and
/// reminded a day before it closes: now.
async fn seed_reminder(store: &Store, content: &Content, index: usize, due: Timestamp) {
    let local = due.to_zoned(jiff::tz::TimeZone::UTC);
    let yesterday = due - SignedDuration::from_hours(24);
    let pulse = Schedule {
        guild_id: extra_guild_id(index),
        channel_id: extra_guild_channel_id(index),
        when: Recurrence {
            time: DailyTime::new(local.hour(), local.minute()).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekly(yesterday.to_zoned(jiff::tz::TimeZone::UTC).weekday()),
        },
        paused: false,
        active_since: due - SignedDuration::from_hours(48),
        options: PulseOptions::new(2, 2),
    };
    store.save_schedule(&pulse, due).await.expect("seed pulse");
    open_for_week(store, content, &pulse, yesterday)
        .await
        .expect("open the pulse");
}

/// The focus chosen from the pulse before: each result names it as last week's focus.
const FOCUS: &str = "Ask one person a day what blocks them";

/// Gives server `index` a pulse that opened yesterday at this minute and closes now, with the
/// follow-up of an earlier focus, answered by three members, and a digest due now.
async fn seed_pulse_and_digest(store: &Store, content: &Content, index: usize, due: Timestamp) {
    let guild_id = extra_guild_id(index);
    let channel_id = extra_guild_channel_id(index);
    let local = due.to_zoned(jiff::tz::TimeZone::UTC);
    let time = DailyTime::new(local.hour(), local.minute()).expect("time");
    let yesterday = due - SignedDuration::from_hours(24);
    let pulse = Schedule {
        guild_id,
        channel_id,
        when: Recurrence {
            time,
            zone: Zone::utc(),
            days: Days::Weekly(yesterday.to_zoned(jiff::tz::TimeZone::UTC).weekday()),
        },
        paused: false,
        active_since: due - SignedDuration::from_hours(48),
        options: PulseOptions::new(2, 1),
    };
    store.save_schedule(&pulse, due).await.expect("seed pulse");
    // Ten days ago a pulse closed and its lead chose a focus, so this week's pulse asks the
    // follow-up too (too long ago for a result of its own to be owed now).
    let earlier = open_for_week(
        store,
        content,
        &pulse,
        due - SignedDuration::from_hours(240),
    )
    .await
    .expect("an earlier pulse");
    store.close_pulse(earlier.id).await.expect("closed");
    store
        .choose_focus(earlier.id, guild_id, &earlier.statements[0], FOCUS, due)
        .await
        .expect("a focus");
    let open = open_for_week(store, content, &pulse, yesterday)
        .await
        .expect("open the pulse");
    assert_eq!(open.statements.len(), 3, "two statements and the follow-up");
    let key = store.pulse_key(open.id).await.expect("key").expect("open");
    for member in [1_u64, 2, 3] {
        let answers: Vec<(String, u8)> = open.statements.iter().map(|s| (s.clone(), 4)).collect();
        store
            .save_pulse_answers(open.id, &member_hash(&key, member), &answers)
            .await
            .expect("answer");
    }
    let digest = Schedule {
        guild_id,
        channel_id,
        when: Recurrence {
            time,
            zone: Zone::utc(),
            days: Days::Weekly(local.weekday()),
        },
        paused: false,
        active_since: due - SignedDuration::from_hours(1),
        options: DigestOptions {},
    };
    store
        .save_schedule(&digest, due)
        .await
        .expect("seed digest");
}

/// Gives servers `0..servers` a daily tip due in the minute of `now` (UTC), set up an hour
/// before.
async fn seed_tips(store: &Store, servers: usize, now: Timestamp) {
    seed_daily_tips(store, servers, now, now - SignedDuration::from_hours(1)).await;
}

/// Which servers lack their tip and which got two, by the fake's successful posts.
fn lost_and_doubled(fake: &FakeDiscord, servers: usize) -> (Vec<usize>, Vec<u64>) {
    let counts = posts_per_channel(fake, Kind::Tip);
    let lost = (0..servers)
        .filter(|i| !counts.contains_key(&extra_guild_channel_id(*i)))
        .collect();
    let doubled = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(c, _)| *c)
        .collect();
    (lost, doubled)
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
async fn kill_9_at_random_moments_never_doubles_or_loses_a_tip_a_result_or_a_digest() {
    let kills = env_count("BRIDGEBOT_SOAK_KILLS", 50);
    // Enough servers that the fan-out (48 posts a second) outlasts the kills: every kill lands
    // while tips are being posted, not after the last one.
    let servers = env_count("BRIDGEBOT_SOAK_SERVERS", 2000);
    let fake = FakeDiscord::start_with(FakeOptions::fan_out(servers)).await;
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
    let minute_start = minute
        .with()
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .expect("the minute")
        .timestamp();
    let store = Store::open(&database).await.expect("database");
    let content = Content::bundled().expect("content");
    for index in (0..servers).filter(|i| has_pulse(*i)) {
        seed_pulse_and_digest(&store, &content, index, minute_start).await;
    }
    for index in (0..servers).filter(|i| has_reminder(*i)) {
        seed_reminder(&store, &content, index, minute_start).await;
    }
    seed_tips(&store, servers, now).await;
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
        for kind in [
            Kind::Tip,
            Kind::PulseResult,
            Kind::PulseReminder,
            Kind::Digest,
        ] {
            let so_far = posts_per_channel(&fake, kind);
            let doubled = so_far.values().filter(|n| **n > 1).count();
            assert_eq!(doubled, 0, "round {round}: a server got two of {kind:?}");
        }
    }
    // Then let it finish.
    let mut child = spawn(&config);
    let with_pulse = (0..servers).filter(|i| has_pulse(*i)).count();
    let with_reminder = (0..servers).filter(|i| has_reminder(*i)).count();
    let deadline = Instant::now() + Duration::from_secs(60 + servers as u64 / 30);
    loop {
        let done = posts_per_channel(&fake, Kind::Tip).len() >= servers
            && posts_per_channel(&fake, Kind::PulseResult).len() >= with_pulse
            && posts_per_channel(&fake, Kind::Digest).len() >= with_pulse
            && posts_per_channel(&fake, Kind::PulseReminder).len() >= with_reminder;
        if done || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    child.kill().expect("stop");
    child.wait().expect("reaped");

    for (kind, owed) in [
        (Kind::PulseResult, has_pulse as fn(usize) -> bool),
        (Kind::Digest, has_pulse),
        (Kind::PulseReminder, has_reminder),
    ] {
        let counts = posts_per_channel(&fake, kind);
        let lost = (0..servers)
            .filter(|i| owed(*i) && !counts.contains_key(&extra_guild_channel_id(*i)))
            .count();
        let doubled = counts.values().filter(|n| **n > 1).count();
        let with_pulse = (0..servers).filter(|i| owed(*i)).count();
        println!(
            "soak: {kind:?}: {with_pulse} owed, posted {}, lost {lost}, doubled {doubled}",
            counts.len()
        );
        assert_eq!(doubled, 0, "servers with two of {kind:?}");
        assert_eq!(lost, 0, "servers without their {kind:?}");
    }
    let results: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.status == Some(200) && kind_of(r) == Kind::PulseResult)
        .map(|r| r.body.as_ref().map(|b| b.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        results.len(),
        (0..servers).filter(|i| has_pulse(*i)).count(),
        "one result per pulse"
    );
    assert!(
        results
            .iter()
            .all(|body| body.contains("Last week's focus") && body.contains(FOCUS)),
        "every result shows its follow-up"
    );
    let (lost, doubled) = lost_and_doubled(&fake, servers);
    let recoveries = recoveries(&fake);
    println!(
        "soak: {round} kills, {servers} servers, {:.0} s; posted {}, lost {}, doubled {}; {recoveries} checks of claims a kill left unfinished",
        started.elapsed().as_secs_f64(),
        servers - lost.len(),
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
        if has_pulse(index) {
            // A pulse's result is logged under its week: it opened yesterday.
            let pulse_week = bridgebot::pulse::week_of(today.yesterday().expect("a day before"));
            for (duty, date) in [
                (DutyKind::PulseResult, pulse_week),
                (DutyKind::Digest, today),
            ] {
                let entry = store
                    .duty_entry(duty, extra_guild_id(index), date)
                    .await
                    .expect("read")
                    .expect("a row for the day");
                assert_eq!(entry.status, DutyStatus::Posted, "{duty} of server {index}");
            }
        }
        if has_reminder(index) {
            // Logged under its pulse's week, which opened yesterday.
            let week = bridgebot::pulse::week_of(today.yesterday().expect("a day before"));
            let entry = store
                .duty_entry(DutyKind::PulseReminder, extra_guild_id(index), week)
                .await
                .expect("read")
                .expect("a row for the reminder");
            assert_eq!(
                entry.status,
                DutyStatus::Posted,
                "reminder of server {index}"
            );
        }
    }
    store.close().await;
}

/// The most requests the fake received in any one second (a sliding window over arrivals),
/// and what they were (method and route, with ids as `N`, and how many of each).
fn busiest_second(fake: &FakeDiscord) -> (usize, Vec<(String, usize)>) {
    let mut requests = fake.requests();
    requests.sort_by_key(|r| r.at);
    let (mut busiest, mut window) = (0, 0..0);
    let mut first = 0;
    for (last, request) in requests.iter().enumerate() {
        while request.at.duration_since(requests[first].at) >= Duration::from_secs(1) {
            first += 1;
        }
        if last - first + 1 > busiest {
            busiest = last - first + 1;
            window = first..last + 1;
        }
    }
    let mut kinds: HashMap<String, usize> = HashMap::new();
    for request in &requests[window] {
        let route: Vec<&str> = request
            .route()
            .split('/')
            .map(|part| {
                if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
                    "N"
                } else {
                    part
                }
            })
            .collect();
        *kinds
            .entry(format!("{} {}", request.method, route.join("/")))
            .or_default() += 1;
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by_key(|kind| std::cmp::Reverse(kind.1));
    (busiest, kinds)
}

/// One of the three processes: its shards, config file, log and the running child.
struct Process {
    shards: &'static str,
    config: std::path::PathBuf,
    log: std::path::PathBuf,
    child: Child,
}

impl Process {
    fn start(
        dir: &std::path::Path,
        name: &str,
        shards: &'static str,
        config_text: &str,
    ) -> Process {
        let config = dir.join(format!("{name}.toml"));
        std::fs::write(&config, config_text.replace("SHARDS", shards)).expect("config");
        let log = dir.join(format!("{name}.log"));
        let child = spawn_logged(&config, Some(&log));
        Process {
            shards,
            config,
            log,
            child,
        }
    }

    fn kill_and_restart(&mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
        self.child = spawn_logged(&self.config, Some(&self.log));
    }

    /// SIGTERM, as a supervisor stops a process; does not wait for it to end.
    fn terminate(&self) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        let status = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success(), "SIGTERM to {pid}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow soak; run with --ignored (see the module doc)"]
async fn three_processes_on_ranges_of_shards_never_double_or_lose_a_tip_through_kills_and_a_range_move(
) {
    let kills = env_count("BRIDGEBOT_SOAK_KILLS", 30);
    let servers = env_count("BRIDGEBOT_SOAK_SERVERS", 3000);
    let postgres = test_postgres::database().await;
    let fake = FakeDiscord::start_with(FakeOptions::fan_out(servers)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    // 42 posts a second for the bot, 14 for each process: the rest of the 50 is left for what
    // a start asks outside the pacer (the gateway's address, the application, the commands),
    // which the soak's restarts, one every second or so, bring in numbers.
    let config_text = format!(
        "[discord]\napi_base = \"{}\"\nguild_id = {GUILD_ID}\nshards = \"SHARDS\"\n[storage]\ndatabase = \"{}\"\nlease_seconds = 3\n[schedule]\nposts_per_second = 42\n[log]\nformat = \"json\"\n",
        fake.api_base(),
        postgres.url()
    );
    let now = Timestamp::now();
    let store = Store::open_postgres(postgres.url(), "the soak database")
        .await
        .expect("database");
    seed_tips(&store, servers, now).await;
    store.close().await;

    let started = Instant::now();
    let mut processes: Vec<Process> = [("a", "0-1/6"), ("b", "2-3/6"), ("c", "4-5/6")]
        .into_iter()
        .map(|(name, shards)| Process::start(dir.path(), name, shards, &config_text))
        .collect();
    let mut moved = false;
    // At least `kills` rounds; more (up to four times as many) while no kill has yet landed
    // between a claim and its log write and tips are still going out, as in the soak above.
    let mut round = 0;
    while round < kills
        || (recoveries(&fake) == 0
            && round < kills * 4
            && !lost_and_doubled(&fake, servers).0.is_empty())
    {
        round += 1;
        let pause = Duration::from_millis(rand::rng().random_range(200..1500));
        tokio::time::sleep(pause).await;
        if !moved && round == kills / 2 {
            // The range moves: its process is stopped as a supervisor would, and a new one
            // (another config file, as on another machine) takes it over at once.
            let old = processes.pop().expect("the third process");
            old.terminate();
            processes.push(Process::start(dir.path(), "d", old.shards, &config_text));
            let mut old = old;
            let ended = tokio::task::spawn_blocking(move || old.child.wait())
                .await
                .expect("join")
                .expect("the stopped process ends");
            assert!(
                ended.success(),
                "the moved range's old process stopped cleanly: {ended}"
            );
            moved = true;
            continue;
        }
        let victim = rand::rng().random_range(0..processes.len());
        processes[victim].kill_and_restart();
        let (_, doubled) = lost_and_doubled(&fake, servers);
        assert!(
            doubled.is_empty(),
            "round {round}: servers with two tips: {doubled:?}"
        );
    }
    let deadline = Instant::now() + Duration::from_secs(120 + servers as u64 / 15);
    while !lost_and_doubled(&fake, servers).0.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for process in &mut processes {
        process.child.kill().expect("stop");
        process.child.wait().expect("reaped");
    }
    let (lost, doubled) = lost_and_doubled(&fake, servers);
    let (busiest, busiest_kinds) = busiest_second(&fake);
    let recoveries = recoveries(&fake);
    println!(
        "soak (3 processes): {} kills and a range move, {servers} servers, {:.0} s; posted {}, lost {}, doubled {}; busiest second {busiest} requests, {} answered 429; {recoveries} checks of claims a kill left unfinished",
        round - 1,
        started.elapsed().as_secs_f64(),
        servers - lost.len(),
        lost.len(),
        doubled.len(),
        fake.rate_limited_count(),
    );
    assert!(doubled.is_empty(), "servers with two tips: {doubled:?}");
    assert!(
        lost.is_empty(),
        "servers without their tip: {} (first {:?}); logs in {}",
        lost.len(),
        lost.first(),
        dir.path().display()
    );
    assert!(
        busiest <= 50,
        "{busiest} requests in one second at the fake: {busiest_kinds:?}"
    );
    let store = Store::open_postgres(postgres.url(), "the soak database")
        .await
        .expect("database");
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
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
