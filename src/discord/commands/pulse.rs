//! `/pulse …` (admins): the weekly team pulse's schedule, starting one now, its trend. `setup`,
//! `status`, `pause`, `resume` and `stop` are every schedule's (`schedules.rs`); the answers
//! themselves come through the pulse post's button (`discord/pulse_form.rs`).

use jiff::Zoned;
use poise::serenity_prelude as serenity;

use super::channels::text_channel;
use super::polls::DayChoice;
use super::schedules::{self, Managed};
use super::tips::zones;
use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{PulseOptions, PulseSchedule, Schedule, DEFAULT_REMIND_HOURS};
use crate::pulse::week_of;
use crate::pulse::{MAX_QUESTIONS, MIN_QUESTIONS};
use crate::reply::pulse_notes::{self as notes, parse_open_for, parse_remind_before};
use crate::reply::schedules::{self as words, pulse_details, pulse_summary, ScheduleWords};
use crate::reply::Field;
use crate::schedule::{trend_points, Requested, ScheduleEvent};
use crate::tasks::off_runtime;
use crate::when::{Days, Recurrence};

/// How long `/pulse now` waits for the post before saying it is on its way.
const NOW_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// The team pulse, as its commands manage it.
pub(super) struct Pulses;

impl Managed for Pulses {
    type Options = PulseOptions;
    const WORDS: ScheduleWords = words::PULSE;

    /// The open pulse's count (never what anyone answered) and how the last result went.
    async fn details(ctx: Context<'_>, schedule: &PulseSchedule) -> Result<Vec<Field>, BotError> {
        let store = &ctx.data().store;
        let open = match store.current_pulse(schedule.guild_id).await? {
            Some(pulse) => Some(notes::OpenPulse {
                week: pulse.week,
                answered: store.pulse_answered(pulse.id).await?,
                closes_at: pulse.closes_at,
            }),
            None => None,
        };
        let last = store
            .latest_duty(DutyKind::PulseResult, schedule.guild_id, DutyStatus::ALL)
            .await?
            .map(|entry| notes::LastResult {
                week: entry.local_date,
                status: entry.status,
                detail: entry.detail,
                due_at: entry.due_at,
                recorded_at: entry.recorded_at,
            });
        Ok(pulse_details(
            &schedule.options,
            open.as_ref(),
            last.as_ref(),
        ))
    }
}

/// An anonymous weekly team pulse (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("setup", "now", "status", "trend", "focus", "pause", "resume", "stop"),
    subcommand_required
)]
pub async fn pulse(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Open an anonymous team pulse every week in a channel.
#[poise::command(slash_command, guild_only)]
#[allow(clippy::too_many_arguments)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "The text channel for the pulse"]
    #[channel_types("Text", "News")]
    channel: serenity::PartialChannel,
    #[description = "Which day of the week it opens"] day: DayChoice,
    #[description = "Time of day, like 9am, 9:00 or 21:30"] time: String,
    #[description = "Time zone, like Europe/Berlin (default: the server's, from /settings timezone)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "Statements asked each week, 2 or 3 (default 3)"]
    #[min = 2]
    #[max = 3]
    statements: Option<u8>,
    #[description = "How long it stays open, like 2d, from 1d to 6d (default 2d)"] open_for: Option<
        String,
    >,
    #[description = "When to remind before it closes, like 24h or 1d, or off (default 24h)"]
    remind_before: Option<String>,
    #[description = "A role to mention on each pulse and its reminder (default: none)"]
    role: Option<serenity::Role>,
    #[description = "A role whose members may choose the team's focus, besides Manage Server"]
    lead_role: Option<serenity::Role>,
) -> Result<(), BotError> {
    let channel_id = text_channel(&channel, &Pulses::WORDS)?;
    let role_id = role.as_ref().map(|r| r.id.get());
    if role_id == Some(guild(ctx)?) {
        return Err(BotError::user(notes::NOT_EVERYONE));
    }
    let (time, zone) = schedules::time_and_zone(ctx, &time, timezone.as_deref()).await?;
    let when = Recurrence {
        time,
        zone,
        days: Days::Weekly(day.into()),
    };
    let options = PulseOptions {
        questions: statements
            .unwrap_or(MAX_QUESTIONS)
            .clamp(MIN_QUESTIONS, MAX_QUESTIONS),
        open_days: open_for
            .as_deref()
            .map(parse_open_for)
            .transpose()
            .map_err(BotError::user)?
            .unwrap_or(2),
        remind_hours: match remind_before.as_deref() {
            Some(text) => parse_remind_before(text).map_err(BotError::user)?,
            None => Some(DEFAULT_REMIND_HOURS),
        },
        role_id,
        lead_role_id: lead_role.as_ref().map(|r| r.id.get()),
    };
    let summary = pulse_summary(channel_id, &when, &options);
    let schedule = Schedule::new(
        guild(ctx)?,
        channel_id,
        when,
        options,
        ctx.data().clock.now(),
    );
    schedules::set_up::<Pulses>(ctx, schedule, &summary).await
}

/// Start this week's team pulse now.
#[poise::command(slash_command, guild_only)]
pub async fn now(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let guild = guild(ctx)?;
    let Some(settings) = data.schedules.get::<PulseOptions>(guild).await? else {
        return send(ctx, words::not_set_up(&words::PULSE)).await;
    };
    if settings.paused {
        return send(ctx, notes::paused_now()).await;
    }
    // Posting goes through the scheduler's claim, which may wait its turn or retry.
    ctx.defer_ephemeral().await?;
    let requested = tokio::time::timeout(
        NOW_PATIENCE,
        data.scheduler.post_now(DutyKind::Pulse, guild),
    )
    .await;
    let week = week_of(Zoned::new(data.clock.now(), settings.when.zone.tz().clone()).date());
    let answer = match requested {
        Err(_) => notes::on_its_way(settings.channel_id),
        Ok(Requested::Done(Some(ScheduleEvent::Posted { .. }))) => {
            match data.store.current_pulse(guild).await? {
                Some(pulse) => notes::started(pulse.channel_id, pulse.closes_at),
                None => notes::on_its_way(settings.channel_id),
            }
        }
        Ok(Requested::Done(Some(ScheduleEvent::Failed { detail, .. }))) => {
            notes::not_started(&detail)
        }
        Ok(Requested::Done(_)) => notes::already_this_week(week),
        Ok(Requested::Busy) => notes::on_its_way(settings.channel_id),
        Ok(Requested::Stopped) => notes::shutting_down(),
        Ok(Requested::Database(_)) => notes::not_started(notes::DATABASE_FAILED),
    };
    send(ctx, answer).await
}

/// How the team pulse stands: where and when, the open pulse's count, the last result.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::status::<Pulses>(ctx).await
}

/// Pause the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::pause::<Pulses>(ctx).await
}

/// Resume the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::resume::<Pulses>(ctx).await
}

/// Stop the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::stop::<Pulses>(ctx).await
}

/// The leading and managing scores week by week.
#[poise::command(slash_command, guild_only)]
pub async fn trend(
    ctx: Context<'_>,
    #[description = "How many weeks back (default 12)"]
    #[min = 1]
    #[max = 52]
    weeks: Option<u32>,
) -> Result<(), BotError> {
    let data = ctx.data();
    let min = data.config.pulse.min_responses;
    let points = trend_points(
        &data.store,
        &data.content(),
        guild(ctx)?,
        weeks.unwrap_or(crate::reply::pulse::TREND_WEEKS),
        min,
    )
    .await?;
    let shown = off_runtime(move || crate::reply::pulse::trend(&points, min)).await?;
    send(ctx, shown).await
}

/// The team's focus now and before, with how the team rated each a week later.
#[poise::command(slash_command, guild_only)]
pub async fn focus(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let lines = crate::schedule::focus_lines(
        &data.store,
        guild(ctx)?,
        FOCUSES_SHOWN,
        data.config.pulse.min_responses,
    )
    .await?;
    send(
        ctx,
        crate::reply::pulse_focus::focus_history(&data.content(), &lines),
    )
    .await
}

/// How many focuses `/pulse focus` shows.
const FOCUSES_SHOWN: u32 = 8;
