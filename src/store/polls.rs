//! Polls the bot started: kept until their recap is posted, so a restart loses none and
//! recaps none twice.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{
    flag, from_flag, from_json, id_from_db, id_to_db, optional_id, seconds, timestamp, to_json,
};
use super::{Store, StoreError};
use crate::model::poll::{PollKind, PollSpec, PollState};

/// A poll the bot started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollRecord {
    pub message_id: u64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// The member who started it; `None` for a scheduled poll.
    pub started_by: Option<u64>,
    pub spec: PollSpec,
    pub closes_at: Timestamp,
    pub state: PollState,
    pub recap_message_id: Option<u64>,
    pub detail: Option<String>,
    pub created_at: Timestamp,
}

/// A `polls` row as the database holds it, the columns a [`PollRecord`] is made of (see
/// `values.rs` for why they are these types).
#[derive(FromRow)]
struct PollRow {
    message_id: i64,
    guild_id: i64,
    channel_id: i64,
    started_by: Option<i64>,
    kind: String,
    question: String,
    answers: String,
    multiselect: i64,
    subject: Option<String>,
    correct: Option<i64>,
    closes_at: i64,
    state: String,
    recap_message_id: Option<i64>,
    detail: Option<String>,
    created_at: i64,
}

fn record_from_row(row: &AnyRow) -> Result<PollRecord, StoreError> {
    let row = PollRow::from_row(row)?;
    Ok(PollRecord {
        message_id: id_from_db(row.message_id)?,
        guild_id: id_from_db(row.guild_id)?,
        channel_id: id_from_db(row.channel_id)?,
        started_by: optional_id(row.started_by)?,
        spec: PollSpec {
            kind: PollKind::from_stored(&row.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("poll kind {:?}", row.kind)))?,
            question: row.question,
            answers: from_json("poll answers", &row.answers)?,
            multiselect: from_flag(row.multiselect),
            subject: row.subject,
            correct: row
                .correct
                .map(|c| {
                    usize::try_from(c).map_err(|_| StoreError::Corrupt(format!("answer index {c}")))
                })
                .transpose()?,
        },
        closes_at: timestamp(row.closes_at)?,
        state: PollState::from_stored(&row.state)
            .ok_or_else(|| StoreError::Corrupt(format!("poll state {:?}", row.state)))?,
        recap_message_id: optional_id(row.recap_message_id)?,
        detail: row.detail,
        created_at: timestamp(row.created_at)?,
    })
}

/// Everyone who voted and those who picked the supported answer, for a single-choice poll
/// that has one (a quiz, a scenario); `None` for any other.
fn tally(spec: &PollSpec, counts: &[u64]) -> Option<(i64, i64)> {
    let correct = spec
        .correct
        .filter(|_| spec.subject.is_some() && !spec.multiselect)?;
    let votes: u64 = counts.iter().sum();
    let supported = counts.get(correct).copied().unwrap_or(0);
    Some((
        i64::try_from(votes).unwrap_or(i64::MAX),
        i64::try_from(supported).unwrap_or(i64::MAX),
    ))
}

impl Store {
    /// Records a poll just posted. `false` if the channel already has an open poll.
    pub async fn insert_poll(&self, poll: &PollRecord) -> Result<bool, StoreError> {
        let spec = &poll.spec;
        let result = sqlx::query(
            "INSERT INTO polls
                 (message_id, guild_id, channel_id, started_by, kind, question, answers, subject,
                  correct, multiselect, closes_at, state, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT DO NOTHING",
        )
        .bind(id_to_db(poll.message_id))
        .bind(id_to_db(poll.guild_id))
        .bind(id_to_db(poll.channel_id))
        .bind(poll.started_by.map(id_to_db))
        .bind(spec.kind.as_str())
        .bind(&spec.question)
        .bind(to_json(&spec.answers)?)
        .bind(&spec.subject)
        .bind(spec.correct.and_then(|c| i64::try_from(c).ok()))
        .bind(flag(spec.multiselect))
        .bind(seconds(poll.closes_at))
        .bind(poll.state.as_str())
        .bind(seconds(poll.created_at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn poll(&self, message_id: u64) -> Result<Option<PollRecord>, StoreError> {
        sqlx::query("SELECT * FROM polls WHERE message_id = $1")
            .bind(id_to_db(message_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(record_from_row)
            .transpose()
    }

    /// The channel's poll that is open or being recapped, if any.
    pub async fn open_poll_in(&self, channel_id: u64) -> Result<Option<PollRecord>, StoreError> {
        sqlx::query("SELECT * FROM polls WHERE channel_id = $1 AND state IN ('open', 'recapping')")
            .bind(id_to_db(channel_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(record_from_row)
            .transpose()
    }

    /// Every poll still owed a recap, but those whose recap a live process other than this
    /// one has claimed (its lease runs at `now`): it posts that recap itself.
    pub async fn unfinished_polls(&self, now: Timestamp) -> Result<Vec<PollRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT * FROM polls WHERE (state = 'open' OR (state = 'recapping' AND {}))
             ORDER BY closes_at",
            super::duty_log::not_held_elsewhere("polls", "$1", "$2")
        ))
        .bind(self.holder())
        .bind(seconds(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
    }

    /// Moves the end of an open poll (for `/poll end`).
    pub async fn set_poll_close(
        &self,
        message_id: u64,
        closes_at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE polls SET closes_at = $1 WHERE message_id = $2 AND state = 'open'")
            .bind(seconds(closes_at))
            .bind(id_to_db(message_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Claims a poll's recap before posting it, with how its votes stood (the final `counts`,
    /// one per answer) for the weekly digest. `false` when it was already claimed.
    pub async fn claim_recap(
        &self,
        message_id: u64,
        spec: &PollSpec,
        counts: &[u64],
    ) -> Result<bool, StoreError> {
        let (votes, supported) = match tally(spec, counts) {
            Some((votes, supported)) => (Some(votes), Some(supported)),
            None => (None, None),
        };
        let result = sqlx::query(
            "UPDATE polls SET state = 'recapping', votes = $2, supported_votes = $3, holder = $4
             WHERE message_id = $1 AND state = 'open'",
        )
        .bind(id_to_db(message_id))
        .bind(votes)
        .bind(supported)
        .bind(self.holder())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Marks a claimed recap as posted.
    pub async fn mark_recapped(
        &self,
        message_id: u64,
        recap_message_id: u64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE polls SET state = 'recapped', recap_message_id = $1 WHERE message_id = $2 AND state = 'recapping'")
            .bind(id_to_db(recap_message_id))
            .bind(id_to_db(message_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a poll whose recap cannot be posted.
    pub async fn mark_poll_failed(&self, message_id: u64, detail: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE polls SET state = 'failed', detail = $1 WHERE message_id = $2 AND state IN ('open', 'recapping')")
            .bind(detail)
            .bind(id_to_db(message_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::poll::PollAnswer;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(
        a_scenario_poll_is_kept_as_it_was_posted,
        one_open_poll_per_channel_and_a_recap_is_claimed_once
    );

    fn record(message_id: u64, channel_id: u64) -> PollRecord {
        PollRecord {
            message_id,
            guild_id: 1,
            channel_id,
            started_by: Some(7),
            spec: PollSpec {
                kind: PollKind::Quiz,
                question: "Leader or manager?".into(),
                answers: vec![PollAnswer {
                    text: "Leader".into(),
                    entry_id: "leader".into(),
                }],
                subject: Some("leader-sets-mission".into()),
                correct: Some(0),
                multiselect: false,
            },
            closes_at: Timestamp::from_second(1_800_000_000).expect("ts"),
            state: PollState::Open,
            recap_message_id: None,
            detail: None,
            created_at: Timestamp::from_second(1_799_999_000).expect("ts"),
        }
    }

    /// A database as the bot left it before scenario polls: migrated to 0004, with a poll.
    async fn database_before_scenario_polls(path: &std::path::Path) {
        use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
        use std::str::FromStr;
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let options = AnyConnectOptions::from_str(&url).expect("options");
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .expect("connect");
        let earlier = crate::store::migrations::migrator_through(crate::store::Engine::Sqlite, 4)
            .await
            .expect("the built-in migrations");
        earlier.run(&pool).await.expect("migrations up to 0004");
        let store = Store {
            pool: pool.clone(),
            engine: crate::store::Engine::Sqlite,
            lock: std::sync::Arc::new(std::sync::Mutex::new(None)),
            holder: "test".into(),
            url: None,
        };
        assert!(store.insert_poll(&record(100, 10)).await.expect("insert"));
        pool.close().await;
    }

    #[tokio::test]
    async fn polls_recorded_before_scenario_polls_survive_the_migration() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.db");
        database_before_scenario_polls(&path).await;
        let store = Store::open(&path).await.expect("opens and migrates");
        assert_eq!(store.poll(100).await.expect("read"), Some(record(100, 10)));
        assert!(
            !store.insert_poll(&record(101, 10)).await.expect("insert"),
            "still one open poll per channel"
        );
        let mut scenario = record(102, 20);
        scenario.spec.kind = PollKind::Scenario;
        assert!(store.insert_poll(&scenario).await.expect("insert"));
        store.close().await;
    }

    async fn a_scenario_poll_is_kept_as_it_was_posted(store: TestStore) {
        let mut poll = record(200, 30);
        poll.spec.kind = PollKind::Scenario;
        poll.spec.subject = Some("two-directions".into());
        assert!(store.insert_poll(&poll).await.expect("insert"));
        assert_eq!(store.poll(200).await.expect("read"), Some(poll));
    }

    async fn one_open_poll_per_channel_and_a_recap_is_claimed_once(store: TestStore) {
        assert!(store.insert_poll(&record(100, 10)).await.expect("insert"));
        assert!(
            !store.insert_poll(&record(101, 10)).await.expect("insert"),
            "second open poll in the channel"
        );
        assert!(store.insert_poll(&record(102, 20)).await.expect("insert"));
        assert_eq!(
            store.open_poll_in(10).await.expect("read"),
            Some(record(100, 10))
        );
        assert!(store
            .claim_recap(100, &record(100, 10).spec, &[1, 2])
            .await
            .expect("claim"));
        assert!(
            !store
                .claim_recap(100, &record(100, 10).spec, &[1, 2])
                .await
                .expect("claim"),
            "claimed twice"
        );
        store.mark_recapped(100, 555).await.expect("mark");
        let done = store.poll(100).await.expect("read").expect("row");
        assert_eq!(
            (done.state, done.recap_message_id),
            (PollState::Recapped, Some(555))
        );
        assert_eq!(store.open_poll_in(10).await.expect("read"), None);
        assert!(
            store.insert_poll(&record(103, 10)).await.expect("insert"),
            "a new poll after the recap"
        );
        assert_eq!(
            store
                .unfinished_polls(Timestamp::from_second(1_800_000_000).expect("ts"))
                .await
                .expect("read")
                .len(),
            2
        );
    }
}
