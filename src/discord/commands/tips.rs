//! `/tip` for everyone, and `/tips …` for admins: the daily tip's settings.
//!
//! Admin commands carry `default_member_permissions = MANAGE_GUILD` (Discord hides them from
//! others; server owners can change that in the server's integration settings) and are also
//! checked here (`required_permissions`), so a member without Manage Server is refused and
//! nothing changes, whatever the server's overrides.

use std::collections::HashSet;

use jiff::Timestamp;
use poise::serenity_prelude as serenity;
use serenity::{ChannelType, Permissions};

use crate::discord::convert::poise_reply;
use crate::discord::{BotError, Context};
use crate::reply::tips::{self as answers, Setup, Status};
use crate::reply::{answer, autocomplete, tip_embed, Reply, Request};
use crate::schedule::deck;
use crate::schedule::next_post;
use crate::store::{LogStatus, TipSettings};
use crate::when::{DailyTime, Days, Occurrence, Zone};

/// What the bot needs in a tip channel, with the names Discord shows.
const NEEDED: [(Permissions, &str); 3] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
];
/// Also needed when discussion threads are on.
const FOR_THREADS: (Permissions, &str) =
    (Permissions::CREATE_PUBLIC_THREADS, "Create Public Threads");

async fn send(ctx: Context<'_>, reply: Reply) -> Result<(), BotError> {
    ctx.send(poise_reply(&reply)).await?;
    Ok(())
}

fn guild_of(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("Daily tips belong to a server; use this command in one."))
}

/// The bot's permissions in a channel, from the cache; `None` when the cache lacks them.
fn bot_permissions(ctx: Context<'_>, guild_id: u64, channel_id: u64) -> Option<Permissions> {
    let cache = &ctx.serenity_context().cache;
    let bot = cache.current_user().id;
    let guild = cache.guild(serenity::GuildId::new(guild_id))?;
    let channel = guild.channels.get(&serenity::ChannelId::new(channel_id))?;
    let member = guild.members.get(&bot)?;
    Some(guild.user_permissions_in(channel, member))
}

/// Names of what the bot lacks in a channel; `None` when it could not tell.
fn missing_in(
    ctx: Context<'_>,
    guild_id: u64,
    channel_id: u64,
    thread: bool,
) -> Option<Vec<&'static str>> {
    let thread_need = thread.then_some(FOR_THREADS);
    let needs: Vec<(Permissions, &'static str)> = NEEDED.into_iter().chain(thread_need).collect();
    lacking(ctx, guild_id, channel_id, &needs)
}

/// Which of `needs` the bot lacks in a channel; `None` when it could not tell.
pub(super) fn lacking(
    ctx: Context<'_>,
    guild_id: u64,
    channel_id: u64,
    needs: &[(Permissions, &'static str)],
) -> Option<Vec<&'static str>> {
    let have = bot_permissions(ctx, guild_id, channel_id)?;
    Some(
        needs
            .iter()
            .filter(|(permission, _)| !have.contains(*permission))
            .map(|(_, name)| *name)
            .collect(),
    )
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
async fn next_of(ctx: Context<'_>, settings: &TipSettings) -> Result<Option<Timestamp>, BotError> {
    Ok(next_of_occurrence(ctx, settings).await?.map(|o| o.at))
}

async fn next_of_occurrence(
    ctx: Context<'_>,
    settings: &TipSettings,
) -> Result<Option<Occurrence>, BotError> {
    let data = ctx.data();
    let logged = logged_dates(ctx, settings).await?;
    Ok(next_post(
        settings,
        |date| logged.contains(&date),
        data.clock.now(),
        &data.config.tips,
    ))
}

/// Local dates around today that already have a log row (so they are not owed).
async fn logged_dates(
    ctx: Context<'_>,
    settings: &TipSettings,
) -> Result<HashSet<jiff::civil::Date>, BotError> {
    let store = &ctx.data().store;
    let now = ctx.data().clock.now();
    let mut dates = HashSet::new();
    let today = now.to_zoned(settings.zone.tz().clone()).date();
    for day in [today.yesterday().ok(), Some(today)].into_iter().flatten() {
        if store.log_entry(settings.guild_id, day).await?.is_some() {
            dates.insert(day);
        }
    }
    Ok(dates)
}

/// Saves settings, tells the scheduler, and confirms with the next tip's time.
async fn save_and_confirm(
    ctx: Context<'_>,
    settings: &TipSettings,
    what: &str,
) -> Result<(), BotError> {
    let data = ctx.data();
    data.store
        .save_tip_settings(settings, data.clock.now())
        .await?;
    data.tips.changed(settings.guild_id);
    let next = next_of(ctx, settings).await?;
    send(ctx, answers::changed(what, next)).await
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
        Some(guild) => todays_tip(ctx, guild.get()).await?,
        None => None,
    };
    let reply = match todays.as_deref().and_then(|id| content.tip(id)) {
        Some(tip) => crate::reply::tip_reply(&content, tip),
        None => answer(&content, Request::RandomTip, &mut rand::rng())?,
    };
    send(ctx, reply).await
}

/// The id of the tip posted today (in the server's zone), if one was.
async fn todays_tip(ctx: Context<'_>, guild: u64) -> Result<Option<String>, BotError> {
    let store = &ctx.data().store;
    let Some(settings) = store.tip_settings(guild).await? else {
        return Ok(None);
    };
    let today = ctx
        .data()
        .clock
        .now()
        .to_zoned(settings.zone.tz().clone())
        .date();
    let entry = store.log_entry(guild, today).await?;
    Ok(entry
        .filter(|e| e.status == LogStatus::Posted)
        .and_then(|e| e.tip_id))
}

/// Daily tip settings (admins).
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    required_permissions = "MANAGE_GUILD",
    subcommands(
        "setup", "status", "pause", "resume", "skip", "preview", "role", "thread"
    ),
    subcommand_required
)]
pub async fn tips(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a tip every day (or weekday) in a channel, at a time and time zone.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
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
    if !matches!(channel.kind, ChannelType::Text | ChannelType::News) {
        return Err(BotError::user(format!(
            "<#{}> is not a text channel. Pick a text or announcement channel for the daily tip.",
            channel.id
        )));
    }
    let time = DailyTime::parse(time.as_deref().unwrap_or("09:00")).map_err(BotError::user)?;
    let zone = Zone::parse(timezone.as_deref().unwrap_or("UTC")).map_err(BotError::user)?;
    let data = ctx.data();
    let existing = data.store.tip_settings(guild).await?;
    let thread = existing.as_ref().is_some_and(|s| s.thread);
    match missing_in(ctx, guild, channel.id.get(), thread) {
        Some(missing) if !missing.is_empty() => {
            return Err(BotError::user(answers::channel_refused(
                channel.id.get(),
                &missing,
            )));
        }
        _ => {}
    }
    let now = data.clock.now();
    let settings = TipSettings {
        guild_id: guild,
        channel_id: channel.id.get(),
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
    data.tips.changed(guild);
    let next = next_of(ctx, &settings).await?;
    send(ctx, answers::setup_done(&setup_view(&settings), next)).await
}

/// Where and when tips are posted, the next and the last one, and any problem.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let store = &ctx.data().store;
    let last = store
        .latest_log(settings.guild_id, &[LogStatus::Posted])
        .await?;
    let trouble = store
        .latest_log(settings.guild_id, &[LogStatus::Missed, LogStatus::Failed])
        .await?;
    let problem = trouble
        .filter(|t| last.as_ref().is_none_or(|l| t.local_date > l.local_date))
        .map(|t| (t.local_date, t.detail.unwrap_or_default()));
    let last_post = last.and_then(|l| {
        let (channel, message) = (l.channel_id?, l.message_id?);
        Some((
            l.local_date,
            format!(
                "https://discord.com/channels/{}/{channel}/{message}",
                settings.guild_id
            ),
        ))
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
        ),
    };
    send(ctx, answers::status(&view)).await
}

/// Stop posting tips until resumed.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(mut settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    settings.paused = true;
    save_and_confirm(
        ctx,
        &settings,
        "Daily tips are paused; `/tips resume` starts them again.",
    )
    .await
}

/// Start posting tips again after a pause.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(mut settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    if settings.paused {
        settings.paused = false;
        // Days that passed during the pause are not owed.
        settings.active_since = ctx.data().clock.now();
    }
    save_and_confirm(ctx, &settings, "Daily tips are on.").await
}

/// Skip the next tip (only that one).
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn skip(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(mut settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let Some(next) = next_of_occurrence(ctx, &settings).await? else {
        return Err(BotError::user("No tip is scheduled, so there is nothing to skip. Use `/tips resume` if tips are paused."));
    };
    settings.skip_date = Some(next.date);
    save_and_confirm(
        ctx,
        &settings,
        &format!("The tip of {} will be skipped.", next.date),
    )
    .await
}

/// Show the next tip, privately, before it is posted.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn preview(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let content = data.content();
    let cycle = data.store.latest_cycle(settings.guild_id).await?;
    let shown = data.store.tips_in_cycle(settings.guild_id, cycle).await?;
    let shown = shown.iter().map(String::as_str).collect();
    let (_, tip) = deck::next_tip(&content, settings.guild_id, cycle, &shown);
    let next = next_of(ctx, &settings).await?;
    let heading = next.map_or_else(
        || "The next tip (none is scheduled right now):".to_string(),
        |at| format!("The tip for {}:", answers::when(at)),
    );
    let reply = Reply {
        text: Some(heading),
        ..Reply::embed(tip_embed(&content, tip))
    };
    send(ctx, reply.ephemeral()).await
}

/// Mention a role on each tip, or stop mentioning one.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The role to mention (leave empty to mention nobody)"] role: Option<
        serenity::Role,
    >,
) -> Result<(), BotError> {
    let Some(mut settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    if role
        .as_ref()
        .is_some_and(|r| r.id.get() == settings.guild_id)
    {
        return Err(BotError::user("Tips never mention @everyone. Pick a role made for the purpose, or leave `role` empty."));
    }
    settings.role_id = role.as_ref().map(|r| r.id.get());
    let what = match &role {
        Some(role) => format!("Each tip will mention <@&{}> (and nobody else).", role.id),
        None => "Tips will mention nobody.".to_string(),
    };
    save_and_confirm(ctx, &settings, &what).await
}

/// Open a discussion thread on each tip, or stop.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
pub async fn thread(
    ctx: Context<'_>,
    #[description = "On or off"] thread: Switch,
) -> Result<(), BotError> {
    let Some(mut settings) = settings_or_note(ctx).await? else {
        return Ok(());
    };
    settings.thread = matches!(thread, Switch::On);
    if settings.thread {
        if let Some(missing) =
            missing_in(ctx, settings.guild_id, settings.channel_id, true).filter(|m| !m.is_empty())
        {
            return Err(BotError::user(answers::channel_refused(
                settings.channel_id,
                &missing,
            )));
        }
    }
    let what = if settings.thread {
        "Each tip will open a discussion thread."
    } else {
        "Tips will be posted without a thread."
    };
    save_and_confirm(ctx, &settings, what).await
}
