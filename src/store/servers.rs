//! Each server's own settings (`servers`): one row per server that set something, the
//! defaults for every other.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::values::{id_from_db, id_to_db, seconds, timestamp, zone};
use super::{Store, StoreError};
use crate::model::server::{ContentMix, ServerSettings};

fn settings_from_row(row: &AnyRow) -> Result<ServerSettings, StoreError> {
    let zone_name: Option<String> = row.try_get("timezone")?;
    let mix: String = row.try_get("content_mix")?;
    let welcomed: Option<i64> = row.try_get("welcomed_at")?;
    let removed: Option<i64> = row.try_get("removed_at")?;
    Ok(ServerSettings {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        zone: zone_name.as_deref().map(zone).transpose()?,
        content_mix: ContentMix::from_stored(&mix)
            .ok_or_else(|| StoreError::Corrupt(format!("content mix {mix:?}")))?,
        welcomed_at: welcomed.map(timestamp).transpose()?,
        removed_at: removed.map(timestamp).transpose()?,
    })
}

impl Store {
    /// A server's own settings; the defaults when it never set anything.
    pub async fn server(&self, guild_id: u64) -> Result<ServerSettings, StoreError> {
        Ok(sqlx::query("SELECT * FROM servers WHERE guild_id = $1")
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(settings_from_row)
            .transpose()?
            .unwrap_or_else(|| ServerSettings::new(guild_id)))
    }

    /// Saves a server's own settings, replacing what it had.
    pub async fn save_server(
        &self,
        settings: &ServerSettings,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO servers (guild_id, timezone, content_mix, welcomed_at, removed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (guild_id) DO UPDATE SET
                 timezone = excluded.timezone, content_mix = excluded.content_mix,
                 welcomed_at = excluded.welcomed_at, removed_at = excluded.removed_at,
                 updated_at = excluded.updated_at",
        )
        .bind(id_to_db(settings.guild_id))
        .bind(settings.zone.as_ref().map(|z| z.name().to_string()))
        .bind(settings.content_mix.as_str())
        .bind(settings.welcomed_at.map(seconds))
        .bind(settings.removed_at.map(seconds))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};
    use crate::when::Zone;

    on_both_engines!(a_server_that_set_nothing_has_the_defaults_and_its_settings_round_trip);

    async fn a_server_that_set_nothing_has_the_defaults_and_its_settings_round_trip(
        store: TestStore,
    ) {
        let guild = u64::MAX >> 1;
        assert_eq!(
            store.server(guild).await.expect("read"),
            ServerSettings::new(guild)
        );
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let settings = ServerSettings {
            zone: Some(Zone::parse("Europe/Berlin").expect("zone")),
            content_mix: ContentMix::TeamOnly,
            welcomed_at: Some(now),
            removed_at: None,
            ..ServerSettings::new(guild)
        };
        store.save_server(&settings, now).await.expect("save");
        assert_eq!(store.server(guild).await.expect("read"), settings);
        let removed = ServerSettings {
            removed_at: Some(now),
            zone: None,
            ..settings
        };
        store.save_server(&removed, now).await.expect("update");
        assert_eq!(store.server(guild).await.expect("read"), removed);
    }
}
