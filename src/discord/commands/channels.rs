//! What the admin commands check about a channel before they schedule posts in it: that it is
//! a text channel, and what the bot lacks there (from the cache).

use poise::serenity_prelude as serenity;
use serenity::{ChannelType, Permissions};

use crate::discord::{BotError, Context};
use crate::reply::tips::not_a_text_channel;

/// The channel's id when it is a text or announcement channel; otherwise the member is told
/// to pick one for `what`.
pub(super) fn text_channel(
    channel: &serenity::PartialChannel,
    what: &str,
) -> Result<u64, BotError> {
    if matches!(channel.kind, ChannelType::Text | ChannelType::News) {
        Ok(channel.id.get())
    } else {
        Err(BotError::user(not_a_text_channel(channel.id.get(), what)))
    }
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
