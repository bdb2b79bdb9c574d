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
///
/// It also knows who is waiting on it and until when, so a test can wait until the code under
/// test has actually started to wait before moving time (moving it earlier would be a race).
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<Timestamp>>,
    sleepers: Arc<watch::Sender<Vec<Timestamp>>>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock {
            now: Arc::new(watch::Sender::new(start)),
            sleepers: Arc::new(watch::Sender::new(Vec::new())),
        }
    }

    /// Waits until something sleeps on this clock with a deadline matching `wanted`, and
    /// returns that deadline.
    pub async fn sleeper(&self, wanted: impl Fn(Timestamp) -> bool) -> Timestamp {
        let mut receiver = self.sleepers.subscribe();
        let mut found = None;
        // The sender lives in `self`, so waiting cannot fail.
        let _ = receiver
            .wait_for(|deadlines| {
                found = deadlines.iter().copied().find(|at| wanted(*at));
                found.is_some()
            })
            .await;
        found.unwrap_or(Timestamp::MAX)
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
        let registration = Registered::new(self.sleepers.clone(), at);
        Box::pin(async move {
            let _registration = registration;
            // An error means the clock is gone; nobody will ever move time again.
            if receiver.wait_for(|now| *now >= at).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

/// A sleeper's deadline, listed while the sleep is pending.
struct Registered {
    sleepers: Arc<watch::Sender<Vec<Timestamp>>>,
    at: Timestamp,
}

impl Registered {
    fn new(sleepers: Arc<watch::Sender<Vec<Timestamp>>>, at: Timestamp) -> Registered {
        sleepers.send_modify(|list| list.push(at));
        Registered { sleepers, at }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.sleepers.send_modify(|list| {
            if let Some(index) = list.iter().position(|at| *at == self.at) {
                list.swap_remove(index);
            }
        });
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
        tokio::time::timeout(std::time::Duration::from_secs(10), sleeper)
            .await
            .expect("the sleeper wakes within 10 s once its moment has come")
            .expect("sleeper finishes");
    }

    #[tokio::test]
    async fn a_test_can_wait_until_someone_sleeps() {
        let clock = ManualClock::new(Timestamp::UNIX_EPOCH);
        let at = Timestamp::UNIX_EPOCH + SignedDuration::from_secs(5);
        let sleeping = clock.clone();
        let task = tokio::spawn(async move { sleeping.sleep_until(at).await });
        let wait = std::time::Duration::from_secs(10);
        let found = tokio::time::timeout(wait, clock.sleeper(|deadline| deadline == at)).await;
        assert_eq!(found.expect("the sleep is listed within 10 s"), at);
        clock.advance(SignedDuration::from_secs(5));
        tokio::time::timeout(wait, task)
            .await
            .expect("the sleeper wakes within 10 s")
            .expect("woke");
        assert!(
            clock.sleepers.borrow().is_empty(),
            "a finished sleep is no longer listed"
        );
    }
}
