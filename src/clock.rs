//! Time, injected: the scheduler and every retry wait through a [`Clock`], so tests move time
//! instead of sleeping and production uses the system clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

/// A boxed future that waits.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What the bot knows of time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
    /// Resolves once `now() >= at`.
    fn sleep_until(&self, at: Timestamp) -> Sleep;
    /// Resolves after `duration` has passed.
    fn sleep(&self, duration: SignedDuration) -> Sleep {
        self.sleep_until(
            self.now()
                .saturating_add(duration)
                .unwrap_or(Timestamp::MAX),
        )
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep_until(&self, at: Timestamp) -> Sleep {
        let wait = at.duration_since(Timestamp::now());
        let wait = std::time::Duration::try_from(wait).unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that moves only when told to: for tests and simulations.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<Timestamp>>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock {
            now: Arc::new(watch::Sender::new(start)),
        }
    }

    /// Moves time forward, waking every sleeper whose moment has come.
    pub fn advance(&self, by: SignedDuration) {
        self.now
            .send_modify(|now| *now = now.saturating_add(by).unwrap_or(Timestamp::MAX));
    }

    /// Sets the time (never backwards).
    pub fn set(&self, to: Timestamp) {
        self.now.send_modify(|now| *now = (*now).max(to));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.borrow()
    }

    fn sleep_until(&self, at: Timestamp) -> Sleep {
        let mut receiver = self.now.subscribe();
        Box::pin(async move {
            // An error means the clock is gone; nobody will ever move time again.
            if receiver.wait_for(|now| *now >= at).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

/// The clock as the rest of the bot holds it.
pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_sleeper_wakes_only_when_time_reaches_it() {
        let clock = ManualClock::new(Timestamp::UNIX_EPOCH);
        let at = Timestamp::UNIX_EPOCH + SignedDuration::from_secs(60);
        let sleeper = tokio::spawn(clock.sleep_until(at));
        clock.advance(SignedDuration::from_secs(59));
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!sleeper.is_finished(), "woke a second early");
        clock.advance(SignedDuration::from_secs(1));
        sleeper.await.expect("sleeper finishes");
    }
}
