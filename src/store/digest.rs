//! What the weekly digest reads of the week's polls: how their votes stood at the recap
//! (`polls.votes`, `polls.supported_votes`, written when the recap is claimed). Its schedule
//! is in `schedules.rs`, and what was posted in the duty log, as for every scheduled post.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{id_to_db, seconds};
use super::{Store, StoreError};
use crate::model::poll::{PollKind, PollTally};

fn count(value: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} {value}")))
}

/// What the digest reads of one poll, as the database holds it.
#[derive(FromRow)]
struct TallyRow {
    kind: String,
    subject: String,
    votes: i64,
    supported_votes: i64,
}

fn tally_from_row(row: &AnyRow) -> Result<PollTally, StoreError> {
    let row = TallyRow::from_row(row)?;
    Ok(PollTally {
        kind: PollKind::from_stored(&row.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("poll kind {:?}", row.kind)))?,
        subject: row.subject,
        votes: count(row.votes, "votes")?,
        supported: count(row.supported_votes, "supported votes")?,
    })
}

impl Store {
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

    on_both_engines!(tallies_are_the_week_s_counted_polls_with_a_supported_answer);

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).expect("ts")
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
                subject: (kind != PollKind::Needs).then(|| "leader-sets-mission".to_string()),
                correct: (kind != PollKind::Needs).then_some(0),
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
                poll(3, 1, PollKind::Needs, week_start + 300),
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
            "the needs poll has no supported answer; other weeks, servers and open polls are left out"
        );
    }
}
