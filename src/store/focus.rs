//! The focus a team's lead chose from a pulse's result: one row per pulse, replaced when the
//! lead chooses again, with the focus post's message so that a new choice edits it. Who chose
//! is never stored.

use jiff::Timestamp;
use sqlx_macros::FromRow;

use super::values::{id_from_db, id_to_db, optional_id, seconds, timestamp};
use super::{Store, StoreError};

/// A pulse's chosen focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusRecord {
    pub pulse_id: i64,
    pub guild_id: u64,
    pub statement_id: String,
    /// The action, in the words the team reads.
    pub action: String,
    /// The post that announced it, once posted.
    pub message_id: Option<u64>,
    pub chosen_at: Timestamp,
}

#[derive(FromRow)]
struct FocusRow {
    pulse_id: i64,
    guild_id: i64,
    statement_id: String,
    action: String,
    message_id: Option<i64>,
    chosen_at: i64,
}

impl TryFrom<FocusRow> for FocusRecord {
    type Error = StoreError;

    fn try_from(row: FocusRow) -> Result<FocusRecord, StoreError> {
        Ok(FocusRecord {
            pulse_id: row.pulse_id,
            guild_id: id_from_db(row.guild_id)?,
            statement_id: row.statement_id,
            action: row.action,
            message_id: optional_id(row.message_id)?,
            chosen_at: timestamp(row.chosen_at)?,
        })
    }
}

impl Store {
    /// Sets a pulse's focus, replacing an earlier choice but keeping its post (to be edited).
    /// Returns the focus as now stored.
    pub async fn choose_focus(
        &self,
        pulse_id: i64,
        guild_id: u64,
        statement_id: &str,
        action: &str,
        now: Timestamp,
    ) -> Result<FocusRecord, StoreError> {
        sqlx::query(
            "INSERT INTO pulse_focus (pulse_id, guild_id, statement_id, action, message_id, chosen_at)
             VALUES ($1, $2, $3, $4, NULL, $5)
             ON CONFLICT (pulse_id) DO UPDATE SET statement_id = $3, action = $4, chosen_at = $5",
        )
        .bind(pulse_id)
        .bind(id_to_db(guild_id))
        .bind(statement_id)
        .bind(action)
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        self.focus(pulse_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("focus of pulse {pulse_id} not saved")))
    }

    /// Records the post that announced a pulse's focus.
    pub async fn set_focus_message(
        &self,
        pulse_id: i64,
        message_id: u64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE pulse_focus SET message_id = $2 WHERE pulse_id = $1")
            .bind(pulse_id)
            .bind(id_to_db(message_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A pulse's focus, if one was chosen.
    pub async fn focus(&self, pulse_id: i64) -> Result<Option<FocusRecord>, StoreError> {
        sqlx::query_as::<_, FocusRow>("SELECT * FROM pulse_focus WHERE pulse_id = $1")
            .bind(pulse_id)
            .fetch_optional(&self.pool)
            .await?
            .map(FocusRecord::try_from)
            .transpose()
    }

    /// A server's last `count` focuses, latest first.
    pub async fn focuses(&self, guild_id: u64, count: u32) -> Result<Vec<FocusRecord>, StoreError> {
        sqlx::query_as::<_, FocusRow>(
            "SELECT * FROM pulse_focus WHERE guild_id = $1 ORDER BY chosen_at DESC LIMIT $2",
        )
        .bind(id_to_db(guild_id))
        .bind(i64::from(count))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(FocusRecord::try_from)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};
    use crate::store::NewPulse;

    on_both_engines!(a_second_choice_replaces_the_first_and_keeps_its_post);

    async fn a_second_choice_replaces_the_first_and_keeps_its_post(store: TestStore) {
        let at = |s: i64| Timestamp::from_second(s).expect("ts");
        let pulse = store
            .open_pulse(&NewPulse {
                guild_id: 9,
                week: jiff::civil::date(2026, 11, 30),
                channel_id: 10,
                statements: &["a".to_string(), "b".to_string()],
                opened_at: at(1_000),
                closes_at: at(2_000),
                key: &[1; 32],
            })
            .await
            .expect("open");
        assert_eq!(store.focus(pulse.id).await.expect("read"), None);
        let first = store
            .choose_focus(pulse.id, 9, "a", "Name who decides", at(3_000))
            .await
            .expect("choose");
        assert_eq!(first.message_id, None);
        store.set_focus_message(pulse.id, 77).await.expect("post");
        let second = store
            .choose_focus(pulse.id, 9, "b", "Ask what is blocking", at(4_000))
            .await
            .expect("again");
        assert_eq!(
            second,
            FocusRecord {
                pulse_id: pulse.id,
                guild_id: 9,
                statement_id: "b".into(),
                action: "Ask what is blocking".into(),
                message_id: Some(77),
                chosen_at: at(4_000),
            }
        );
        assert_eq!(store.focuses(9, 5).await.expect("list"), [second]);
        assert!(store.focuses(8, 5).await.expect("other").is_empty());
    }
}
