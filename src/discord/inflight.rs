//! Interactions being answered right now, so a shutdown can let them finish.
//!
//! Each slash command stores an [`InFlight`] guard as poise's invocation data when it starts;
//! poise drops that data when the dispatch of the interaction ends, however it ends, so the
//! count cannot leak on an error path. Button clicks hold a guard the same way. The counting
//! is tokio_util's [`TaskTracker`]: a guard holds one of its tokens, without spawning anything.

use std::time::{Duration, Instant};

use tokio_util::task::task_tracker::TaskTrackerToken;
use tokio_util::task::TaskTracker;

/// Counts interactions in flight.
#[derive(Debug, Default)]
pub struct Tracker(TaskTracker);

impl Tracker {
    /// Marks one interaction as started; it ends when the guard is dropped.
    pub fn start(&self) -> InFlight {
        InFlight {
            started: Instant::now(),
            _token: self.0.token(),
        }
    }

    pub fn in_flight(&self) -> usize {
        self.0.len()
    }

    /// Waits until nothing is in flight. For the shutdown: interactions that start later
    /// are still counted, and waited for too while this waits.
    pub async fn idle(&self) {
        self.0.close();
        self.0.wait().await;
    }
}

/// One interaction being answered.
#[derive(Debug)]
pub struct InFlight {
    started: Instant,
    _token: TaskTrackerToken,
}

impl InFlight {
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

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
