//! The Discord layer: poise commands and events that turn replies into serenity builders.
//!
//! Nothing here decides what to say; that is `reply`. This layer resolves options, calls
//! `reply`, converts the result, and sends it.

pub mod answers;
mod coalesce;
mod commands;
pub mod connect;
pub mod convert;
mod error;
mod events;
pub mod inflight;
pub mod poster;
mod pulse_focus;
mod pulse_form;
pub(crate) mod suggestions;
pub(crate) mod team;
mod team_scenarios;
mod welcome;

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use tracing::info;

pub use commands::{
    all_commands, choice, command_infos, grammar, Choice, Command, CommandShape, OptionKind,
    OptionShape, PollKindChoice, SideChoice, TraitKindChoice,
};
pub use error::{describe, on_error, BotError, APOLOGY};

use crate::clock::SharedClock;
use crate::config::{Config, DiscordConfig, Token};
use crate::content::Content;
use crate::live::LiveContent;
use crate::polls::{Cooldowns, PollKeeper, Polls};
use crate::reply::CommandInfo;
use crate::rest::Rest;
use crate::schedule::{Scheduler, Schedules};
use crate::store::Store;

/// The context every command gets.
pub type Context<'a> = poise::Context<'a, Data, BotError>;

/// The context of a slash command (the content commands are nothing else).
pub type SlashContext<'a> = poise::ApplicationContext<'a, Data, BotError>;

/// Everything commands share, built once at start-up.
pub struct Data {
    content: Arc<LiveContent>,
    /// Content answers built ahead of time, for whichever content is loaded.
    pub answers: answers::Answers,
    /// What `/help` lists, read from the command registry once.
    pub command_infos: Vec<CommandInfo>,
    pub store: Store,
    /// Posts a duty now (`/pulse now`); what commands change goes through `schedules`.
    pub scheduler: Scheduler,
    /// Every server's schedules: saved and planned again in one call.
    pub schedules: Schedules,
    /// Opens and ends polls.
    pub polls: Polls,
    /// Closes polls and posts their recaps; told when a poll message changes.
    pub keeper: PollKeeper,
    /// Members waiting before they may start another poll.
    pub cooldowns: Cooldowns,
    /// For what the bot asks Discord outside the gateway (the gateway's address at start).
    pub rest: Rest,
    pub clock: SharedClock,
    pub config: Config,
    /// Interactions being answered now.
    pub in_flight: Arc<inflight::Tracker>,
    /// Where the bot's place in each server changes is told.
    pub server_changes: tokio::sync::broadcast::Sender<crate::model::server::ServerChange>,
    /// Whether a gateway session was established before (so the next one is a reconnect).
    pub(crate) connected_before: std::sync::atomic::AtomicBool,
    /// Pulses whose answer count on the post is being edited.
    pub(crate) count_edits: coalesce::Coalesce<i64>,
}

/// The parts [`Data`] is built from.
pub struct Parts {
    pub content: Arc<LiveContent>,
    pub store: Store,
    pub scheduler: Scheduler,
    pub polls: Polls,
    pub keeper: PollKeeper,
    pub rest: Rest,
    pub clock: SharedClock,
    pub config: Config,
    pub in_flight: Arc<inflight::Tracker>,
    pub server_changes: tokio::sync::broadcast::Sender<crate::model::server::ServerChange>,
}

impl Data {
    pub fn new(parts: Parts) -> Data {
        Data {
            answers: answers::Answers::new(parts.content.get()),
            content: parts.content,
            command_infos: command_infos(&all_commands()),
            schedules: Schedules::new(
                parts.store.clone(),
                parts.scheduler.clone(),
                parts.clock.clone(),
                parts.config.schedule.clone(),
            ),
            store: parts.store,
            scheduler: parts.scheduler,
            polls: parts.polls,
            keeper: parts.keeper,
            cooldowns: Cooldowns::new(parts.config.polls.cooldown_seconds),
            rest: parts.rest,
            clock: parts.clock,
            config: parts.config,
            connected_before: std::sync::atomic::AtomicBool::new(false),
            count_edits: coalesce::Coalesce::new(),
            in_flight: parts.in_flight,
            server_changes: parts.server_changes,
        }
    }

    /// The loaded content and its reload.
    pub fn live_content(&self) -> &LiveContent {
        &self.content
    }

    /// The content as loaded now; a reload swaps it without disturbing readers.
    pub fn content(&self) -> Arc<Content> {
        self.content.get()
    }
}

/// What `/help` shows a member: the admin commands to those with Manage Server, the owners'
/// commands to the bot's owners (`[discord] owners`, or `owner` when the caller knows the
/// application's owners too).
pub fn access(
    data: &Data,
    user: serenity::UserId,
    permissions: Option<serenity::Permissions>,
    owner: bool,
) -> crate::reply::Access {
    use crate::reply::Access;
    if owner || data.config.discord.owners.iter().any(|o| o.0 == user.get()) {
        Access::Owners
    } else if permissions.is_some_and(|p| p.manage_guild() || p.administrator()) {
        Access::Managers
    } else {
        Access::Everyone
    }
}

/// Whether a member has Manage Server, as the interaction states it: the admins' permission
/// for a server's settings and content.
pub(crate) fn manages(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild())
}

/// Whether a member may act for the server where it named a role for the job (the team's lead,
/// a reviewer): Manage Server, as the interaction states it, or that role. `role` is only
/// looked up for a member without Manage Server.
pub(crate) async fn manages_or_holds<F>(
    member: Option<&serenity::Member>,
    role: F,
) -> Result<bool, BotError>
where
    F: std::future::Future<Output = Result<Option<u64>, BotError>>,
{
    let Some(member) = member else {
        return Ok(false);
    };
    if manages(Some(member)) {
        return Ok(true);
    }
    Ok(role
        .await?
        .is_some_and(|role| member.roles.iter().any(|r| r.get() == role)))
}

/// The gateway intents the bot asks for: servers (GUILD_CREATE and the rest, which the bot
/// reads past: see [`cache_settings`]), and message updates (a poll that ended shows up as
/// one). No privileged intents, no message content.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS | serenity::GatewayIntents::GUILD_MESSAGES
}

/// The REST client: straight to Discord, or through `api_base` with serenity's own rate
/// limiter off (in serenity 0.12.5 the proxy setting only applies that way, and the proxy is
/// the one that rate-limits).
pub fn http(config: &DiscordConfig, token: &Token) -> serenity::Http {
    match &config.api_base {
        Some(base) => serenity::HttpBuilder::new(token.expose())
            .proxy(base.as_str())
            .ratelimiter_disabled(true)
            .build(),
        None => serenity::Http::new(token.expose()),
    }
}

/// The poise framework with every command, the error handler, and no mentions ever.
pub fn framework(data: Data, guild: Option<serenity::GuildId>) -> poise::Framework<Data, BotError> {
    // The application's owners are added by poise at start-up; these come from the config.
    let owners = data
        .config
        .discord
        .owners
        .iter()
        .map(|id| serenity::UserId::new(id.0))
        .collect();
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: all_commands(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| {
                Box::pin(events::handle(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            allowed_mentions: Some(convert::no_mentions()),
            // The guard lives in poise's invocation data, which poise drops when the dispatch
            // ends however it ends; until then a shutdown waits for the command.
            pre_command: |ctx| {
                Box::pin(async move {
                    let guard = ctx.data().in_flight.start();
                    ctx.set_invocation_data(guard).await;
                })
            },
            post_command: |ctx| {
                Box::pin(async move {
                    let started = ctx
                        .invocation_data::<inflight::InFlight>()
                        .await
                        .map(|guard| guard.elapsed());
                    crate::metrics::interaction(
                        &ctx.command().qualified_name,
                        crate::metrics::Outcome::Answered,
                        started,
                    );
                })
            },
            owners,
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                // Commands are the bot's, not a process's: with the bot split across processes
                // the one running shard 0 registers them.
                let ownership = data.config.discord.shards.ownership();
                if ownership.holds_shard_zero() {
                    register(ctx, &framework.options().commands, guild).await?;
                } else {
                    info!(%ownership, "slash commands are registered by the process that runs shard 0");
                }
                Ok(data)
            })
        })
        .build()
}

async fn register(
    ctx: &serenity::Context,
    commands: &[Command],
    guild: Option<serenity::GuildId>,
) -> Result<(), BotError> {
    match guild {
        Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await?,
        None => poise::builtins::register_globally(ctx, commands).await?,
    }
    info!(count = commands.len(), guild = ?guild.map(|g| g.get()), "slash commands registered");
    Ok(())
}

/// What serenity's cache keeps: nothing of the servers. By default serenity 0.12.5 keeps every
/// server, channel, role, member and user the gateway sends, for as long as the bot runs; for
/// servers shaped like a team's (30 channels, 15 roles) that was most of the bot's memory
/// (docs/BENCHMARKS.md, "Memory per server"). The bot reads none of it: the one check that did,
/// its permissions in a channel, asks the interaction or Discord (`commands/channels.rs`).
/// Its own user, from READY, is kept whatever these say.
pub fn cache_settings() -> serenity::cache::Settings {
    let mut settings = serenity::cache::Settings::default();
    settings.cache_guilds = false;
    settings.cache_channels = false;
    settings.cache_users = false;
    settings.max_messages = 0;
    settings
}

/// The serenity client, ready to start.
pub async fn client(
    config: &DiscordConfig,
    token: &Token,
    data: Data,
) -> Result<serenity::Client, serenity::Error> {
    let guild = config.guild_id.map(|id| serenity::GuildId::new(id.0));
    serenity::ClientBuilder::new_with_http(http(config, token), intents())
        .cache_settings(cache_settings())
        .framework(framework(data, guild))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_nothing_of_the_servers() {
        let settings = cache_settings();
        assert!(!settings.cache_guilds);
        assert!(!settings.cache_channels);
        assert!(!settings.cache_users);
        assert_eq!(settings.max_messages, 0);
    }
}
