//! `/polls schedule` and `/polls unschedule` (admins): a weekly poll on the same scheduler,
//! state and exactly-once rules as the daily tip.

use jiff::civil::Weekday;
use poise::serenity_prelude as serenity;
use serenity::{ChannelType, Permissions};

use super::tips::{lacking, zones};
use crate::discord::convert::poise_reply;
use crate::discord::{BotError, Context};
use crate::reply::poll::parse_duration;
use crate::reply::tips::when;
use crate::reply::Reply;
use crate::schedule::next_weekly_poll;
use crate::store::PollSchedule;
use crate::when::{DailyTime, Days, Zone};

/// What the bot needs in a channel to post polls there.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::SEND_POLLS, "Send Polls"),
];

/// How long a scheduled poll runs when no duration is given.
const DEFAULT_DURATION: &str = "1d";

/// Which kind of poll.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    #[name = "Quiz: leader or manager?"]
    Quiz,
    #[name = "Pulse: what do we need more of?"]
    Pulse,
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
    default_member_permissions = "MANAGE_GUILD",
    required_permissions = "MANAGE_GUILD",
    subcommands("schedule", "unschedule"),
    subcommand_required
)]
pub async fn polls(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a poll every week in a channel, on a day and at a time.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
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
    if !matches!(channel.kind, ChannelType::Text | ChannelType::News) {
        return Err(BotError::user(format!(
            "<#{}> is not a text channel. Pick a text or announcement channel for the weekly poll.",
            channel.id
        )));
    }
    let time = DailyTime::parse(&time).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let duration = parse_duration(duration.as_deref().unwrap_or(DEFAULT_DURATION))?;
    if let Some(missing) = lacking(ctx, guild, channel.id.get(), &NEEDED).filter(|m| !m.is_empty())
    {
        return Err(BotError::user(format!(
            "I can't post polls in <#{}>: I am missing {} there. Grant it in the channel's settings (Permissions), or pick another channel.",
            channel.id,
            missing.join(", ")
        )));
    }
    let data = ctx.data();
    let now = data.clock.now();
    let schedule = PollSchedule {
        guild_id: guild,
        channel_id: channel.id.get(),
        kind: match kind {
            KindChoice::Quiz => "quiz".into(),
            KindChoice::Pulse => "pulse".into(),
        },
        weekday: day.into(),
        time,
        zone,
        duration_minutes: u32::try_from(duration.as_secs() / 60).unwrap_or(u32::MAX),
        active_since: now,
    };
    data.store.save_poll_schedule(&schedule, now).await?;
    data.tips.poll_schedule_changed(guild);
    let next = next_weekly_poll(&schedule, now).map_or_else(|| "not scheduled".to_string(), when);
    let text = format!(
        "A {} poll will run in <#{}> {} at {} ({}), open for {}. Next: {next}.",
        schedule.kind,
        schedule.channel_id,
        Days::Weekly(schedule.weekday).label(),
        schedule.time,
        schedule.zone,
        duration_label(schedule.duration_minutes)
    );
    ctx.send(poise_reply(&Reply::private_note(text))).await?;
    Ok(())
}

/// Stop the weekly poll.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn unschedule(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let data = ctx.data();
    let text = if data.store.delete_poll_schedule(guild).await? {
        data.tips.poll_schedule_changed(guild);
        "The weekly poll is stopped. A poll already running still gets its results."
    } else {
        "There is no weekly poll in this server to stop. Set one up with `/polls schedule`."
    };
    ctx.send(poise_reply(&Reply::private_note(text))).await?;
    Ok(())
}

fn duration_label(minutes: u32) -> String {
    match minutes {
        m if m % 1440 == 0 => format!("{} day{}", m / 1440, if m == 1440 { "" } else { "s" }),
        m if m % 60 == 0 => format!("{} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("{m} minutes"),
    }
}
