//! Delivering a server's daily tip: claim, send with retries, log; and recovering a claim a
//! crash left behind. See the engine's module documentation for why the claim comes first.

use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};
use tracing::{debug, info, warn};

use super::deck;
use super::engine::{catch_up, owed_occurrence, schedule_of, within_catch_up, Job, ScheduleEvent};
use crate::content::Content;
use crate::reply::{tip_embed, Reply};
use crate::retry::{self, GaveUp};
use crate::store::{Claim, LogEntry, LogStatus, StoreError, TipSettings};

impl Job {
    /// Posts the tip a server is owed now, if any.
    pub(super) async fn deliver(&self, guild: u64) -> Result<Option<ScheduleEvent>, StoreError> {
        let store = &self.deps.store;
        let now = self.deps.clock.now();
        let Some(mut settings) = store.tip_settings(guild).await?.filter(|s| !s.paused) else {
            return Ok(None);
        };
        let Some(schedule) = schedule_of(&settings) else {
            return Ok(None);
        };
        let Some(occurrence) = owed_occurrence(&schedule, settings.active_since, now)
            .filter(|o| within_catch_up(o.at, now, &self.deps.config))
        else {
            return Ok(None);
        };
        if store.log_entry(guild, occurrence.date).await?.is_some() {
            return Ok(None);
        }
        if settings.skip_date == Some(occurrence.date) {
            store
                .record_without_post(
                    guild,
                    occurrence.date,
                    LogStatus::Skipped,
                    "skipped with /tips skip",
                    occurrence.at,
                    now,
                )
                .await?;
            settings.skip_date = None;
            store.save_tip_settings(&settings, now).await?;
            info!(guild, date = %occurrence.date, "daily tip skipped as asked");
            return Ok(Some(ScheduleEvent::Skipped {
                guild,
                date: occurrence.date,
            }));
        }
        // The claim says "being sent now", so it is made only once this job's turn to post
        // has come: a crash then leaves at most the few claims really under way.
        self.pacer.slot().await;
        let now = self.deps.clock.now();
        let content = self.deps.content.load_full();
        let cycle = store.latest_cycle(guild).await?;
        let shown = store.tips_in_cycle(guild, cycle).await?;
        let shown = shown.iter().map(String::as_str).collect();
        let (cycle, tip) = deck::next_tip(&content, guild, cycle, &shown);
        let claim = Claim {
            guild_id: guild,
            local_date: occurrence.date,
            tip_id: tip.id.to_string(),
            cycle,
            channel_id: settings.channel_id,
            due_at: occurrence.at,
        };
        if !store.claim(&claim, now).await? {
            return Ok(None);
        }
        let paced = AtomicBool::new(true);
        self.send(
            &settings,
            &claim.tip_id,
            occurrence.date,
            occurrence.at,
            &paced,
        )
        .await
    }

    /// Finishes a claim left `sending` by a previous run: record the message if it arrived,
    /// send it if it did not.
    pub(super) async fn recover(
        &self,
        entry: LogEntry,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let now = self.deps.clock.now();
        let Some(settings) = self.deps.store.tip_settings(entry.guild_id).await? else {
            return self
                .fail(
                    entry.guild_id,
                    entry.local_date,
                    "the server's tip settings were removed",
                )
                .await;
        };
        let content = self.deps.content.load_full();
        let (Some(tip_id), Some(channel)) = (entry.tip_id.as_deref(), entry.channel_id) else {
            return self
                .fail(entry.guild_id, entry.local_date, "incomplete claim")
                .await;
        };
        let title = content
            .tip(tip_id)
            .map(|t| t.title.to_string())
            .unwrap_or_default();
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
                self.deps.poster.find_own(channel, since, &title).await
            },
            |error, wait| debug!(guild = entry.guild_id, %error, ?wait, "cannot check the channel yet"),
        )
        .await;
        match found {
            Ok(Some(message_id)) => {
                info!(guild = entry.guild_id, date = %entry.local_date, "the tip had been posted before the stop; recorded it");
                self.deps
                    .store
                    .mark_posted(entry.guild_id, entry.local_date, message_id, now)
                    .await?;
                Ok(Some(ScheduleEvent::Posted {
                    guild: entry.guild_id,
                    date: entry.local_date,
                    message_id,
                    late: true,
                }))
            }
            Ok(None) => {
                let mut settings = settings;
                settings.channel_id = channel;
                self.send(
                    &settings,
                    tip_id,
                    entry.local_date,
                    entry.due_at,
                    &AtomicBool::new(false),
                )
                .await
            }
            Err(GaveUp::Stopped(_)) => Ok(None),
            Err(gave_up) => {
                let detail = format!(
                    "could not check whether the tip had arrived: {}",
                    gave_up.error().explain()
                );
                self.fail(entry.guild_id, entry.local_date, &detail).await
            }
        }
    }

    async fn fail(
        &self,
        guild: u64,
        date: jiff::civil::Date,
        detail: &str,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        warn!(guild, %date, reason = detail, "daily tip not posted");
        self.deps
            .store
            .mark_failed(guild, date, detail, self.deps.clock.now())
            .await?;
        Ok(Some(ScheduleEvent::Failed {
            guild,
            date,
            detail: detail.to_string(),
        }))
    }

    /// Sends a claimed tip with retries until the catch-up window closes, and logs the end.
    /// `paced` is true when the caller already holds a pacer slot for the first attempt.
    async fn send(
        &self,
        settings: &TipSettings,
        tip_id: &str,
        date: jiff::civil::Date,
        due_at: Timestamp,
        paced: &AtomicBool,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let guild = settings.guild_id;
        let content = self.deps.content.load_full();
        let Some(tip) = content.tip(tip_id) else {
            return self
                .fail(guild, date, "the tip is no longer in the content")
                .await;
        };
        let reply = tip_message(&content, tip, settings.role_id);
        let deadline = due_at
            .saturating_add(catch_up(&self.deps.config))
            .unwrap_or(Timestamp::MAX);
        let result = retry::until_deadline(
            self.deps.clock.as_ref(),
            deadline,
            &self.stop,
            || async {
                if !paced.swap(false, Ordering::Relaxed) {
                    self.pacer.slot().await;
                }
                self.deps
                    .poster
                    .post(settings.channel_id, &reply, settings.role_id)
                    .await
            },
            |error, wait| debug!(guild, %error, ?wait, "daily tip not accepted yet; retrying"),
        )
        .await;
        let now = self.deps.clock.now();
        match result {
            Ok(message_id) => {
                self.deps
                    .store
                    .mark_posted(guild, date, message_id, now)
                    .await?;
                let late = now.duration_since(due_at) >= SignedDuration::from_mins(1);
                info!(guild, %date, tip = tip_id, late, "daily tip posted");
                if settings.thread {
                    if let Err(error) = self
                        .deps
                        .poster
                        .start_thread(settings.channel_id, message_id, &thread_name(&tip.title))
                        .await
                    {
                        warn!(guild, %error, "could not open a thread on the tip");
                    }
                }
                Ok(Some(ScheduleEvent::Posted {
                    guild,
                    date,
                    message_id,
                    late,
                }))
            }
            Err(GaveUp::Stopped(_)) => {
                info!(guild, %date, "shutting down while the tip waits to be retried; it is sent at the next start");
                Ok(None)
            }
            Err(GaveUp::Refused(error)) => self.fail(guild, date, &error.explain()).await,
            Err(GaveUp::OutOfTime(error)) => {
                let detail =
                    format!("Discord kept failing until the catch-up window closed ({error})");
                self.fail(guild, date, &detail).await
            }
        }
    }
}

/// The tip as posted: the embed, with the role mention above it when one is set.
fn tip_message(content: &Content, tip: &crate::content::Tip, role: Option<u64>) -> Reply {
    Reply {
        text: role.map(|role| format!("<@&{role}>")),
        ..Reply::embed(tip_embed(content, tip))
    }
}

/// Thread names are at most 100 characters.
fn thread_name(title: &str) -> String {
    crate::text::clip(title, 100)
}
