//! A server's own entries (`team_entries`), and erasing everything the bot keeps about a
//! server: on request, or once it has been gone past the grace period.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;

use super::values::{id_from_db, id_to_db, seconds, timestamp};
use super::{Store, StoreError};
use crate::model::team::{TeamEntry, TeamKind};

/// A `team_entries` row as the database holds it.
#[derive(FromRow)]
struct TeamRow {
    id: i64,
    guild_id: i64,
    kind: String,
    fields: String,
    added_by: i64,
    suggested_by: Option<String>,
    added_at: i64,
}

fn entry_from_row(row: &AnyRow) -> Result<TeamEntry, StoreError> {
    let row = TeamRow::from_row(row)?;
    Ok(TeamEntry {
        id: row.id,
        guild_id: id_from_db(row.guild_id)?,
        kind: TeamKind::from_stored(&row.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("team entry kind {:?}", row.kind)))?,
        fields: row.fields,
        added_by: id_from_db(row.added_by)?,
        suggested_by: row.suggested_by,
        added_at: timestamp(row.added_at)?,
    })
}

/// An entry to add: everything but the id the store gives it.
#[derive(Debug, Clone)]
pub struct NewTeamEntry {
    pub kind: TeamKind,
    pub fields: String,
    pub suggested_by: Option<String>,
}

/// What [`Store::add_team_entries`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Every entry was added; their ids, in order.
    All(Vec<i64>),
    /// Nothing was added: with them, the server would hold more entries of this kind than its
    /// cap; it holds this many.
    OverCap { kind: TeamKind, holds: usize },
}

/// Every table that keeps rows of a server by its id, in the order they are emptied.
const SERVER_TABLES: [&str; 6] = [
    "team_entries",
    "duty_log",
    "polls",
    "schedules",
    "pulses",
    "servers",
];

impl Store {
    /// A server's entries of `kind` (of every kind with `None`), oldest first.
    pub async fn team_entries(
        &self,
        guild_id: u64,
        kind: Option<TeamKind>,
    ) -> Result<Vec<TeamEntry>, StoreError> {
        let rows = match kind {
            Some(kind) => {
                sqlx::query(
                    "SELECT * FROM team_entries WHERE guild_id = $1 AND kind = $2 ORDER BY id",
                )
                .bind(id_to_db(guild_id))
                .bind(kind.as_str())
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query("SELECT * FROM team_entries WHERE guild_id = $1 ORDER BY id")
                    .bind(id_to_db(guild_id))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(entry_from_row).collect()
    }

    /// One entry of a server; `None` when it has no such entry (another server's id too).
    pub async fn team_entry(
        &self,
        guild_id: u64,
        id: i64,
    ) -> Result<Option<TeamEntry>, StoreError> {
        sqlx::query("SELECT * FROM team_entries WHERE guild_id = $1 AND id = $2")
            .bind(id_to_db(guild_id))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }

    /// Adds entries to a server, all or none: none when any kind would pass `cap(kind)`. The
    /// count and the inserts are one transaction; on PostgreSQL it starts by locking the
    /// server's entries, so two additions at once cannot both pass the cap.
    pub async fn add_team_entries(
        &self,
        guild_id: u64,
        entries: &[NewTeamEntry],
        added_by: u64,
        cap: impl Fn(TeamKind) -> usize,
        now: Timestamp,
    ) -> Result<Added, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.engine == super::Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(id_to_db(guild_id))
                .execute(&mut *tx)
                .await?;
        }
        for kind in TeamKind::ALL {
            let adding = entries.iter().filter(|e| e.kind == kind).count();
            if adding == 0 {
                continue;
            }
            let held: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM team_entries WHERE guild_id = $1 AND kind = $2",
            )
            .bind(id_to_db(guild_id))
            .bind(kind.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let holds = usize::try_from(held).unwrap_or(usize::MAX);
            if holds.saturating_add(adding) > cap(kind) {
                return Ok(Added::OverCap { kind, holds });
            }
        }
        let mut ids = Vec::with_capacity(entries.len());
        for entry in entries {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO team_entries (guild_id, kind, fields, added_by, suggested_by, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id_to_db(guild_id))
            .bind(entry.kind.as_str())
            .bind(&entry.fields)
            .bind(id_to_db(added_by))
            .bind(entry.suggested_by.as_deref())
            .bind(seconds(now))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Added::All(ids))
    }

    /// Replaces an entry's texts; `false` when the server has no such entry.
    pub async fn edit_team_entry(
        &self,
        guild_id: u64,
        id: i64,
        fields: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE team_entries SET fields = $1 WHERE guild_id = $2 AND id = $3")
                .bind(fields)
                .bind(id_to_db(guild_id))
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes an entry; `false` when the server has no such entry.
    pub async fn remove_team_entry(&self, guild_id: u64, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM team_entries WHERE guild_id = $1 AND id = $2")
            .bind(id_to_db(guild_id))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes every row the bot keeps about a server: its settings, schedules, own content,
    /// post log, polls and pulses (their keys, answers and counts go with them). One
    /// transaction: a failure leaves everything in place to be tried again.
    pub async fn forget_server(&self, guild_id: u64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Pulses' own rows go first; the foreign keys would also cascade on SQLite, but a
        // PostgreSQL schema must not rely on the order of the list below.
        for table in ["pulse_responses", "pulse_keys", "pulse_counts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE pulse_id IN (SELECT id FROM pulses WHERE guild_id = $1)"
            ))
            .bind(id_to_db(guild_id))
            .execute(&mut *tx)
            .await?;
        }
        for table in SERVER_TABLES {
            sqlx::query(&format!("DELETE FROM {table} WHERE guild_id = $1"))
                .bind(id_to_db(guild_id))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many rows the database holds about a server, in every table that keeps any: what
    /// [`Store::forget_server`] leaves is zero.
    pub async fn rows_of_server(&self, guild_id: u64) -> Result<i64, StoreError> {
        let mut rows = 0;
        for table in ["pulse_responses", "pulse_keys", "pulse_counts"] {
            let count: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE pulse_id IN (SELECT id FROM pulses WHERE guild_id = $1)"
            ))
            .bind(id_to_db(guild_id))
            .fetch_one(&self.pool)
            .await?;
            rows += count;
        }
        for table in SERVER_TABLES {
            let count: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE guild_id = $1"))
                    .bind(id_to_db(guild_id))
                    .fetch_one(&self.pool)
                    .await?;
            rows += count;
        }
        Ok(rows)
    }

    /// The servers the bot was removed from at or before `before`, whose data is due to go.
    pub async fn servers_removed_before(&self, before: Timestamp) -> Result<Vec<u64>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT guild_id FROM servers WHERE removed_at IS NOT NULL AND removed_at <= $1
             ORDER BY guild_id",
        )
        .bind(seconds(before))
        .fetch_all(&self.pool)
        .await?;
        ids.into_iter().map(id_from_db).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(
        entries_are_added_listed_edited_and_removed_per_server,
        an_addition_past_the_cap_adds_nothing,
        forgetting_a_server_leaves_no_row_of_it_and_keeps_the_others,
    );

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).expect("ts")
    }

    fn tip(fields: &str) -> NewTeamEntry {
        NewTeamEntry {
            kind: TeamKind::Tip,
            fields: fields.into(),
            suggested_by: None,
        }
    }

    async fn entries_are_added_listed_edited_and_removed_per_server(store: TestStore) {
        let added = store
            .add_team_entries(7, &[tip("{\"a\":1}"), tip("{\"b\":2}")], 99, |_| 10, now())
            .await
            .expect("add");
        let Added::All(ids) = added else {
            panic!("{added:?}")
        };
        store
            .add_team_entries(8, &[tip("{}")], 99, |_| 10, now())
            .await
            .expect("add");
        let listed = store
            .team_entries(7, Some(TeamKind::Tip))
            .await
            .expect("list");
        assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), ids);
        assert_eq!(listed[0].added_by, 99);
        assert_eq!(listed[0].added_at, now());
        assert!(store
            .team_entries(7, Some(TeamKind::Scenario))
            .await
            .expect("list")
            .is_empty());
        assert!(
            store.team_entry(8, ids[0]).await.expect("read").is_none(),
            "another server's"
        );
        assert!(store
            .edit_team_entry(7, ids[0], "{\"c\":3}")
            .await
            .expect("edit"));
        assert_eq!(
            store
                .team_entry(7, ids[0])
                .await
                .expect("read")
                .expect("kept")
                .fields,
            "{\"c\":3}"
        );
        assert!(!store
            .remove_team_entry(8, ids[0])
            .await
            .expect("not its own"));
        assert!(store.remove_team_entry(7, ids[0]).await.expect("remove"));
        assert_eq!(store.team_entries(7, None).await.expect("list").len(), 1);
    }

    async fn an_addition_past_the_cap_adds_nothing(store: TestStore) {
        store
            .add_team_entries(7, &[tip("{}"), tip("{}")], 1, |_| 3, now())
            .await
            .expect("add");
        let over = store
            .add_team_entries(7, &[tip("{}"), tip("{}")], 1, |_| 3, now())
            .await
            .expect("add");
        assert_eq!(
            over,
            Added::OverCap {
                kind: TeamKind::Tip,
                holds: 2
            }
        );
        assert_eq!(store.team_entries(7, None).await.expect("list").len(), 2);
    }

    async fn forgetting_a_server_leaves_no_row_of_it_and_keeps_the_others(store: TestStore) {
        use crate::model::server::ServerSettings;
        for guild in [7, 8] {
            store
                .add_team_entries(guild, &[tip("{}")], 1, |_| 3, now())
                .await
                .expect("add");
            let removed = ServerSettings {
                removed_at: Some(now()),
                ..ServerSettings::new(guild)
            };
            store.save_server(&removed, now()).await.expect("save");
        }
        assert_eq!(
            store.servers_removed_before(now()).await.expect("due"),
            vec![7, 8]
        );
        assert!(store.rows_of_server(7).await.expect("count") >= 2);
        store.forget_server(7).await.expect("forget");
        assert_eq!(store.rows_of_server(7).await.expect("count"), 0);
        assert!(store.team_entries(7, None).await.expect("list").is_empty());
        assert_eq!(store.server(7).await.expect("read"), ServerSettings::new(7));
        assert_eq!(store.team_entries(8, None).await.expect("list").len(), 1);
        assert_eq!(
            store.servers_removed_before(now()).await.expect("due"),
            vec![8]
        );
    }
}
