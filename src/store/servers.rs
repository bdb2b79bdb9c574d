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

    /// Takes the right to greet a server: true once per server, and again only when the bot
    /// was removed before `readded_after` (added back after a long absence, it meets what is in
    /// effect a new team). Claiming also notes that the bot is in the server again.
    pub async fn claim_welcome(
        &self,
        guild_id: u64,
        now: Timestamp,
        readded_after: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO servers (guild_id, content_mix, welcomed_at, updated_at)
             VALUES ($1, 'both', $2, $2)
             ON CONFLICT (guild_id) DO UPDATE SET
                 welcomed_at = excluded.welcomed_at, removed_at = NULL,
                 updated_at = excluded.updated_at
             WHERE servers.welcomed_at IS NULL
                OR (servers.removed_at IS NOT NULL AND servers.removed_at <= $3)",
        )
        .bind(id_to_db(guild_id))
        .bind(seconds(now))
        .bind(seconds(readded_after))
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    /// Notes that the bot is in a server it joined at `joined`: a removal noted at or before
    /// then is forgotten. A later removal stands: Discord's GUILD_CREATE of a session that
    /// began before the removal can be handled after it, and it says when the bot joined.
    pub async fn server_present(
        &self,
        guild_id: u64,
        joined: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE servers SET removed_at = NULL, updated_at = $3
             WHERE guild_id = $1 AND removed_at IS NOT NULL AND removed_at <= $2",
        )
        .bind(id_to_db(guild_id))
        .bind(seconds(joined))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Notes that the bot was removed from a server (its settings stay until
    /// `schedule::retention` deletes them).
    pub async fn server_removed(&self, guild_id: u64, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO servers (guild_id, content_mix, removed_at, updated_at)
             VALUES ($1, 'both', $2, $2)
             ON CONFLICT (guild_id) DO UPDATE SET
                 removed_at = excluded.removed_at, updated_at = excluded.updated_at",
        )
        .bind(id_to_db(guild_id))
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

    on_both_engines!(
        a_server_that_set_nothing_has_the_defaults_and_its_settings_round_trip,
        a_server_is_welcomed_once_and_again_only_when_readded_after_a_long_absence,
    );

    async fn a_server_is_welcomed_once_and_again_only_when_readded_after_a_long_absence(
        store: TestStore,
    ) {
        let guild = 42;
        let at = |s: i64| Timestamp::from_second(1_800_000_000 + s).expect("ts");
        let day = 86_400;
        assert!(store
            .claim_welcome(guild, at(0), at(-day))
            .await
            .expect("claim"));
        assert!(!store
            .claim_welcome(guild, at(10), at(10 - day))
            .await
            .expect("again"));
        // Removed and added back within the day: no second welcome, and present again.
        store.server_removed(guild, at(100)).await.expect("removed");
        assert!(!store
            .claim_welcome(guild, at(200), at(200 - day))
            .await
            .expect("re-added"));
        // A GUILD_CREATE from before the removal changes nothing; a join after it does.
        store
            .server_present(guild, at(50), at(200))
            .await
            .expect("present");
        assert_eq!(
            store.server(guild).await.expect("read").removed_at,
            Some(at(100))
        );
        store
            .server_present(guild, at(150), at(200))
            .await
            .expect("present");
        assert_eq!(store.server(guild).await.expect("read").removed_at, None);
        // Removed, and added back two days later.
        store.server_removed(guild, at(300)).await.expect("removed");
        assert!(store
            .claim_welcome(guild, at(300 + 2 * day), at(300 + day))
            .await
            .expect("back"));
        let settings = store.server(guild).await.expect("read");
        assert_eq!(settings.welcomed_at, Some(at(300 + 2 * day)));
        assert_eq!(settings.removed_at, None);
        // A zone set before the bot greeted is kept.
        let other = ServerSettings {
            zone: Some(Zone::parse("Asia/Tokyo").expect("zone")),
            ..ServerSettings::new(7)
        };
        store.save_server(&other, at(0)).await.expect("save");
        assert!(store
            .claim_welcome(7, at(1), at(1 - day))
            .await
            .expect("claim"));
        assert_eq!(store.server(7).await.expect("read").zone, other.zone);
    }

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
