//! What the admin commands check about a channel before they schedule posts in it: that it is
//! a text channel, and what the bot lacks there.
//!
//! The bot keeps no copy of its servers (`discord::cache_settings`: the copy was most of its
//! memory), so the bot's permissions in a channel come from Discord itself:
//! - in the channel the command was typed in, from the interaction: its `app_permissions` are
//!   the bot's permissions there, overwrites included, and cost nothing;
//! - in any other channel, from three REST calls made together: the server (its roles and its
//!   owner), the channel (its overwrites) and the bot's own member (its roles), combined by
//!   serenity's `PartialGuild::user_permissions_in`. Discord refusing the channel with Missing
//!   Access means the bot cannot see it.
//!
//! (A resolved channel option carries `permissions` too, but they are the invoking member's,
//! not the bot's.) A failed call, or no answer within [`PATIENCE`], is "could not tell": the
//! command goes on and says so ([`unchecked_note`]), as the bot cannot know either way.

use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{ChannelType, Permissions};
use tracing::warn;

use crate::discord::{BotError, Context};
use crate::model::duty::Permission;
use crate::reply::schedules::{
    not_a_text_channel, permission_name, permission_names, ScheduleWords,
};
use crate::reply::Reply;

/// How long the REST calls of a check may take together. Discord wants the interaction's first
/// answer within 3 s; this leaves the command the rest.
const PATIENCE: Duration = Duration::from_secs(2);

/// Discord's JSON error code for Missing Access: on GET channel, the bot cannot view it.
const MISSING_ACCESS: isize = 50001;

/// The channel's id when it is a text or announcement channel; otherwise the member is told
/// to pick one for the duty `words` names.
pub(super) fn text_channel(
    channel: &serenity::PartialChannel,
    words: &ScheduleWords,
) -> Result<u64, BotError> {
    if matches!(channel.kind, ChannelType::Text | ChannelType::News) {
        Ok(channel.id.get())
    } else {
        Err(BotError::user(not_a_text_channel(channel.id.get(), words)))
    }
}

/// Discord's bit for a permission a duty needs (which duty needs which is `model::duty`'s).
pub(super) fn bits(permission: Permission) -> Permissions {
    match permission {
        Permission::ViewChannel => Permissions::VIEW_CHANNEL,
        Permission::SendMessages => Permissions::SEND_MESSAGES,
        Permission::EmbedLinks => Permissions::EMBED_LINKS,
        Permission::AttachFiles => Permissions::ATTACH_FILES,
        Permission::SendPolls => Permissions::SEND_POLLS,
        Permission::CreatePublicThreads => Permissions::CREATE_PUBLIC_THREADS,
    }
}

/// What Discord says about the bot in a channel.
enum Seen {
    /// Its permissions there.
    Has(Permissions),
    /// It cannot view the channel (what else it lacks there is not told).
    Hidden,
}

/// Which of `needs` the bot lacks in a channel; `None` when it could not tell.
pub(super) async fn lacking(
    ctx: Context<'_>,
    guild_id: u64,
    channel_id: u64,
    needs: &[Permission],
) -> Option<Vec<&'static str>> {
    let seen = match from_interaction(ctx, channel_id) {
        Some(permissions) => Seen::Has(permissions),
        None => match tokio::time::timeout(PATIENCE, ask(ctx, guild_id, channel_id)).await {
            Ok(Ok(seen)) => seen,
            Ok(Err(error)) => {
                warn!(%error, guild_id, channel_id, "could not ask Discord for the bot's permissions in a channel");
                return None;
            }
            Err(_) => {
                warn!(guild_id, channel_id, waited = ?PATIENCE, "Discord did not say the bot's permissions in a channel in time");
                return None;
            }
        },
    };
    Some(missing(&seen, needs))
}

/// The names of `needs` that `seen` lacks.
fn missing(seen: &Seen, needs: &[Permission]) -> Vec<&'static str> {
    needs
        .iter()
        .copied()
        .filter(|permission| match seen {
            Seen::Has(have) => !have.contains(bits(*permission)),
            Seen::Hidden => *permission == Permission::ViewChannel,
        })
        .map(permission_name)
        .collect()
}

/// The bot's permissions in `channel_id` when the command came from that channel.
fn from_interaction(ctx: Context<'_>, channel_id: u64) -> Option<Permissions> {
    let Context::Application(app) = ctx else {
        return None;
    };
    let interaction = app.interaction;
    (interaction.channel_id.get() == channel_id)
        .then_some(interaction.app_permissions)
        .flatten()
}

/// Asks Discord for the server, the channel and the bot's member, together.
async fn ask(ctx: Context<'_>, guild_id: u64, channel_id: u64) -> Result<Seen, serenity::Error> {
    let http = ctx.http();
    let guild_id = serenity::GuildId::new(guild_id);
    let bot = ctx.framework().bot_id();
    let (guild, channel, member) = tokio::join!(
        http.get_guild(guild_id),
        http.get_channel(serenity::ChannelId::new(channel_id)),
        http.get_member(guild_id, bot),
    );
    let channel = match channel {
        Err(error) if is_missing_access(&error) => return Ok(Seen::Hidden),
        other => other?,
    };
    let serenity::Channel::Guild(channel) = channel else {
        return Err(serenity::Error::Other(
            "the channel is not a server's channel",
        ));
    };
    Ok(Seen::Has(guild?.user_permissions_in(&channel, &member?)))
}

fn is_missing_access(error: &serenity::Error) -> bool {
    matches!(
        error,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response))
            if response.error.code == MISSING_ACCESS
    )
}

/// `reply` with a line saying the bot could not check `channel_id`, when `lacking` is `None`.
pub(super) fn unchecked_note(
    reply: Reply,
    lacking: Option<&[&str]>,
    channel_id: u64,
    needs: &[Permission],
) -> Reply {
    match lacking {
        Some(_) => reply,
        None => reply.with_line(&crate::reply::schedules::unchecked(
            channel_id,
            &permission_names(needs),
        )),
    }
}
