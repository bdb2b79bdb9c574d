//! What a year of weekly team pulses adds per server: `cargo bench --bench pulse_year
//! [-- SERVERS]` (default 200).
//!
//! Each server gets a pulse a week for 52 weeks, answered by five members and closed the way
//! the bot closes it (individual answers deleted, counts kept). It prints the database growth
//! per server, this process's resident memory before and after (the bot keeps no pulse in
//! memory between posts; what grows is SQLite's page cache, which is bounded: compare two
//! server counts), and how long the 52-week trend of one
//! server takes to read back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A measurement that cannot run stops with its reason.

use std::path::Path;
use std::time::{Duration, Instant};

use bridgebot::content::Content;
use bridgebot::model::schedule::{PulseOptions, Schedule};
use bridgebot::pulse::member_hash;
use bridgebot::schedule::{open_for_week, trend_points};
use bridgebot::store::Store;
use bridgebot::when::{DailyTime, Days, Recurrence, Zone};
use jiff::civil::Weekday;
use jiff::{SignedDuration, Timestamp};

const WEEKS: i64 = 52;
const MEMBERS: u64 = 5;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` adds `--bench` to the arguments.
    let servers: u64 = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(200);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("pulse-year.db");
    let store = Store::open(&path).await?;
    let content = Content::bundled()?;
    let first: Timestamp = "2026-01-05T09:00:00Z".parse()?;

    let empty = dir.path().join("empty.db");
    Store::open(&empty).await?.close().await;
    let disk_before = disk_bytes(&empty);
    let rss_before = rss_kib();
    let started = Instant::now();
    for guild in 1..=servers {
        let settings = Schedule {
            guild_id: guild,
            channel_id: guild * 10,
            when: Recurrence {
                time: DailyTime::new(9, 0).expect("time"),
                zone: Zone::utc(),
                days: Days::Weekly(Weekday::Monday),
            },
            paused: false,
            active_since: first,
            options: PulseOptions::new(3, 2),
        };
        store.save_schedule(&settings, first).await?;
        for week in 0..WEEKS {
            let opened = first.checked_add(SignedDuration::from_hours(24 * 7 * week))?;
            let pulse = open_for_week(&store, &content, &settings, opened).await?;
            let key = store
                .pulse_key(pulse.id)
                .await?
                .expect("an open pulse has its key");
            for member in 0..MEMBERS {
                let answers: Vec<(String, u8)> = pulse
                    .statements
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            s.clone(),
                            1 + u8::try_from((member + week as u64 + i as u64) % 5).unwrap(),
                        )
                    })
                    .collect();
                store
                    .save_pulse_answers(pulse.id, &member_hash(&key, 1000 + member), &answers)
                    .await?;
            }
            store.close_pulse(pulse.id).await?;
        }
    }
    let filled = started.elapsed();
    let rss_after = rss_kib();

    let mut slowest = Duration::ZERO;
    let reading = Instant::now();
    for guild in 1..=servers {
        let one = Instant::now();
        let points = trend_points(&store, &content, guild, 52, 3).await?;
        assert_eq!(points.len(), 52);
        slowest = slowest.max(one.elapsed());
    }
    let per_trend = reading.elapsed() / u32::try_from(servers)?;
    let rss_read = rss_kib();
    store.close().await;
    let disk_after = disk_bytes(&path);

    let per_server = (disk_after.saturating_sub(disk_before)) as f64 / servers as f64;
    println!(
        "{servers} servers x {WEEKS} weekly pulses, {MEMBERS} answers each, filled in {filled:.1?}"
    );
    println!(
        "database: +{:.1} KiB per server-year ({:.0} bytes per pulse)",
        per_server / 1024.0,
        per_server / WEEKS as f64
    );
    println!(
        "resident memory: {:.1} MiB before, {:.1} MiB after filling, {:.1} MiB after reading every trend",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        rss_read as f64 / 1024.0,
    );
    println!("52-week trend of one server: {per_trend:.2?} on average, {slowest:.2?} at most");
    Ok(())
}

/// The database file and its write-ahead log, in bytes (closing the store checkpoints it).
fn disk_bytes(path: &Path) -> u64 {
    let wal = path.with_extension("db-wal");
    [path.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
