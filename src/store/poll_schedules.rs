//! Each server's weekly poll: which kind, when, and for how long. What was posted is in the
//! duty log (`duty_log.rs`), under the same exactly-once rules as the daily tip.

use jiff::civil::Weekday;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::values::{id_from_db, id_to_db, seconds, timestamp, weekday_from, weekday_number, zone};
use super::{Store, StoreError};
use crate::model::poll::{PollDuration, PollKind};
use crate::when::{DailyTime, Zone};

/// A server's weekly poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    pub guild_id: u64,
    pub channel_id: u64,
    pub kind: PollKind,
    pub weekday: Weekday,
    pub time: DailyTime,
    pub zone: Zone,
    /// How long each poll runs.
    pub duration: PollDuration,
    pub active_since: Timestamp,
}

fn schedule_from_row(row: &AnyRow) -> Result<PollSchedule, StoreError> {
    let time: String = row.try_get("post_time")?;
    let kind: String = row.try_get("kind")?;
    let minutes: i64 = row.try_get("duration_minutes")?;
    Ok(PollSchedule {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        channel_id: id_from_db(row.try_get("channel_id")?)?,
        kind: PollKind::from_stored(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("poll kind {kind:?}")))?,
        weekday: weekday_from(row.try_get("weekday")?)?,
        time: DailyTime::parse(&time).map_err(StoreError::Corrupt)?,
        zone: zone(row.try_get("timezone")?)?,
        duration: u32::try_from(minutes)
            .ok()
            .and_then(PollDuration::from_minutes)
            .ok_or_else(|| StoreError::Corrupt(format!("duration {minutes}")))?,
        active_since: timestamp(row.try_get("active_since")?)?,
    })
}

impl Store {
    pub async fn save_poll_schedule(
        &self,
        schedule: &PollSchedule,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO poll_schedules
                 (guild_id, channel_id, kind, weekday, post_time, timezone, duration_minutes, active_since, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, kind = excluded.kind, weekday = excluded.weekday,
                 post_time = excluded.post_time, timezone = excluded.timezone,
                 duration_minutes = excluded.duration_minutes, active_since = excluded.active_since,
                 updated_at = excluded.updated_at",
        )
        .bind(id_to_db(schedule.guild_id))
        .bind(id_to_db(schedule.channel_id))
        .bind(schedule.kind.as_str())
        .bind(weekday_number(schedule.weekday))
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(i64::from(schedule.duration.minutes()))
        .bind(seconds(schedule.active_since))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn poll_schedule(&self, guild_id: u64) -> Result<Option<PollSchedule>, StoreError> {
        sqlx::query("SELECT * FROM poll_schedules WHERE guild_id = $1")
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(schedule_from_row)
            .transpose()
    }

    pub async fn all_poll_schedules(&self) -> Result<Vec<PollSchedule>, StoreError> {
        sqlx::query("SELECT * FROM poll_schedules ORDER BY guild_id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(schedule_from_row)
            .collect()
    }

    /// Removes a server's weekly poll; `false` if it had none.
    pub async fn delete_poll_schedule(&self, guild_id: u64) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM poll_schedules WHERE guild_id = $1")
            .bind(id_to_db(guild_id))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(
        schedules_round_trip_and_can_be_removed,
        every_kind_of_poll_can_be_scheduled
    );

    fn schedule() -> PollSchedule {
        PollSchedule {
            guild_id: 1,
            channel_id: 10,
            kind: PollKind::Pulse,
            weekday: Weekday::Friday,
            time: DailyTime::new(15, 30).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            duration: PollDuration::DAY,
            active_since: Timestamp::from_second(1_800_000_000).expect("ts"),
        }
    }

    async fn schedules_round_trip_and_can_be_removed(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        store
            .save_poll_schedule(&schedule(), now)
            .await
            .expect("save");
        assert_eq!(
            store.poll_schedule(1).await.expect("read"),
            Some(schedule())
        );
        assert_eq!(store.all_poll_schedules().await.expect("all").len(), 1);
        assert!(store.delete_poll_schedule(1).await.expect("delete"));
        assert!(!store.delete_poll_schedule(1).await.expect("delete again"));
    }

    async fn every_kind_of_poll_can_be_scheduled(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        for kind in [PollKind::Quiz, PollKind::Pulse, PollKind::Scenario] {
            let schedule = PollSchedule { kind, ..schedule() };
            store
                .save_poll_schedule(&schedule, now)
                .await
                .expect("save");
            assert_eq!(store.poll_schedule(1).await.expect("read"), Some(schedule));
        }
    }
}
