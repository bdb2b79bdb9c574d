//! The team pulse as two duties of the engine: opening the week's pulse on its day, and
//! closing it at its own `closes_at` and posting its result.
//!
//! Closing is a duty rather than a keeper of its own because it is exactly a post owed at a
//! known moment: the engine's claim, record and recovery make the result go out once across a
//! crash. Its timetable is the server's pulses themselves (each open one at its close, keyed in
//! the post log by the pulse's week), not the weekly schedule, so a pulse closes on time
//! whatever opened it: the schedule, `/pulse now` at any hour, or a recovered claim; and a
//! pulse whose schedule was stopped still closes and reports.
//!
//! The anonymizing close itself (`Store::close_pulse`) is one transaction and idempotent. It
//! never waits on a post: it runs at start for every pulse past its time (before anything is
//! sent), whenever the duty is planned, and before a result is claimed.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::{Deserialize, Serialize};
use tracing::info;

use super::duty::{Arrival, Ctx, Duty, Plan, Planned, Prepared, SendError, Sending};
use super::engine::ScheduleEvent;
use crate::content::PulseSide;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::ids::{MessageId, RoleId};
use crate::model::schedule::PulseSchedule;
use crate::port::{Addressing, PortError, Poster};
use crate::pulse::stats::{side_score, WeekPoint};
use crate::pulse::{new_key, pick_statements, week_of, with_team_statement};
use crate::reply::duty_notes::DutyNote;
use crate::reply::pulse::{pulse_post, pulse_title, result, result_title, results_of};
use crate::store::{NewPulse, PulseRecord, Store, StoreError};
use crate::tasks::off_runtime;
use crate::when::{Occurrence, Timetable};

/// Opening the week's pulse.
pub(super) struct PulseOpen {
    pub poster: std::sync::Arc<dyn Poster>,
    /// What its post says a result needs.
    pub min_responses: u32,
}

/// Closing it and posting the result.
pub(super) struct PulseResult {
    pub poster: std::sync::Arc<dyn Poster>,
    pub min_responses: u32,
}

/// What an opening claims: the pulse, already in the database with its statements, so
/// recovery posts (or finds) that same pulse.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PulsePost {
    pulse_id: i64,
    /// Its week, which names the post.
    week: Date,
    /// The role its post mentions.
    #[serde(default)]
    role_id: Option<u64>,
}

/// What a result claims: which pulse it reports on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ResultPost {
    pulse_id: i64,
    week: Date,
}

/// When a pulse opened at `opened` closes.
pub fn closes_at(opened: Timestamp, open_days: u8) -> Timestamp {
    opened
        .saturating_add(SignedDuration::from_hours(24 * i64::from(open_days)))
        .unwrap_or(opened)
}

/// Opens (or finds) the pulse of the week `opened` falls in, with fresh statements.
pub async fn open_for_week(
    store: &Store,
    content: &crate::content::Content,
    settings: &PulseSchedule,
    opened: Timestamp,
) -> Result<PulseRecord, StoreError> {
    let week = week_of(Zoned::new(opened, settings.when.zone.tz().clone()).date());
    if let Some(existing) = store.pulse_for_week(settings.guild_id, week).await? {
        return Ok(existing);
    }
    let round = store.closed_pulse_count(settings.guild_id).await?;
    let picked = pick_statements(content, round, settings.options.questions);
    let team = super::team::statements(store, settings.guild_id).await?;
    let mut statements = with_team_statement(&picked, &team, round);
    statements.extend(follow_up(store, settings.guild_id).await?);
    let key = new_key();
    store
        .open_pulse(&NewPulse {
            guild_id: settings.guild_id,
            week,
            channel_id: settings.channel_id,
            statements: &statements,
            opened_at: opened,
            closes_at: closes_at(opened, settings.options.open_days),
            key: &key,
        })
        .await
}

/// The follow-up statement about the focus chosen from the server's last result, if any.
async fn follow_up(store: &Store, guild: u64) -> Result<Option<String>, StoreError> {
    let Some(last) = store.last_closed_pulse(guild).await? else {
        return Ok(None);
    };
    Ok(store
        .focus(last.id)
        .await?
        .map(|focus| crate::reply::pulse_focus::follow_up_id(&focus.action)))
}

/// How long after its close a pulse's server is still planned for its result at start.
pub(super) const RECENT: SignedDuration = SignedDuration::from_hours(24 * 8);

/// Closes every pulse of the server whose time is up.
pub(super) async fn close_due(store: &Store, guild: u64, now: Timestamp) -> Result<(), StoreError> {
    for pulse in store.open_pulses(guild).await? {
        if pulse.closes_at <= now {
            close(store, &pulse).await?;
        }
    }
    Ok(())
}

async fn close(store: &Store, pulse: &PulseRecord) -> Result<(), StoreError> {
    if store.close_pulse(pulse.id).await? {
        info!(guild = pulse.guild_id, week = %pulse.week, "team pulse closed; its individual answers are deleted");
    }
    Ok(())
}

impl Duty for PulseOpen {
    const KIND: DutyKind = DutyKind::Pulse;
    type Settings = PulseSchedule;
    type Payload = PulsePost;
    /// A pulse just opened is a result due at its close, and a reminder before.
    const PLANS_NEXT: &'static [DutyKind] = &[DutyKind::PulseResult, DutyKind::PulseReminder];

    async fn settle_without_post(
        &self,
        ctx: &Ctx,
        plan: &Plan<PulseSchedule>,
        owed: Occurrence,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        let guild = plan.settings.guild_id;
        if ctx
            .store
            .pulse_for_week(guild, week_of(owed.date))
            .await?
            .is_none()
        {
            return Ok(None);
        }
        // `/pulse now` already held this week's pulse.
        ctx.store
            .record_duty(
                DutyKind::Pulse,
                guild,
                owed.date,
                DutyStatus::Skipped,
                &DutyNote::OpenedWithPulseNow.to_string(),
                owed.at,
                ctx.clock.now(),
            )
            .await?;
        Ok(Some(ScheduleEvent::Skipped {
            duty: DutyKind::Pulse,
            guild,
            date: owed.date,
        }))
    }

    async fn prepare(
        &self,
        ctx: &Ctx,
        _guild: u64,
        plan: &Plan<PulseSchedule>,
        _owed: Occurrence,
    ) -> Result<Prepared<PulsePost>, StoreError> {
        let content = ctx.content.get();
        let pulse = open_for_week(&ctx.store, &content, &plan.settings, ctx.clock.now()).await?;
        if pulse.statements.is_empty() {
            return Ok(Prepared::Broken(DutyNote::NoStatements));
        }
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: PulsePost {
                pulse_id: pulse.id,
                week: pulse.week,
                role_id: plan.settings.options.role_id,
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<PulsePost>) -> Result<MessageId, SendError> {
        let pulse = claimed_pulse(ctx, post.payload.pulse_id).await?;
        let content = ctx.content.get();
        let reply = pulse_post(
            &content,
            pulse.id,
            pulse.week,
            &pulse.statements,
            0,
            pulse.closes_at,
            self.min_responses,
        )
        .mentioning(post.payload.role_id);
        let to = Addressing {
            role: post.payload.role_id.map(RoleId::new),
            reply_to: None,
        };
        Ok(self.poster.post(post.channel, &reply, to).await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<PulsePost>,
        since: Timestamp,
    ) -> Result<Option<MessageId>, PortError> {
        self.poster
            .find_own(post.channel, since, &pulse_title(post.payload.week))
            .await
    }

    async fn after_post(
        &self,
        ctx: &Ctx,
        post: &Sending<PulsePost>,
        message_id: MessageId,
        _arrival: Arrival,
    ) -> Result<(), StoreError> {
        ctx.store
            .set_pulse_message(post.payload.pulse_id, message_id.get())
            .await
    }
}

/// The pulse result's plan: each of the server's open pulses at its close, and the one that
/// closed last (so that its result, if not posted yet, is owed or recorded missed). It is made
/// of the pulses themselves, whatever opened them and whether or not a schedule remains.
pub(crate) struct PulsesClosing;

impl Planned for PulsesClosing {
    /// Servers with a pulse open or closed lately: a result may be owed to each.
    async fn servers(ctx: &Ctx) -> Result<Vec<u64>, StoreError> {
        let since = ctx.clock.now().saturating_sub(RECENT).unwrap_or_default();
        ctx.store.servers_with_recent_pulses(since).await
    }

    /// Also closes what is due: planning runs at every start and after every post.
    async fn plan(ctx: &Ctx, guild: u64) -> Result<Option<Plan<Self>>, StoreError> {
        let now = ctx.clock.now();
        close_due(&ctx.store, guild, now).await?;
        let mut pulses = ctx.store.open_pulses(guild).await?;
        if let Some(last) = ctx.store.last_closed_pulse(guild).await? {
            pulses.insert(0, last);
        }
        pulses.sort_by_key(|p| p.closes_at);
        // The channel of the result owed now, else of the next one.
        let Some(channel_id) = pulses
            .iter()
            .rev()
            .find(|p| p.closes_at <= now)
            .or(pulses.first())
            .map(|p| p.channel_id)
        else {
            return Ok(None);
        };
        let moments = pulses
            .iter()
            .map(|p| Occurrence {
                date: p.week,
                at: p.closes_at,
            })
            .collect();
        Ok(Some(Plan {
            timetable: Timetable::Fixed(moments),
            // The pulse itself is what is owed, whatever the schedule says now.
            active_since: Timestamp::MIN,
            channel_id,
            settings: PulsesClosing,
        }))
    }
}

impl Duty for PulseResult {
    const KIND: DutyKind = DutyKind::PulseResult;
    type Settings = PulsesClosing;
    type Payload = ResultPost;

    /// Closes every pulse past its time before anything is sent or planned: a bot that was
    /// down across a close deletes the answers first, whatever becomes of the result.
    async fn before_start(
        &self,
        ctx: &Ctx,
        owns: &(dyn Fn(u64) -> bool + Sync),
    ) -> Result<(), StoreError> {
        for pulse in ctx.store.pulses_to_close(ctx.clock.now()).await? {
            if owns(pulse.guild_id) {
                close(&ctx.store, &pulse).await?;
            }
        }
        Ok(())
    }

    async fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        _plan: &Plan<PulsesClosing>,
        owed: Occurrence,
    ) -> Result<Prepared<ResultPost>, StoreError> {
        close_due(&ctx.store, guild, ctx.clock.now()).await?;
        let Some(pulse) = ctx
            .store
            .pulse_for_week(guild, owed.date)
            .await?
            .filter(|p| p.closed)
        else {
            return Ok(Prepared::Broken(DutyNote::PulseToReportGone));
        };
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: ResultPost {
                pulse_id: pulse.id,
                week: pulse.week,
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<ResultPost>) -> Result<MessageId, SendError> {
        let pulse = claimed_pulse(ctx, post.payload.pulse_id).await?;
        let reply = result_reply(ctx, &pulse, self.min_responses).await?;
        let to = Addressing {
            role: None,
            reply_to: pulse.message_id.map(MessageId::new),
        };
        Ok(self.poster.post(post.channel, &reply, to).await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<ResultPost>,
        since: Timestamp,
    ) -> Result<Option<MessageId>, PortError> {
        self.poster
            .find_own(post.channel, since, &result_title(post.payload.week))
            .await
    }
}

/// The pulse a claimed post is about; gone from the database means the post cannot be made.
pub(super) async fn claimed_pulse(ctx: &Ctx, id: i64) -> Result<PulseRecord, SendError> {
    ctx.store
        .pulse(id)
        .await
        .map_err(|e| SendError::Store(DutyNote::Database(e.to_string())))?
        .ok_or(SendError::Refused(DutyNote::PulseDeleted))
}

/// The result of a closed pulse, with last week's for the change; its chart is drawn off the
/// runtime's threads.
pub(super) async fn result_reply(
    ctx: &Ctx,
    pulse: &PulseRecord,
    min_responses: u32,
) -> Result<crate::reply::Reply, SendError> {
    let content = ctx.content.get();
    let counts = ctx
        .store
        .pulse_counts(pulse.id)
        .await
        .map_err(SendError::from)?;
    let results = results_of(&content, &pulse.statements, &counts);
    let previous = ctx
        .store
        .closed_pulses(pulse.guild_id, 2)
        .await
        .map_err(SendError::from)?
        .into_iter()
        .find(|p| p.week < pulse.week && p.responses >= min_responses);
    let previous = match previous {
        Some(p) => Some(results_of(
            &content,
            &p.statements,
            &ctx.store
                .pulse_counts(p.id)
                .await
                .map_err(SendError::from)?,
        )),
        None => None,
    };
    let follow_up = counts
        .iter()
        .find(|(id, _)| crate::reply::pulse_focus::follow_up_text(id).is_some())
        .map(|(id, counts)| {
            crate::reply::pulse_focus::follow_up_field(
                id,
                &crate::pulse::stats::Counts(*counts),
                pulse.responses >= min_responses,
            )
        });
    let (week, responses) = (pulse.week, pulse.responses);
    let reply = off_runtime(move || {
        result(
            &content,
            week,
            responses,
            min_responses,
            &results,
            previous.as_deref(),
        )
    })
    .await?;
    let mut reply = with_focus_button(reply, pulse, min_responses);
    if let (Some(field), Some(embed)) = (follow_up, reply.embeds.first_mut()) {
        embed.fields.push(field);
    }
    Ok(reply)
}

/// A result that shows scores carries the lead's "Choose our focus" button.
fn with_focus_button(
    mut reply: crate::reply::Reply,
    pulse: &PulseRecord,
    min_responses: u32,
) -> crate::reply::Reply {
    if pulse.responses >= min_responses {
        reply
            .buttons
            .push(crate::reply::pulse_focus::focus_button(pulse.id));
    }
    reply
}

/// The leading and managing scores of a server's last `weeks` closed pulses, oldest first;
/// a week below `min_responses` has no scores (a gap, never zero). A negatively worded
/// statement counts the other way round (see `side_score`), and a retired one as before. A week
/// none of whose statements the content still has (see `results_of`) has nothing to score and is
/// left out, rather than shown as withheld.
pub async fn trend_points(
    store: &Store,
    content: &crate::content::Content,
    guild: u64,
    weeks: u32,
    min_responses: u32,
) -> Result<Vec<WeekPoint>, StoreError> {
    let mut points = Vec::new();
    for pulse in store.closed_pulses(guild, weeks).await? {
        let (leading, managing) = if pulse.responses >= min_responses {
            let results = results_of(
                content,
                &pulse.statements,
                &store.pulse_counts(pulse.id).await?,
            );
            if results.is_empty() {
                continue;
            }
            (
                side_score(&results, PulseSide::Leading),
                side_score(&results, PulseSide::Managing),
            )
        } else {
            (None, None)
        };
        points.push(WeekPoint {
            week: pulse.week,
            leading,
            managing,
            focus: store.focus(pulse.id).await?.is_some(),
        });
    }
    points.reverse();
    Ok(points)
}

#[cfg(test)]
#[path = "pulse_tests.rs"]
mod tests;
