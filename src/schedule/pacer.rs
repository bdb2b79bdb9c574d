//! Spacing posts evenly under Discord's global limit.
//!
//! All duties share one pacer: one slot every `1/rate` seconds, first come first served, on
//! the injected clock (so tests can check the rate, and days of schedule run in milliseconds).
//! When 10,000 servers are due in the same minute, posts leave at a steady rate instead of in
//! one burst.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::clock::SharedClock;

/// Waits shorter than this are not slept: tokio's timers are no finer, and a post takes
/// longer than that to leave anyway. Rates of a thousand or more a second are not paced.
const TIMER_GRAIN: SignedDuration = SignedDuration::from_millis(1);

pub(super) struct Pacer {
    period: SignedDuration,
    /// The first instant no slot has been handed out for yet.
    next: Mutex<Timestamp>,
    clock: SharedClock,
}

impl Pacer {
    /// One slot every `1/per_second` seconds (a rate below one a second is taken as one).
    pub(super) fn new(per_second: f64, clock: SharedClock) -> Pacer {
        let nanos = (1e9 / per_second.max(1.0)).round() as i64;
        Pacer {
            period: SignedDuration::from_nanos(nanos),
            next: Mutex::new(Timestamp::MIN),
            clock,
        }
    }

    /// Waits for this caller's slot.
    pub(super) async fn slot(&self) {
        let now = self.clock.now();
        let at = match self.next.lock() {
            Ok(mut next) => {
                let at = (*next).max(now);
                *next = at.saturating_add(self.period).unwrap_or(Timestamp::MAX);
                at
            }
            Err(_) => now,
        };
        if now.duration_until(at) >= TIMER_GRAIN {
            self.clock.sleep_until(at).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::clock::{Clock as _, ManualClock};

    /// Takes `sends` slots one after another while moving the manual clock to each sleeper,
    /// and returns how much of the clock's time they took.
    async fn time_for(sends: u32, per_second: u32) -> SignedDuration {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().expect("ts");
        let clock = ManualClock::new(start);
        let pacer = Arc::new(Pacer::new(f64::from(per_second), Arc::new(clock.clone())));
        let mut task = {
            let pacer = pacer.clone();
            tokio::spawn(async move {
                for _ in 0..sends {
                    pacer.slot().await;
                }
            })
        };
        // Each round waits for the next slot to sleep on the clock (one after now: the one just
        // reached may still be listed), or for the sends to end.
        let drive = async {
            loop {
                let now = clock.now();
                tokio::select! {
                    at = clock.sleeper(|at| at > now) => clock.set(at),
                    ended = &mut task => break ended.expect("the sends end"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), drive)
            .await
            .expect("the slots are handed out within 10 s");
        clock.now().duration_since(start)
    }

    #[tokio::test]
    async fn n_sends_take_n_over_rate_seconds_of_the_clock() {
        // The first slot is at once; each further one a period later.
        assert_eq!(
            time_for(100, 50).await,
            SignedDuration::from_millis(99 * 20)
        );
        assert_eq!(time_for(26, 25).await, SignedDuration::from_secs(1));
        assert_eq!(time_for(1, 50).await, SignedDuration::ZERO);
    }

    #[tokio::test]
    async fn a_pause_does_not_save_up_slots_for_a_burst() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().expect("ts");
        let clock = ManualClock::new(start);
        let pacer = Pacer::new(10.0, Arc::new(clock.clone()));
        pacer.slot().await;
        clock.advance(SignedDuration::from_secs(60));
        pacer.slot().await; // at once: its slot is now
        let next = tokio::time::timeout(Duration::from_millis(50), pacer.slot()).await;
        assert!(
            next.is_err(),
            "the next slot waits a period after the last one"
        );
    }
}
