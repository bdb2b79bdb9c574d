//! `/digest …` (admins): the weekly digest's settings. What it says is built in
//! `reply::digest` and posted by the scheduler (`schedule/digest.rs`).

use poise::serenity_prelude as serenity;
use serenity::Permissions;

use super::channels::{lacking, text_channel, unchecked_note};
use super::polls::DayChoice;
use super::tips::zones;
use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::model::duty::DutyKind;
use crate::reply::digest_notes::{self as notes};
use crate::schedule::digest_schedule;
use crate::store::DigestSchedule;
use crate::when::{DailyTime, Zone};

/// What the bot needs in the digest's channel (the chart is a file).
const NEEDED: [(Permissions, &str); 4] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
    (Permissions::ATTACH_FILES, "Attach Files"),
];

fn shown(settings: &DigestSchedule) -> notes::Settings<'_> {
    notes::Settings {
        channel_id: settings.channel_id,
        weekday: settings.weekday,
        time: settings.time,
        zone: &settings.zone,
        paused: settings.paused,
    }
}

fn next(ctx: Context<'_>, settings: &DigestSchedule) -> Option<jiff::Timestamp> {
    (!settings.paused)
        .then(|| {
            digest_schedule(settings)
                .next_after(ctx.data().clock.now())
                .map(|o| o.at)
        })
        .flatten()
}

/// A weekly digest for the team's lead (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("setup", "status", "pause", "resume", "stop"),
    subcommand_required
)]
pub async fn digest(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a digest of the team's week every week in a channel.
#[poise::command(slash_command, guild_only)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "The text channel for the digest (a leads' channel, say)"]
    #[channel_types("Text", "News")]
    channel: serenity::PartialChannel,
    #[description = "Which day of the week it is posted"] day: DayChoice,
    #[description = "Time of day, HH:MM on a 24-hour clock"] time: String,
    #[description = "Time zone, like Europe/Berlin (default UTC)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
) -> Result<(), BotError> {
    let guild = guild(ctx);
    let channel_id = text_channel(&channel, "weekly digest")?;
    let time = DailyTime::parse(&time).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let missing = lacking(ctx, guild, channel_id, &NEEDED).await;
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(format!(
            "I can't post in <#{channel_id}>: I am missing {} there. Grant it in the channel's settings, or pick another channel.",
            missing.join(", ")
        )));
    }
    let data = ctx.data();
    let now = data.clock.now();
    let settings = DigestSchedule {
        guild_id: guild,
        channel_id,
        weekday: day.into(),
        time,
        zone,
        paused: false,
        active_since: now,
    };
    data.store.save_digest_schedule(&settings, now).await?;
    data.tips.changed(DutyKind::Digest, guild);
    let done = notes::set_up(&shown(&settings), next(ctx, &settings));
    send(
        ctx,
        unchecked_note(done, missing.as_deref(), channel_id, &NEEDED),
    )
    .await
}

/// Where and when the weekly digest is posted.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = ctx.data().store.digest_schedule(guild(ctx)).await? else {
        return send(ctx, notes::not_set_up()).await;
    };
    send(ctx, notes::status(&shown(&settings), next(ctx, &settings))).await
}

async fn set_paused(ctx: Context<'_>, paused: bool) -> Result<bool, BotError> {
    let data = ctx.data();
    let guild = guild(ctx);
    let Some(settings) = data.store.digest_schedule(guild).await? else {
        return Ok(false);
    };
    let now = data.clock.now();
    let settings = DigestSchedule {
        paused,
        active_since: if paused { settings.active_since } else { now },
        ..settings
    };
    data.store.save_digest_schedule(&settings, now).await?;
    data.tips.changed(DutyKind::Digest, guild);
    Ok(true)
}

/// Pause the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    let done = set_paused(ctx, true).await?;
    send(ctx, notes::paused(done)).await
}

/// Resume the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    let done = set_paused(ctx, false).await?;
    send(ctx, notes::resumed(done)).await
}

/// Stop the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = guild(ctx);
    let done = ctx.data().store.delete_digest_schedule(guild).await?;
    if done {
        ctx.data().tips.changed(DutyKind::Digest, guild);
    }
    send(ctx, notes::stopped(done)).await
}
