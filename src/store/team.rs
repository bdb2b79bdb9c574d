//! A server's own entries (`team_entries`), and erasing everything the bot keeps about a
//! server: on request, or once it has been gone past the grace period.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::optional_id;
use super::values::{id_from_db, id_to_db, seconds, timestamp};
use super::{Store, StoreError};
use crate::model::team::{ReviewSettings, Suggestion, SuggestionStatus, TeamEntry, TeamKind};

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
const SERVER_TABLES: [&str; 9] = [
    "suggestions",
    "review_settings",
    "team_entries",
    "duty_log",
    "polls",
    "schedules",
    "pulse_focus",
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

/// A `suggestions` row as the database holds it.
#[derive(FromRow)]
struct SuggestionRow {
    id: i64,
    guild_id: i64,
    kind: String,
    fields: String,
    member_id: i64,
    member_name: String,
    sent_at: i64,
    review_message_id: Option<i64>,
    status: String,
    decided_by: Option<i64>,
    decided_at: Option<i64>,
}

fn suggestion_from_row(row: &AnyRow) -> Result<Suggestion, StoreError> {
    let row = SuggestionRow::from_row(row)?;
    Ok(Suggestion {
        id: row.id,
        guild_id: id_from_db(row.guild_id)?,
        kind: TeamKind::from_stored(&row.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("suggestion kind {:?}", row.kind)))?,
        fields: row.fields,
        member_id: id_from_db(row.member_id)?,
        member_name: row.member_name,
        sent_at: timestamp(row.sent_at)?,
        review_message_id: optional_id(row.review_message_id)?,
        status: SuggestionStatus::from_stored(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("suggestion status {:?}", row.status)))?,
        decided_by: optional_id(row.decided_by)?,
        decided_at: row.decided_at.map(timestamp).transpose()?,
    })
}

/// A suggestion about to be stored.
#[derive(Debug, Clone)]
pub struct NewSuggestion<'a> {
    pub guild_id: u64,
    pub kind: TeamKind,
    pub fields: &'a str,
    pub member_id: u64,
    pub member_name: &'a str,
}

/// How many suggestions wait, and how many a member sent lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestionCounts {
    /// Waiting in the server.
    pub server_waiting: usize,
    /// The member's, waiting.
    pub member_waiting: usize,
    /// The member's, sent since the time asked about; and the oldest of them.
    pub member_recent: usize,
    pub oldest_recent: Option<Timestamp>,
}

impl Store {
    /// Where a server reviews suggestions; `None` until an admin set it up.
    pub async fn review_settings(
        &self,
        guild_id: u64,
    ) -> Result<Option<ReviewSettings>, StoreError> {
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT channel_id, reviewer_role_id FROM review_settings WHERE guild_id = $1",
        )
        .bind(id_to_db(guild_id))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(channel, role)| {
            Ok(ReviewSettings {
                channel_id: id_from_db(channel)?,
                reviewer_role_id: optional_id(role)?,
            })
        })
        .transpose()
    }

    pub async fn save_review_settings(
        &self,
        guild_id: u64,
        settings: ReviewSettings,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO review_settings (guild_id, channel_id, reviewer_role_id, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
                 reviewer_role_id = excluded.reviewer_role_id, updated_at = excluded.updated_at",
        )
        .bind(id_to_db(guild_id))
        .bind(id_to_db(settings.channel_id))
        .bind(settings.reviewer_role_id.map(id_to_db))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The counts a new suggestion is held to.
    pub async fn suggestion_counts(
        &self,
        guild_id: u64,
        member_id: u64,
        since: Timestamp,
    ) -> Result<SuggestionCounts, StoreError> {
        let count = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
        let server_waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestions WHERE guild_id = $1 AND status = 'waiting'",
        )
        .bind(id_to_db(guild_id))
        .fetch_one(&self.pool)
        .await?;
        let member_waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestions
             WHERE guild_id = $1 AND member_id = $2 AND status = 'waiting'",
        )
        .bind(id_to_db(guild_id))
        .bind(id_to_db(member_id))
        .fetch_one(&self.pool)
        .await?;
        let recent: Vec<i64> = sqlx::query_scalar(
            "SELECT sent_at FROM suggestions
             WHERE guild_id = $1 AND member_id = $2 AND sent_at > $3 ORDER BY sent_at",
        )
        .bind(id_to_db(guild_id))
        .bind(id_to_db(member_id))
        .bind(seconds(since))
        .fetch_all(&self.pool)
        .await?;
        Ok(SuggestionCounts {
            server_waiting: count(server_waiting),
            member_waiting: count(member_waiting),
            member_recent: recent.len(),
            oldest_recent: recent.first().copied().map(timestamp).transpose()?,
        })
    }

    /// Stores a waiting suggestion; its id.
    pub async fn add_suggestion(
        &self,
        new: &NewSuggestion<'_>,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO suggestions (guild_id, kind, fields, member_id, member_name, sent_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, 'waiting') RETURNING id",
        )
        .bind(id_to_db(new.guild_id))
        .bind(new.kind.as_str())
        .bind(new.fields)
        .bind(id_to_db(new.member_id))
        .bind(new.member_name)
        .bind(seconds(now))
        .fetch_one(&self.pool)
        .await?)
    }

    /// Notes the review post of a suggestion.
    pub async fn set_review_message(&self, id: i64, message_id: u64) -> Result<(), StoreError> {
        sqlx::query("UPDATE suggestions SET review_message_id = $1 WHERE id = $2")
            .bind(id_to_db(message_id))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A server's suggestion.
    pub async fn suggestion(
        &self,
        guild_id: u64,
        id: i64,
    ) -> Result<Option<Suggestion>, StoreError> {
        sqlx::query("SELECT * FROM suggestions WHERE guild_id = $1 AND id = $2")
            .bind(id_to_db(guild_id))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(suggestion_from_row)
            .transpose()
    }

    /// Claims the decision on a waiting suggestion: `true` for the one caller whose update
    /// moved it out of `waiting` (two reviewers at once: one wins).
    pub async fn decide_suggestion(
        &self,
        guild_id: u64,
        id: i64,
        status: SuggestionStatus,
        by: u64,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE suggestions SET status = $1, decided_by = $2, decided_at = $3
             WHERE guild_id = $4 AND id = $5 AND status = 'waiting'",
        )
        .bind(status.as_str())
        .bind(id_to_db(by))
        .bind(seconds(at))
        .bind(id_to_db(guild_id))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(
        a_suggestion_is_decided_once_however_many_reviewers_race,
        entries_are_added_listed_edited_and_removed_per_server,
        an_addition_past_the_cap_adds_nothing,
        forgetting_a_server_leaves_no_row_of_it_and_keeps_the_others,
    );

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).expect("ts")
    }

    #[tokio::test]
    async fn every_table_with_a_server_id_is_emptied_when_a_server_is_forgotten() {
        let store = crate::store::testing::sqlite().await;
        let mut tables: Vec<String> = sqlx::query_scalar(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name = 'guild_id' ORDER BY m.name",
        )
        .fetch_all(&store.pool)
        .await
        .expect("schema");
        let mut listed: Vec<String> = SERVER_TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        tables.sort();
        assert_eq!(
            tables, listed,
            "a table keeps rows by guild_id that forget_server leaves"
        );
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

    async fn a_suggestion_is_decided_once_however_many_reviewers_race(store: TestStore) {
        let new = NewSuggestion {
            guild_id: 7,
            kind: TeamKind::Tip,
            fields: "{}",
            member_id: 3,
            member_name: "Ana",
        };
        let id = store.add_suggestion(&new, now()).await.expect("add");
        let counts = store
            .suggestion_counts(7, 3, now() - jiff::SignedDuration::from_hours(24))
            .await
            .expect("counts");
        assert_eq!(
            (
                counts.server_waiting,
                counts.member_waiting,
                counts.member_recent
            ),
            (1, 1, 1)
        );
        let races = (0..8u64).map(|reviewer| {
            let store = store.clone();
            async move {
                let verdict = if reviewer % 2 == 0 {
                    SuggestionStatus::Approved
                } else {
                    SuggestionStatus::Declined
                };
                store
                    .decide_suggestion(7, id, verdict, reviewer, now())
                    .await
                    .expect("decide")
            }
        });
        let won = futures::future::join_all(races).await;
        assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
        let decided = store.suggestion(7, id).await.expect("read").expect("kept");
        assert_ne!(decided.status, SuggestionStatus::Waiting);
        assert!(decided.decided_by.is_some());
        assert!(store.suggestion(8, id).await.expect("read").is_none());
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
