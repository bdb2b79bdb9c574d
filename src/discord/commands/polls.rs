//! `/polls schedule` and `/polls unschedule` (admins): a weekly poll on the same scheduler,
//! state and exactly-once rules as the daily tip.

use jiff::civil::Weekday;
use poise::serenity_prelude as serenity;
use serenity::Permissions;

use super::channels::{lacking, text_channel, unchecked_note};
use super::send;
use super::tips::zones;
use crate::discord::{BotError, Context};
use crate::model::duty::DutyKind;
use crate::model::poll::{PollDuration, PollKind};
use crate::reply::poll_notes::{self, Scheduled};
use crate::schedule::next_weekly_poll;
use crate::store::PollSchedule;
use crate::when::{DailyTime, Days, Zone};

/// What the bot needs in a channel to post polls there.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::SEND_POLLS, "Send Polls"),
];

/// Which kind of poll.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    #[name = "Quiz: leader or manager?"]
    Quiz,
    #[name = "Pulse: what do we need more of?"]
    Pulse,
    #[name = "Scenario: lead, manage, or both?"]
    Scenario,
}

impl From<KindChoice> for PollKind {
    fn from(choice: KindChoice) -> PollKind {
        match choice {
            KindChoice::Quiz => PollKind::Quiz,
            KindChoice::Pulse => PollKind::Pulse,
            KindChoice::Scenario => PollKind::Scenario,
        }
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DayChoice {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<DayChoice> for Weekday {
    fn from(day: DayChoice) -> Weekday {
        match day {
            DayChoice::Monday => Weekday::Monday,
            DayChoice::Tuesday => Weekday::Tuesday,
            DayChoice::Wednesday => Weekday::Wednesday,
            DayChoice::Thursday => Weekday::Thursday,
            DayChoice::Friday => Weekday::Friday,
            DayChoice::Saturday => Weekday::Saturday,
            DayChoice::Sunday => Weekday::Sunday,
        }
    }
}

/// Weekly team polls (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("schedule", "unschedule"),
    subcommand_required
)]
pub async fn polls(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a poll every week in a channel, on a day and at a time.
#[poise::command(slash_command, guild_only)]
#[allow(clippy::too_many_arguments)]
pub async fn schedule(
    ctx: Context<'_>,
    #[description = "The text channel for the weekly poll"]
    #[channel_types("Text", "News")]
    channel: serenity::PartialChannel,
    #[description = "Which kind of poll"] kind: KindChoice,
    #[description = "Which day of the week"] day: DayChoice,
    #[description = "Time of day, HH:MM on a 24-hour clock"] time: String,
    #[description = "Time zone, like Europe/Berlin (default UTC)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "How long each poll runs: 30m, 4h, 1d (default 1d)"] duration: Option<String>,
) -> Result<(), BotError> {
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let channel_id = text_channel(&channel, "weekly poll")?;
    let time = DailyTime::parse(&time).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let duration = duration
        .as_deref()
        .map(PollDuration::parse)
        .transpose()
        .map_err(BotError::user)?
        .unwrap_or(PollDuration::DAY);
    let missing = lacking(ctx, guild, channel_id, &NEEDED).await;
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(poll_notes::cannot_post_polls(
            channel_id, missing,
        )));
    }
    let data = ctx.data();
    let now = data.clock.now();
    let schedule = PollSchedule {
        guild_id: guild,
        channel_id,
        kind: kind.into(),
        weekday: day.into(),
        time,
        zone,
        duration,
        active_since: now,
    };
    data.store.save_poll_schedule(&schedule, now).await?;
    data.tips.changed(DutyKind::WeeklyPoll, guild);
    let reply = poll_notes::scheduled(&Scheduled {
        kind: schedule.kind,
        channel_id,
        days: Days::Weekly(schedule.weekday),
        time: schedule.time,
        zone: schedule.zone.clone(),
        duration,
        next: next_weekly_poll(&schedule, now),
    });
    send(
        ctx,
        unchecked_note(reply, missing.as_deref(), channel_id, &NEEDED),
    )
    .await
}

/// Stop the weekly poll.
#[poise::command(slash_command, guild_only)]
pub async fn unschedule(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let data = ctx.data();
    let removed = data.store.delete_poll_schedule(guild).await?;
    if removed {
        data.tips.changed(DutyKind::WeeklyPoll, guild);
    }
    send(ctx, poll_notes::unscheduled(removed)).await
}
