//! Greeting a server the bot joined: once per server, in the channel Discord names as its
//! system channel, or else the first text channel the bot may post in, or nowhere.
//!
//! GUILD_CREATE arrives for every server at every start and reconnect, and serenity's "is it
//! new" needs the server cache the bot does not keep, so a server is greeted when the bot
//! joined it within [`RECENT`] (Discord's `joined_at`: servers the bot was in before this
//! version are not greeted out of the blue) and the database gives the right to greet
//! (`Store::claim_welcome`): once per server, so a restart or the bot added back within
//! [`RECENT`] greets no one, and two processes never greet the same server twice.

use jiff::SignedDuration;
use poise::serenity_prelude as serenity;
use serenity::{ChannelType, Guild, GuildChannel, Member, Permissions};
use tracing::{info, warn};

use super::{convert, BotError, Data};

/// How recently the bot must have joined a server to greet it (a bot down for a while still
/// greets a server added meanwhile), and how long it must have been gone from a server before
/// it greets it again: added back the same day is a slip, not a new team.
pub const RECENT: SignedDuration = SignedDuration::from_hours(24);

/// What the welcome needs in its channel.
const NEEDS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS);

/// Greets `guild` if it was never greeted (or the bot was away long enough).
pub async fn on_guild_create(
    ctx: &serenity::Context,
    guild: &Guild,
    data: &Data,
) -> Result<(), BotError> {
    let now = data.clock.now();
    let since = now - RECENT;
    let joined = guild.joined_at.unix_timestamp();
    if joined < since.as_second() {
        return Ok(());
    }
    let bot = ctx.cache.current_user().id;
    let member = match guild.members.get(&bot) {
        Some(member) => member.clone(),
        None => guild.id.member(&ctx.http, bot).await?,
    };
    let Some(channel) = channel_for_welcome(guild, &member) else {
        info!(
            guild = guild.id.get(),
            "no channel the bot may post in: no welcome"
        );
        return Ok(());
    };
    let claimed = data.store.claim_welcome(guild.id.get(), now, since).await?;
    if !claimed {
        return Ok(());
    }
    let message =
        convert::channel_message(&crate::reply::welcome::welcome(), convert::no_mentions());
    match channel.send_message(&ctx.http, message).await {
        Ok(_) => info!(
            guild = guild.id.get(),
            channel = channel.get(),
            "welcomed a server"
        ),
        // Claimed first, so a failure is not retried: one missing welcome is better than two.
        Err(error) => warn!(%error, guild = guild.id.get(), "could not post the welcome"),
    }
    Ok(())
}

/// The system channel when the bot may post there, else the first text channel (in the
/// server's order) where it may.
fn channel_for_welcome(guild: &Guild, member: &Member) -> Option<serenity::ChannelId> {
    let may_post = |channel: &GuildChannel| {
        channel.kind == ChannelType::Text
            && guild.user_permissions_in(channel, member).contains(NEEDS)
    };
    if let Some(system) = guild
        .system_channel_id
        .and_then(|id| guild.channels.get(&id))
        .filter(|c| may_post(c))
    {
        return Some(system.id);
    }
    let mut channels: Vec<&GuildChannel> =
        guild.channels.values().filter(|c| may_post(c)).collect();
    channels.sort_by_key(|c| (c.position, c.id));
    channels.first().map(|c| c.id)
}
