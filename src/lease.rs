//! Holding this process's shards on a shared database: taken at start, renewed while the
//! process runs, given up at a clean stop.
//!
//! Taking waits out a lease of a process that died (it stops being renewed and runs out within
//! `[storage] lease_seconds`), so a restart after SIGKILL, or a range moved to another process,
//! goes on by itself, as does a rolling restart: a process shutting down marks its lease
//! `stopping`, finishes its posts in flight, and gives the shards up, and the process taking
//! them over waits for that. A lease that is renewed while this process waits, and is not
//! stopping, belongs to a process that runs on: then the start is refused, saying which shards are held by whom, since two
//! processes on one server's shards would both post. While running, a renewal that finds the
//! lease gone (it ran out while this process could not reach the database, and another process
//! took the shards) ends the process: from then on its claims are another's to recover.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use crate::clock::SharedClock;
use crate::model::shards::Ownership;
use crate::store::{Lease, Store, StoreError, Taken};

/// How often, at most, a waiting start looks at the lease in its way again.
const LOOK_AGAIN: SignedDuration = SignedDuration::from_secs(1);

/// Why the shards could not be held.
#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// Another running process holds some of the same servers.
    #[error("{wanted} overlap {held} held by the running process {holder} (it renewed its hold at {renewed}): give each process its own range of one total, or stop that process first")]
    HeldElsewhere {
        wanted: Ownership,
        held: Ownership,
        holder: String,
        renewed: Timestamp,
    },
    /// The hold was lost while running: another process has the shards now.
    #[error("this process's hold on {0} ran out and another process took them over; stopping so that no post is sent twice")]
    Lost(Ownership),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A hold on shards, renewed in the background until [`Held::release`].
pub struct Held {
    store: Store,
    stop: CancellationToken,
    renewing: Option<JoinHandle<LeaseError>>,
}

/// How long a hold lasts, and how often it is renewed (three times a lease, so one or two
/// failed renewals do not lose it).
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub length: SignedDuration,
}

impl Terms {
    pub fn seconds(seconds: u32) -> Terms {
        Terms {
            length: SignedDuration::from_secs(i64::from(seconds.max(3))),
        }
    }

    fn renew_every(&self) -> SignedDuration {
        self.length / 3
    }
}

impl Held {
    /// Takes the lease on `shards`, waiting while a lease in the way may belong to a process
    /// that died; `None` when stopped first. Database failures are waited out like the other
    /// start-up steps.
    pub async fn take(
        store: &Store,
        shards: Ownership,
        terms: Terms,
        clock: SharedClock,
        stop: &CancellationToken,
    ) -> Result<Option<Held>, LeaseError> {
        let mut in_the_way: Option<Lease> = None;
        let mut attempt = 0;
        loop {
            let now = clock.now();
            let wait = match store
                .take_lease(shards, now, later(now, terms.length))
                .await
            {
                Ok(Taken::Held) => break,
                Ok(Taken::Overlaps(lease)) => {
                    if let Some(seen) = &in_the_way {
                        let renewed =
                            seen.holder == lease.holder && lease.renewed_at > seen.renewed_at;
                        if renewed && !lease.stopping {
                            return Err(LeaseError::HeldElsewhere {
                                wanted: shards,
                                held: lease.shards,
                                holder: lease.holder,
                                renewed: lease.renewed_at,
                            });
                        }
                    }
                    if in_the_way.as_ref().map(|l| &l.holder) != Some(&lease.holder) {
                        warn!(holder = %lease.holder, held = %lease.shards, until = %lease.until, "{shards} overlap a hold of another process; waiting for it to run out (the process may have stopped) or to be renewed (then this start is refused)");
                    }
                    let wait = now
                        .duration_until(lease.until)
                        .clamp(SignedDuration::ZERO, LOOK_AGAIN);
                    in_the_way = Some(lease);
                    wait.max(SignedDuration::from_millis(100))
                }
                Err(error) if error.is_unreachable() || matches!(error, StoreError::Query(_)) => {
                    let wait =
                        crate::retry::backoff(attempt, Duration::from_secs(10), &mut rand::rng());
                    attempt += 1;
                    warn!(%error, ?wait, "cannot take the hold on the shards; trying again");
                    SignedDuration::try_from(wait).unwrap_or(LOOK_AGAIN)
                }
                Err(error) => return Err(error.into()),
            };
            tokio::select! {
                () = clock.sleep(wait) => {}
                () = stop.cancelled() => return Ok(None),
            }
        }
        info!(%shards, holder = store.holder(), "holding {shards}");
        let stop = CancellationToken::new();
        let stopped = stop.child_token();
        let renewing = tokio::spawn(renew(store.clone(), shards, terms, clock, stopped));
        Ok(Some(Held {
            store: store.clone(),
            stop,
            renewing: Some(renewing),
        }))
    }

    /// Waits until the hold is lost (never returns while it is held).
    pub async fn lost(&mut self) -> LeaseError {
        match self.renewing.as_mut() {
            Some(task) => {
                let ended = task.await;
                self.renewing = None;
                ended.unwrap_or_else(|_| LeaseError::Lost(Ownership::All))
            }
            None => std::future::pending().await,
        }
    }

    /// Marks the hold as ending (the process is shutting down), so that a process started to
    /// take the shards over waits for them.
    pub async fn stopping(&self) {
        if let Err(error) = self.store.mark_lease_stopping().await {
            warn!(%error, "cannot mark the hold on the shards as ending");
        }
    }

    /// Stops renewing and leaves the lease to run out (posts may still be in flight): the next
    /// process takes the shards once it has. Dropping the hold does the same.
    pub fn let_run_out(self) {}

    /// Stops renewing and gives the shards up, for the next process to take at once.
    pub async fn release(mut self) {
        self.stop.cancel();
        if let Some(task) = self.renewing.take() {
            task.abort();
            let _ = task.await;
        }
        match self.store.release_lease().await {
            Ok(()) => info!("gave up the hold on the shards"),
            Err(error) => {
                warn!(%error, "cannot give up the hold on the shards; it runs out by itself")
            }
        }
    }
}

impl Drop for Held {
    /// A hold not given up stops being renewed, and runs out.
    fn drop(&mut self) {
        self.stop.cancel();
        if let Some(task) = self.renewing.take() {
            task.abort();
        }
    }
}

fn later(now: Timestamp, by: SignedDuration) -> Timestamp {
    now.saturating_add(by).unwrap_or(Timestamp::MAX)
}

/// Renews the lease every third of its length; ends only when it is lost. The pace is real
/// time, not the injected clock: the hold must stay alive for as long as the process runs,
/// and a test moving its clock should meet only the waits it is there to move.
async fn renew(
    store: Store,
    shards: Ownership,
    terms: Terms,
    clock: SharedClock,
    stop: CancellationToken,
) -> LeaseError {
    loop {
        tokio::select! {
            () = tokio::time::sleep(terms.renew_every().unsigned_abs()) => {}
            () = stop.cancelled() => return std::future::pending().await,
        }
        let now = clock.now();
        // While the database cannot be reached no other process can take the shards either
        // (taking removes this lease's row), so a failed renewal is only tried again.
        match store.renew_lease(now, later(now, terms.length)).await {
            Ok(true) => {}
            Ok(false) => {
                error!(%shards, "the hold on the shards is gone: another process took them over");
                return LeaseError::Lost(shards);
            }
            Err(error) => warn!(%error, "cannot renew the hold on the shards; trying again"),
        }
    }
}
