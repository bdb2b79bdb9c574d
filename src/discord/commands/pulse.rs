//! `/pulse …` (admins): the weekly team pulse's settings, starting one now, and its status.
//! The answers themselves come through the pulse post's button (`discord/pulse_form.rs`).

use jiff::Zoned;
use poise::serenity_prelude as serenity;
use serenity::Permissions;

use super::channels::{lacking, text_channel, unchecked_note};
use super::polls::DayChoice;
use super::tips::zones;
use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::model::duty::{DutyKind, DutyStatus};
use crate::pulse::week_of;
use crate::pulse::{MAX_QUESTIONS, MIN_QUESTIONS};
use crate::reply::pulse_notes::{self as notes, parse_open_for};
use crate::schedule::{open_schedule, trend_points, Requested, ScheduleEvent};
use crate::store::PulseSchedule;
use crate::when::{DailyTime, Zone};

/// How long `/pulse now` waits for the post before saying it is on its way.
const NOW_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// What the bot needs in the pulse channel.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
];

/// The settings as the answers show them.
fn shown(settings: &PulseSchedule) -> notes::Settings<'_> {
    notes::Settings {
        channel_id: settings.channel_id,
        weekday: settings.weekday,
        time: settings.time,
        zone: &settings.zone,
        questions: settings.questions,
        open_days: settings.open_days,
        paused: settings.paused,
    }
}

/// Tells both pulse duties that the server's settings changed.
fn changed(ctx: Context<'_>, guild: u64) {
    ctx.data().tips.changed(DutyKind::Pulse, guild);
    ctx.data().tips.changed(DutyKind::PulseResult, guild);
}

/// An anonymous weekly team pulse (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("setup", "now", "status", "trend", "pause", "resume", "stop"),
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
    #[description = "Time of day, HH:MM on a 24-hour clock"] time: String,
    #[description = "Time zone, like Europe/Berlin (default UTC)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "Statements asked each week, 2 or 3 (default 3)"]
    #[min = 2]
    #[max = 3]
    questions: Option<u8>,
    #[description = "How long it stays open, 1d to 6d (default 2d)"] open_for: Option<String>,
) -> Result<(), BotError> {
    let guild = guild(ctx);
    let channel_id = text_channel(&channel, "team pulse")?;
    let time = DailyTime::parse(&time).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let questions = questions
        .unwrap_or(MAX_QUESTIONS)
        .clamp(MIN_QUESTIONS, MAX_QUESTIONS);
    let open_days = open_for
        .as_deref()
        .map(parse_open_for)
        .transpose()
        .map_err(BotError::user)?
        .unwrap_or(2);
    let missing = lacking(ctx, guild, channel_id, &NEEDED).await;
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(format!(
            "I can't post in <#{channel_id}>: I am missing {} there. Grant it in the channel's settings, or pick another channel.",
            missing.join(", ")
        )));
    }
    let data = ctx.data();
    let now = data.clock.now();
    let settings = PulseSchedule {
        guild_id: guild,
        channel_id,
        weekday: day.into(),
        time,
        zone,
        questions,
        open_days,
        paused: false,
        active_since: now,
    };
    data.store.save_pulse_schedule(&settings, now).await?;
    changed(ctx, guild);
    let next = open_schedule(&settings).next_after(now).map(|o| o.at);
    let done = notes::set_up(&shown(&settings), next);
    send(
        ctx,
        unchecked_note(done, missing.as_deref(), channel_id, &NEEDED),
    )
    .await
}

/// Start this week's team pulse now.
#[poise::command(slash_command, guild_only)]
pub async fn now(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let guild = guild(ctx);
    let Some(settings) = data.store.pulse_schedule(guild).await? else {
        return send(ctx, notes::not_set_up()).await;
    };
    if settings.paused {
        return send(ctx, notes::paused_now()).await;
    }
    // Posting goes through the scheduler's claim, which may wait its turn or retry.
    ctx.defer_ephemeral().await?;
    let requested =
        tokio::time::timeout(NOW_PATIENCE, data.tips.post_now(DutyKind::Pulse, guild)).await;
    let week = week_of(Zoned::new(data.clock.now(), settings.zone.tz().clone()).date());
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
        Ok(Requested::Database(_)) => notes::not_started(
            "the database failed (it is in the bot's log); it is tried again at the next start",
        ),
    };
    send(ctx, answer).await
}

/// How the team pulse stands: the schedule, and how many answered the open one.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let guild = guild(ctx);
    let Some(settings) = data.store.pulse_schedule(guild).await? else {
        return send(ctx, notes::not_set_up()).await;
    };
    let open = data.store.current_pulse(guild).await?;
    let answered = match &open {
        Some(pulse) => data.store.pulse_answered(pulse.id).await?,
        None => 0,
    };
    let last = data
        .store
        .latest_duty(DutyKind::PulseResult, guild, &DutyStatus::ALL)
        .await?
        .map(|entry| notes::LastResult {
            week: entry.local_date,
            status: entry.status,
            detail: entry.detail,
            due_at: entry.due_at,
            recorded_at: entry.recorded_at,
        });
    let now = data.clock.now();
    let next = (!settings.paused)
        .then(|| open_schedule(&settings).next_after(now).map(|o| o.at))
        .flatten();
    send(
        ctx,
        notes::status(
            &shown(&settings),
            open.as_ref().map(|p| notes::OpenPulse {
                week: p.week,
                answered,
                closes_at: p.closes_at,
            }),
            last.as_ref(),
            next,
        ),
    )
    .await
}

async fn set_paused(ctx: Context<'_>, paused: bool) -> Result<bool, BotError> {
    let data = ctx.data();
    let guild = guild(ctx);
    let Some(settings) = data.store.pulse_schedule(guild).await? else {
        return Ok(false);
    };
    let now = data.clock.now();
    let settings = PulseSchedule {
        paused,
        active_since: if paused { settings.active_since } else { now },
        ..settings
    };
    data.store.save_pulse_schedule(&settings, now).await?;
    changed(ctx, guild);
    Ok(true)
}

/// Pause the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    let done = set_paused(ctx, true).await?;
    send(ctx, notes::paused(done)).await
}

/// Resume the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    let done = set_paused(ctx, false).await?;
    send(ctx, notes::resumed(done)).await
}

/// Stop the weekly team pulse.
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = guild(ctx);
    let done = ctx.data().store.delete_pulse_schedule(guild).await?;
    if done {
        changed(ctx, guild);
    }
    send(ctx, notes::stopped(done)).await
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
        guild(ctx),
        weeks.unwrap_or(12),
        min,
    )
    .await?;
    send(ctx, crate::reply::pulse::trend(&points, min)).await
}
