//! Passing a content reload on to the bot's other processes, through PostgreSQL's
//! LISTEN/NOTIFY: the database every process already shares, so no other channel is needed.
//!
//! A notice carries the holder that sent it, so a process does not reload twice for its own.
//! Notices are not kept: one sent while a listener's connection is down is missed, and the
//! listener says so when it reconnects (a SIGHUP to that process catches it up).

use sqlx::postgres::PgListener;

use super::{Store, StoreError};

/// The channel every process listens on.
const CHANNEL: &str = "bridgebot_reload";

/// Reload notices from the other processes.
pub struct ReloadNotices {
    listener: PgListener,
    me: String,
}

impl Store {
    /// Tells every process listening on this database to reload its content. Nothing on
    /// SQLite, which serves one process.
    pub async fn announce_reload(&self) -> Result<(), StoreError> {
        if self.url.is_none() {
            return Ok(());
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(self.holder())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Listens for other processes' reloads; `None` on SQLite.
    pub async fn reload_notices(&self) -> Result<Option<ReloadNotices>, StoreError> {
        let Some(url) = &self.url else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(ReloadNotices {
            listener,
            me: self.holder().to_string(),
        }))
    }
}

impl ReloadNotices {
    /// Waits for the next reload another process asked for; returns who asked. A lost
    /// connection is made again by the listener; an error means that failed too.
    pub async fn next(&mut self) -> Result<String, StoreError> {
        loop {
            let notice = self.listener.recv().await?;
            if notice.payload() != self.me {
                return Ok(notice.payload().to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::store::testing::{on_postgres, postgres};

    on_postgres!(a_reload_announced_by_one_process_reaches_the_others_but_not_itself);

    async fn a_reload_announced_by_one_process_reaches_the_others_but_not_itself() {
        let store = postgres().await;
        let other = store.other_process().await;
        let mut mine = store
            .reload_notices()
            .await
            .expect("listen")
            .expect("postgres");
        let mut theirs = other
            .reload_notices()
            .await
            .expect("listen")
            .expect("postgres");
        store.announce_reload().await.expect("announce");
        let heard = tokio::time::timeout(Duration::from_secs(10), theirs.next())
            .await
            .expect("the other process hears it")
            .expect("notice");
        assert_eq!(heard, store.holder());
        other.announce_reload().await.expect("announce");
        let heard = tokio::time::timeout(Duration::from_secs(10), mine.next())
            .await
            .expect("this process hears the other's, having skipped its own")
            .expect("notice");
        assert_eq!(heard, other.holder());
    }

    #[tokio::test]
    async fn sqlite_has_no_other_processes_to_tell() {
        let store = crate::store::testing::sqlite().await;
        store.announce_reload().await.expect("nothing to do");
        assert!(store.reload_notices().await.expect("no listener").is_none());
    }
}
