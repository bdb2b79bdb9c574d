//! `/pulse …` (admins): the weekly team pulse's settings, starting one now, and its status.
//! The answers themselves come through the pulse post's button (`discord/pulse_form.rs`).

use poise::serenity_prelude as serenity;
use serenity::Permissions;

use super::channels::{lacking, text_channel};
use super::polls::DayChoice;
use super::tips::zones;
use crate::discord::convert::{channel_message, no_mentions, poise_reply};
use crate::discord::{BotError, Context};
use crate::model::duty::DutyKind;
use crate::pulse::{MAX_QUESTIONS, MIN_QUESTIONS};
use crate::reply::pulse::pulse_post;
use crate::reply::pulse_notes::{self as notes, parse_open_for};
use crate::reply::Reply;
use crate::schedule::{open_for_week, open_schedule, trend_points};
use crate::store::PulseSchedule;
use crate::when::{DailyTime, Zone};

/// What the bot needs in the pulse channel.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
];

async fn send(ctx: Context<'_>, reply: Reply) -> Result<(), BotError> {
    ctx.send(poise_reply(&reply)).await?;
    Ok(())
}

fn guild(ctx: Context<'_>) -> u64 {
    ctx.guild_id().map(|g| g.get()).unwrap_or_default()
}

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
    if let Some(missing) = lacking(ctx, guild, channel_id, &NEEDED).filter(|m| !m.is_empty()) {
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
    send(ctx, notes::set_up(&shown(&settings), next)).await
}

/// Start this week's team pulse now.
#[poise::command(slash_command, guild_only)]
pub async fn now(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let Some(settings) = data.store.pulse_schedule(guild(ctx)).await? else {
        return send(ctx, notes::not_set_up()).await;
    };
    let pulse = open_for_week(&data.store, &data.content(), &settings, data.clock.now()).await?;
    if pulse.message_id.is_some() || pulse.closed {
        return send(ctx, notes::already_this_week(pulse.week)).await;
    }
    let post = pulse_post(
        &data.content(),
        pulse.id,
        pulse.week,
        &pulse.statements,
        0,
        pulse.closes_at,
    );
    let message = serenity::ChannelId::new(pulse.channel_id)
        .send_message(ctx.http(), channel_message(&post, no_mentions()))
        .await?;
    data.store
        .set_pulse_message(pulse.id, message.id.get())
        .await?;
    changed(ctx, settings.guild_id);
    send(ctx, notes::started(pulse.channel_id, pulse.closes_at)).await
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
