//! `/digest …` (admins): the weekly digest's schedule. What it says is built in
//! `reply::digest` and posted by the scheduler (`schedule/digest.rs`); its commands are every
//! schedule's (`schedules.rs`).

use poise::serenity_prelude as serenity;

use super::channels::text_channel;
use super::polls::DayChoice;
use super::schedules::{self, Managed};
use super::tips::zones;
use crate::discord::{BotError, Context};
use crate::model::schedule::{DigestOptions, DigestSchedule, Schedule};
use crate::reply::schedules::{self as words, digest_summary, ScheduleWords};
use crate::reply::Field;
use crate::when::{Days, Recurrence};

/// The weekly digest, as its commands manage it.
pub(super) struct Digests;

impl Managed for Digests {
    type Options = DigestOptions;
    const WORDS: ScheduleWords = words::DIGEST;

    async fn details(
        _ctx: Context<'_>,
        _schedule: &DigestSchedule,
    ) -> Result<Vec<Field>, BotError> {
        Ok(Vec::new())
    }
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
    #[description = "Time of day, like 9am, 9:00 or 21:30"] time: String,
    #[description = "Time zone, like Europe/Berlin (default: the server's, from /settings timezone)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
) -> Result<(), BotError> {
    let channel_id = text_channel(&channel, &Digests::WORDS)?;
    let (time, zone) = schedules::time_and_zone(ctx, &time, timezone.as_deref()).await?;
    let when = Recurrence {
        time,
        zone,
        days: Days::Weekly(day.into()),
    };
    let summary = digest_summary(channel_id, &when);
    let schedule = Schedule::new(
        super::guild(ctx)?,
        channel_id,
        when,
        DigestOptions {},
        ctx.data().clock.now(),
    );
    schedules::set_up::<Digests>(ctx, schedule, &summary).await
}

/// Where and when the weekly digest is posted, the last one, and any problem.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::status::<Digests>(ctx).await
}

/// Pause the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::pause::<Digests>(ctx).await
}

/// Resume the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::resume::<Digests>(ctx).await
}

/// Stop the weekly digest.
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::stop::<Digests>(ctx).await
}
