//! The benchmark: `cargo bench --bench bench [-- --quick]`.
//!
//! Starts the fake Discord and the real bot in this process (as the end-to-end tests do) and
//! prints a table:
//! - slash-command latency, INTERACTION_CREATE sent to callback received, p50/p99/max, at a
//!   steady 200/s and 1,000/s, for bridgebot (`/contrast topic:vision-execution`) and for a
//!   bare poise bot answering a fixed string, in the same run, taking turns second by second;
//!   the ratio is what matters. A third bot, bare poise with a command of the same shape
//!   (`/contrast topic`) sending bridgebot's answer prebuilt, splits that ratio into the cost
//!   of the richer command and answer, and the cost of bridgebot itself;
//! - interactions answered late (over 3 s) or not at all;
//! - content load and validation time;
//! - the bot's resident memory, idle and with 2,000 and 10,000 servers shaped like a team's
//!   (30 text channels with a permission overwrite each, 15 roles, the bot's own member holding
//!   its role), and what each server adds: the bot runs in a child process of this one (this
//!   same program, started with `--memory-child`) and its RSS is read from
//!   `/proc/PID/status`, so the fake (here, with its record of every frame it sent) is not
//!   counted;
//! - the daily-tip fan-out: 10,000 servers due in the same minute against a fake that allows
//!   50 message posts a second: time until all are posted, against the 200 s floor; once with
//!   the bot in this process on SQLite, once split across three processes (this program with
//!   `--bot-child`, two of six shards each) on a throwaway PostgreSQL server.
//!
//! - the store's hot paths that delete rows (a member's pulse answer, first and again; a tip's
//!   claim and record) and a pulse's close, on a SQLite file with `secure_delete` on, as the
//!   bot runs, and off, SQLite's default: what zeroing deleted content costs.
//!
//! The bot's logging is installed as in production (default level, writing to nowhere).
//!
//! `--quick` runs every measurement at smaller counts, in under a minute; `--servers N` sets
//! the number of servers in the fan-out; `--only bare`, `--only bare-embed` or
//! `--only bridgebot` runs nothing but that bot's latency runs, to profile it (`perf record`
//! around it); `--only memory` runs nothing but the memory measurement, `--only store` the
//! store's writes, `--only fan-out` the two fan-outs, `--only fan-out-split` the three-process
//! one. Progress goes to stderr, the table to stdout.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A measurement that cannot run stops with its reason.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bridgebot::app::{Bot, RunningBot};
use bridgebot::clock::ManualClock;
use bridgebot::config::{ApiBase, Config, Database, Shards, Snowflake};
use bridgebot::schedule::ScheduleEvent;
use bridgebot::store::Store;
use fake_discord::{
    extra_guild_channel_id, extra_guild_id, FakeDiscord, FakeOptions, GuildShape, Mark, GUILD_ID,
};
use jiff::Timestamp;
use poise::serenity_prelude as serenity;
use tokio::sync::broadcast;

#[path = "support/seed.rs"]
mod seed;
use seed::seed_daily_tips;

const TOKEN: &str = "bench-token";
/// Discord's deadline for a first answer.
const DEADLINE: Duration = Duration::from_secs(3);

struct Scale {
    seconds_per_rate: u64,
    servers: usize,
    /// Server counts the bot's memory is measured at.
    memory_servers: &'static [usize],
    /// Members answering a pulse (and tips claimed) in the store measurement.
    store_members: usize,
}

#[tokio::main]
async fn main() {
    install_production_logging();
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--memory-child") {
        memory_child(&args[at + 1..]).await;
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--bot-child") {
        bot_child(&args[at + 1..]).await;
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let mut scale = if quick {
        Scale {
            seconds_per_rate: 4,
            servers: 500,
            memory_servers: &[500, 2_000],
            store_members: 500,
        }
    } else {
        Scale {
            seconds_per_rate: 30,
            servers: 10_000,
            memory_servers: &[2_000, 10_000],
            store_members: 5_000,
        }
    };
    if let Some(servers) = flag_value(&args, "--servers") {
        scale.servers = servers;
    }
    println!(
        "bridgebot benchmark ({}), {} cores",
        if quick { "quick" } else { "full" },
        num_cpus()
    );
    println!();
    if let Some(at) = args.iter().position(|a| a == "--only") {
        let target = match args.get(at + 1).map(String::as_str) {
            Some("bare") => Target::Bare,
            Some("bare-embed") => Target::BareEmbed,
            Some("bridgebot") => Target::Bridgebot,
            Some("memory") => {
                print_memory(&memory(scale.memory_servers).await);
                return;
            }
            Some("store") => {
                println!("| measurement | value |");
                println!("| --- | --- |");
                print_store_writes(scale.store_members).await;
                return;
            }
            Some("fan-out-split") => {
                progress(&format!(
                    "daily-tip fan-out to {} servers, three processes",
                    scale.servers
                ));
                let three = fan_out_split(scale.servers, 3).await;
                print_fan_outs(scale.servers, None, &three);
                return;
            }
            Some("fan-out") => {
                progress(&format!(
                    "daily-tip fan-out to {} servers, one process",
                    scale.servers
                ));
                let one = fan_out(scale.servers).await;
                progress("the same with three processes on PostgreSQL");
                let three = fan_out_split(scale.servers, 3).await;
                print_fan_outs(scale.servers, Some(&one), &three);
                return;
            }
            other => {
                panic!("--only takes bare, bare-embed, bridgebot, memory, store, fan-out or fan-out-split, not {other:?}")
            }
        };
        latency_only(target, scale.seconds_per_rate).await;
        return;
    }

    let memory = memory(scale.memory_servers).await;
    let load = content_load_time();
    progress(&format!("daily-tip fan-out to {} servers", scale.servers));
    let fan_out_one = fan_out(scale.servers).await;
    progress("the same with three processes on PostgreSQL");
    let fan_out_three = fan_out_split(scale.servers, 3).await;
    let mut rows = Vec::new();
    let mut worst = Lateness::default();
    for rate in [200u32, 1000] {
        progress(&format!("latency at {rate}/s"));
        let targets = [Target::Bare, Target::BareEmbed, Target::Bridgebot];
        let mut runs = latency_run(&targets, rate, scale.seconds_per_rate)
            .await
            .into_iter();
        let (Some(bare), Some(embed), Some(ours)) = (runs.next(), runs.next(), runs.next()) else {
            unreachable!("one result per target");
        };
        for run in [&bare, &embed, &ours] {
            worst.add(&run.lateness);
        }
        rows.push((rate, bare, embed, ours));
    }

    println!("| measurement | value |");
    println!("| --- | --- |");
    for (rate, bare, embed, ours) in &rows {
        println!(
            "| latency at {rate}/s, bare poise (p50 / p99 / max) | {} |",
            bare.summary()
        );
        println!(
            "| latency at {rate}/s, bare poise, same command and answer (p50 / p99 / max) | {} |",
            embed.summary()
        );
        println!(
            "| latency at {rate}/s, bridgebot (p50 / p99 / max) | {} |",
            ours.summary()
        );
        println!(
            "| ratio bridgebot / bare at {rate}/s (p50, p99) | {:.2}, {:.2} |",
            ours.p50.as_secs_f64() / bare.p50.as_secs_f64(),
            ours.p99.as_secs_f64() / bare.p99.as_secs_f64()
        );
        println!(
            "| ratio bridgebot / bare with the same command and answer at {rate}/s (p50, p99) | {:.2}, {:.2} |",
            ours.p50.as_secs_f64() / embed.p50.as_secs_f64(),
            ours.p99.as_secs_f64() / embed.p99.as_secs_f64()
        );
        println!(
            "| interactions sent at {rate}/s (each bot) | {} |",
            ours.sent
        );
    }
    println!(
        "| interactions answered late (> 3 s) or not at all | {} late, {} missing |",
        worst.late, worst.missing
    );
    println!(
        "| content load + validation | {:.2} ms |",
        load.as_secs_f64() * 1000.0
    );
    print_memory(&memory);
    print_fan_outs(scale.servers, Some(&fan_out_one), &fan_out_three);
    print_store_writes(scale.store_members).await;
}

/// The fan-out rows: one process on SQLite, and three on PostgreSQL.
fn print_fan_outs(servers: usize, one: Option<&FanOut>, three: &FanOut) {
    let floor = servers as f64 / 50.0;
    let runs = one
        .map(|one| ("one process, SQLite", one))
        .into_iter()
        .chain([("three processes (2 of 6 shards each), PostgreSQL", three)]);
    for (how, run) in runs {
        println!(
            "| tip fan-out, {how}: {servers} servers due at once, 50 posts/s allowed | {:.1} s to all posted (floor {:.0} s, ratio {:.3}) |",
            run.elapsed.as_secs_f64(),
            floor,
            run.elapsed.as_secs_f64() / floor
        );
        println!(
            "| tip fan-out, {how}: posted / lost / twice / 429s | {} / {} / {} / {} |",
            run.posted, run.lost, run.twice, run.rate_limited
        );
    }
}

/// Only one bot's latency runs, for profiling it alone.
async fn latency_only(target: Target, seconds: u64) {
    for rate in [200u32, 1000] {
        progress(&format!("latency at {rate}/s"));
        let run = latency_run(&[target], rate, seconds)
            .await
            .pop()
            .expect("one result");
        println!(
            "latency at {rate}/s (p50 / p99 / max): {}; {} sent, {} late, {} missing",
            run.summary(),
            run.sent,
            run.lateness.late,
            run.lateness.missing
        );
    }
}

/// The bot's own logging at its default level, as `bridgebot run` installs it, writing to
/// nowhere: what logging costs an answer is part of what is measured. The fake is not part of
/// the bot; its lines are off. The subscriber is process-wide, so the bare bots run under it
/// too, as a bare bot with its own `tracing` set-up would.
fn install_production_logging() {
    let config = bridgebot::config::LogConfig::default();
    let filter = bridgebot::log::filter(&format!("{},fake_discord=off", config.level));
    let subscriber = bridgebot::log::subscriber(&config, filter, std::io::sink);
    tracing::subscriber::set_global_default(subscriber).expect("no logger installed yet");
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Average time to read and validate the bundled content, as a start does (read afresh each
/// time: `Content::bundled` keeps what it read once).
fn content_load_time() -> Duration {
    const RUNS: u32 = 20;
    let started = Instant::now();
    for _ in 0..RUNS {
        let content =
            bridgebot::content::Content::read_bundled().expect("the bundled content is valid");
        bridgebot::reply::layout::validate(&content).expect("every answer fits");
    }
    started.elapsed() / RUNS
}

/// Resident memory of process `pid`, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn config_for(fake: &FakeDiscord, dir: &Path) -> Config {
    config_with(&fake.api_base(), dir.join("bench.db"))
}

fn config_with(api_base: &str, database: PathBuf) -> Config {
    let mut config = Config::default();
    config.discord.api_base = Some(ApiBase::parse(api_base).expect("api base"));
    config.discord.guild_id = Some(Snowflake(GUILD_ID));
    config.discord.shards = Shards::Fixed(1);
    config.storage.database = Database::Sqlite(database);
    config
}

/// `--name N` from the command line.
fn flag_value(args: &[String], name: &str) -> Option<usize> {
    let at = args.iter().position(|a| a == name)?;
    let value = args.get(at + 1)?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} takes a number, not {value}")),
    )
}

/// What the benchmark is doing, on stderr, so the table on stdout stays clean.
fn progress(what: &str) {
    eprintln!("bench: {what}...");
}

async fn start_bot(fake: &FakeDiscord, config: Config, clock: Option<ManualClock>) -> RunningBot {
    let token = config.token(|_| Some(TOKEN.into())).expect("token");
    let mut bot = Bot::new(config, token);
    if let Some(clock) = clock {
        bot = bot.with_clock(Arc::new(clock));
    }
    let running = bot.start().await.expect("the bot starts");
    fake.wait_commands_registered().await;
    running
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Bare poise answering a fixed string.
    Bare,
    /// Bare poise with a `/contrast topic` command answering bridgebot's embed, built once.
    BareEmbed,
    Bridgebot,
}

#[derive(Default, Clone, Copy)]
struct Lateness {
    late: usize,
    missing: usize,
}

impl Lateness {
    fn add(&mut self, other: &Lateness) {
        self.late += other.late;
        self.missing += other.missing;
    }
}

struct Latency {
    sent: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    lateness: Lateness,
}

impl Latency {
    fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{:.3} / {:.3} / {:.3} ms",
            ms(self.p50),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// A bot running for a [`Subject`].
enum Running {
    Bare(Arc<serenity::ShardManager>),
    Bridgebot(Box<RunningBot>),
}

/// One bot under measurement, with its own fake Discord.
struct Subject {
    target: Target,
    fake: FakeDiscord,
    _dir: tempfile::TempDir,
    bot: Running,
    ids: Vec<u64>,
}

impl Subject {
    async fn start(target: Target) -> Subject {
        let fake = FakeDiscord::start_with(FakeOptions {
            interaction_deadline: None,
            ..FakeOptions::default()
        })
        .await;
        let dir = tempfile::tempdir().expect("temp dir");
        let config = config_for(&fake, dir.path());
        let bot = match target {
            Target::Bare => {
                let pong = poise::CreateReply::default().content("pong");
                Running::Bare(start_bare(&fake, &config, pong).await)
            }
            Target::BareEmbed => Running::Bare(start_bare(&fake, &config, contrast_answer()).await),
            Target::Bridgebot => Running::Bridgebot(Box::new(start_bot(&fake, config, None).await)),
        };
        let subject = Subject {
            target,
            fake,
            _dir: dir,
            bot,
            ids: Vec::new(),
        };
        // Warm up: the first answers pay for connections and caches.
        for _ in 0..50 {
            let sent = subject.slash().send().await;
            subject.fake.wait_callback(&sent).await;
        }
        subject
    }

    fn slash(&self) -> fake_discord::SlashCommand {
        match self.target {
            Target::Bare => self.fake.slash("ping"),
            Target::BareEmbed | Target::Bridgebot => self
                .fake
                .slash("contrast")
                .option("topic", "vision-execution"),
        }
    }

    /// Sends `count` slash commands, `rate` a second.
    async fn send(&mut self, rate: u32, count: u64) {
        let mut ticker = tokio::time::interval(Duration::from_secs(1) / rate);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        for _ in 0..count {
            ticker.tick().await;
            self.ids.push(self.slash().send().await.id);
        }
    }

    async fn stop(self) -> Latency {
        let result = measure(&self.fake, &self.ids);
        match self.bot {
            Running::Bare(shards) => shards.shutdown_all().await,
            Running::Bridgebot(bot) => bot.shutdown().await.expect("clean stop"),
        }
        result
    }
}

/// The bots, each with its own fake, take turns: one second of `rate` slash commands a second
/// to the first, then to the next, until each has had `seconds` seconds. Taking turns second
/// by second puts all of them under the same machine conditions, which drift over a run more
/// than the difference being measured.
async fn latency_run(targets: &[Target], rate: u32, seconds: u64) -> Vec<Latency> {
    let mut subjects = Vec::new();
    for target in targets {
        subjects.push(Subject::start(*target).await);
    }
    for _ in 0..seconds {
        for subject in &mut subjects {
            subject.send(rate, u64::from(rate)).await;
        }
    }
    // Anything later than the deadline counts as late; give it that long, then measure.
    tokio::time::sleep(DEADLINE + Duration::from_millis(500)).await;
    let mut results = Vec::new();
    for subject in subjects {
        results.push(subject.stop().await);
    }
    results
}

/// Latency per interaction: from the dispatch frame the fake sent to the callback it got.
fn measure(fake: &FakeDiscord, ids: &[u64]) -> Latency {
    let wanted: std::collections::HashSet<u64> = ids.iter().copied().collect();
    let mut sent_at: HashMap<u64, Instant> = HashMap::new();
    for frame in fake.frames() {
        if frame.is_dispatch("INTERACTION_CREATE") {
            if let Some(id) = frame.json["d"]["id"]
                .as_str()
                .and_then(|s| s.parse::<u64>().ok())
            {
                if wanted.contains(&id) {
                    sent_at.insert(id, frame.at);
                }
            }
        }
    }
    let mut latencies = Vec::with_capacity(ids.len());
    for request in fake.requests() {
        let route = request.route();
        let Some(rest) = route.strip_prefix("/interactions/") else {
            continue;
        };
        let Some(id) = rest.split('/').next().and_then(|s| s.parse::<u64>().ok()) else {
            continue;
        };
        if let Some(sent) = sent_at.remove(&id) {
            latencies.push(request.at.saturating_duration_since(sent));
        }
    }
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Latency {
        sent: ids.len(),
        p50: at(0.50),
        p99: at(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        lateness: Lateness {
            late: latencies.iter().filter(|d| **d > DEADLINE).count(),
            missing: ids.len() - latencies.len(),
        },
    }
}

/// Bridgebot's answer to `/contrast topic:vision-execution`, as poise sends it.
fn contrast_answer() -> poise::CreateReply {
    let content = bridgebot::content::Content::bundled().expect("the bundled content is valid");
    let request = bridgebot::reply::Request::Contrast {
        topic: Some("vision-execution"),
    };
    let reply = bridgebot::reply::answer(&content, request, &mut rand::rng()).expect("answer");
    bridgebot::discord::convert::poise_reply(&reply)
}

/// A bare poise bot: one command answering `answer`, the same client setup.
async fn start_bare(
    fake: &FakeDiscord,
    config: &Config,
    answer: poise::CreateReply,
) -> Arc<serenity::ShardManager> {
    /// The fixed answer, to `/ping`.
    #[poise::command(slash_command)]
    async fn ping(
        ctx: poise::Context<'_, poise::CreateReply, serenity::Error>,
    ) -> Result<(), serenity::Error> {
        ctx.send(ctx.data().clone()).await?;
        Ok(())
    }
    /// The fixed answer, to a command shaped like bridgebot's `/contrast`.
    #[poise::command(slash_command)]
    async fn contrast(
        ctx: poise::Context<'_, poise::CreateReply, serenity::Error>,
        #[description = "Which contrast"] topic: Option<String>,
    ) -> Result<(), serenity::Error> {
        let _ = topic;
        ctx.send(ctx.data().clone()).await?;
        Ok(())
    }
    let token = config.token(|_| Some(TOKEN.into())).expect("token");
    let http = bridgebot::discord::http(&config.discord, &token);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ping(), contrast()],
            ..Default::default()
        })
        .setup(|ctx, _, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    serenity::GuildId::new(GUILD_ID),
                )
                .await?;
                Ok(answer)
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .expect("client");
    let shards = client.shard_manager.clone();
    tokio::spawn(async move { client.start().await });
    fake.wait_commands_registered().await;
    shards
}

struct FanOut {
    elapsed: Duration,
    posted: usize,
    lost: usize,
    twice: usize,
    rate_limited: usize,
}

/// `servers` servers, each with a tip due at 09:00 UTC, against a fake allowing 50 posts a
/// second: how long until every server has its tip.
async fn fan_out(servers: usize) -> FanOut {
    let fake = FakeDiscord::start_with(FakeOptions::fan_out(servers)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config_for(&fake, dir.path());
    let due = due();
    seed_servers(&dir.path().join("bench.db"), servers, due).await;
    progress("servers stored; starting the bot");
    let clock = ManualClock::new(due - jiff::SignedDuration::from_mins(1));
    let bot = start_bot(&fake, config, Some(clock.clone())).await;
    let mut events = bot.schedule_events();
    wait_planned(&mut events, servers).await;
    progress(&format!("{servers} servers planned; the due minute comes"));
    let started = Instant::now();
    clock.set(due);
    // From the due minute on, the bot's clock runs with real time, so that a tip waiting out a
    // 429's `retry_after` (on the bot's clock) gets to try again.
    let ticking = tokio::spawn(run_with_real_time(clock.clone(), due, started));
    let mut posted = 0;
    while posted < servers {
        match events.recv().await {
            Ok(ScheduleEvent::Posted { .. }) => {
                posted += 1;
                if posted % 1000 == 0 {
                    progress(&format!("{posted} tips posted"));
                }
            }
            Ok(ScheduleEvent::Failed { detail, .. }) => panic!("a tip failed: {detail}"),
            Ok(_) => {}
            Err(error) => panic!("event stream: {error}"),
        }
    }
    let elapsed = started.elapsed();
    ticking.abort();
    let tally = Tally::of(&fake, servers);
    bot.shutdown().await.expect("clean stop");
    FanOut {
        elapsed,
        posted,
        lost: tally.lost,
        twice: tally.twice,
        rate_limited: tally.rate_limited,
    }
}

/// The fake's record of the tips: which servers got none, which two, how many 429s, and when
/// the last one landed.
struct Tally {
    posted: usize,
    lost: usize,
    twice: usize,
    rate_limited: usize,
    last: Option<Instant>,
}

impl Tally {
    fn of(fake: &FakeDiscord, servers: usize) -> Tally {
        let mut per_channel: HashMap<u64, usize> = HashMap::new();
        let mut rate_limited = 0;
        let mut last = None;
        for request in fake.requests() {
            if request.method == "POST" && request.route().ends_with("/messages") {
                if request.status == Some(429) {
                    rate_limited += 1;
                } else if request.status == Some(200) {
                    let channel = request
                        .route()
                        .split('/')
                        .nth(2)
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(0);
                    *per_channel.entry(channel).or_default() += 1;
                    last = last.max(Some(request.at));
                }
            }
        }
        let lost = (0..servers)
            .filter(|i| !per_channel.contains_key(&extra_guild_channel_id(*i)))
            .count();
        Tally {
            posted: servers - lost,
            lost,
            twice: per_channel.values().filter(|n| **n > 1).count(),
            rate_limited,
            last,
        }
    }
}

/// The bot's shards in the split fan-out, and how they are shared among its processes.
const SPLIT_SHARDS: u32 = 6;

/// The fan-out with the bot split across `processes` processes (each this program started with
/// `--bot-child`, running the bot as `bridgebot run` does, on the system clock) sharing one
/// PostgreSQL database, `SPLIT_SHARDS` shards between them: time from the due minute to the
/// last tip posted.
async fn fan_out_split(servers: usize, processes: u32) -> FanOut {
    let postgres = test_postgres::database().await;
    let fake = FakeDiscord::start_with(FakeOptions::fan_out(servers)).await;
    // The next whole minute at least 40 s away: time to start and plan before it.
    let now = Timestamp::now();
    let due = Timestamp::from_second((now.as_second() + 40) / 60 * 60 + 60).expect("ts");
    let store = Store::open_postgres(postgres.url(), "the bench database")
        .await
        .expect("database");
    seed_and_close(store, servers, due).await;
    let per = SPLIT_SHARDS / processes;
    let children: Vec<Child> = (0..processes)
        .map(|n| {
            let last = if n + 1 == processes {
                SPLIT_SHARDS - 1
            } else {
                (n + 1) * per - 1
            };
            let shards = format!("{}-{last}/{SPLIT_SHARDS}", n * per);
            Command::new(std::env::current_exe().expect("this program"))
                .arg("--bot-child")
                .arg(fake.api_base())
                .arg(postgres.url())
                .arg(&shards)
                .stdin(Stdio::piped())
                .spawn()
                .expect("start a bot process")
        })
        .collect();
    let wait = due.duration_since(Timestamp::now());
    progress(&format!(
        "{processes} processes started; the tips fall due in {:.0} s",
        wait.as_secs_f64()
    ));
    let due_at = Instant::now() + Duration::try_from(wait).unwrap_or_default();
    let deadline = due_at + Duration::from_secs(servers as u64 / 10 + 60);
    // Reading the fake's record copies every request, so it is read only once the floor has
    // passed, and then every two seconds: the bots' processes need the machine's cores.
    let floor = Duration::from_millis(servers as u64 * 20);
    tokio::time::sleep_until((due_at + floor).into()).await;
    loop {
        let tally = Tally::of(&fake, servers);
        if tally.lost == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let tally = Tally::of(&fake, servers);
    for child in children {
        stop_child(child);
    }
    FanOut {
        elapsed: tally
            .last
            .map_or(Duration::MAX, |last| last.saturating_duration_since(due_at)),
        posted: tally.posted,
        lost: tally.lost,
        twice: tally.twice,
        rate_limited: tally.rate_limited,
    }
}

/// The child side of [`fan_out_split`]: `--bot-child API_BASE DATABASE_URL SHARDS`. Runs the bot
/// on those shards until stdin closes.
async fn bot_child(args: &[String]) {
    let [api_base, database, shards] = args else {
        panic!("--bot-child takes API_BASE DATABASE_URL SHARDS, not {args:?}");
    };
    let mut config = config_with(api_base, PathBuf::new());
    config.storage.database = Database::parse(database).expect("a database URL");
    config
        .run_shards(shards.parse().expect("a shard range"))
        .expect("shards on PostgreSQL");
    let token = config.token(|_| Some(TOKEN.into())).expect("token");
    let bot = Bot::new(config, token)
        .start()
        .await
        .expect("the bot starts");
    stop_when_stdin_closes(bot).await;
}

/// Waits until the scheduler has planned `servers` servers. Before the due minute it only
/// plans, so every event is a `Planned`; when it plans faster than this loop reads, the ones
/// dropped from the buffer count too.
async fn wait_planned(events: &mut broadcast::Receiver<ScheduleEvent>, servers: usize) {
    let mut planned = 0;
    while planned < servers {
        match events.recv().await {
            Ok(ScheduleEvent::Planned { next: Some(_), .. }) => planned += 1,
            Err(broadcast::error::RecvError::Lagged(missed)) => planned += missed as usize,
            Ok(other) => panic!("unexpected before the due minute: {other:?}"),
            Err(error) => panic!("event stream: {error}"),
        }
    }
}

/// Keeps `clock` at `from` plus the real time since `started`.
async fn run_with_real_time(clock: ManualClock, from: Timestamp, started: Instant) {
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    loop {
        tick.tick().await;
        let elapsed = jiff::SignedDuration::try_from(started.elapsed()).unwrap_or_default();
        clock.set(from.saturating_add(elapsed).unwrap_or(from));
    }
}

/// Gives servers `0..servers` a daily tip at `due`'s minute (UTC), set up half an hour before
/// (so the first tip owed is the one at `due`), and closes the store.
async fn seed_servers(database: &Path, servers: usize, due: Timestamp) {
    seed_and_close(Store::open(database).await.expect("database"), servers, due).await;
}

async fn seed_and_close(store: Store, servers: usize, due: Timestamp) {
    seed_daily_tips(
        &store,
        servers,
        due,
        due - jiff::SignedDuration::from_mins(30),
    )
    .await;
    store.close().await;
}

/// The due minute of the seeded tips.
fn due() -> Timestamp {
    "2026-11-30T09:00:00Z".parse().expect("ts")
}

/// The bot's resident memory, measured in a process of its own.
struct Memory {
    /// Idle: connected to a fake with only the main test server.
    idle_mib: f64,
    /// `(servers, MiB)` with that many team-shaped servers, all planned and their GUILD_CREATEs
    /// read.
    loaded: Vec<(usize, f64)>,
}

async fn memory(counts: &[usize]) -> Memory {
    progress("the bot's memory, idle, in its own process");
    let idle_mib = bot_memory(0).await;
    let mut loaded = Vec::new();
    for &servers in counts {
        progress(&format!(
            "the bot's memory with {servers} team-shaped servers, in its own process"
        ));
        loaded.push((servers, bot_memory(servers).await));
    }
    Memory { idle_mib, loaded }
}

fn print_memory(memory: &Memory) {
    println!(
        "| resident memory of the bot alone (its own process), idle | {:.1} MiB |",
        memory.idle_mib
    );
    for (servers, mib) in &memory.loaded {
        let per_server = (mib - memory.idle_mib) * 1024.0 / *servers as f64;
        println!(
            "| resident memory of the bot alone with {servers} servers (30 channels, 15 roles each) | {mib:.1} MiB: {per_server:.1} KiB a server over idle |"
        );
    }
}

/// How long the child may take to start, plan and read every server.
const CHILD_WAIT: Duration = Duration::from_secs(300);

/// Starts the bot in a child process against a fake with `servers` team-shaped servers (and the
/// main one), each with a tip set up; once the child has planned them all and answered a slash
/// command sent after the last GUILD_CREATE (so it has read every one), reads its RSS.
async fn bot_memory(servers: usize) -> f64 {
    let fake = FakeDiscord::start_with(FakeOptions {
        extra_guilds: servers,
        extra_guild_shape: GuildShape::TEAM,
        interaction_deadline: None,
        ..FakeOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("bench.db");
    seed_servers(&database, servers, due()).await;
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .arg("--memory-child")
        .arg(fake.api_base())
        .arg(&database)
        .arg(servers.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the bot's process");
    let stdout = child.stdout.take().expect("child stdout");
    let said = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let said = tokio::time::timeout(CHILD_WAIT, said)
        .await
        .expect("the bot's process planned in time")
        .expect("reading the child")
        .expect("the child's line");
    assert_eq!(said.trim(), "planned", "the child said {said:?}");
    let last = if servers == 0 {
        GUILD_ID
    } else {
        extra_guild_id(servers - 1)
    };
    let last = last.to_string();
    fake.wait_frame_timeout(Mark::START, CHILD_WAIT, |f| {
        f.is_dispatch("GUILD_CREATE") && f.json["d"]["id"].as_str() == Some(last.as_str())
    })
    .await;
    fake.wait_commands_registered().await;
    let ping = fake.slash("contrast").send().await;
    fake.wait_callback_timeout(&ping, CHILD_WAIT).await;
    // A moment for anything the last events started to settle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss = rss_mib(child.id());
    stop_child(child);
    rss
}

/// Closes the child's stdin (its signal to stop) and waits for it to exit.
fn stop_child(mut child: Child) {
    drop(child.stdin.take());
    let status = child.wait().expect("the bot's process ends");
    assert!(status.success(), "the bot's process ended with {status}");
}

/// The child side of [`bot_memory`]: `--memory-child API_BASE DATABASE SERVERS`. Starts the
/// bot, says `planned` on stdout once every server is planned, and stops when stdin closes.
async fn memory_child(args: &[String]) {
    let [api_base, database, servers] = args else {
        panic!("--memory-child takes API_BASE DATABASE SERVERS, not {args:?}");
    };
    let servers: usize = servers.parse().expect("a server count");
    let config = config_with(api_base, PathBuf::from(database));
    let token = config.token(|_| Some(TOKEN.into())).expect("token");
    let clock = ManualClock::new(due() - jiff::SignedDuration::from_mins(1));
    let bot = Bot::new(config, token)
        .with_clock(Arc::new(clock))
        .start()
        .await
        .expect("the bot starts");
    let mut events = bot.schedule_events();
    wait_planned(&mut events, servers).await;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "planned").expect("stdout");
        out.flush().expect("stdout");
    }
    stop_when_stdin_closes(bot).await;
}

/// What one store write took, over many: p50, p99 and mean.
struct Timings {
    p50: Duration,
    p99: Duration,
    mean: Duration,
}

impl Timings {
    fn of(mut samples: Vec<Duration>) -> Timings {
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
        let total: Duration = samples.iter().sum();
        Timings {
            p50: at(0.5),
            p99: at(0.99),
            mean: total / u32::try_from(samples.len()).expect("few samples"),
        }
    }

    fn summary(&self) -> String {
        format!(
            "{:.0} / {:.0} / {:.0} µs",
            self.p50.as_secs_f64() * 1e6,
            self.p99.as_secs_f64() * 1e6,
            self.mean.as_secs_f64() * 1e6
        )
    }
}

/// The hot paths that delete rows, on a SQLite file as the bot writes it.
struct StoreWrites {
    /// A member's first answer to a pulse.
    answer: Timings,
    /// A member answering again, which deletes their earlier answer first.
    answer_again: Timings,
    /// A day's tip claimed and then recorded as posted.
    tip_claim: Timings,
    /// Closing the pulse those members answered (counts, deletion, the log truncated).
    close: Duration,
}

/// Runs the hot paths `members` times on a fresh database file, with SQLite's `secure_delete`
/// on (as the bot runs) or off (SQLite's default).
async fn store_writes(members: usize, secure_delete: bool) -> StoreWrites {
    use bridgebot::model::duty::DutyKind;
    use bridgebot::store::{DutyClaim, NewPulse};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let store = if secure_delete {
        Store::open(&path).await
    } else {
        Store::open_leaving_deleted_bytes(&path).await
    }
    .expect("database");
    let now = due();
    let statements = vec![
        "lead-a".to_string(),
        "manage-b".to_string(),
        "lead-c".to_string(),
    ];
    let key = bridgebot::pulse::new_key();
    let pulse = store
        .open_pulse(&NewPulse {
            guild_id: GUILD_ID,
            week: jiff::civil::date(2026, 11, 30),
            channel_id: 1,
            statements: &statements,
            opened_at: now,
            closes_at: now + jiff::SignedDuration::from_hours(48),
            key: &key,
        })
        .await
        .expect("open a pulse");
    let answers = |score: u8| -> Vec<(String, u8)> {
        statements.iter().map(|s| (s.clone(), score)).collect()
    };
    let mut first = Vec::with_capacity(members);
    let mut again = Vec::with_capacity(members);
    for round in [&mut first, &mut again] {
        for member in 0..members as u64 {
            let hash = bridgebot::pulse::member_hash(&key, member);
            let started = Instant::now();
            store
                .save_pulse_answers(
                    pulse.id,
                    &hash,
                    &answers(u8::try_from(member % 5 + 1).expect("small")),
                )
                .await
                .expect("answer");
            round.push(started.elapsed());
        }
    }
    let mut claims = Vec::with_capacity(members);
    for guild in 0..members as u64 {
        let claim = DutyClaim {
            duty: DutyKind::Tip,
            guild_id: extra_guild_id(guild as usize),
            local_date: jiff::civil::date(2026, 11, 30),
            channel_id: 1,
            item: Some("name-the-destination".into()),
            cycle: Some(0),
            payload: Some("{}".into()),
            due_at: now,
        };
        let started = Instant::now();
        assert!(store.claim_duty(&claim, now).await.expect("claim"));
        store
            .finish_duty(
                DutyKind::Tip,
                claim.guild_id,
                claim.local_date,
                Ok(guild + 1),
                now,
            )
            .await
            .expect("record");
        claims.push(started.elapsed());
    }
    let started = Instant::now();
    assert!(store.close_pulse(pulse.id).await.expect("close"));
    let close = started.elapsed();
    store.close().await;
    StoreWrites {
        answer: Timings::of(first),
        answer_again: Timings::of(again),
        tip_claim: Timings::of(claims),
        close,
    }
}

/// The store rows: each hot path with `secure_delete` on and off, the two runs taking turns
/// twice so that neither gets a quieter machine.
async fn print_store_writes(members: usize) {
    progress(&format!(
        "store writes, {members} members, secure_delete on and off"
    ));
    let mut runs = Vec::new();
    for secure_delete in [true, false, true, false] {
        runs.push((secure_delete, store_writes(members, secure_delete).await));
    }
    for (secure_delete, run) in runs.iter().skip(2) {
        let how = if *secure_delete {
            "on (as the bot runs)"
        } else {
            "off"
        };
        println!(
            "| pulse answer, secure_delete {how} (p50 / p99 / mean) | {} |",
            run.answer.summary()
        );
        println!(
            "| pulse answer again, replacing the first, secure_delete {how} (p50 / p99 / mean) | {} |",
            run.answer_again.summary()
        );
        println!(
            "| tip claim and record, secure_delete {how} (p50 / p99 / mean) | {} |",
            run.tip_claim.summary()
        );
        println!(
            "| pulse close with {members} answers (counts, deletion, log truncated), secure_delete {how} | {:.1} ms |",
            run.close.as_secs_f64() * 1e3
        );
    }
}

/// A child process's end: the parent closes (or writes a line to) its stdin, and the bot
/// stops as in production.
async fn stop_when_stdin_closes(bot: RunningBot) {
    tokio::task::spawn_blocking(|| {
        let mut rest = String::new();
        let _ = std::io::stdin().read_line(&mut rest);
    })
    .await
    .expect("waiting for stdin");
    bot.shutdown().await.expect("clean stop");
}
