//! Waiting for the bot's own events (scheduler, polls) with a deadline, so a test that
//! expects one fails with a message instead of hanging.

use std::time::Duration;

use bridgebot::clock::{Clock as _, ManualClock};
use jiff::SignedDuration;
use tokio::sync::broadcast;

/// How long a test waits for an event before it fails.
pub const EVENT_WAIT: Duration = Duration::from_secs(10);

/// The next event matching `wanted`; fails the test, naming `what`, after [`EVENT_WAIT`].
pub async fn next_event<E: Clone>(
    events: &mut broadcast::Receiver<E>,
    what: &str,
    wanted: impl Fn(&E) -> bool,
) -> E {
    let wait = async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {
                    panic!("the event stream ended before {what}")
                }
            }
        }
    };
    tokio::time::timeout(EVENT_WAIT, wait)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen within {EVENT_WAIT:?}"))
}

/// Like [`next_event`], while moving the manual clock to whatever sleeps on it for less than
/// `horizon` (the pacer's spacing between posts, a retry's short wait), so work that waits
/// on the clock goes on. Nothing further away is reached.
pub async fn next_event_driving<E: Clone>(
    events: &mut broadcast::Receiver<E>,
    clock: &ManualClock,
    horizon: SignedDuration,
    what: &str,
    wanted: impl Fn(&E) -> bool,
) -> E {
    let drive = async {
        loop {
            let now = clock.now();
            let until = now + horizon;
            let at = clock.sleeper(|at| at > now && at <= until).await;
            clock.set(at);
        }
    };
    tokio::select! {
        event = next_event(events, what, wanted) => event,
        () = drive => unreachable!("driving the clock never ends"),
    }
}
