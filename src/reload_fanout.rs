//! A content reload reaches every process of the bot: one asked here (`/admin reload`,
//! SIGHUP) is announced on the shared database, and one announced by another process is done
//! here. On SQLite there is one process, and nothing to pass on.

use std::time::Duration;

use jiff::SignedDuration;
use tokio::task::JoinHandle;
use tracing::{error, info, warn};

use crate::clock::SharedClock;
use crate::live::LiveContent;
use crate::store::Store;

/// Longest wait between two tries to listen again after the database went away.
const LISTEN_RETRY_CAP: Duration = Duration::from_secs(30);

/// The two tasks; stopped when dropped.
pub struct Fanout {
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Fanout {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts announcing this process's reloads and doing the others'; nothing on SQLite.
pub fn start(store: &Store, content: std::sync::Arc<LiveContent>, clock: SharedClock) -> Fanout {
    if store.engine() != crate::store::Engine::Postgres {
        return Fanout { tasks: Vec::new() };
    }
    let announcing = {
        let (store, mut asked) = (store.clone(), content.asked());
        tokio::spawn(async move {
            while asked.changed().await.is_ok() {
                match store.announce_reload().await {
                    Ok(()) => info!("reload passed on to the bot's other processes"),
                    Err(error) => {
                        error!(%error, "cannot pass the reload on to the bot's other processes; send each of them SIGHUP")
                    }
                }
            }
        })
    };
    let listening = tokio::spawn(listen(store.clone(), content, clock));
    Fanout {
        tasks: vec![announcing, listening],
    }
}

async fn listen(store: Store, content: std::sync::Arc<LiveContent>, clock: SharedClock) {
    let mut attempt = 0;
    loop {
        match store.reload_notices().await {
            Ok(Some(mut notices)) => loop {
                match notices.next().await {
                    Ok(from) => {
                        attempt = 0;
                        info!(%from, "another process reloaded its content; reloading");
                        if let Err(problems) = content.reload_here() {
                            error!("content not reloaded; the previous content stays in use:\n{problems}");
                        }
                    }
                    Err(error) => {
                        warn!(%error, "lost the database connection that hears other processes' reloads; a reload passed on meanwhile is missed (SIGHUP this process to catch up)");
                        break;
                    }
                }
            },
            Ok(None) => return,
            Err(error) => warn!(%error, "cannot listen for other processes' reloads; trying again"),
        }
        let wait = crate::retry::backoff(attempt, LISTEN_RETRY_CAP, &mut rand::rng());
        attempt += 1;
        clock
            .sleep(SignedDuration::try_from(wait).unwrap_or(SignedDuration::from_secs(30)))
            .await;
    }
}
