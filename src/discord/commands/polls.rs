//! `/polls …` (admins): a weekly poll on the same scheduler, state and exactly-once rules as the
//! daily tip. `setup` takes the poll's kind and duration; `status`, `pause`, `resume` and
//! `stop` are every schedule's (`schedules.rs`).

use jiff::civil::Weekday;
use poise::serenity_prelude as serenity;

use super::channels::text_channel;
use super::schedules::{self, Managed};
use super::tips::zones;
use crate::discord::{BotError, Context};
use crate::model::poll::{PollDuration, PollKind};
use crate::model::schedule::{PollOptions, PollSchedule, Schedule};
use crate::reply::schedules::{self as words, poll_details, poll_summary, ScheduleWords};
use crate::reply::Field;
use crate::when::{Days, Recurrence};

/// The weekly poll, as its commands manage it.
pub(super) struct WeeklyPolls;

impl Managed for WeeklyPolls {
    type Options = PollOptions;
    const WORDS: ScheduleWords = words::WEEKLY_POLL;

    async fn details(_ctx: Context<'_>, schedule: &PollSchedule) -> Result<Vec<Field>, BotError> {
        Ok(poll_details(&schedule.options))
    }
}

/// Which kind of poll.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum PollKindChoice {
    #[name = "Quiz: leader or manager?"]
    Quiz,
    #[name = "Needs: what do we need more of?"]
    Needs,
    #[name = "Scenario: lead, manage, or both?"]
    Scenario,
}

impl From<PollKindChoice> for PollKind {
    fn from(choice: PollKindChoice) -> PollKind {
        match choice {
            PollKindChoice::Quiz => PollKind::Quiz,
            PollKindChoice::Needs => PollKind::Needs,
            PollKindChoice::Scenario => PollKind::Scenario,
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
    subcommands("setup", "status", "pause", "resume", "stop"),
    subcommand_required
)]
pub async fn polls(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a poll every week in a channel, on a day and at a time.
#[poise::command(slash_command, guild_only)]
#[allow(clippy::too_many_arguments)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "The text channel for the weekly poll"]
    #[channel_types("Text", "News")]
    channel: serenity::PartialChannel,
    #[description = "Which kind of poll"] kind: PollKindChoice,
    #[description = "Which day of the week"] day: DayChoice,
    #[description = "Time of day, like 9am, 9:00 or 21:30"] time: String,
    #[description = "Time zone, like Europe/Berlin (default: the server's, from /settings timezone)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "How long each poll stays open, like 30m, 4h or 2d (default 1d)"]
    open_for: Option<String>,
) -> Result<(), BotError> {
    let channel_id = text_channel(&channel, &WeeklyPolls::WORDS)?;
    let (time, zone) = schedules::time_and_zone(ctx, &time, timezone.as_deref()).await?;
    let when = Recurrence {
        time,
        zone,
        days: Days::Weekly(day.into()),
    };
    let options = PollOptions {
        kind: kind.into(),
        duration: open_for
            .as_deref()
            .map(PollDuration::parse)
            .transpose()
            .map_err(BotError::user)?
            .unwrap_or(PollDuration::DAY),
    };
    let summary = poll_summary(channel_id, &when, &options);
    let schedule = Schedule::new(
        super::guild(ctx)?,
        channel_id,
        when,
        options,
        ctx.data().clock.now(),
    );
    schedules::set_up::<WeeklyPolls>(ctx, schedule, &summary).await
}

/// Where and when the weekly poll runs, the last one, and any problem.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::status::<WeeklyPolls>(ctx).await
}

/// Pause the weekly poll.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::pause::<WeeklyPolls>(ctx).await
}

/// Resume the weekly poll.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::resume::<WeeklyPolls>(ctx).await
}

/// Stop the weekly poll.
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::stop::<WeeklyPolls>(ctx).await
}
