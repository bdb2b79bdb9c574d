//! Retrying what the bot owes (a tip, a poll, a recap) until it lands or can't.
//!
//! A 429 waits exactly what Discord asked; a 5xx, timeout or dropped connection waits an
//! exponentially growing, jittered delay; a refusal (403, 404, ...) stops at once. Nothing is
//! retried past its deadline. Every wait goes through the injected clock; a shutdown ends a
//! wait through tokio_util's [`CancellationToken`] (the owner cancels, those who wait hold a
//! child token).

use std::fmt::{Debug, Display};
use std::future::Future;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;

/// First backoff delay.
const BASE: Duration = Duration::from_secs(1);
/// Longest single backoff delay, unless a caller asks for less.
pub const CAP: Duration = Duration::from_secs(300);

/// What a failed attempt says about trying again.
pub trait Transient: Display + Debug {
    /// Retrying cannot help (a refusal): give up at once.
    fn is_permanent(&self) -> bool;
    /// How long the other side asked us to wait, when it did.
    fn retry_after(&self) -> Option<Duration>;
}

/// The delay before retry number `attempt` (0-based) after a transient failure: "equal
/// jitter" over an exponentially growing window (at most `cap`): half the window is waited
/// for sure, the other half is random, so many servers failing together spread out while no
/// retry comes back at once.
pub fn backoff(attempt: u32, cap: Duration, rng: &mut impl Rng) -> Duration {
    let window = BASE
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(cap);
    let millis = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rng.random_range(millis / 2..=millis))
}

/// How long to keep trying: no wait may end past `deadline`, and no single wait is longer
/// than `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    pub deadline: Timestamp,
    pub cap: Duration,
}

impl Patience {
    /// Until `deadline`, with the usual longest wait: for what the bot owes (a tip, a poll, a
    /// recap), which is worth nothing after its window.
    pub fn until(deadline: Timestamp) -> Patience {
        Patience { deadline, cap: CAP }
    }

    /// Without a deadline, waiting at most `cap` between attempts: for what the bot cannot do
    /// without (reaching Discord at start), where giving up would only hand the same wait to
    /// a supervisor.
    pub fn forever(cap: Duration) -> Patience {
        Patience {
            deadline: Timestamp::MAX,
            cap,
        }
    }

    /// The same deadline with a shorter longest wait.
    pub fn capped(self, cap: Duration) -> Patience {
        Patience {
            cap: cap.min(self.cap),
            ..self
        }
    }
}

/// Why an owed request was given up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GaveUp<E> {
    /// It was refused; retrying cannot help.
    #[error("{0}")]
    Refused(E),
    /// It kept failing until its deadline.
    #[error("still failing at the deadline: {0}")]
    OutOfTime(E),
    /// The bot is shutting down; the request is left for the next start.
    #[error("stopped while waiting to retry: {0}")]
    Stopped(E),
}

impl<E> GaveUp<E> {
    pub fn error(&self) -> &E {
        match self {
            GaveUp::Refused(error) | GaveUp::OutOfTime(error) | GaveUp::Stopped(error) => error,
        }
    }
}

/// Runs `attempt` until it succeeds, is refused, `stop` is cancelled, or the next wait would
/// pass the deadline. A wait follows the other side's `retry_after` when it gives one, else
/// the backoff. `on_retry` hears about every failure that will be retried, with the wait
/// chosen. A wait ends early when `stop` is cancelled (shutdown); an attempt under way is
/// never cut short.
pub async fn retry<T, E, F, Fut>(
    clock: &dyn Clock,
    patience: Patience,
    stop: &CancellationToken,
    mut attempt: F,
    mut on_retry: impl FnMut(&E, Duration),
) -> Result<T, GaveUp<E>>
where
    E: Transient,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut failures = 0;
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) if error.is_permanent() => return Err(GaveUp::Refused(error)),
            Err(error) => error,
        };
        let wait = error
            .retry_after()
            .unwrap_or_else(|| backoff(failures, patience.cap, &mut rand::rng()));
        failures += 1;
        let wait_span = SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX);
        if clock
            .now()
            .saturating_add(wait_span)
            .unwrap_or(Timestamp::MAX)
            > patience.deadline
        {
            return Err(GaveUp::OutOfTime(error));
        }
        on_retry(&error, wait);
        tokio::select! {
            () = clock.sleep(wait_span) => {}
            () = stop.cancelled() => return Err(GaveUp::Stopped(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;
    use crate::clock::ManualClock;

    /// What a request can fail with, as far as retrying cares.
    #[derive(Debug, Clone, PartialEq, thiserror::Error)]
    enum Failure {
        #[error("down")]
        Down,
        #[error("rate limited")]
        Limited(Duration),
        #[error("refused")]
        Refused,
    }

    impl Transient for Failure {
        fn is_permanent(&self) -> bool {
            *self == Failure::Refused
        }

        fn retry_after(&self) -> Option<Duration> {
            match self {
                Failure::Limited(wait) => Some(*wait),
                Failure::Down | Failure::Refused => None,
            }
        }
    }

    #[test]
    fn backoff_grows_then_stops_at_the_cap() {
        let mut rng = StdRng::seed_from_u64(1);
        let first = backoff(0, CAP, &mut rng);
        assert!(first >= BASE / 2 && first <= BASE);
        let tenth = backoff(10, CAP, &mut rng);
        assert!(tenth <= CAP && tenth >= CAP / 2, "{tenth:?}");
        assert!(backoff(40, CAP, &mut rng) <= CAP);
    }

    /// Runs `retry` with a deadline over scripted results, moving the manual clock whenever the
    /// loop sleeps, and returns the outcome with the waits chosen.
    async fn run(
        script: Vec<Result<u32, Failure>>,
        deadline_secs: i64,
    ) -> (Result<u32, GaveUp<Failure>>, Vec<Duration>) {
        let deadline = Timestamp::UNIX_EPOCH + SignedDuration::from_secs(deadline_secs);
        run_until(script, Some(deadline)).await
    }

    /// [`run`] with a deadline, or forever with [`CAP`] when there is none.
    async fn run_until(
        script: Vec<Result<u32, Failure>>,
        deadline: Option<Timestamp>,
    ) -> (Result<u32, GaveUp<Failure>>, Vec<Duration>) {
        let clock = ManualClock::new(Timestamp::UNIX_EPOCH);
        let calls = Arc::new(AtomicU32::new(0));
        let mut waits = Vec::new();
        let script = Arc::new(script);
        let driver = clock.clone();
        let task = {
            let clock = clock.clone();
            let calls = calls.clone();
            let script = script.clone();
            tokio::spawn(async move {
                let mut waits = Vec::new();
                let attempt = || {
                    let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
                    let result = script.get(n).cloned().unwrap_or(Ok(99));
                    async move { result }
                };
                let on_retry = |_: &Failure, wait| waits.push(wait);
                let stop = CancellationToken::new();
                let patience = deadline.map_or(Patience::forever(CAP), Patience::until);
                let result = retry(&clock, patience, &stop, attempt, on_retry).await;
                (result, waits)
            })
        };
        // Keep moving time forward until the loop finishes (on the real clock, within 10 s).
        let drive = async {
            while !task.is_finished() {
                tokio::task::yield_now().await;
                driver.advance(SignedDuration::from_millis(100));
            }
        };
        tokio::time::timeout(Duration::from_secs(10), drive)
            .await
            .expect("the retry loop ends within 10 s");
        let (result, found) = task.await.expect("join");
        waits.extend(found);
        (result, waits)
    }

    #[tokio::test]
    async fn a_429_waits_retry_after_then_succeeds() {
        let limited = Failure::Limited(Duration::from_secs(2));
        let (result, waits) = run(vec![Err(limited), Ok(7)], 60).await;
        assert_eq!(result, Ok(7));
        assert_eq!(waits, vec![Duration::from_secs(2)]);
    }

    #[tokio::test]
    async fn server_errors_back_off_until_success() {
        let down = Failure::Down;
        let (result, waits) = run(
            vec![Err(down.clone()), Err(down.clone()), Err(down), Ok(1)],
            600,
        )
        .await;
        assert_eq!(result, Ok(1));
        assert_eq!(waits.len(), 3);
    }

    #[tokio::test]
    async fn a_refusal_is_not_retried() {
        let refused = Failure::Refused;
        let (result, waits) = run(vec![Err(refused.clone()), Ok(1)], 600).await;
        assert_eq!(result, Err(GaveUp::Refused(refused)));
        assert!(waits.is_empty());
    }

    #[tokio::test]
    async fn a_stop_ends_the_wait_but_not_an_attempt() {
        let clock = ManualClock::new(Timestamp::UNIX_EPOCH);
        let sender = CancellationToken::new();
        let stop = sender.child_token();
        let task = tokio::spawn(async move {
            retry(
                &clock,
                Patience::until(Timestamp::MAX),
                &stop,
                || async { Err::<u32, _>(Failure::Down) },
                |_, _| {},
            )
            .await
        });
        sender.cancel();
        let result = tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the retry loop stops within 10 s")
            .expect("join");
        assert_eq!(result, Err(GaveUp::Stopped(Failure::Down)));
    }

    #[tokio::test]
    async fn retries_stop_at_the_deadline() {
        let down = Failure::Down;
        let (result, _) = run(vec![Err(down.clone()); 100], 20).await;
        assert!(matches!(result, Err(GaveUp::OutOfTime(_))), "{result:?}");
    }

    #[tokio::test]
    async fn without_a_deadline_it_keeps_trying_with_waits_no_longer_than_the_cap() {
        let down = Failure::Down;
        let mut script = vec![Err(down); 30];
        script.push(Ok(5));
        let (result, waits) = run_until(script, None).await;
        assert_eq!(result, Ok(5));
        assert_eq!(waits.len(), 30);
        assert!(waits.iter().all(|wait| *wait <= CAP), "{waits:?}");
        assert!(waits[20] >= CAP / 2, "the waits grow to the cap: {waits:?}");
    }
}
