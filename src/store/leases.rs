//! Which process holds which shards, until when: what keeps work exactly once when several
//! processes share one PostgreSQL database.
//!
//! A process takes a lease on its shards at start and renews it while it runs. Taking is one
//! transaction that sees every lease (on PostgreSQL under a table lock, so two processes
//! starting together cannot both win): a lease that overlaps and has not run out refuses the
//! taker; one that has run out belonged to a process that died, and is removed. The claims a
//! process makes carry its `holder`, and recovery leaves alone the claims of a holder whose
//! lease still runs (see `sending_duties` and `unfinished_polls`).

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx_macros::FromRow;

use super::values::{flag, from_flag, seconds, timestamp};
use super::{Engine, Store, StoreError};
use crate::model::shards::Ownership;

/// One process's hold on its shards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub holder: String,
    pub shards: Ownership,
    pub until: Timestamp,
    pub renewed_at: Timestamp,
    /// The holder is shutting down: it finishes its posts in flight, then gives the shards up.
    pub stopping: bool,
}

/// What taking a lease came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The shards are this process's until the lease runs out.
    Held,
    /// Another process holds shards in common, and its lease has not run out.
    Overlaps(Lease),
}

/// A `shard_leases` row as the database holds it.
#[derive(FromRow)]
struct LeaseRow {
    holder: String,
    shards: String,
    until: i64,
    renewed_at: i64,
    stopping: i64,
}

fn lease_from_row(row: &AnyRow) -> Result<Lease, StoreError> {
    let row = LeaseRow::from_row(row)?;
    Ok(Lease {
        shards: Ownership::from_label(&row.shards)
            .ok_or_else(|| StoreError::Corrupt(format!("shards {:?}", row.shards)))?,
        holder: row.holder,
        until: timestamp(row.until)?,
        renewed_at: timestamp(row.renewed_at)?,
        stopping: from_flag(row.stopping),
    })
}

impl Store {
    /// Who this store's claims and lease are made by: unique to this process's run.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Takes the lease on `shards` until `until`, unless a live lease of another process
    /// overlaps them; leases that have run out and overlap are removed.
    pub async fn take_lease(
        &self,
        shards: Ownership,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<Taken, StoreError> {
        let mut transaction = self.pool.begin().await?;
        if self.engine == Engine::Postgres {
            sqlx::query("LOCK TABLE shard_leases IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *transaction)
                .await?;
        }
        let rows = sqlx::query("SELECT * FROM shard_leases ORDER BY holder")
            .fetch_all(&mut *transaction)
            .await?;
        for row in &rows {
            let lease = lease_from_row(row)?;
            if lease.holder == *self.holder || !lease.shards.overlaps(&shards) {
                continue;
            }
            if lease.until > now {
                return Ok(Taken::Overlaps(lease));
            }
            sqlx::query("DELETE FROM shard_leases WHERE holder = $1 AND until <= $2")
                .bind(&lease.holder)
                .bind(seconds(now))
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query(
            "INSERT INTO shard_leases (holder, shards, until, renewed_at, stopping)
             VALUES ($1, $2, $3, $4, 0)
             ON CONFLICT (holder) DO UPDATE SET shards = $2, until = $3, renewed_at = $4, stopping = 0",
        )
        .bind(&*self.holder)
        .bind(shards.label())
        .bind(seconds(until))
        .bind(seconds(now))
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(Taken::Held)
    }

    /// Extends this process's lease; `false` when it is gone (it ran out and another process
    /// took the shards).
    pub async fn renew_lease(&self, now: Timestamp, until: Timestamp) -> Result<bool, StoreError> {
        let result =
            sqlx::query("UPDATE shard_leases SET until = $1, renewed_at = $2 WHERE holder = $3")
                .bind(seconds(until))
                .bind(seconds(now))
                .bind(&*self.holder)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Says this process is shutting down: a process taking its shards over waits for them
    /// instead of refusing to start.
    pub async fn mark_lease_stopping(&self) -> Result<(), StoreError> {
        sqlx::query("UPDATE shard_leases SET stopping = $1 WHERE holder = $2")
            .bind(flag(true))
            .bind(&*self.holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives the shards up (at a clean stop), so a process taking them over need not wait.
    pub async fn release_lease(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM shard_leases WHERE holder = $1")
            .bind(&*self.holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every lease, live or run out.
    pub async fn leases(&self) -> Result<Vec<Lease>, StoreError> {
        sqlx::query("SELECT * FROM shard_leases ORDER BY holder")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(lease_from_row)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(
        overlapping_live_leases_refuse_and_run_out_ones_give_way,
        a_renewal_fails_once_another_process_has_taken_over
    );

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + second).expect("ts")
    }

    fn range(text: &str) -> Ownership {
        Ownership::Range(text.parse().expect("range"))
    }

    async fn overlapping_live_leases_refuse_and_run_out_ones_give_way(store: TestStore) {
        let first = store.other_process().await;
        assert_ne!(first.holder(), store.holder());
        assert_eq!(
            first
                .take_lease(range("0-2/6"), at(0), at(15))
                .await
                .expect("take"),
            Taken::Held
        );
        assert_eq!(
            store
                .take_lease(range("3-5/6"), at(1), at(16))
                .await
                .expect("take"),
            Taken::Held,
            "a range beside it is free"
        );
        let refused = store
            .take_lease(range("2-3/6"), at(2), at(17))
            .await
            .expect("take");
        let Taken::Overlaps(held) = refused else {
            panic!("an overlapping live lease must refuse: {refused:?}");
        };
        assert_eq!(
            (held.holder.as_str(), held.shards),
            (first.holder(), range("0-2/6"))
        );
        assert!(matches!(
            store
                .take_lease(Ownership::All, at(3), at(18))
                .await
                .expect("take"),
            Taken::Overlaps(_)
        ));
        assert_eq!(
            store
                .take_lease(range("0-5/6"), at(15), at(30))
                .await
                .expect("take"),
            Taken::Held,
            "the first process's lease ran out at 15"
        );
        let leases = store.leases().await.expect("leases");
        assert_eq!(leases.len(), 1, "{leases:?}");
        assert_eq!(leases[0].shards, range("0-5/6"));
        assert!(!leases[0].stopping);
        store.mark_lease_stopping().await.expect("stopping");
        assert!(store.leases().await.expect("leases")[0].stopping);
        store.release_lease().await.expect("release");
        assert!(store.leases().await.expect("leases").is_empty());
    }

    async fn a_renewal_fails_once_another_process_has_taken_over(store: TestStore) {
        let other = store.other_process().await;
        store
            .take_lease(Ownership::All, at(0), at(10))
            .await
            .expect("take");
        assert!(store.renew_lease(at(5), at(15)).await.expect("renew"));
        assert!(matches!(
            other
                .take_lease(Ownership::All, at(14), at(24))
                .await
                .expect("take"),
            Taken::Overlaps(_)
        ));
        assert_eq!(
            other
                .take_lease(Ownership::All, at(15), at(25))
                .await
                .expect("take"),
            Taken::Held
        );
        assert!(
            !store.renew_lease(at(16), at(26)).await.expect("renew"),
            "the lease is gone"
        );
    }
}
