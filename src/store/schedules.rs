//! Every server's schedules, one row per server and duty: the shared columns (channel, time,
//! zone, days, paused, active since) and the duty's own options as JSON. One API for all four
//! duties, keyed by the duty its options belong to ([`DutyOptions::DUTY`]).

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{
    flag, from_flag, from_json, id_from_db, id_to_db, seconds, timestamp, to_json, weekday_from,
    weekday_number, zone,
};
use super::{Store, StoreError};
use crate::model::duty::DutyKind;
use crate::model::schedule::{DutyOptions, Schedule};
use crate::when::{DailyTime, Days, Recurrence};

/// How a schedule's days are stored: `every_day`, `weekdays`, or `weekly` with its weekday.
fn days_to_db(days: Days) -> (&'static str, Option<i64>) {
    match days {
        Days::EveryDay => ("every_day", None),
        Days::Weekdays => ("weekdays", None),
        Days::Weekly(day) => ("weekly", Some(weekday_number(day))),
    }
}

fn days_from_db(days: &str, weekday: Option<i64>) -> Result<Days, StoreError> {
    match (days, weekday) {
        ("every_day", _) => Ok(Days::EveryDay),
        ("weekdays", _) => Ok(Days::Weekdays),
        ("weekly", Some(day)) => Ok(Days::Weekly(weekday_from(day)?)),
        _ => Err(StoreError::Corrupt(format!("days {days:?} {weekday:?}"))),
    }
}

/// A `schedules` row as the database holds it (see `values.rs` for why the columns are these
/// types); the duty's options stay JSON until the caller says which duty's they are.
#[derive(FromRow)]
struct ScheduleRow {
    guild_id: i64,
    channel_id: i64,
    post_time: String,
    timezone: String,
    days: String,
    weekday: Option<i64>,
    paused: i64,
    active_since: i64,
    options: String,
}

fn schedule_from_row<O: DutyOptions>(row: &AnyRow) -> Result<Schedule<O>, StoreError> {
    let row = ScheduleRow::from_row(row)?;
    Ok(Schedule {
        guild_id: id_from_db(row.guild_id)?,
        channel_id: id_from_db(row.channel_id)?,
        when: Recurrence {
            time: DailyTime::parse(&row.post_time).map_err(StoreError::Corrupt)?,
            zone: zone(&row.timezone)?,
            days: days_from_db(&row.days, row.weekday)?,
        },
        paused: from_flag(row.paused),
        active_since: timestamp(row.active_since)?,
        options: from_json(O::DUTY.as_str(), &row.options)?,
    })
}

impl Store {
    /// A server's schedule for the duty `O` belongs to.
    pub async fn schedule<O: DutyOptions>(
        &self,
        guild_id: u64,
    ) -> Result<Option<Schedule<O>>, StoreError> {
        sqlx::query("SELECT * FROM schedules WHERE duty = $1 AND guild_id = $2")
            .bind(O::DUTY.as_str())
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(schedule_from_row)
            .transpose()
    }

    /// Saves a server's schedule, replacing the one it had for that duty.
    pub async fn save_schedule<O: DutyOptions>(
        &self,
        schedule: &Schedule<O>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (days, weekday) = days_to_db(schedule.when.days);
        sqlx::query(
            "INSERT INTO schedules
                 (guild_id, duty, channel_id, post_time, timezone, days, weekday, paused, active_since, options, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (duty, guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, post_time = excluded.post_time,
                 timezone = excluded.timezone, days = excluded.days, weekday = excluded.weekday,
                 paused = excluded.paused, active_since = excluded.active_since,
                 options = excluded.options, updated_at = excluded.updated_at",
        )
        .bind(id_to_db(schedule.guild_id))
        .bind(O::DUTY.as_str())
        .bind(id_to_db(schedule.channel_id))
        .bind(schedule.when.time.to_string())
        .bind(schedule.when.zone.name())
        .bind(days)
        .bind(weekday)
        .bind(flag(schedule.paused))
        .bind(seconds(schedule.active_since))
        .bind(to_json(&schedule.options)?)
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes a server's schedule for `duty`; `false` if it had none.
    pub async fn delete_schedule(&self, duty: DutyKind, guild_id: u64) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM schedules WHERE duty = $1 AND guild_id = $2")
            .bind(duty.as_str())
            .bind(id_to_db(guild_id))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Every server with a schedule for `duty`, paused or not.
    pub async fn scheduled_servers(&self, duty: DutyKind) -> Result<Vec<u64>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT guild_id FROM schedules WHERE duty = $1 ORDER BY guild_id")
                .bind(duty.as_str())
                .fetch_all(&self.pool)
                .await?;
        ids.into_iter().map(id_from_db).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::poll::{PollDuration, PollKind};
    use crate::model::schedule::{DigestOptions, PollOptions, PulseOptions, TipOptions};
    use crate::store::testing::{on_both_engines, OldDatabase, TestStore};
    use crate::store::Engine;
    use crate::when::Zone;
    use jiff::civil::{date, Weekday};

    on_both_engines!(
        each_duty_keeps_its_own_schedule_and_options,
        a_schedule_is_replaced_in_place_and_removed,
        a_schedule_round_trips_paused_and_can_be_removed,
        every_kind_of_poll_can_be_scheduled
    );

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("ts")
    }

    fn when(days: Days) -> Recurrence {
        Recurrence {
            time: DailyTime::new(9, 30).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            days,
        }
    }

    async fn each_duty_keeps_its_own_schedule_and_options(store: TestStore) {
        let guild = u64::MAX >> 1;
        let tip = Schedule::new(
            guild,
            10,
            when(Days::Weekdays),
            TipOptions {
                skip_date: Some(date(2026, 12, 1)),
                role_id: Some(u64::MAX >> 2),
                thread: true,
            },
            at(1_000),
        );
        let poll = Schedule::new(
            guild,
            11,
            when(Days::Weekly(Weekday::Friday)),
            PollOptions {
                kind: PollKind::Scenario,
                duration: PollDuration::DAY,
            },
            at(2_000),
        );
        let pulse = Schedule::new(
            guild,
            12,
            when(Days::Weekly(Weekday::Monday)),
            PulseOptions::new(2, 3),
            at(3_000),
        )
        .paused();
        let digest = Schedule::new(
            guild,
            13,
            when(Days::Weekly(Weekday::Sunday)),
            DigestOptions {},
            at(4_000),
        );
        store.save_schedule(&tip, at(5_000)).await.expect("tip");
        store.save_schedule(&poll, at(5_000)).await.expect("poll");
        store.save_schedule(&pulse, at(5_000)).await.expect("pulse");
        store
            .save_schedule(&digest, at(5_000))
            .await
            .expect("digest");
        assert_eq!(store.schedule(guild).await.expect("read"), Some(tip));
        assert_eq!(store.schedule(guild).await.expect("read"), Some(poll));
        assert_eq!(store.schedule(guild).await.expect("read"), Some(pulse));
        assert_eq!(store.schedule(guild).await.expect("read"), Some(digest));
        for duty in [
            DutyKind::Tip,
            DutyKind::WeeklyPoll,
            DutyKind::Pulse,
            DutyKind::Digest,
        ] {
            assert_eq!(
                store.scheduled_servers(duty).await.expect("servers"),
                vec![guild]
            );
        }
        assert!(store
            .scheduled_servers(DutyKind::PulseResult)
            .await
            .expect("servers")
            .is_empty());
    }

    async fn a_schedule_is_replaced_in_place_and_removed(store: TestStore) {
        let first = Schedule::new(
            1,
            10,
            when(Days::EveryDay),
            TipOptions::default(),
            at(1_000),
        );
        store.save_schedule(&first, at(1_000)).await.expect("save");
        let moved = Schedule {
            channel_id: 20,
            ..first.clone()
        };
        store
            .save_schedule(&moved, at(2_000))
            .await
            .expect("update");
        assert_eq!(
            store.schedule::<TipOptions>(1).await.expect("read"),
            Some(moved)
        );
        assert!(store
            .delete_schedule(DutyKind::Tip, 1)
            .await
            .expect("delete"));
        assert!(!store
            .delete_schedule(DutyKind::Tip, 1)
            .await
            .expect("again"));
        assert_eq!(store.schedule::<TipOptions>(1).await.expect("read"), None);
        assert!(store
            .scheduled_servers(DutyKind::Tip)
            .await
            .expect("servers")
            .is_empty());
    }

    fn digest() -> Schedule<DigestOptions> {
        Schedule::new(
            1,
            10,
            when(Days::Weekly(Weekday::Friday)),
            DigestOptions {},
            at(1_800_000_000),
        )
    }

    async fn a_schedule_round_trips_paused_and_can_be_removed(store: TestStore) {
        let now = at(1_800_000_000);
        store.save_schedule(&digest(), now).await.expect("save");
        assert_eq!(store.schedule(1).await.expect("read"), Some(digest()));
        let paused = digest().paused();
        store.save_schedule(&paused, now).await.expect("save");
        assert_eq!(store.schedule(1).await.expect("read"), Some(paused));
        assert_eq!(
            store
                .scheduled_servers(DutyKind::Digest)
                .await
                .expect("all")
                .len(),
            1
        );
        assert!(store
            .delete_schedule(DutyKind::Digest, 1)
            .await
            .expect("delete"));
        assert!(!store
            .delete_schedule(DutyKind::Digest, 1)
            .await
            .expect("delete"));
        assert_eq!(
            store.schedule::<DigestOptions>(1).await.expect("read"),
            None
        );
    }

    async fn every_kind_of_poll_can_be_scheduled(store: TestStore) {
        let now = at(1_800_000_000);
        for kind in [PollKind::Quiz, PollKind::Needs, PollKind::Scenario] {
            let schedule = Schedule::new(
                1,
                10,
                when(Days::Weekly(Weekday::Friday)),
                PollOptions {
                    kind,
                    duration: PollDuration::DAY,
                },
                now,
            );
            store.save_schedule(&schedule, now).await.expect("save");
            assert_eq!(store.schedule(1).await.expect("read"), Some(schedule));
        }
    }

    /// A database as the release before left it, with one schedule of each duty in its own
    /// table: after the upgrade each reads back through the one API with every setting.
    async fn every_setting_of_the_four_old_tables_survives_the_upgrade(engine: Engine) {
        let old = OldDatabase::new(engine, 9).await;
        old.execute(
            "INSERT INTO tip_settings (guild_id, channel_id, post_time, timezone, days, paused, skip_date, role_id, thread, active_since, updated_at)
             VALUES (9223372036854775807, 10, '09:30', 'Europe/Berlin', 'weekdays', 1, '2026-12-01', 4611686018427387903, 1, 1000, 1),
                    (2, 20, '07:05', 'UTC', 'every_day', 0, NULL, NULL, 0, 1100, 1);
             INSERT INTO poll_schedules (guild_id, channel_id, kind, weekday, post_time, timezone, duration_minutes, active_since, updated_at)
             VALUES (9223372036854775807, 11, 'scenario', 5, '09:30', 'Europe/Berlin', 90, 2000, 1);
             INSERT INTO pulse_schedules (guild_id, channel_id, weekday, post_time, timezone, questions, open_days, paused, active_since, updated_at)
             VALUES (9223372036854775807, 12, 1, '09:30', 'Europe/Berlin', 2, 3, 1, 3000, 1);
             INSERT INTO digest_schedules (guild_id, channel_id, weekday, post_time, timezone, paused, active_since, updated_at)
             VALUES (9223372036854775807, 13, 7, '09:30', 'Europe/Berlin', 0, 4000, 1);",
        )
        .await;
        let store = old.upgrade().await;
        let guild = u64::MAX >> 1;
        assert_eq!(
            store.schedule(guild).await.expect("tip"),
            Some(Schedule {
                guild_id: guild,
                channel_id: 10,
                when: when(Days::Weekdays),
                paused: true,
                active_since: at(1_000),
                options: TipOptions {
                    skip_date: Some(date(2026, 12, 1)),
                    role_id: Some(u64::MAX >> 2),
                    thread: true,
                },
            })
        );
        assert_eq!(
            store.schedule(2).await.expect("tip"),
            Some(Schedule {
                guild_id: 2,
                channel_id: 20,
                when: Recurrence {
                    time: DailyTime::new(7, 5).expect("time"),
                    zone: Zone::utc(),
                    days: Days::EveryDay,
                },
                paused: false,
                active_since: at(1_100),
                options: TipOptions::default(),
            })
        );
        assert_eq!(
            store.schedule(guild).await.expect("poll"),
            Some(Schedule {
                guild_id: guild,
                channel_id: 11,
                when: when(Days::Weekly(Weekday::Friday)),
                paused: false,
                active_since: at(2_000),
                options: PollOptions {
                    kind: PollKind::Scenario,
                    duration: PollDuration::from_minutes(90).expect("90 minutes"),
                },
            })
        );
        assert_eq!(
            store.schedule(guild).await.expect("pulse"),
            Some(Schedule {
                guild_id: guild,
                channel_id: 12,
                when: when(Days::Weekly(Weekday::Monday)),
                paused: true,
                active_since: at(3_000),
                options: PulseOptions::new(2, 3),
            })
        );
        assert_eq!(
            store.schedule(guild).await.expect("digest"),
            Some(Schedule {
                guild_id: guild,
                channel_id: 13,
                when: when(Days::Weekly(Weekday::Sunday)),
                paused: false,
                active_since: at(4_000),
                options: DigestOptions {},
            })
        );
    }

    on_both_engines!(every_setting_of_the_four_old_tables_survives_the_upgrade);
}
