//! Seeding many servers with a daily tip, shared by the benchmark (`benches/bench.rs`) and
//! the soaks (`tests/soak.rs`), which both include this file with `#[path]`: each needs
//! thousands of servers due in the same minute, in the fake Discord's extra servers.

use bridgebot::model::schedule::{Schedule, TipOptions};
use bridgebot::store::Store;
use bridgebot::when::{DailyTime, Days, Recurrence, Zone};
use fake_discord::{extra_guild_channel_id, extra_guild_id};
use jiff::Timestamp;

/// Gives the fake's extra servers `0..servers` a daily tip at `due`'s minute (UTC), every day,
/// set up at `since` (so the first tip owed is the first at or after `since`).
pub async fn seed_daily_tips(store: &Store, servers: usize, due: Timestamp, since: Timestamp) {
    let local = due.to_zoned(jiff::tz::TimeZone::UTC);
    let time = DailyTime::new(local.hour(), local.minute()).expect("a time of day");
    for index in 0..servers {
        let settings = Schedule {
            guild_id: extra_guild_id(index),
            channel_id: extra_guild_channel_id(index),
            when: Recurrence {
                time,
                zone: Zone::utc(),
                days: Days::EveryDay,
            },
            paused: false,
            active_since: since,
            options: TipOptions {
                skip_date: None,
                role_id: None,
                thread: false,
            },
        };
        store
            .save_schedule(&settings, since)
            .await
            .expect("save a seeded schedule");
    }
}
