//! Claim, send, record, recover: what the engine does for a day of any duty.
//!
//! ## Exactly once
//!
//! The duty log (one row per duty, server and local date) decides. A job first *claims* the
//! day by inserting a `sending` row, then sends, then marks the row `posted` with the message
//! id. If the process dies between Discord accepting the message and that last write (a
//! window of one local SQLite write), the row is still `sending` at the next start; recovery
//! then looks in the channel for the post, by what the claim says was sent, posted after the
//! claim. Found: the row is marked `posted` and nothing is sent. Not found: the claimed post
//! is sent (still inside the catch-up window). Claiming before sending is the right order
//! because the reverse (send, then log) would make that same crash post a second time after
//! the restart, with nothing to tell it had already gone out.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tracing::{debug, info, warn};

use super::duty::{Arrival, Ctx, Duty, Plan, Planned, Prepared, Sending};
use super::engine::ScheduleEvent;
use crate::config::ScheduleConfig;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::ids::{ChannelId, MessageId};
use crate::reply::duty_notes::DutyNote;
use crate::retry::{retry, GaveUp, Patience};
use crate::store::{DutyClaim, DutyEntry, StoreError};
use crate::when::{Occurrence, Timetable};

/// Posts found in a channel after a claim may be stamped slightly before it by Discord.
const CLOCK_SLACK: SignedDuration = SignedDuration::from_mins(1);

/// A post this late after its due minute counts as late.
const LATE_AFTER: SignedDuration = SignedDuration::from_mins(1);

/// A day's outcome, for the engine to publish; `None` when nothing happened.
pub(super) type Outcome = Result<Option<ScheduleEvent>, StoreError>;

/// What planning needs of a duty's settings.
pub(super) struct View {
    pub schedule: Timetable,
    pub active_since: Timestamp,
}

/// A duty as the engine drives it, whatever its settings and payload.
pub(super) trait Runner: Send + Sync + 'static {
    fn kind(&self) -> DutyKind;
    /// The duties to plan again after a job of this one ends ([`Duty::PLANS_NEXT`]).
    fn plans_next(&self) -> &'static [DutyKind];
    /// [`Duty::before_start`].
    fn before_start<'a>(
        &'a self,
        owns: &'a (dyn Fn(u64) -> bool + Sync),
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn servers(&self) -> BoxFuture<'_, Result<Vec<u64>, StoreError>>;
    fn view(&self, guild: u64) -> BoxFuture<'_, Result<Option<View>, StoreError>>;
    /// Posts what the server is owed now, if anything.
    fn deliver(self: Arc<Self>, guild: u64) -> BoxFuture<'static, Outcome>;
    /// Posts now because someone asked (`/pulse now`), outside the schedule.
    fn deliver_requested(self: Arc<Self>, guild: u64) -> BoxFuture<'static, Outcome>;
    /// Finishes a claim a previous run left `sending`.
    fn recover(self: Arc<Self>, entry: DutyEntry) -> BoxFuture<'static, Outcome>;
}

/// The engine's side of one duty.
pub(super) struct Delivery<D> {
    pub duty: D,
    pub ctx: Arc<Ctx>,
}

/// The latest occurrence at or before `now` that the server is owed (set up by then).
pub(super) fn owed_occurrence(
    schedule: &Timetable,
    active_since: Timestamp,
    now: Timestamp,
) -> Option<Occurrence> {
    schedule
        .latest_at_or_before(now)
        .filter(|occurrence| occurrence.at >= active_since)
}

/// How long after its due time a post is still owed.
fn catch_up(config: &ScheduleConfig) -> SignedDuration {
    SignedDuration::from_hours(i64::from(config.catch_up_hours))
}

pub(super) fn within_catch_up(config: &ScheduleConfig, due: Timestamp, now: Timestamp) -> bool {
    now.duration_since(due) <= catch_up(config)
}

/// The last moment a post due at `due` may still go out.
fn deadline(ctx: &Ctx, due: Timestamp) -> Timestamp {
    due.saturating_add(catch_up(&ctx.config))
        .unwrap_or(Timestamp::MAX)
}

/// Why a day is recorded as missed.
pub(super) fn missed(ctx: &Ctx) -> DutyNote {
    DutyNote::Missed {
        catch_up_hours: ctx.config.catch_up_hours,
    }
}

impl<D: Duty> Runner for Delivery<D> {
    fn kind(&self) -> DutyKind {
        D::KIND
    }

    fn plans_next(&self) -> &'static [DutyKind] {
        D::PLANS_NEXT
    }

    fn before_start<'a>(
        &'a self,
        owns: &'a (dyn Fn(u64) -> bool + Sync),
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.duty.before_start(&self.ctx, owns))
    }

    fn servers(&self) -> BoxFuture<'_, Result<Vec<u64>, StoreError>> {
        Box::pin(D::Settings::servers(&self.ctx))
    }

    fn view(&self, guild: u64) -> BoxFuture<'_, Result<Option<View>, StoreError>> {
        Box::pin(async move {
            Ok(D::Settings::plan(&self.ctx, guild).await?.map(|plan| View {
                schedule: plan.timetable,
                active_since: plan.active_since,
            }))
        })
    }

    fn deliver(self: Arc<Self>, guild: u64) -> BoxFuture<'static, Outcome> {
        Box::pin(async move { self.deliver_now(guild).await })
    }

    fn deliver_requested(self: Arc<Self>, guild: u64) -> BoxFuture<'static, Outcome> {
        Box::pin(async move { self.deliver_on_request(guild).await })
    }

    fn recover(self: Arc<Self>, entry: DutyEntry) -> BoxFuture<'static, Outcome> {
        Box::pin(async move { self.recover_claim(entry).await })
    }
}

impl<D: Duty> Delivery<D> {
    async fn deliver_now(&self, guild: u64) -> Outcome {
        let ctx = &self.ctx;
        let now = ctx.clock.now();
        let Some(plan) = D::Settings::plan(ctx, guild).await? else {
            return Ok(None);
        };
        let Some(owed) = owed_occurrence(&plan.timetable, plan.active_since, now)
            .filter(|o| within_catch_up(&ctx.config, o.at, now))
        else {
            return Ok(None);
        };
        match ctx.store.duty_entry(D::KIND, guild, owed.date).await? {
            // A claim whose job failed on the database before it was finished: finish it as
            // a restart would, looking in the channel first.
            Some(entry) if entry.status == DutyStatus::Sending => {
                return self.recover_claim(entry).await
            }
            Some(_) => return Ok(None),
            None => {}
        }
        if let Some(settled) = self.duty.settle_without_post(ctx, &plan, owed).await? {
            return Ok(Some(settled));
        }
        // The claim says "being sent now", so it is made only once this post's turn has
        // come: a crash then leaves at most the few claims really under way.
        ctx.pacer.slot().await;
        self.claim_and_send(guild, &plan, owed).await
    }

    /// A post asked for now is claimed under today's local date, as a scheduled day is, so
    /// it goes out once and is recovered after a crash like any other; a day already in the
    /// log (posted, or being posted) is not claimed twice. `None` when the duty is not set
    /// up or paused, or today is taken.
    async fn deliver_on_request(&self, guild: u64) -> Outcome {
        let ctx = &self.ctx;
        let now = ctx.clock.now();
        let Some(plan) = D::Settings::plan(ctx, guild).await? else {
            return Ok(None);
        };
        let Some(today) = plan.timetable.asked_for(now) else {
            return Ok(None);
        };
        if ctx
            .store
            .duty_entry(D::KIND, guild, today.date)
            .await?
            .is_some()
        {
            return Ok(None);
        }
        if let Some(settled) = self.duty.settle_without_post(ctx, &plan, today).await? {
            return Ok(Some(settled));
        }
        ctx.pacer.slot().await;
        self.claim_and_send(guild, &plan, today).await
    }

    async fn claim_and_send(
        &self,
        guild: u64,
        plan: &Plan<D::Settings>,
        owed: Occurrence,
    ) -> Outcome {
        let ctx = &self.ctx;
        let now = ctx.clock.now();
        let (item, cycle, payload) = match self.duty.prepare(ctx, guild, plan, owed).await? {
            Prepared::Send {
                item,
                cycle,
                payload,
            } => (item, cycle, payload),
            Prepared::Broken(note) => {
                let detail = note.to_string();
                let recorded = ctx
                    .store
                    .record_duty(
                        D::KIND,
                        guild,
                        owed.date,
                        DutyStatus::Failed,
                        &detail,
                        owed.at,
                        now,
                    )
                    .await?;
                return Ok(recorded.then(|| self.failed(guild, owed.date, &detail)));
            }
        };
        let claim = DutyClaim {
            duty: D::KIND,
            guild_id: guild,
            local_date: owed.date,
            channel_id: plan.channel_id,
            item: item.clone(),
            cycle,
            payload: Some(
                serde_json::to_string(&payload)
                    .map_err(|e| StoreError::Corrupt(format!("{} claim: {e}", D::KIND)))?,
            ),
            due_at: owed.at,
        };
        if !ctx.store.claim_duty(&claim, now).await? {
            return Ok(None);
        }
        let post = Sending {
            guild,
            date: owed.date,
            channel: ChannelId::new(plan.channel_id),
            due_at: owed.at,
            claimed_at: now,
            item,
            payload,
        };
        self.send(&post, true).await
    }

    /// Sends a claimed post with retries until the catch-up window closes, and records the
    /// end. `paced` is true when the caller already holds a pacer slot for the first attempt.
    async fn send(&self, post: &Sending<D::Payload>, paced: bool) -> Outcome {
        let ctx = &self.ctx;
        let holds_slot = AtomicBool::new(paced);
        let sent = retry(
            ctx.clock.as_ref(),
            Patience::until(deadline(ctx, post.due_at)),
            &ctx.stop,
            || async {
                if !holds_slot.swap(false, Ordering::Relaxed) {
                    ctx.pacer.slot().await;
                }
                self.duty.send(ctx, post).await
            },
            |error, wait| debug!(guild = post.guild, duty = %D::KIND, %error, ?wait, "not accepted yet; retrying"),
        )
        .await;
        match sent {
            Ok(message_id) => self.posted(post, message_id, Arrival::Sent).await,
            Err(GaveUp::Stopped(_)) => {
                info!(guild = post.guild, date = %post.date, duty = %D::KIND, "shutting down while the post waits to be retried; it is sent at the next start");
                Ok(None)
            }
            Err(GaveUp::Refused(error)) => {
                let note = error.note(D::KIND.label(), &self.duty.needs(post));
                self.fail(post.guild, post.date, &note).await
            }
            Err(GaveUp::OutOfTime(error)) => {
                let note = DutyNote::KeptFailing(error.to_string());
                self.fail(post.guild, post.date, &note).await
            }
        }
    }

    async fn posted(
        &self,
        post: &Sending<D::Payload>,
        message_id: MessageId,
        arrival: Arrival,
    ) -> Outcome {
        let ctx = &self.ctx;
        let now = ctx.clock.now();
        ctx.store
            .finish_duty(D::KIND, post.guild, post.date, Ok(message_id.get()), now)
            .await?;
        let late = match arrival {
            Arrival::Sent => now.duration_since(post.due_at) >= LATE_AFTER,
            Arrival::Found => true,
        };
        match arrival {
            Arrival::Sent => {
                info!(guild = post.guild, date = %post.date, item = post.item.as_deref(), late, "{} posted", D::KIND)
            }
            Arrival::Found => {
                info!(guild = post.guild, date = %post.date, "{} had been posted before the stop; recorded it", D::KIND)
            }
        }
        self.duty.after_post(ctx, post, message_id, arrival).await?;
        Ok(Some(ScheduleEvent::Posted {
            duty: D::KIND,
            guild: post.guild,
            date: post.date,
            message_id: message_id.get(),
            late,
        }))
    }

    /// Finishes a claim left `sending` by a previous run: record the post if it arrived,
    /// send it if it did not.
    async fn recover_claim(&self, entry: DutyEntry) -> Outcome {
        let ctx = &self.ctx;
        let payload = entry
            .payload
            .as_deref()
            .and_then(|json| serde_json::from_str::<D::Payload>(json).ok());
        let (Some(channel), Some(payload)) = (entry.channel_id, payload) else {
            return self
                .fail(entry.guild_id, entry.local_date, &DutyNote::IncompleteClaim)
                .await;
        };
        let post = Sending {
            guild: entry.guild_id,
            date: entry.local_date,
            channel: ChannelId::new(channel),
            due_at: entry.due_at,
            claimed_at: entry.recorded_at,
            item: entry.item,
            payload,
        };
        let since = post
            .claimed_at
            .saturating_sub(CLOCK_SLACK)
            .unwrap_or(post.claimed_at);
        let found = retry(
            ctx.clock.as_ref(),
            Patience::until(deadline(ctx, post.due_at)),
            &ctx.stop,
            || async {
                ctx.pacer.slot().await;
                self.duty.find(ctx, &post, since).await
            },
            |error, wait| debug!(guild = post.guild, duty = %D::KIND, %error, ?wait, "cannot check the channel yet"),
        )
        .await;
        match found {
            Ok(Some(message_id)) => self.posted(&post, message_id, Arrival::Found).await,
            Ok(None) => self.send(&post, false).await,
            Err(GaveUp::Stopped(_)) => Ok(None),
            Err(gave_up) => {
                let note = DutyNote::NotChecked {
                    duty: D::KIND,
                    why: gave_up
                        .error()
                        .explain(D::KIND.label(), &self.duty.needs(&post)),
                };
                self.fail(post.guild, post.date, &note).await
            }
        }
    }

    async fn fail(&self, guild: u64, date: Date, note: &DutyNote) -> Outcome {
        let detail = note.to_string();
        self.ctx
            .store
            .finish_duty(D::KIND, guild, date, Err(&detail), self.ctx.clock.now())
            .await?;
        Ok(Some(self.failed(guild, date, &detail)))
    }

    fn failed(&self, guild: u64, date: Date, detail: &str) -> ScheduleEvent {
        warn!(guild, %date, duty = %D::KIND, reason = detail, "not posted");
        ScheduleEvent::Failed {
            duty: D::KIND,
            guild,
            date,
            detail: detail.to_string(),
        }
    }
}
