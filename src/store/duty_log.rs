//! The log of every scheduled duty: one row per duty, server and local date.
//!
//! The primary key is what makes a duty happen at most once a day: a post is claimed here
//! (`sending`) before it is sent, and the row is finished (`posted` or `failed`) after. Rows
//! still `sending` at a start are what recovery looks at.

use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{date, id_from_db, id_to_db, optional_id, seconds, timestamp};
use super::{Store, StoreError};
use crate::model::duty::{DutyKind, DutyStatus};

/// The condition that a claim in `table` was made by this process (the parameter `holder`) or
/// by one whose lease has run out by the parameter `now`: the claims recovery may take up.
pub(super) fn not_held_elsewhere(table: &str, holder: &str, now: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM shard_leases l
         WHERE l.holder = {table}.holder AND l.holder <> {holder} AND l.until > {now})"
    )
}

/// One day of one duty for one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyEntry {
    pub duty: DutyKind,
    pub guild_id: u64,
    pub local_date: Date,
    pub status: DutyStatus,
    /// The content entry sent (a tip's id), when the duty has one.
    pub item: Option<String>,
    /// Which pass through the deck the item belongs to.
    pub cycle: Option<u64>,
    pub channel_id: Option<u64>,
    /// What is being sent, as the duty wrote it (JSON), so recovery finishes exactly that.
    pub payload: Option<String>,
    pub message_id: Option<u64>,
    pub detail: Option<String>,
    pub due_at: Timestamp,
    pub recorded_at: Timestamp,
}

/// What a duty claims before it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyClaim {
    pub duty: DutyKind,
    pub guild_id: u64,
    pub local_date: Date,
    pub channel_id: u64,
    pub item: Option<String>,
    pub cycle: Option<u64>,
    pub payload: Option<String>,
    pub due_at: Timestamp,
}

/// A `duty_log` row as the database holds it (see `values.rs` for why the columns are these
/// types); [`entry_from_row`] makes it a [`DutyEntry`].
#[derive(FromRow)]
struct EntryRow {
    duty: String,
    guild_id: i64,
    local_date: String,
    status: String,
    item: Option<String>,
    cycle: Option<i64>,
    channel_id: Option<i64>,
    payload: Option<String>,
    message_id: Option<i64>,
    detail: Option<String>,
    due_at: i64,
    recorded_at: i64,
}

fn entry_from_row(row: &AnyRow) -> Result<DutyEntry, StoreError> {
    let row = EntryRow::from_row(row)?;
    Ok(DutyEntry {
        duty: DutyKind::from_stored(&row.duty)
            .ok_or_else(|| StoreError::Corrupt(format!("duty {:?}", row.duty)))?,
        guild_id: id_from_db(row.guild_id)?,
        local_date: date(&row.local_date)?,
        status: DutyStatus::from_stored(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {:?}", row.status)))?,
        item: row.item,
        cycle: optional_id(row.cycle)?,
        channel_id: optional_id(row.channel_id)?,
        payload: row.payload,
        message_id: optional_id(row.message_id)?,
        detail: row.detail,
        due_at: timestamp(row.due_at)?,
        recorded_at: timestamp(row.recorded_at)?,
    })
}

impl Store {
    /// The log row of a duty for a server's local date.
    pub async fn duty_entry(
        &self,
        duty: DutyKind,
        guild_id: u64,
        local_date: Date,
    ) -> Result<Option<DutyEntry>, StoreError> {
        sqlx::query("SELECT * FROM duty_log WHERE duty = $1 AND guild_id = $2 AND local_date = $3")
            .bind(duty.as_str())
            .bind(id_to_db(guild_id))
            .bind(local_date.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }

    /// Claims a day's post before sending it. `false` when that day already has a row: then
    /// the post must not be sent.
    pub async fn claim_duty(&self, claim: &DutyClaim, now: Timestamp) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO duty_log
                 (duty, guild_id, local_date, status, item, cycle, channel_id, payload, due_at, recorded_at, holder)
             VALUES ($1, $2, $3, 'sending', $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
        )
        .bind(claim.duty.as_str())
        .bind(id_to_db(claim.guild_id))
        .bind(claim.local_date.to_string())
        .bind(&claim.item)
        .bind(claim.cycle.map(id_to_db))
        .bind(id_to_db(claim.channel_id))
        .bind(&claim.payload)
        .bind(seconds(claim.due_at))
        .bind(seconds(now))
        .bind(self.holder())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records a day without a post (skipped, missed, or failed before anything was sent),
    /// unless the day already has a row. `true` when this call added it.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_duty(
        &self,
        duty: DutyKind,
        guild_id: u64,
        local_date: Date,
        status: DutyStatus,
        detail: &str,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO duty_log (duty, guild_id, local_date, status, detail, due_at, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT DO NOTHING",
        )
        .bind(duty.as_str())
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .bind(status.as_str())
        .bind(detail)
        .bind(seconds(due_at))
        .bind(seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Ends a claim: `posted` with the message Discord made, or `failed` with the reason
    /// people will see. A row that is not `sending` any more is left as it is.
    pub async fn finish_duty(
        &self,
        duty: DutyKind,
        guild_id: u64,
        local_date: Date,
        outcome: Result<u64, &str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (status, message, detail) = match outcome {
            Ok(message) => (DutyStatus::Posted, Some(id_to_db(message)), None),
            Err(detail) => (DutyStatus::Failed, None, Some(detail)),
        };
        sqlx::query(
            "UPDATE duty_log SET status = $1, message_id = $2, detail = $3, recorded_at = $4
             WHERE duty = $5 AND guild_id = $6 AND local_date = $7 AND status = 'sending'",
        )
        .bind(status.as_str())
        .bind(message)
        .bind(detail)
        .bind(seconds(now))
        .bind(duty.as_str())
        .bind(id_to_db(guild_id))
        .bind(local_date.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A duty's posts claimed but not known to be finished, what a start must recover: those
    /// of processes that are gone (no lease of theirs runs at `now`) and this one's own.
    pub async fn sending_duties(
        &self,
        duty: DutyKind,
        now: Timestamp,
    ) -> Result<Vec<DutyEntry>, StoreError> {
        sqlx::query(&format!(
            "SELECT * FROM duty_log WHERE duty = $1 AND status = 'sending' AND {} ORDER BY due_at",
            not_held_elsewhere("duty_log", "$2", "$3")
        ))
        .bind(duty.as_str())
        .bind(self.holder())
        .bind(seconds(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(entry_from_row)
        .collect()
    }

    /// The items a server has had (or is being sent) in one pass through a duty's deck.
    pub async fn items_in_cycle(
        &self,
        duty: DutyKind,
        guild_id: u64,
        cycle: u64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query_scalar(
            "SELECT item FROM duty_log
             WHERE duty = $1 AND guild_id = $2 AND cycle = $3 AND item IS NOT NULL
               AND status IN ('sending', 'posted')",
        )
        .bind(duty.as_str())
        .bind(id_to_db(guild_id))
        .bind(id_to_db(cycle))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The server's current pass through a duty's deck (0 before the first item).
    pub async fn latest_cycle(&self, duty: DutyKind, guild_id: u64) -> Result<u64, StoreError> {
        let cycle: Option<i64> =
            sqlx::query_scalar("SELECT MAX(cycle) FROM duty_log WHERE duty = $1 AND guild_id = $2")
                .bind(duty.as_str())
                .bind(id_to_db(guild_id))
                .fetch_one(&self.pool)
                .await?;
        Ok(optional_id(cycle)?.unwrap_or(0))
    }

    /// The most recent row of a duty with one of `statuses`, by local date.
    pub async fn latest_duty(
        &self,
        duty: DutyKind,
        guild_id: u64,
        statuses: &[DutyStatus],
    ) -> Result<Option<DutyEntry>, StoreError> {
        let placeholders = (3..3 + statuses.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT * FROM duty_log WHERE duty = $1 AND guild_id = $2 AND status IN ({placeholders})
             ORDER BY local_date DESC LIMIT 1"
        );
        let mut query = sqlx::query(&sql)
            .bind(duty.as_str())
            .bind(id_to_db(guild_id));
        for status in statuses {
            query = query.bind(status.as_str());
        }
        query
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(entry_from_row)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::{on_both_engines, TestStore};
    use jiff::civil::date;

    on_both_engines!(
        a_day_can_be_claimed_only_once,
        each_duty_has_its_own_day,
        cycles_collect_the_items_shown_in_them,
        a_claim_keeps_its_payload_for_recovery,
        claims_of_a_live_process_are_left_to_it
    );

    use super::*;

    fn claim(duty: DutyKind, guild_id: u64, day: Date, item: &str) -> DutyClaim {
        DutyClaim {
            duty,
            guild_id,
            local_date: day,
            channel_id: 10,
            item: Some(item.into()),
            cycle: Some(0),
            payload: None,
            due_at: Timestamp::from_second(1_800_000_000).expect("ts"),
        }
    }

    async fn a_day_can_be_claimed_only_once(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let day = date(2026, 11, 30);
        let tip = |guild, item| claim(DutyKind::Tip, guild, day, item);
        assert!(store.claim_duty(&tip(1, "a"), now).await.expect("claim"));
        assert!(
            !store.claim_duty(&tip(1, "b"), now).await.expect("claim"),
            "second claim must fail"
        );
        assert!(!store
            .record_duty(DutyKind::Tip, 1, day, DutyStatus::Missed, "down", now, now)
            .await
            .expect("record"));
        assert!(store
            .claim_duty(&tip(2, "a"), now)
            .await
            .expect("another server"));
        assert_eq!(
            store
                .sending_duties(DutyKind::Tip, now)
                .await
                .expect("sending")
                .len(),
            2
        );
        store
            .finish_duty(DutyKind::Tip, 1, day, Ok(555), now)
            .await
            .expect("posted");
        let entry = store
            .duty_entry(DutyKind::Tip, 1, day)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(
            (entry.status, entry.message_id, entry.item.as_deref()),
            (DutyStatus::Posted, Some(555), Some("a"))
        );
        assert_eq!(
            store
                .sending_duties(DutyKind::Tip, now)
                .await
                .expect("sending")
                .len(),
            1
        );
    }

    async fn each_duty_has_its_own_day(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let day = date(2026, 11, 30);
        assert!(store
            .claim_duty(&claim(DutyKind::Tip, 1, day, "a"), now)
            .await
            .expect("tip"));
        assert!(store
            .claim_duty(&claim(DutyKind::WeeklyPoll, 1, day, "q"), now)
            .await
            .expect("the weekly poll of the same day is another row"));
        assert_eq!(
            store
                .sending_duties(DutyKind::WeeklyPoll, now)
                .await
                .expect("sending")
                .len(),
            1
        );
        store
            .finish_duty(DutyKind::WeeklyPoll, 1, day, Err("refused"), now)
            .await
            .expect("failed");
        let tip = store
            .duty_entry(DutyKind::Tip, 1, day)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(
            tip.status,
            DutyStatus::Sending,
            "the tip's row is untouched"
        );
    }

    async fn cycles_collect_the_items_shown_in_them(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        assert_eq!(
            store.latest_cycle(DutyKind::Tip, 1).await.expect("cycle"),
            0
        );
        store
            .claim_duty(&claim(DutyKind::Tip, 1, date(2026, 11, 30), "a"), now)
            .await
            .expect("claim");
        let mut second = claim(DutyKind::Tip, 1, date(2026, 12, 1), "b");
        second.cycle = Some(1);
        store.claim_duty(&second, now).await.expect("claim");
        assert_eq!(
            store.latest_cycle(DutyKind::Tip, 1).await.expect("cycle"),
            1
        );
        assert_eq!(
            store
                .items_in_cycle(DutyKind::Tip, 1, 0)
                .await
                .expect("tips"),
            vec!["a".to_string()]
        );
        let latest = store
            .latest_duty(DutyKind::Tip, 1, &[DutyStatus::Sending])
            .await
            .expect("latest")
            .expect("row");
        assert_eq!(latest.local_date, date(2026, 12, 1));
    }

    async fn a_claim_keeps_its_payload_for_recovery(store: TestStore) {
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let day = date(2026, 12, 4);
        let poll = DutyClaim {
            item: None,
            cycle: None,
            payload: Some(r#"{"question":"Leader or manager?"}"#.into()),
            ..claim(DutyKind::WeeklyPoll, 1, day, "")
        };
        assert!(store.claim_duty(&poll, now).await.expect("claim"));
        assert!(!store.claim_duty(&poll, now).await.expect("claim"));
        let sending = store
            .sending_duties(DutyKind::WeeklyPoll, now)
            .await
            .expect("sending");
        assert_eq!(sending[0].payload, poll.payload);
        store
            .finish_duty(DutyKind::WeeklyPoll, 1, day, Ok(77), now)
            .await
            .expect("finish");
        let entry = store
            .duty_entry(DutyKind::WeeklyPoll, 1, day)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(
            (entry.status, entry.message_id),
            (DutyStatus::Posted, Some(77))
        );
        assert!(store
            .sending_duties(DutyKind::WeeklyPoll, now)
            .await
            .expect("sending")
            .is_empty());
    }

    async fn claims_of_a_live_process_are_left_to_it(store: TestStore) {
        use crate::model::shards::Ownership;
        let now = Timestamp::from_second(1_800_000_000).expect("ts");
        let later = |s: i64| Timestamp::from_second(1_800_000_000 + s).expect("ts");
        let day = date(2026, 12, 3);
        let other = store.other_process().await;
        other
            .take_lease(Ownership::All, now, later(15))
            .await
            .expect("lease");
        assert!(other
            .claim_duty(&claim(DutyKind::Tip, 1, day, "a"), now)
            .await
            .expect("claim"));
        assert!(store
            .claim_duty(&claim(DutyKind::Tip, 2, day, "b"), now)
            .await
            .expect("claim"));
        let guilds =
            |entries: Vec<DutyEntry>| entries.iter().map(|e| e.guild_id).collect::<Vec<_>>();
        assert_eq!(
            guilds(
                store
                    .sending_duties(DutyKind::Tip, later(1))
                    .await
                    .expect("sending")
            ),
            vec![2],
            "the other process's lease runs: its claim is its own"
        );
        assert_eq!(
            guilds(
                store
                    .sending_duties(DutyKind::Tip, later(15))
                    .await
                    .expect("sending")
            ),
            vec![1, 2],
            "once its lease has run out, its claim is recovered"
        );
    }
}
