//! Prometheus metrics, served at `http://<[metrics] listen>/metrics` when configured.
//!
//! Everything is recorded through the `metrics` facade; without `[metrics] listen` no
//! recorder is installed and every call here costs next to nothing. The scheduler and the
//! poll keeper are observed through their event streams, so they know nothing of metrics.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::PrometheusBuilder;
use tokio::sync::broadcast;

use crate::model::duty::DutyKind;
use crate::model::shards::Ownership;
use crate::polls::PollEvent;
use crate::schedule::ScheduleEvent;

/// Reply latency buckets, in seconds: sub-millisecond answers up to Discord's 3 s deadline.
const LATENCY_BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 3.0,
];

/// Starts the `/metrics` endpoint. Every metric carries the process's shards as the label
/// `shards` ("all", or a range such as "0-2/6"), so a scrape of several processes tells them
/// apart and sums them.
pub fn install(listen: SocketAddr, shards: &Ownership) -> Result<(), String> {
    PrometheusBuilder::new()
        .with_http_listener(listen)
        .add_global_label("shards", shards.label())
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full("bridgebot_reply_seconds".into()),
            &LATENCY_BUCKETS,
        )
        .map_err(|e| e.to_string())?
        .install()
        .map_err(|e| format!("cannot serve metrics on {listen}: {e}"))
}

/// How an interaction ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Answered,
    /// A person's mistake, answered with what to do.
    UserError,
    /// The bot failed (logged, apologized for).
    Failed,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::UserError => "user_error",
            Outcome::Failed => "failed",
        }
    }
}

/// One interaction handled: which command, how it ended, and how long the reply took.
pub fn interaction(command: &str, outcome: Outcome, latency: Option<Duration>) {
    counter!("bridgebot_interactions_total", "command" => command.to_string(), "outcome" => outcome.label()).increment(1);
    if let Some(latency) = latency {
        histogram!("bridgebot_reply_seconds", "command" => command.to_string())
            .record(latency.as_secs_f64());
    }
}

/// The gateway connection was resumed or established again.
pub fn gateway_reconnect() {
    counter!("bridgebot_gateway_reconnects_total").increment(1);
}

/// Counts what the scheduler does for every duty (the daily tip, the weekly poll, the pulse,
/// its result, the digest), until the stream ends.
pub async fn observe_scheduler(mut events: broadcast::Receiver<ScheduleEvent>) {
    loop {
        match events.recv().await {
            Ok(event) => record_post(&event),
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                counter!("bridgebot_metric_events_dropped_total").increment(missed);
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
}

/// One family for every duty, told apart by the `duty` label (the word the duty log stores),
/// so a new duty needs no new metric and a dashboard sums or splits them as it likes.
fn record_post(event: &ScheduleEvent) {
    let outcome = match event {
        ScheduleEvent::Planned { .. } => return,
        ScheduleEvent::Posted { late: false, .. } => "posted",
        ScheduleEvent::Posted { late: true, .. } => "posted_late",
        ScheduleEvent::Skipped { .. } => "skipped",
        ScheduleEvent::Missed { .. } => "missed",
        ScheduleEvent::Failed { .. } => "failed",
    };
    let duty: DutyKind = event.key().0;
    counter!("bridgebot_posts_total", "duty" => duty.as_str(), "outcome" => outcome).increment(1);
}

/// Counts what the poll keeper does, until the stream ends.
pub async fn observe_polls(mut events: broadcast::Receiver<PollEvent>) {
    let mut open = HashSet::new();
    loop {
        match events.recv().await {
            Ok(PollEvent::Watching { message_id, .. }) => {
                if open.insert(message_id) {
                    counter!("bridgebot_polls_total", "state" => "opened").increment(1);
                }
            }
            Ok(PollEvent::Expired { .. }) => {
                counter!("bridgebot_polls_total", "state" => "expired_early").increment(1)
            }
            Ok(PollEvent::Recapped { message_id, .. }) => {
                open.remove(&message_id);
                counter!("bridgebot_polls_total", "state" => "recapped").increment(1);
            }
            Ok(PollEvent::Failed { message_id, .. }) => {
                open.remove(&message_id);
                counter!("bridgebot_polls_total", "state" => "failed").increment(1);
            }
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                counter!("bridgebot_metric_events_dropped_total").increment(missed);
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
        gauge!("bridgebot_polls_open").set(open.len() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_duty_counts_in_one_family_labelled_by_duty_and_outcome() {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let date = jiff::civil::date(2026, 11, 30);
        metrics::with_local_recorder(&recorder, || {
            for event in [
                ScheduleEvent::Posted {
                    duty: DutyKind::Tip,
                    guild: 1,
                    date,
                    message_id: 2,
                    late: false,
                },
                ScheduleEvent::Posted {
                    duty: DutyKind::Digest,
                    guild: 1,
                    date,
                    message_id: 3,
                    late: true,
                },
                ScheduleEvent::Missed {
                    duty: DutyKind::PulseResult,
                    guild: 1,
                    date,
                },
                ScheduleEvent::Planned {
                    duty: DutyKind::WeeklyPoll,
                    guild: 1,
                    next: None,
                },
            ] {
                record_post(&event);
            }
        });
        let text = handle.render();
        for expected in [
            r#"bridgebot_posts_total{duty="tip",outcome="posted"} 1"#,
            r#"bridgebot_posts_total{duty="digest",outcome="posted_late"} 1"#,
            r#"bridgebot_posts_total{duty="pulse_result",outcome="missed"} 1"#,
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(
            !text.contains("weekly_poll"),
            "planning is not an outcome:\n{text}"
        );
    }
}
