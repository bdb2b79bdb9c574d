//! Daily-tip state: each server's settings, and the post log keyed by server and local date.

use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{id_from_db, id_to_db, Store, StoreError};
use crate::when::{DailyTime, Days, Zone};

/// A server's daily-tip settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipSettings {
    pub guild_id: u64,
    pub channel_id: u64,
    pub time: DailyTime,
    pub zone: Zone,
    pub days: Days,
    pub paused: bool,
    /// A local date whose tip is skipped once.
    pub skip_date: Option<Date>,
    /// A role mentioned on each tip.
    pub role_id: Option<u64>,
    /// Open a discussion thread on each tip.
    pub thread: bool,
    /// No tip is owed for a moment before this (set up or resumed then).
    pub active_since: Timestamp,
}

/// What happened to a server's tip on one local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStatus {
    /// Claimed and being sent; if the process died, recovery finds out whether it arrived.
    Sending,
    Posted,
    /// Skipped on purpose (`/tips skip`).
    Skipped,
    /// The bot was down past the catch-up window.
    Missed,
    /// Discord refused it for good (no access, channel gone) or retries ran out.
    Failed,
}

impl LogStatus {
    fn key(self) -> &'static str {
        match self {
            LogStatus::Sending => "sending",
            LogStatus::Posted => "posted",
            LogStatus::Skipped => "skipped",
            LogStatus::Missed => "missed",
            LogStatus::Failed => "failed",
        }
    }

    fn from_key(key: &str) -> Result<LogStatus, StoreError> {
        Ok(match key {
            "sending" => LogStatus::Sending,
            "posted" => LogStatus::Posted,
            "skipped" => LogStatus::Skipped,
            "missed" => LogStatus::Missed,
            "failed" => LogStatus::Failed,
            other => return Err(StoreError::Corrupt(format!("tip log status {other:?}"))),
        })
    }
}

/// One row of the post log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub guild_id: u64,
    pub local_date: Date,
    pub status: LogStatus,
    pub tip_id: Option<String>,
    pub cycle: Option<u64>,
    pub channel_id: Option<u64>,
    pub message_id: Option<u64>,
    pub detail: Option<String>,
    pub due_at: Timestamp,
    pub recorded_at: Timestamp,
}

/// A post about to be sent, claimed in the log first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub guild_id: u64,
    pub local_date: Date,
    pub tip_id: String,
    pub cycle: u64,
    pub channel_id: u64,
    pub due_at: Timestamp,
}

pub(super) fn seconds(at: Timestamp) -> i64 {
    at.as_second()
}

pub(super) fn timestamp(seconds: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_second(seconds).map_err(|e| StoreError::Corrupt(format!("time {seconds}: {e}")))
}

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {text:?}: {e}")))
}

/// A stored zone name, as a zone (every stored name came from the same bundled database).
pub(super) fn zone(name: &str) -> Result<Zone, StoreError> {
    Zone::parse(name).map_err(|_| StoreError::Corrupt(format!("time zone {name:?}")))
}

fn optional_id(value: Option<i64>) -> Result<Option<u64>, StoreError> {
    value.map(id_from_db).transpose()
}

fn settings_from_row(row: &SqliteRow) -> Result<TipSettings, StoreError> {
    let time: String = row.try_get("post_time")?;
    let days: String = row.try_get("days")?;
    let skip: Option<String> = row.try_get("skip_date")?;
    Ok(TipSettings {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        channel_id: id_from_db(row.try_get("channel_id")?)?,
        time: DailyTime::parse(&time).map_err(StoreError::Corrupt)?,
        zone: zone(row.try_get("timezone")?)?,
        days: Days::from_key(&days).ok_or_else(|| StoreError::Corrupt(format!("days {days:?}")))?,
        paused: row.try_get("paused")?,
        skip_date: skip.as_deref().map(date).transpose()?,
        role_id: optional_id(row.try_get("role_id")?)?,
        thread: row.try_get("thread")?,
        active_since: timestamp(row.try_get("active_since")?)?,
    })
}

fn entry_from_row(row: &SqliteRow) -> Result<LogEntry, StoreError> {
    let local_date: String = row.try_get("local_date")?;
    let status: String = row.try_get("status")?;
    let cycle: Option<i64> = row.try_get("cycle")?;
    Ok(LogEntry {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        local_date: date(&local_date)?,
        status: LogStatus::from_key(&status)?,
        tip_id: row.try_get("tip_id")?,
        cycle: optional_id(cycle)?,
        channel_id: optional_id(row.try_get("channel_id")?)?,
        message_id: optional_id(row.try_get("message_id")?)?,
        detail: row.try_get("detail")?,
        due_at: timestamp(row.try_get("due_at")?)?,
        recorded_at: timestamp(row.try_get("recorded_at")?)?,
    })
}

impl Store {
    /// Saves a server's settings, replacing what was there.
    pub async fn save_tip_settings(
        &self,
        settings: &TipSettings,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tip_settings
                 (guild_id, channel_id, post_time, timezone, days, paused, skip_date, role_id, thread, active_since, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, post_time = excluded.post_time,
                 timezone = excluded.timezone, days = excluded.days, paused = excluded.paused,
                 skip_date = excluded.skip_date, role_id = excluded.role_id,
                 thread = excluded.thread, active_since = excluded.active_since,
                 updated_at = excluded.updated_at",
        )
        .bind(id_to_db(settings.guild_id))
        .bind(id_to_db(settings.channel_id))
        .bind(settings.time.to_string())
        .bind(settings.zone.name())
        .bind(settings.days.key())
        .bind(settings.paused)
        .bind(settings.skip_date.map(|d| d.to_string()))
        .bind(settings.role_id.map(id_to_db))
        .bind(settings.thread)
        .bind(seconds(settings.active_since))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn tip_settings(&self, guild_id: u64) -> Result<Option<TipSettings>, StoreError> {
        sqlx::query("SELECT * FROM tip_settings WHERE guild_id = ?")
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(settings_from_row)
            .transpose()
    }

    pub async fn all_tip_settings(&self) -> Result<Vec<TipSettings>, StoreError> {
        sqlx::query("SELECT * FROM tip_settings ORDER BY guild_id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(settings_from_row)
            .collect()
    }

    /// The log row for a server's local date.
    pub async fn log_entry(
        &self,
        guild_id: u64,
        local_date: Date,
    ) -> Result<Option<LogEntry>, StoreError> {
        sqlx::query("SELECT * FROM tip_log WHERE guild_id = ? AND local_date = ?")
            .bind(id_to_db(guild_id))
            .bind(local_date.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }

    /// Claims a day's post before sending it. `false` when that day already has a row: then
    /// the post must not be sent.
    pub async fn claim(&self, claim: &Claim, now: Timestamp) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT OR IGNORE INTO tip_log
                 (guild_id, local_date, status, tip_id, cycle, channel_id, due_at, recorded_at)
             VALUES (?, ?, 'sending', ?, ?, ?, ?, ?)",
        )
        .bind(id_to_db(claim.guild_id))
        .bind(claim.local_date.to_string())
        .bind(&claim.tip_id)
        .bind(id_to_db(claim.cycle))
        .bind(id_to_db(claim.channel_id))
        .bind(seconds(claim.due_at))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records a day without a post (skipped or missed), unless the day already has a row.
    pub async fn record_without_post(
        &self,
        guild_id: u64,
        local_date: Date,
        status: LogStatus,
        detail: &str,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT OR IGNORE INTO tip_log (guild_id, local_date, status, detail, due_at, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .bind(status.key())
        .bind(detail)
        .bind(seconds(due_at))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Marks a claimed post as sent, with the message Discord made.
    pub async fn mark_posted(
        &self,
        guild_id: u64,
        local_date: Date,
        message_id: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.finish(
            guild_id,
            local_date,
            LogStatus::Posted,
            Some(message_id),
            None,
            now,
        )
        .await
    }

    /// Marks a claimed post as failed for good, with the reason people will see.
    pub async fn mark_failed(
        &self,
        guild_id: u64,
        local_date: Date,
        detail: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.finish(
            guild_id,
            local_date,
            LogStatus::Failed,
            None,
            Some(detail),
            now,
        )
        .await
    }

    async fn finish(
        &self,
        guild_id: u64,
        local_date: Date,
        status: LogStatus,
        message_id: Option<u64>,
        detail: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tip_log SET status = ?, message_id = ?, detail = ?, recorded_at = ?
             WHERE guild_id = ? AND local_date = ? AND status = 'sending'",
        )
        .bind(status.key())
        .bind(message_id.map(id_to_db))
        .bind(detail)
        .bind(seconds(now))
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Posts claimed but not known to be finished: what a restart must recover.
    pub async fn sending(&self) -> Result<Vec<LogEntry>, StoreError> {
        sqlx::query("SELECT * FROM tip_log WHERE status = 'sending' ORDER BY due_at")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(entry_from_row)
            .collect()
    }

    /// The tips a server has had (or is being sent) in one pass through the deck.
    pub async fn tips_in_cycle(
        &self,
        guild_id: u64,
        cycle: u64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query_scalar(
            "SELECT tip_id FROM tip_log
             WHERE guild_id = ? AND cycle = ? AND tip_id IS NOT NULL AND status IN ('sending', 'posted')",
        )
        .bind(id_to_db(guild_id))
        .bind(id_to_db(cycle))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The server's current pass through the deck (0 before the first tip).
    pub async fn latest_cycle(&self, guild_id: u64) -> Result<u64, StoreError> {
        let cycle: Option<i64> =
            sqlx::query_scalar("SELECT MAX(cycle) FROM tip_log WHERE guild_id = ?")
                .bind(id_to_db(guild_id))
                .fetch_one(&self.pool)
                .await?;
        Ok(optional_id(cycle)?.unwrap_or(0))
    }

    /// The most recent row with one of `statuses`, by local date.
    pub async fn latest_log(
        &self,
        guild_id: u64,
        statuses: &[LogStatus],
    ) -> Result<Option<LogEntry>, StoreError> {
        let keys: Vec<&str> = statuses.iter().map(|s| s.key()).collect();
        let placeholders = vec!["?"; keys.len()].join(", ");
        let sql = format!(
            "SELECT * FROM tip_log WHERE guild_id = ? AND status IN ({placeholders}) ORDER BY local_date DESC LIMIT 1"
        );
        let mut query = sqlx::query(&sql).bind(id_to_db(guild_id));
        for key in keys {
            query = query.bind(key);
        }
        query
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn settings(guild_id: u64) -> TipSettings {
        TipSettings {
            guild_id,
            channel_id: 10,
            time: DailyTime::new(9, 0).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            days: Days::Weekdays,
            paused: false,
            skip_date: Some(date(2026, 12, 1)),
            role_id: Some(77),
            thread: true,
            active_since: Timestamp::from_second(1_700_000_000).expect("ts"),
        }
    }

    fn claim(guild_id: u64, day: Date, tip: &str) -> Claim {
        Claim {
            guild_id,
            local_date: day,
            tip_id: tip.into(),
            cycle: 0,
            channel_id: 10,
            due_at: Timestamp::from_second(1_800_000_000).expect("ts"),
        }
    }

    #[tokio::test]
    async fn settings_round_trip_and_update_in_place() {
        let store = Store::in_memory().await.expect("store");
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let mut saved = settings(u64::MAX >> 1);
        store.save_tip_settings(&saved, now).await.expect("save");
        assert_eq!(
            store.tip_settings(saved.guild_id).await.expect("read"),
            Some(saved.clone())
        );
        saved.paused = true;
        saved.role_id = None;
        store.save_tip_settings(&saved, now).await.expect("update");
        assert_eq!(store.all_tip_settings().await.expect("all"), vec![saved]);
        assert_eq!(store.tip_settings(1).await.expect("read"), None);
    }

    #[tokio::test]
    async fn a_day_can_be_claimed_only_once() {
        let store = Store::in_memory().await.expect("store");
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let day = date(2026, 11, 30);
        assert!(store.claim(&claim(1, day, "a"), now).await.expect("claim"));
        assert!(
            !store.claim(&claim(1, day, "b"), now).await.expect("claim"),
            "second claim must fail"
        );
        assert!(!store
            .record_without_post(1, day, LogStatus::Missed, "down", now, now)
            .await
            .expect("record"));
        assert!(store
            .claim(&claim(2, day, "a"), now)
            .await
            .expect("another server"));
        assert_eq!(store.sending().await.expect("sending").len(), 2);
        store.mark_posted(1, day, 555, now).await.expect("posted");
        let entry = store.log_entry(1, day).await.expect("read").expect("row");
        assert_eq!(
            (entry.status, entry.message_id, entry.tip_id.as_deref()),
            (LogStatus::Posted, Some(555), Some("a"))
        );
        assert_eq!(store.sending().await.expect("sending").len(), 1);
    }

    #[tokio::test]
    async fn cycles_collect_the_tips_shown_in_them() {
        let store = Store::in_memory().await.expect("store");
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        assert_eq!(store.latest_cycle(1).await.expect("cycle"), 0);
        store
            .claim(&claim(1, date(2026, 11, 30), "a"), now)
            .await
            .expect("claim");
        let mut second = claim(1, date(2026, 12, 1), "b");
        second.cycle = 1;
        store.claim(&second, now).await.expect("claim");
        assert_eq!(store.latest_cycle(1).await.expect("cycle"), 1);
        assert_eq!(
            store.tips_in_cycle(1, 0).await.expect("tips"),
            vec!["a".to_string()]
        );
        let latest = store
            .latest_log(1, &[LogStatus::Sending])
            .await
            .expect("latest")
            .expect("row");
        assert_eq!(latest.local_date, date(2026, 12, 1));
    }
}
