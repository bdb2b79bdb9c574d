//! The team pulse as two duties of the engine: opening the week's pulse on its day, and
//! closing it (`open_days` later, at the same time) and posting its result.
//!
//! Closing is a duty rather than a keeper of its own because it is exactly a weekly post owed
//! on a known day: the engine's claim, record and recovery make the result go out once across
//! a crash. The anonymizing close itself (`Store::close_pulse`) is one transaction and
//! idempotent, so it runs before the result is claimed, and again whenever the duty is planned
//! (at every start), so a pulse whose result was missed is still closed and its answers deleted.

use jiff::civil::Weekday;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::{Deserialize, Serialize};
use tracing::info;

use super::duty::{Arrival, Ctx, Duty, Plan, Prepared, SendError, Sending};
use super::engine::ScheduleEvent;
use super::{Addressing, Poster};
use crate::content::PulseSide;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::pulse::stats::{side_score, WeekPoint};
use crate::pulse::{new_key, pick_statements, week_of};
use crate::reply::pulse::{pulse_post, pulse_title, result, result_title, results_of};
use crate::rest::RestError;
use crate::store::{NewPulse, PulseRecord, PulseSchedule, Store, StoreError};
use crate::when::{Days, Occurrence, Schedule};

/// How many past pulses a server can have, at most, for choosing the next statements.
const HISTORY: u32 = 10_000;

/// Opening the week's pulse.
pub(super) struct PulseOpen {
    pub poster: std::sync::Arc<dyn Poster>,
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
    /// Its week (`YYYY-MM-DD`), which names the post.
    week: String,
}

/// What a result claims: which pulse it reports on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ResultPost {
    pulse_id: i64,
    week: String,
}

/// The title a claimed post is found by, from the week it names.
fn week_title(week: &str, title: fn(jiff::civil::Date) -> String) -> String {
    week.parse().map(title).unwrap_or_default()
}

/// The weekly schedule a server's pulse opens on.
pub fn open_schedule(settings: &PulseSchedule) -> Schedule {
    Schedule {
        time: settings.time,
        zone: settings.zone.clone(),
        days: Days::Weekly(settings.weekday),
    }
}

/// The weekly schedule its result is posted on: `open_days` later, at the same time.
pub fn close_schedule(settings: &PulseSchedule) -> Schedule {
    let mut day: Weekday = settings.weekday;
    for _ in 0..settings.open_days {
        day = day.next();
    }
    Schedule {
        time: settings.time,
        zone: settings.zone.clone(),
        days: Days::Weekly(day),
    }
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
    let week = week_of(Zoned::new(opened, settings.zone.tz().clone()).date());
    if let Some(existing) = store.pulse_for_week(settings.guild_id, week).await? {
        return Ok(existing);
    }
    let round =
        u64::try_from(store.closed_pulses(settings.guild_id, HISTORY).await?.len()).unwrap_or(0);
    let statements: Vec<String> = pick_statements(content, round, settings.questions)
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    let key = new_key();
    store
        .open_pulse(&NewPulse {
            guild_id: settings.guild_id,
            week,
            channel_id: settings.channel_id,
            statements: &statements,
            opened_at: opened,
            closes_at: closes_at(opened, settings.open_days),
            key: &key,
        })
        .await
}

/// Closes every pulse of the server whose time is up; returns the pulses closed now.
pub(super) async fn close_due(
    store: &Store,
    guild: u64,
    now: Timestamp,
) -> Result<Vec<PulseRecord>, StoreError> {
    let mut closed = Vec::new();
    for pulse in store.pulses_to_close(now).await? {
        if pulse.guild_id == guild && store.close_pulse(pulse.id).await? {
            info!(guild, week = %pulse.week, "team pulse closed; its individual answers are deleted");
            closed.push(pulse);
        }
    }
    Ok(closed)
}

impl Duty for PulseOpen {
    const KIND: DutyKind = DutyKind::Pulse;
    type Settings = PulseSchedule;
    type Payload = PulsePost;

    async fn servers(&self, ctx: &Ctx) -> Result<Vec<u64>, StoreError> {
        Ok(ctx
            .store
            .all_pulse_schedules()
            .await?
            .into_iter()
            .map(|s| s.guild_id)
            .collect())
    }

    async fn plan(&self, ctx: &Ctx, guild: u64) -> Result<Option<Plan<PulseSchedule>>, StoreError> {
        Ok(ctx
            .store
            .pulse_schedule(guild)
            .await?
            .filter(|s| !s.paused)
            .map(|settings| Plan {
                schedule: open_schedule(&settings),
                active_since: settings.active_since,
                channel_id: settings.channel_id,
                settings,
            }))
    }

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
                "this week's pulse was started with /pulse now",
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
    ) -> Result<Prepared<PulsePost>, StoreError> {
        let content = ctx.content.get();
        let pulse = open_for_week(&ctx.store, &content, &plan.settings, ctx.clock.now()).await?;
        if pulse.statements.is_empty() {
            return Ok(Prepared::Broken(
                "the content has no pulse statements for both sides".into(),
            ));
        }
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: PulsePost {
                pulse_id: pulse.id,
                week: pulse.week.to_string(),
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<PulsePost>) -> Result<u64, SendError> {
        let pulse = claimed_pulse(ctx, post.payload.pulse_id).await?;
        let content = ctx.content.get();
        let reply = pulse_post(
            &content,
            pulse.id,
            pulse.week,
            &pulse.statements,
            0,
            pulse.closes_at,
        );
        Ok(self
            .poster
            .post(post.channel, &reply, Addressing::default())
            .await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<PulsePost>,
        since: Timestamp,
    ) -> Result<Option<u64>, RestError> {
        self.poster
            .find_own(
                post.channel,
                since,
                &week_title(&post.payload.week, pulse_title),
            )
            .await
    }

    async fn after_post(
        &self,
        ctx: &Ctx,
        post: &Sending<PulsePost>,
        message_id: u64,
        _arrival: Arrival,
    ) -> Result<(), StoreError> {
        ctx.store
            .set_pulse_message(post.payload.pulse_id, message_id)
            .await
    }
}

impl Duty for PulseResult {
    const KIND: DutyKind = DutyKind::PulseResult;
    type Settings = PulseSchedule;
    type Payload = ResultPost;

    async fn servers(&self, ctx: &Ctx) -> Result<Vec<u64>, StoreError> {
        Ok(ctx
            .store
            .all_pulse_schedules()
            .await?
            .into_iter()
            .map(|s| s.guild_id)
            .collect())
    }

    /// Also closes what is due: planning runs at every start and after every post.
    async fn plan(&self, ctx: &Ctx, guild: u64) -> Result<Option<Plan<PulseSchedule>>, StoreError> {
        close_due(&ctx.store, guild, ctx.clock.now()).await?;
        Ok(ctx.store.pulse_schedule(guild).await?.map(|settings| Plan {
            schedule: close_schedule(&settings),
            active_since: settings.active_since,
            channel_id: settings.channel_id,
            settings,
        }))
    }

    async fn settle_without_post(
        &self,
        ctx: &Ctx,
        plan: &Plan<PulseSchedule>,
        owed: Occurrence,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        if pulse_closing_at(&ctx.store, plan.settings.guild_id, owed.at)
            .await?
            .is_some()
        {
            return Ok(None);
        }
        let guild = plan.settings.guild_id;
        ctx.store
            .record_duty(
                DutyKind::PulseResult,
                guild,
                owed.date,
                DutyStatus::Skipped,
                "no pulse closed then",
                owed.at,
                ctx.clock.now(),
            )
            .await?;
        Ok(Some(ScheduleEvent::Skipped {
            duty: DutyKind::PulseResult,
            guild,
            date: owed.date,
        }))
    }

    async fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        _plan: &Plan<PulseSchedule>,
    ) -> Result<Prepared<ResultPost>, StoreError> {
        let now = ctx.clock.now();
        close_due(&ctx.store, guild, now).await?;
        let Some(pulse) = pulse_closing_at(&ctx.store, guild, now).await? else {
            return Ok(Prepared::Broken("the pulse to report on is gone".into()));
        };
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: ResultPost {
                pulse_id: pulse.id,
                week: pulse.week.to_string(),
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<ResultPost>) -> Result<u64, SendError> {
        let pulse = claimed_pulse(ctx, post.payload.pulse_id).await?;
        let store_error = |e: StoreError| SendError::Store(e.to_string());
        let reply = result_reply(ctx, &pulse, self.min_responses)
            .await
            .map_err(store_error)?;
        let to = Addressing {
            role: None,
            reply_to: pulse.message_id,
        };
        Ok(self.poster.post(post.channel, &reply, to).await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<ResultPost>,
        since: Timestamp,
    ) -> Result<Option<u64>, RestError> {
        self.poster
            .find_own(
                post.channel,
                since,
                &week_title(&post.payload.week, result_title),
            )
            .await
    }

    async fn after_post(
        &self,
        _ctx: &Ctx,
        _post: &Sending<ResultPost>,
        _message_id: u64,
        _arrival: Arrival,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The pulse a claimed post is about; gone from the database means the post cannot be made.
async fn claimed_pulse(ctx: &Ctx, id: i64) -> Result<PulseRecord, SendError> {
    ctx.store
        .pulse(id)
        .await
        .map_err(|e| SendError::Store(e.to_string()))?
        .ok_or_else(|| SendError::Refused("the pulse is no longer in the database".into()))
}

/// The closed pulse whose close falls within a day before `at` (the result's due time).
async fn pulse_closing_at(
    store: &Store,
    guild: u64,
    at: Timestamp,
) -> Result<Option<PulseRecord>, StoreError> {
    let window = SignedDuration::from_hours(24 * 7);
    Ok(store
        .closed_pulses(guild, 2)
        .await?
        .into_iter()
        .find(|p| p.closes_at <= at && at.duration_since(p.closes_at) < window))
}

/// The result of a closed pulse, with last week's for the change.
pub(super) async fn result_reply(
    ctx: &Ctx,
    pulse: &PulseRecord,
    min_responses: u32,
) -> Result<crate::reply::Reply, StoreError> {
    let content = ctx.content.get();
    let counts = ctx.store.pulse_counts(pulse.id).await?;
    let results = results_of(&content, &pulse.statements, &counts);
    let previous = ctx
        .store
        .closed_pulses(pulse.guild_id, 2)
        .await?
        .into_iter()
        .find(|p| p.week < pulse.week && p.responses >= min_responses);
    let previous = match previous {
        Some(p) => Some(results_of(
            &content,
            &p.statements,
            &ctx.store.pulse_counts(p.id).await?,
        )),
        None => None,
    };
    Ok(result(
        &content,
        pulse.week,
        pulse.responses,
        min_responses,
        &results,
        previous.as_deref(),
    ))
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
        });
    }
    points.reverse();
    Ok(points)
}

#[cfg(test)]
#[path = "pulse_tests.rs"]
mod tests;
