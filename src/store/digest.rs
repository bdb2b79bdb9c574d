//! Each server's weekly digest, and what it reads of the week's polls: how their votes stood
//! at the recap (`polls.votes`, `polls.supported_votes`, written when the recap is claimed).
//! What was posted is in the duty log, as for every scheduled post.

use jiff::civil::Weekday;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::values::{
    flag, from_flag, id_from_db, id_to_db, seconds, timestamp, weekday_from, weekday_number, zone,
};
use super::{Store, StoreError};
use crate::model::poll::{PollKind, PollTally};
use crate::when::{DailyTime, Zone};

/// A server's weekly digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSchedule {
    pub guild_id: u64,
    pub channel_id: u64,
    pub weekday: Weekday,
    pub time: DailyTime,
    pub zone: Zone,
    pub paused: bool,
    pub active_since: Timestamp,
}

fn schedule_from_row(row: &AnyRow) -> Result<DigestSchedule, StoreError> {
    let time: String = row.try_get("post_time")?;
    Ok(DigestSchedule {
        guild_id: id_from_db(row.try_get("guild_id")?)?,
        channel_id: id_from_db(row.try_get("channel_id")?)?,
        weekday: weekday_from(row.try_get("weekday")?)?,
        time: DailyTime::parse(&time).map_err(StoreError::Corrupt)?,
        zone: zone(row.try_get("timezone")?)?,
        paused: from_flag(row.try_get("paused")?),
        active_since: timestamp(row.try_get("active_since")?)?,
    })
}

fn count(value: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} {value}")))
}

fn tally_from_row(row: &AnyRow) -> Result<PollTally, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(PollTally {
        kind: PollKind::from_stored(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("poll kind {kind:?}")))?,
        subject: row.try_get("subject")?,
        votes: count(row.try_get("votes")?, "votes")?,
        supported: count(row.try_get("supported_votes")?, "supported votes")?,
    })
}

impl Store {
    pub async fn save_digest_schedule(
        &self,
        schedule: &DigestSchedule,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO digest_schedules
                 (guild_id, channel_id, weekday, post_time, timezone, paused, active_since, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, weekday = excluded.weekday,
                 post_time = excluded.post_time, timezone = excluded.timezone,
                 paused = excluded.paused, active_since = excluded.active_since,
                 updated_at = excluded.updated_at",
        )
        .bind(id_to_db(schedule.guild_id))
        .bind(id_to_db(schedule.channel_id))
        .bind(weekday_number(schedule.weekday))
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(flag(schedule.paused))
        .bind(seconds(schedule.active_since))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn digest_schedule(
        &self,
        guild_id: u64,
    ) -> Result<Option<DigestSchedule>, StoreError> {
        sqlx::query("SELECT * FROM digest_schedules WHERE guild_id = $1")
            .bind(id_to_db(guild_id))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(schedule_from_row)
            .transpose()
    }

    pub async fn all_digest_schedules(&self) -> Result<Vec<DigestSchedule>, StoreError> {
        sqlx::query("SELECT * FROM digest_schedules ORDER BY guild_id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(schedule_from_row)
            .collect()
    }

    /// Removes a server's digest; `false` if it had none.
    pub async fn delete_digest_schedule(&self, guild_id: u64) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM digest_schedules WHERE guild_id = $1")
            .bind(id_to_db(guild_id))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The server's polls with a supported answer whose votes were counted, closed in
    /// (`from`, `until`], oldest first.
    pub async fn poll_tallies(
        &self,
        guild_id: u64,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<PollTally>, StoreError> {
        sqlx::query(
            "SELECT kind, subject, votes, supported_votes FROM polls
             WHERE guild_id = $1 AND closes_at > $2 AND closes_at <= $3
               AND votes IS NOT NULL AND supported_votes IS NOT NULL AND subject IS NOT NULL
             ORDER BY closes_at, message_id",
        )
        .bind(id_to_db(guild_id))
        .bind(seconds(from))
        .bind(seconds(until))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(tally_from_row)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::poll::{PollAnswer, PollSpec, PollState};
    use crate::store::testing::{on_both_engines, TestStore};
    use crate::store::PollRecord;

    on_both_engines!(
        digest_schedules_round_trip_pause_and_can_be_removed,
        tallies_are_the_week_s_counted_polls_with_a_supported_answer
    );

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).expect("ts")
    }

    fn schedule() -> DigestSchedule {
        DigestSchedule {
            guild_id: 1,
            channel_id: 10,
            weekday: Weekday::Friday,
            time: DailyTime::new(16, 0).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            paused: false,
            active_since: at(1_800_000_000),
        }
    }

    async fn digest_schedules_round_trip_pause_and_can_be_removed(store: TestStore) {
        let now = at(1_800_000_000);
        store
            .save_digest_schedule(&schedule(), now)
            .await
            .expect("save");
        assert_eq!(
            store.digest_schedule(1).await.expect("read"),
            Some(schedule())
        );
        let paused = DigestSchedule {
            paused: true,
            ..schedule()
        };
        store
            .save_digest_schedule(&paused, now)
            .await
            .expect("save");
        assert_eq!(store.digest_schedule(1).await.expect("read"), Some(paused));
        assert_eq!(store.all_digest_schedules().await.expect("all").len(), 1);
        assert!(store.delete_digest_schedule(1).await.expect("delete"));
        assert!(!store.delete_digest_schedule(1).await.expect("delete"));
        assert_eq!(store.digest_schedule(1).await.expect("read"), None);
    }

    fn poll(message_id: u64, guild_id: u64, kind: PollKind, closes_at: i64) -> PollRecord {
        PollRecord {
            message_id,
            guild_id,
            // A channel has one open poll at a time.
            channel_id: message_id * 10,
            started_by: None,
            spec: PollSpec {
                kind,
                question: "Which side?".into(),
                answers: vec![
                    PollAnswer {
                        text: "Leader".into(),
                        entry_id: "leader".into(),
                    },
                    PollAnswer {
                        text: "Manager".into(),
                        entry_id: "manager".into(),
                    },
                ],
                subject: (kind != PollKind::Pulse).then(|| "leader-sets-mission".to_string()),
                correct: (kind != PollKind::Pulse).then_some(0),
                multiselect: false,
            },
            closes_at: at(closes_at),
            state: PollState::Open,
            recap_message_id: None,
            detail: None,
            created_at: at(closes_at - 3600),
        }
    }

    async fn tallies_are_the_week_s_counted_polls_with_a_supported_answer(store: TestStore) {
        let week_start = 1_800_000_000;
        let polls = [
            (
                poll(1, 1, PollKind::Quiz, week_start + 100),
                Some(&[3u64, 7][..]),
            ),
            (
                poll(2, 1, PollKind::Scenario, week_start + 200),
                Some(&[5, 0][..]),
            ),
            (
                poll(3, 1, PollKind::Pulse, week_start + 300),
                Some(&[2, 2][..]),
            ),
            (
                poll(4, 1, PollKind::Quiz, week_start - 100),
                Some(&[1, 1][..]),
            ), // the week before
            (
                poll(5, 2, PollKind::Quiz, week_start + 100),
                Some(&[4, 4][..]),
            ), // another server
            (poll(6, 1, PollKind::Quiz, week_start + 400), None), // not recapped yet
        ];
        for (record, counts) in &polls {
            assert!(store.insert_poll(record).await.expect("insert"));
            if let Some(counts) = counts {
                assert!(store
                    .claim_recap(record.message_id, &record.spec, counts)
                    .await
                    .expect("claim"));
            }
        }
        let tallies = store
            .poll_tallies(1, at(week_start), at(week_start + 7 * 86_400))
            .await
            .expect("tallies");
        let seen: Vec<(PollKind, u32, u32)> = tallies
            .iter()
            .map(|t| (t.kind, t.votes, t.supported))
            .collect();
        assert_eq!(
            seen,
            [(PollKind::Quiz, 10, 3), (PollKind::Scenario, 5, 5)],
            "the pulse poll has no supported answer; other weeks, servers and open polls are left out"
        );
    }
}
