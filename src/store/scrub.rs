//! Making deleted rows gone from the database's files, not only from its tables.
//!
//! The team pulse promises that once a pulse closes nothing in the database can tell who
//! answered what. Deleting its key and hashed answers (`close_pulse`) removes them from the
//! tables, but both engines keep old bytes in their files unless told otherwise:
//!
//! - SQLite leaves a deleted row's bytes in its page and in free pages, and a write-ahead log
//!   keeps every earlier version of a page it wrote until a checkpoint restarts the log. Every
//!   connection therefore runs with `secure_delete` on (set in `open.rs`: deleted content is
//!   overwritten with zeros), and after a close the log is checkpointed into the main file and
//!   truncated to nothing, so neither file holds an earlier page.
//! - PostgreSQL keeps deleted rows as dead tuples in the table's pages (and their index
//!   entries) until a vacuum, and even a vacuum leaves the bytes of a compacted page behind.
//!   `VACUUM FULL` writes the two tables (which only ever hold open pulses, so they are small)
//!   into new files and drops the old ones. What the server's own write-ahead log, replicas and
//!   backups keep is outside the database's files: the README's storage section says what and
//!   for how long.
//!
//! A scrub that fails is logged and done again at the next close and at every start, so a
//! crash between a close and its scrub leaves the bytes only until the bot runs again.

use sqlx::Row;
use tracing::warn;

use super::{Engine, Store, StoreError};

/// How many times a SQLite checkpoint is tried when a reader keeps it from finishing; each
/// try already waits the connection's busy timeout (5 s) for the readers to move on.
const CHECKPOINT_TRIES: u32 = 3;

/// How many times a scrub on PostgreSQL rewrites the tables while deleted rows stay in them.
const REWRITE_TRIES: u32 = 20;

/// How often a scrub on PostgreSQL looks again at what it waits for (real time: it waits on
/// the database server, not on the bot's schedule).
const SCRUB_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// How long a scrub on PostgreSQL waits for other sessions' older snapshots to end.
const SNAPSHOT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Store {
    /// Removes the bytes of deleted pulse keys and answers from the database's files (see the
    /// module documentation). Run after every pulse close and at start.
    pub async fn scrub_deleted(&self) -> Result<(), StoreError> {
        match self.engine {
            Engine::Sqlite => self.truncate_wal().await,
            Engine::Postgres => {
                self.wait_for_older_snapshots().await?;
                for _ in 0..REWRITE_TRIES {
                    // One statement: VACUUM runs outside any transaction block.
                    sqlx::raw_sql("VACUUM FULL pulse_keys, pulse_responses")
                        .execute(&self.pool)
                        .await?;
                    if !self.rewrite_kept_dead_rows().await? {
                        break;
                    }
                    tokio::time::sleep(SCRUB_POLL).await;
                }
                Ok(())
            }
        }
    }

    /// [`Store::scrub_deleted`], logged instead of returned: the close it follows has already
    /// happened, and the next close or start scrubs again.
    pub(super) async fn scrub_logged(&self) {
        if let Err(error) = self.scrub_deleted().await {
            warn!(%error, "could not clear deleted pulse answers from the database files yet; trying again at the next close or start");
        }
    }

    /// Waits (at most [`SNAPSHOT_WAIT`]) until no other session of this database holds a
    /// snapshot or an open write from before now. `VACUUM FULL` copies a deleted row that some
    /// open snapshot could still see into the rewritten table, so a query of another job
    /// running across the close would otherwise keep the deleted key and hashes in the new
    /// file. Snapshots taken after the close cannot see the deleted rows and do not matter.
    async fn wait_for_older_snapshots(&self) -> Result<(), StoreError> {
        let deadline = std::time::Instant::now() + SNAPSHOT_WAIT;
        // The server's own clock, in microseconds, as `xact_start` is compared below.
        let closed_at: i64 =
            sqlx::query_scalar("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
                .fetch_one(&self.pool)
                .await?;
        loop {
            let older: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)
                    AND (extract(epoch FROM xact_start) * 1000000)::bigint <= $1",
            )
            .bind(closed_at)
            .fetch_one(&self.pool)
            .await?;
            if older == 0 || std::time::Instant::now() >= deadline {
                return Ok(());
            }
            tokio::time::sleep(SCRUB_POLL).await;
        }
    }

    /// Whether a table with no row left still has bytes after its rewrite: the rewrite then
    /// kept deleted rows some session could still see, and is done again.
    async fn rewrite_kept_dead_rows(&self) -> Result<bool, StoreError> {
        let kept: bool = sqlx::query_scalar(
            "SELECT (NOT EXISTS (SELECT 1 FROM pulse_keys) AND pg_relation_size('pulse_keys') > 0)
                 OR (NOT EXISTS (SELECT 1 FROM pulse_responses)
                     AND pg_relation_size('pulse_responses') > 0)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(kept)
    }

    /// Copies the write-ahead log into the main file and truncates it to zero bytes.
    async fn truncate_wal(&self) -> Result<(), StoreError> {
        for _ in 0..CHECKPOINT_TRIES {
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await?;
            // (busy, log frames, checkpointed frames); busy is 1 when a reader or writer kept
            // the checkpoint from finishing.
            let busy: i64 = row.try_get(0)?;
            if busy == 0 {
                return Ok(());
            }
        }
        Err(StoreError::Scrub(
            "the write-ahead log stayed in use, so its checkpoint did not finish",
        ))
    }
}
