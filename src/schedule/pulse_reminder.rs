//! The team pulse's reminder, a duty of the engine: once per pulse, a set time before it closes
//! (the pulse option `remind_hours`, 24 by default, none when turned off), a post replying to
//! the pulse with how many have answered (a count: nothing says who) and the answer button.
//!
//! Its timetable is made of the server's open pulses, like the result's (`PulsesClosing`): each
//! at its close less the lead, keyed in the duty log by the pulse's week, so the claim, record
//! and recovery of the engine make it go out once across a crash. A pulse closed before its
//! moment is no longer open and owes nothing; a lead as long as the pulse is open (one day,
//! reminded 24 hours before) would remind as it opens, so that pulse gets none.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::duty::{Ctx, Duty, Plan, Planned, Prepared, SendError, Sending};
use super::pulse::{claimed_pulse, RECENT};
use crate::model::duty::DutyKind;
use crate::model::ids::{MessageId, RoleId};
use crate::model::schedule::PulseOptions;
use crate::port::{Addressing, PortError, Poster};
use crate::reply::duty_notes::DutyNote;
use crate::reply::pulse_reminder::{reminder, reminder_title};
use crate::store::StoreError;
use crate::when::{Occurrence, Timetable};

/// Reminding the team before a pulse closes.
pub(super) struct PulseReminder {
    pub poster: Arc<dyn Poster>,
    pub min_responses: u32,
}

/// What a reminder claims: the pulse, its week (which names the post) and the role to mention.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ReminderPost {
    pulse_id: i64,
    week: jiff::civil::Date,
    role_id: Option<u64>,
}

/// The reminder's plan: each open pulse at its close less the lead, while the pulse's schedule
/// asks for reminders and is not paused.
pub(crate) struct PulsesReminding {
    role_id: Option<u64>,
}

/// When a pulse open from `opened` to `closes` is reminded, `hours` before its close; `None`
/// when that is not after it opened.
pub(crate) fn reminder_at(opened: Timestamp, closes: Timestamp, hours: u8) -> Option<Timestamp> {
    let at = closes
        .checked_sub(SignedDuration::from_hours(i64::from(hours)))
        .ok()?;
    (at > opened).then_some(at)
}

impl Planned for PulsesReminding {
    /// Servers with a pulse open or closed lately (planned to nothing, which says so).
    async fn servers(ctx: &Ctx) -> Result<Vec<u64>, StoreError> {
        let since = ctx.clock.now().saturating_sub(RECENT).unwrap_or_default();
        ctx.store.servers_with_recent_pulses(since).await
    }

    async fn plan(ctx: &Ctx, guild: u64) -> Result<Option<Plan<Self>>, StoreError> {
        let Some(schedule) = ctx.store.schedule::<PulseOptions>(guild).await? else {
            return Ok(None);
        };
        let Some(hours) = schedule.options.remind_hours.filter(|_| !schedule.paused) else {
            return Ok(None);
        };
        let now = ctx.clock.now();
        let moments: Vec<(Occurrence, u64)> = ctx
            .store
            .open_pulses(guild)
            .await?
            .into_iter()
            .filter(|p| p.closes_at > now)
            .filter_map(|p| {
                let at = reminder_at(p.opened_at, p.closes_at, hours)?;
                Some((Occurrence { date: p.week, at }, p.channel_id))
            })
            .collect();
        let Some(channel_id) = moments
            .iter()
            .rev()
            .find(|(o, _)| o.at <= now)
            .or(moments.first())
            .map(|(_, channel)| *channel)
        else {
            return Ok(None);
        };
        Ok(Some(Plan {
            timetable: Timetable::Fixed(moments.into_iter().map(|(o, _)| o).collect()),
            // The pulse is what is owed, whenever it was opened.
            active_since: Timestamp::MIN,
            channel_id,
            settings: PulsesReminding {
                role_id: schedule.options.role_id,
            },
        }))
    }
}

impl Duty for PulseReminder {
    const KIND: DutyKind = DutyKind::PulseReminder;
    type Settings = PulsesReminding;
    type Payload = ReminderPost;

    async fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        plan: &Plan<PulsesReminding>,
        owed: Occurrence,
    ) -> Result<Prepared<ReminderPost>, StoreError> {
        let Some(pulse) = ctx.store.pulse_for_week(guild, owed.date).await? else {
            return Ok(Prepared::Broken(DutyNote::PulseDeleted));
        };
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: ReminderPost {
                pulse_id: pulse.id,
                week: pulse.week,
                role_id: plan.settings.role_id,
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<ReminderPost>) -> Result<MessageId, SendError> {
        let pulse = claimed_pulse(ctx, post.payload.pulse_id).await?;
        if pulse.closed || pulse.closes_at <= ctx.clock.now() {
            return Err(SendError::Refused(DutyNote::PulseClosedBeforeReminder));
        }
        let answered = ctx.store.pulse_answered(pulse.id).await?;
        let reply = reminder(
            pulse.id,
            pulse.week,
            answered,
            self.min_responses,
            pulse.closes_at,
        )
        .mentioning(post.payload.role_id);
        let to = Addressing {
            role: post.payload.role_id.map(RoleId::new),
            reply_to: pulse.message_id.map(MessageId::new),
        };
        Ok(self.poster.post(post.channel, &reply, to).await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<ReminderPost>,
        since: Timestamp,
    ) -> Result<Option<MessageId>, PortError> {
        self.poster
            .find_own(post.channel, since, &reminder_title(post.payload.week))
            .await
    }
}

#[cfg(test)]
#[path = "pulse_reminder_tests.rs"]
mod tests;
