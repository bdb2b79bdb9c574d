//! Each server's daily-tip settings. What was posted is in the duty log (`duty_log.rs`).

use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::values::{
    date, flag, from_flag, id_from_db, id_to_db, optional_id, seconds, timestamp, zone,
};
use super::{Store, StoreError};
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

fn settings_from_row(row: &AnyRow) -> Result<TipSettings, StoreError> {
    let time: String = row.try_get("post_time")?;
    let days: String = row.try_get("days")?;
    let skip: Option<String> = row.try_get("skip_date")?;
    Ok(TipSettings {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        channel_id: id_from_db(row.try_get("channel_id")?)?,
        time: DailyTime::parse(&time).map_err(StoreError::Corrupt)?,
        zone: zone(row.try_get("timezone")?)?,
        days: Days::from_key(&days).ok_or_else(|| StoreError::Corrupt(format!("days {days:?}")))?,
        paused: from_flag(row.try_get("paused")?),
        skip_date: skip.as_deref().map(date).transpose()?,
        role_id: optional_id(row.try_get("role_id")?)?,
        thread: from_flag(row.try_get("thread")?),
        active_since: timestamp(row.try_get("active_since")?)?,
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
        .bind(flag(settings.paused))
        .bind(settings.skip_date.map(|d| d.to_string()))
        .bind(settings.role_id.map(id_to_db))
        .bind(flag(settings.thread))
        .bind(seconds(settings.active_since))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn tip_settings(&self, guild_id: u64) -> Result<Option<TipSettings>, StoreError> {
        sqlx::query("SELECT * FROM tip_settings WHERE guild_id = $1")
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
}

#[cfg(test)]
mod tests {
    use crate::store::testing::{on_both_engines, TestStore};
    use jiff::civil::date;

    on_both_engines!(settings_round_trip_and_update_in_place);

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

    async fn settings_round_trip_and_update_in_place(store: TestStore) {
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
}
