//! The team pulse's rows: the pulses, and what an open pulse keeps so a member can change
//! their answers.
//!
//! While a pulse is open, `pulse_keys` holds its random key and `pulse_responses` one row per
//! answer under a keyed hash of the member id (never the id). [`Store::close_pulse`] deletes
//! both and writes `pulse_counts` (how many chose each score) in one transaction.

use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{
    date, from_json, id_from_db, id_to_db, optional_id, seconds, timestamp, to_json,
};
use super::{Store, StoreError};

/// One pulse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseRecord {
    pub id: i64,
    pub guild_id: u64,
    /// The Monday of the local week it opened in.
    pub week: Date,
    pub channel_id: u64,
    pub message_id: Option<u64>,
    pub statements: Vec<String>,
    pub opened_at: Timestamp,
    pub closes_at: Timestamp,
    pub closed: bool,
    /// How many answered; set when it closes.
    pub responses: u32,
}

/// What opening a pulse writes.
#[derive(Debug, Clone)]
pub struct NewPulse<'a> {
    pub guild_id: u64,
    pub week: Date,
    pub channel_id: u64,
    pub statements: &'a [String],
    pub opened_at: Timestamp,
    pub closes_at: Timestamp,
    pub key: &'a [u8],
}

/// A `pulses` row as the database holds it (see `values.rs` for why the columns are these
/// types).
#[derive(FromRow)]
struct PulseRow {
    id: i64,
    guild_id: i64,
    week: String,
    channel_id: i64,
    message_id: Option<i64>,
    statements: String,
    opened_at: i64,
    closes_at: i64,
    status: String,
    responses: i64,
}

fn pulse_from_row(row: &AnyRow) -> Result<PulseRecord, StoreError> {
    let row = PulseRow::from_row(row)?;
    Ok(PulseRecord {
        id: row.id,
        guild_id: id_from_db(row.guild_id)?,
        week: date(&row.week)?,
        channel_id: id_from_db(row.channel_id)?,
        message_id: optional_id(row.message_id)?,
        statements: from_json("pulse statements", &row.statements)?,
        opened_at: timestamp(row.opened_at)?,
        closes_at: timestamp(row.closes_at)?,
        closed: row.status == "closed",
        responses: u32::try_from(row.responses)
            .map_err(|_| StoreError::Corrupt(format!("responses {}", row.responses)))?,
    })
}

/// One `pulse_counts` row: how many chose `score` for a statement.
#[derive(FromRow)]
struct CountRow {
    statement_id: String,
    score: i64,
    count: i64,
}

impl Store {
    /// Opens a pulse for a server's week with its key, or returns the one that week already
    /// has (so a retried or recovered post shows the same pulse).
    pub async fn open_pulse(&self, new: &NewPulse<'_>) -> Result<PulseRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO pulses (guild_id, week, channel_id, statements, opened_at, closes_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, 'open')
             ON CONFLICT DO NOTHING
             RETURNING id",
        )
        .bind(id_to_db(new.guild_id))
        .bind(new.week.to_string())
        .bind(id_to_db(new.channel_id))
        .bind(to_json(&new.statements)?)
        .bind(seconds(new.opened_at))
        .bind(seconds(new.closes_at))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = inserted {
            sqlx::query("INSERT INTO pulse_keys (pulse_id, key) VALUES ($1, $2)")
                .bind(id)
                .bind(new.key)
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query("SELECT * FROM pulses WHERE guild_id = $1 AND week = $2")
            .bind(id_to_db(new.guild_id))
            .bind(new.week.to_string())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        pulse_from_row(&row)
    }

    pub async fn pulse_for_week(
        &self,
        guild_id: u64,
        week: Date,
    ) -> Result<Option<PulseRecord>, StoreError> {
        sqlx::query("SELECT * FROM pulses WHERE guild_id = $1 AND week = $2")
            .bind(id_to_db(guild_id))
            .bind(week.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(pulse_from_row)
            .transpose()
    }

    pub async fn pulse(&self, id: i64) -> Result<Option<PulseRecord>, StoreError> {
        sqlx::query("SELECT * FROM pulses WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(pulse_from_row)
            .transpose()
    }

    /// Records the message a pulse was posted as.
    pub async fn set_pulse_message(&self, id: i64, message_id: u64) -> Result<(), StoreError> {
        sqlx::query("UPDATE pulses SET message_id = $1 WHERE id = $2")
            .bind(id_to_db(message_id))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A server's open pulse, if any.
    pub async fn current_pulse(&self, guild_id: u64) -> Result<Option<PulseRecord>, StoreError> {
        sqlx::query("SELECT * FROM pulses WHERE guild_id = $1 AND status = 'open' ORDER BY week DESC LIMIT 1")
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(pulse_from_row)
            .transpose()
    }

    /// Open pulses whose time is up at `now`, of every server.
    pub async fn pulses_to_close(&self, now: Timestamp) -> Result<Vec<PulseRecord>, StoreError> {
        sqlx::query(
            "SELECT * FROM pulses WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at",
        )
        .bind(seconds(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(pulse_from_row)
        .collect()
    }

    /// A server's open pulses, in the order they close.
    pub async fn open_pulses(&self, guild_id: u64) -> Result<Vec<PulseRecord>, StoreError> {
        sqlx::query(
            "SELECT * FROM pulses WHERE guild_id = $1 AND status = 'open' ORDER BY closes_at",
        )
        .bind(id_to_db(guild_id))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(pulse_from_row)
        .collect()
    }

    /// The server's pulse that closed last.
    pub async fn last_closed_pulse(
        &self,
        guild_id: u64,
    ) -> Result<Option<PulseRecord>, StoreError> {
        sqlx::query(
            "SELECT * FROM pulses WHERE guild_id = $1 AND status = 'closed'
             ORDER BY closes_at DESC LIMIT 1",
        )
        .bind(id_to_db(guild_id))
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(pulse_from_row)
        .transpose()
    }

    /// Every server with a pulse open, or closed at or after `since`: those a result may be
    /// owed to, whether or not they still have a pulse schedule.
    pub async fn servers_with_recent_pulses(
        &self,
        since: Timestamp,
    ) -> Result<Vec<u64>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT guild_id FROM pulses WHERE status = 'open' OR closes_at >= $1
             ORDER BY guild_id",
        )
        .bind(seconds(since))
        .fetch_all(&self.pool)
        .await?;
        ids.into_iter().map(id_from_db).collect()
    }

    /// How many pulses of a server have closed.
    pub async fn closed_pulse_count(&self, guild_id: u64) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pulses WHERE guild_id = $1 AND status = 'closed'",
        )
        .bind(id_to_db(guild_id))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// A server's closed pulses, newest first.
    pub async fn closed_pulses(
        &self,
        guild_id: u64,
        limit: u32,
    ) -> Result<Vec<PulseRecord>, StoreError> {
        sqlx::query("SELECT * FROM pulses WHERE guild_id = $1 AND status = 'closed' ORDER BY week DESC LIMIT $2")
            .bind(id_to_db(guild_id))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(pulse_from_row)
            .collect()
    }

    /// The key of an open pulse; `None` once it has closed.
    pub async fn pulse_key(&self, pulse_id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT key FROM pulse_keys WHERE pulse_id = $1")
                .bind(pulse_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores one member's answers to an open pulse under their keyed hash, replacing any
    /// earlier ones. `false` when the pulse is not open any more.
    pub async fn save_pulse_answers(
        &self,
        pulse_id: i64,
        member_hash: &[u8],
        answers: &[(String, u8)],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // A write, not a read: it holds the pulse's row until this transaction ends, so a close
        // waits for these answers instead of deleting around them (a read would not stop it on
        // PostgreSQL).
        let open =
            sqlx::query("UPDATE pulses SET status = status WHERE id = $1 AND status = 'open'")
                .bind(pulse_id)
                .execute(&mut *tx)
                .await?;
        if open.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM pulse_responses WHERE pulse_id = $1 AND member_hash = $2")
            .bind(pulse_id)
            .bind(member_hash)
            .execute(&mut *tx)
            .await?;
        for (statement, score) in answers {
            sqlx::query("INSERT INTO pulse_responses (pulse_id, member_hash, statement_id, score) VALUES ($1, $2, $3, $4)")
                .bind(pulse_id)
                .bind(member_hash)
                .bind(statement)
                .bind(i64::from(*score))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// One member's answers to an open pulse, found by their keyed hash: (statement, score),
    /// nothing once it has closed. Only the member's own form reads them, to show them what
    /// they gave.
    pub async fn member_pulse_answers(
        &self,
        pulse_id: i64,
        member_hash: &[u8],
    ) -> Result<Vec<(String, u8)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT statement_id, score FROM pulse_responses WHERE pulse_id = $1 AND member_hash = $2",
        )
        .bind(pulse_id)
        .bind(member_hash)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(statement, score)| {
                u8::try_from(score)
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .map(|s| (statement, s))
                    .ok_or_else(|| StoreError::Corrupt(format!("score {score}")))
            })
            .collect()
    }

    /// How many members have answered an open pulse.
    pub async fn pulse_answered(&self, pulse_id: i64) -> Result<u32, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT member_hash) FROM pulse_responses WHERE pulse_id = $1",
        )
        .bind(pulse_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Closes a pulse: in one transaction, stores how many chose each score per statement and
    /// how many answered, and deletes the key, the hashes and every individual answer.
    /// `false` when it was already closed (nothing changes).
    pub async fn close_pulse(&self, pulse_id: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The claim: one caller moves the pulse from open to closed, and holds its row, so
        // answers being saved are either in before the counts or refused after.
        let claimed =
            sqlx::query("UPDATE pulses SET status = 'closed' WHERE id = $1 AND status = 'open'")
                .bind(pulse_id)
                .execute(&mut *tx)
                .await?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO pulse_counts (pulse_id, statement_id, score, count)
             SELECT pulse_id, statement_id, score, COUNT(*) FROM pulse_responses
             WHERE pulse_id = $1 GROUP BY pulse_id, statement_id, score",
        )
        .bind(pulse_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE pulses SET
                 responses = (SELECT COUNT(DISTINCT member_hash) FROM pulse_responses WHERE pulse_id = $1)
             WHERE id = $1",
        )
        .bind(pulse_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM pulse_responses WHERE pulse_id = $1")
            .bind(pulse_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM pulse_keys WHERE pulse_id = $1")
            .bind(pulse_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.scrub_logged().await;
        Ok(true)
    }

    /// A closed pulse's counts: per statement, how many chose each score (index 0 = score 1).
    pub async fn pulse_counts(&self, pulse_id: i64) -> Result<Vec<(String, [u32; 5])>, StoreError> {
        let rows: Vec<CountRow> = sqlx::query_as("SELECT statement_id, score, count FROM pulse_counts WHERE pulse_id = $1 ORDER BY statement_id, score")
            .bind(pulse_id)
            .fetch_all(&self.pool)
            .await?;
        let mut counts: Vec<(String, [u32; 5])> = Vec::new();
        for CountRow {
            statement_id: statement,
            score,
            count,
        } in rows
        {
            let slot = usize::try_from(score - 1)
                .ok()
                .filter(|s| *s < 5)
                .ok_or_else(|| StoreError::Corrupt(format!("score {score}")))?;
            if counts.last().is_none_or(|(id, _)| *id != statement) {
                counts.push((statement, [0; 5]));
            }
            if let Some((_, into)) = counts.last_mut() {
                into[slot] = u32::try_from(count).unwrap_or(u32::MAX);
            }
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duty::{DutyKind, DutyStatus};
    use crate::store::testing::{on_both_engines, OldDatabase, TestStore};
    use crate::store::Engine;

    on_both_engines!(
        after_close_nothing_in_any_table_names_or_hashes_a_member,
        a_week_has_one_pulse_and_reopening_returns_it
    );

    /// A stand-in for the keyed hash (the store keeps whatever bytes it is given).
    fn member_hash(key: &[u8], member: u64) -> Vec<u8> {
        key.iter()
            .zip(member.to_be_bytes().iter().cycle())
            .map(|(k, m)| k ^ m)
            .collect()
    }

    fn new_key() -> [u8; 32] {
        [0x5a; 32]
    }

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("ts")
    }

    async fn after_close_nothing_in_any_table_names_or_hashes_a_member(store: TestStore) {
        let statements = vec!["a-statement".to_string(), "b-statement".to_string()];
        let key = new_key();
        let pulse = store
            .open_pulse(&NewPulse {
                guild_id: 7,
                week: jiff::civil::date(2026, 11, 30),
                channel_id: 70,
                statements: &statements,
                opened_at: at(1_800_000_000),
                closes_at: at(1_800_172_800),
                key: &key,
            })
            .await
            .expect("open");
        let members: [u64; 5] = [
            111_111_111_111_111_111,
            222_222_222_222_222_222,
            333_333_333_333_333_333,
            444_444_444_444_444_444,
            555_555_555_555_555_555,
        ];
        for (i, member) in members.iter().enumerate() {
            let score = u8::try_from(i % 5 + 1).expect("small");
            let answers = vec![
                ("a-statement".to_string(), score),
                ("b-statement".to_string(), 3),
            ];
            assert!(store
                .save_pulse_answers(pulse.id, &member_hash(&key, *member), &answers)
                .await
                .expect("save"));
        }
        // One member changes their mind: replaced, not added.
        let changed = vec![
            ("a-statement".to_string(), 5),
            ("b-statement".to_string(), 5),
        ];
        store
            .save_pulse_answers(pulse.id, &member_hash(&key, members[0]), &changed)
            .await
            .expect("save");
        assert_eq!(store.pulse_answered(pulse.id).await.expect("count"), 5);
        let mut mine = store
            .member_pulse_answers(pulse.id, &member_hash(&key, members[0]))
            .await
            .expect("read");
        mine.sort();
        assert_eq!(
            mine, changed,
            "a member's own answers, as they last gave them"
        );
        assert!(store
            .member_pulse_answers(pulse.id, &member_hash(&key, 9))
            .await
            .expect("read")
            .is_empty());

        let hashes: Vec<String> = members
            .iter()
            .map(|m| format!("{:02x?}", member_hash(&key, *m)))
            .collect();
        let before = store.every_value().await.expect("dump");
        assert!(
            before.iter().any(|(_, v)| hashes.contains(v)),
            "open pulses keep hashes"
        );

        assert!(store.close_pulse(pulse.id).await.expect("close"));
        assert!(!store
            .close_pulse(pulse.id)
            .await
            .expect("closing twice changes nothing"));
        assert!(
            store
                .member_pulse_answers(pulse.id, &member_hash(&key, members[0]))
                .await
                .expect("read")
                .is_empty(),
            "nothing to show a member once it has closed"
        );
        let after = store.every_value().await.expect("dump");
        let key_text = format!("{:02x?}", key.to_vec());
        for (column, value) in &after {
            for member in members {
                assert!(
                    !value.contains(&member.to_string()),
                    "{column} names a member: {value}"
                );
            }
            assert!(!hashes.contains(value), "{column} holds a member hash");
            assert_ne!(value, &key_text, "{column} holds the key");
        }
        assert_eq!(store.pulse_key(pulse.id).await.expect("key"), None);
        let counts = store.pulse_counts(pulse.id).await.expect("counts");
        assert_eq!(
            counts,
            vec![
                ("a-statement".to_string(), [0, 1, 1, 1, 2]),
                ("b-statement".to_string(), [0, 0, 4, 0, 1]),
            ]
        );
        let closed = store.pulse(pulse.id).await.expect("read").expect("there");
        assert!(closed.closed);
        assert_eq!(closed.responses, 5);
        assert!(!store
            .save_pulse_answers(pulse.id, &[1], &changed)
            .await
            .expect("refused"));
    }

    async fn a_week_has_one_pulse_and_reopening_returns_it(store: TestStore) {
        let statements = vec!["a".to_string(), "b".to_string()];
        let new = NewPulse {
            guild_id: 1,
            week: jiff::civil::date(2026, 11, 30),
            channel_id: 10,
            statements: &statements,
            opened_at: at(1_800_000_000),
            closes_at: at(1_800_100_000),
            key: &[1; 32],
        };
        let first = store.open_pulse(&new).await.expect("open");
        let again = store
            .open_pulse(&NewPulse {
                key: &[2; 32],
                ..new.clone()
            })
            .await
            .expect("again");
        assert_eq!(first, again);
        assert_eq!(
            store.pulse_key(first.id).await.expect("key"),
            Some(vec![1; 32])
        );
        assert_eq!(
            store.current_pulse(1).await.expect("current"),
            Some(first.clone())
        );
        assert_eq!(
            store
                .pulses_to_close(at(1_800_100_000))
                .await
                .expect("due")
                .len(),
            1
        );
        assert!(store
            .pulses_to_close(at(1_800_099_999))
            .await
            .expect("due")
            .is_empty());
    }

    /// A database as the release before left it: results logged under the day the weekly
    /// schedule posted them. After the upgrade each is under its pulse's week, and a row that
    /// named no pulse is gone; other duties' rows are untouched.
    async fn results_logged_by_day_move_to_their_pulse_week(engine: Engine) {
        let old = OldDatabase::new(engine, 8).await;
        old.execute(
            "INSERT INTO duty_log (duty, guild_id, local_date, status, channel_id, payload, message_id, detail, due_at, recorded_at)
             VALUES ('pulse_result', 7, '2026-12-02', 'posted', 70, '{\"pulse_id\":1,\"week\":\"2026-11-30\"}', 900, NULL, 1, 2),
                    ('pulse_result', 7, '2026-12-14', 'skipped', NULL, NULL, NULL, 'no pulse closed then', 3, 4),
                    ('tip', 7, '2026-12-02', 'posted', 70, '{}', 901, NULL, 5, 6)",
        )
        .await;
        let store = old.upgrade().await;
        let entry = |duty, date| {
            let store = &store;
            async move { store.duty_entry(duty, 7, date).await.expect("read") }
        };
        let moved = entry(DutyKind::PulseResult, jiff::civil::date(2026, 11, 30))
            .await
            .expect("the result under its week");
        assert_eq!(moved.status, DutyStatus::Posted);
        assert_eq!(moved.message_id, Some(900));
        assert!(entry(DutyKind::PulseResult, jiff::civil::date(2026, 12, 2))
            .await
            .is_none());
        assert!(
            entry(DutyKind::PulseResult, jiff::civil::date(2026, 12, 14))
                .await
                .is_none()
        );
        assert!(entry(DutyKind::Tip, jiff::civil::date(2026, 12, 2))
            .await
            .is_some());
    }

    on_both_engines!(results_logged_by_day_move_to_their_pulse_week);
}
