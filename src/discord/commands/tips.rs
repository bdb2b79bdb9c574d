//! `/tip` for everyone, and `/tips …` for admins: the daily tip's settings. Each command maps
//! its options, calls the rules in `schedule::tip_settings`, and sends what `reply::tips`
//! says; who may run them is set once, in the command registry.

use poise::serenity_prelude as serenity;
use serenity::Permissions;

use super::channels::{lacking, text_channel, unchecked_note};
use super::send;
use crate::discord::{BotError, Context};
use crate::model::duty::DutyKind;
use crate::reply::tips::{self as answers, Setup, Status};
use crate::reply::{answer, autocomplete, Request};
use crate::schedule::tip_settings::{self, History};
use crate::store::TipSettings;
use crate::when::{DailyTime, Days, Zone};

/// What the bot needs in a tip channel, with the names Discord shows.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
];
/// Also needed when discussion threads are on.
const FOR_THREADS: (Permissions, &str) =
    (Permissions::CREATE_PUBLIC_THREADS, "Create Public Threads");

fn guild_of(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user(answers::SERVER_ONLY))
}

/// What the bot needs in a tip channel, with threads on or off.
fn needs(thread: bool) -> Vec<(Permissions, &'static str)> {
    NEEDED
        .into_iter()
        .chain(thread.then_some(FOR_THREADS))
        .collect()
}

/// Names of what the bot lacks in a tip channel; `None` when it could not tell.
async fn missing_in(
    ctx: Context<'_>,
    guild_id: u64,
    channel_id: u64,
    thread: bool,
) -> Option<Vec<&'static str>> {
    lacking(ctx, guild_id, channel_id, &needs(thread)).await
}

/// The server's settings, or the private note that they do not exist yet.
async fn settings_or_note(ctx: Context<'_>) -> Result<Option<TipSettings>, BotError> {
    let guild = guild_of(ctx)?;
    let settings = ctx.data().store.tip_settings(guild).await?;
    if settings.is_none() {
        send(ctx, answers::not_set_up()).await?;
    }
    Ok(settings)
}

/// When the server's next tip goes out, as things stand.
async fn next_of(
    ctx: Context<'_>,
    settings: &TipSettings,
) -> Result<Option<jiff::Timestamp>, BotError> {
    let data = ctx.data();
    let next =
        tip_settings::next_tip(&data.store, settings, data.clock.now(), &data.config.tips).await?;
    Ok(next.map(|o| o.at))
}

/// Saves settings, tells the scheduler, and says what changed with the next tip's time.
async fn save_and_say(
    ctx: Context<'_>,
    settings: &TipSettings,
    what: &str,
) -> Result<crate::reply::Reply, BotError> {
    let data = ctx.data();
    data.store
        .save_tip_settings(settings, data.clock.now())
        .await?;
    data.tips.changed(DutyKind::Tip, settings.guild_id);
    let next = next_of(ctx, settings).await?;
    Ok(answers::changed(what, next))
}

/// Saves settings, tells the scheduler, and confirms with the next tip's time.
async fn save_and_confirm(
    ctx: Context<'_>,
    settings: &TipSettings,
    what: &str,
) -> Result<(), BotError> {
    let said = save_and_say(ctx, settings, what).await?;
    send(ctx, said).await
}

fn setup_view(settings: &TipSettings) -> Setup {
    Setup {
        channel_id: settings.channel_id,
        time: settings.time.to_string(),
        zone: settings.zone.to_string(),
        days: settings.days.label().to_string(),
        role_id: settings.role_id,
        thread: settings.thread,
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
    let todays = match ctx.guild_id() {
        Some(guild) => tip_settings::todays_tip(&data.store, guild.get(), data.clock.now()).await?,
        None => None,
    };
    let reply = match todays.as_deref().and_then(|id| content.tip(id)) {
        Some(tip) => crate::reply::tip_reply(&content, tip),
        None => answer(&content, Request::RandomTip, &mut rand::rng())?,
    };
    send(ctx, reply).await
}

/// Daily tip settings (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "setup", "status", "pause", "resume", "skip", "preview", "role", "thread"
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
    #[description = "Time of day, HH:MM on a 24-hour clock (default 09:00)"] time: Option<String>,
    #[description = "Time zone, like Europe/Berlin (default UTC)"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "Which days (default: weekdays)"] days: Option<DaysChoice>,
) -> Result<(), BotError> {
    let guild = guild_of(ctx)?;
    let channel_id = text_channel(&channel, "daily tip")?;
    let time = DailyTime::parse(time.as_deref().unwrap_or("09:00")).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let data = ctx.data();
    let existing = data.store.tip_settings(guild).await?;
    let thread = existing.as_ref().is_some_and(|s| s.thread);
    let missing = missing_in(ctx, guild, channel_id, thread).await;
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(answers::channel_refused(
            channel_id, missing,
        )));
    }
    let now = data.clock.now();
    let settings = TipSettings {
        guild_id: guild,
        channel_id,
        time,
        zone,
        days: days.map_or(Days::Weekdays, Into::into),
        paused: false,
        skip_date: None,
        role_id: existing.as_ref().and_then(|s| s.role_id),
        thread,
        active_since: now,
    };
    data.store.save_tip_settings(&settings, now).await?;
    data.tips.changed(DutyKind::Tip, guild);
    let next = next_of(ctx, &settings).await?;
    let done = answers::setup_done(&setup_view(&settings), next);
    let note = unchecked_note(done, missing.as_deref(), channel_id, &needs(thread));
    send(ctx, note).await
}

/// Where and when tips are posted, the next and the last one, and any problem.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let History { last_post, problem } =
        tip_settings::history(&ctx.data().store, settings.guild_id).await?;
    let last_post = last_post.map(|last| {
        (
            last.date,
            format!(
                "https://discord.com/channels/{}/{}/{}",
                settings.guild_id, last.channel_id, last.message_id
            ),
        )
    });
    let view = Status {
        setup: setup_view(&settings),
        paused: settings.paused,
        skip_date: settings.skip_date,
        next: next_of(ctx, &settings).await?,
        last_post,
        problem,
        missing_permissions: missing_in(
            ctx,
            settings.guild_id,
            settings.channel_id,
            settings.thread,
        )
        .await,
    };
    send(ctx, answers::status(&view)).await
}

/// Stop posting tips until resumed.
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let paused = TipSettings {
        paused: true,
        ..settings
    };
    save_and_confirm(ctx, &paused, answers::PAUSED).await
}

/// Start posting tips again after a pause.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let resumed = tip_settings::resumed(&settings, ctx.data().clock.now());
    save_and_confirm(ctx, &resumed, answers::RESUMED).await
}

/// Skip the next tip (only that one).
#[poise::command(slash_command, guild_only)]
pub async fn skip(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let skipping =
        tip_settings::skipping_next(&data.store, &settings, data.clock.now(), &data.config.tips)
            .await?;
    let Some((skipping, date)) = skipping else {
        return Err(BotError::user(answers::NOTHING_TO_SKIP));
    };
    save_and_confirm(ctx, &skipping, &answers::skipping(date)).await
}

/// Show the next tip, privately, before it is posted.
#[poise::command(slash_command, guild_only)]
pub async fn preview(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let content = data.content();
    let tip = tip_settings::upcoming(&data.store, &content, settings.guild_id).await?;
    let next = next_of(ctx, &settings).await?;
    send(ctx, answers::preview(&content, tip, next)).await
}

/// Mention a role on each tip, or stop mentioning one.
#[poise::command(slash_command, guild_only)]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The role to mention (leave empty to mention nobody)"] role: Option<
        serenity::Role,
    >,
) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let role_id = role.as_ref().map(|r| r.id.get());
    if role_id == Some(settings.guild_id) {
        return Err(BotError::user(answers::NOT_EVERYONE));
    }
    let mentioning = TipSettings {
        role_id,
        ..settings
    };
    save_and_confirm(ctx, &mentioning, &answers::mentioning(role_id)).await
}

/// Open a discussion thread on each tip, or stop.
#[poise::command(slash_command, guild_only)]
pub async fn thread(
    ctx: Context<'_>,
    #[description = "On or off"] thread: Switch,
) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let on = matches!(thread, Switch::On);
    let missing = if on {
        missing_in(ctx, settings.guild_id, settings.channel_id, true).await
    } else {
        Some(Vec::new())
    };
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(answers::channel_refused(
            settings.channel_id,
            missing,
        )));
    }
    let channel_id = settings.channel_id;
    let threaded = TipSettings {
        thread: on,
        ..settings
    };
    let said = save_and_say(ctx, &threaded, answers::threads(on)).await?;
    send(
        ctx,
        unchecked_note(said, missing.as_deref(), channel_id, &needs(on)),
    )
    .await
}
