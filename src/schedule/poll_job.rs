//! Posting a server's weekly poll, under the daily tip's rules: owed only inside the catch-up
//! window, claimed before it is posted (with the poll itself, so recovery after a crash posts
//! or records exactly that poll), posted once, then handed to the poll keeper to be closed
//! and recapped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tracing::{debug, info, warn};

use super::engine::{
    catch_up, owed_occurrence, weekly_schedule_of, within_catch_up, Job, ScheduleEvent,
};
use crate::polls::{duration_of, pending_of, record_of, spec_of_pending, Posted};
use crate::reply::poll::{pulse, quiz, PollSpec, PulseList};
use crate::retry::{self, GaveUp};
use crate::store::{PendingPoll, PollLogEntry, PollSchedule, StoreError};

/// Answers in a scheduled pulse poll.
const PULSE_ANSWERS: usize = 4;

impl Job {
    /// Posts the poll a server is owed this week, if any.
    pub(super) async fn deliver_poll(
        &self,
        guild: u64,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let store = &self.deps.store;
        let now = self.deps.clock.now();
        let Some(schedule) = store.poll_schedule(guild).await? else {
            return Ok(None);
        };
        let Some(weekly) = weekly_schedule_of(&schedule) else {
            return Ok(None);
        };
        let Some(occurrence) = owed_occurrence(&weekly, schedule.active_since, now)
            .filter(|o| within_catch_up(o.at, now, &self.deps.config))
        else {
            return Ok(None);
        };
        if store
            .poll_log_entry(guild, occurrence.date)
            .await?
            .is_some()
        {
            return Ok(None);
        }
        self.pacer.slot().await;
        let now = self.deps.clock.now();
        let spec = match self.build(&schedule) {
            Ok(spec) => spec,
            Err(problem) => {
                return self
                    .record_failure(
                        guild,
                        occurrence.date,
                        schedule.channel_id,
                        occurrence.at,
                        &problem,
                    )
                    .await
            }
        };
        let duration = Duration::from_secs(u64::from(schedule.duration_minutes) * 60);
        let pending = pending_of(&spec, duration);
        if !store
            .claim_scheduled_poll(
                guild,
                occurrence.date,
                schedule.channel_id,
                &pending,
                occurrence.at,
                now,
            )
            .await?
        {
            return Ok(None);
        }
        if let Some(open) = store.open_poll_in(schedule.channel_id).await? {
            let detail = format!(
                "a poll was still open in the channel (message {})",
                open.message_id
            );
            return self.fail_poll(guild, occurrence.date, &detail).await;
        }
        let paced = AtomicBool::new(true);
        self.post_pending(
            guild,
            occurrence.date,
            schedule.channel_id,
            &pending,
            occurrence.at,
            &paced,
        )
        .await
    }

    /// The week's poll, built from the content.
    fn build(&self, schedule: &PollSchedule) -> Result<PollSpec, String> {
        let content = self.deps.content.load_full();
        let mut rng = rand::rng();
        let spec = if schedule.kind == "quiz" {
            quiz(&content, &mut rng)
        } else {
            pulse(&content, PulseList::Mixed, PULSE_ANSWERS, false, &mut rng)
                .map_err(|e| e.to_string())?
        };
        let problems = spec.limit_problems();
        if problems.is_empty() {
            Ok(spec)
        } else {
            Err(format!(
                "the poll built from the content breaks Discord's limits: {}",
                problems.join("; ")
            ))
        }
    }

    /// Posts a claimed poll with retries until the catch-up window closes.
    async fn post_pending(
        &self,
        guild: u64,
        date: Date,
        channel: u64,
        pending: &PendingPoll,
        due_at: Timestamp,
        paced: &AtomicBool,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let spec = spec_of_pending(pending);
        let duration = duration_of(pending);
        let deadline = due_at
            .saturating_add(catch_up(&self.deps.config))
            .unwrap_or(Timestamp::MAX);
        let posted = retry::until_deadline(
            self.deps.clock.as_ref(),
            deadline,
            &self.stop,
            || async {
                if !paced.swap(false, Ordering::Relaxed) {
                    self.pacer.slot().await;
                }
                self.deps.poster.post_poll(channel, &spec, duration).await
            },
            |error, wait| debug!(guild, %error, ?wait, "weekly poll not accepted yet; retrying"),
        )
        .await;
        match posted {
            Ok(message_id) => {
                let now = self.deps.clock.now();
                self.opened(guild, date, channel, message_id, pending, now)
                    .await
            }
            Err(GaveUp::Stopped(_)) => Ok(None),
            Err(GaveUp::Refused(error)) => self.fail_poll(guild, date, &error.explain()).await,
            Err(GaveUp::OutOfTime(error)) => {
                let detail =
                    format!("Discord kept failing until the catch-up window closed ({error})");
                self.fail_poll(guild, date, &detail).await
            }
        }
    }

    /// Records a posted poll, logs the week, and hands the poll to the keeper.
    async fn opened(
        &self,
        guild: u64,
        date: Date,
        channel: u64,
        message_id: u64,
        pending: &PendingPoll,
        started_at: Timestamp,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let spec = spec_of_pending(pending);
        let duration =
            SignedDuration::try_from(duration_of(pending)).unwrap_or(SignedDuration::MAX);
        let closes_at = started_at
            .saturating_add(duration)
            .unwrap_or(Timestamp::MAX);
        let record = record_of(
            &spec,
            Posted {
                message_id,
                guild_id: guild,
                channel_id: channel,
                started_by: None,
                closes_at,
                created_at: started_at,
            },
        );
        if !self.deps.store.insert_poll(&record).await? {
            warn!(guild, message_id, "the weekly poll could not be recorded (another poll opened in the channel meanwhile)");
        }
        self.deps
            .store
            .finish_scheduled_poll(guild, date, Ok(message_id), self.deps.clock.now())
            .await?;
        if let Some(keeper) = &self.deps.polls {
            keeper.watch(message_id, closes_at);
        }
        info!(guild, %date, message_id, "weekly poll posted");
        Ok(Some(ScheduleEvent::PollPosted {
            guild,
            date,
            message_id,
        }))
    }

    /// Finishes a weekly poll claimed before a crash: record it if it was posted, post it if not.
    pub(super) async fn recover_poll(
        &self,
        entry: PollLogEntry,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let (Some(pending), Some(channel)) = (entry.poll.as_ref(), entry.channel_id) else {
            return self
                .fail_poll(entry.guild_id, entry.local_date, "incomplete claim")
                .await;
        };
        let since = entry
            .recorded_at
            .saturating_sub(SignedDuration::from_mins(1))
            .unwrap_or(entry.recorded_at);
        let deadline = entry
            .due_at
            .saturating_add(catch_up(&self.deps.config))
            .unwrap_or(Timestamp::MAX);
        let found = retry::until_deadline(
            self.deps.clock.as_ref(),
            deadline,
            &self.stop,
            || async {
                self.pacer.slot().await;
                self.deps.poster.find_own_poll(channel, since, &pending.question).await
            },
            |error, wait| debug!(guild = entry.guild_id, %error, ?wait, "cannot check the channel yet"),
        )
        .await;
        match found {
            Ok(Some(message_id)) => {
                info!(
                    guild = entry.guild_id,
                    "the weekly poll had been posted before the stop; recorded it"
                );
                self.opened(
                    entry.guild_id,
                    entry.local_date,
                    channel,
                    message_id,
                    pending,
                    entry.recorded_at,
                )
                .await
            }
            Ok(None) => {
                let paced = AtomicBool::new(false);
                self.post_pending(
                    entry.guild_id,
                    entry.local_date,
                    channel,
                    pending,
                    entry.due_at,
                    &paced,
                )
                .await
            }
            Err(GaveUp::Stopped(_)) => Ok(None),
            Err(gave_up) => {
                let detail = format!(
                    "could not check whether the poll had been posted: {}",
                    gave_up.error().explain()
                );
                self.fail_poll(entry.guild_id, entry.local_date, &detail)
                    .await
            }
        }
    }

    /// A week whose poll could not even be built: claimed and failed at once, so status shows
    /// it and it is not tried again that day.
    async fn record_failure(
        &self,
        guild: u64,
        date: Date,
        channel: u64,
        due_at: Timestamp,
        detail: &str,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let empty = PendingPoll {
            kind: String::new(),
            question: String::new(),
            answers: Vec::new(),
            subject: None,
            correct: None,
            multiselect: false,
            duration_minutes: 0,
        };
        let now = self.deps.clock.now();
        if self
            .deps
            .store
            .claim_scheduled_poll(guild, date, channel, &empty, due_at, now)
            .await?
        {
            return self.fail_poll(guild, date, detail).await;
        }
        Ok(None)
    }

    async fn fail_poll(
        &self,
        guild: u64,
        date: Date,
        detail: &str,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        warn!(guild, %date, reason = detail, "weekly poll not posted");
        self.deps
            .store
            .finish_scheduled_poll(guild, date, Err(detail), self.deps.clock.now())
            .await?;
        Ok(Some(ScheduleEvent::PollFailed {
            guild,
            date,
            detail: detail.to_string(),
        }))
    }
}
