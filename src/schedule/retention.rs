//! How long the bot keeps a server's data after it was removed from it: a server the bot left
//! (a `GUILD_DELETE` that was not an outage) keeps everything for [`GRACE`], so a server that
//! adds the bot back (after a mistake, or a test) finds its settings again; after that everything of the server
//! is deleted (`Store::forget_server`). The sweep runs at every start, before anything is
//! planned, and each time the bot connects to Discord (every READY, which a long-running bot
//! gets again at each new gateway session). It keeps no timer of its own: a sleeper on the
//! injected clock would be one more thing every clock-driving test meets.

use jiff::{SignedDuration, Timestamp};
use tracing::{info, warn};

use super::Scheduler;
use crate::model::duty::DutyKind;
use crate::store::{Store, StoreError};

/// How long a removed server's data is kept: 30 days.
pub const GRACE: SignedDuration = SignedDuration::from_hours(30 * 24);
/// Deletes every server removed at least [`GRACE`] before `now`; the servers it deleted.
pub async fn sweep(store: &Store, now: Timestamp) -> Result<Vec<u64>, StoreError> {
    let due = store.servers_removed_before(now - GRACE).await?;
    for &guild in &due {
        store.forget_server(guild).await?;
        info!(
            guild,
            "deleted the data of a server the bot was removed from 30 days ago"
        );
    }
    Ok(due)
}

/// Sweeps in the background, telling the scheduler of each server deleted so it drops what
/// it had planned for it; a failure is logged and the next sweep tries again.
pub fn sweep_now(store: Store, now: Timestamp, scheduler: Scheduler) {
    tokio::spawn(async move {
        match sweep(&store, now).await {
            Ok(deleted) => {
                for guild in deleted {
                    for &duty in DutyKind::ALL {
                        scheduler.changed(duty, guild);
                    }
                }
            }
            Err(error) => {
                warn!(%error, "could not delete the data of removed servers; trying again later");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::server::ServerSettings;
    use crate::store::testing::{on_both_engines, TestStore};

    on_both_engines!(a_removed_server_is_deleted_at_thirty_days_and_not_a_second_before);

    async fn a_removed_server_is_deleted_at_thirty_days_and_not_a_second_before(store: TestStore) {
        let removed = Timestamp::from_second(1_800_000_000).expect("ts");
        let settings = ServerSettings {
            removed_at: Some(removed),
            ..ServerSettings::new(5)
        };
        store.save_server(&settings, removed).await.expect("save");
        store
            .save_server(&ServerSettings::new(6), removed)
            .await
            .expect("save");
        let early = removed + GRACE - SignedDuration::from_secs(1);
        assert!(sweep(&store, early).await.expect("sweep").is_empty());
        assert_eq!(store.server(5).await.expect("read"), settings);
        assert_eq!(
            sweep(&store, removed + GRACE).await.expect("sweep"),
            vec![5]
        );
        assert_eq!(store.rows_of_server(5).await.expect("count"), 0);
        assert_eq!(
            store.rows_of_server(6).await.expect("count"),
            1,
            "a server still in"
        );
    }
}
