//! Interactions being answered right now, so a shutdown can let them finish.
//!
//! Each slash command stores an [`InFlight`] guard as poise's invocation data when it starts;
//! poise drops that data when the dispatch of the interaction ends, however it ends, so the
//! count cannot leak on an error path. Button clicks hold a guard the same way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Counts interactions in flight.
#[derive(Debug, Default)]
pub struct Tracker {
    count: AtomicUsize,
    idle: Notify,
}

impl Tracker {
    /// Marks one interaction as started; it ends when the guard is dropped.
    pub fn start(self: &Arc<Tracker>) -> InFlight {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlight {
            started: Instant::now(),
            tracker: self.clone(),
        }
    }

    pub fn in_flight(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits until nothing is in flight.
    pub async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.in_flight() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// One interaction being answered.
#[derive(Debug)]
pub struct InFlight {
    started: Instant,
    tracker: Arc<Tracker>,
}

impl InFlight {
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.tracker.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.tracker.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn idle_waits_for_every_guard() {
        let tracker = Arc::new(Tracker::default());
        let first = tracker.start();
        let second = tracker.start();
        let waiting = {
            let tracker = tracker.clone();
            tokio::spawn(async move { tracker.idle().await })
        };
        drop(first);
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(second);
        waiting.await.expect("idle once both ended");
        assert_eq!(tracker.in_flight(), 0);
    }
}
