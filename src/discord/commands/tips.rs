//! `/tip` for everyone, and `/tips …` for admins: the daily tip's schedule. `setup`, `status`,
//! `pause`, `resume` and `stop` are every schedule's (`schedules.rs`); `skip`, `preview`,
//! `role` and `thread` are the tip's own. Who may run them is set once, in the registry.

use poise::serenity_prelude as serenity;

use super::channels::{text_channel, unchecked_note};
use super::schedules::{self, check_channel, save_and_confirm, schedule_or_note, Managed};
use super::send;
use crate::content::team::AnyTip;
use crate::discord::{BotError, Context};
use crate::model::schedule::DutyOptions as _;
use crate::model::schedule::{Schedule, TipOptions, TipSchedule};
use crate::reply::schedules::{self as words, tip_details, tip_summary, ScheduleWords};
use crate::reply::tips as answers;
use crate::reply::{answer, autocomplete, Field, Request};
use crate::schedule::tip_settings;
use crate::when::{Days, Recurrence};

/// The daily tip, as its commands manage it.
pub(super) struct Tips;

impl Managed for Tips {
    type Options = TipOptions;
    const WORDS: ScheduleWords = words::TIP;

    async fn details(_ctx: Context<'_>, schedule: &TipSchedule) -> Result<Vec<Field>, BotError> {
        Ok(tip_details(&schedule.options))
    }
}

pub(super) async fn zones(
    _ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let names = crate::when::zone_names();
    let choices = autocomplete::rank(names.iter().map(|n| (n.as_str(), n.as_str())), partial);
    serenity::CreateAutocompleteResponse::new().set_choices(
        choices
            .into_iter()
            .map(|c| serenity::AutocompleteChoice::new(c.name, c.value))
            .collect(),
    )
}

/// Which days tips are posted.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DaysChoice {
    #[name = "Weekdays"]
    Weekdays,
    #[name = "Every day"]
    EveryDay,
}

impl From<DaysChoice> for Days {
    fn from(choice: DaysChoice) -> Days {
        match choice {
            DaysChoice::Weekdays => Days::Weekdays,
            DaysChoice::EveryDay => Days::EveryDay,
        }
    }
}

/// On or off.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Switch {
    On,
    Off,
}

/// Today's tip for this server, or a random one.
#[poise::command(slash_command)]
pub async fn tip(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let content = data.content();
    // `/tip` works in direct messages too, where there is no server's tip of the day.
    let todays = match super::guild(ctx).ok() {
        Some(guild) => {
            match tip_settings::todays_tip(&data.store, guild, data.clock.now()).await? {
                Some(item) => tip_settings::resolve(&data.store, &content, guild, &item).await?,
                None => None,
            }
        }
        None => None,
    };
    let reply = match todays {
        Some(AnyTip::Bundled(tip)) => crate::reply::tip_reply(&content, tip),
        Some(team @ AnyTip::Team { .. }) => {
            crate::reply::Reply::embed(crate::reply::tips::any_tip_embed(&content, &team))
        }
        None => answer(&content, Request::RandomTip, &mut rand::rng())?,
    };
    send(ctx, reply).await
}

/// Daily tip settings (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "setup", "status", "pause", "resume", "stop", "skip", "preview", "role", "thread"
    ),
    subcommand_required
)]
pub async fn tips(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a tip every day (or weekday) in a channel, at a time and time zone.
#[poise::command(slash_command, guild_only)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "The text channel for the daily tip"]
    #[channel_types("Text", "News")]
    channel: serenity::PartialChannel,
    #[description = "Time of day, like 9am, 9:00 or 21:30 (default 9am)"] time: Option<String>,
    #[description = "Time zone, like Europe/Berlin (default: the server's, from /settings timezone)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "Which days (default: weekdays)"] days: Option<DaysChoice>,
) -> Result<(), BotError> {
    let channel_id = text_channel(&channel, &Tips::WORDS)?;
    let (time, zone) =
        schedules::time_and_zone(ctx, time.as_deref().unwrap_or("09:00"), timezone.as_deref())
            .await?;
    let when = Recurrence {
        time,
        zone,
        days: days.map_or(Days::Weekdays, Into::into),
    };
    let data = ctx.data();
    let guild = super::guild(ctx)?;
    // A new setup keeps the role and the thread, and forgets a skipped day.
    let kept = data
        .schedules
        .get::<TipOptions>(guild)
        .await?
        .map(|s| TipOptions {
            skip_date: None,
            ..s.options
        })
        .unwrap_or_default();
    let summary = tip_summary(channel_id, &when);
    let schedule = Schedule::new(guild, channel_id, when, kept, data.clock.now());
    schedules::set_up::<Tips>(ctx, schedule, &summary).await
}

/// Where and when tips are posted, the next and the last one, and any problem.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::status::<Tips>(ctx).await
}

/// Stop posting tips until resumed.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::pause::<Tips>(ctx).await
}

/// Start posting tips again after a pause.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::resume::<Tips>(ctx).await
}

/// Stop the daily tip (set it up again any time).
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), BotError> {
    schedules::stop::<Tips>(ctx).await
}

/// Skip the next tip (only that one).
#[poise::command(slash_command, guild_only)]
pub async fn skip(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(schedule) = schedule_or_note::<Tips>(ctx).await? else {
        return Ok(());
    };
    let skipping = tip_settings::skipping_next(&ctx.data().schedules, &schedule).await?;
    let Some((skipping, date)) = skipping else {
        return Err(BotError::user(answers::NOTHING_TO_SKIP));
    };
    let said = save_and_confirm::<Tips>(ctx, &skipping, &answers::skipping(date)).await?;
    send(ctx, said).await
}

/// Show the next tip, privately, before it is posted.
#[poise::command(slash_command, guild_only)]
pub async fn preview(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(schedule) = schedule_or_note::<Tips>(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let content = data.content();
    let dealt = tip_settings::upcoming(&data.store, &content, schedule.guild_id).await?;
    let next = data.schedules.next_post(&schedule).await?.map(|o| o.at);
    send(ctx, answers::preview(&content, &dealt.tip, next)).await
}

/// Mention a role on each tip, or stop mentioning one.
#[poise::command(slash_command, guild_only)]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The role to mention (leave empty to mention nobody)"] role: Option<
        serenity::Role,
    >,
) -> Result<(), BotError> {
    let Some(schedule) = schedule_or_note::<Tips>(ctx).await? else {
        return Ok(());
    };
    let role_id = role.as_ref().map(|r| r.id.get());
    if role_id == Some(schedule.guild_id) {
        return Err(BotError::user(answers::NOT_EVERYONE));
    }
    let mentioning = Schedule {
        options: TipOptions {
            role_id,
            ..schedule.options.clone()
        },
        ..schedule
    };
    let said = save_and_confirm::<Tips>(ctx, &mentioning, &answers::mentioning(role_id)).await?;
    send(ctx, said).await
}

/// Open a discussion thread on each tip, or stop.
#[poise::command(slash_command, guild_only)]
pub async fn thread(
    ctx: Context<'_>,
    #[description = "On or off"] thread: Switch,
) -> Result<(), BotError> {
    let Some(schedule) = schedule_or_note::<Tips>(ctx).await? else {
        return Ok(());
    };
    let on = matches!(thread, Switch::On);
    let channel_id = schedule.channel_id;
    let threaded = Schedule {
        options: TipOptions {
            thread: on,
            ..schedule.options.clone()
        },
        ..schedule
    };
    let needs = threaded.options.needs();
    let missing = if on {
        check_channel(ctx, channel_id, &needs).await?
    } else {
        Some(Vec::new())
    };
    let said = save_and_confirm::<Tips>(ctx, &threaded, answers::threads(on)).await?;
    send(
        ctx,
        unchecked_note(said, missing.as_deref(), channel_id, &needs),
    )
    .await
}
