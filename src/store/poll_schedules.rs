//! Weekly scheduled polls: each server's schedule and its post log, with the same
//! exactly-once rules as the daily tip (a row per server and local date, claimed first).

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::polls::StoredAnswer;
use super::tips::{seconds, timestamp, zone};
use super::{id_from_db, id_to_db, Store, StoreError};
use crate::when::{DailyTime, Zone};

/// A server's weekly poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    pub guild_id: u64,
    pub channel_id: u64,
    /// `quiz` or `pulse`.
    pub kind: String,
    pub weekday: Weekday,
    pub time: DailyTime,
    pub zone: Zone,
    /// How long each poll runs, in minutes.
    pub duration_minutes: u32,
    pub active_since: Timestamp,
}

/// The poll a claim is about to post, kept so that recovery after a crash posts (or records)
/// exactly this poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPoll {
    pub kind: String,
    pub question: String,
    pub answers: Vec<StoredAnswer>,
    pub subject: Option<String>,
    pub correct: Option<u32>,
    pub multiselect: bool,
    pub duration_minutes: u32,
}

/// A row of the scheduled-poll log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollLogEntry {
    pub guild_id: u64,
    pub local_date: Date,
    /// `sending`, `posted`, `missed` or `failed`.
    pub status: String,
    pub channel_id: Option<u64>,
    pub poll: Option<PendingPoll>,
    pub message_id: Option<u64>,
    pub detail: Option<String>,
    pub due_at: Timestamp,
    pub recorded_at: Timestamp,
}

fn weekday_number(day: Weekday) -> i64 {
    i64::from(day.to_monday_one_offset())
}

fn weekday_from(number: i64) -> Result<Weekday, StoreError> {
    i8::try_from(number)
        .ok()
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("weekday {number}")))
}

fn schedule_from_row(row: &SqliteRow) -> Result<PollSchedule, StoreError> {
    let time: String = row.try_get("post_time")?;
    let minutes: i64 = row.try_get("duration_minutes")?;
    Ok(PollSchedule {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        channel_id: id_from_db(row.try_get("channel_id")?)?,
        kind: row.try_get("kind")?,
        weekday: weekday_from(row.try_get("weekday")?)?,
        time: DailyTime::parse(&time).map_err(StoreError::Corrupt)?,
        zone: zone(row.try_get("timezone")?)?,
        duration_minutes: u32::try_from(minutes)
            .map_err(|_| StoreError::Corrupt(format!("duration {minutes}")))?,
        active_since: timestamp(row.try_get("active_since")?)?,
    })
}

fn entry_from_row(row: &SqliteRow) -> Result<PollLogEntry, StoreError> {
    let date: String = row.try_get("local_date")?;
    let poll: Option<String> = row.try_get("poll")?;
    let channel: Option<i64> = row.try_get("channel_id")?;
    let message: Option<i64> = row.try_get("message_id")?;
    Ok(PollLogEntry {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        local_date: date
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("date {date:?}: {e}")))?,
        status: row.try_get("status")?,
        channel_id: channel.map(id_from_db).transpose()?,
        poll: poll
            .map(|json| {
                serde_json::from_str(&json)
                    .map_err(|e| StoreError::Corrupt(format!("pending poll: {e}")))
            })
            .transpose()?,
        message_id: message.map(id_from_db).transpose()?,
        detail: row.try_get("detail")?,
        due_at: timestamp(row.try_get("due_at")?)?,
        recorded_at: timestamp(row.try_get("recorded_at")?)?,
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, kind = excluded.kind, weekday = excluded.weekday,
                 post_time = excluded.post_time, timezone = excluded.timezone,
                 duration_minutes = excluded.duration_minutes, active_since = excluded.active_since,
                 updated_at = excluded.updated_at",
        )
        .bind(id_to_db(schedule.guild_id))
        .bind(id_to_db(schedule.channel_id))
        .bind(&schedule.kind)
        .bind(weekday_number(schedule.weekday))
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(i64::from(schedule.duration_minutes))
        .bind(seconds(schedule.active_since))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn poll_schedule(&self, guild_id: u64) -> Result<Option<PollSchedule>, StoreError> {
        sqlx::query("SELECT * FROM poll_schedules WHERE guild_id = ?")
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
        let result = sqlx::query("DELETE FROM poll_schedules WHERE guild_id = ?")
            .bind(id_to_db(guild_id))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn poll_log_entry(
        &self,
        guild_id: u64,
        local_date: Date,
    ) -> Result<Option<PollLogEntry>, StoreError> {
        sqlx::query("SELECT * FROM poll_schedule_log WHERE guild_id = ? AND local_date = ?")
            .bind(id_to_db(guild_id))
            .bind(local_date.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }

    /// Claims a week's poll before posting it; `false` if the day already has a row.
    pub async fn claim_scheduled_poll(
        &self,
        guild_id: u64,
        local_date: Date,
        channel_id: u64,
        poll: &PendingPoll,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let json = serde_json::to_string(poll).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let result = sqlx::query(
            "INSERT OR IGNORE INTO poll_schedule_log
                 (guild_id, local_date, status, channel_id, poll, due_at, recorded_at)
             VALUES (?, ?, 'sending', ?, ?, ?, ?)",
        )
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .bind(id_to_db(channel_id))
        .bind(json)
        .bind(seconds(due_at))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records a week missed (the bot was down past the catch-up window).
    pub async fn record_poll_missed(
        &self,
        guild_id: u64,
        local_date: Date,
        detail: &str,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT OR IGNORE INTO poll_schedule_log (guild_id, local_date, status, detail, due_at, recorded_at)
             VALUES (?, ?, 'missed', ?, ?, ?)",
        )
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .bind(detail)
        .bind(seconds(due_at))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Ends a claim: `posted` with the poll message, or `failed` with why.
    pub async fn finish_scheduled_poll(
        &self,
        guild_id: u64,
        local_date: Date,
        outcome: Result<u64, &str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (status, message, detail) = match outcome {
            Ok(message) => ("posted", Some(id_to_db(message)), None),
            Err(detail) => ("failed", None, Some(detail)),
        };
        sqlx::query(
            "UPDATE poll_schedule_log SET status = ?, message_id = ?, detail = ?, recorded_at = ?
             WHERE guild_id = ? AND local_date = ? AND status = 'sending'",
        )
        .bind(status)
        .bind(message)
        .bind(detail)
        .bind(seconds(now))
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Scheduled polls claimed but not known to be posted.
    pub async fn sending_scheduled_polls(&self) -> Result<Vec<PollLogEntry>, StoreError> {
        sqlx::query("SELECT * FROM poll_schedule_log WHERE status = 'sending' ORDER BY due_at")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(entry_from_row)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn schedule() -> PollSchedule {
        PollSchedule {
            guild_id: 1,
            channel_id: 10,
            kind: "pulse".into(),
            weekday: Weekday::Friday,
            time: DailyTime::new(15, 30).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            duration_minutes: 1440,
            active_since: Timestamp::from_second(1_800_000_000).expect("ts"),
        }
    }

    fn pending() -> PendingPoll {
        PendingPoll {
            kind: "quiz".into(),
            question: "Leader or manager?".into(),
            answers: vec![StoredAnswer {
                text: "Leader".into(),
                entry_id: "leader".into(),
            }],
            subject: Some("leader-sets-mission".into()),
            correct: Some(0),
            multiselect: false,
            duration_minutes: 60,
        }
    }

    #[tokio::test]
    async fn schedules_round_trip_and_can_be_removed() {
        let store = Store::in_memory().await.expect("store");
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

    #[tokio::test]
    async fn a_week_is_claimed_once_and_keeps_its_poll_for_recovery() {
        let store = Store::in_memory().await.expect("store");
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let day = date(2026, 12, 4);
        assert!(store
            .claim_scheduled_poll(1, day, 10, &pending(), now, now)
            .await
            .expect("claim"));
        assert!(!store
            .claim_scheduled_poll(1, day, 10, &pending(), now, now)
            .await
            .expect("claim"));
        let sending = store.sending_scheduled_polls().await.expect("sending");
        assert_eq!(sending[0].poll, Some(pending()));
        store
            .finish_scheduled_poll(1, day, Ok(77), now)
            .await
            .expect("finish");
        let entry = store
            .poll_log_entry(1, day)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(
            (entry.status.as_str(), entry.message_id),
            ("posted", Some(77))
        );
        assert!(store
            .sending_scheduled_polls()
            .await
            .expect("sending")
            .is_empty());
    }
}
